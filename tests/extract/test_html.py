import time
from datetime import date

import pytest

from helpers import ARTICLE_HTML
from khabar import Article, DropArticle, stages
from khabar.extract.html import unwrap_layout_table


@pytest.fixture(scope="module")
def clean():  # type: ignore[no-untyped-def]
    return stages.get("extract.main_text.v1").factory()


def page(html: str = ARTICLE_HTML) -> Article:
    return Article.from_text(html, media_type="text/html", url="https://gulf-monitor.example/x")


def test_the_main_text_keeps_the_article_and_drops_the_boilerplate(clean) -> None:  # type: ignore[no-untyped-def]
    article = clean(page())
    assert "Negotiators from both delegations met in Doha on Monday" in article.text
    assert "closer than at any time since January" in article.text
    for boilerplate in ("Advertisement", "Related articles", "All rights reserved", "Politics"):
        assert boilerplate not in article.text


def test_metadata_claims_point_at_the_raw_page(clean) -> None:  # type: ignore[no-untyped-def]
    article = clean(page())
    assert article.title == "Talks resume in Doha"
    assert article.site == "Gulf Monitor"
    assert article.canonical_url == "https://gulf-monitor.example/2024/05/06/talks-resume"
    title = article.accepted("title")
    assert title is not None
    (evidence,) = title.evidence
    assert evidence.kind == "raw"
    assert article.raw_text[evidence.start : evidence.end] == "Talks resume in Doha"
    published = article.published
    assert published is not None and published.start == date(2024, 5, 6)
    assert article.span_errors() == []


def test_input_metadata_wins_and_the_extractors_value_is_kept(clean) -> None:  # type: ignore[no-untyped-def]
    article = page()
    from khabar import Evidence

    article.claim(
        "title",
        "Doha talks (wire)",
        method="input.jsonl",
        evidence=Evidence.meta("jsonl:title", "x"),
    )
    article = clean(article)
    assert article.title == "Doha talks (wire)"
    losers = [c for c in article.candidates("title") if not c.accepted]
    assert [(c.value, c.method) for c in losers] == [("Talks resume in Doha", "trafilatura")]


def test_a_page_without_an_article_is_dropped(clean) -> None:  # type: ignore[no-untyped-def]
    html = "<html><body><nav><a href='/a'>Home</a> <a href='/b'>World</a></nav></body></html>"
    with pytest.raises(DropArticle) as info:
        clean(page(html))
    assert info.value.reason in {"no_article", "too_short"}


FIRST = (
    "Flood waters closed the coastal highway for a second day on Tuesday, and the police said "
    "drivers should use the inland road until the water goes down."
)
SECOND = (
    "The weather office expects more rain over the weekend, and it has asked the people living "
    "near the river to move their cars and animals to higher ground."
)


def test_plain_text_goes_through_the_line_cleaner() -> None:
    clean = stages.get("extract.main_text.v1").factory(min_chars=10)
    raw = (
        "Flood waters cut the coastal highway for a second day\r\n\r\n\r\n\r\n"
        f"{FIRST}   \r\n"
        f"{SECOND}\r\n"
        "- Advertisement -\r\n"
    )
    article = clean(Article.from_text(raw))
    assert article.text == f"{FIRST}\n{SECOND}"
    assert article.title == "Flood waters cut the coastal highway for a second day"
    assert article.span_errors() == []
    assert [s.raw_start for s in article.raw_segments] == [61, 61 + len(FIRST) + 5]


# -- the body, as the benchmark's annotators mark it --------------------------------------------
PARAGRAPHS = (
    "Fighting between the army and rebel units resumed near the northern border town on "
    "Tuesday, residents said, after a week-long truce collapsed overnight.",
    "A local official said at least nine people were killed and dozens wounded when shells hit "
    "a market and a school used as a shelter by families who had fled the villages nearby.",
    "The government said it had sent reinforcements and accused the rebels of breaking the "
    "ceasefire; a rebel spokesman denied the charge and blamed an army offensive in the hills.",
)

