"""The shape of each line of scraped text: length, punctuation, words, boilerplate vocabulary.

A scraped page is one block per line. ``split_lines`` finds the non-blank lines with their raw
offsets; ``measure`` measures each line on its own (its neighbours are ``line_features``' job).
The vocabulary describes site furniture across the news web in its main languages, never one
site. Every measure reads at most the first ``MAX_FEATURE_CHARS`` characters of a line, so a
line of 100,000 digits costs no more than a paragraph.

Speed matters (a 5 MB page must take seconds): a line's words are split once and looked up in
sets; the few patterns left either run once over the whole page, when they start with a rare
character, or only on the lines whose words make a match possible.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

MAX_FEATURE_CHARS = 2000

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]」』]*$|[\"”’»」』]$")


def vocabulary(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(words.split())


def _split_phrases(phrases: str) -> list[str]:
    return [phrase.strip() for phrase in phrases.split("|")]


STOPWORDS = vocabulary(
    """a about above after again against all also although am an and any are as at be because
    been before being below between both but by can could did do does doing down during each
    either few for from further had has have having he her here hers herself him himself his how
    however i if in into is it its itself just may me might more most must my myself neither no
    nor not now of off on once only or other our ours ourselves out over own same shall she
    should since so some such than that the their theirs them themselves then there these they
    this those though through to too under until up upon very was we were what when where
    whether which while who whom whose why will with within without would yet you your yours
    yourself said says according told
    der die das und ist nicht mit sich auf für dem den des ein eine einer sie wir auch noch
    le la les et est une dans pour pas que qui sur avec sont par mais ont cette aux ces
    el los las y es por con una para como más pero sus le lo ya muy sobre entre cuando
    o os e é um uma não com mais foi são pelo pela seu sua também já ao das dos nas nos
    il di che non per una sono della nel alla anche come più gli dei delle
    het een van en is dat op te zijn niet met voor ook maar
    yang dan di ke dari ini itu dengan untuk tidak akan pada juga dalam adalah
    и в не на что с по как это он она они но из к у за то же от для так все был была"""
)

# Words and phrases that mark site furniture: strong ones almost never occur in a short body
# line, weak ones often do. All are looked up lower-cased.
STRONG_WORDS = vocabulary(
    """cookie cookies captcha recaptcha copyright subscribe subscription subscriptions newsletter
    newsletters advertisement advertisements advertising sponsored signup login logout javascript
    donate podcast podcasts webinar webinars unsubscribe comentários comentarios commentaires
    kommentare commenti compartir partager teilen condividi поделиться weiterlesen assine abonnez
    abonnieren iscriviti publicidade publicidad publicité werbung pubblicità реклама"""
)
STRONG_PHRASES = frozenset(
    tuple(phrase.split())
    for phrase in _split_phrases(
        """rights reserved|sign up|sign in|log in|log out|privacy policy|privacy notice|
    privacy settings|terms of use|terms of service|terms and conditions|read more|read next|
    read also|also read|click here|skip to|follow us|share this|share on|leave a comment|
    leave a reply|required fields|your email|email address|posted in|filed under|most read|
    most popular|most viewed|most shared|also like|may like|recommended for you|related articles|
    related article|related stories|related news|related posts|related post|related topics|
    related coverage|more articles|more stories|more news|on facebook|on twitter|on instagram|
    download the app|download our app|like this story|like this article|independent journalism|
    quality journalism|our journalism|your inbox|not be published|not be reproduced|
    not be copied|not be redistributed|trademark of|trademarks of|leia também|leia mais|
    lea también|lire aussi|leggi anche|baca juga|читайте также|veja também|ver también|
    voir aussi|siehe auch|vedi anche|direitos reservados|derechos reservados|droits réservés|
    rechte vorbehalten|diritti riservati|права защищены"""
    )
)
_PHRASE_TAILS: dict[str, list[tuple[str, ...]]] = {}
for _phrase in STRONG_PHRASES:
    _PHRASE_TAILS.setdefault(_phrase[0], []).append(_phrase[1:])
_STRONG_STEMS = re.compile(r"комментари|compartilh|suscr[ií]b|подпис|関連記事|コメント|シェア|広告")
WEAK_WORDS = vocabulary(
    """share shares shared follow comment comments related facebook twitter whatsapp telegram
    linkedin instagram youtube pinterest reddit email mail print menu search home tag tags
    photo photos image images credit video videos gallery advertise trending recommended loading
    newsletter newsletters contact about careers login register account opinion editorial reply
    replies report next previous back top more view watch listen save copy link getty afp
    reuters ap file updated published posted modified ago"""
)
CALENDAR_WORDS = vocabulary(
    """monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs
    fri sat sun jan january feb february mar march apr april may jun june jul july aug august
    sep sept september oct october nov november dec december am pm a p m gmt utc ist est edt
    cst cdt pst pdt bst cet cest eat wat pkt mmt ast et pt hr hrs updated published posted
    modified last on at ago hour hours minute minutes min mins day days week weeks today
    yesterday"""
)
_DAY_NUMBER = re.compile(r"(?<![\w'’])\d{1,4}(?:st|nd|rd|th)?(?![\w'’])")
# Scripts written without spaces: a "word" there is about two characters of text.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_FUNCTION_CHARS = frozenset("のはがをにでとたしもてるな的是了在和有我不这也就人都")
# Page-wide patterns: each starts with a character class that is rare in running text.
_INNER_SENTENCE = re.compile(r"[.!?](?<=\w[.!?])[\"”’]? [\"“‘]?[A-Z]|。")
_SEPARATOR = re.compile(r"[|»›•·]| [/–-] ")
_GLUED = re.compile(r"[A-Z](?<=[a-z][a-z][A-Z]|[a-z][.!?][A-Z])(?=[a-z])")
_LINKISH = re.compile(r"://|www\.|@\w|\.com\b|\.org\b")

# Line patterns, tried (on the lower-cased line) only when its words make a match possible.
BYLINE = re.compile(
    r"^(?:(?:written|reporting|reported|words|story|text|compiled|edited|posted) )?by\b|"
    r"^(?:staff|special) (?:reporter|correspondent|writer)|"
    r"\| *(?:staff|senior|special|chief)? *(?:reporter|correspondent|writer|editor)"
)
_BYLINE_WORDS = vocabulary("by staff special reporter correspondent writer editor")
COMMENT_HEADER = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|reactions|discussion)\b.{0,60}$|"
    r"^\W*\d*\s*(?:(?:top|most|best|reader|user|latest|newest|all|recent)\s+)?(?:rated\s+)?"
    r"(?:comments?|responses?|replies|reactions)\W*\d*\W*$|"
    r"leave a (?:comment|reply)|post a comment|comments are closed|join the (?:discussion|"
    r"conversation)|add (?:a|your) comment|(?:show|view|load) (?:\d+ )?comments"
)
_COMMENT_WORDS = vocabulary(
    "comment comments response responses reply replies reactions discussion conversation"
)
COMMENT_BYLINE = re.compile(r"\b(?:said|says|wrote|writes|commented|replied)\s*:\s*$")
_SAID_WORDS = frozenset(["said", "says", "wrote", "writes", "commented", "replied"])
PHOTO_CREDIT = re.compile(
    r"\((?:image|photo|picture|pic|credit|source|file)s?\b|\b(?:image|photo|picture) "
    r"(?:credit|courtesy|source|by)\b|\bcredits?:|getty images|\| ?getty|shutterstock|"
    r"\b(?:photo|image|picture|illustration|graphic|video)s?:|\bfile photo\b|"
    r"\((?:ap|afp|reuters|epa|xinhua|anadolu|ani|pti|ians)(?: photo| via [^)]*)?\)\s*$|"
    r"[/|] (?:ap|afp|reuters|epa|getty)\b"
)
_CREDIT_WORDS = vocabulary(
    """image images photo photos picture pictures pic pics credit credits source file getty
    shutterstock illustration graphic video videos ap afp reuters epa xinhua anadolu ani pti
    ians"""
)
TIMESTAMP_LABEL = re.compile(
    r"^(?:first |last )?(?:published|updated|posted|modified|last updated|created|written)"
    r"(?: on| at| date)?\b"
)
_TIMESTAMP_STARTS = frozenset(
    ["first", "last", "published", "updated", "posted", "modified", "created", "written"]
)
ABOUT_HEADER = re.compile(
    r"^(?:about|über|sobre|à propos d[e']|acerca de|a proposito di|over|о|tentang)\s+\S"
)
_ABOUT_STARTS = frozenset(["about", "über", "sobre", "à", "acerca", "a", "over", "о", "tentang"])
_COLON_LABEL = re.compile(r"^[\w’' ]{1,25}:(?:\s|$)")
_LIST_MARK = re.compile(r"^(?:\d{1,2}[.)]|[-*•·▪►>]+)\s")
_LIST_STARTS = "0123456789-*•·▪►>"
# Words without which no ``line_roles`` furniture pattern can match a line.
FURNITURE_CUES = vocabulary(
    """advertisement advertising advert ad ads sponsored paid promoted anzeige werbung
    publicidad publicidade publicité pubblicità реклама captcha recaptcha verify cookie cookies
    leave post add submit cancel reply comment comments name email mail website message
    published required enter incorrect save notify closed logged log join share tweet pin print
    copy facebook twitter x whatsapp telegram linkedin reddit pinterest tumblr messenger viber
    flipboard pocket google sms compartir compartilhar partager teilen condividi поделиться
    click follow related read also see more recommended you further trending most popular
    latest top editor editors don watch listen leia veja lea lire à weiterlesen leggi baca
    читайте tags tag topics topic filed posted categories category newsletter sign subscribe
    get delivered copyright rights privacy terms direitos derechos droits rechte diritti права
    login signin register my search logout c editor's editor’s don't don’t line vk weibo
    wechat"""
)
_NO_DIGITS = str.maketrans("", "", "0123456789")


class Line(NamedTuple):
    """A non-blank line: its stripped text and where that text lies in the raw input."""

    start: int
    end: int
    text: str


def split_lines(raw_text: str) -> list[Line]:
    """Every non-blank line, stripped of surrounding whitespace, with its raw offsets.

    Lines end at "\n", "\r\n", "\r" or any other line boundary ``str.splitlines`` knows.
    """
    lines: list[Line] = []
    at = 0
    for chunk in raw_text.splitlines(keepends=True):
        text = chunk.strip()
        if text:
            start = at + len(chunk) - len(chunk.lstrip())
            lines.append(Line(start, start + len(text), text))
        at += len(chunk)
    return lines


class Shape(NamedTuple):
    """The facts about one line that do not depend on its neighbours."""

    words: int
    chars: int
    sentence_end: bool
    inner_sentences: int
    stopword_share: float
    title_share: float
    digit_share: float
    commas: int
    strong: int
    weak: int
    byline: bool
    date_share: float
    separators: int
    colon_label: bool
    list_mark: bool
    linkish: bool
    upper: bool
    glued: int
    starts_lower: bool
    ellipsis_end: bool
    photo_credit: bool
    about_header: bool
    timestamp_label: bool
    comment_header: bool
    comment_byline: bool
    furniture_cue: bool


def shape(text: str) -> Shape:
    """Measure one line (``measure`` does a whole page faster)."""
    return measure([text])[0]


def measure(texts: list[str]) -> list[Shape]:
    """The shape of every line of a page (a line repeated is measured once)."""
    unique = list(dict.fromkeys(texts))
    if len(unique) == len(texts):
        return _measure(texts)
    shapes = dict(zip(unique, _measure(unique), strict=True))
    return [shapes[text] for text in texts]


def _measure(texts: list[str]) -> list[Shape]:
    if not texts:
        return []
    heads = [text[:MAX_FEATURE_CHARS] for text in texts]
    lows = [head.lower() for head in heads]
    page, words = _Page(heads), _Words(heads)
    counts = zip(
        page.counts(_UNSPACED),
        page.counts(_INNER_SENTENCE),
        page.counts(_SEPARATOR),
        page.counts(_GLUED),
        page.counts(_LINKISH),
        strict=True,
    )
    return [
        _shape(text, head, low, _LineWords(*line_words), *line_counts)
        for text, head, low, line_words, line_counts in zip(
            texts, heads, lows, words.lines, counts, strict=True
        )
    ]


def _shape(
    text: str,
    head: str,
    low: str,
    words: _LineWords,
    unspaced: int,
    inner: int,
    separators: int,
    glued: int,
    linkish: int,
) -> Shape:
    digits = len(head) - len(head.translate(_NO_DIGITS))
    capitals = words.capitals
    n = words.size + unspaced // 2
    if len(text) > MAX_FEATURE_CHARS:
        n = round(n * len(text) / len(head))
    if unspaced > len(head) / 3:
        stop_share = min(1.0, 2 * sum(c in _FUNCTION_CHARS for c in head) / unspaced)
    else:
        stop_share = words.stop / max(1, words.size)
    calendar = words.calendar + (len(_DAY_NUMBER.findall(low)) if digits else 0)
    strong = words.strong + low.count("©") + low.startswith(("tags:", "tag:"))
    if unspaced or not low.isascii():
        strong += len(_STRONG_STEMS.findall(low))
    gates = words.gates
    return Shape(
        words=n,
        chars=len(text),
        sentence_end=bool(_SENTENCE_END.search(text[-8:])),
        inner_sentences=inner,
        stopword_share=stop_share,
        title_share=min(1.0, capitals / max(1, words.alphabetic)),
        digit_share=digits / len(head),
        commas=head.count(",") + head.count("、") + head.count("，"),
        strong=strong,
        weak=words.weak,
        byline=_maybe(BYLINE, low, gates & _BYLINE_BIT),
        date_share=calendar / max(1, words.size),
        separators=separators,
        colon_label=":" in head[:27] and bool(_COLON_LABEL.match(head)),
        list_mark=head[0] in _LIST_STARTS and bool(_LIST_MARK.match(head)),
        linkish=linkish > 0,
        upper=capitals > 0 and head.upper() == head,
        glued=glued,
        starts_lower=head[0].islower(),
        ellipsis_end=text.endswith(("...", "…", "[…]", "[...]")),
        photo_credit=_maybe(PHOTO_CREDIT, low, gates & _CREDIT_BIT),
        about_header=words.size <= 6 and _maybe(ABOUT_HEADER, low, words.first & _ABOUT_BIT),
        timestamp_label=_maybe(TIMESTAMP_LABEL, low, words.first & _STAMP_BIT),
        comment_header=_maybe(COMMENT_HEADER, low, gates & _COMMENT_BIT),
        comment_byline=_maybe(COMMENT_BYLINE, low[-30:], gates & _SAID_BIT),
        furniture_cue=bool(gates & _CUE_BIT) or "©" in low or bool(unspaced),
    )


def _maybe(pattern: re.Pattern[str], text: str, possible: int) -> bool:
    """Search only when the line's words make a match possible."""
    return bool(possible) and pattern.search(text) is not None


