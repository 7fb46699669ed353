"""A real HTTP server on 127.0.0.1 for the network tests: scripted answers, a log of requests.

Each route answers with a list of ``Reply``s in turn (the last one repeats), or a function that
writes the answer itself (to hang, drip or flood). Unknown paths answer 404. ``serve()`` starts
it in a thread and, on exit, releases any handler still waiting, joins every thread and closes
every socket.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def page(
    body: bytes | str, content_type: str = "text/html; charset=utf-8", **headers: str
) -> Reply:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return Reply(200, data, {"Content-Type": content_type, **headers})


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, b"", {"Location": location})


@dataclass(frozen=True)
class Seen:
    at: float  # time.monotonic() when the request arrived
    path: str
    headers: dict[str, str]


Writer = Callable[[BaseHTTPRequestHandler, "LocalServer"], None]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply] | Writer] = {}
        self.requests: list[Seen] = []
        self.release = threading.Event()  # set on shutdown: handlers that wait must return
        self.sent: dict[str, int] = {}  # bytes a Writer managed to send, by path
        self._lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self.port = self.httpd.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, *replies: Reply | Writer) -> None:
        first = replies[0]
        self.routes[path] = first if callable(first) else list(replies)  # type: ignore[arg-type]

    def paths(self) -> list[str]:
        with self._lock:
            return [seen.path for seen in self.requests]

    def times(self, path: str) -> list[float]:
        with self._lock:
            return [seen.at for seen in self.requests if seen.path == path]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append(Seen(time.monotonic(), handler.path, dict(handler.headers)))
            route = self.routes.get(handler.path)
            reply: Reply | None = None
            if isinstance(route, list):
                reply = route.pop(0) if len(route) > 1 else route[0]
        if callable(route):
            route(handler, self)
            return
        reply = reply or Reply(404, b"not found", {"Content-Type": "text/plain"})
        handler.send_response(reply.status)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(reply.body)))
        handler.end_headers()
        handler.wfile.write(reply.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every handler thread
    block_on_close = True


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            # The client hanging up (a cap, a timeout) is the point of some tests.
            with suppress(BrokenPipeError, ConnectionResetError):
                server._answer(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve() -> Iterator[LocalServer]:
    server = LocalServer()
    thread = threading.Thread(target=server.httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.httpd.shutdown()
        thread.join()
        server.httpd.server_close()


# -- writers for misbehaving servers --------------------------------------------------------
def hang(handler: BaseHTTPRequestHandler, server: LocalServer) -> None:
    """Read the request, never answer (until the test ends)."""
    server.release.wait(10)


def drip(handler: BaseHTTPRequestHandler, server: LocalServer) -> None:
    """Answer at once, then send a byte every 0.05 s: each read is quick, the whole never ends."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    while not server.release.wait(0.05):
        handler.wfile.write(b"x")
        handler.wfile.flush()


def flood(total: int, chunk: int = 1 << 16, **headers: str) -> Writer:
    """Send ``total`` bytes with no Content-Length, counting what got out before the client left."""

    def write(handler: BaseHTTPRequestHandler, server: LocalServer) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        block = b"<p>" + b"x" * (chunk - 7) + b"</p>\n"
        sent = 0
        try:
            while sent < total:
                handler.wfile.write(block)
                sent += len(block)
        finally:
            server.sent[handler.path] = sent

    return write


class Versioned:
    """A resource the test changes between requests (``update``), answering conditional GETs as
    a careful server does: 304 when If-None-Match names the current ETag, or (without it) when
    If-Modified-Since is the current Last-Modified. Either validator can be left out."""

    def __init__(
        self,
        body: str | bytes,
        content_type: str = "application/rss+xml; charset=utf-8",
        *,
        etag: bool = True,
        last_modified: bool = True,
    ) -> None:
        self.content_type = content_type
        self.use_etag, self.use_last_modified = etag, last_modified
        self.version = 0
        self.update(body)

    def update(self, body: str | bytes) -> None:
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.version += 1

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    @property
    def last_modified(self) -> str:
        return formatdate(1_700_000_000 + 3600 * self.version, usegmt=True)

    def __call__(self, handler: BaseHTTPRequestHandler, server: LocalServer) -> None:
        headers = {"Content-Type": self.content_type}
        if self.use_etag:
            headers["ETag"] = self.etag
        if self.use_last_modified:
            headers["Last-Modified"] = self.last_modified
        if self._fresh(handler):
            handler.send_response(304)
            body = b""
        else:
            handler.send_response(200)
            body = self.body
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _fresh(self, handler: BaseHTTPRequestHandler) -> bool:
        match = handler.headers.get("If-None-Match")
        if match is not None:
            return self.use_etag and match == self.etag
        since = handler.headers.get("If-Modified-Since")
        return self.use_last_modified and since == self.last_modified
