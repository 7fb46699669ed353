"""What a line of page furniture is: the label a removed line gets, and the lines always removed.

``furniture(text)`` names the kind of boilerplate a line plainly is ("advertisement", "share",
"cookie", ...) or returns None. Its patterns are shapes of site furniture seen across the news
web (a lone "Share this:", "- Advertisement -", "Please enter your name here"), never one
site's strings, and they only fire on short lines, so a paragraph that mentions cookies or
newsletters stays. A line they name is removed whatever the line model says.
"""

from __future__ import annotations

import re
from typing import Literal

from khabar.extract.line_shape import MAX_FEATURE_CHARS, Shape, vocabulary

Label = Literal[
    "date_widget", "dateline", "byline", "author_box", "navigation", "advertisement", "share",
    "related", "comment_form", "captcha", "cookie", "newsletter", "footer", "caption",
    "section_label", "headline", "duplicate", "other",
]  # fmt: skip

SHORT = 12
MEDIUM = 30
LONG = 60

_ADVERTISEMENT = re.compile(
    r"^[\W_]*(?:advertisement|advertising|advert|ads?|sponsored(?: content| links?)?|"
    r"paid (?:content|post)|promoted(?: content)?|anzeige|werbung|publicidad|publicidade|"
    r"publicité|pubblicità|реклама|広告|スポンサー(?:ドリンク|リンク)?)[\W_]*$",
)
_SHARE = re.compile(
    r"^[\W_]*(?:share(?: this(?: article| story| post)?| on \w+| via \w+| the story)?|"
    r"tweet|pin(?: it)?|email|e-mail|print|copy(?: the)? link|facebook|twitter|x|whatsapp|"
    r"telegram|linkedin|reddit|pinterest|tumblr|messenger|viber|flipboard|pocket|google\+?|"
    r"sms|mail|compartir|compartilhar|partager|teilen|condividi|поделиться|シェア)"
    r"[\W_]*$|^(?:click to )?share (?:on|via|this)\b[^.?!]*$|"
    r"^follow (?:us|him|her|them|on|@)[^.?!]*$",
)
_RELATED = re.compile(
    r"^[\W_]*(?:related(?: articles?| stories| news| posts?| content| coverage| topics| links)?|"
    r"read (?:more|next|also|this)|also read|see also|see more|more (?:articles|stories|news|"
    r"from [\w ]+|on this)|more articles|recommended(?: for you)?|you (?:may|might) also like|"
    r"further reading|trending(?: now| news)?|most (?:popular|read|viewed|shared|commented)|"
    r"popular(?: posts| stories| now)?|latest(?: news| stories| posts)?|top stories|"
    r"editor'?s picks?|don'?t miss|watch|listen|leia (?:também|mais)|veja também|"
    r"lea también|lire aussi|à lire aussi|weiterlesen|leggi anche|baca juga|читайте также|"
    r"関連記事)\b[\W_]*(?::|›|»|\||–|—|-|$)",
)
_TAGS = re.compile(r"^(?:tags?|topics?|filed under|posted in|categories|category)\s*:")
_COOKIE = re.compile(
    r"cookie.*(?:we use|this (?:web)?site|accept|consent|agree|policy|settings|preferences|"
    r"continu)|(?:we use|this (?:web)?site uses|accept|consent to).*cookie",
)
_CAPTCHA = re.compile(r"captcha|verify (?:that )?you(?:'re| are) (?:not a robot|human)")
_COMMENT_FORM = re.compile(
    r"^(?:leave a (?:reply|comment)|post (?:a )?comment|add (?:a )?comment|submit comment|"
    r"cancel reply|reply|(?:\d+ )?comments?)\s*:?$|"
    r"^(?:name|email|e-mail|website|comment|message)\s*(?:\*|:)|"
    r"your email address will not be published|required fields are marked|"
    r"please enter (?:your|a valid) (?:comment|name|e-?mail)|you have entered an incorrect|"
    r"save my name,? email|notify me of (?:follow-up|new) (?:comments|posts)|"
    r"comments are closed|you must be logged in|log in to (?:comment|reply)|"
    r"join the (?:discussion|conversation)",
)
_NEWSLETTER = re.compile(
    r"newsletter|sign up|subscribe|enter your e-?mail|get (?:the|our) .* in your inbox|"
    r"delivered (?:to|straight to) your inbox",
)
_FOOTER = re.compile(
    r"©|\(c\) ?\d{4}|copyright|all rights reserved|privacy policy|terms of (?:use|service)|"
    r"direitos reservados|derechos reservados|droits réservés|rechte vorbehalten|"
    r"diritti riservati|права защищены",
)
SHARE_BUTTONS = vocabulary(
    """share tweet pin email mail print copy link facebook twitter x whatsapp telegram linkedin
    reddit pinterest tumblr messenger viber flipboard pocket google sms line vk weibo wechat
    compartir compartilhar partager teilen condividi"""
)
_WORD = re.compile(r"\w+")
_LOGIN = re.compile(r"^(?:log ?in|sign ?in|log ?out|register|my account|search)\b")


def furniture(text: str, s: Shape) -> Label | None:
    """The kind of boilerplate a line plainly is, or None when only the model can tell."""
    if s.words > LONG:
        return None
    if s.furniture_cue:  # without a cue word no pattern below can match: skip them
        low = text[:MAX_FEATURE_CHARS].lower()
        for label, pattern, max_words in _RULES:
            if s.words <= max_words and pattern.search(low):
                return label
        if s.words <= SHORT and _mostly_share_buttons(low):
            return "share"
    if s.words <= SHORT and s.comment_byline and not s.sentence_end:
        return "comment_form"  # "jane123 says:"
    return None


def _mostly_share_buttons(low: str) -> bool:
    """A row of share buttons: "Whatsapp Facebook Pint Baixar", "Tweet Share Email"."""
    words = _WORD.findall(low)
    buttons = sum(w in SHARE_BUTTONS for w in words)
    return buttons >= 2 and 3 * buttons >= 2 * len(words)


_RULES: tuple[tuple[Label, re.Pattern[str], int], ...] = (
    ("advertisement", _ADVERTISEMENT, 4),
    ("captcha", _CAPTCHA, MEDIUM),
    ("cookie", _COOKIE, LONG),
    ("comment_form", _COMMENT_FORM, MEDIUM),
    ("share", _SHARE, SHORT),
    ("related", _RELATED, MEDIUM),
    ("navigation", _TAGS, MEDIUM),
    ("newsletter", _NEWSLETTER, SHORT),
    ("footer", _FOOTER, MEDIUM),
    ("navigation", _LOGIN, 3),
)


def guess_label(text: str, s: Shape, run_length: int) -> Label:
    """The label for a line the model removed that ``furniture`` does not name: its shape's."""
    if s.words <= MEDIUM and s.photo_credit:
        return "caption"
    if (run_length >= 3 and s.words <= SHORT) or (s.separators >= 2 and s.words <= MEDIUM):
        return "navigation"
    if s.strong and s.words <= MEDIUM:
        return _strong_kind(text)
    if s.date_share >= 0.99 or (s.timestamp_label and s.words <= SHORT):
        return "dateline"
    return "other"


def _strong_kind(text: str) -> Label:
    low = text[:MAX_FEATURE_CHARS].lower()
    if _NEWSLETTER.search(low):
        return "newsletter"
    if _FOOTER.search(low):
        return "footer"
    return "other"
