from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from khabar import Article, Evidence, InputRef, TimeValue


def make(text: str = "One sentence here.") -> Article:
    article = Article.from_text(text, id="x1")
    article.text = text
    return article


class TestEvidence:
    def test_text_span_needs_ordered_offsets(self) -> None:
        with pytest.raises(ValidationError, match="start <= end"):
            Evidence(kind="text", start=5, end=2)

    def test_meta_needs_a_field(self) -> None:
        with pytest.raises(ValidationError, match="name of the field"):
            Evidence(kind="meta", value="2024-01-01")

    def test_raw_span_quotes_what_it_points_at(self) -> None:
        ev = Evidence.raw_span(3, 7, "abcd")
        assert (ev.kind, ev.start, ev.end, ev.value) == ("raw", 3, 7, "abcd")


class TestTimeValue:
    def test_interval_must_be_ordered(self) -> None:
        with pytest.raises(ValidationError, match="ends"):
            TimeValue(start=date(2023, 3, 31), end=date(2023, 3, 1), granularity="month")

    def test_a_timestamp_is_an_instant(self) -> None:
        at = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
        value = TimeValue.day(at.date(), at=at)
        assert value.granularity == "instant"
        assert value.contains(date(2024, 5, 6))


class TestClaims:
    def test_a_new_accepted_claim_rejects_the_old_one_and_keeps_it(self) -> None:
        article = make()
        article.claim("title", "Old", method="a", evidence=Evidence.meta("m", "Old"))
        article.claim("title", "New", method="b", evidence=Evidence.meta("m", "New"))
        assert article.title == "New"
        old = [c for c in article.candidates("title") if not c.accepted]
        assert [c.value for c in old] == ["Old"]
        assert old[0].note == "superseded by b"

    def test_published_carries_its_rejected_candidates(self) -> None:
        article = make()
        widget = TimeValue.day(date(2024, 4, 17))
        article.claim(
            "published",
            widget,
            method="widget",
            trusted=False,
            accepted=False,
            evidence=Evidence.raw_span(0, 25, "Wednesday, April 17, 2024"),
            confidence=0.1,
        )
        chosen = TimeValue(start=date(2023, 2, 1), end=date(2023, 2, 10), granularity="interval")
        article.claim(
            "published", chosen, method="text", evidence=Evidence.text_span(0, 3), confidence=0.6
        )
        published = article.published
        assert published is not None
        assert (published.start, published.end, published.method) == (
            date(2023, 2, 1),
            date(2023, 2, 10),
            "text",
        )
        assert [c.method for c in published.rejected] == ["widget"]

    def test_a_claim_without_evidence_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            make().claim("title", "x", method="m", evidence=[])


class TestRecord:
    def test_round_trip_keeps_everything_but_the_raw_input(self) -> None:
        article = make("Alpha beta. Gamma delta.")
        article.claim("title", "Alpha", method="m", evidence=Evidence.text_span(0, 5))
        record = article.to_record()
        assert record["title"] == "Alpha"
        assert "raw" not in record and "raw_text" not in record
        again = Article.from_record(record)
        assert again.to_record() == record
        assert Article.from_record(article.to_json()).to_record() == record

    def test_the_input_id_is_the_article_id(self) -> None:
        article = Article.new(
            b"abc", "abc", media_type="text/plain", source=InputRef(name="s", uri="u", id="given")
        )
        assert article.id == "given"

    def test_without_an_input_id_the_id_is_a_content_hash(self) -> None:
        one = Article.new(
            b"abc", "abc", media_type="text/plain", source=InputRef(name="s", uri="u")
        )
        two = Article.new(
            b"abc", "abc", media_type="text/plain", source=InputRef(name="s", uri="v")
        )
        assert one.id == two.id == one.raw_sha256[:16]


class TestSpanErrors:
    def test_spans_inside_the_text_are_fine(self) -> None:
        article = make("Hello there.")
        article.claim("title", "Hello", method="m", evidence=Evidence.text_span(0, 5))
        assert article.span_errors() == []

    def test_a_span_past_the_end_is_reported(self) -> None:
        article = make("Hello.")
        article.claim("title", "Hello", method="m", evidence=Evidence.text_span(0, 50))
        assert article.span_errors() == ["title evidence [0, 50) is outside 0..6"]
