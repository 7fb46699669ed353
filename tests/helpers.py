"""Helpers shared by the tests: configs, small inputs, and a content snapshot of a database."""

from __future__ import annotations

import json
import os
import random
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from khabar import Article, Config, Evidence

SAMPLE = Path(str(resources.files("khabar").joinpath("data/sample")))

ARTICLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Talks resume in Doha | Gulf Monitor</title>
<meta property="og:site_name" content="Gulf Monitor">
<meta property="article:published_time" content="2024-05-06T09:30:00+03:00">
<link rel="canonical" href="https://gulf-monitor.example/2024/05/06/talks-resume">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav>
<div class="ad">- Advertisement -</div>
<article>
<h1>Talks resume in Doha</h1>
<p class="byline">By Layla Haddad</p>
<p>Negotiators from both delegations met in Doha on Monday for a third round of talks on a
prisoner exchange, officials said. The meeting lasted more than six hours.</p>
<p>A spokesman for the mediators said the two sides had agreed to meet again next week and
that technical teams would continue working on the lists of names.</p>
<p>Dr. Amal Nasser, who advises one of the delegations, said the atmosphere was calm. "We are
closer than at any time since January," she told reporters outside the hotel.</p>
</article>
<aside><h3>Related articles</h3><ul><li><a href="/a">Ministers meet in Cairo</a></li></ul></aside>
<footer>© 2024 Gulf Monitor. All rights reserved.</footer>
</body></html>
"""

ARTICLE_TEXT = """Thursday, 9 January 2025

Police disperse farmers' march on the capital with tear gas

Home | World | Politics

Several thousand farmers marching towards the capital were stopped by police at a highway
checkpoint on Wednesday, witnesses said. Officers fired tear gas and water cannon.

Organisers said at least 40 people were hurt. The interior ministry said 11 officers were
injured and 23 marchers were detained.

- Advertisement -
"""


# The stages that tests of the frame (runner, store, CLI) need: the models of the "when, where,
# who" stages are tested in their own folders and in one end-to-end demo test.
FRAME_STAGES = ["clean", "published", "language", "sentences"]
FRAME_ENV = {"KHABAR_PIPELINE__STAGES": json.dumps(FRAME_STAGES), "COLUMNS": "250"}


def config(**sections: Any) -> Config:
    """The default config, frame stages only, with nested values over it (``run={"jobs": 2}``)."""
    pipeline = {"stages": FRAME_STAGES, **sections.pop("pipeline", {})}
    return Config.load(env={}, values={"pipeline": pipeline, **sections})


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def snapshot(db: Path) -> dict[str, Any]:
    """Everything a database holds about the articles, without run bookkeeping or timestamps."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row

    def rows(sql: str) -> list[dict[str, Any]]:
        return [dict(r) for r in conn.execute(sql)]

    articles = rows(
        "SELECT id, raw_sha256, content_hash, url, canonical_url, title, site, language, "
        "published_start, published_end, published_granularity, fetched_at, text, record "
        "FROM articles ORDER BY id"
    )
    for a in articles:
        a["record"] = json.loads(a["record"])
    result = {
        "articles": articles,
        "inputs": rows(
            "SELECT raw_sha256, uri, locator, source, input_id, url, article_id, relation "
            "FROM article_inputs ORDER BY raw_sha256, uri, locator"
        ),
        "claims": rows(
            "SELECT c.article_id, c.seq, c.field, c.value, c.method, c.confidence, c.trusted, "
            'c.accepted, c.note, e.seq AS eseq, e.kind, e.start, e."end", e.field AS efield, '
            "e.value AS evalue FROM claims c JOIN evidence e ON e.claim_id = c.id "
            "ORDER BY c.article_id, c.seq, e.seq"
        ),
        "raw": rows("SELECT sha256, size, media_type, encoding FROM raw_inputs ORDER BY sha256"),
        "skips": rows(
            "SELECT uri, locator, raw_sha256, input_id, stage, reason, severity, detail "
            "FROM skips ORDER BY uri, locator, reason"
        ),
    }
    conn.close()
    return result


