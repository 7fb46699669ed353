"""``khabar serve``: the store over HTTP, read-only unless an API key is configured.

Every read goes through :mod:`khabar.store.query`, the same layer the CLI uses, on a read-only
connection of its own per request (SQLite in WAL mode serves many readers beside one writer).
Lists are keyset pages (``next`` is the cursor of the following page); ``format=ndjson`` streams
every matching row, however many, a page at a time. Every error has one shape::

    {"error": {"status": 400, "code": "bad_query", "message": "bbox south 95.0 is outside ..."}}
"""

# No `from __future__ import annotations`: FastAPI reads the route annotations at run time, and
# some name values local to `_add_routes`.
import hmac
import json
import logging
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field, model_validator
from starlette.exceptions import HTTPException

from khabar._version import __version__
from khabar.api.params import ApiError, EventQuery
from khabar.core.config import ApiSettings, Config
from khabar.core.errors import KhabarError, StoreError
from khabar.dashboard.routes import add_dashboard
from khabar.store import Store
from khabar.store import query as q
from khabar.store.database import connect_postgres, is_postgres, redacted

log = logging.getLogger(__name__)

NDJSON = "application/x-ndjson"
_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "acled": "text/csv; charset=utf-8",
    "jsonl": NDJSON,
    "parquet": "application/vnd.apache.parquet",
    "geojson": "application/geo+json",
}
Format = Literal["json", "ndjson"]
Level = q.Level
LEVEL_HELP = (
    "fused (the default): one row per real-world event, counted once however many articles "
    "reported it (those with a report that matches the filters); report: one row per "
    "article's report of an event"
)


class Submission(BaseModel):
    """An article to process: its HTML or its text, and what is known about it."""

    html: str | None = None
    text: str | None = None
    url: str | None = Field(default=None, max_length=2048)
    id: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=1000)
    published: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _one_body(self) -> Self:
        if (self.html is None) == (self.text is None):
            raise ValueError("give exactly one of html or text")
        return self


class Decision(BaseModel):
    """A user's fusion decision: these reports are one event (merge), or these two are not."""

    kind: Literal["merge", "split"]
    events: list[str] = Field(min_length=2, max_length=1000)
    note: str | None = Field(default=None, max_length=2000)


def create_app(db: str | Path, config: Config | None = None) -> FastAPI:
    """The API over the store at ``db`` (which must exist; it is migrated once, here)."""
    config = config or Config.load()
    settings = config.api
    where = str(db)
    if not is_postgres(where) and not Path(where).exists():
        raise StoreError(
            f"database {where} does not exist; run `khabar run ... --db {where}` first"
        )
    Store.open(where).close()  # brings the schema up to date before any reader opens it
    app = FastAPI(
        title="khabar",
        version=__version__,
        description="Political events coded from news, with the evidence for every field.",
    )
    reader = _Reader(where, settings)
    writer = _Writer(where, config)
    _add_error_handlers(app)
    _add_routes(app, reader, writer, settings)
    add_dashboard(app, reader, redacted(where))
    return app


