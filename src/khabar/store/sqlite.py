"""The SQLite store: one file, one writer, any number of readers.

Writes are batched: the runner calls the ``add_*`` methods and then ``commit`` every
``run.batch_size`` inputs, so a run killed half-way loses at most the open batch and leaves a
consistent database; the next run skips what was committed. The store implements
``ArticleLookup`` for the steps over many articles.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from khabar._version import __version__
from khabar.core.article import Article, Claim, Event, EventParticipant, SkippedInput
from khabar.core.errors import StoreError
from khabar.core.fingerprint import text_fingerprint
from khabar.geo.home import SiteProfile, article_site
from khabar.store.database import (
    Connection,
    connect_postgres,
    dialect,
    is_postgres,
    redacted,
)
from khabar.store.migrate import migrate
from khabar.store.query import EventFilter, event_record, query_events, register_functions

Relation = str  # 'original' | 'same_input' | 'duplicate'
# zlib level for stored raw inputs: 3 takes half the time of the default 6 on news pages for
# about a tenth more bytes (4.4 against 4.9 times smaller), and the writer pays it per article.
RAW_COMPRESSION = 3
# Kept in their own tables (events: one row each, with the full event record), so not
# serialised twice; `_article` puts them back.
_RECORD_LEAVES_OUT = {
    "text",
    "claims",
    "events",
    "title",
    "authors",
    "site",
    "language",
    "canonical_url",
    "published",
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _utc(moment: datetime) -> str:
    """``moment`` as the store writes times (naive times are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ArticleRow:
    id: str
    title: str | None
    site: str | None
    published: str | None
    url: str | None
    chars: int
    sentences: int
    copies: int


@dataclass(frozen=True)
class SkipRow:
    uri: str
    locator: str
    input_id: str | None
    stage: str
    reason: str
    severity: str
    detail: str
    last_run_id: int
    times_seen: int


@dataclass(frozen=True)
class SourceState:
    """A watched source between polls: its HTTP validators, schedule and failures (times are
    ISO 8601 in UTC, as the store writes them)."""

    key: str
    kind: str
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None
    last_poll_at: str | None = None
    next_due_at: str | None = None
    last_status: str | None = None
    failures: int = 0
    last_error: str | None = None
    last_run_id: int | None = None


_SOURCE_COLUMNS = tuple(f.name for f in fields(SourceState))


class Store:
    """A khabar database in a SQLite file (``:memory:`` for a throw-away one)."""

    def __init__(self, conn: Connection, where: str) -> None:
        self.conn = conn
        self.where = where
        self.dialect = dialect(conn)
        self._in_transaction = False
        self._next_claim_id: int | None = None
        # Rows of the child tables (claims, evidence, events and theirs) wait here until the
        # batch commits, or until something reads them, and go in one executemany per
        # statement: most of what a bulk write costs is per call, not per row.
        self._pending: dict[str, list[tuple[Any, ...]]] = {}

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, timeout_s: float = 30.0) -> Store:
        """Open (and bring up to date) the store at ``path``; ``timeout_s`` is how long to wait
        for another process's write lock."""
        where = str(path)
        if is_postgres(where):
            server = connect_postgres(where)
            try:
                migrate(server, redacted(where))
            except BaseException:
                server.close()
                raise
            return cls(server, redacted(where))
        if readonly and where != ":memory:" and not Path(where).exists():
            raise StoreError(
                f"database {where} does not exist; run `khabar run ... --db {where}` first"
            )
        try:
            conn = sqlite3.connect(where, isolation_level=None, timeout=timeout_s)
            conn.row_factory = sqlite3.Row
            register_functions(conn)
            conn.execute("PRAGMA foreign_keys = ON")
            if where != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn, where)
        except sqlite3.OperationalError as exc:
            raise StoreError(_locked(where, exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open database {where}: {exc}; is it a khabar database?"
            ) from exc
        return cls(conn, where)

    def close(self) -> None:
        self.commit()
        if self.dialect == "sqlite":
            # Keeps the planner's statistics current (cheap: it analyses only what needs it).
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA optimize")
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None and self._in_transaction:
            self.rollback()
        self.close()

    # -- transactions -------------------------------------------------------------------------
    def _begin(self) -> None:
        if not self._in_transaction:
            try:
                self.conn.execute("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")
            except sqlite3.OperationalError as exc:
                raise StoreError(_locked(self.where, exc)) from exc
            self._in_transaction = True

    def _write(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> Any:
        """Run one writing statement in the open transaction (a cursor of either database)."""
        self._begin()
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            raise StoreError(_locked(self.where, exc)) from exc

    def _write_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Many rows of one statement at once (what makes bulk writes fast)."""
        if rows:
            self._begin()
            try:
                self.conn.executemany(sql, rows)
            except sqlite3.OperationalError as exc:
                raise StoreError(_locked(self.where, exc)) from exc

    def _queue(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self._begin()
            self._pending.setdefault(sql, []).extend(rows)

    def _flush(self) -> None:
        """Write the queued rows, parents first (statements in the order first queued)."""
        pending, self._pending = self._pending, {}
        for sql, rows in pending.items():
            self._write_many(sql, rows)

    def _claim_ids(self, count: int) -> range:
        """Ids for ``count`` new claims: known before insert, so their evidence can be written
        in the same batch. Read once per transaction, which holds the write lock."""
        if self._next_claim_id is None or not self._in_transaction:
            self._begin()
            row = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM claims").fetchone()
            self._next_claim_id = int(row[0])
        first = self._next_claim_id
        self._next_claim_id += count
        return range(first, first + count)

    def commit(self) -> None:
        if self._in_transaction:
            try:
                self._flush()
            except StoreError:
                self.rollback()
                raise
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self.rollback()
                raise StoreError(_locked(self.where, exc)) from exc
            self._in_transaction = False
        self._next_claim_id = None

    def rollback(self) -> None:
        self._pending = {}
        if self._in_transaction:
            self.conn.execute("ROLLBACK")
            self._in_transaction = False
        self._next_claim_id = None

    # -- runs ---------------------------------------------------------------------------------
    def begin_run(self, inputs: list[str], config: dict[str, Any]) -> int:
        self._close_stale_runs()
        cursor = self._write(
            "INSERT INTO runs (started_at, status, khabar_version, host, pid, inputs, config) "
            "VALUES (?, 'running', ?, ?, ?, ?, ?) RETURNING id",
            (
                _now(),
                __version__,
                socket.gethostname(),
                os.getpid(),
                json.dumps(inputs),
                json.dumps(config),
            ),
        )
        run_id = int(cursor.fetchone()[0])
        self.commit()
        return run_id

    def finish_run(self, run_id: int, status: str, counts: dict[str, Any]) -> None:
        self._write(
            "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
            (_now(), status, json.dumps(counts), run_id),
        )
        self.commit()

    def _close_stale_runs(self) -> None:
        """Runs left 'running' by a process on this host that no longer exists were killed."""
        host = socket.gethostname()
        rows = self.conn.execute(
            "SELECT id, pid FROM runs WHERE status = 'running' AND host = ?", (host,)
        )
        for row in rows.fetchall():
            if not _alive(row["pid"]):
                self._write("UPDATE runs SET status = 'interrupted' WHERE id = ?", (row["id"],))

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT id, started_at, finished_at, status, inputs, counts FROM runs "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            {
                **dict(r),
                "inputs": json.loads(r["inputs"]),
                "counts": json.loads(r["counts"] or "null"),
            }
            for r in rows
        ]

    def last_run_started(self, inputs: list[str]) -> datetime | None:
        """When the last finished run over exactly these inputs started (for ``--since last``)."""
        row = self.conn.execute(
            "SELECT started_at FROM runs WHERE status = 'finished' AND inputs = ? "
            "ORDER BY id DESC LIMIT 1",
            (json.dumps(inputs),),
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    # -- watched sources (`khabar watch`) ----------------------------------------------------
    def source_states(self) -> dict[str, SourceState]:
        """What is known of every watched source, by key (its URL or list file's path)."""
        rows = self.conn.execute(f"SELECT {', '.join(_SOURCE_COLUMNS)} FROM watch_sources")
        return {
            row["key"]: SourceState(**dict(zip(_SOURCE_COLUMNS, row, strict=True))) for row in rows
        }

    def save_source_state(self, state: SourceState) -> None:
        """Write one source's state in the open transaction (the caller commits)."""
        marks = ", ".join("?" * len(_SOURCE_COLUMNS))
        updates = ", ".join(f"{c} = excluded.{c}" for c in _SOURCE_COLUMNS[1:])
        self._write(
            f"INSERT INTO watch_sources ({', '.join(_SOURCE_COLUMNS)}) VALUES ({marks}) "
            f"ON CONFLICT (key) DO UPDATE SET {updates}",
            tuple(getattr(state, c) for c in _SOURCE_COLUMNS),
        )

    # -- loaded shards (`khabar load`) --------------------------------------------------------
    def loaded_shards(self) -> set[str]:
        """The names of the Parquet shards already imported into this store."""
        return {row[0] for row in self.conn.execute("SELECT name FROM loaded_shards")}

    def mark_shard_loaded(self, name: str, rows: int, run_id: int) -> None:
        """Record a shard as imported, in the open transaction that wrote its rows."""
        self._write(
            "INSERT INTO loaded_shards (name, rows, run_id, loaded_at) VALUES (?, ?, ?, ?)",
            (name, rows, run_id, _now()),
        )

    # -- writing ------------------------------------------------------------------------------
    def known_input(self, raw_sha256: str, uri: str, locator: str | None) -> str | None:
        """The article id an input (these bytes, from this place) was already stored as."""
        row = self.conn.execute(
            "SELECT article_id FROM article_inputs "
            "WHERE raw_sha256 = ? AND uri = ? AND locator = ?",
            (raw_sha256, uri, locator or ""),
        ).fetchone()
        return row[0] if row else None

    def article_for_raw(self, raw_sha256: str) -> str | None:
        """The article made from these exact bytes, whatever place they were read from."""
        row = self.conn.execute(
            "SELECT article_id FROM article_inputs WHERE raw_sha256 = ? LIMIT 1", (raw_sha256,)
        ).fetchone()
        return row[0] if row else None

    def has_article(self, article_id: str) -> str | None:
        """The content hash of a stored article, or None when there is no such article."""
        row = self.conn.execute(
            "SELECT content_hash FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    def add_article(self, article: Article, run_id: int) -> None:
        """Store a new article with its raw input, record, claims and evidence."""
        self._add_raw(article)
        published = article.published
        record = article.model_dump(mode="json", exclude=_RECORD_LEAVES_OUT)
        self._write(
            "INSERT INTO articles (id, raw_sha256, content_hash, url, canonical_url, title, site, "
            "language, published_start, published_end, published_granularity, fetched_at, text, "
            "record, record_version, khabar_version, run_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.raw_sha256,
                article.content_hash or text_fingerprint(article.text),
                article.url,
                article.canonical_url,
                article.title,
                article.site,
                article.language,
                published.start.isoformat() if published else None,
                published.end.isoformat() if published else None,
                published.granularity if published else None,
                article.fetched_at.isoformat(),
                article.text,
                json.dumps(record),
                article.record_version,
                __version__,
                run_id,
                _now(),
            ),
        )
        self._add_claims(article.id, article.claims)
        self._add_fingerprints(article)
        self._add_events(article, list(enumerate(article.events)), run_id)
        self._add_site_places(article)
        self.add_input(article, article.id, "original", run_id)

    def _add_site_places(self, article: Article) -> None:
        site = article_site(article)
        if site is None:
            return
        keys = article.site_keys
        if keys is None:  # not through the places stage (a Parquet shard): its places
            keys = SiteProfile.of_places(article.places).rows()
        self._queue(
            "INSERT INTO site_places (article_id, site, key) VALUES (?, ?, ?)",
            [(article.id, site, key) for key in keys],
        )

    def site_profile(self, site: str) -> SiteProfile:
        """How many of the site's stored articles name a place in each country and area.

        Rows still queued are not read, and need not be: a run asks for a site's profile when it
        first meets the site, before any article of the site is written."""
        rows = self.conn.execute(
            "SELECT key, COUNT(*) FROM site_places WHERE site = ? GROUP BY key", (site,)
        )
        return SiteProfile.from_counts((str(r[0]), int(r[1])) for r in rows)

    def site_profiles(self, limit: int = 50) -> list[tuple[str, SiteProfile]]:
        """The sites with the most stored articles, each with its profile."""
        self._flush()
        profiles: dict[str, list[tuple[str, int]]] = {}
        rows = self.conn.execute(
            "SELECT site, key, COUNT(*) FROM site_places WHERE site IN ("
            "SELECT site FROM site_places WHERE key = '' GROUP BY site "
            "ORDER BY COUNT(*) DESC, site LIMIT ?) GROUP BY site, key",
            (limit,),
        )
        for site, key, count in rows:
            profiles.setdefault(str(site), []).append((str(key), int(count)))
        made = [(site, SiteProfile.from_counts(counts)) for site, counts in profiles.items()]
        return sorted(made, key=lambda sp: (-sp[1].articles, sp[0]))

    def article_profile(self, article_id: str) -> SiteProfile:
        """One stored article's part of its site's profile (to leave it out of its own)."""
        self._flush()
        rows = self.conn.execute("SELECT key FROM site_places WHERE article_id = ?", (article_id,))
        return SiteProfile.from_counts((str(r[0]), 1) for r in rows)

    def _add_events(self, article: Article, events: list[tuple[int, Event]], run_id: int) -> None:
        if not events:
            return
        stamp = _now_precise()
        site = article.site
        rows = [
            event_row(article, seq, event, site)
            | {"created_at": stamp, "updated_at": stamp, "run_id": run_id}
            for seq, event in events
        ]
        columns = list(rows[0])
        self._queue(
            f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [tuple(r.values()) for r in rows],
        )
        self._queue(
            "INSERT INTO event_records (id, record) VALUES (?, ?)",
            [(event.id, event.model_dump_json()) for _, event in events],
        )
        self._queue(
            "INSERT INTO event_actors (event_id, role, seq, name, country, sector) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [row for _, event in events for row in _actor_rows(event)],
        )

    def _add_event_actors(self, event: Event) -> None:
        self._write_many(
            "INSERT INTO event_actors (event_id, role, seq, name, country, sector) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            _actor_rows(event),
        )

    def _add_fingerprints(self, article: Article) -> None:
        fingerprints = article.fingerprints
        if fingerprints.minhash is None:
            return
        self._write(
            "INSERT INTO minhashes (article_id, signature) VALUES (?, ?)",
            (article.id, fingerprints.minhash),
        )
        # written now, not queued: the next article's near-duplicate look-up reads them
        self._write_many(
            "INSERT INTO minhash_bands (band_key, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(key, article.id) for key in fingerprints.bands],
        )

    def _add_claims(self, article_id: str, claims: list[Claim]) -> None:
        ids = self._claim_ids(len(claims))
        rows, evidence = [], []
        for seq, (claim_id, claim) in enumerate(zip(ids, claims, strict=True)):
            value = (
                claim.value
                if isinstance(claim.value, str | list)
                else claim.value.model_dump(mode="json")
            )
            rows.append(
                (
                    claim_id,
                    article_id,
                    seq,
                    claim.field,
                    json.dumps(value),
                    claim.method,
                    claim.confidence,
                    int(claim.trusted),
                    int(claim.accepted),
                    claim.note,
                )
            )
            evidence += [
                (claim_id, eseq, ev.kind, ev.start, ev.end, ev.field, ev.value)
                for eseq, ev in enumerate(claim.evidence)
            ]
        self._queue(
            "INSERT INTO claims (id, article_id, seq, field, value, method, confidence, trusted, "
            "accepted, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self._queue(
            'INSERT INTO evidence (claim_id, seq, kind, start, "end", field, value) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            evidence,
        )

    def _add_raw(self, article: Article) -> None:
        self._write(
            "INSERT INTO raw_inputs "
            "(sha256, size, media_type, encoding, compression, data) "
            "VALUES (?, ?, ?, ?, 'zlib', ?) ON CONFLICT DO NOTHING",
            (
                article.raw_sha256,
                len(article.raw),
                article.media_type,
                article.encoding,
                zlib.compress(article.raw, RAW_COMPRESSION),
            ),
        )

    def add_input(
        self,
        article: Article,
        article_id: str,
        relation: Relation,
        run_id: int,
        method: str | None = None,
    ) -> None:
        """Record that this input led to ``article_id`` (as its original, or as a copy)."""
        if relation != "original" and article.raw:
            self._add_raw(article)
        self._write(
            "INSERT INTO article_inputs "
            "(raw_sha256, uri, locator, source, input_id, url, "
            "article_id, relation, fetched_at, run_id, method) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                article.raw_sha256,
                article.source.uri,
                article.source.locator or "",
                article.source.name,
                article.source.id,
                article.url,
                article_id,
                relation,
                article.fetched_at.isoformat(),
                run_id,
                method,
            ),
        )

    def add_skip(self, item: SkippedInput, run_id: int) -> None:
        skip = item.skip
        self._write(
            "INSERT INTO skips "
            "(uri, locator, raw_sha256, input_id, stage, reason, severity, detail, "
            "first_run_id, last_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (uri, locator, raw_sha256, stage, reason) DO UPDATE SET "
            "last_run_id = excluded.last_run_id, detail = excluded.detail, "
            "times_seen = skips.times_seen + 1",
            (
                item.source.uri,
                item.source.locator or "",
                item.raw_sha256 or "",
                item.source.id,
                skip.stage,
                skip.reason,
                skip.severity,
                skip.detail,
                run_id,
                run_id,
            ),
        )

    def known_url(self, url: str) -> bool:
        """Whether an article, or a copy of one, from this URL is stored."""
        row = self.conn.execute(
            "SELECT 1 FROM article_inputs WHERE url = ? "
            "UNION ALL SELECT 1 FROM articles WHERE canonical_url = ? LIMIT 1",
            (url, url),
        ).fetchone()
        return row is not None

    # -- ArticleLookup ------------------------------------------------------------------------
    def id_by_content_hash(self, content_hash: str) -> str | None:
        row = self.conn.execute(
            "SELECT id FROM articles WHERE content_hash = ? ORDER BY rowid LIMIT 1", (content_hash,)
        ).fetchone()
        return row[0] if row else None

    def id_by_canonical_url(self, url: str) -> str | None:
        row = self.conn.execute(
            "SELECT id FROM articles WHERE canonical_url = ? ORDER BY rowid LIMIT 1", (url,)
        ).fetchone()
        return row[0] if row else None

    def near_candidates(self, band_keys: list[int]) -> list[tuple[str, bytes]]:
        if not band_keys:
            return []
        marks = ", ".join("?" * len(band_keys))
        rows = self.conn.execute(
            "SELECT DISTINCT m.article_id, m.signature FROM minhash_bands b "
            f"JOIN minhashes m ON m.article_id = b.article_id WHERE b.band_key IN ({marks})",
            band_keys,
        )
        return [(str(r[0]), bytes(r[1])) for r in rows]

    def text_of(self, article_id: str) -> str | None:
        self._flush()
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else str(row[0])

    # -- fusion -------------------------------------------------------------------------------
    def replace_fused(
        self,
        old: Iterable[str],
        columns: tuple[str, ...],
        rows: list[tuple[Any, ...]],
        members: list[tuple[str, str]],
    ) -> None:
        """Drop the fused events ``old`` with their members; write ``rows`` (of ``columns``)
        and ``members`` (event id, fused id) in their place."""
        self._flush()
        gone = [(fused_id,) for fused_id in sorted(old)]
        self._write_many("DELETE FROM fused_members WHERE fused_id = ?", gone)
        self._write_many("DELETE FROM fused_events WHERE id = ?", gone)
        marks = ", ".join("?" * len(columns))
        self._write_many(f"INSERT INTO fused_events ({', '.join(columns)}) VALUES ({marks})", rows)
        self._write_many("INSERT INTO fused_members (event_id, fused_id) VALUES (?, ?)", members)

    def _unfuse(self, event_id: str) -> None:
        """A report changed or went: its fused event is fused again (by the next fusion)."""
        self._write(
            "DELETE FROM fused_members WHERE fused_id IN "
            "(SELECT fused_id FROM fused_members WHERE event_id = ?)",
            (event_id,),
        )

    def forget_fused(self, fused_ids: Iterable[str]) -> None:
        """Unfuse every report of these fused events (fusion then takes them up again)."""
        self._flush()
        self._write_many(
            "DELETE FROM fused_members WHERE fused_id = ?", [(f,) for f in sorted(fused_ids)]
        )

    def add_fusion_decision(self, kind: str, events: list[str], note: str | None = None) -> None:
        """Record a user's decision: ``merge`` these reports, or ``split`` these two."""
        self._write(
            "INSERT INTO fusion_decisions (kind, events, note, created_at) VALUES (?, ?, ?, ?)",
            (kind, json.dumps(sorted(events)), note, _now()),
        )

    # -- reading ------------------------------------------------------------------------------
    def resolve_id(self, wanted: str) -> str | None:
        """An article id from an article id, an input's own id, or a unique id prefix."""
        if self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (wanted,)).fetchone():
            return wanted
        row = self.conn.execute(
            "SELECT article_id FROM article_inputs WHERE input_id = ? LIMIT 1", (wanted,)
        ).fetchone()
        if row:
            return str(row[0])
        rows = self.conn.execute(
            "SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (_like_prefix(wanted),)
        ).fetchall()
        return str(rows[0][0]) if len(rows) == 1 else None

    def get_article(self, article_id: str) -> Article | None:
        self._flush()
        row = self.conn.execute(
            "SELECT id, text, record FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return self._article(row) if row else None

    def iter_articles(self, *, since: datetime | None = None) -> Iterator[Article]:
        """Every stored article (stored since ``since``), in the order stored, streamed."""
        self._flush()
        # A page at a time by rowid (not one long cursor): memory stays bounded on either
        # database, and the caller may write between pages.
        after = -1
        since_clause = "" if since is None else " AND created_at >= ?"
        extra: tuple[Any, ...] = () if since is None else (_utc(since),)
        while True:
            rows = self.conn.execute(
                f"SELECT rowid, id, text, record FROM articles WHERE rowid > ?{since_clause} "
                "ORDER BY rowid LIMIT 200",
                (after, *extra),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield self._article(row)
            after = rows[-1]["rowid"]

    def _article(self, row: sqlite3.Row) -> Article:
        record = json.loads(row["record"])
        record["text"] = row["text"]
        record["claims"] = self._claims(row["id"])
        if "events" not in record:  # older stores kept the events inline too
            record["events"] = [
                json.loads(r[0])
                for r in self.conn.execute(
                    "SELECT r.record FROM events e JOIN event_records r ON r.id = e.id "
                    "WHERE e.article_id = ? ORDER BY e.seq",
                    (row["id"],),
                )
            ]
        return Article.from_record(record)

    def _claims(self, article_id: str) -> list[dict[str, Any]]:
        claims = self.conn.execute(
            "SELECT id, field, value, method, confidence, trusted, accepted, note FROM claims "
            "WHERE article_id = ? ORDER BY seq",
            (article_id,),
        ).fetchall()
        result = []
        for c in claims:
            evidence = self.conn.execute(
                'SELECT kind, start, "end", field, value FROM evidence '
                "WHERE claim_id = ? ORDER BY seq",
                (c["id"],),
            ).fetchall()
            result.append(
                {
                    "field": c["field"],
                    "value": json.loads(c["value"]),
                    "method": c["method"],
                    "confidence": c["confidence"],
                    "trusted": bool(c["trusted"]),
                    "accepted": bool(c["accepted"]),
                    "note": c["note"],
                    "evidence": [_present(e) for e in evidence],
                }
            )
        return result

    def raw_text(self, article: Article) -> str:
        """The decoded raw input of a stored article (what ``raw`` evidence points into)."""
        return self.raw_input(article)[1]

    def raw_input(self, article: Article) -> tuple[bytes, str]:
        """The raw bytes of a stored article's input, and their text as first decoded."""
        row = self.conn.execute(
            "SELECT data, encoding FROM raw_inputs WHERE sha256 = ?", (article.raw_sha256,)
        ).fetchone()
        if row is None:
            return b"", ""
        data = zlib.decompress(row["data"])
        return data, data.decode(row["encoding"] or "utf-8", errors="replace")

    # -- re-processing ------------------------------------------------------------------------
    def replace_analysis(self, article: Article, run_id: int, reason: str) -> Counter[str]:
        """Put a re-processed article's analysis in place of the stored one.

        Events found again keep their ids (updated only if they changed); new ones are added;
        those not found again move to ``deleted_events`` with ``reason``. Returns the counts.
        """
        self._flush()
        published = article.published
        record = article.model_dump(mode="json", exclude=_RECORD_LEAVES_OUT)
        self._write(
            "UPDATE articles SET content_hash = ?, canonical_url = ?, title = ?, site = ?, "
            "language = ?, published_start = ?, published_end = ?, published_granularity = ?, "
            "text = ?, record = ?, record_version = ?, khabar_version = ?, updated_at = ? "
            "WHERE id = ?",
            (
                article.content_hash or text_fingerprint(article.text),
                article.canonical_url,
                article.title,
                article.site,
                article.language,
                published.start.isoformat() if published else None,
                published.end.isoformat() if published else None,
                published.granularity if published else None,
                article.text,
                json.dumps(record),
                article.record_version,
                __version__,
                _now(),
                article.id,
            ),
        )
        self._write("DELETE FROM claims WHERE article_id = ?", (article.id,))
        self._add_claims(article.id, article.claims)
        if article.site_keys is not None:  # else the places stage did not run again
            self._write("DELETE FROM site_places WHERE article_id = ?", (article.id,))
            self._add_site_places(article)
        return self._replace_events(article, run_id, reason)

    def _replace_events(self, article: Article, run_id: int, reason: str) -> Counter[str]:
        done: Counter[str] = Counter()
        old = {
            r["id"]: dict(r)
            for r in self.conn.execute(
                "SELECT e.*, r.record FROM events e JOIN event_records r ON r.id = e.id "
                "WHERE e.article_id = ?",
                (article.id,),
            )
        }
        stamp = _now_precise()
        site = article.site
        for seq, event in enumerate(article.events):
            before = old.pop(event.id, None)
            if before is None:
                self._add_events(article, [(seq, event)], run_id)
                done["created"] += 1
                continue
            row = event_row(article, seq, event, site)
            record = event.model_dump_json()
            same = all(before[k] == v for k, v in row.items() if k != "khabar_version")
            if same and before["record"] == record:
                done["kept"] += 1
                continue
            row |= {"updated_at": stamp, "run_id": run_id}
            self._write(
                f"UPDATE events SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
                (*row.values(), event.id),
            )
            self._write("UPDATE event_records SET record = ? WHERE id = ?", (record, event.id))
            self._write("DELETE FROM event_actors WHERE event_id = ?", (event.id,))
            self._add_event_actors(event)
            self._unfuse(event.id)
            done["updated"] += 1
        for event_id, before in old.items():
            self._write(
                "INSERT INTO deleted_events (id, article_id, deleted_at, reason, run_id, record) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (event_id, article.id, stamp, reason, run_id, before["record"]),
            )
            self._write("DELETE FROM events WHERE id = ?", (event_id,))
            self._unfuse(event_id)
            done["deleted"] += 1
        return done

    def list_articles(self, limit: int = 50) -> list[ArticleRow]:
        self._flush()
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.site, a.published_start, a.url, length(a.text) AS chars, "
            f"{_sentence_count(self.dialect)} AS sentences, "
            "(SELECT count(*) - 1 FROM article_inputs i WHERE i.article_id = a.id) AS copies "
            "FROM articles a ORDER BY a.rowid LIMIT ?",
            (limit,),
        )
        return [
            ArticleRow(
                r["id"],
                r["title"],
                r["site"],
                r["published_start"],
                r["url"],
                r["chars"],
                r["sentences"] or 0,
                r["copies"],
            )
            for r in rows
        ]

    def list_skips(self, run_id: int | None = None) -> list[SkipRow]:
        where, params = ("WHERE last_run_id = ?", (run_id,)) if run_id is not None else ("", ())
        rows = self.conn.execute(
            "SELECT uri, locator, input_id, stage, reason, severity, detail, last_run_id, "
            "times_seen "
            f"FROM skips {where} ORDER BY severity DESC, uri, locator",
            params,
        )
        return [SkipRow(**dict(r)) for r in rows]

    def events(self, wanted: EventFilter) -> Iterator[dict[str, Any]]:
        """Events matching the filter (see ``khabar.store.events``), streamed."""
        self._flush()
        return query_events(self.conn, wanted)

    def event_record(self, event_id: str) -> dict[str, Any] | None:
        """The full record of one event, with its article's id."""
        self._flush()
        return event_record(self.conn, event_id)

    def count(self, table: str) -> int:
        self._flush()
        if table not in {
            "events",
            "articles",
            "article_inputs",
            "claims",
            "evidence",
            "skips",
            "runs",
            "raw_inputs",
        }:
            raise ValueError(f"no table {table!r}")
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def event_row(article: Article, seq: int, event: Event, site: str | None) -> dict[str, Any]:
    """The ``events`` row of one event: the columns queries filter on. ``site`` is the
    article's (a property computed from its claims: worked out once per article)."""
    place, time, killed, injured = event.place, event.time, event.killed, event.injured
    return {
        "id": event.id,
        "article_id": article.id,
        "seq": seq,
        "type": event.type,
        "mode": event.mode,
        "status": event.status,
        "planned_type": event.planned_type,
        "mention_role": event.mention_role,
        "confidence": event.confidence,
        "time_start": time.value.start.isoformat() if time else None,
        "time_end": time.value.end.isoformat() if time else None,
        "time_granularity": time.value.granularity if time else None,
        "place_name": place.name if place else None,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "geo_precision": place.precision if place else None,
        "actors": json.dumps([_who(p) for p in event.actors]),
        "targets": json.dumps([_who(p) for p in event.targets]),
        "killed_low": killed.low if killed else None,
        "killed_best": killed.best if killed else None,
        "killed_high": killed.high if killed else None,
        "injured_low": injured.low if injured else None,
        "injured_best": injured.best if injured else None,
        "injured_high": injured.high if injured else None,
        "acled_event_type": event.acled.event_type if event.acled else None,
        "acled_sub_event_type": event.acled.sub_event_type if event.acled else None,
        "cameo": event.cameo,
        "sentence": article.text[event.sentence.start : event.sentence.end],
        "method": event.method,
        "site": site,
        "khabar_version": __version__,
    }


def _sentence_count(kind: str) -> str:
    if kind == "postgresql":
        return "json_array_length(a.record::json -> 'sentences')"
    return "json_array_length(a.record, '$.sentences')"


def _locked(where: str, exc: sqlite3.OperationalError) -> str:
    """What a failed write means for the user, and what to do about it."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return (
            f"database {where} is locked by another process (another khabar run?); "
            "wait for it to finish, or write to another --db"
        )
    if "full" in text:
        return (
            f"the disk holding database {where} is full ({text}); nothing of the open batch was "
            "kept: free some space and run again, and the run resumes after the last batch"
        )
    if "readonly" in text or "read-only" in text:
        return (
            f"database {where} cannot be written ({text}); check the file's and its folder's "
            "permissions, or write to another --db"
        )
    return f"cannot write to database {where}: {text}"


def _actor_rows(event: Event) -> list[tuple[Any, ...]]:
    return [
        (event.id, role, seq, who.canonical or who.text, who.country, who.sector)
        for role, people in (("actor", event.actors), ("target", event.targets))
        for seq, who in enumerate(people)
    ]


def _now_precise() -> str:
    """Microseconds, so that rows written one after the other sort in the order written."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _who(participant: EventParticipant) -> str:
    name = participant.canonical or participant.text
    return f"{name}|{participant.country or ''}|{participant.sector or ''}"


def _present(row: sqlite3.Row) -> dict[str, Any]:
    return {key: row[key] for key in row.keys() if row[key] is not None}  # noqa: SIM118 - a Row


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
