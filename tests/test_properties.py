"""Invariants over generated input: whatever comes in, every outcome is a skip with a known reason
or an article whose every offset points inside its own text, and the store gives it back intact."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar import Article, MemoryLookup, SkippedInput, Store, load_pipeline
from khabar.core.reasons import REASONS

PIPELINE = load_pipeline({"stages": {"clean": {"min_chars": 20}}})
VOCABULARY = (
    "the minister said on Friday that talks in Geneva will resume Mr. U.S. Dr. J. 12 1,200 "
    "“quoted” (aside) — Peshawar Кабул کابل 北京 ... ? ! . , ; : \t"
)
WORDS = st.sampled_from(VOCABULARY.split(" "))
SENTENCES = st.lists(WORDS, min_size=1, max_size=30).map(" ".join)
PARAGRAPHS = st.lists(SENTENCES, min_size=1, max_size=8)


def as_html(paragraphs: list[str], tag: str) -> str:
    body = "".join(f"<{tag}>{p}</{tag}>" for p in paragraphs)
    return f"<html><head><title>{paragraphs[0][:40]}</title></head><body><nav>Home</nav><article>{body}</article></body></html>"


def check(outcome: Article | SkippedInput) -> None:
    if isinstance(outcome, SkippedInput):
        assert outcome.skip.reason in REASONS and outcome.skip.detail
        return
    assert outcome.span_errors() == []
    for s in outcome.sentences:
        piece = outcome.text[s.start : s.end]
        assert piece and piece == piece.strip()
    covered = {i for s in outcome.sentences for i in range(s.start, s.end)}
    assert {i for i, ch in enumerate(outcome.text) if not ch.isspace()} <= covered


@settings(max_examples=60, deadline=None)
@given(PARAGRAPHS, st.sampled_from(["\n", "\n\n", "\r\n", " "]))
def test_any_text_gives_spans_inside_it(paragraphs: list[str], joiner: str) -> None:
    check(PIPELINE.process(Article.from_text(joiner.join(paragraphs))))


@settings(max_examples=40, deadline=None)
@given(PARAGRAPHS, st.sampled_from(["p", "div", "li", "td"]))
def test_any_page_gives_spans_inside_its_text(paragraphs: list[str], tag: str) -> None:
    check(PIPELINE.process(Article.from_text(as_html(paragraphs, tag), media_type="text/html")))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(PARAGRAPHS)
def test_the_store_gives_back_exactly_what_went_in(tmp_path: Path, paragraphs: list[str]) -> None:
    outcome = PIPELINE.process(Article.from_text("\n".join(paragraphs)))
    if isinstance(outcome, SkippedInput):
        return
    article = PIPELINE.apply_steps(outcome, MemoryLookup())
    with Store.open(":memory:") as store:
        store.add_article(article, store.begin_run([], {}))
        again = store.get_article(article.id)
    assert again is not None
    assert again.to_record() == article.to_record()
    check(again)


SAMPLE_PAGES = sorted((Path(__file__).parent.parent / "src/khabar/data/sample").rglob("*.htm*"))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A sample page with bytes cut, repeated, inserted or the end chopped off."""
    page = draw(st.sampled_from([p for p in SAMPLE_PAGES if p.suffix != ".gz"])).read_bytes()
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(page)))
        size = draw(st.integers(0, 2000))
        action = draw(st.sampled_from(["cut", "repeat", "insert", "truncate"]))
        if action == "cut":
            page = page[:at] + page[at + size :]
        elif action == "repeat":
            page = page[:at] + page[at : at + size] * draw(st.integers(2, 20)) + page[at:]
        elif action == "insert":
            page = page[:at] + draw(st.binary(max_size=200)) + page[at:]
        else:
            page = page[:at]
    return page


@settings(max_examples=60, deadline=None)
@given(mutated())
def test_mutated_pages_give_a_reasoned_skip_or_spans_inside_the_text(page: bytes) -> None:
    from khabar import InputRef
    from khabar.ingest.reading import article_from_bytes

    item = article_from_bytes(
        page, media_type="text/html", source=InputRef(name="fuzz", uri="fuzz")
    )
    check(item if isinstance(item, SkippedInput) else PIPELINE.process(item))
