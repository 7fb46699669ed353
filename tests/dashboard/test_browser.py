"""The dashboard in a real browser: headless Chromium (Debian's, at /usr/bin/chromium) driven by
Playwright against ``khabar serve`` on loopback, over the bundled sample corpus and one hostile
article. Screenshots of the main views go to ``out/screenshots/`` (or $KHABAR_SCREENSHOTS).

Skipped, with the reason, where there is no Chromium, no Playwright or no map assets (``make``
installs all three).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from helpers import free_port

CHROMIUM = Path(os.environ.get("KHABAR_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
VENDOR = ROOT / "src" / "khabar" / "dashboard" / "static" / "vendor"
HOSTILE = Path(__file__).parent / "hostile.jsonl"
SHOTS = Path(os.environ.get("KHABAR_SCREENSHOTS", ROOT / "out" / "screenshots"))

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (make installs it)"
    ),
    pytest.mark.skipif(
        not (VENDOR / "leaflet.js").exists(), reason="no map assets (make runs npm in web/)"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``khabar serve`` over the sample corpus and the hostile article, on a loopback port."""
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "khabar.db"
    with resources.as_file(resources.files("khabar").joinpath("data/sample")) as sample:
        subprocess.run(
            [sys.executable, "-m", "khabar", "run", str(sample), str(HOSTILE), "--db", str(db)],
            check=True,
            capture_output=True,
            timeout=600,
        )
    port = free_port()
    log = (folder / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "khabar", "serve", "--db", str(db), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert process.poll() is None, (folder / "serve.log").read_text()
        assert time.monotonic() < deadline, "khabar serve did not start"
        time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(10)
    log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


class Watched:
    """A page and everything it asked for and complained about."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on(
            "console",
            lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None,
        )
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def off_loopback(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).hostname not in ("127.0.0.1",)]


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1366, "height": 800}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    seen = Watched(page)
    yield seen
    context.close()
    # Whatever the test did: nothing left loopback, nothing failed, no script ran a dialog.
    assert seen.off_loopback() == []
    assert seen.problems == []
    assert seen.dialogs == []


def loaded(page: Any) -> None:
    """Wait until the events view has drawn what its feeds returned."""
    page.wait_for_function(
        "() => /events match/.test(document.getElementById('summary').textContent)"
    )


def table_ids(page: Any) -> list[str]:
    links = page.eval_on_selector_all(
        "#events tbody tr td:first-child a", "els => els.map(a => a.getAttribute('href'))"
    )
    return [link.rsplit("/", 1)[-1] for link in links]


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_the_map_shows_markers_over_country_boundaries(server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server}/ui/")
    loaded(page)
    page.wait_for_selector(".leaflet-marker-icon")
    markers = page.locator(".leaflet-marker-icon").count()
    assert markers > 5
    # Natural Earth's countries, drawn once their shapes arrive, shaded by events.
    page.wait_for_function("() => document.querySelectorAll('path.country').length > 150")
    assert (
        page.locator(
            "path.country.c1, path.country.c2, path.country.c3, path.country.c4, path.country.c5"
        ).count()
        > 3
    )  # shaded by events
    assert page.locator(".timeline rect.bar").count() > 10
    assert len(table_ids(page)) > 10
    shot(page, "events")
    # Opening an event from the map: a cluster zooms in, a marker opens its popup and link.
    single = page.locator(".leaflet-marker-icon.pt").first
    if single.count() == 0:
        page.locator(".leaflet-marker-icon.cluster").first.click()
        page.wait_for_selector(".leaflet-marker-icon.pt")
        single = page.locator(".leaflet-marker-icon.pt").first
    single.click(force=True)
    link = page.locator(".leaflet-popup a", has_text="Open the event")
    link.click()
    page.wait_for_url("**/ui/events/*")
    assert page.locator("mark.hl-trigger").count() >= 1


def test_a_filter_changes_table_timeline_map_and_address(server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server}/ui/")
    loaded(page)
    before = len(table_ids(page))
    page.get_by_label("PROTEST").check()
    page.wait_for_function("() => location.search.includes('type=PROTEST')")
    loaded(page)
    types = page.eval_on_selector_all(
        "#events tbody tr td:nth-child(2)", "els => els.map(e => e.textContent.trim())"
    )
    assert types and set(types) == {"PROTEST"} and len(types) < before
    bars = page.eval_on_selector_all(
        ".timeline rect.bar", "els => els.map(e => [...e.classList].find(c => c.startsWith('t-')))"
    )
    assert bars and set(bars) == {"t-PROTEST"}
    assert set(
        page.eval_on_selector_all(
            ".leaflet-marker-icon.pt",
            "e => e.map(x => [...x.classList].find(c => c.startsWith('t-')))",
        )
    ) <= {"t-PROTEST"}
    # The address is the view: opened afresh, it shows the same rows with the box ticked.
    kept = table_ids(page)
    page.goto(page.url)
    loaded(page)
    assert page.get_by_label("PROTEST").is_checked() and table_ids(page) == kept


def test_sorting_and_the_csv_download_have_exactly_the_rows_in_view(
    server: str, watched: Watched, tmp_path: Path
) -> None:
    page = watched.page
    page.goto(f"{server}/ui/")
    loaded(page)
    page.locator("th button[data-sort='killed_best']").click()
    page.wait_for_function("() => location.search.includes('sort=killed_best')")
    loaded(page)
    assert page.locator("th[data-sort='killed_best']").get_attribute("aria-sort") == "descending"
    column = page.eval_on_selector_all("#events thead th", "els => els.map(e => e.dataset.sort)")
    killed = page.eval_on_selector_all(
        f"#events tbody tr td:nth-child({column.index('killed_best') + 1})",
        "els => els.map(e => e.textContent)",
    )
    numbers = [int(k) for k in killed if k]
    assert numbers and numbers == sorted(numbers, reverse=True)
    with page.expect_download() as download:
        page.locator("#csv").click()
    saved = tmp_path / "rows.csv"
    download.value.save_as(saved)
    with saved.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # Fused events, by default: each row opens the page of the report named in `link`.
    assert [r["link"] for r in rows] == table_ids(page)
    assert all(int(r["reports"]) >= 1 for r in rows)


def test_counting_reports_instead_of_real_world_events(server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server}/ui/")
    loaded(page)
    fused = page.locator("#summary").text_content() or ""
    assert "real-world events match" in fused
    assert page.locator("th[data-sort='reports']").count() == 1
    page.locator("input[name='level'][value='report']").check()
    page.wait_for_function("() => location.search.includes('level=report')")
    loaded(page)
    reports = page.locator("#summary").text_content() or ""
    assert "reports of events match" in reports
    assert page.locator("th[data-sort='confidence']").count() == 1
    assert page.locator("th[data-sort='reports']").count() == 0
    # Every real-world event has at least one report: never more of them than reports.
    assert int(fused.split()[0]) <= int(reports.split()[0])


def test_brushing_the_timeline_picks_the_dates(server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server}/ui/?by=month")
    loaded(page)
    box = page.locator(".timeline svg").bounding_box()
    assert box
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.80, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.97, y, steps=5)
    page.mouse.up()
    page.wait_for_function("() => location.search.includes('start=')")
    loaded(page)
    query = parse_qs(urlsplit(page.url).query)
    start, end = query["start"][0], query["end"][0]
    assert start < end and start.endswith("-01")
    assert page.locator("#f-start").input_value() == start
    dates = page.eval_on_selector_all(
        "#events tbody tr td:first-child a", "els => els.map(a => a.textContent)"
    )
    assert dates and all(d == "undated" or d <= end for d in dates)


def test_the_event_page_highlights_the_evidence_and_hides_rejected_candidates(
    server: str, watched: Watched
) -> None:
    page = watched.page
    page.goto(f"{server}/ui/?sort=killed_best&order=desc")
    loaded(page)
    event_id = table_ids(page)[0]
    detail = httpx.get(f"{server}/events/{event_id}").json()
    page.locator("#events tbody tr td:first-child a").first.click()
    page.wait_for_url(f"**/ui/events/{event_id}")
    shot(page, "event")
    trigger = next(e for e in detail["evidence"] if e["field"] == "trigger")["text"]
    marked = "".join(page.locator("mark.hl-trigger").all_text_contents())
    assert trigger in marked
    # Clicking the record's evidence link scrolls the highlighted words into view.
    page.locator("a.evidence[href='#ev-trigger']").click()
    assert (
        page.locator("#ev-trigger").is_visible()
        or page.locator("mark.hl-trigger").first.is_visible()
    )
    why_not = page.locator("details.why-not")
    assert why_not.get_attribute("open") is None  # collapsed until asked for
    why_not.locator("summary").click()
    assert why_not.get_attribute("open") is not None


def test_hostile_article_text_never_runs(server: str, watched: Watched) -> None:
    page = watched.page
    found = httpx.get(
        f"{server}/events", params={"q": "livestock", "size": 50, "level": "report"}
    ).json()["events"]
    assert found
    event = found[0]
    for path in (f"/ui/events/{event['id']}", f"/ui/articles/{event['article_id']}", "/ui/runs"):
        page.goto(f"{server}{path}")
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__khabar_xss") is None
        assert page.locator("main iframe, main img, main script").count() == 0
    # The payloads are there, as text a reader can see.
    page.goto(f"{server}/ui/articles/{event['article_id']}")
    text = page.locator("main").inner_text()
    assert "<script>window.__khabar_xss = 'title'</script>" in text
    assert '<iframe src="javascript:' in text
    shot(page, "article")
    page.goto(f"{server}/ui/?q=livestock")
    loaded(page)
    assert page.evaluate("() => window.__khabar_xss") is None


def test_other_pages_render(server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server}/ui/runs")
    assert page.locator("h1").inner_text() == "Runs"
    assert page.get_by_text("too_short").count() >= 1
    shot(page, "runs")
    page.goto(f"{server}/ui/changes?days=30")
    assert page.locator("table tbody tr").count() >= 1
    shot(page, "changes")


def test_every_control_is_reachable_by_keyboard(server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server}/ui/")
    loaded(page)
    page.wait_for_selector(".leaflet-marker-icon")
    reached: set[str] = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        reached.add(
            page.evaluate(
                "() => { const e = document.activeElement; return e.id || e.name || "
                "e.dataset.sort || e.getAttribute('aria-label') || e.className || e.tagName }"
            )
        )
    for control in (
        "f-q",
        "f-actor",
        "f-start",
        "f-end",
        "f-confidence",
        "type",
        "status",
        "t-by",
        "t-clear",
        "csv",
        "export",
        "killed_best",
        "Zoom in",
    ):
        assert control in reached, control
    assert any("leaflet-marker-icon" in r for r in reached)  # markers too
    # Enter on a focused cluster zooms in; on a focused marker it opens the popup.
    if page.locator(".leaflet-marker-icon.pt").count() == 0:
        page.locator(".leaflet-marker-icon.cluster").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(".leaflet-marker-icon.pt")
    page.locator(".leaflet-marker-icon.pt").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup a")


@pytest.mark.skipif(not AXE.exists(), reason=f"no axe-core at {AXE} (make runs npm in web/)")
def test_no_serious_accessibility_violation(server: str, browser: Any) -> None:
    # axe-core is injected as a script, which the dashboard's own policy would (rightly) refuse.
    context = browser.new_context(viewport={"width": 1366, "height": 800}, bypass_csp=True)
    page = context.new_page()
    found = httpx.get(
        f"{server}/events", params={"q": "livestock", "size": 1, "level": "report"}
    ).json()["events"][0]
    failures = {}
    for path in (
        "/ui/",
        f"/ui/events/{found['id']}",
        f"/ui/articles/{found['article_id']}",
        "/ui/runs",
        "/ui/changes",
    ):
        page.goto(f"{server}{path}")
        if path == "/ui/":
            loaded(page)
            page.wait_for_selector(".leaflet-marker-icon")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)  # clusters settle after the map's fit-to-bounds zoom
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if bad:
            failures[path] = bad
    context.close()
    assert failures == {}
