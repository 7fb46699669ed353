"""The dashboard's pages (server-rendered HTML) and the small JSON feeds its one script draws.

Pages live under ``/ui/``; ``/`` sends the browser there. Every page is rendered from Jinja
templates with autoescaping on, so article text, titles and URLs are always shown as text.
Everything the browser loads comes from this server, and a strict Content Security Policy
(no inline script or style, no other origin) is sent with every response but the API's own
documentation pages, so even a payload that slipped through escaping could not run.
"""

# No `from __future__ import annotations`: FastAPI reads the route annotations at run time.
import csv
import gzip
import io
import json
import sqlite3
from collections.abc import Callable
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol
from urllib.parse import urlsplit

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khabar.api.params import ApiError, EventQuery
from khabar.dashboard import data
from khabar.dashboard.highlight import claim_marks, event_marks, pieces
from khabar.store import query as q

LevelQuery = Annotated[
    q.Level,
    Query(description="fused: real-world events (the default); report: each article's report"),
]

CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
#: FastAPI's own API documentation pages load Swagger UI and ReDoc from a CDN; they keep their
#: default headers (and, offline, do not work: /openapi.json is the API's description).
_OPEN_PATHS = ("/docs", "/redoc")
VENDOR = Path(str(resources.files("khabar.dashboard") / "static" / "vendor"))


class Reads(Protocol):
    def __call__(self, work: Callable[[sqlite3.Connection], Any]) -> Any: ...


class SecurityHeaders:
    """Adds the Content Security Policy and its companions to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_OPEN_PATHS):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


@cache
def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("khabar.dashboard", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["value"] = _show_value
    env.filters["safe_url"] = safe_url
    return env


def _show_value(value: Any) -> str:
    """A claim or field value as a reader wants it: strings bare, the rest as compact JSON."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and {"start", "end", "granularity"} <= value.keys():
        start, end = value["start"], value["end"]
        return f"{start if start == end else f'{start} to {end}'} ({value['granularity']})"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def safe_url(url: str | None) -> str | None:
    """``url`` if a browser may follow it (http or https only), else None: an article's
    ``javascript:`` or ``data:`` link is shown as text, never made a link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def add_dashboard(app: FastAPI, reader: Reads, where: str) -> None:
    """Mounts the dashboard on ``app``: pages under /ui/, static files under /ui/static/."""
    app.add_middleware(SecurityHeaders)
    static = resources.files("khabar.dashboard") / "static"
    app.mount(
        "/ui/static", GZipMiddleware(StaticFiles(directory=str(static))), name="dashboard-static"
    )

    def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = (
            _templates()
            .get_template(template)
            .render(database=where, path=request.url.path, **context)
        )
        return HTMLResponse(html, status_code=status)

    def missing(request: Request, what: str) -> HTMLResponse:
        return page(request, "error.html", 404, title="Not found", message=f"There is no {what}.")

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=307)

    @app.get("/ui/", include_in_schema=False, response_class=HTMLResponse)
    def index(request: Request, _: EventQuery, level: LevelQuery = q.DEFAULT_LEVEL) -> HTMLResponse:
        # The filter is read only to refuse a bad one (400); the script asks the feeds.
        count = q.fused_facets if level == "fused" else q.facets
        facets = reader(lambda conn: count(conn, q.EventFilter(), top=60))
        return page(
            request,
            "index.html",
            level=level,
            facets=facets,
            chosen=request.query_params,
            country_names=data.country_names(),
            assets=(VENDOR / "leaflet.js").exists(),
        )

    _add_feeds(app, reader)
    _add_pages(app, reader, page, missing)


def _add_feeds(app: FastAPI, reader: Reads) -> None:
    @app.get("/ui/data/points", include_in_schema=False)
    def points(
        request: Request, wanted: EventQuery, level: LevelQuery = q.DEFAULT_LEVEL
    ) -> Response:
        return _compressed(request, reader(lambda conn: data.points(conn, wanted, level)))

    @app.get("/ui/data/timeline", include_in_schema=False)
    def timeline(
        wanted: EventQuery,
        by: Literal["day", "week", "month", "year"] = "month",
        level: LevelQuery = q.DEFAULT_LEVEL,
    ) -> Any:
        return reader(lambda conn: data.timeline(conn, wanted, by, level))

    @app.get("/ui/data/table", include_in_schema=False)
    def table(
        wanted: EventQuery,
        sort: str = "time_start",
        order: Literal["asc", "desc"] = "desc",
        limit: Annotated[int, Query(ge=1, le=data.MAX_TABLE_ROWS)] = 200,
        format: Literal["json", "csv"] = "json",
        level: LevelQuery = q.DEFAULT_LEVEL,
    ) -> Any:
        fused = level == "fused"
        sortable = data.FUSED_SORTABLE if fused else data.SORTABLE
        if sort not in sortable:
            raise ApiError(400, "bad_query", f"sort={sort!r}: choose one of {sortable}")
        rows = reader(
            lambda conn: (data.fused_table if fused else data.table)(
                conn, wanted, sort=sort, descending=order == "desc", limit=limit
            )
        )
        if format == "json":
            return {"events": rows, "sort": sort, "order": order, "limit": limit, "level": level}
        return Response(
            table_csv(rows, data.FUSED_CSV_COLUMNS if fused else data.TABLE_COLUMNS),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="khabar-events-in-view.csv"'},
        )

    @app.get("/ui/data/countries", include_in_schema=False)
    def countries() -> JSONResponse:
        return JSONResponse(data.country_codes(), headers={"Cache-Control": "max-age=86400"})


def _compressed(request: Request, body: Any) -> Response:
    """JSON, gzipped when the browser takes it: the map's points run to megabytes."""
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {"Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", "") and len(raw) > 1024:
        raw = gzip.compress(raw, compresslevel=5)
        headers["Content-Encoding"] = "gzip"
    return Response(raw, media_type="application/json", headers=headers)


