"""Fused events in the store, kept up to date incrementally.

A report (a row of ``events``) without a row in ``fused_members`` is not fused yet: new reports
after a run, reports re-processed or left by an interrupted run. :func:`update_fusion` loads
those, then their possible partners from the database (by type and time, by type and place, by
article), then the partners of every report they link to, until the connected component of
links around the new reports is complete; it fuses that component and rewrites only its fused
events. Since fused events never cross such components, the result is what fusing the whole
store at once would give (which ``everything=True`` does, and which is also faster when most
reports are new). A user's decisions (``fusion_decisions``) are applied every time.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from khabar.core.errors import KhabarError
from khabar.fusion.engine import COMPATIBLE_TYPES, Fuser, Settings
from khabar.fusion.record import fused_record
from khabar.fusion.reports import Report
from khabar.store import query as q

log = logging.getLogger(__name__)

COLUMNS = (*q.EVENT_COLUMNS, "site")
#: Days around a report's time within which partners are looked for: its slack, a partner's,
#: and the week buckets the engine blocks by, with room to spare.
_AROUND = timedelta(days=14)


class FusionError(KhabarError):
    """A user's fusion decision that cannot be applied (unknown events, wrong count)."""


@dataclass
class FusionUpdate:
    reports: int = 0  # reports (re)fused
    fused: int = 0  # fused events written
    removed: int = 0  # fused events that no longer exist
    everything: bool = False
    seconds: float = 0.0
    changed: set[str] = field(default_factory=set)


def _types(type_: str) -> list[str]:
    for pair in COMPATIBLE_TYPES:
        if type_ in pair:
            return sorted(pair)
    return [type_]


def _load(conn: sqlite3.Connection, where: str, params: Iterable[Any]) -> list[Report]:
    rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM events WHERE {where}", list(params))
    return [Report.from_row(dict(zip(COLUMNS, tuple(row), strict=True))) for row in rows]


def _neighbours(conn: sqlite3.Connection, r: Report) -> list[Report]:
    """Every stored report the engine might compare with ``r`` (a superset of its blocks)."""
    types = _types(r.type)
    marks = ", ".join("?" * len(types))
    found = _load(conn, "article_id = ?", [r.article_id])
    country = " AND (country = ? OR country IS NULL)" if r.country else ""
    if r.start and r.end:
        found += _load(
            conn,
            f"type IN ({marks}) AND time_start IS NOT NULL AND substr(time_start, 1, 10) <= ? "
            f"AND substr(time_end, 1, 10) >= ?{country}",
            [*types, (r.end + _AROUND).isoformat(), (r.start - _AROUND).isoformat()]
            + ([r.country] if r.country else []),
        )
    if r.place:
        found += _load(
            conn,
            f"type IN ({marks}) AND place_name = ?{country}",
            [*types, r.place] + ([r.country] if r.country else []),
        )
    return found


def _decisions(conn: sqlite3.Connection) -> tuple[list[frozenset[str]], set[frozenset[str]]]:
    merged, split = [], set()
    for kind, events in conn.execute("SELECT kind, events FROM fusion_decisions ORDER BY id"):
        ids = frozenset(json.loads(events))
        if kind == "merge":
            merged.append(ids)
        else:
            split.add(ids)
            merged = [g for g in merged if not ids <= g]
    return merged, split


def update_fusion(
    store: Any, settings: Settings | None = None, *, everything: bool = False
) -> FusionUpdate:
    """Fuse the store's unfused reports (or, with ``everything``, all of them) and write the
    fused events they are in. ``store`` is a :class:`khabar.store.Store`; the caller commits."""
    started = time.perf_counter()
    conn = store.conn
    summary = FusionUpdate(everything=everything)
    # Members whose report is gone (re-processed away): their events are fused again.
    gone = conn.execute(
        "SELECT m.event_id, m.fused_id FROM fused_members m "
        "WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = m.event_id)"
    ).fetchall()
    if gone:
        store.forget_fused({fused_id for _, fused_id in gone})
    total = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    unfused = [
        row[0]
        for row in conn.execute(
            "SELECT e.id FROM events e WHERE NOT EXISTS "
            "(SELECT 1 FROM fused_members m WHERE m.event_id = e.id) ORDER BY e.id"
        )
    ]
    merged, split = _decisions(conn)
    fuser = Fuser(settings or Settings(), merged=merged, split=split)
    if everything or len(unfused) * 2 > total:
        summary.everything = True
        fuser.add(_load(conn, "1 = 1", []))
        component = set(fuser.reports)
    elif unfused:
        component = _expand(conn, fuser, set(unfused), merged)
    else:
        component = set()
    if component:
        _write(store, fuser, component, summary)
    summary.seconds = time.perf_counter() - started
    log.info(
        "fusion: %d reports into %d fused events (%d removed) in %.2f s",
        summary.reports,
        summary.fused,
        summary.removed,
        summary.seconds,
    )
    return summary


