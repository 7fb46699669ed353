"""ECB+ (Cybulska and Vossen, 2014) read as documents with gold events and event mentions.

ECB+ holds 982 English news documents in 43 topics. Each topic has two seminal real-world
events of the same kind (two different earthquakes, two different rehab check-ins): the
``<topic>_<n>ecb`` documents report one, the ``<topic>_<n>ecbplus`` documents the other. That
split is the gold for grouping documents by real-world event (``Document.event``). Inside the
documents, event mentions (markables tagged ``ACTION_*`` or ``NEG_ACTION_*``) are linked into
cross-document coreference chains, the gold for event-mention coreference (``Mention.chain``).

What is read, per gzipped CAT/CROMER XML file (``ECB+/<topic>/<topic>_<n>ecb[plus].xml.gz``):

- **text**: the tokens joined back as English is written (no space before "," "." "'s" "n't",
  quotes attached to what they quote), one sentence per line, with the spacing rules of the
  MEANTIME reader (``khabar.evaluate.time``). The two halves were tokenised differently: the
  ``ecbplus`` tokeniser also cut words at inner punctuation ("rear - ended", "U . S .",
  "6 . 1"), which is glued back, so that a system cannot tell the two events of a topic apart
  by how their text looks. The ``ecbplus`` files also carry the address of the page they came
  from as sentence 0; that is no part of the article (and would give the half away too), so it
  is left out of the text and kept as ``Document.url``.
- **mentions**: every event markable anchored to tokens, with character offsets into the text
  from its first token's start to its last token's end (a few markables skip a token, so the
  span then covers the words between). ``chain`` is the ``instance_id`` of the cross-document
  instance its ``CROSS_DOC_COREF`` relation points to; ``intra_chain`` names the
  ``INTRA_DOC_COREF`` chain of the few mentions that corefer within their document only.
- **annotated sentences**: the corpus was annotated with care only in the sentences listed in
  ``ECBplus_coreference_sentences.csv``; mentions elsewhere are partial. As is the ECB+
  convention, ``load()`` keeps only the mentions in those sentences unless
  ``annotated_only=False``, and ``Document.annotated`` gives their character spans so that a
  system's mentions can be restricted to them too.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import logging
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from khabar.evaluate.time import _space_between

log = logging.getLogger(__name__)

DEFAULT_DATA = Path("../shared/eval/ecbplus")
SENTENCES_CSV = "ECBplus_coreference_sentences.csv"
_EVENT_TAGS = ("ACTION_", "NEG_ACTION_")
_FILE_NAME = re.compile(r"^(?P<topic>\d+)_(?P<number>\d+)(?P<kind>ecb|ecbplus)\.xml\.gz$")
_URL_SENTENCE = "0"
_QUOTES = {"``": '"', "''": '"'}
_NO_SPACE_BEFORE = frozenset({"”", "’"})  # a closing quote, an apostrophe
_NO_SPACE_AFTER = frozenset({"“", "‘"})
_CONTRACTED = frozenset({"s", "t", "re", "ve", "ll", "d", "m"})  # after "’": "Lohan ’ s"
_WEB_PARTS = frozenset({"www", "com", "org", "net", "gov", "edu", "co", "uk", "html", "htm", "php"})
_THOUSANDS = re.compile(r"\d{1,3}")

__all__ = ["DEFAULT_DATA", "Document", "Mention", "load"]


@dataclass(frozen=True)
class Mention:
    """One event mention: where it is in its document's text and which gold chain it is in."""

    doc: str
    start: int
    end: int
    text: str
    kind: str
    chain: str | None
    intra_chain: str | None = None


@dataclass(frozen=True)
class Document:
    """One ECB+ document, its gold real-world event and its event mentions."""

    name: str
    topic: str
    event: str
    text: str
    mentions: tuple[Mention, ...]
    url: str | None = None
    annotated: tuple[tuple[int, int], ...] = ()

    def is_annotated(self, start: int, end: int) -> bool:
        """Whether the span lies in a sentence annotated with care, where a system's mentions
        can be scored without being punished for gold that was never marked."""
        return any(first <= start and end <= last for first, last in self.annotated)


def load(
    root: Path = DEFAULT_DATA,
    *,
    topics: Iterable[str] | None = None,
    limit: int | None = None,
    annotated_only: bool = True,
) -> list[Document]:
    """The ECB+ documents under ``root``, sorted by (topic number, name).

    ``root`` may be the ``ecbplus`` data folder, its ``ECB+_LREC2014`` folder, or any folder
    holding ``ECB+/<topic>/``. ``topics`` keeps only those topics ("1", "36"); ``limit`` stops
    after that many documents (in the sorted order). With ``annotated_only`` (the default) only
    mentions in the sentences of ``ECBplus_coreference_sentences.csv`` are kept.
    """
    began = time.perf_counter()
    corpus = _corpus_folder(root)
    annotated = _annotated_sentences(corpus.parent / SENTENCES_CSV, required=annotated_only)
    paths = _document_paths(corpus, None if topics is None else {str(t) for t in topics})
    if limit is not None:
        paths = paths[: max(limit, 0)]
    documents = [_read(path, annotated, annotated_only=annotated_only) for path in paths]
    log.info(
        "ECB+: %d documents, %d event mentions read from %s in %.2f s",
        len(documents),
        sum(len(d.mentions) for d in documents),
        corpus,
        time.perf_counter() - began,
    )
    return documents