class _Reader:
    def __init__(self, where: str, settings: ApiSettings) -> None:
        self.where = where
        self.uri = where if is_postgres(where) else f"{Path(where).resolve().as_uri()}?mode=ro"
        self.settings = settings

    def connect(self) -> sqlite3.Connection:
        # check_same_thread off: a streamed response is read on the server's worker threads.
        if is_postgres(self.where):
            return connect_postgres(self.where, readonly=True)  # type: ignore[return-value]
        conn = sqlite3.connect(self.uri, uri=True, check_same_thread=False, timeout=5.0)
        q.register_functions(conn)
        return conn

    def __call__(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        with closing(self.connect()) as conn, q.time_limit(conn, self.settings.query_timeout_s):
            return work(conn)

    def stream(self, rows: Callable[[sqlite3.Connection], Iterator[dict[str, Any]]]) -> Response:
        """Every row as one line of JSON, the query resumed page by page, each page limited."""

        def lines() -> Iterator[bytes]:
            with closing(self.connect()) as conn:
                produced = rows(conn)
                while True:
                    with q.time_limit(conn, self.settings.query_timeout_s):
                        chunk = [row for _, row in zip(range(500), produced, strict=False)]
                    if not chunk:
                        return
                    yield "".join(_line(row) for row in chunk).encode()

        return StreamingResponse(lines(), media_type=NDJSON)


class _Writer:
    """Submissions go through the full pipeline and the runner, one at a time."""

    def __init__(self, where: str, config: Config) -> None:
        self.path, self.config = where, config
        self.lock = threading.Lock()

    def submit(self, item: Submission) -> dict[str, Any]:
        line = {k: v for k, v in item.model_dump().items() if v is not None}
        from khabar.runner import run  # noqa: PLC0415 - loads the stages; only for writes

        with self.lock, tempfile.TemporaryDirectory(prefix="khabar-api-") as folder:
            # The runner reads inputs from places; one JSON Lines file is the submission's.
            source = Path(folder) / "submitted.jsonl"
            source.write_text(json.dumps(line) + "\n", encoding="utf-8")
            output = StringIO()
            summary = run([str(source)], self.config, db=self.path, output=output)
        records = [json.loads(r) for r in output.getvalue().splitlines() if r.strip()]
        record = records[0] if records else {}
        return {"run_id": summary.run_id, **record}

    def decide(self, decision: Decision) -> dict[str, Any]:
        from khabar.fusion.engine import Settings  # noqa: PLC0415
        from khabar.fusion.update import decide  # noqa: PLC0415

        settings = Settings.from_config(self.config)
        with self.lock, Store.open(self.path) as store:
            now = decide(store, decision.kind, decision.events, decision.note, settings)
            store.commit()
        return {"decision": decision.kind, "fused": now}


def _line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"


def _add_routes(app: FastAPI, reader: _Reader, writer: _Writer, settings: ApiSettings) -> None:
    size_query = Query(ge=1, le=settings.max_page_size, description="rows per page")

    @app.get("/events", summary="Events, filtered, a keyset page at a time (or all, as NDJSON)")
    def list_events(
        wanted: EventQuery,
        after: Annotated[str | None, Query(description="`next` of the previous page")] = None,
        size: Annotated[int, size_query] = settings.page_size,
        format: Format = "json",
        level: Annotated[Level, Query(description=LEVEL_HELP)] = q.DEFAULT_LEVEL,
    ) -> Any:
        if level == "fused":
            if format == "ndjson":
                return reader.stream(lambda conn: q.iter_fused_pages(conn, wanted))
            found = reader(lambda conn: q.fused_events_page(conn, wanted, after=after, size=size))
            return {"events": found.rows, "next": found.next, "size": found.size, "level": level}
        if format == "ndjson":
            return reader.stream(lambda conn: q.iter_events_pages(conn, wanted))
        page = reader(lambda conn: q.events_page(conn, wanted, after=after, size=size))
        return {"events": page.rows, "next": page.next, "size": page.size, "level": level}

    @app.get("/export", summary="A complete export: CSV, JSON Lines, Parquet, GeoJSON, ACLED")
    def export(
        wanted: EventQuery,
        what: Literal["events", "articles", "fused"] = "events",
        format: Literal["csv", "jsonl", "parquet", "geojson", "acled"] = "csv",
        level: Annotated[Level, Query(description=LEVEL_HELP)] = q.DEFAULT_LEVEL,
    ) -> Any:
        """Every matching row, streamed, the same bytes `khabar export` writes (see
        docs/exports.md); event filters apply to events only. ``what=fused`` is
        ``what=events&level=fused``."""
        from khabar.export.stream import SUFFIX, Export, exported  # noqa: PLC0415 - pyarrow

        what = exported(what, level)
        conn = reader.connect()
        if isinstance(conn, sqlite3.Connection):
            conn.row_factory = sqlite3.Row
        try:
            job = Export(Store(conn, redacted(reader.where)), what, format, wanted)
        except BaseException:
            conn.close()
            raise

        def chunks() -> Iterator[bytes]:
            with closing(conn):
                yield from job.chunks()

        name = f"khabar-{what}{SUFFIX[format]}"
        return StreamingResponse(
            chunks(),
            media_type=_MEDIA[format],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @app.get("/events/{event_id}", summary="One event with its evidence and its article")
    def get_event(event_id: str) -> Any:
        found = reader(lambda conn: q.event_detail(conn, event_id))
        if found is None:
            raise ApiError(404, "not_found", f"no event {event_id!r}")
        return found

    _add_article_routes(app, reader, size_query, settings)
    _add_sync_routes(app, reader, size_query, settings)
    _add_fused_routes(app, reader, size_query, settings)
    _add_write_routes(app, writer, settings)


def _add_article_routes(
    app: FastAPI, reader: _Reader, size_query: Any, settings: ApiSettings
) -> None:
    @app.get("/articles", summary="Articles (without text), a keyset page at a time")
    def list_articles(
        site: Annotated[list[str], Query()] = [],  # noqa: B006
        q_: Annotated[str | None, Query(alias="q", description="words in title or text")] = None,
        language: str | None = None,
        start: date | None = None,
        end: date | None = None,
        after: str | None = None,
        size: Annotated[int, size_query] = settings.page_size,
        format: Format = "json",
    ) -> Any:
        try:
            wanted = q.ArticleFilter(
                sites=tuple(site), text=q_, language=language, start=start, end=end
            )
        except q.QueryError as exc:
            raise ApiError(400, "bad_query", str(exc)) from exc
        if format == "ndjson":
            return reader.stream(lambda conn: q.iter_article_pages(conn, wanted))
        page = reader(lambda conn: q.articles_page(conn, wanted, after=after, size=size))
        return {"articles": page.rows, "next": page.next, "size": page.size}

    @app.get("/articles/{article_id}", summary="The full record of one article")
    def get_article(article_id: str) -> Any:
        def fetch(conn: sqlite3.Connection) -> dict[str, Any] | None:
            store = Store(conn, redacted(reader.where))
            if isinstance(conn, sqlite3.Connection):
                conn.row_factory = sqlite3.Row
            article = store.get_article(article_id)
            return article.to_record() if article else None

        found = reader(fetch)
        if found is None:
            raise ApiError(404, "not_found", f"no article {article_id!r}")
        return found


def _add_sync_routes(app: FastAPI, reader: _Reader, size_query: Any, settings: ApiSettings) -> None:
    @app.get("/counts", summary="How many events per day/week/month/year, type, country, actor")
    def get_counts(
        wanted: EventQuery,
        by: Annotated[str, Query(description=", ".join(q.GROUPS))] = "month",
        top: Annotated[int | None, Query(ge=1, le=1000)] = None,
        level: Annotated[Level, Query(description=LEVEL_HELP)] = q.DEFAULT_LEVEL,
    ) -> Any:
        if by not in q.GROUPS:
            raise ApiError(400, "bad_query", f"by={by!r}: choose one of {', '.join(q.GROUPS)}")
        if level == "fused":
            rows = reader(lambda conn: q.fused_counts(conn, wanted, by, top=top))
        else:
            rows = reader(lambda conn: q.counts(conn, wanted, by, top=top))
        return {"by": by, "counts": rows, "level": level}

    @app.get("/facets", summary="The commonest values of each facet among matching events")
    def get_facets(
        wanted: EventQuery,
        top: Annotated[int, Query(ge=1, le=100)] = 20,
        level: Annotated[Level, Query(description=LEVEL_HELP)] = q.DEFAULT_LEVEL,
    ) -> Any:
        count = q.fused_facets if level == "fused" else q.facets
        return {**reader(lambda conn: count(conn, wanted, top=top)), "level": level}

    @app.get("/changes", summary="Events created or updated since a cursor, date or time")
    def get_changes(
        since: Annotated[str | None, Query(description="`next` of the last call, or ISO")] = None,
        size: Annotated[int, size_query] = settings.page_size,
    ) -> Any:
        page = reader(lambda conn: q.changes(conn, since, size=size))
        return {"events": page.rows, "next": page.next, "more": page.extra["more"]}

    @app.get("/deleted", summary="Events deleted since a cursor, date or time, with why")
    def get_deleted(
        since: Annotated[str | None, Query(description="`next` of the last call, or ISO")] = None,
        size: Annotated[int, size_query] = settings.page_size,
    ) -> Any:
        page = reader(lambda conn: q.deleted(conn, since, size=size))
        return {"deleted": page.rows, "next": page.next, "more": page.extra["more"]}


def _add_fused_routes(
    app: FastAPI, reader: _Reader, size_query: Any, settings: ApiSettings
) -> None:
    @app.get("/fused", summary="Fused events (reports of one real-world event), a page at a time")
    def list_fused(
        type: Annotated[list[str], Query(description="PLOVER type (repeatable)")] = [],  # noqa: B006
        country: Annotated[list[str], Query(description="ISO3 code (repeatable)")] = [],  # noqa: B006
        start: date | None = None,
        end: date | None = None,
        min_reports: Annotated[int, Query(ge=1, description="at least this many reports")] = 1,
        after: str | None = None,
        size: Annotated[int, size_query] = settings.page_size,
    ) -> Any:
        try:
            wanted = q.EventFilter(
                types=tuple(type), countries=tuple(country), start=start, end=end
            )
        except q.QueryError as exc:
            raise ApiError(400, "bad_query", str(exc)) from exc
        page = reader(
            lambda conn: q.fused_events_page(
                conn, wanted, after=after, size=size, min_reports=min_reports
            )
        )
        return {"fused": page.rows, "next": page.next, "size": page.size}

    @app.get("/fused/{fused_id}", summary="One fused event: each field with its reports")
    def get_fused(fused_id: str) -> Any:
        found = reader(lambda conn: q.fused_detail(conn, fused_id))
        if found is None:
            raise ApiError(404, "not_found", f"no fused event {fused_id!r}")
        return found


def _add_write_routes(app: FastAPI, writer: _Writer, settings: ApiSettings) -> None:
    def require_key(
        authorization: Annotated[str | None, Header()] = None,
        x_api_key: Annotated[str | None, Header()] = None,
    ) -> None:
        if not settings.keys:
            raise ApiError(
                403, "read_only", "this server is read-only: no API keys are configured (api.keys)"
            )
        given = x_api_key or (authorization or "").removeprefix("Bearer ").strip()
        # Compare against every key, in constant time, so timing says nothing about any key.
        matched = False
        for key in settings.keys:
            matched |= hmac.compare_digest(given.encode(), key.encode())
        if not given or not matched:
            raise ApiError(401, "unauthorized", "a valid API key is needed to write")

    @app.post(
        "/fused/decisions",
        summary="Merge reports into one fused event, or split two apart (needs an API key)",
        dependencies=[Depends(require_key)],
    )
    async def post_decision(decision: Decision) -> Any:
        from starlette.concurrency import run_in_threadpool  # noqa: PLC0415

        return await run_in_threadpool(writer.decide, decision)

    @app.post(
        "/articles",
        summary="Process and store one article (needs an API key)",
        dependencies=[Depends(require_key)],
    )
    async def post_article(request: Request) -> Any:
        body = await request.body()
        if len(body) > settings.max_body_bytes:
            raise ApiError(
                413, "too_large", f"the body is over api.max_body_bytes ({settings.max_body_bytes})"
            )
        try:
            item = Submission.model_validate_json(body)
        except ValueError as exc:
            raise ApiError(422, "invalid", f"the body is not a valid submission: {exc}") from exc
        from starlette.concurrency import run_in_threadpool  # noqa: PLC0415

        return await run_in_threadpool(writer.submit, item)


def _add_error_handlers(app: FastAPI) -> None:
    def problem(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
        body = {"error": {"status": status, "code": code, "message": message, **extra}}
        return JSONResponse(body, status_code=status)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return problem(exc.status, exc.code, exc.message)

    @app.exception_handler(q.QueryTimeout)
    async def timeout(_: Request, exc: q.QueryTimeout) -> JSONResponse:
        return problem(503, "query_timeout", str(exc))

    @app.exception_handler(q.QueryError)
    async def bad_query(_: Request, exc: q.QueryError) -> JSONResponse:
        return problem(400, "bad_query", str(exc))

    @app.exception_handler(KhabarError)
    async def khabar_error(_: Request, exc: KhabarError) -> JSONResponse:
        return problem(400, "rejected", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        return problem(422, "invalid", "the request's parameters are not valid", details=details)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return problem(exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error serving %s", request.url.path)
        return problem(500, "internal", "an unexpected error; the server log has the details")
