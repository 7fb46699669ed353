"""The WARC source, on archives the tests write by hand (the format is simple: a header block,
a Content-Length, the block, two CRLFs; in a .warc.gz each record is its own gzip member)."""

from __future__ import annotations

import gzip
import io
import os
import random
import tracemalloc
import uuid
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastwarc.stream_io import BrotliWriter

from khabar import Article, SkippedInput
from khabar.core.article import Unchanged
from khabar.core.lookup import ReadContext
from khabar.ingest.warc import NAME, WarcSource, make_warc
from khabar.ingest.warc_stream import CHUNK, GzipMembers

Outcome = Article | SkippedInput | Unchanged
DATE = "2024-03-05T10:00:00Z"
PAGE = b"<html><head><title>Talks</title></head><body><p>Delegates met in Doha.</p></body></html>"
SOURCE = WarcSource(max_bytes=100_000, count_other_types=True)


# -- writing archives ---------------------------------------------------------------------------
def record(
    kind: str,
    block: bytes = b"",
    *,
    url: str | None = "https://news.example/a",
    date: str = DATE,
    content_type: str | None = None,
    record_id: str | None = None,
    **headers: str,
) -> bytes:
    """One WARC record; extra headers as keyword arguments, ``WARC_Refers_To`` style."""
    fields = {
        "WARC-Type": kind,
        "WARC-Record-ID": record_id or f"<urn:uuid:{uuid.uuid4()}>",
        "WARC-Date": date,
        **({"WARC-Target-URI": url} if url else {}),
        **({"Content-Type": content_type} if content_type else {}),
        **{name.replace("_", "-"): value for name, value in headers.items()},
        "Content-Length": str(len(block)),
    }
    head = "".join(f"{name}: {value}\r\n" for name, value in fields.items())
    return b"WARC/1.1\r\n" + head.encode() + b"\r\n" + block + b"\r\n\r\n"


def http(body: bytes, *headers: tuple[str, str], status: str = "200 OK") -> bytes:
    lines = "".join(f"{name}: {value}\r\n" for name, value in headers)
    return f"HTTP/1.1 {status}\r\n{lines}\r\n".encode() + body


def response(
    body: bytes = PAGE,
    *headers: tuple[str, str],
    status: str = "200 OK",
    **fields: str,
) -> bytes:
    headers = headers or (("Content-Type", "text/html; charset=utf-8"),)
    block = http(body, *headers, status=status)
    return record("response", block, content_type="application/http; msgtype=response", **fields)


def write_warc(path: Path, records: list[bytes]) -> list[int]:
    """Write the records (each gzipped on its own for .gz); their offsets in the file."""
    parts = [gzip.compress(r) if path.suffix == ".gz" else r for r in records]
    path.write_bytes(b"".join(parts))
    offsets = [0]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return offsets[:-1]


def read(path: Path, source: WarcSource = SOURCE, since: datetime | None = None) -> list[Outcome]:
    return list(source.read(str(path), ReadContext(since=since)))