LATER = (
    "Later on Tuesday the United Nations called for a humanitarian pause to let aid convoys "
    "reach the town, where the hospital said it was running out of fuel and medicines for the "
    "wounded. Aid agencies said more than four thousand people had fled towards the river "
    "crossing since the weekend. Later."
)


def story(middle: str = "", after: str = "", *, split: bool = False) -> str:
    """A news page with the article's three paragraphs and whatever furniture is asked for."""
    first, second, third = (f"<p>{p}</p>" for p in PARAGRAPHS)
    if split:  # the body in two chunks of the same class, an ad between them
        body = (
            f'<div class="article-body">{first}{second}<p>{LATER}</p></div>'
            '<div class="ad">Advertisement</div>'
            f'<div class="article-body">{third}<p>{LATER}</p></div>'
        )
    else:
        body = f'<div class="article-body">{first}{middle}{second}{third}{after}</div>'
    return f"""<html lang="en"><head><title>Truce collapses near border town | Border Post</title>
<meta property="og:site_name" content="Border Post"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Truce collapses near border town</h1>
<h2>Nine killed as shelling hits market and school</h2>
<p class="meta">By Sara Lind | Updated 14:05, March 4, 2025</p>
{body}</article><footer>© 2025 Border Post</footer></body></html>"""


def test_the_headline_is_the_title_claim_not_the_first_line_of_text(clean) -> None:  # type: ignore[no-untyped-def]
    article = clean(page(story()))
    assert article.title == "Truce collapses near border town"
    assert article.text.startswith("Fighting between the army")
    for furniture in ("Truce collapses", "Nine killed as shelling", "Updated 14:05"):
        assert furniture not in article.text


FURNITURE = {
    "read more line": (
        '<p>Read more: <a href="/a">Ceasefire talks stall in the capital</a></p>',
        "",
        "Ceasefire talks stall",
    ),
    "comment section": (
        "",
        "<h3>3 Comments</h3><p>This is terrible news, and the world is not watching at all.</p>",
        "terrible news",
    ),
    "credit line": ("", "<p>Reporting by Ana Ruiz; editing by Tom Hale</p>", "Ana Ruiz"),
    "newsletter prompt": (
        "",
        "<p>Sign up for our daily newsletter to get the top stories in your inbox.</p>",
        "newsletter",
    ),
    "consent banner": (
        '<div class="gdpr-consent"><p>We value your privacy and use cookies to improve your '
        "experience on our site.</p></div>",
        "",
        "We value your privacy",
    ),
    "story cards": (
        "",
        '<ul class="more">'
        + "".join(
            f'<li class="card"><h3><a href="/s{i}">Other story number {i} from the region</a>'
            f"</h3><p>One line of teaser.</p></li>"
            for i in range(4)
        )
        + "</ul>",
        "Other story number",
    ),
}


@pytest.mark.parametrize("name", sorted(FURNITURE))
def test_furniture_around_the_article_is_trimmed(clean, name: str) -> None:  # type: ignore[no-untyped-def]
    middle, after, marker = FURNITURE[name]
    article = clean(page(story(middle, after)))
    assert marker not in article.text
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text


def test_without_favor_precision_trafilaturas_text_is_kept_whole() -> None:
    keep_all = stages.get("extract.main_text.v1").factory(favor_precision=False)
    article = keep_all(page(story(after="<p>Reporting by Ana Ruiz; editing by Tom Hale</p>")))
    assert "Reporting by Ana Ruiz" in article.text


def test_a_body_split_into_chunks_is_read_whole(clean) -> None:  # type: ignore[no-untyped-def]
    article = clean(page(story(split=True)))
    assert PARAGRAPHS[0] in article.text and PARAGRAPHS[2] in article.text
    assert article.text.endswith("Later.") and article.text.count(LATER) == 2
    assert "Advertisement" not in article.text


