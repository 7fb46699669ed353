from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import anyio
import httpx
import pytest

from helpers import config as frame_config
from helpers import postgres_database, serving
from khabar.api import create_app
from khabar.core.config import Config
from khabar.fusion.update import fuse_stored
from khabar.store import Store
from khabar.store.synthetic import synthetic_articles

KEY = "k3y-for-tests-only"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store of 40 synthetic articles of 5 events, on each database khabar supports."""
    with ExitStack() as stack:
        where = str(tmp_path_factory.mktemp("api") / "khabar.db")
        if request.param == "postgresql":
            where = stack.enter_context(postgres_database())
        with Store.open(where) as store:
            run = store.begin_run(["synthetic"], {})
            for article in synthetic_articles(40, events_per_article=5):
                store.add_article(article, run)
            fuse_stored(store, Config.load(env={}))
        yield where


@pytest.fixture(scope="module")
def api(db: str) -> Iterator[httpx.Client]:
    """The API served by uvicorn on loopback, as a user reaches it."""
    config = frame_config(api={"keys": [KEY]})
    with serving(create_app(db, config)) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


@pytest.mark.parametrize("level", ["fused", "report"])
def test_events_come_in_keyset_pages_that_cover_everything_once(
    api: httpx.Client, level: str
) -> None:
    seen: list[str] = []
    params: dict[str, object] = {"size": 60, "level": level}
    while True:
        page = api.get("/events", params=params).json()
        assert page["level"] == level
        seen += [e["id"] for e in page["events"]]
        if page["next"] is None:
            break
        params["after"] = page["next"]
    total = api.get("/facets", params={"level": level}).json()["total"]
    assert len(seen) == total and seen == sorted(set(seen))
    # 200 reports of 200 different made-up events: fusion finds nothing to join.
    assert total == 200
    streamed = api.get("/events", params={"format": "ndjson", "level": level})
    assert streamed.headers["content-type"] == "application/x-ndjson"
    assert [json.loads(line)["id"] for line in streamed.text.splitlines()] == seen


@pytest.mark.parametrize("level", ["fused", "report"])
def test_filters_narrow_and_agree_with_counts(api: httpx.Client, level: str) -> None:
    def events(**params: object) -> list[dict[str, Any]]:
        found = api.get("/events", params={**params, "size": 1000, "level": level}).json()
        rows: list[dict[str, Any]] = found["events"]
        return rows

    pak = events(country="PAK")
    assert pak and {e["country"] for e in pak} == {"PAK"}
    by_country = api.get("/counts", params={"by": "country", "level": level}).json()["counts"]
    assert {"key": "PAK", "count": len(pak)} in by_country
    boxed = events(bbox="60,25,80,40")
    assert boxed and all(25 <= e["lat"] <= 40 and 60 <= e["lon"] <= 80 for e in boxed)
    near = events(near="33.69,73.06,200")
    assert near and {e["country"] for e in near} <= {"PAK", "AFG", "IND"}
    dated = events(start="2023-06-01", end="2023-06-30")
    assert all("2023-06-01" <= e["time_start"] <= "2023-06-30" for e in dated)
    facets = api.get("/facets", params={"type": "PROTEST", "level": level}).json()
    assert facets["facets"]["type"] == [{"key": "PROTEST", "count": facets["total"]}]
    # Every facet counts each event once per value: no site or actor counts more events
    # than match.
    assert all(f["count"] <= facets["total"] for v in facets["facets"].values() for f in v)


def test_an_event_has_its_evidence_and_its_article(api: httpx.Client) -> None:
    first = api.get("/events", params={"size": 1, "level": "report"}).json()["events"][0]
    event = api.get(f"/events/{first['id']}").json()
    assert event["article"]["id"] == first["article_id"]
    assert {"field": "sentence", "text": first["sentence"]}.items() <= next(
        e for e in event["evidence"] if e["field"] == "sentence"
    ).items()
    article = api.get(f"/articles/{first['article_id']}").json()
    assert article["id"] == first["article_id"] and first["sentence"] in article["text"]


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/events", {"bbox": "0,95,10,96"}, 400, "bad_query"),
        ("/events", {"near": "0,0,50000"}, 400, "bad_query"),
        ("/events", {"q": "a"}, 400, "bad_query"),
        ("/events", {"size": 100000}, 422, "invalid"),
        ("/events", {"after": "not-a-cursor"}, 400, "bad_query"),
        ("/events", {"start": "yesterday"}, 422, "invalid"),
        ("/counts", {"by": "colour"}, 400, "bad_query"),
        ("/changes", {"since": "last tuesday"}, 400, "bad_query"),
        ("/events/nothing-here", {}, 404, "not_found"),
        ("/no/such/path", {}, 404, "http_error"),
    ],
)
def test_every_error_has_one_shape(
    api: httpx.Client, path: str, params: dict[str, object], status: int, code: str
) -> None:
    response = api.get(path, params=params)
    assert response.status_code == status
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (status, code) and error["message"]


def test_changes_since_a_cursor_return_each_event_once(api: httpx.Client) -> None:
    first = api.get("/changes", params={"size": 150}).json()
    assert len(first["events"]) == 150 and first["more"]
    rest = api.get("/changes", params={"since": first["next"], "size": 1000}).json()
    assert len(rest["events"]) == 50 and not rest["more"]
    ids = [e["id"] for e in first["events"] + rest["events"]]
    assert len(set(ids)) == 200
    assert api.get("/deleted").json()["deleted"] == []


def test_writing_needs_a_valid_key(api: httpx.Client) -> None:
    body = {"text": "too short"}
    assert api.post("/articles", json=body).status_code == 401
    assert api.post("/articles", json=body, headers={"X-API-Key": "wrong"}).status_code == 401
    response = api.post(
        "/articles", json={"html": "<p>x</p>", "text": "x"}, headers={"X-API-Key": KEY}
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"


def test_a_submitted_article_is_processed_and_stored(api: httpx.Client, db: str) -> None:
    text = (
        "Police arrested twelve protesters in Lahore on Tuesday after a march on the provincial "
        "assembly, officials said. The protesters had demanded the release of detained leaders "
        "and an end to power cuts that have lasted for weeks across the province."
    )
    response = api.post(
        "/articles",
        json={"text": text, "id": "submitted-1", "url": "https://example.org/lahore"},
        headers={"Authorization": f"Bearer {KEY}"},
    )
    assert response.status_code == 200, response.text
    stored = response.json()
    assert stored["run_id"] > 0 and stored["id"]
    article = api.get(f"/articles/{stored['id']}").json()
    assert article["text"].startswith("Police arrested twelve protesters")


def test_a_read_only_server_refuses_writes(db: str) -> None:
    app = create_app(db, frame_config())

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://khabar") as client:
            return await client.post("/articles", json={"text": "x"}, headers={"X-API-Key": KEY})

    response = anyio.run(post)
    assert response.status_code == 403 and response.json()["error"]["code"] == "read_only"
    assert {"/changes", "/deleted", "/events/{event_id}"} <= set(app.openapi()["paths"])


def test_exports_come_whole_from_the_api_as_from_the_cli(api: httpx.Client) -> None:
    csv_export = api.get("/export", params={"what": "events", "format": "csv", "country": "PAK"})
    assert csv_export.status_code == 200 and csv_export.headers["content-type"].startswith(
        "text/csv"
    )
    pak = api.get("/events", params={"country": "PAK", "size": 1000}).json()["events"]
    assert len(csv_export.text.splitlines()) == len(pak) + 1  # a header and every event
    geo = api.get("/export", params={"format": "geojson"}).json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 200
    wrong = api.get("/export", params={"what": "articles", "format": "geojson"})
    assert wrong.status_code == 400 and "does not apply" in wrong.json()["error"]["message"]


def test_articles_come_in_pages_or_as_one_stream(api: httpx.Client) -> None:
    first = api.get("/articles", params={"size": 30}).json()
    rest = api.get("/articles", params={"size": 1000, "after": first["next"]}).json()
    paged = [a["id"] for a in first["articles"] + rest["articles"]]
    streamed = api.get("/articles", params={"format": "ndjson"}).text.splitlines()
    assert len(paged) >= 40 and len(first["articles"]) == 30 and rest["next"] is None
    assert paged == sorted(set(paged))  # each once, in id order
    assert [json.loads(line)["id"] for line in streamed] == paged