def table_csv(rows: list[dict[str, Any]], columns: tuple[str, ...] = data.TABLE_COLUMNS) -> str:
    """The table's rows as CSV, in its order; actors and targets by name, joined by "; "."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                _csv_cell("; ".join(who.split("|")[0] for who in row[c]))
                if c in ("actors", "targets")
                else ("" if row[c] is None else _csv_cell(row[c]))
                for c in columns
            ]
        )
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    # A cell starting with = + - @ is a formula to a spreadsheet; quote it so it stays text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _add_pages(
    app: FastAPI,
    reader: Reads,
    page: Callable[..., HTMLResponse],
    missing: Callable[[Request, str], HTMLResponse],
) -> None:
    @app.get("/ui/events/{event_id}", include_in_schema=False, response_class=HTMLResponse)
    def event_page(request: Request, event_id: str) -> HTMLResponse:
        def fetch(conn: sqlite3.Connection) -> dict[str, Any] | None:
            event = q.event_detail(conn, event_id)
            if event is None:
                return None
            found = data.article(conn, event["article_id"])
            fused_id = q.fused_id_of(conn, event_id)
            return {
                "event": event,
                "article": found,
                "fused": q.fused_detail(conn, fused_id) if fused_id else None,
            }

        found = reader(fetch)
        if found is None:
            return missing(request, f"event {event_id!r}")
        event, article = found["event"], found["article"]
        text = article["text"] if article else ""
        rejected = [c for c in (article or {}).get("claims", []) if not c["accepted"]]
        return page(
            request,
            "event.html",
            title=f"{event['type']} event",
            event=event,
            record=event["record"],
            article=article,
            pieces=pieces(text, event_marks(event["record"])),
            fused=found["fused"],
            rejected=rejected,
            text=text,
        )

    @app.get("/ui/articles/{article_id}", include_in_schema=False, response_class=HTMLResponse)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        found = reader(lambda conn: data.article(conn, article_id))
        if found is None:
            return missing(request, f"article {article_id!r}")
        return page(
            request,
            "article.html",
            title=found["title"] or "Article",
            article=found,
            pieces=pieces(found["text"], claim_marks(found["claims"], len(found["text"]))),
        )

    @app.get("/ui/runs", include_in_schema=False, response_class=HTMLResponse)
    def runs_page(request: Request) -> HTMLResponse:
        found = reader(lambda conn: {"runs": data.runs(conn), "skips": data.skips(conn)})
        return page(request, "runs.html", title="Runs", **found)

    @app.get("/ui/runs/{run_id}", include_in_schema=False, response_class=HTMLResponse)
    def run_page(request: Request, run_id: int) -> HTMLResponse:
        found = reader(lambda conn: data.run(conn, run_id))
        if found is None:
            return missing(request, f"run {run_id}")
        return page(request, "run.html", title=f"Run {run_id}", run=found)

    @app.get("/ui/changes", include_in_schema=False, response_class=HTMLResponse)
    def changes_page(
        request: Request,
        until: date | None = None,
        days: Annotated[int, Query(ge=1, le=366)] = 7,
        group: Literal["country,type", "country", "type"] = "country,type",
        level: LevelQuery = q.DEFAULT_LEVEL,
    ) -> HTMLResponse:
        def fetch(conn: sqlite3.Connection) -> dict[str, Any]:
            end = until or data.latest_day(conn)
            if end is None:
                return {"window": None, "rows": []}
            window = data.Window(end, days)
            rows = data.surge(conn, window, tuple(group.split(",")), level)
            return {"window": window, "rows": rows}

        found = reader(fetch)
        return page(
            request,
            "changes.html",
            title="Change since last week",
            group=group,
            days=days,
            level=level,
            country_names=data.country_names(),
            **found,
        )