_VOCABULARY = [
    "minister",
    "army",
    "police",
    "rebels",
    "talks",
    "ceasefire",
    "market",
    "bomb",
    "protest",
    "court",
    "election",
    "border",
    "village",
    "convoy",
    "aid",
    "refugees",
    "governor",
    "council",
    "militia",
    "drone",
    "strike",
    "hostage",
    "envoy",
    "treaty",
    "curfew",
    "checkpoint",
    "province",
    "district",
    "capital",
    "harbour",
    "airport",
    "university",
    "hospital",
    "bridge",
]


def story(n: int, sentences: int = 6) -> str:
    """A distinct, deterministic news-like text for number ``n`` (no two share much wording)."""
    rng = random.Random(n)
    lines = []
    for _ in range(sentences):
        words = rng.sample(_VOCABULARY, 9)
        lines.append(
            f"The {words[0]} said {n} {words[1]} and {words[2]} met near the {words[3]} "
            f"after the {words[4]} {words[5]}, while the {words[6]} watched the {words[7]} "
            f"{words[8]}."
        )
    return " ".join(lines)


def article_with_events() -> Article:
    """An article with two coded events (a bombing, a planned meeting), spans checked."""
    from khabar import Span
    from khabar.core.article import (
        Casualties,
        Event,
        EventParticipant,
        EventPlace,
        EventTime,
        TimeValue,
    )

    text = "A bomb killed 12 people in Peshawar on Monday. Ministers will meet in Doha in March."
    article = Article.from_text(text, id="ev1")
    article.text = text
    bomb = Event(
        id="e1",
        type="ASSAULT",
        mode="explosives",
        status="happened",
        trigger=Span(start=2, end=6),
        sentence=Span(start=0, end=46),
        actors=[],
        targets=[EventParticipant(text="people", start=17, end=23, sector="CVL", method="t")],
        place=EventPlace(
            text="Peshawar", start=27, end=35, name="Peshawar", country="PAK", method="t"
        ),
        time=EventTime(
            value=TimeValue(start=date(2024, 5, 13), end=date(2024, 5, 13), granularity="day"),
            method="t",
        ),
        killed=Casualties(
            low=12, best=12, high=12, text="12", evidence=[Evidence.text_span(14, 16)], method="t"
        ),
        evidence=[Evidence.text_span(2, 6)],
        method="t",
        confidence=0.9,
    )
    meet = Event(
        id="e2",
        type="AGREE",
        status="planned",
        planned_type="CONSULT",
        trigger=Span(start=66, end=70),
        sentence=Span(start=47, end=84),
        actors=[
            EventParticipant(
                text="Ministers",
                start=47,
                end=56,
                canonical="Qatar (government)",
                country="QAT",
                sector="GOV",
                method="t",
            )
        ],
        place=EventPlace(text="Doha", start=74, end=78, name="Doha", country="QAT", method="t"),
        evidence=[Evidence.text_span(66, 70)],
        method="t",
        confidence=0.8,
    )
    article.events = [bomb, meet]
    assert article.span_errors() == []
    return article


# The server the PostgreSQL runs use; each test makes its own database on it and drops it.
ADMIN_URL = os.environ.get("KHABAR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def postgres_database() -> Iterator[str]:
    """The URL of a new, empty database with a unique name, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        pytest.skip(f"no PostgreSQL server at {ADMIN_URL}: {exc}")
    name = f"khabar_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f"CREATE DATABASE {name}")
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on loopback, in a thread, as a user reaches it: its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


#: A plugin module (write it on PYTHONPATH as khabar_slow_plugin.py) with a stage that waits on
#: every article, so that a test can stop or kill a run half-way.
SLOW_PLUGIN = """
import time
from khabar import stages

@stages.register("test.slow.v1", requires={"text"})
def make_slow(seconds: float = 0.03):
    '''Wait a little on every article, so that a test can stop a run half-way.'''
    def slow(article):
        time.sleep(seconds)
        return article
    return slow
"""
