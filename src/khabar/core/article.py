"""The Article: the one typed object that flows through every stage.

A source creates an Article from one input (raw bytes plus where they came from); stages fill in
the clean text, metadata claims, sentences and, in later stages, times, places, actors and
events. Every claim carries evidence: a span of the clean text, a span of the raw input, or a
named metadata field. Claims that lose stay on the article, marked ``accepted=False``.

The serialised form of an Article is the *article record* (see ``docs/record.md`` and the JSON
Schema in ``khabar/schema/``); ``Article.to_record`` and ``Article.from_record`` convert.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from khabar.core.reasons import Severity, severity

RECORD_VERSION = 1

MediaType = Literal["text/html", "text/plain"]
EvidenceKind = Literal["text", "raw", "meta"]
Granularity = Literal[
    "instant", "day", "week", "month", "season", "quarter", "year", "decade", "century", "interval"
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Frozen):
    """Character offsets ``[start, end)`` into ``Article.text``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self


class Segment(_Frozen):
    """A stretch of the clean text copied verbatim from the raw input.

    ``text[start:end] == raw_text[raw_start:raw_start + (end - start)]``: cleaning that only
    removes lines (scraped text) keeps every kept line's place in the raw input this way.
    """

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    raw_start: int = Field(ge=0)


class Evidence(_Frozen):
    """Where a claim is supported.

    - ``text``: ``[start, end)`` in the clean text (``Article.text``);
    - ``raw``: ``[start, end)`` in the decoded raw input, for what cleaning removed; ``value``
      quotes it, because the raw input is not part of the record;
    - ``meta``: a named field of the page or its delivery (``field``), with the ``value`` found.
    """

    kind: EvidenceKind
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    field: str | None = None
    value: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.kind == "meta":
            if not self.field:
                raise ValueError("meta evidence needs the name of the field it comes from")
        elif self.start is None or self.end is None or self.end < self.start:
            raise ValueError(
                f"{self.kind} evidence needs start <= end, got {self.start}..{self.end}"
            )
        return self

    @classmethod
    def text_span(cls, start: int, end: int) -> Evidence:
        return cls(kind="text", start=start, end=end)

    @classmethod
    def raw_span(cls, start: int, end: int, quote: str) -> Evidence:
        return cls(kind="raw", start=start, end=end, value=quote)

    @classmethod
    def meta(cls, field: str, value: str | None) -> Evidence:
        return cls(kind="meta", field=field, value=value)


class TimeValue(_Frozen):
    """A time as an interval of days, ``start`` and ``end`` both inclusive, with its granularity.

    "in March 2023" is ``2023-03-01..2023-03-31`` with granularity ``month``, never a single day.
    ``at`` holds the exact instant when the evidence gives one (a timestamp in page metadata).
    """

    start: date
    end: date
    granularity: Granularity
    at: datetime | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"time interval ends ({self.end}) before it starts ({self.start})")
        return self

    @classmethod
    def day(cls, day: date, at: datetime | None = None) -> TimeValue:
        return cls(start=day, end=day, granularity="instant" if at else "day", at=at)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


ClaimValue = TimeValue | list[str] | str


class Claim(_Frozen):
    """One candidate value for one field of the article, with the evidence behind it."""

    field: str
    value: ClaimValue
    method: str
    confidence: float = Field(ge=0.0, le=1.0)
    trusted: bool = True
    accepted: bool = True
    evidence: tuple[Evidence, ...] = Field(min_length=1)
    note: str | None = None


class Published(_Frozen):
    """The accepted publication date with its claim and the candidates that lost."""

    start: date
    end: date
    granularity: Granularity
    at: datetime | None
    confidence: float
    method: str
    trusted: bool
    evidence: tuple[Evidence, ...]
    rejected: tuple[Claim, ...]


class InputRef(_Frozen):
    """Where an input came from: the source that read it, its URI, and a locator inside it."""

    name: str
    uri: str
    locator: str | None = None
    id: str | None = None


class Skip(BaseModel):
    """Why an input or article was not stored: the stage (or source) and a reason code."""

    # "severity" is derived, so a record read back may carry it: ignore it rather than fail.
    model_config = ConfigDict(frozen=True, extra="ignore")

    stage: str
    reason: str
    detail: str = ""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def severity(self) -> Severity:
        return severity(self.reason)


