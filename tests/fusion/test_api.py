from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from fusion.test_update import articles, store_all
from helpers import config as frame_config
from helpers import serving
from khabar.api import create_app
from khabar.fusion.update import update_fusion
from khabar.store import Store

KEY = "fusion-test-key"


@pytest.fixture
def api(database: str) -> Iterator[httpx.Client]:
    with Store.open(database) as store:
        store_all(store, articles(30, seed=8))
        update_fusion(store)
        store.commit()
    app = create_app(database, frame_config(api={"keys": [KEY]}))
    with serving(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


def test_fused_events_come_in_pages_with_their_reports(api: httpx.Client) -> None:
    every = api.get("/fused", params={"size": 1000}).json()["fused"]
    assert sum(f["reports"] for f in every) == 120
    several = api.get("/fused", params={"min_reports": 2, "size": 1000}).json()["fused"]
    assert several and all(f["reports"] >= 2 for f in several)
    first = api.get("/fused", params={"size": 2}).json()
    second = api.get("/fused", params={"size": 2, "after": first["next"]}).json()
    assert [f["id"] for f in first["fused"] + second["fused"]] == [f["id"] for f in every[:4]]
    detail = api.get(f"/fused/{several[0]['id']}").json()
    assert len(detail["events"]) == several[0]["reports"]
    assert {e["id"] for e in detail["events"]} == {r["event"] for r in detail["reports"]}
    assert set(detail["type"]["from"]) <= {e["id"] for e in detail["events"]}
    assert api.get("/fused/fz-none").status_code == 404


def test_a_merge_through_the_api_needs_a_key_and_holds(api: httpx.Client) -> None:
    singles = [
        f for f in api.get("/fused", params={"size": 1000}).json()["fused"] if f["reports"] == 1
    ]
    a, b = (api.get(f"/fused/{f['id']}").json()["events"][0]["id"] for f in singles[:2])
    body = {"kind": "merge", "events": [a, b], "note": "same attack"}
    assert api.post("/fused/decisions", json=body).status_code == 401
    done = api.post("/fused/decisions", json=body, headers={"X-API-Key": KEY})
    assert done.status_code == 200, done.text
    fused = done.json()["fused"]
    assert fused[a] == fused[b]
    assert len(api.get(f"/fused/{fused[a]}").json()["events"]) >= 2
    unknown = api.post(
        "/fused/decisions",
        json={"kind": "split", "events": [a, "nope"]},
        headers={"X-API-Key": KEY},
    )
    assert unknown.status_code == 400 and "no events nope" in unknown.json()["error"]["message"]


def test_events_and_counts_at_the_fused_level(api: httpx.Client) -> None:
    reports = api.get("/events", params={"country": "PAK", "size": 1000, "level": "report"}).json()[
        "events"
    ]
    fused = api.get("/events", params={"country": "PAK", "size": 1000}).json()  # the default
    assert fused["level"] == "fused" and 0 < len(fused["events"]) <= len(reports)
    for event in fused["events"]:
        members = api.get(f"/fused/{event['id']}").json()["events"]
        assert any(m["country"] == "PAK" for m in members)  # a report matches the filter
    by_type = api.get("/counts", params={"country": "PAK", "by": "type", "level": "fused"}).json()
    assert sum(c["count"] for c in by_type["counts"]) == len(fused["events"])
    streamed = api.get("/events", params={"country": "PAK", "level": "fused", "format": "ndjson"})
    assert len(streamed.text.splitlines()) == len(fused["events"])
    # By site (or actor): the fused events a site reported, each once per site that did.
    everything = api.get("/facets", params={"level": "fused"}).json()["total"]
    by_site = api.get("/counts", params={"by": "site"}).json()["counts"]
    assert all(0 < c["count"] <= everything for c in by_site)
    assert sum(c["count"] for c in by_site) >= everything
    site_reports = api.get("/counts", params={"by": "site", "level": "report"}).json()["counts"]
    reported = {c["key"]: c["count"] for c in site_reports}
    assert all(c["count"] <= reported[c["key"]] for c in by_site)
