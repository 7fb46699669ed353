"""Which sentences to parse, and the parse: spaCy's full English pipeline, loaded once.

Parsing is the expensive part of event coding (about 5,000 tokens per CPU-second here), so only
*candidate* sentences are parsed: those holding a word form of the trigger lexicon (a set
lookup over lower-cased words, generated once from the lexicon's lemmas with their inflections)
where one of those words' readings can hold, as far as the sentence's words tell
(:class:`TriggerFilter`), or, in the combined typing mode, a sentence the classifier types as
an event. Text past
``max_chars`` is not read at all, which bounds the cost of a huge page.

Headlines are written in title case, which the tagger reads as a string of proper nouns; a
sentence that is mostly capitalised words is parsed with those words lower-cased (same length,
so every offset still points into the original text).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from khabar.events.attributes import install as install_remembered_attributes
from khabar.events.lexicon import NONE, Condition, Lexicon
from khabar.nlp.models import load_pipeline

log = logging.getLogger(__name__)

# Components event coding does not need: the article's entities come from the NER stage.
NOT_NEEDED = ("ner",)
# Prefixes after which a hyphen does not split a word ("co-host", "cease-fire", "sit-in").
# Case-sensitive, as spaCy's infix rules are: a capitalised "Co-" is split as before.
HYPHEN_PREFIXES = (
    "co",
    "re",
    "cease",
    "sit",
    "test",
    "air",
    "counter",
    "anti",
    "pre",
    "non",
    "self",
)
_PREFIXES = frozenset(HYPHEN_PREFIXES)
HYPHENS = frozenset({"-", "–", "—", "--", "---", "——", "~"})  # spaCy's infix hyphens
WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
# Past tenses and participles that do not start with their lemma (only those the lexicon needs).
IRREGULAR = {
    "meet": ("met",),
    "hold": ("held",),
    "give": ("gave", "given"),
    "send": ("sent",),
    "shoot": ("shot",),
    "fight": ("fought",),
    "seek": ("sought",),
    "strike": ("struck",),
    "swear": ("swore", "sworn"),
    "undertake": ("undertook", "undertaken"),
    "begin": ("began", "begun"),
    "withdraw": ("withdrew", "withdrawn"),
    "overrun": ("overran",),
    "retake": ("retook", "retaken"),
    "forgive": ("forgave", "forgiven"),
    "take": ("took", "taken"),
    "go": ("went", "gone"),
    "make": ("made",),
    "break": ("broke", "broken"),
    "blow": ("blew", "blown"),
    "throw": ("threw", "thrown"),
    "stand": ("stood",),
    "beat": ("beaten",),
    "freeze": ("froze", "frozen"),
    "pay": ("paid",),
    "lay": ("laid",),
    "rise": ("rose", "risen"),
    "bring": ("brought",),
    "speak": ("spoke", "spoken"),
    "run": ("ran",),
}


@functools.cache
def load_parser(name: str) -> Any:
    """spaCy pipeline ``name``, shared with the NER stage, with the attribute ruler and the
    lemmatizer remembered per word (``events.attributes``); parsing disables NER."""
    nlp = load_pipeline(name, stage="events.code.v1")
    install_remembered_attributes(nlp)
    return nlp


def join_prefixed_words(doc: Any) -> Any:
    """Keep "co-hosted", "cease-fire", "sit-in" one word: spaCy splits every hyphen between
    letters, and the tagger then reads "co - hosted" as three verbs. The pieces are merged
    after tokenizing, which gives the tokens a tokenizer without that split would (the shared
    tokenizer is left as the NER stage uses it)."""
    merges = []
    i, n = 0, len(doc)
    while i + 2 < n:
        j = i
        while j + 2 < n and _prefix_then_hyphen(doc[j], doc[j + 1], doc[j + 2]):
            j += 2  # "re-co-hosted" is one word too
        if j > i:
            merges.append(doc[i : j + 1])
            i = j + 1
        else:
            i += 1
    if merges:
        with doc.retokenize() as retokenizer:
            for span in merges:
                retokenizer.merge(span)
    return doc


def _prefix_then_hyphen(prefix: Any, hyphen: Any, word: Any) -> bool:
    return (
        prefix.text in _PREFIXES
        and not prefix.whitespace_
        and hyphen.text in HYPHENS
        and not hyphen.whitespace_
        and word.text[:1].isalpha()
    )


def inflections(lemma: str) -> set[str]:
    """The forms a lemma takes in running text (regular rules plus the irregular table)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms.update(IRREGULAR.get(lemma, ()))
    return forms


def trigger_forms(lexicon: Lexicon) -> frozenset[str]:
    """Every inflected form of every lexicon word: the cheap test for a candidate sentence."""
    forms: set[str] = set()
    for word in lexicon.words:
        forms |= inflections(word)
    return frozenset(forms)


def has_trigger_word(text: str, forms: frozenset[str]) -> bool:
    return any(word in forms for word in WORD.findall(text.lower()))


# Frames that only change an event their complement names (its status, or its negation): alone
# they make none, so a sentence needs another trigger for them to matter. LIGHT likewise.
_ONLY_WITH_AN_EVENT = frozenset({"LIGHT", "PLAN_TO", "DENY", "FAIL_TO", NONE})
# Classes a proper noun satisfies whatever its words ("attacked Ahmed", "helped Gazans").
_ANY_PROPER_NOUN = frozenset({"person", "civil"})
# Irregular plurals of the people a condition's class may name.
_PLURALS = {"man": "men", "woman": "women", "child": "children", "person": "people"}