# What each word is, as bits: which vocabularies hold it, which patterns it makes possible.
_STOP_BIT, _WEAK_BIT, _CALENDAR_BIT, _STRONG_BIT, _PHRASE_BIT = 1, 2, 4, 8, 16
_BYLINE_BIT, _CREDIT_BIT, _COMMENT_BIT, _SAID_BIT, _ABOUT_BIT, _STAMP_BIT, _CUE_BIT = (
    32,
    64,
    128,
    256,
    512,
    1024,
    2048,
)
_WORD_BITS: dict[str, int] = {}
for _bit, _vocabulary in (
    (_STOP_BIT, STOPWORDS),
    (_WEAK_BIT, WEAK_WORDS),
    (_CALENDAR_BIT, CALENDAR_WORDS),
    (_STRONG_BIT, STRONG_WORDS),
    (_PHRASE_BIT, frozenset(_PHRASE_TAILS)),
    (_BYLINE_BIT, _BYLINE_WORDS),
    (_CREDIT_BIT, _CREDIT_WORDS),
    (_COMMENT_BIT, _COMMENT_WORDS),
    (_SAID_BIT, _SAID_WORDS),
    (_ABOUT_BIT, _ABOUT_STARTS),
    (_STAMP_BIT, _TIMESTAMP_STARTS),
    (_CUE_BIT, FURNITURE_CUES),
):
    for _word in _vocabulary:
        _WORD_BITS[_word] = _WORD_BITS.get(_word, 0) | _bit


