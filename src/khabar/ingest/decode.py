"""Bytes to text without garbling non-UTF-8 pages.

Order of evidence: a byte-order mark; strict UTF-8 (valid UTF-8 is almost never an accident);
the charset the page or its delivery declares; statistical detection (charset-normalizer); and,
last, Windows-1252 with replacement characters, so that decoding never fails.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,500}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
# Browsers read these labels as Windows-1252 (WHATWG Encoding Standard); so do we.
_WHATWG_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}
_LAX = frozenset({"cp1252"})
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13, 27}
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    method: str  # bom | utf-8 | declared | detected | fallback


def has_bom(data: bytes) -> bool:
    return any(data.startswith(bom) for bom, _ in _BOMS)


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes, or many control characters, near the start."""
    head = data[:8192]
    if not head or has_bom(head):
        return False
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL))  # bytes.translate: C speed
    return controls > len(head) * 0.05


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag near its start, if any."""
    match = _META_CHARSET.search(data[:16384])
    return match.group(1).decode("ascii", "replace") if match else None


def codec_name(label: str | None) -> str | None:
    """A Python codec name for an encoding label, or None when the label is unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _WHATWG_ALIASES.get(name, name)


def decode(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode ``data``; ``declared`` is a charset from the delivery (e.g. an HTTP header)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(name, errors="replace"), name, "bom")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    lax_label = None
    for label in (declared, declared_charset(data)):
        codec = codec_name(label)
        if codec in _LAX:
            # Windows-1252 decodes nearly any bytes, so a wrong label would go unnoticed:
            # let detection confirm it (it is preferred on a tie).
            lax_label = codec
        elif codec and codec != "utf-8":
            try:
                return Decoded(data.decode(codec), codec, "declared")
            except UnicodeDecodeError:
                continue
    codec = _detect(data)
    if codec is not None:
        method = "declared" if codec == lax_label else "detected"
        return Decoded(data.decode(codec, errors="replace"), codec, method)
    return Decoded(data.decode("cp1252", errors="replace"), "cp1252", "fallback")


def _detect(data: bytes) -> str | None:
    """charset-normalizer's best guess; among equally good guesses, Windows-1252 (the web's
    most common legacy encoding: French read as Central European would garble accents)."""
    results = list(from_bytes(data))
    if not results:
        return None
    best = results[0]
    tied = [r for r in results if r.chaos <= best.chaos and r.coherence >= best.coherence - 0.01]
    names = [codec_name(r.encoding) or str(r.encoding) for r in tied]
    return "cp1252" if "cp1252" in names else names[0]
