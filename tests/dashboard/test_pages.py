"""The dashboard's pages and feeds, served from a store on each database khabar supports.

The store holds synthetic articles (known events, places and dates) and one hostile article,
run through the real pipeline, whose title and text carry script, ``onerror``, ``javascript:``
and iframe payloads. What a real browser does with the pages is in ``test_browser.py``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import httpx
import pytest

from helpers import postgres_database, serving
from khabar.api import create_app
from khabar.core.article import Evidence
from khabar.core.config import Config
from khabar.dashboard import data
from khabar.dashboard.routes import CSP, safe_url, table_csv
from khabar.runner import run
from khabar.store import Store
from khabar.store.synthetic import synthetic_articles

HOSTILE = Path(__file__).parent / "hostile.jsonl"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with ExitStack() as stack:
        where = str(tmp_path_factory.mktemp("dash") / "khabar.db")
        if request.param == "postgresql":
            where = stack.enter_context(postgres_database())
        with Store.open(where) as store:
            run_id = store.begin_run(["synthetic"], {})
            for n, article in enumerate(
                synthetic_articles(20, events_per_article=5, start=date(2024, 1, 1))
            ):
                if n == 0:  # a link no browser should follow, and a rejected date candidate
                    article.url = "javascript:alert(document.domain)"
                    article.claim(
                        "published",
                        "2019-03-04",
                        method="html.widget",
                        evidence=Evidence.text_span(0, 6),
                        accepted=False,
                        note="a date widget, not the publication date",
                    )
                store.add_article(article, run_id)
            store.finish_run(run_id, "finished", {"stored": 20})
        summary = run([str(HOSTILE)], Config.load(env={}), db=where)
        assert summary.stored == 1
        yield where


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[httpx.Client]:
    with (
        serving(create_app(db, Config.load(env={}))) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        yield client


def hostile_event(client: httpx.Client) -> dict[str, str]:
    events = client.get(
        "/ui/data/table", params={"q": "livestock", "limit": 50, "level": "report"}
    ).json()
    return next(e for e in events["events"] if e["killed_best"] == 4)


def test_the_root_opens_the_dashboard_under_a_strict_policy(client: httpx.Client) -> None:
    home = client.get("/", follow_redirects=False)
    assert home.status_code == 307 and home.headers["location"] == "/ui/"
    page = client.get("/ui/")
    policy = page.headers["content-security-policy"]
    assert policy == CSP
    assert "unsafe" not in policy and "script-src 'self'" in policy and "http" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    # Everything the page loads is the server's own: no CDN, no tile server, no inline script.
    loaded = re.findall(r'<(?:script|link|img|iframe)\b[^>]*?(?:src|href)="([^"]*)"', page.text)
    assert loaded and all(u.startswith("/ui/static/") or u.startswith("data:") for u in loaded)
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)
    assert " style=" not in page.text


def test_the_filter_form_offers_the_stored_values_and_keeps_the_chosen_ones(
    client: httpx.Client,
) -> None:
    page = client.get("/ui/", params={"type": "PROTEST", "country": "PAK", "q": "market"}).text
    offered = set(re.findall(r'name="type" value="([A-Z]+)"', page))
    assert {"ASSAULT", "PROTEST", "CONSULT"} <= offered
    assert re.search(r'name="type" value="PROTEST" checked', page)
    assert not re.search(r'name="type" value="ASSAULT" checked', page)
    assert re.search(r'name="country" value="PAK" checked', page)
    assert "Pakistan" in page  # countries by name, not only their codes
    assert 'value="market"' in page


@pytest.mark.parametrize("level", ["fused", "report"])
def test_map_timeline_and_table_feeds_agree_with_the_filter(
    client: httpx.Client, level: str
) -> None:
    wanted = {"country": "PAK", "type": ["ASSAULT", "PROTEST"], "level": level}
    points = client.get("/ui/data/points", params=wanted).json()
    counted = client.get("/counts", params={**wanted, "by": "type"}).json()["counts"]
    assert points["total"] == sum(c["count"] for c in counted) > 0
    assert {p[3] for p in points["points"]} <= {"ASSAULT", "PROTEST"}
    assert all(p[7] == "PAK" for p in points["points"])
    timeline = client.get("/ui/data/timeline", params={**wanted, "by": "month"}).json()
    assert sum(b["count"] for b in timeline["buckets"]) + timeline["undated"] == points["total"]
    assert all(re.fullmatch(r"\d{4}-\d{2}", b["key"]) for b in timeline["buckets"])
    weeks = client.get("/ui/data/timeline", params={**wanted, "by": "week"}).json()["buckets"]
    assert all(date.fromisoformat(b["key"]).weekday() == 0 for b in weeks)  # named by Monday
    table = client.get("/ui/data/table", params={**wanted, "limit": 1000}).json()["events"]
    assert len(table) == points["total"]
    assert Counter(e["type"] for e in table) == {c["key"]: c["count"] for c in counted}


@pytest.mark.parametrize("level", ["fused", "report"])
def test_the_table_sorts_and_its_csv_repeats_exactly_the_rows_in_view(
    client: httpx.Client, level: str
) -> None:
    params = {
        "sort": "killed_best",
        "order": "desc",
        "limit": 25,
        "min_confidence": 0.1,
        "level": level,
    }
    rows = client.get("/ui/data/table", params=params).json()["events"]
    killed = [r["killed_best"] for r in rows]
    assert len(rows) == 25 and killed == sorted(killed, reverse=True)
    download = client.get("/ui/data/table", params={**params, "format": "csv"})
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(download.text)))
    assert [r["id"] for r in table] == [r["id"] for r in rows]
    assert table[0]["actors"] == "; ".join(a.split("|")[0] for a in rows[0]["actors"])
    ascending = client.get("/ui/data/table", params={**params, "order": "asc"}).json()["events"]
    assert [r["killed_best"] for r in ascending] == sorted(r["killed_best"] for r in ascending)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"sort": "sentence; DROP TABLE events"}, 400),
        ({"limit": 100000}, 422),
        ({"order": "sideways"}, 422),
        ({"bbox": "0,95,10,96"}, 400),
    ],
)
def test_a_bad_table_query_is_refused_with_the_reason(
    client: httpx.Client, params: dict[str, object], status: int
) -> None:
    answer = client.get("/ui/data/table", params=params)
    assert answer.status_code == status
    assert answer.json()["error"]["message"]


def test_the_event_page_highlights_every_field_s_evidence(client: httpx.Client) -> None:
    event = hostile_event(client)
    detail = client.get(f"/events/{event['id']}").json()
    page = client.get(f"/ui/events/{event['id']}")
    assert page.status_code == 200 and page.headers["content-security-policy"] == CSP
    trigger = next(e for e in detail["evidence"] if e["field"] == "trigger")
    marked = re.search(r'id="ev-trigger"[^>]*></span><mark class="([^"]*)"[^>]*>([^<]*)', page.text)
    assert marked and "hl-trigger" in marked.group(1)
    assert trigger["text"].startswith(marked.group(2))
    record = detail["record"]
    if record.get("place"):
        assert 'id="ev-place"' in page.text and 'href="#ev-place"' in page.text
    assert record["killed"]["best"] == 4 and 'id="ev-killed-0"' in page.text
    # Its fused event: the reports of the same attack, with the toll reconciled.
    assert "This event, fused from" in page.text and "(this report)" in page.text
    assert re.search(r"<strong>Killed</strong>: best 4 \(low 4, high 4\)", page.text)


def test_no_payload_in_an_article_reaches_the_page_as_markup(client: httpx.Client) -> None:
    event = hostile_event(client)
    article_id = event["article_id"]
    for path in (f"/ui/events/{event['id']}", f"/ui/articles/{article_id}", "/ui/runs/2"):
        page = client.get(path).text
        assert "Kaduna" in page
        scripts = re.findall(r"<script\b[^>]*>", page)
        assert all(re.fullmatch(r'<script src="/ui/static/[\w./-]+" defer>', s) for s in scripts)
        assert not re.search(r"<(img|iframe|object|embed)\b", page)
        assert not re.search(r"<[a-z]+\b[^>]*\son[a-z]+=", page)
        assert not re.search(r"(href|src)=\"\s*javascript:", page, re.IGNORECASE)
    article = client.get(f"/ui/articles/{article_id}").text
    assert "&lt;script&gt;window.__khabar_xss = &#39;title&#39;&lt;/script&gt;" in article
    assert "&lt;iframe src=&#34;javascript:" in article


def test_a_link_no_browser_should_follow_is_shown_as_text(client: httpx.Client) -> None:
    first = client.get("/articles", params={"size": 100}).json()["articles"]
    target = next(a for a in first if (a["url"] or "").startswith("javascript:"))
    page = client.get(f"/ui/articles/{target['id']}").text
    assert 'href="javascript:' not in page
    assert "<code>javascript:alert(document.domain)</code> (not a web address; not linked)" in page
    assert safe_url("https://example.org/a") == "https://example.org/a"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x"):
        assert safe_url(bad) is None


def test_rejected_candidates_are_shown_with_their_reason(client: httpx.Client) -> None:
    first = client.get("/articles", params={"size": 100}).json()["articles"]
    target = next(a for a in first if (a["url"] or "").startswith("javascript:"))
    event = client.get(f"/articles/{target['id']}").json()["events"][0]
    page = client.get(f"/ui/events/{event['id']}").text
    why_not = page[page.index('class="why-not"') :]
    assert "Why not: rejected candidates (1)" in why_not
    assert "2019-03-04" in why_not and "a date widget, not the publication date" in why_not
    assert "html.widget" in why_not


def test_the_runs_page_says_what_was_ingested_and_skipped(
    client: httpx.Client, db: str, tmp_path: Path
) -> None:
    short = tmp_path / "short.txt"
    short.write_text("Too short.", encoding="utf-8")
    summary = run([str(short)], Config.load(env={}), db=db)
    page = client.get("/ui/runs").text
    assert f'href="/ui/runs/{summary.run_id}"' in page
    assert "too_short" in page and "short.txt" in page
    detail = client.get(f"/ui/runs/{summary.run_id}").text
    assert "1 at clean: too_short" in detail
    hostile_run = client.get("/ui/runs/2").text
    assert "Gunmen kill four at Kaduna market" in hostile_run


def test_change_since_last_week_compares_two_equal_windows(client: httpx.Client, db: str) -> None:
    with Store.open(db) as store:
        rows = store.conn.execute(
            "SELECT country, type, substr(time_start, 1, 10) FROM events "
            "WHERE time_start IS NOT NULL"
        ).fetchall()
        latest = data.latest_day(store.conn)
    assert latest is not None
    window = data.Window(latest, 30)
    expected: Counter[tuple[str, str, str]] = Counter()
    for country, type_, day in rows:
        if window.start.isoformat() <= day <= window.until.isoformat():
            expected[country, type_, "now"] += 1
        elif window.before_start.isoformat() <= day <= window.before_end.isoformat():
            expected[country, type_, "before"] += 1
    with Store.open(db) as store:
        found = data.surge(store.conn, window)
    assert found
    for row in found:
        assert row["now"] == expected[row["country"], row["type"], "now"]
        assert row["before"] == expected[row["country"], row["type"], "before"]
    changes = [r["change"] for r in found]
    assert changes == sorted(changes, reverse=True)
    page = client.get("/ui/changes", params={"days": 30}).text
    assert f"to {latest.isoformat()}" in page
    top = found[0]
    assert f"country={top['country']}" in page and f"type={top['type']}" in page


def test_unknown_pages_are_html_404s(client: httpx.Client) -> None:
    for path in ("/ui/events/none-such", "/ui/articles/none-such", "/ui/runs/999999"):
        page = client.get(path)
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert "There is no" in page.text


def test_static_files_are_served_compressed(client: httpx.Client) -> None:
    script = client.get("/ui/static/dashboard.js", headers={"Accept-Encoding": "gzip"})
    assert script.status_code == 200 and script.headers["content-encoding"] == "gzip"
    assert "textContent" in script.text and "innerHTML" not in script.text


def test_the_csv_keeps_a_formula_in_an_article_as_text() -> None:
    row: dict[str, object] = dict.fromkeys(data.TABLE_COLUMNS)
    row.update(id="e1", sentence='=HYPERLINK("http://x")', actors=["@name|PAK|GOV"], targets=[])
    parsed = list(csv.DictReader(io.StringIO(table_csv([row]))))
    assert parsed[0]["sentence"] == '\'=HYPERLINK("http://x")'
    assert parsed[0]["actors"] == "'@name" and parsed[0]["targets"] == ""
