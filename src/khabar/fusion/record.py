"""A fused event's record: one value per field, each saying which reports it came from, and the
casualty figures reconciled UCDP-style (low, best, high) with every report's own figure kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from khabar.fusion.engine import PRECISION_RANK
from khabar.fusion.reports import Report, Toll

#: Reports disagree when the largest figure is over twice the smallest and at least this many
#: more: "3 killed" against "5 killed" is the usual drift of a rising toll, 3 against 30 is not.
CONFLICT_GAP = 3


def fused_record(fid: str, reports: Sequence[Report]) -> dict[str, Any]:
    """The fused event made of ``reports`` (its main reports decide; background mentions only
    when there are none)."""
    deciding = [r for r in reports if r.main] or list(reports)
    record: dict[str, Any] = {
        "id": fid,
        "reports": [
            {"event": r.id, "article": r.article_id, "site": r.site, "role": r.mention_role}
            for r in reports
        ],
        "articles": len({r.article_id for r in reports}),
        "sites": len({r.site for r in reports if r.site}),
    }
    record["type"] = _vote(deciding, lambda r: r.type)
    record["status"] = _vote(deciding, lambda r: r.status)
    record["time"] = _time(deciding)
    record["place"] = _place(deciding)
    record["actors"] = _actors(reports)
    record["killed"] = reconcile(reports, "killed")
    record["injured"] = reconcile(reports, "injured")
    best = min(deciding, key=lambda r: (-r.confidence, r.id))
    record["sentence"] = {"text": best.sentence, "from": [best.id]}
    return record


def _size(figure: Toll) -> int:
    """How large a toll is, to keep an article's highest: its best, else its low, else high."""
    return next((v for v in (figure[1], figure[0], figure[2]) if v is not None), 0)


def _vote(reports: Sequence[Report], value: Any) -> dict[str, Any]:
    """The value most reports give (ties: the surer reports, then the first by id)."""
    weight: dict[Any, float] = {}
    for r in reports:
        weight[value(r)] = weight.get(value(r), 0.0) + 1 + r.confidence / 10
    chosen = min(weight, key=lambda v: (-weight[v], str(v)))
    return {"value": chosen, "from": [r.id for r in reports if value(r) == chosen]}


def _time(reports: Sequence[Report]) -> dict[str, Any] | None:
    """The narrowest interval the dated reports share, else the narrowest one reported."""
    dated = [r for r in reports if r.start and r.end]
    if not dated:
        return None
    start = max(r.start for r in dated if r.start)
    end = min(r.end for r in dated if r.end)
    if start > end:
        narrowest = min(dated, key=lambda r: (_days(r.start, r.end), r.id))
        assert narrowest.start and narrowest.end
        start, end = narrowest.start, narrowest.end
    agree = [r.id for r in dated if r.start and r.end and r.start <= end and start <= r.end]
    return {"start": start.isoformat(), "end": end.isoformat(), "from": agree}


def _days(start: date | None, end: date | None) -> int:
    return (end - start).days if start and end else 10**6


def _place(reports: Sequence[Report]) -> dict[str, Any] | None:
    """The most precise place reported (ties: the surer report, then the first by id)."""
    placed = [r for r in reports if r.placed or r.country]
    if not placed:
        return None
    chosen = min(
        placed,
        key=lambda r: (
            PRECISION_RANK.get(r.precision or "", 5) if r.placed else 6,
            -r.confidence,
            r.id,
        ),
    )
    agree = [r.id for r in placed if (r.place, r.country) == (chosen.place, chosen.country)]
    return {
        "name": chosen.place,
        "country": chosen.country,
        "lat": chosen.lat,
        "lon": chosen.lon,
        "precision": chosen.precision,
        "from": agree,
    }


def _actors(reports: Sequence[Report]) -> list[dict[str, Any]]:
    named: dict[str, list[str]] = {}
    for r in reports:
        for name in sorted(r.actors):
            named.setdefault(name, []).append(r.id)
    return [
        {"name": n, "from": ids}
        for n, ids in sorted(named.items(), key=lambda x: (-len(x[1]), x[0]))
    ]


def reconcile(reports: Sequence[Report], what: str) -> dict[str, Any] | None:
    """Casualties across reports: one figure per article (its highest: a toll rises within a
    story, it does not add up), then low = the least low, high = the greatest high, best = the
    median of the articles' best figures (the lower middle one when even; none when every
    article gives only a range, "hundreds"). ``conflict`` is set when the articles disagree by
    more than a rising toll explains (see ``CONFLICT_GAP``)."""
    per_article: dict[str, tuple[Toll, Report]] = {}
    for r in reports:
        figure = getattr(r, what)
        if figure is None:
            continue
        kept = per_article.get(r.article_id)
        if kept is None or (_size(figure), r.id) > (_size(kept[0]), kept[1].id):
            per_article[r.article_id] = (figure, r)
    if not per_article:
        return None
    figures = sorted(per_article.values(), key=lambda x: (_size(x[0]), x[1].id))
    bests = [f[1] for f, _ in figures if f[1] is not None]
    lows = [f[0] for f, _ in figures if f[0] is not None]
    highs = [f[2] for f, _ in figures if f[2] is not None]
    least, most = (min(bests), max(bests)) if bests else (0, 0)
    return {
        "low": min(lows) if lows else None,
        "best": bests[(len(bests) - 1) // 2] if bests else None,
        "high": max(highs) if highs else None,
        "conflict": most > 2 * least and most - least >= CONFLICT_GAP,
        "reports": [
            {
                "event": r.id,
                "article": r.article_id,
                "site": r.site,
                "low": f[0],
                "best": f[1],
                "high": f[2],
            }
            for f, r in figures
        ],
    }