# -- finding the files ----------------------------------------------------------------------------
def _corpus_folder(root: Path) -> Path:
    """The folder holding one sub-folder per topic; a clear error when there is none, since an
    evaluation run without its data should stop, not score nothing."""
    for candidate in (root / "ECB+_LREC2014" / "ECB+", root / "ECB+", root):
        if candidate.is_dir() and next(candidate.glob("*/*.xml.gz"), None) is not None:
            return candidate
    raise FileNotFoundError(
        f"no ECB+ corpus at {root}: expected <topic>/<topic>_<n>ecb.xml.gz and "
        f"..ecbplus.xml.gz files under {root / 'ECB+_LREC2014' / 'ECB+'} or {root / 'ECB+'}. "
        f"The data belongs in {DEFAULT_DATA} (see its SOURCE.txt); it is not part of khabar."
    )


def _document_paths(corpus: Path, topics: set[str] | None) -> list[Path]:
    found: list[tuple[int, str, Path]] = []
    for path in corpus.glob("*/*.xml.gz"):
        match = _FILE_NAME.match(path.name)
        if match is None:
            log.debug("ECB+: %s is not a corpus file name, skipped", path)
            continue
        topic = match["topic"]
        if topics is None or topic in topics:
            found.append((int(topic), _name(path), path))
    if topics is not None:
        missing = topics - {str(number) for number, _, _ in found}
        if missing:
            log.warning("ECB+: no documents for topics %s in %s", sorted(missing), corpus)
    return [path for _, _, path in sorted(found)]


def _name(path: Path) -> str:
    return path.name.removesuffix(".xml.gz")


def _annotated_sentences(path: Path, *, required: bool) -> dict[str, frozenset[str]]:
    """Document name -> the sentence numbers annotated with care, from the corpus CSV
    (``Topic,File,Sentence Number``: ``1,10ecbplus,3`` is sentence 3 of ``1_10ecbplus``)."""
    if not path.is_file():
        if required:
            raise FileNotFoundError(
                f"no {SENTENCES_CSV} at {path}: it lists the sentences ECB+ annotated, which "
                "annotated_only=True needs (pass annotated_only=False to keep every mention)"
            )
        return {}
    sentences: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            topic, file, number = row["Topic"], row["File"], row["Sentence Number"]
            sentences.setdefault(f"{topic.strip()}_{file.strip()}", set()).add(number.strip())
    return {name: frozenset(numbers) for name, numbers in sentences.items()}


# -- reading one document -------------------------------------------------------------------------
def _read(path: Path, annotated: Mapping[str, frozenset[str]], *, annotated_only: bool) -> Document:
    match = _FILE_NAME.match(path.name)
    assert match is not None  # _document_paths only yields corpus file names
    name, topic = _name(path), match["topic"]
    with gzip.open(path) as stream:
        root = ElementTree.parse(stream).getroot()
    tokens = list(root.iter("token"))
    url = _url(tokens) if match["kind"] == "ecbplus" else None
    if url is not None:
        tokens = [t for t in tokens if t.get("sentence") != _URL_SENTENCE]
    text, offsets, sentences = _join(tokens, split_words=match["kind"] == "ecbplus")
    sentence_of = {t.get("t_id", ""): t.get("sentence", "") for t in tokens}
    chosen = annotated.get(name, frozenset())
    mentions = [
        mention
        for mention, ids in _mentions(root, name, text, offsets)
        if not annotated_only or {sentence_of[i] for i in ids} <= chosen
    ]
    return Document(
        name=name,
        topic=topic,
        event=f"{topic}/{match['kind']}",
        text=text,
        mentions=tuple(sorted(mentions, key=lambda m: (m.start, m.end))),
        url=url,
        annotated=tuple(span for number, span in sentences if number in chosen),
    )


def _url(tokens: list[Element]) -> str | None:
    """The page address an ``ecbplus`` file keeps as sentence 0, its pieces joined without
    spaces (the tokeniser split it at every punctuation mark); None when sentence 0 is text."""
    pieces = [t.text or "" for t in tokens if t.get("sentence") == _URL_SENTENCE]
    joined = "".join(pieces).strip()
    return joined if joined.startswith(("http", "www.")) else None


