"""What one phrase says about its actor: country, sector, KB entry, and how sure that is.

The sector of a phrase with both an affiliation and a role noun:

- a non-state affiliation (an armed group, a party, a news outlet, an NGO, a company) gives
  its own sector: "Hamas commander" is REB, "BBC correspondent" JRN;
- a body or IGO gives its sector unless the role names a more specific one than government:
  "Pentagon officials" MIL, "State Department counselor" GOV, but "UN peacekeepers" MIL and
  "EU lawmakers" LEG;
- a country, demonym or place leaves the sector to the role: "American diplomats" GOV; a role
  with no sector of its own after a country is the state's: "Libyan leader Gaddafi" GOV.

Several role nouns in a row: the first one with a sector decides ("police officers" COP,
"militant commander" REB). A country alone reads as its government (the state acting), a
demonym alone gives no sector, a people noun ("Afghans") or an ethnic or religious group the
NER model found ("Kurds") is civilians.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from khabar.actors.kb import Entry, Role
from khabar.actors.phrases import Phrase
from khabar.actors.pieces import Piece

FoundKind = Literal["person", "entry", "state", "place", "org", "role"]
NON_STATE = frozenset({"group", "party", "media", "ngo", "company", "person"})
# How much each kind of evidence is trusted (rough priors, not calibrated).
CONFIDENCE = {
    "entry": 0.9,
    "phrase": 0.8,
    "person-affiliation": 0.85,
    "person-title": 0.8,
    "office": 0.75,
    "capital": 0.7,
    "people": 0.7,
    "place": 0.7,
    "country": 0.6,
    "demonym": 0.6,
    "org": 0.5,
    "role": 0.5,
    "context": 0.4,
}


@dataclass
class Found:
    """One mention of an actor, described."""

    start: int
    end: int
    kind: FoundKind
    name: str
    how: str
    confidence: float
    country: str | None = None
    sector: str | None = None
    entry: Entry | None = None
    role: Role | None = None
    title_only: bool = False
    evidence: list[str] = field(default_factory=list)


def describe(text: str, phrase: Phrase) -> Found:
    head = phrase.head
    role = _leading_role(phrase.roles)
    any_role = phrase.roles[0].role if phrase.roles else None
    surface = text[phrase.start : phrase.end]
    if phrase.person is not None:
        return _person(text, phrase, head, role or any_role)
    if head is None:
        return _role_only(surface, phrase, role, any_role)
    country = _country(phrase.affiliation)
    sector = _sector(head, role) if phrase.roles else _alone_sector(head)
    how = "phrase" if phrase.roles else _alone_how(head)
    found = Found(phrase.start, phrase.end, "org", surface, how, CONFIDENCE[how], country, sector)
    entry = head.entry
    if entry is not None and entry.kind not in ("country", "place"):
        found.kind, found.entry = "entry", entry
        found.confidence = CONFIDENCE["entry"] if not phrase.roles else CONFIDENCE["phrase"]
    elif entry is not None and entry.kind == "place" and not phrase.roles:
        found.kind, found.name = "place", entry.name
    elif entry is not None or (head.kind == "org" and country and phrase.roles):
        found.kind = "state"
        found.entry = entry if entry is not None else _country_entry(phrase.affiliation)
    elif head.kind == "place":
        found.kind = "state" if phrase.roles else "place"
        found.name = head.place.name if head.place and not phrase.roles else surface
    else:
        found.name = text[head.start : head.end] if not phrase.roles else surface
    found.evidence = [_evidence(p) for p in phrase.affiliation + phrase.roles]
    if found.kind == "state" and phrase.roles:
        found.role = role or any_role
        found.title_only = _is_title(phrase)
    return found


def _is_title(phrase: Phrase) -> bool:
    """A singular title with no name: "the Foreign Minister", "Pakistan's foreign minister"."""
    last = phrase.roles[-1]
    return bool(last.role and last.role.title == "yes" and last.alias and not last.alias.plural)


def _person(text: str, phrase: Phrase, head: Piece | None, role: Role | None) -> Found:
    assert phrase.person is not None
    name = text[phrase.person.start : phrase.person.end]
    country = _country(phrase.affiliation) if head else None
    sector = _sector(head, role) if head else (role.sector if role else None)
    how = "person-affiliation" if country else "person-title"
    found = Found(
        phrase.start, phrase.end, "person", name, how, CONFIDENCE[how], country, sector, role=role
    )
    found.evidence = [_evidence(p) for p in phrase.affiliation + phrase.roles]
    return found


def _role_only(surface: str, phrase: Phrase, role: Role | None, any_role: Role | None) -> Found:
    chosen = role or any_role
    found = Found(phrase.start, phrase.end, "role", surface, "role", CONFIDENCE["role"])
    found.role = chosen
    found.sector = role.sector if role else None
    found.country = chosen.default_country if chosen else None
    found.title_only = _is_title(phrase)
    found.evidence = [_evidence(p) for p in phrase.roles]
    return found


def _leading_role(roles: list[Piece]) -> Role | None:
    return next((p.role for p in roles if p.role is not None and p.role.sector), None)


def _country(group: list[Piece]) -> str | None:
    """The head's country, else the nearest one named before it in the compound."""
    return next((p.country for p in reversed(group) if p.country), None)


def _country_entry(group: list[Piece]) -> Entry | None:
    return next(
        (p.entry for p in reversed(group) if p.entry and p.entry.kind == "country"),
        next((h.alias.entry for p in group for h in p.inner if h.alias.entry), None),
    )


def _sector(head: Piece, role: Role | None) -> str | None:
    said = role.sector if role else None
    entry = head.entry
    if entry is None or entry.kind in ("country", "place"):
        inner = head.inner_role.sector if head.inner_role else None
        # a country's "leader", "spokesman", "envoy": someone who speaks for its state
        state = "GOV" if head.kind != "org" and (entry is None or entry.kind == "country") else None
        return said or inner or state
    if entry.kind in NON_STATE:
        return entry.sector or said
    return entry.sector if said in (None, "GOV") else said


def _alone_sector(head: Piece) -> str | None:
    entry = head.entry
    if head.kind == "place":
        return "CVL"
    if head.kind == "org":
        if head.inner_role is not None:
            return head.inner_role.sector
        return "CVL" if head.label == "NORP" else None  # "Kurds", "Shiites": a population
    if entry is None:
        return None
    if entry.kind != "country":
        return entry.sector
    form = head.alias.form if head.alias else "name"
    return {"name": "GOV", "capital": "GOV", "people": "CVL"}.get(form)


def _alone_how(head: Piece) -> str:
    if head.kind in ("place", "org"):
        return head.kind
    if head.entry is not None and head.entry.kind == "place":
        return "place"
    if head.entry is not None and head.entry.kind != "country":
        return "entry"
    form = head.alias.form if head.alias else "name"
    return {"name": "country", "capital": "capital", "people": "people"}.get(form, "demonym")


def _evidence(piece: Piece) -> str:
    if piece.alias is not None:
        target = piece.alias.entry.id if piece.alias.entry else piece.alias.role.id  # type: ignore[union-attr]
        return f"{piece.alias.form}:{target}"
    if piece.place is not None:
        return f"place:{piece.place.source}"
    return f"ner:{piece.label}"
