"""What the API's routes share: the one error type, and the event filter read from a query."""

# No `from __future__ import annotations`: FastAPI reads these annotations at run time.
from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from khabar.store import query as q


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def event_filter(
    type: Annotated[list[str], Query(description="PLOVER type (repeatable)")] = [],  # noqa: B006
    status: Annotated[list[str], Query(description="happened, planned, ... (repeatable)")] = [],  # noqa: B006
    country: Annotated[list[str], Query(description="ISO3 code (repeatable)")] = [],  # noqa: B006
    actor: Annotated[str | None, Query(description="canonical name, code or any text")] = None,
    start: Annotated[date | None, Query(description="events whose time reaches this day")] = None,
    end: Annotated[date | None, Query(description="events whose time begins by this day")] = None,
    site: Annotated[list[str], Query(description="the article's site (repeatable)")] = [],  # noqa: B006
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees")] = None,
    near: Annotated[str | None, Query(description="lat,lon,km")] = None,
    q_: Annotated[
        str | None, Query(alias="q", description="words that must all be in the article")
    ] = None,
    min_confidence: Annotated[float, Query(ge=0, le=1)] = 0.0,
    main: Annotated[bool, Query(description="main reports only (no background)")] = False,
    article_id: str | None = None,
) -> q.EventFilter:
    try:
        return q.EventFilter(
            types=tuple(type),
            statuses=tuple(status),
            countries=tuple(country),
            actor=actor,
            start=start,
            end=end,
            sites=tuple(site),
            bbox=q.BBox.parse(bbox) if bbox else None,
            near=q.Radius.parse(near) if near else None,
            text=q_,
            min_confidence=min_confidence,
            main_only=main,
            article_id=article_id,
        )
    except q.QueryError as exc:
        raise ApiError(400, "bad_query", str(exc)) from exc


EventQuery = Annotated[q.EventFilter, Depends(event_filter)]