class Mention(BaseModel):
    """A stretch of the clean text that later stages annotate."""

    model_config = ConfigDict(extra="forbid")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    method: str
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class Entity(Mention):
    label: str


class TimeMention(Mention):
    value: TimeValue | None = None
    anchor: date | None = None


class PlaceMention(Mention):
    name: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    precision: Literal["country", "admin1", "admin2", "city", "point"] | None = None


class Actor(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    canonical: str | None = None
    country: str | None = None
    sector: str | None = None
    kb_id: str | None = None
    mentions: list[Span] = Field(default_factory=list)
    method: str
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


EventStatus = Literal["happened", "planned", "hypothetical", "negated", "claimed"]


class Casualties(BaseModel):
    """A count of people killed or injured: ``low`` / ``best`` / ``high`` (UCDP-style).

    "at least 12" is low 12 (best 12, high None); "dozens" is 24..99; "a policeman and two
    civilians" is 3. ``evidence`` points at the words that say so."""

    model_config = ConfigDict(extra="forbid")
    low: int | None = None
    best: int | None = None
    high: int | None = None
    text: str
    evidence: list[Evidence] = Field(min_length=1)
    method: str


class EventParticipant(BaseModel):
    """A source or target of an event: an actor of the article (by index), with its codes."""

    model_config = ConfigDict(extra="forbid")
    actor: int | None = None  # index into Article.actors, when the participant is one
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    canonical: str | None = None
    country: str | None = None
    sector: str | None = None
    method: str
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class EventPlace(BaseModel):
    """Where this event happened: a place of the article (by index), with where it was said."""

    model_config = ConfigDict(extra="forbid")
    place: int | None = None  # index into Article.places
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    name: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    precision: Literal["country", "admin1", "admin2", "city", "point"] | None = None
    method: str
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class EventTime(BaseModel):
    """When this event happened: its own time expression, or one inherited (lower confidence).

    Never silently the publication date: an event with no time evidence has no ``time``; a
    background mention ("the recent bombing") gets an interval ending at the anchor."""

    model_config = ConfigDict(extra="forbid")
    value: TimeValue
    text: str | None = None
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    inherited: bool = False
    method: str
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class AcledCode(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disorder_type: str | None = None
    event_type: str
    sub_event_type: str


class Event(BaseModel):
    """One event the article reports or mentions, coded in PLOVER, with evidence for each slot.

    ``id`` comes from what identifies the event: the article, the type and the trigger's
    offsets, so re-coding an unchanged article keeps it. One real-world event mentioned several
    times in an article is one Event whose ``mentions`` list every place it is mentioned."""

    model_config = ConfigDict(extra="forbid")
    id: str
    type: str
    mode: str | None = None
    context: list[str] = Field(default_factory=list)
    status: EventStatus
    planned_type: str | None = None
    trigger: Span
    sentence: Span
    mentions: list[Span] = Field(default_factory=list)
    actors: list[EventParticipant] = Field(default_factory=list)
    targets: list[EventParticipant] = Field(default_factory=list)
    place: EventPlace | None = None
    time: EventTime | None = None
    killed: Casualties | None = None
    injured: Casualties | None = None
    acled: AcledCode | None = None
    cameo: str | None = None
    mention_role: Literal["main", "background"] = "main"
    evidence: list[Evidence] = Field(min_length=1)
    method: str
    confidence: float = Field(ge=0.0, le=1.0)


class Fingerprints(BaseModel):
    """Hashes that steps compute to find copies; kept by the store, not part of the record."""

    minhash: bytes | None = None
    bands: list[int] = Field(default_factory=list)


# The fields a source fills in; everything else is assigned by stages (checked in pipeline.py).
SOURCE_FIELDS = frozenset(
    {"id", "source", "url", "fetched_at", "media_type", "encoding", "raw_sha256", "raw", "raw_text"}
)
# Metadata fields whose value is the accepted claim of that name.
CLAIM_FIELDS = frozenset({"title", "authors", "site", "language", "canonical_url", "published"})


class Article(BaseModel):
    """One news article on its way through the pipeline (and, serialised, its record)."""

    model_config = ConfigDict(extra="ignore")

    record_version: int = RECORD_VERSION
    id: str
    source: InputRef
    url: str | None = None
    fetched_at: datetime
    media_type: MediaType
    encoding: str | None = None
    raw_sha256: str
    raw: bytes = Field(default=b"", exclude=True, repr=False)
    raw_text: str = Field(default="", exclude=True, repr=False)
    text: str = ""
    raw_segments: list[Segment] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    sentences: list[Span] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    times: list[TimeMention] = Field(default_factory=list)
    places: list[PlaceMention] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    content_hash: str | None = None
    fingerprints: Fingerprints = Field(default_factory=Fingerprints, exclude=True, repr=False)
    # Where the places of the site's earlier articles lie (``geo.home.SiteProfile.to_dict``),
    # attached from the store before the stages run; context for the places stage, not record.
    site_profile: dict[str, Any] | None = Field(default=None, exclude=True, repr=False)
    # The countries and areas the article's places lie in as it names them on its own, without
    # the site's home (``SiteProfile.rows``): what the store adds to the site's profile.
    site_keys: list[str] | None = Field(default=None, exclude=True, repr=False)
    duplicate_of: str | None = None
    duplicate_method: str | None = None
    skipped: Skip | None = None

    @classmethod
    def new(
        cls,
        raw: bytes,
        raw_text: str,
        *,
        media_type: MediaType,
        source: InputRef,
        encoding: str | None = None,
        url: str | None = None,
        fetched_at: datetime | None = None,
    ) -> Article:
        """A fresh article from an input; its id is the input's own id, else a content hash."""
        digest = hashlib.sha256(raw).hexdigest()
        return cls(
            id=source.id or digest[:16],
            source=source,
            url=url,
            fetched_at=fetched_at or datetime.now(UTC),
            media_type=media_type,
            encoding=encoding,
            raw_sha256=digest,
            raw=raw,
            raw_text=raw_text,
        )

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        media_type: MediaType = "text/plain",
        url: str | None = None,
        id: str | None = None,
    ) -> Article:
        """An article from a string, for library use: ``pipeline(Article.from_text(html, ...))``."""
        source = InputRef(name="python", uri=url or "<string>", id=id)
        return cls.new(text.encode("utf-8"), text, media_type=media_type, source=source, url=url)

    # -- claims -------------------------------------------------------------------------------
    def claim(
        self,
        field: str,
        value: ClaimValue,
        *,
        method: str,
        evidence: Evidence | list[Evidence],
        confidence: float = 1.0,
        trusted: bool = True,
        accepted: bool = True,
        note: str | None = None,
    ) -> Claim:
        """Add a claim. An accepted claim replaces (and rejects) an earlier accepted one."""
        if accepted:
            self.reject(field, note=f"superseded by {method}")
        evidence = [evidence] if isinstance(evidence, Evidence) else evidence
        made = Claim(
            field=field,
            value=value,
            method=method,
            confidence=confidence,
            trusted=trusted,
            accepted=accepted,
            evidence=tuple(evidence),
            note=note,
        )
        self.claims.append(made)
        return made

    def reject(self, field: str, *, note: str) -> None:
        """Mark the accepted claim for ``field`` (if any) as rejected, keeping it as a candidate."""
        for i, existing in enumerate(self.claims):
            if existing.field == field and existing.accepted:
                self.claims[i] = existing.model_copy(update={"accepted": False, "note": note})

    def accepted(self, field: str) -> Claim | None:
        for claim in self.claims:
            if claim.field == field and claim.accepted:
                return claim
        return None

    def candidates(self, field: str) -> list[Claim]:
        return [c for c in self.claims if c.field == field]

    def _str_value(self, field: str) -> str | None:
        claim = self.accepted(field)
        return claim.value if claim and isinstance(claim.value, str) else None

    # -- metadata, derived from the accepted claims ----------------------------------------
    @computed_field  # type: ignore[prop-decorator]
    @property
    def title(self) -> str | None:
        return self._str_value("title")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def authors(self) -> list[str]:
        claim = self.accepted("authors")
        return list(claim.value) if claim and isinstance(claim.value, list) else []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def site(self) -> str | None:
        return self._str_value("site")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def language(self) -> str | None:
        return self._str_value("language")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def canonical_url(self) -> str | None:
        return self._str_value("canonical_url")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def published(self) -> Published | None:
        claim = self.accepted("published")
        if claim is None or not isinstance(claim.value, TimeValue):
            return None
        rejected = tuple(c for c in self.candidates("published") if not c.accepted)
        return Published(
            start=claim.value.start,
            end=claim.value.end,
            granularity=claim.value.granularity,
            at=claim.value.at,
            confidence=claim.confidence,
            method=claim.method,
            trusted=claim.trusted,
            evidence=claim.evidence,
            rejected=rejected,
        )

    # -- invariants ---------------------------------------------------------------------------
    def span_errors(self) -> list[str]:
        """Every offset that does not lie inside the text it points into (empty when all do)."""
        problems: list[str] = []

        def check(what: str, start: int | None, end: int | None, limit: int) -> None:
            if start is None or end is None or not 0 <= start <= end <= limit:
                problems.append(f"{what} [{start}, {end}) is outside 0..{limit}")

        size = len(self.text)
        for i, s in enumerate(self.sentences):
            check(f"sentence {i}", s.start, s.end, size)
        for seg in self.raw_segments:
            check("raw segment", seg.start, seg.end, size)
            if self.raw_text:
                raw_end = seg.raw_start + seg.end - seg.start
                check("raw segment (raw side)", seg.raw_start, raw_end, len(self.raw_text))
                if self.raw_text[seg.raw_start : raw_end] != self.text[seg.start : seg.end]:
                    problems.append(
                        f"raw segment [{seg.start}, {seg.end}) differs from the raw input"
                    )
        for claim in self.claims:
            for ev in claim.evidence:
                if ev.kind == "text":
                    check(f"{claim.field} evidence", ev.start, ev.end, size)
                elif ev.kind == "raw" and self.raw_text:
                    check(f"{claim.field} raw evidence", ev.start, ev.end, len(self.raw_text))
        mentions: list[Mention] = [*self.entities, *self.times, *self.places]
        for m in mentions:
            check(f"{type(m).__name__} {m.text!r}", m.start, m.end, size)
        for actor in self.actors:
            for span in actor.mentions:
                check(f"actor {actor.text!r}", span.start, span.end, size)
        for event in self.events:
            spans: list[tuple[str, int | None, int | None]] = [
                ("trigger", event.trigger.start, event.trigger.end),
                ("sentence", event.sentence.start, event.sentence.end),
                *(("mention", m.start, m.end) for m in event.mentions),
                *(("participant", p.start, p.end) for p in [*event.actors, *event.targets]),
                *(("evidence", e.start, e.end) for e in event.evidence if e.kind == "text"),
            ]
            if event.place is not None:
                spans.append(("place", event.place.start, event.place.end))
            if event.time is not None and event.time.start is not None:
                spans.append(("time", event.time.start, event.time.end))
            for count in (event.killed, event.injured):
                if count is not None:
                    spans += [
                        ("casualties", e.start, e.end) for e in count.evidence if e.kind == "text"
                    ]
            for what, start, end in spans:
                check(f"event {event.id} {what}", start, end, size)
        return problems

    # -- records ------------------------------------------------------------------------------
    def to_record(self) -> dict[str, Any]:
        """The article record: plain JSON types, as documented in ``docs/record.md``."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_record(cls, record: dict[str, Any] | str | bytes) -> Article:
        """Rebuild an Article from its record (the derived metadata fields are recomputed)."""
        if isinstance(record, dict):
            return cls.model_validate(record)
        return cls.model_validate_json(record)


class Unchanged(_Frozen):
    """An input a source recognised as already ingested without reading it (``--since``, or a
    URL whose page is stored): counted as unchanged, never processed or stored again."""

    source: InputRef
    detail: str = ""


class SkippedInput(_Frozen):
    """An input that produced no article, with the reason; sources and the pipeline emit it."""

    source: InputRef
    skip: Skip
    raw_sha256: str | None = None

    def to_record(self) -> dict[str, Any]:
        """The record written for a skipped input: its id and source, and why it was skipped."""
        return {
            "record_version": RECORD_VERSION,
            "id": self.source.id,
            "source": self.source.model_dump(mode="json"),
            "skipped": self.skip.model_dump(mode="json"),
        }