def fuse_stored(store: Any, config: Any) -> int:
    """What a run or a re-processing does last, when ``fusion.enabled``: fuse what is not fused
    yet, with the ``[fusion]`` settings, and commit. The number of fused events written."""
    if not config.fusion.enabled:
        return 0
    store.commit()  # the store buffers its writes: fusion must see every report stored so far
    written = update_fusion(store, Settings.from_config(config)).fused
    store.commit()
    return written


def _expand(
    conn: sqlite3.Connection, fuser: Fuser, seeds: set[str], merged: list[frozenset[str]]
) -> set[str]:
    """Load reports outward from ``seeds`` until their component of links is complete."""
    marks = ", ".join("?" * len(seeds))
    fuser.add(_load(conn, f"id IN ({marks})", sorted(seeds)))
    expanded: set[str] = set()
    while True:
        component = fuser.component(seeds)
        # Reports a user merged with the component belong to it whatever the links say.
        for group in merged:
            if group & component and not group <= set(fuser.reports):
                missing = sorted(group - set(fuser.reports))
                fuser.add(_load(conn, f"id IN ({', '.join('?' * len(missing))})", missing))
                component |= group
        frontier = sorted(component - expanded)
        if not frontier:
            fuser.refresh(component)
            return component
        for report_id in frontier:
            report = fuser.reports[report_id]
            fuser.add(n for n in _neighbours(conn, report) if n.id not in fuser.reports)
            expanded.add(report_id)


def _write(store: Any, fuser: Fuser, component: set[str], summary: FusionUpdate) -> None:
    conn = store.conn
    old = set()
    ids = sorted(component)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT fused_id FROM fused_members WHERE event_id IN ({marks})"
        old |= {row[0] for row in conn.execute(sql, chunk)}
    clusters = fuser.clusters()
    new = {fuser.cluster_of[r] for r in component}
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    rows, members = [], []
    for fused_id in sorted(new):
        reports = clusters[fused_id]
        rows.append(_row(fused_record(fused_id, reports), stamp))
        members += [(report.id, fused_id) for report in reports]
    store.replace_fused(old | new, FUSED_COLUMNS, rows, members)
    summary.reports += len(component)
    summary.fused += len(new)
    summary.removed += len(old - new)
    summary.changed |= new | old


#: The columns written: the query layer's, and the record with its provenance.
FUSED_COLUMNS = (*q.FUSED_COLUMNS, "record")


def _row(record: dict[str, Any], stamp: str) -> tuple[Any, ...]:
    time_ = record["time"] or {}
    place = record["place"] or {}
    killed = record["killed"] or {}
    injured = record["injured"] or {}
    return (
        record["id"],
        record["type"]["value"],
        record["status"]["value"],
        time_.get("start"),
        time_.get("end"),
        place.get("name"),
        place.get("country"),
        place.get("lat"),
        place.get("lon"),
        place.get("precision"),
        killed.get("low"),
        killed.get("best"),
        killed.get("high"),
        injured.get("low"),
        injured.get("best"),
        injured.get("high"),
        int(bool(killed.get("conflict") or injured.get("conflict"))),
        len(record["reports"]),
        record["articles"],
        record["sites"],
        stamp,
        json.dumps(record, ensure_ascii=False, separators=(",", ":")),
    )


def decide(
    store: Any,
    kind: str,
    events: list[str],
    note: str | None = None,
    settings: Settings | None = None,
) -> dict[str, str]:
    """Record a user's decision (``merge`` these reports, or ``split`` these two), fuse again
    what it touches, and return the fused event each of them is now in. The caller commits."""
    chosen = sorted(set(events))
    if kind == "merge" and len(chosen) < 2:
        raise FusionError("a merge needs two or more event ids")
    if kind == "split" and len(chosen) != 2:
        raise FusionError("a split needs exactly two event ids")
    if kind not in ("merge", "split"):
        raise FusionError(f"unknown decision {kind!r}: merge or split")
    marks = ", ".join("?" * len(chosen))
    known = {
        r[0] for r in store.conn.execute(f"SELECT id FROM events WHERE id IN ({marks})", chosen)
    }
    if missing := [e for e in chosen if e not in known]:
        raise FusionError(f"no events {', '.join(missing)}; list them with `khabar events`")
    sql = f"SELECT fused_id FROM fused_members WHERE event_id IN ({marks})"
    store.forget_fused({r[0] for r in store.conn.execute(sql, chosen)})
    store.add_fusion_decision(kind, chosen, note)
    update_fusion(store, settings)
    return {
        r[0]: r[1]
        for r in store.conn.execute(
            f"SELECT event_id, fused_id FROM fused_members WHERE event_id IN ({marks})", chosen
        )
    }