class TriggerFilter:
    """Whether a sentence can hold an event, judged from its words alone, before the parse.

    A sentence holds a trigger form (see :func:`trigger_forms`), but most of those words make an
    event only under conditions ("take" with "steps", "end" with a ceasefire, "game" with
    "war"), and about two thirds of such sentences in news hold none. Every condition on an
    object, subject, modifier, particle or preposition names words (or a class of words) that
    must then be in the sentence; a sentence where no reading of any of its trigger words can
    hold is not parsed. Conditions the words cannot decide (a clausal complement, a missing
    object, a proper noun for a person) are taken to hold, and so is a sentence with "must"
    (the demand frame needs no trigger word), so the filter only ever drops what the parse would
    have found no event in, as far as the words' inflections are known.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        needs: dict[str, list[tuple[frozenset[str], ...]]] = {}
        for (word, _), readings in lexicon.readings.items():
            for reading in readings:
                if reading.type in _ONLY_WITH_AN_EVENT:
                    continue
                need = tuple(
                    n for c in reading.conditions if (n := _needed_words(c, lexicon)) is not None
                )
                for form in inflections(word):
                    needs.setdefault(form, []).append(need)
        self.needs = {form: tuple(dict.fromkeys(n)) for form, n in needs.items()}

    def possible(self, text: str, forms: frozenset[str]) -> bool:
        words = WORD.findall(text.lower())
        present = set(words)
        for word in words:
            present.update(word.split("-"))
        if "must" in present:
            return any(word in forms for word in words)
        for word in words:
            if word not in forms:
                continue
            for need in self.needs.get(word, ()):
                if all(not alternatives.isdisjoint(present) for alternatives in need):
                    return True
        return False


def _needed_words(condition: Condition, lexicon: Lexicon) -> frozenset[str] | None:
    """Words one of which must be in the sentence for ``condition`` to hold (None: any)."""
    if condition.negated or condition.slot == "xcomp":
        return None
    if condition.words:
        members: Iterable[str] = condition.words
    elif condition.word_class is not None and condition.word_class not in _ANY_PROPER_NOUN:
        members = lexicon.classes.get(condition.word_class, frozenset())
    else:
        return None
    needed: set[str] = set()
    for member in members:
        if " " in member:
            continue  # a token's word or lemma never holds a space: it cannot match
        needed |= inflections(member)
        needed.update(member[: -len(m)] + p for m, p in _PLURALS.items() if member.endswith(m))
    return frozenset(needed)


def looks_like_headline(text: str) -> bool:
    """Most words capitalised and no full stop, as in a title: "Pakistan-US to Initiate Talks
    Next Month"."""
    if text.rstrip().endswith((".", "!", "?", ".”", '."')):
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'’]+", text)
    long_words = [w for w in words if len(w) > 3]
    if len(long_words) < 4:
        return False
    capitalised = sum(w[0].isupper() for w in long_words)
    return bool(capitalised / len(long_words) >= 0.7)


def recase_headline(text: str, keep: Iterable[tuple[int, int]]) -> str:
    """Lower-case a headline's words except inside ``keep`` (names), keeping every offset."""
    protected = [False] * len(text)
    for start, end in keep:
        for i in range(max(start, 0), min(end, len(text))):
            protected[i] = True
    chars = list(text)
    for i, ch in enumerate(chars):
        if not protected[i]:
            low = ch.lower()
            if len(low) == 1:
                chars[i] = low
    return "".join(chars)


@dataclass(frozen=True)
class ParsedSentence:
    """A parsed sentence: the spaCy doc and the sentence's start offset in the article text."""

    start: int
    end: int
    doc: Any
    headline: bool


def parse_sentences(
    nlp: Any,
    text: str,
    spans: Sequence[tuple[int, int]],
    names: Sequence[tuple[int, int]],
    batch_size: int = 64,
) -> list[ParsedSentence]:
    """Parse the sentences ``spans`` of ``text``; headlines are recased around ``names``."""
    return parse_texts(nlp, [(text, spans, names)], batch_size)[0]


Sentences = tuple[str, Sequence[tuple[int, int]], Sequence[tuple[int, int]]]


def parse_texts(
    nlp: Any, texts: Sequence[Sentences], batch_size: int = 64
) -> list[list[ParsedSentence]]:
    """:func:`parse_sentences` for several texts at once (``(text, spans, names)`` each), in
    one pass of the model: its matrices grow with the batch, which is what makes it cheaper."""
    prepared: list[tuple[int, int, int, str, bool]] = []
    for i, (text, spans, names) in enumerate(texts):
        for start, end in spans:
            piece = text[start:end]
            headline = looks_like_headline(piece)
            if headline:
                inside = [(s - start, e - start) for s, e in names if s < end and e > start]
                piece = recase_headline(piece, inside)
            prepared.append((i, start, end, piece, headline))
    disable = [name for name in NOT_NEEDED if name in nlp.pipe_names]
    words = (join_prefixed_words(nlp.make_doc(p)) for _, _, _, p, _ in prepared)
    docs = nlp.pipe(words, batch_size=batch_size, disable=disable)
    parsed: list[list[ParsedSentence]] = [[] for _ in texts]
    for (i, start, end, _, headline), doc in zip(prepared, docs, strict=True):
        parsed[i].append(ParsedSentence(start, end, doc, headline))
    return parsed
