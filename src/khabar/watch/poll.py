"""The watch loop: poll the sources that are due, process what is new, keep each one's state.

A poll asks conditionally (``If-None-Match`` and ``If-Modified-Since`` from the last answer): a
304, or a body with exactly the bytes processed last time, costs nothing more. Anything else goes
the way ``khabar run`` goes (``write_outcomes``: what is already stored is settled without a
request, the rest runs through the stages and is written in batches), and the cycle ends with
incremental fusion. A cycle that reads or fails anything is a run in the store, with what each
source gave in its summary (``sources``), so the dashboard's run page shows it.

A source that fails (an HTTP error, a timeout, unsafe XML) is recorded in the run, as a skip
with its reason, and in its state; it is polled again after its interval doubled per
consecutive failure, up to its ``max_backoff``. The other sources go on.

A source's state (validators, body hash, schedule) is written only once everything it listed is
written, in the same commit: a watch stopped half-way through a source polls it again on the next
start, and what it had already stored is settled without being fetched again. Setting ``stop``
(the CLI does on SIGTERM and SIGINT) finishes the article being written, commits, and marks the
run interrupted.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from khabar.core.article import InputRef, Skip, SkippedInput
from khabar.core.config import Config
from khabar.core.errors import ConfigError, InputError, StageError, StoreError
from khabar.core.lookup import ReadContext
from khabar.core.pipeline import Outcome, Pipeline
from khabar.fusion.update import fuse_stored
from khabar.ingest import feeds, urls
from khabar.ingest.feeds import FeedOrigin, is_feed
from khabar.ingest.reading import ReadSkip, modified_at, read_file, skipped
from khabar.runner import RunSummary, write_outcomes
from khabar.store import Store
from khabar.store.sqlite import SourceState
from khabar.watch.sources import WatchSource

log = logging.getLogger(__name__)

PollStatus = Literal["new", "not_modified", "unchanged", "failed", "interrupted"]
_ANY_URL = "https://example.org/"  # asks the pipeline which of its sources fetches URLs
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass
class Polled:
    """What one poll of one source came to."""

    source: WatchSource
    status: PollStatus
    entries: int = 0  # inputs it listed that were read (already stored ones included)
    stored: int = 0
    reason: str | None = None
    detail: str | None = None
    failures: int = 0  # consecutive failed polls, this one included
    next_poll: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.source.name,
            "url": self.source.url,
            "kind": self.source.kind,
            "status": self.status,
            "entries": self.entries,
            "stored": self.stored,
            "reason": self.reason,
            "detail": self.detail,
            "failures": self.failures,
            "next_poll": _stamp(self.next_poll) if self.next_poll else None,
        }


@dataclass
class CycleSummary(RunSummary):
    """One poll cycle: the counts of its run (``run_id`` 0 when nothing needed one) and what
    each polled source gave."""

    polled: list[Polled] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "sources": [p.to_dict() for p in self.polled]}

    @property
    def sources_failed(self) -> list[Polled]:
        return [p for p in self.polled if p.status == "failed"]


@dataclass(frozen=True)
class _Body:
    data: bytes
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    url: str | None = None  # where it came from after redirects (remote sources)


class _Guarded:
    """A source's outcomes, read until ``stop`` is set, noting a failure of the source itself
    (a skip with an error for its own URI, such as ``unsafe_xml``) apart from its entries'."""

    def __init__(self, items: Iterator[Outcome], stop: threading.Event, uri: str) -> None:
        self.items = items
        self.stop = stop
        self.uri = uri
        self.failure: Skip | None = None
        self.exhausted = False

    def __iter__(self) -> Iterator[Outcome]:
        # Checked before each read: the consumer has written the previous item by then.
        while not self.stop.is_set():
            item = next(self.items, None)
            if item is None:
                self.exhausted = True
                return
            if isinstance(item, SkippedInput) and self._is_own(item):
                self.failure = item.skip
            yield item

    def _is_own(self, item: SkippedInput) -> bool:
        own = item.source.uri == self.uri and item.source.locator is None
        return own and item.skip.severity == "error"