class _LineWords(NamedTuple):
    size: int
    alphabetic: int
    capitals: int
    stop: int
    weak: int
    calendar: int
    strong: int
    gates: int
    first: int


class _Words:
    """The words of every line, split once and looked up in the vocabularies all at once."""

    def __init__(self, heads: list[str]) -> None:
        per_line = [_WORD.findall(head) for head in heads]
        sizes = np.array([len(words) for words in per_line], dtype=np.int64)
        cased = list(itertools.chain.from_iterable(per_line))
        words = list(map(str.lower, cased))
        self.owner = np.repeat(np.arange(len(heads)), sizes)
        self.size = len(heads)
        bits = np.fromiter(map(_WORD_BITS.get, words, itertools.repeat(0)), np.int64, len(words))
        digits = np.fromiter(map(str.isdigit, words), bool, len(words))
        capitals = np.fromiter(
            map(str.isupper, map(operator.itemgetter(0), cased)), bool, len(words)
        )
        strong = self._per((bits & _STRONG_BIT) > 0)
        for k in np.flatnonzero(bits & _PHRASE_BIT).tolist():
            for tail in _PHRASE_TAILS[words[k]]:
                end = k + 1 + len(tail)
                if end <= len(words) and self.owner[end - 1] == self.owner[k]:
                    strong[self.owner[k]] += tuple(words[k + 1 : end]) == tail
        gates = np.zeros(len(heads), dtype=np.int64)
        np.bitwise_or.at(gates, self.owner, bits)
        first = np.zeros(len(heads), dtype=np.int64)
        has_words = sizes > 0
        first[has_words] = bits[(np.cumsum(sizes) - sizes)[has_words]]
        self.lines = list(
            zip(
                sizes.tolist(),
                (sizes - np.array(self._per(digits))).tolist(),
                self._per(capitals),
                self._per((bits & _STOP_BIT) > 0),
                self._per((bits & _WEAK_BIT) > 0),
                self._per((bits & _CALENDAR_BIT) > 0),
                strong,
                gates.tolist(),
                first.tolist(),
                strict=True,
            )
        )

    def _per(self, flags: npt.NDArray[np.bool_]) -> list[int]:
        """How many of each line's words are flagged."""
        return [int(v) for v in np.bincount(self.owner, weights=flags, minlength=self.size)]


class _Page:
    """The lines joined by newlines, so that one pattern search covers them all."""

    def __init__(self, lines: list[str]) -> None:
        self.text = "\n".join(lines)
        self.starts = [0, *itertools.accumulate(len(line) + 1 for line in lines)][:-1]

    def counts(self, pattern: re.Pattern[str], *, weigh: bool = False) -> list[int]:
        """How many matches (matched characters, with ``weigh``) start on each line."""
        out = [0] * len(self.starts)
        line, line_end = -1, -1
        for match in pattern.finditer(self.text):
            at = match.start()
            if at >= line_end:
                line = bisect.bisect_right(self.starts, at) - 1
                line_end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
            out[line] += match.end() - at if weigh else 1
        return out