# -- joining the tokens --------------------------------------------------------------------------
def _join(
    tokens: list[Element], *, split_words: bool
) -> tuple[str, dict[str, tuple[int, int]], list[tuple[str, tuple[int, int]]]]:
    """The tokens joined as English is written, one sentence a line: the text, each token's
    (start, end) by token id, and each sentence's number and (start, end).

    Spacing follows the MEANTIME joiner (``khabar.evaluate.time``). ``split_words`` is for the
    ``ecbplus`` files, whose tokeniser also cut words at inner punctuation ("rear - ended",
    "U . S .", "6 . 1", "Lohan ’ s", "170 , 000", "- -"): such marks are glued back, so that the two
    halves of a topic do not differ in how their text looks, only in what it says.
    """
    parts: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    sentences: list[tuple[str, tuple[int, int]]] = []
    size = 0
    for number, group in itertools.groupby(tokens, key=lambda t: t.get("sentence", "")):
        sentence = list(group)
        words = [_QUOTES.get(t.text or "", t.text or "") for t in sentence]
        if sentences:
            parts.append("\n")
            size += 1
        start, open_quote = size, False
        for i, (token, word) in enumerate(zip(sentence, words, strict=True)):
            if i and _space(words, i, open_quote, split_words=split_words):
                parts.append(" ")
                size += 1
            if word == '"':
                open_quote = not open_quote
            offsets[token.get("t_id", "")] = (size, size + len(word))
            parts.append(word)
            size += len(word)
        sentences.append((number, (start, size)))
    return "".join(parts), offsets, sentences


def _space(words: list[str], i: int, open_quote: bool, *, split_words: bool) -> bool:
    """Whether a space goes before ``words[i]`` (``i`` > 0)."""
    previous, word = words[i - 1], words[i]
    if word in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER:
        return False
    if split_words and (_inner(words, i) or _inner(words, i - 1) or previous == word == "-"):
        return False  # "- -" is a dash written "--"
    return _space_between(previous, word, open_quote)


def _inner(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` is punctuation a tokeniser cut out of the middle of one word."""
    if not 0 < i < len(words) - 1:
        return False
    before, mark, after = words[i - 1], words[i], words[i + 1]
    if not (before[-1:].isalnum() and after[:1].isalnum()):
        return False
    if mark in ("-", "/"):
        return True
    if mark == "’":
        return after in _CONTRACTED
    if mark == ":":
        return before[-1].isdigit() and after[0].isdigit()  # 11:00
    if mark == ",":
        return bool(_THOUSANDS.fullmatch(before)) and len(after) == 3 and after.isdigit()
    if mark == ".":
        return (
            (before[-1].isdigit() and after[0].isdigit())  # 6.1
            or (len(before) == len(after) == 1 and before.isalpha())  # U.S, p.m
            or before.lower() in _WEB_PARTS
            or after.lower() in _WEB_PARTS  # www.latimes.com
        )
    return False


# -- the mentions ---------------------------------------------------------------------------------
def _mentions(
    root: Element, name: str, text: str, offsets: Mapping[str, tuple[int, int]]
) -> list[tuple[Mention, list[str]]]:
    """Every event mention anchored to tokens in the text, with the ids of its tokens."""
    markables = root.find("Markables")
    if markables is None:
        return []
    chains, intra_chains = _chains(root, markables, name)
    found: list[tuple[Mention, list[str]]] = []
    for node in markables:
        if not node.tag.startswith(_EVENT_TAGS):
            continue
        ids = [a.get("t_id", "") for a in node.iter("token_anchor")]
        spans = [offsets[i] for i in ids if i in offsets]
        if not spans:
            continue  # a cross-document instance (no tokens) or a markable left empty
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        m_id = node.get("m_id", "")
        mention = Mention(
            doc=name,
            start=start,
            end=end,
            text=text[start:end],
            kind=node.tag,
            chain=chains.get(m_id),
            intra_chain=intra_chains.get(m_id),
        )
        found.append((mention, [i for i in ids if i in offsets]))
    return found


def _chains(root: Element, markables: Element, name: str) -> tuple[dict[str, str], dict[str, str]]:
    """Mention id -> cross-document chain (the target instance's ``instance_id``), and mention
    id -> within-document chain (named after the document and the relation, being local)."""
    instances = {
        node.get("m_id", ""): node.get("instance_id", "")
        for node in markables
        if node.get("instance_id")
    }
    chains: dict[str, str] = {}
    intra_chains: dict[str, str] = {}
    relations = root.find("Relations")
    for relation in () if relations is None else relations:
        target = relation.find("target")
        target_id = "" if target is None else target.get("m_id", "")
        sources = [s.get("m_id", "") for s in relation.iter("source")]
        if relation.tag == "CROSS_DOC_COREF":
            chain = instances.get(target_id) or relation.get("note")
            if not chain:
                log.warning("ECB+ %s: relation %s has no instance", name, relation.get("r_id"))
                continue
            chains.update(dict.fromkeys(sources, chain))
        elif relation.tag == "INTRA_DOC_COREF":
            local = f"{name}/{relation.get('r_id') or target_id}"
            intra_chains.update(dict.fromkeys(sources, local))
    return chains, intra_chains