class Watcher:
    """Polls ``sources`` into ``store`` through the pipeline that ``config`` describes."""

    def __init__(
        self,
        store: Store,
        config: Config,
        sources: list[WatchSource],
        *,
        stop: threading.Event | None = None,
        clock: Callable[[], datetime] = _utcnow,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.sources = sources
        self.stop = stop or threading.Event()
        self.clock = clock
        self.sleep = sleep or self.stop.wait
        self.pipeline = Pipeline(config)
        self.urls = _url_source(self.pipeline)
        self.fetcher = self.urls.fetcher

    # -- the schedule -------------------------------------------------------------------------
    def due_at(self, source: WatchSource, state: SourceState | None) -> datetime:
        if state is None or state.last_poll_at is None:
            return _NEVER
        last = datetime.fromisoformat(state.last_poll_at)
        return last + timedelta(seconds=source.delay_s(state.failures))

    def due(self) -> list[WatchSource]:
        """The sources due now, the longest overdue first (then in the file's order)."""
        now = self.clock()
        states = self.store.source_states()
        due = [s for s in self.sources if self.due_at(s, states.get(s.key)) <= now]
        return sorted(due, key=lambda s: self.due_at(s, states.get(s.key)))

    def next_due(self) -> datetime:
        states = self.store.source_states()
        return min(self.due_at(s, states.get(s.key)) for s in self.sources)

    # -- the loop -----------------------------------------------------------------------------
    def loop(
        self,
        *,
        once: bool = False,
        max_cycles: int | None = None,
        on_cycle: Callable[[CycleSummary], None] | None = None,
    ) -> None:
        """Poll in cycles until ``stop`` is set (or after one cycle, or ``max_cycles``)."""
        cycles = 0
        while not self.stop.is_set():
            summary = self.cycle()
            cycles += 1
            if on_cycle is not None:
                on_cycle(summary)
            if once or (max_cycles is not None and cycles >= max_cycles):
                return
            wait = max(1.0, (self.next_due() - self.clock()).total_seconds())
            log.info("next poll in %.0f s", wait)
            self.sleep(wait)

    def cycle(self) -> CycleSummary:
        """Poll every due source once; the run it made (if any) is finished when it returns."""
        started = time.perf_counter()
        due = self.due()
        states = self.store.source_states()
        summary = CycleSummary(db=self.store.where)
        status = "failed"
        try:
            for source in due:
                if self.stop.is_set():
                    break
                polled = self._poll(source, states.get(source.key), summary, due)
                summary.polled.append(polled)
            if summary.run_id and not self.stop.is_set():
                summary.fused = fuse_stored(self.store, self.config)
            status = "interrupted" if self.stop.is_set() else "finished"
        except KeyboardInterrupt:
            status = "interrupted"  # a second signal: the open batch is rolled back below
            raise
        finally:
            summary.interrupted = status == "interrupted"
            summary.seconds = time.perf_counter() - started
            self.store.rollback()
            self.fetcher.close()  # idle between cycles; reopened on demand
            if summary.run_id:
                self.store.finish_run(summary.run_id, status, summary.to_dict())
        return summary

    # -- one source ---------------------------------------------------------------------------
    def _poll(
        self,
        source: WatchSource,
        state: SourceState | None,
        summary: CycleSummary,
        due: list[WatchSource],
    ) -> Polled:
        state = state or SourceState(key=source.key, kind=source.kind)
        now = self.clock()
        try:
            got = self._fetch(source, state)
            if got is None:
                return self._done(source, state, now, Polled(source, "not_modified"), summary)
            if isinstance(got, SkippedInput):
                self._write(summary, due, [got])
                return self._failed(source, state, now, got.skip, summary)
            digest = hashlib.sha256(got.data).hexdigest()
            if digest == state.body_sha256:
                state = replace(state, etag=got.etag, last_modified=got.last_modified)
                return self._done(source, state, now, Polled(source, "unchanged"), summary)
            items = _Guarded(self._items(source, got, now), self.stop, source.key)
            read, stored = summary.inputs, summary.stored
            self._write(summary, due, items)
            polled = Polled(source, "new", summary.inputs - read, summary.stored - stored)
            if items.failure is not None:
                return self._failed(source, state, now, items.failure, summary, polled)
            if not items.exhausted:
                polled.status = "interrupted"  # state untouched: polled again on the next start
                return polled
            state = replace(
                state, body_sha256=digest, etag=got.etag, last_modified=got.last_modified
            )
            return self._done(source, state, now, polled, summary)
        except (StoreError, StageError):
            raise  # the store is gone, or --strict asked for the first failure to stop it all
        except Exception as exc:  # a bug in reading one source must not stop the others
            log.exception("polling %s failed", source.url)
            self.store.rollback()
            problem = Skip(
                stage="watch", reason="watch_error", detail=f"{type(exc).__name__}: {exc}"
            )
            return self._failed(source, state, now, problem, summary)

    def _fetch(self, source: WatchSource, state: SourceState) -> _Body | SkippedInput | None:
        """The source's body; None when the server says it has not changed."""
        if not source.is_remote:
            ref = InputRef(name=_source_name(source), uri=source.key)
            try:
                return _Body(read_file(Path(source.key), self.fetcher.settings.max_bytes))
            except ReadSkip as skip:
                return skipped(ref, skip.reason, skip.detail)
        ref = InputRef(name=urls.NAME, uri=source.key)
        fetched = self.fetcher.fetch(
            source.url, ref, if_none_match=state.etag, if_modified_since=state.last_modified
        )
        if isinstance(fetched, SkippedInput):
            return fetched
        if fetched.status == 304:
            return None
        content_type = fetched.header("content-type")
        return _Body(fetched.body, fetched.etag, fetched.last_modified, content_type, fetched.url)

    def _items(self, source: WatchSource, body: _Body, now: datetime) -> Iterator[Outcome]:
        context = ReadContext(known_url=self.store.known_url)
        if source.kind == "feed" or is_feed((body.content_type or "").split(";")[0], body.data):
            fetched_at = now if source.is_remote else modified_at(Path(source.key))
            origin = FeedOrigin(
                _source_name(source), source.key, body.url, body.content_type, fetched_at
            )
            return self.urls.feeds.read(body.data, origin, context)
        return self._listed(source, body, context)

    def _listed(self, source: WatchSource, body: _Body, context: ReadContext) -> Iterator[Outcome]:
        """The pages a URL list names, each read as ``khabar run URL`` reads it."""
        text = body.data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        for lineno, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if urls.is_url(line):
                yield from self.urls.read(line, context)
            else:
                ref = InputRef(name=urls.NAME, uri=source.key, locator=f"line {lineno}")
                detail = f"{source.name} line {lineno}: {line[:80]!r} is not an http(s) URL"
                yield skipped(ref, "fetch_failed", detail)

    def _write(
        self, summary: CycleSummary, due: list[WatchSource], items: Iterable[Outcome]
    ) -> None:
        if not summary.run_id:
            inputs = [s.url for s in due]
            summary.run_id = self.store.begin_run(inputs, self.config.to_dict())
        # In this process: workers or Ray actors started for every poll (each loading every
        # model) would cost more than they save; the watcher's pipeline is loaded once.
        write_outcomes(self.store, self.pipeline, items, summary, in_process=True)

    # -- state ----------------------------------------------------------------------------------
    def _done(
        self,
        source: WatchSource,
        state: SourceState,
        now: datetime,
        polled: Polled,
        summary: CycleSummary,
    ) -> Polled:
        polled.next_poll = now + timedelta(seconds=source.delay_s(0))
        self._save(source, state, now, polled, summary, error=None)
        log.info(
            "%s: %s (%d read, %d stored)", source.name, polled.status, polled.entries, polled.stored
        )
        return polled

    def _failed(
        self,
        source: WatchSource,
        state: SourceState,
        now: datetime,
        problem: Skip,
        summary: CycleSummary,
        polled: Polled | None = None,
    ) -> Polled:
        polled = polled or Polled(source, "failed")
        polled.status, polled.reason, polled.detail = "failed", problem.reason, problem.detail
        polled.failures = state.failures + 1
        polled.next_poll = now + timedelta(seconds=source.delay_s(polled.failures))
        self._save(source, state, now, polled, summary, error=f"{problem.reason}: {problem.detail}")
        log.warning(
            "%s failed (%s: %s); failure %d in a row, polled again at %s",
            source.name,
            problem.reason,
            problem.detail,
            polled.failures,
            _stamp(polled.next_poll),
        )
        return polled

    def _save(
        self,
        source: WatchSource,
        state: SourceState,
        now: datetime,
        polled: Polled,
        summary: CycleSummary,
        *,
        error: str | None,
    ) -> None:
        self.store.save_source_state(
            replace(
                state,
                kind=source.kind,
                last_poll_at=_stamp(now),
                next_due_at=_stamp(polled.next_poll or now),
                last_status=polled.status,
                failures=polled.failures,
                last_error=error,
                last_run_id=summary.run_id or state.last_run_id,
            )
        )
        self.store.commit()


def _source_name(source: WatchSource) -> str:
    """The source name inputs are recorded under: the one ``khabar run`` would use."""
    if source.is_remote or source.kind == "urls":
        return urls.NAME
    return feeds.NAME


def _url_source(pipeline: Pipeline) -> urls.UrlSource:
    try:
        _, source = pipeline.source_for(_ANY_URL)
    except InputError:
        source = None
    if not isinstance(source, urls.UrlSource):
        raise ConfigError(
            f"khabar watch fetches with the {urls.NAME} source, and pipeline.sources has none "
            'before any other that reads URLs: add "urls" to pipeline.sources'
        )
    return source