def articles(items: list[Outcome]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def skips(items: list[Outcome]) -> list[tuple[str, str | None]]:
    return [(i.skip.reason, i.source.locator) for i in items if isinstance(i, SkippedInput)]


def page(n: int) -> bytes:
    return f"<html><body><p>Report number {n} from the field.</p></body></html>".encode()


@pytest.fixture(params=[".warc", ".warc.gz"])
def suffix(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# -- what becomes an article --------------------------------------------------------------------
def test_a_response_becomes_an_article_with_its_provenance(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"crawl{suffix}"
    rid = "<urn:uuid:11111111-2222-3333-4444-555555555555>"
    write_warc(path, [response(url="https://news.example/doha", record_id=rid)])
    (article,) = read(path)
    assert isinstance(article, Article)
    assert article.url == "https://news.example/doha"
    assert article.fetched_at == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
    assert article.media_type == "text/html"
    assert article.raw == PAGE and article.raw_text == PAGE.decode()
    assert article.id == rid
    assert article.source.model_dump() == {
        "name": NAME,
        "uri": str(path.resolve()),
        "locator": "offset 0",
        "id": rid,
    }


def test_the_http_charset_decodes_a_cp1251_page(tmp_path: Path) -> None:
    text = "Переговоры в Москве продолжатся на следующей неделе, сообщили в министерстве."
    body = f"<html><body><p>{text}</p></body></html>".encode("cp1251")
    write_warc(
        tmp_path / "ru.warc", [response(body, ("Content-Type", "text/html; charset=windows-1251"))]
    )
    (article,) = read(tmp_path / "ru.warc")
    assert isinstance(article, Article)
    assert article.encoding == "cp1251"
    assert text in article.raw_text


def test_locators_point_at_their_records(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"many{suffix}"
    records = [record("warcinfo", b"software: test\r\n", url=None)]
    records += [response(page(n), url=f"https://news.example/{n}") for n in range(5)]
    offsets = write_warc(path, records)
    found = articles(read(path))
    assert [a.source.locator for a in found] == [f"offset {o}" for o in offsets[1:]]
    data = path.read_bytes()
    for article in found:
        offset = int(str(article.source.locator).removeprefix("offset "))
        at = data[offset:]
        if suffix == ".warc.gz":
            at = zlib.decompressobj(31).decompress(at)
        assert at.startswith(b"WARC/1.1\r\n")
        assert f"WARC-Record-ID: {article.source.id}\r\n".encode() in at.split(b"\r\n\r\n")[0]


def test_requests_metadata_and_warcinfo_are_passed_over(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"crawl{suffix}"
    write_warc(
        path,
        [
            record(
                "warcinfo", b"software: test\r\n", url=None, content_type="application/warc-fields"
            ),
            record("request", b"GET /a HTTP/1.1\r\nHost: news.example\r\n\r\n"),
            response(),
            record("metadata", b"fetchTimeMs: 41\r\n", content_type="application/warc-fields"),
        ],
    )
    items = read(path)
    assert [type(i) for i in items] == [Article]


def test_a_resource_record_of_html_is_an_article(tmp_path: Path) -> None:
    offsets = write_warc(
        tmp_path / "r.warc",
        [
            record("resource", PAGE, content_type="text/html; charset=utf-8"),
            record("resource", b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png"),
        ],
    )
    items = read(tmp_path / "r.warc")
    assert isinstance(items[0], Article) and items[0].raw == PAGE
    assert skips(items) == [("not_article_type", f"offset {offsets[1]}")]


def test_a_response_without_a_content_type_is_sniffed(tmp_path: Path) -> None:
    write_warc(tmp_path / "n.warc", [response(PAGE, ("Server", "x"))])
    (article,) = read(tmp_path / "n.warc")
    assert isinstance(article, Article) and article.media_type == "text/html"


def test_last_modified_is_a_rejected_publication_candidate(tmp_path: Path) -> None:
    modified = "Mon, 04 Mar 2024 18:30:00 GMT"
    write_warc(
        tmp_path / "lm.warc",
        [response(PAGE, ("Content-Type", "text/html"), ("Last-Modified", modified))],
    )
    (article,) = read(tmp_path / "lm.warc")
    assert isinstance(article, Article)
    (claim,) = article.candidates("published")
    assert claim.method == "http.last_modified"
    assert (claim.confidence, claim.trusted, claim.accepted) == (0.2, False, False)
    assert claim.value.start == date(2024, 3, 4)  # type: ignore[union-attr]
    assert claim.evidence[0].field == "http:last-modified" and claim.evidence[0].value == modified
    assert article.published is None


# -- encodings ------------------------------------------------------------------------------------
def chunked(data: bytes, size: int = 20) -> bytes:
    pieces = [data[i : i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x;ext=1\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


def brotli(data: bytes) -> bytes:
    out = io.BytesIO()
    writer = BrotliWriter(out)
    writer.write(data)
    writer.close()
    return out.getvalue()


HTML = ("Content-Type", "text/html")
CHUNKED = ("Transfer-Encoding", "chunked")


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (chunked(PAGE), [HTML, CHUNKED]),
        (gzip.compress(PAGE), [HTML, ("Content-Encoding", "gzip")]),
        (chunked(gzip.compress(PAGE)), [HTML, CHUNKED, ("Content-Encoding", "gzip")]),
        (zlib.compress(PAGE), [HTML, ("Content-Encoding", "deflate")]),
        (zlib.compress(PAGE)[2:-4], [HTML, ("Content-Encoding", "deflate")]),  # raw deflate
        (brotli(PAGE), [HTML, ("Content-Encoding", "br")]),
        (gzip.compress(brotli(PAGE)), [HTML, ("Content-Encoding", "br, gzip")]),
        # Stored decoded with the headers kept (some archivers do): taken as it is.
        (PAGE, [HTML, CHUNKED, ("Content-Encoding", "gzip")]),
    ],
    ids=["chunked", "gzip", "chunked+gzip", "deflate", "raw-deflate", "br", "br+gzip", "decoded"],
)
def test_encoded_bodies_are_decoded(
    tmp_path: Path, body: bytes, headers: list[tuple[str, str]]
) -> None:
    write_warc(tmp_path / "enc.warc.gz", [response(body, *headers)])
    (article,) = read(tmp_path / "enc.warc.gz")
    assert isinstance(article, Article)
    assert article.raw == PAGE


# -- what is skipped ------------------------------------------------------------------------------
def test_a_pdf_is_not_an_article(tmp_path: Path) -> None:
    pdf = response(b"%PDF-1.7\n" + bytes(range(256)), ("Content-Type", "application/pdf"))
    write_warc(tmp_path / "pdf.warc", [pdf, response()])
    items = read(tmp_path / "pdf.warc")
    assert skips(items) == [("not_article_type", "offset 0")]
    assert "application/pdf" in items[0].skip.detail  # type: ignore[union-attr]
    assert isinstance(items[1], Article)
    quiet = WarcSource(max_bytes=100_000, count_other_types=False)
    assert [type(i) for i in read(tmp_path / "pdf.warc", quiet)] == [Article]


@pytest.mark.parametrize("status", ["404 Not Found", "301 Moved Permanently"])
def test_an_error_or_redirect_is_not_a_page(tmp_path: Path, status: str) -> None:
    write_warc(tmp_path / "s.warc", [response(PAGE, HTML, status=status)])
    (item,) = read(tmp_path / "s.warc")
    assert isinstance(item, SkippedInput) and item.skip.reason == "not_article_type"
    assert f"HTTP status {status[:3]}" in item.skip.detail


def test_a_revisit_is_skipped_naming_its_original(tmp_path: Path, suffix: str) -> None:
    original_id = "<urn:uuid:00000000-0000-0000-0000-000000000001>"
    digest = "sha1:ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    path = tmp_path / f"rv{suffix}"
    offsets = write_warc(
        path,
        [
            response(record_id=original_id, WARC_Payload_Digest=digest),
            record("revisit", b"HTTP/1.1 200 OK\r\n\r\n", WARC_Refers_To=original_id),
            record("revisit", b"", WARC_Payload_Digest=digest),
            record("revisit", b"", WARC_Refers_To="<urn:uuid:elsewhere>"),
        ],
    )
    items = read(path)
    assert [type(i) for i in items] == [Article, SkippedInput, SkippedInput, SkippedInput]
    assert skips(items) == [("revisit", f"offset {o}") for o in offsets[1:]]
    details = [i.skip.detail for i in items if isinstance(i, SkippedInput)]
    assert f"captured at offset {offsets[0]} in this file" in details[0]
    assert f"captured at offset {offsets[0]} in this file" in details[1]
    assert "<urn:uuid:elsewhere>, not in this file" in details[2]


def test_an_over_cap_record_is_skipped_and_the_next_one_read(tmp_path: Path, suffix: str) -> None:
    big = b"<html><body>" + b"<p>words words words</p>" * 500 + b"</body></html>"
    bomb = gzip.compress(b"<p>" + b"a" * 200_000)  # small in the archive, over the cap decoded
    path = tmp_path / f"big{suffix}"
    offsets = write_warc(
        path,
        [
            response(big, HTML),
            response(bomb, HTML, ("Content-Encoding", "gzip")),
            response(page(1), url="https://news.example/next"),
        ],
    )
    items = read(path, WarcSource(max_bytes=5_000, count_other_types=True))
    assert skips(items) == [
        ("too_large", f"offset {offsets[0]}"),
        ("too_large", f"offset {offsets[1]}"),
    ]
    assert [a.url for a in articles(items)] == ["https://news.example/next"]


def test_an_empty_body_and_a_binary_body_are_skipped(tmp_path: Path) -> None:
    write_warc(tmp_path / "e.warc", [response(b"", HTML), response(b"\x00\x01\x02" * 100, HTML)])
    assert [r for r, _ in skips(read(tmp_path / "e.warc"))] == ["empty", "binary"]


@pytest.mark.parametrize(
    "content", [b"", b"WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n"]
)
def test_an_archive_with_no_captures_is_empty(tmp_path: Path, suffix: str, content: bytes) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(gzip.compress(content) if content and suffix.endswith(".gz") else content)
    assert skips(read(path)) == [("empty", None)]


# -- broken archives ------------------------------------------------------------------------------
def three_pages(path: Path) -> list[int]:
    records = [response(page(n), url=f"https://news.example/{n}") for n in range(3)]
    return [*write_warc(path, records), sum(len(r) for r in records)]


def test_a_file_cut_mid_record_keeps_the_complete_records(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"cut{suffix}"
    offsets = three_pages(path)
    data = path.read_bytes()
    path.write_bytes(data[: offsets[2] + 30])
    items = read(path)
    assert [a.url for a in articles(items)] == ["https://news.example/0", "https://news.example/1"]
    assert skips(items) == [("corrupt_warc", f"offset {offsets[2]}")]
    assert isinstance(items[-1], SkippedInput) and f"offset {offsets[2]}" in items[-1].skip.detail


def test_a_cut_anywhere_loses_only_the_cut_record(tmp_path: Path, suffix: str) -> None:
    whole = tmp_path / f"whole{suffix}"
    info = record("warcinfo", b"software: x\r\n", url=None)
    pages = [response(page(n), url=f"https://news.example/{n}") for n in range(2)]
    starts = write_warc(whole, [info, *pages])
    data = whole.read_bytes()
    ends = [*starts[1:], len(data)]
    # An uncompressed record whose block is whole is kept without its two closing CRLFs.
    slack = 4 if suffix == ".warc" else 0
    path = tmp_path / f"cut{suffix}"
    for cut in range(1, len(data), 3):
        path.write_bytes(data[:cut])
        items = read(path)
        assert len(articles(items)) == sum(1 for end in ends[1:] if end - slack <= cut), cut
        if ends[0] - slack <= cut <= ends[0]:  # only the warcinfo record
            assert skips(items) == [("empty", None)], cut
        elif any(end - slack <= cut <= end for end in ends):
            assert skips(items) == [], cut
        else:
            broken = max(start for start in starts if start <= cut)
            assert skips(items) == [("corrupt_warc", f"offset {broken}")], cut


def test_garbage_between_records_stops_the_file_there(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"g{suffix}"
    offsets = three_pages(path)
    data = path.read_bytes()
    path.write_bytes(data[: offsets[1]] + b"this is not a WARC record\r\n" + data[offsets[1] :])
    items = read(path)
    assert [a.url for a in articles(items)] == ["https://news.example/0"]
    assert skips(items) == [("corrupt_warc", f"offset {offsets[1]}")]


def test_garbage_inside_a_gzip_member_loses_only_that_member_and_what_follows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "g.warc.gz"
    offsets = three_pages(path)
    data = bytearray(path.read_bytes())
    data[offsets[1] + 40 : offsets[1] + 48] = b"\xa5" * 8
    path.write_bytes(bytes(data))
    items = read(path)
    assert [a.url for a in articles(items)] == ["https://news.example/0"]
    assert skips(items) == [("corrupt_warc", f"offset {offsets[1]}")]
    assert "gzip member" in items[-1].skip.detail  # type: ignore[union-attr]


def test_a_gzip_member_that_holds_no_warc_record_stops_the_file_there(tmp_path: Path) -> None:
    path = tmp_path / "g.warc.gz"
    offsets = three_pages(path)
    data = path.read_bytes()
    junk = gzip.compress(b"<html>not a WARC record</html>\r\n\r\n")
    path.write_bytes(data[: offsets[2]] + junk + data[offsets[2] :])
    items = read(path)
    assert len(articles(items)) == 2
    assert skips(items) == [("corrupt_warc", f"offset {offsets[2]}")]


def test_a_file_that_is_not_a_warc_at_all(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"x{suffix}"
    text = b"<html>a saved page, misnamed</html>\n" * 20
    path.write_bytes(gzip.compress(text) if suffix.endswith(".gz") else text)
    assert skips(read(path)) == [("corrupt_warc", "offset 0")]


def test_a_file_that_cannot_be_opened_is_unreadable(tmp_path: Path) -> None:
    assert skips(read(tmp_path / "missing.warc.gz")) == [("unreadable", None)]


# -- since, accepts, settings -----------------------------------------------------------------------
def test_records_captured_before_since_are_unchanged(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"s{suffix}"
    write_warc(
        path,
        [
            response(page(1), url="https://news.example/old", date="2024-03-01T00:00:00Z"),
            response(page(2), url="https://news.example/new", date="2024-03-09T00:00:00Z"),
        ],
    )
    items = read(path, since=datetime(2024, 3, 5, tzinfo=UTC))
    assert [type(i) for i in items] == [Unchanged, Article]
    assert items[0].source.locator == "offset 0"
    assert articles(items)[0].url == "https://news.example/new"


def test_a_file_not_modified_since_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.warc.gz"
    write_warc(path, [response()])
    os.utime(path, (1_600_000_000, 1_600_000_000))
    path.chmod(0o200)  # unreadable: opening it would be an error
    try:
        (item,) = read(path, since=datetime.fromtimestamp(1_700_000_000, UTC))
    finally:
        path.chmod(0o600)
    assert isinstance(item, Unchanged) and item.source.uri == str(path.resolve())


@pytest.mark.parametrize(
    ("spec", "accepted"),
    [
        ("a.warc", True),
        ("a.warc.gz", True),
        ("CC-NEWS-1.WARC.GZ", True),
        ("a.arc.gz", False),
        ("a.html", False),
        ("a.gz", False),
        ("-", False),
    ],
)
def test_accepts_warc_files_by_name(spec: str, accepted: bool) -> None:
    assert SOURCE.accepts(spec) is accepted


def test_a_directory_named_like_a_warc_is_not_accepted(tmp_path: Path) -> None:
    (tmp_path / "dir.warc").mkdir()
    assert not SOURCE.accepts(str(tmp_path / "dir.warc"))


def test_the_factory_defaults() -> None:
    source = make_warc()
    assert (source.max_bytes, source.count_other_types) == (10_000_000, True)


# -- streaming --------------------------------------------------------------------------------------
def test_a_large_archive_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    """2,000 records (20 MB, compressed or not): only the record at hand is held in memory."""
    image = b"\xff\xd8\xff\xe0" + random.Random(0).randbytes(10_000)  # incompressible
    records = []
    for n in range(2_000):
        if n % 100 == 0:
            records.append(response(page(n), url=f"https://news.example/{n}"))
        else:
            records.append(
                response(image, ("Content-Type", "image/jpeg"), url=f"https://img.example/{n}")
            )
    path = tmp_path / "big.warc.gz"
    write_warc(path, records)
    del records
    size = path.stat().st_size
    assert size > 20_000_000
    counts = {"articles": 0, "skips": 0}
    tracemalloc.start()
    try:
        for item in SOURCE.read(str(path), ReadContext()):
            counts["articles" if isinstance(item, Article) else "skips"] += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert counts == {"articles": 20, "skips": 1_980}
    assert peak < size / 10, f"peak {peak:,} bytes for a file of {size:,}"


def test_gzip_members_are_decompressed_lazily() -> None:
    """The first bytes come out after reading about one chunk of the file, not all of it."""
    data = b"".join(gzip.compress(response(page(n) * 50)) for n in range(500))

    class Counting(io.BufferedReader):
        consumed = 0

        def read(self, size: int | None = -1, /) -> bytes:
            out = super().read(size)
            Counting.consumed += len(out)
            return out

    members = GzipMembers(Counting(io.BytesIO(data)))  # type: ignore[arg-type]
    assert members.read(CHUNK).startswith(b"WARC/1.1")
    assert Counting.consumed <= 2 * CHUNK < len(data)


def test_a_warc_file_inside_a_folder_is_handed_to_this_source(tmp_path: Path) -> None:
    from khabar import load_pipeline

    folder = tmp_path / "crawl"
    folder.mkdir()
    write_warc(
        folder / "shard-00.warc.gz",
        [response(page(1)), response(page(2), url="https://news.example/b")],
    )
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    items = list(load_pipeline().read([str(folder)]))
    assert [i.url for i in articles(items)] == ["https://news.example/a", "https://news.example/b"]
    assert [i.source.name for i in articles(items)] == ["ingest.warc.v1"] * 2
    assert skips(items) == [("unsupported_type", None)]
