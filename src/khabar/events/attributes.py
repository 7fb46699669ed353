"""spaCy's attribute ruler and lemmatizer, remembered per word: the same output, for less.

In the English pipelines the two components take about half of a parse's time (measured on news
sentences), and nearly all of it goes to words they have seen before: what they assign to a
token (part of speech, morphology, lemma, and rarely a tag or label) depends only on the token's
text, tag and dependency label, except where one of the ruler's few two-word patterns ("let's",
"gonna", "there is") starts. So a word seen once with a tag and a label is looked up, not
recomputed. A sentence's unseen words go through the real components together, in a doc of
their own (no two-word pattern can match among them), and fill the table; a two-word pattern
goes through them as a pair, and two patterns in a row take the whole sentence.
"""

from __future__ import annotations

import re
from typing import Any

MAX_ENTRIES = 500_000  # about 100 MB at most; cleared when full, then refilled


class RememberedAttributes:
    """Replaces ``attribute_ruler`` + ``lemmatizer`` in a loaded pipeline (see ``install``)."""

    def __init__(self, ruler: Any, lemmatizer: Any) -> None:
        self.ruler = ruler
        self.lemmatizer = lemmatizer
        self.table: dict[tuple[int, int, int], tuple[int, int, int, int, int]] = {}
        self.starts_lower, self.starts_dep, self.starts_regex = _pattern_starts(ruler)
        self.misses = 0

    def __call__(self, doc: Any) -> Any:
        table = self.table
        found: list[tuple[int, int, int, int, int] | None] = []
        unseen: list[Any] = []
        tokens = list(doc)
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if self._starts_pattern(token):
                if i + 1 < len(tokens) and self._starts_pattern(tokens[i + 1]):
                    return self._compute(doc)  # patterns in a row: the real thing
                found += self._words(tokens[i : i + 2])  # a pattern, in its two words
                i += 2
                continue
            got = table.get((token.orth, token.tag, token.dep))
            if got is None:
                unseen.append(token)
            found.append(got)
            i += 1
        if unseen:
            # Words no pattern starts with, side by side: no two-word pattern can match them.
            new = iter(self._words(unseen))
            for token in unseen:
                got = next(new)
                self._remember(token, got)
                found[token.i] = got
        for token, (tag, dep, pos, morph, lemma) in zip(tokens, found, strict=True):  # type: ignore[misc]
            if token.tag != tag:
                token.tag = tag
            if token.dep != dep:
                token.dep = dep
            token.pos = pos
            token.set_morph(morph)
            token.lemma = lemma
        return doc

    def _starts_pattern(self, token: Any) -> bool:
        return (
            token.lower in self.starts_lower
            or token.dep in self.starts_dep
            or (self.starts_regex is not None and self.starts_regex.match(token.lower_) is not None)
        )

    def _words(self, tokens: list[Any]) -> list[tuple[int, int, int, int, int]]:
        """What the components assign to ``tokens`` in a doc of their own: their texts, tags
        and labels are all that the patterns and the lemmatizer read."""
        from spacy.tokens import Doc  # noqa: PLC0415

        self.misses += 1
        alone: Any = Doc(
            tokens[0].vocab,
            words=[t.text for t in tokens],
            spaces=[bool(t.whitespace_) for t in tokens],
        )
        for word, token in zip(alone, tokens, strict=True):
            word.tag, word.dep = token.tag, token.dep
        self.lemmatizer(self.ruler(alone))
        return [(w.tag, w.dep, w.pos, w.morph.key, w.lemma) for w in alone]

    def _remember(self, token: Any, got: tuple[int, int, int, int, int]) -> None:
        if len(self.table) > MAX_ENTRIES:
            self.table.clear()
        self.table[(token.orth, token.tag, token.dep)] = got

    def _compute(self, doc: Any) -> Any:
        return self.lemmatizer(self.ruler(doc))


def install(nlp: Any) -> RememberedAttributes | None:
    """Swap ``nlp``'s attribute ruler and lemmatizer (one after the other) for one remembering
    component in their place; None (and ``nlp`` unchanged) when it has not those two in a row.
    Installing twice changes nothing more."""
    names = list(nlp.pipe_names)
    if _FACTORY in names:
        return nlp.get_pipe(_FACTORY).target  # type: ignore[no-any-return]
    place = names.index("attribute_ruler") if "attribute_ruler" in names else -1
    if place < 0 or names[place + 1 : place + 2] != ["lemmatizer"]:
        return None
    _register()
    _, ruler = nlp.remove_pipe("attribute_ruler")
    _, lemmatizer = nlp.remove_pipe("lemmatizer")
    _word_lists_as_sets(lemmatizer)
    component = RememberedAttributes(ruler, lemmatizer)
    if place == 0:
        nlp.add_pipe(_FACTORY, first=True)
    else:
        nlp.add_pipe(_FACTORY, after=names[place - 1])
    nlp.get_pipe(_FACTORY).target = component
    return component


def _word_lists_as_sets(lemmatizer: Any) -> None:
    """The rule lemmatizer asks of every form its rules make whether it is in the word list of
    its part of speech (``lemma_index``): a list, of up to 57,000 English nouns, scanned word by
    word, which made the lemmatizer most of this component's time on unseen words. A set gives
    the same answers at once."""
    lookups = getattr(lemmatizer, "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for part_of_speech, words in list(table.items()):
        if isinstance(words, list):
            table[part_of_speech] = frozenset(words)


def _pattern_starts(ruler: Any) -> tuple[set[int], set[int], re.Pattern[str] | None]:
    """What the first word of each multi-word pattern can be: its lower-case forms (as string
    hashes), its dependency labels, and a regular expression for the rest."""
    strings = ruler.vocab.strings
    lowers: set[int] = set()
    deps: set[int] = set()
    regexes: list[str] = []
    for pattern in ruler.patterns:
        for words in pattern["patterns"]:
            if not isinstance(words, list) or len(words) < 2:
                continue
            first = words[0]
            for attr, spec in first.items():
                values = _values(spec)
                if attr == "LOWER" and isinstance(spec, dict) and "REGEX" in spec:
                    regexes.append(spec["REGEX"])
                elif attr == "LOWER":
                    lowers |= {strings.add(v) for v in values}
                elif attr == "DEP":
                    deps |= {strings.add(v) for v in values}
            if not {"LOWER", "DEP"} & set(first):  # a start we cannot pin down: always compute
                regexes.append(".")
    return lowers, deps, re.compile("|".join(f"(?:{r})" for r in regexes)) if regexes else None


def _values(spec: Any) -> list[str]:
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, dict) and "IN" in spec:
        return [str(v) for v in spec["IN"]]
    return []


class _Hook:
    """The pipeline slot: spaCy components are made by factories; this one forwards to the
    ``RememberedAttributes`` that ``install`` hands it."""

    def __init__(self) -> None:
        self.target: RememberedAttributes | None = None

    def __call__(self, doc: Any) -> Any:
        assert self.target is not None, "install() sets the target"
        return self.target(doc)


_FACTORY = "khabar_remembered_attributes"


def _register() -> None:
    from spacy.language import Language  # noqa: PLC0415 - spaCy loads only where a parse runs

    if not Language.has_factory(_FACTORY):

        @Language.factory(_FACTORY)
        def _make(nlp: Any, name: str) -> _Hook:
            return _Hook()
