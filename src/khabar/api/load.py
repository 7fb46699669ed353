"""A load script for ``khabar serve`` (a script, not a timed test): ``python -m khabar.api.load``.

It fills a store with synthetic events (200,000 by default; reused when the file already has
them, and fused), starts ``khabar serve`` on loopback in its own process, and sends ``GET
/events`` with a page size of 100 and one random filter (type, country, date range or bounding
box), at the default level (fused events) or ``--level report``, from 1, 10 and 50 concurrent
clients, each level bounded in requests and seconds. It prints latency
percentiles and errors per level. ``--schemathesis N`` then runs schemathesis against the
server's OpenAPI document (N examples per operation) and reports any server error.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

from khabar.core.config import Config
from khabar.fusion.update import fuse_stored
from khabar.store import Store
from khabar.store.synthetic import KINDS, PLACES, synthetic_articles

EVENTS_PER_ARTICLE = 10


@dataclass
class Level:
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def fill(path: Path, events: int) -> float:
    """Make sure the store at ``path`` holds ``events`` synthetic events; seconds spent."""
    started = time.perf_counter()
    with Store.open(path) as store:
        have = store.count("events")
        if have >= events:
            return 0.0
        run = store.begin_run(["synthetic"], {})
        first = have // EVENTS_PER_ARTICLE
        wanted = events // EVENTS_PER_ARTICLE - first
        for count, article in enumerate(
            synthetic_articles(wanted, events_per_article=EVENTS_PER_ARTICLE, seed=first + 7), 1
        ):
            store.add_article(article, run)
            if count % 1000 == 0:
                store.commit()
        store.commit()
        # Fused as a run would fuse them, so that the default level has its real rows.
        fuse_stored(store, Config.load(env={}))
        store.conn.execute("ANALYZE")
        store.finish_run(run, "finished", {"synthetic_events": events})
    return time.perf_counter() - started


def random_filter(rng: random.Random) -> dict[str, str]:
    kind = rng.choice(("type", "country", "dates", "bbox"))
    if kind == "type":
        return {"type": rng.choice(KINDS)[0]}
    if kind == "country":
        return {"country": rng.choice(PLACES)[0]}
    if kind == "dates":
        start = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
        return {"start": start.isoformat(), "end": (start + timedelta(days=30)).isoformat()}
    _, _, lat, lon = rng.choice(PLACES)
    return {"bbox": f"{lon - 2:.2f},{lat - 2:.2f},{lon + 2:.2f},{lat + 2:.2f}"}


def hammer(
    base: str, clients: int, requests: int, max_seconds: float, seed: int, level_name: str = "fused"
) -> Level:
    level = Level(clients)
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        with httpx.Client(base_url=base, timeout=30) as http:
            for _ in range(requests):
                if time.monotonic() > deadline:
                    return
                params = {"size": "100", "level": level_name, **random_filter(rng)}
                started = time.perf_counter()
                try:
                    response = http.get("/events", params=params)
                    problem = None if response.status_code == 200 else str(response.status_code)
                except httpx.HTTPError as exc:
                    problem = type(exc).__name__
                took = time.perf_counter() - started
                with lock:
                    level.latencies.append(took)
                    if problem:
                        level.errors.append(problem)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    level.seconds = time.perf_counter() - started
    return level


def serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "khabar", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("khabar serve did not start within 60 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="store to use (kept)")
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--requests", type=int, default=400, help="per level, in all")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="per level")
    parser.add_argument("--schemathesis", type=int, default=0, metavar="N")
    parser.add_argument("--level", choices=("fused", "report"), default="fused")
    args = parser.parse_args(argv)
    folder = None
    db = args.db
    if db is None:
        folder = tempfile.mkdtemp(prefix="khabar-load-")
        db = Path(folder) / "load.db"
    print(f"store {db}: filling to {args.events:,} events ...", flush=True)
    spent = fill(db, args.events)
    print(f"  filled in {spent:.1f} s" if spent else "  already filled", flush=True)
    server = serve(db, args.port)
    base = f"http://127.0.0.1:{args.port}"
    failed = False
    try:
        print(f"{'clients':>7} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'p99 ms':>8} {'req/s':>7}")  # fmt: skip
        for clients in (1, 10, 50):
            per_client = max(1, args.requests // clients)
            level = hammer(
                base, clients, per_client, args.max_seconds, seed=clients, level_name=args.level
            )
            n = len(level.latencies)
            print(
                f"{clients:>7} {n:>8} {len(level.errors):>6} {level.percentile(50):>8.1f} "
                f"{level.percentile(95):>8.1f} {level.percentile(99):>8.1f} "
                f"{n / level.seconds:>7.1f}",
                flush=True,
            )
            if level.errors:
                failed = True
                print(f"    errors: {statistics.mode(level.errors)} (most common)")
        if args.schemathesis:
            failed |= run_schemathesis(base, args.schemathesis)
    finally:
        server.terminate()
        server.wait(10)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


def run_schemathesis(base: str, examples: int) -> bool:
    """Run schemathesis's ``st`` against the server; True when it found a server error.

    Writes (``POST``) and whole-store downloads (``/export``, each a full pass over the store)
    are left out: the first change the store, the second are measured by ``khabar export``."""
    st = shutil.which("st") or str(Path(sys.executable).with_name("st"))
    if not Path(st).exists():
        print("schemathesis is not installed (pip install schemathesis): skipped")
        return False
    command = [
        st, "run", f"{base}/openapi.json", "--checks", "not_a_server_error",
        "--max-examples", str(examples), "--phases", "examples,coverage,fuzzing",
        "--exclude-method", "POST", "--exclude-path", "/export", "--generation-deterministic",
    ]  # fmt: skip
    print("$ " + " ".join(command[1:]), flush=True)
    return subprocess.run(command, check=False).returncode != 0


if __name__ == "__main__":
    sys.exit(main())