def test_a_section_page_of_story_cards_is_not_an_article(clean) -> None:  # type: ignore[no-untyped-def]
    cards = "".join(
        f'<article class="teaser"><span>May {i}, 2025</span><h2><a href="/s{i}">Headline of '
        f"story {i} about the talks</a></h2><p>A one-line teaser for story {i}.</p></article>"
        for i in range(1, 13)
    )
    banner = (  # long enough to pass for an article when nothing else is left
        "<div id='cookie-banner'><p>We use cookies to measure our audience and to show you "
        "advertising. By clicking I agree you accept the use of cookies as described in our "
        "cookie policy. You can change your choice at any time in the settings, where you will "
        "also find the list of our partners and the purposes for which they process your "
        "data.</p><button>I agree</button></div>"
    )
    html = f"<html><body>{banner}<h1>World</h1><div class='teasers'>{cards}</div></body></html>"
    with pytest.raises(DropArticle) as info:
        clean(page(html))
    assert info.value.reason in {"no_article", "too_short"}


def test_extraction_is_deterministic(clean) -> None:  # type: ignore[no-untyped-def]
    first, second = clean(page(story())), clean(page(story()))
    assert first.text == second.text
    assert first.claims == second.claims


# -- bad HTML: no crash, a few seconds at most ---------------------------------------------------
BODY = "<p>" + " ".join(PARAGRAPHS) + "</p>"
BAD_PAGES = {
    "50,000 nested divs": "<html><body>" + "<div>" * 50_000 + BODY + "</div>" * 50_000,
    "5 MB attribute": f'<html><body><div class="{"x" * 5_000_000}">{BODY}</div></body></html>',
    "5 MB title": f"<html><head><title>{'t' * 5_000_000}</title></head><body>{BODY}</body>",
    "malformed markup": (
        "<html><body><p>unclosed <b><i>tags</b></i><table><tr><td>cell<p>in cell</table>"
        f"</div></div> <<<>>> &bogus; &#xZZZ; {BODY}<scr<script>ipt>x()</script></span>"
    ),
    "empty": "",
    "only a comment": "<!-- nothing here -->",
}


@pytest.mark.parametrize("name", sorted(BAD_PAGES))
def test_bad_html_is_extracted_or_dropped_quickly(clean, name: str) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    try:
        article = clean(page(BAD_PAGES[name]))
    except DropArticle as drop:
        assert drop.reason in {"no_article", "too_short", "too_large"} and drop.detail
    else:
        assert PARAGRAPHS[1] in article.text
        assert len(article.title or "") <= 1_000  # a 5 MB <title> is no title
    assert time.perf_counter() - started < 5


def test_a_page_with_too_many_elements_is_dropped_as_too_large() -> None:
    clean = stages.get("extract.main_text.v1").factory()
    html = "<html><body>" + "<p>a few words</p>" * 40_000 + "</body></html>"
    with pytest.raises(DropArticle) as info:
        clean(page(html))
    assert info.value.reason == "too_large"
    assert "40,002 HTML elements" in info.value.detail


def test_a_page_laid_out_in_a_table_comes_out_as_lines_without_its_boilerplate() -> None:

    paragraphs = [
        "Rescue teams pulled eleven survivors from the collapsed market building in the town "
        "centre overnight, the district administration said on Saturday morning.",
        "The building, which housed more than forty shops, gave way after two days of heavy "
        "rain, and officials said an inquiry into its construction had been ordered.",
        "Relatives of the missing waited outside the cordon as cranes lifted slabs of concrete "
        "from the site, while volunteers handed out water and food to the families.",
    ]
    laid_out = "\n".join(
        [
            "| HOME | NATION | WORLD | SPORTS |",
            "| By Staff Reporter | Share on Facebook \\| Tweet |",
            *(f"| {p} |" for p in paragraphs),
            "| - Advertisement - |",
            "| RELATED STORIES |",
            "| • Floods cut off three villages (Sep 5) |",
            "| • New bridge opens to traffic (Sep 2) |",
        ]
    )
    kept = unwrap_layout_table(laid_out)
    assert all(p in kept for p in paragraphs)
    assert "|" not in kept and "Advertisement" not in kept and "RELATED" not in kept
    ordinary = "A paragraph.\n| a | data | table |\nAnother paragraph."
    assert unwrap_layout_table(ordinary) == ordinary
