"""The actor knowledge base: TSV files of countries, organisations, armed groups and role nouns.

Each file starts with optional ``#`` comment lines, then a header naming its columns; the header
says what the file holds (see ``docs/actors.md``):

- countries: ``id iso3 name aliases demonyms people capitals status source``
- organisations (bodies, IGOs, NGOs, parties, media, armed groups, people):
  ``id kind name country sector aliases source``
- roles: ``id sector title singular plural default_country source``
- words: ``text kind source`` (``stop``, ``modifier``, ``locative`` or ``block``)

Several values in one cell are separated by ``|``. Every row names its source. The packaged
files load first; a user's files (``extra_kb``) load after them, and a row whose ``id`` is
already known replaces the packaged one. A bad row is an error naming the file, the line and
the problem: the knowledge base is checked once, before any article runs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from khabar.actors.codes import BLOCS, SECTORS, is_state, valid_country, valid_sector
from khabar.core.errors import ConfigError

log = logging.getLogger(__name__)

PACKAGED = (
    "countries.tsv",
    "igos.tsv",
    "bodies.tsv",
    "groups.tsv",
    "places.tsv",
    "roles.tsv",
    "words.tsv",
)
COUNTRY_COLUMNS = ("id", "iso3", "name", "aliases", "demonyms", "people", "capitals", "status")
ORG_COLUMNS = ("id", "kind", "name", "country", "sector", "aliases")
ROLE_COLUMNS = ("id", "sector", "title", "singular", "plural", "default_country")
WORD_COLUMNS = ("text", "kind")
ORG_KINDS = frozenset(
    {"igo", "ngo", "body", "party", "media", "company", "group", "person", "place"}
)
WORD_KINDS = frozenset({"stop", "modifier", "locative", "block"})

Form = Literal["name", "demonym", "people", "capital", "role", "block"]
Title = Literal["yes", "only", "no"]


class KnowledgeBaseError(ConfigError):
    """A knowledge-base file is missing, malformed, or has an invalid row."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One actor the knowledge base knows by name: a country, a body, a group, a person..."""

    id: str
    kind: str
    name: str
    country: str
    sector: str | None
    source: str


@dataclass(frozen=True, slots=True)
class Role:
    """A role noun or title: what sector it names, whether it stands before personal names."""

    id: str
    sector: str | None
    title: Title
    default_country: str | None
    source: str


@dataclass(frozen=True, slots=True)
class Alias:
    """A surface form to look for in text, and what it means there."""

    text: str
    form: Form
    entry: Entry | None = None
    role: Role | None = None
    plural: bool = False


@dataclass
class KnowledgeBase:
    entries: dict[str, Entry] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    aliases: dict[str, Alias] = field(default_factory=dict)  # by surface text
    stop_words: set[str] = field(default_factory=set)
    modifiers: set[str] = field(default_factory=set)
    locatives: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def stats(self) -> dict[str, object]:
        """Counts for reports: entries and aliases by kind, roles, role forms, words."""
        by_kind: dict[str, int] = {}
        for entry in self.entries.values():
            by_kind[entry.kind] = by_kind.get(entry.kind, 0) + 1
        alias_kinds: dict[str, int] = {}
        for alias in self.aliases.values():
            kind = alias.entry.kind if alias.entry else alias.form
            alias_kinds[kind] = alias_kinds.get(kind, 0) + 1
        return {
            "entries": len(self.entries),
            "entries_by_kind": dict(sorted(by_kind.items())),
            "roles": len(self.roles),
            "aliases": len(self.aliases),
            "aliases_by_kind": dict(sorted(alias_kinds.items())),
            "stop_words": len(self.stop_words),
            "modifiers": len(self.modifiers),
            "files": list(self.files),
        }


def packaged_dir() -> Path:
    return Path(str(resources.files("khabar").joinpath("data/actors")))


@cache
def _load_cached(extra: tuple[str, ...]) -> KnowledgeBase:
    return _load([packaged_dir() / name for name in PACKAGED] + [Path(p) for p in extra])


def load_kb(extra: Sequence[str | Path] = ()) -> KnowledgeBase:
    """The packaged knowledge base plus the user's files, loaded once per process and cached."""
    return _load_cached(tuple(str(p) for p in extra))


def _load(paths: Iterable[Path]) -> KnowledgeBase:
    kb = KnowledgeBase()
    rows: list[tuple[Path, int, dict[str, str], tuple[str, ...]]] = []
    for path in paths:
        header, file_rows = _read(path)
        kb.files.append(str(path))
        rows.extend((path, line, row, header) for line, row in file_rows)
    # Entries and roles first (later files override by id), then their aliases.
    for path, line, row, header in rows:
        try:
            _add(kb, header, row)
        except ValueError as exc:
            raise KnowledgeBaseError(f"{path}:{line}: {exc}") from None
    _index_aliases(kb, rows)
    return kb


def _read(path: Path) -> tuple[tuple[str, ...], list[tuple[int, dict[str, str]]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError(
            f"cannot read actor knowledge-base file {path}: {exc}; check the path in extra_kb"
        ) from exc
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = [c.strip() for c in raw.split("\t")]
        if header is None:
            header = tuple(cells)
            _check_header(path, header)
            continue
        if len(cells) != len(header):
            raise KnowledgeBaseError(
                f"{path}:{number}: {len(cells)} tab-separated cells, the header has {len(header)}"
            )
        rows.append((number, dict(zip(header, cells, strict=True))))
    if header is None:
        raise KnowledgeBaseError(f"{path}: no header line; see docs/actors.md for the columns")
    return header, rows


def _check_header(path: Path, header: tuple[str, ...]) -> None:
    if "source" not in header or _kind_of(header) is None:
        raise KnowledgeBaseError(
            f"{path}: header {' '.join(header)!r} is not one khabar knows; a file holds "
            f"countries ({' '.join(COUNTRY_COLUMNS)}), organisations ({' '.join(ORG_COLUMNS)}), "
            f"roles ({' '.join(ROLE_COLUMNS)}) or words ({' '.join(WORD_COLUMNS)}), each with "
            "a 'source' column; see docs/actors.md"
        )


def _kind_of(header: tuple[str, ...]) -> str | None:
    columns = set(header) - {"source"}
    for kind, wanted in (
        ("country", COUNTRY_COLUMNS),
        ("org", ORG_COLUMNS),
        ("role", ROLE_COLUMNS),
        ("word", WORD_COLUMNS),
    ):
        if columns == set(wanted):
            return kind
    return None


def _add(kb: KnowledgeBase, header: tuple[str, ...], row: dict[str, str]) -> None:
    if not row["source"]:
        raise ValueError("the source column is empty: say where the row comes from")
    kind = _kind_of(header)
    if kind == "country":
        _require(row, "id", "iso3", "name")
        if not is_state(row["iso3"]):
            raise ValueError(f"iso3 {row['iso3']!r} is not an ISO 3166-1 alpha-3 code")
        kb.entries[row["id"]] = Entry(
            row["id"], "country", row["name"], row["iso3"], None, row["source"]
        )
    elif kind == "org":
        _require(row, "id", "kind", "name", "country")
        if row["kind"] not in ORG_KINDS:
            raise ValueError(f"kind {row['kind']!r} is not one of {', '.join(sorted(ORG_KINDS))}")
        _check_codes(row["country"], row["sector"])
        entry = Entry(
            row["id"],
            row["kind"],
            row["name"],
            row["country"],
            row["sector"] or None,
            row["source"],
        )
        kb.entries[row["id"]] = entry
    elif kind == "role":
        _require(row, "id", "title")
        if row["title"] not in ("yes", "only", "no"):
            raise ValueError(f"title {row['title']!r} must be yes, only or no")
        if not (row["singular"] or row["plural"]):
            raise ValueError("a role needs at least one singular or plural form")
        _check_codes(row["default_country"], row["sector"])
        kb.roles[row["id"]] = Role(
            row["id"],
            row["sector"] or None,
            row["title"],  # type: ignore[arg-type]  # checked just above
            row["default_country"] or None,
            row["source"],
        )
    else:
        _add_word(kb, row)


def _add_word(kb: KnowledgeBase, row: dict[str, str]) -> None:
    _require(row, "text", "kind")
    if row["kind"] not in WORD_KINDS:
        raise ValueError(f"kind {row['kind']!r} is not one of {', '.join(sorted(WORD_KINDS))}")
    if row["kind"] == "stop":
        kb.stop_words.add(row["text"].lower())
    elif row["kind"] == "modifier":
        kb.modifiers.add(row["text"].lower())
    elif row["kind"] == "locative":
        kb.locatives.add(row["text"].lower())


def _require(row: dict[str, str], *columns: str) -> None:
    empty = [c for c in columns if not row[c]]
    if empty:
        raise ValueError(f"empty {', '.join(empty)}")


def _check_codes(country: str, sector: str) -> None:
    if country and not valid_country(country):
        raise ValueError(
            f"country {country!r} is neither an ISO 3166-1 alpha-3 code nor one of "
            f"{', '.join(BLOCS)}"
        )
    if sector and not valid_sector(sector):
        raise ValueError(f"sector {sector!r} is not a PLOVER sector ({', '.join(SECTORS)})")


# -- aliases ------------------------------------------------------------------------------------
def _index_aliases(
    kb: KnowledgeBase, rows: list[tuple[Path, int, dict[str, str], tuple[str, ...]]]
) -> None:
    for _, _, row, header in rows:
        for alias in _aliases_of(kb, _kind_of(header), row):
            _put(kb, alias)


def _aliases_of(kb: KnowledgeBase, kind: str | None, row: dict[str, str]) -> Iterator[Alias]:
    if kind == "country":
        entry = kb.entries[row["id"]]
        yield from _each(entry, "name", row["name"], row["aliases"])
        yield from _each(entry, "capital", row["capitals"])
        yield from _each(entry, "demonym", row["demonyms"])
        for text in _split(row["people"]):
            yield Alias(text, "people", entry=entry, plural=True)
    elif kind == "org":
        entry = kb.entries[row["id"]]
        yield from _each(entry, "name", row["name"], row["aliases"])
    elif kind == "role":
        role = kb.roles[row["id"]]
        for text in _split(row["singular"]):
            yield Alias(text, "role", role=role)
        for text in _split(row["plural"]):
            yield Alias(text, "role", role=role, plural=True)
    elif kind == "word" and row["kind"] == "block":
        yield Alias(row["text"], "block")


def _each(entry: Entry, form: Form, *cells: str) -> Iterator[Alias]:
    for cell in cells:
        for text in _split(cell):
            yield Alias(text, form, entry=entry)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _put(kb: KnowledgeBase, alias: Alias) -> None:
    """Index an alias; the first meaning of a surface form wins, except over a replaced row."""
    old = kb.aliases.get(alias.text)
    if old is None or _stale(kb, old):
        kb.aliases[alias.text] = alias
        return
    if _same_thing(old, alias):
        return  # a country's name that is also its demonym, a form listed twice
    if old.role is not None and alias.entry is not None:
        kb.aliases[alias.text] = alias  # a name beats a role noun: "Security Council"
        return
    if old.entry is not None and alias.role is not None:
        return
    kb.conflicts.append(f"{alias.text!r}: {_meaning(old)} and {_meaning(alias)}")
    log.debug("actor alias %r has two meanings; keeping %s", alias.text, _meaning(old))


def _stale(kb: KnowledgeBase, alias: Alias) -> bool:
    """An alias whose entry or role was replaced by a later row with the same id."""
    if alias.entry is not None:
        return kb.entries.get(alias.entry.id) is not alias.entry
    if alias.role is not None:
        return kb.roles.get(alias.role.id) is not alias.role
    return False


def _same_thing(a: Alias, b: Alias) -> bool:
    if a.entry is not None and b.entry is not None:
        return a.entry.id == b.entry.id
    if a.role is not None and b.role is not None:
        return a.role.id == b.role.id
    return a.form == b.form == "block"


def _meaning(alias: Alias) -> str:
    if alias.entry is not None:
        return alias.entry.id
    return alias.role.id if alias.role is not None else alias.form
