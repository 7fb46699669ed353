from datetime import UTC, date, datetime

import pytest

from khabar import Article, Evidence, TimeValue, stages
from khabar.core.article import Segment
from khabar.extract.published import WIDGET_NOTE

published = stages.get("extract.published.v1").factory()

PAGE = """<html><head>
<meta property="article:published_time" content="2024-05-06T09:30:00+03:00">
<meta property="article:modified_time" content="2024-05-09T10:00:00+03:00">
<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "2024-05-06"}}</script>
</head><body>
<div class="topbar"><span class="today-date">Friday 14 November 2025</span></div>
<h1>Talks resume</h1>
<div class="entry-meta"><span class="posted-on">{byline}</span></div>
<p>Negotiators met in Doha on Monday for a third round of talks on a prisoner exchange.</p>
<ul class="related"><li>Older story <span class="posted-on">April 2, 2024</span></li></ul>
</body></html>"""

SCRAPED = """Thursday, 9 January 2025
Home
World
Police disperse farmers' march on the capital with tear gas
By Staff Reporter
Published: 8 January 2025, 18:40 PKT
Several thousand farmers marching towards the capital were stopped by police on Wednesday.
"""


def run(
    raw: str,
    media_type: str = "text/html",
    url: str | None = None,
    fetched: datetime | None = None,
    text: str = "Negotiators met in Doha on Monday for a third round of talks on a prisoner exchange.",
) -> Article:
    """The date stage alone on ``raw``, with ``text`` as the clean stage's text (the body)."""
    article = Article.from_text(raw, media_type=media_type, url=url)  # type: ignore[arg-type]
    article.fetched_at = fetched or datetime(2025, 11, 20, tzinfo=UTC)
    article.text = text
    return published(article)


def claims(article: Article) -> dict[str, list[tuple[date, bool, str | None]]]:
    by_method: dict[str, list[tuple[date, bool, str | None]]] = {}
    for c in article.candidates("published"):
        assert isinstance(c.value, TimeValue)
        by_method.setdefault(c.method, []).append((c.value.start, c.accepted, c.note))
    return by_method


def test_agreeing_metadata_wins_and_gains_confidence() -> None:
    article = run(PAGE.format(byline="May 6, 2024"), url="https://x.example/2024/05/06/talks")
    chosen = article.published
    assert chosen is not None
    assert (chosen.start, chosen.method, chosen.granularity) == (
        date(2024, 5, 6),
        "html.meta",
        "instant",
    )
    assert chosen.confidence > 0.95
    assert chosen.evidence[0].kind == "raw"
    assert (
        article.raw_text[chosen.evidence[0].start : chosen.evidence[0].end]
        == "2024-05-06T09:30:00+03:00"
    )
    found = claims(article)
    assert found["html.jsonld"] == [
        (date(2024, 5, 6), False, "agrees with the chosen date (html.meta)")
    ]
    assert found["url"][0][2] == "agrees with the chosen date (html.meta)"


def test_the_sites_clock_and_the_modification_date_never_win() -> None:
    found = claims(run(PAGE.format(byline="May 6, 2024")))
    (widget,) = found["html.widget"]
    assert widget[0] == date(2025, 11, 14) and not widget[1] and "clock" in (widget[2] or "")
    modified = [c for c in found["html.meta"] if c[0] == date(2024, 5, 9)]
    assert modified and not modified[0][1] and "modification" in (modified[0][2] or "")


def test_dates_after_the_article_body_are_not_candidates() -> None:
    found = claims(run(PAGE.format(byline="May 6, 2024")))
    assert date(2024, 4, 2) not in [d for items in found.values() for d, _, _ in items]


def test_a_conflict_is_named_in_the_record() -> None:
    article = run(PAGE.format(byline="June 20, 2024"))
    assert article.published is not None
    assert article.published.start == date(2024, 5, 6)
    winner = article.accepted("published")
    assert winner is not None and winner.note == "conflicts with html.byline (2024-06-20)"


def test_a_date_later_than_the_fetch_is_refused() -> None:
    article = run(PAGE.format(byline=""), fetched=datetime(2024, 5, 1, tzinfo=UTC))
    assert article.published is None
    notes = {n for items in claims(article).values() for _, _, n in items}
    assert "later than the time the page was fetched" in notes


def test_a_scraped_page_widget_is_rejected_and_the_byline_wins() -> None:
    article = Article.from_text(SCRAPED)
    article.claim(
        "title",
        "Police disperse farmers' march on the capital with tear gas",
        method="t",
        evidence=Evidence.raw_span(39, 98, "x"),
    )
    article.fetched_at = datetime(2025, 2, 1, tzinfo=UTC)
    article.text = "Several thousand farmers marching towards the capital were stopped."
    found = claims(published(article))
    assert found["text.widget"] == [(date(2025, 1, 9), False, found["text.widget"][0][2])]
    assert found["text.byline"] == [(date(2025, 1, 8), True, None)]
    widget = next(c for c in article.candidates("published") if c.method == "text.widget")
    assert widget.trusted is False
    assert article.raw_text[widget.evidence[0].start : widget.evidence[0].end] == "9 January 2025"


SCRAPED_GERMAN = """Donnerstag, 9. Januar 2025
Startseite
Welt
Polizei stoppt den Marsch der Bauern auf die Hauptstadt mit Tränengas
Von Anna Keller
Veröffentlicht am 08.01.2025, 18:40 Uhr
Mehrere tausend Bauern auf dem Weg in die Hauptstadt wurden am Mittwoch von der Polizei gestoppt.
"""


def test_a_scraped_page_in_german_has_its_clock_and_byline_read_alike() -> None:
    article = Article.from_text(SCRAPED_GERMAN)
    article.fetched_at = datetime(2025, 2, 1, tzinfo=UTC)
    article.text = SCRAPED_GERMAN.splitlines()[-1]
    found = claims(published(article))
    assert [d for d, *_ in found["text.widget"]] == [date(2025, 1, 9)]
    assert found["text.byline"] == [(date(2025, 1, 8), True, None)]


def test_a_guess_equal_to_the_clock_is_the_clock() -> None:
    article = Article.from_text(
        PAGE.replace("article:published_time", "x").replace("datePublished", "y").format(byline=""),
        media_type="text/html",
    )
    article.fetched_at = datetime(2025, 11, 20, tzinfo=UTC)
    article.text = (
        "Negotiators met in Doha on Monday for a third round of talks on a prisoner exchange."
    )
    article.claim(
        "published",
        TimeValue.day(date(2025, 11, 14)),
        method="htmldate",
        confidence=0.6,
        evidence=Evidence.meta("htmldate:date", "2025-11-14"),
    )
    article = published(article)
    assert article.published is None
    assert claims(article)["htmldate"][0][2] == "the same day as the site's clock widget"


def test_a_month_in_the_url_is_a_month() -> None:
    article = run(
        "<html><body><p>No dates here.</p></body></html>",
        url="https://x.example/2024/02/some-story",
    )
    assert article.published is not None
    assert (article.published.start, article.published.end, article.published.granularity) == (
        date(2024, 2, 1),
        date(2024, 2, 29),
        "month",
    )


UNDATED = """Wednesday, 6 May 2020
Nigeria and Niger to reopen border talks next month
By Staff Reporter
Foreign Minister Amina Okafor said on Tuesday that the two governments will meet in April to discuss the crossings.
The border was closed in October after a spate of kidnappings.
"""
OFFICES = (
    "name\taliases\tcountry\toffice\ttitles\tstart\tend\tsource\n"
    "Amina Okafor\tOkafor\tNGA\tforeign_minister\t\t2019-06-01\t2020-06-30\twritten for a test\n"
)


def undated(stage: object, raw: str = UNDATED) -> Article:
    article = Article.from_text(raw, media_type="text/plain")
    article.fetched_at = datetime(2025, 11, 20, tzinfo=UTC)
    article.text = raw[raw.index("Nigeria and") :] if "Nigeria and" in raw else raw
    return stage(article)  # type: ignore[operator,no-any-return]


def test_an_undated_page_gets_the_window_its_text_implies(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "offices.tsv").write_text(OFFICES, encoding="utf-8")
    stage = stages.get("extract.published.v1").factory(offices=[str(tmp_path / "offices.tsv")])
    article = undated(stage)
    chosen = article.published
    assert chosen is not None
    assert (chosen.method, chosen.start, chosen.end) == (
        "text.relative",
        date(2020, 3, 1),
        date(2020, 3, 31),
    )
    assert chosen.granularity == "month"
    quoted = {article.text[e.start : e.end] for e in chosen.evidence if e.kind == "text"}
    assert {"next month", "April", "Amina Okafor"} <= quoted
    claim = article.accepted("published")
    assert claim is not None
    assert "Amina Okafor in office" in (claim.note or "")
    assert claims(article)["text.widget"] == [(date(2020, 5, 6), False, WIDGET_NOTE)]


def test_the_window_stays_below_the_sites_clock_and_untrusted_without_a_fixed_year() -> None:
    article = undated(published)
    assert article.published is None
    [window] = [c for c in article.candidates("published") if c.method == "text.relative"]
    assert isinstance(window.value, TimeValue)
    # the clock says 6 May 2020: the latest March before it, kept as a rejected candidate
    assert (window.value.start, window.accepted, window.trusted) == (date(2020, 3, 1), False, False)
    assert "the year is not fixed" in (window.note or "")


def test_a_dated_page_is_not_dated_again_from_its_text() -> None:
    raw = UNDATED.replace("By Staff Reporter", "Published: 4 March 2020")
    article = undated(published, raw)
    assert article.published is not None
    assert article.published.method == "text.byline"
    assert "text.relative" not in claims(article)


def test_the_window_can_be_switched_off() -> None:
    stage = stages.get("extract.published.v1").factory(from_text=False)
    assert "text.relative" not in claims(undated(stage))


def test_a_long_notice_that_says_updated_is_no_byline() -> None:
    banner = (
        "We use cookies to improve your experience and to show you relevant advertising. "
        "To opt out, read our cookie policy. Our privacy policy has also been updated and "
        "became effective March 3rd, 2021."
    )
    raw = f"{banner}\nFloods cut off three villages in the north\nRiver levels rose overnight.\n"
    assert "text.byline" not in claims(undated(published, raw))


def test_dates_of_a_list_of_other_stories_are_not_this_ones() -> None:
    recent = "\n".join(
        f"{story}\nNovember {day}, 2021"
        for story, day in (("Council passes budget", 20), ("Port strike ends", 19), ("Rains", 18))
    )
    raw = f"Home\nRecent\n{recent}\nFloods cut off three villages in the north\nBody text.\n"
    found = claims(undated(published, raw))
    assert "text.byline" not in found
    assert "text.widget" not in found


EVENING = """<html><head>
<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "2024-03-06T04:10:00Z"}}</script>
{extra}
</head><body><h1>Talks resume</h1>
<div class="byline"><span class="posted-on">{byline}</span></div>
<p>Negotiators met in Doha on Monday for a third round of talks on a prisoner exchange.</p>
</body></html>"""


def test_a_utc_stamp_takes_the_publishers_day_from_a_local_date() -> None:
    # 04:10Z on the 6th is the evening of the 5th in the Americas, where the byline dates it
    article = run(EVENING.format(extra="", byline="March 5, 2024"))
    chosen = article.published
    assert chosen is not None
    assert (chosen.start, chosen.method) == (date(2024, 3, 5), "html.jsonld")
    assert chosen.at == datetime(2024, 3, 6, 4, 10, tzinfo=UTC)
    claim = article.accepted("published")
    assert claim is not None and "the publisher's day, from html.byline" in (claim.note or "")


def test_the_same_utc_stamp_without_its_zone_is_no_local_date() -> None:
    same = '<meta property="article:published_time" content="2024-03-06T04:10:00">'
    article = run(EVENING.format(extra=same, byline="March 5, 2024"))
    assert article.published is not None
    assert article.published.start == date(2024, 3, 5)


def test_a_local_date_equal_to_the_utc_day_keeps_it() -> None:
    article = run(EVENING.format(extra="", byline="March 6, 2024"))
    assert article.published is not None
    assert article.published.start == date(2024, 3, 6)


def test_a_wire_storys_dateline_dates_it() -> None:
    raw = (
        "Rockets hit an air base in western Iraq\n"
        "KYIV, Ukraine, March 3, 2024 (Reuters) - Drones struck a depot overnight, officials said. "
        "A second wave followed on March 5, 2024 - after the talks failed.\n"
    )
    found = claims(undated(published, raw))
    assert found["text.dateline"] == [(date(2024, 3, 3), True, None)]


def test_a_date_inside_a_paragraph_is_no_dateline() -> None:
    raw = "Floods cut off villages\nOfficials said on March 3, 2024 - a Sunday - that roads had closed.\n"
    assert "text.dateline" not in claims(undated(published, raw))


GERMAN_BODY = "Die Unterhändler trafen sich am Montag in Doha zu einer dritten Gesprächsrunde."
GERMAN = f"""<html><head><title>Neue Gespräche in Doha</title></head><body>
<h1>Neue Gespräche in Doha</h1>
<div class="about"><span class="about__block">veröffentlicht am 30. Juli 2018</span></div>
<p>{GERMAN_BODY}</p>
</body></html>"""


def run_german(page: str) -> Article:
    return run(page, text=GERMAN_BODY)


CLOCK_ONLY = """<html><head><title>Talks resume</title></head><body>
<div class="topbar"><span class="today-date">Friday 14 November 2025</span></div>
<h1>Talks resume</h1>
<p>Negotiators met in Doha on Monday for a third round of talks on a prisoner exchange.</p>
</body></html>"""


def test_a_page_nothing_else_dates_is_dated_by_a_search_of_its_text() -> None:
    # no metadata, no byline element, no word that labels the date: htmldate's search reads it
    article = run_german(GERMAN.replace("veröffentlicht am ", ""))
    assert article.published is not None
    assert article.published.start == date(2018, 7, 30)
    assert article.published.method == "htmldate.search" and article.published.confidence < 0.5


def test_a_labelled_teaser_above_the_headline_is_another_storys() -> None:
    teaser = "<nav><ul><li><a>Andere Meldung</a> Veröffentlicht am 1. April 2019</li></ul></nav>"
    page = GERMAN.replace("<h1>", teaser + "<div></div>" * 300 + "<h1>")
    article = run_german(page)
    assert date(2019, 4, 1) not in [d for d, *_ in claims(article).get("html.byline", [])]
    assert article.published is not None and article.published.start == date(2018, 7, 30)


def test_a_labelled_update_before_a_byline_element_marks_it_an_update() -> None:
    head = 'Aktualisiert: <span class="date">5. Juni 2020</span><p>Erstellt am 3. April 2019</p>'
    page = GERMAN.replace(
        '<div class="about"><span class="about__block">veröffentlicht am 30. Juli 2018</span></div>',
        head,
    )
    article = run_german(page)
    assert article.published is not None and article.published.start == date(2019, 4, 3)
    assert all(note for d, _, note in claims(article)["html.byline"] if d == date(2020, 6, 5))


def test_a_labelled_date_shown_by_a_time_element_is_read_past_its_attribute() -> None:
    shown = '<p>Veröffentlicht: <time datetime="2019-04-03T10:00:00Z">3. April 2019</time></p>'
    page = GERMAN.replace(
        '<div class="about"><span class="about__block">veröffentlicht am 30. Juli 2018</span></div>',
        shown,
    )
    (byline,) = claims(run_german(page))["html.byline"]
    assert byline[0] == date(2019, 4, 3)


def test_a_date_a_word_labels_is_read_in_the_pages_language() -> None:
    article = run_german(
        GERMAN
    )  # "veröffentlicht am 30. Juli 2018", in an element of no date class
    assert article.published is not None
    assert (article.published.start, article.published.method) == (date(2018, 7, 30), "html.byline")
    assert article.raw_text[article.published.evidence[0].start :].startswith("30. Juli 2018")


def test_labelled_dates_of_a_list_of_other_stories_are_not_this_ones() -> None:
    box = "".join(f"<li>Anderer Artikel, veröffentlicht am {d}.03.2019</li>" for d in (4, 5, 6))
    # a "related stories" box between the byline and the body, far enough from the byline
    page = GERMAN.replace("<p>Die", f"{'<span></span>' * 150}<ul>{box}</ul><p>Die")
    article = run_german(page)
    assert [d for d, *_ in claims(article)["html.byline"]] == [date(2018, 7, 30)]
    assert article.published is not None and article.published.start == date(2018, 7, 30)


@pytest.mark.parametrize(
    ("head", "published"),
    [
        ("<p>Stand: 05.06.2020</p><p>Erstellt: 03.04.2019</p>", date(2019, 4, 3)),
        ("<p>Mis à jour le <b>5 juin 2020</b></p><p>Publié le 3 avril 2019</p>", date(2019, 4, 3)),
        (
            "<p>Actualizado: 5 de junio de 2020</p><p>Publicado: 3 de abril de 2019</p>",
            date(2019, 4, 3),
        ),
        (
            "<p>Updated: June 5, 2020</p><p>Published: <time>April 3, 2019</time></p>",
            date(2019, 4, 3),
        ),
    ],
)
def test_a_labelled_update_never_stands_for_the_publication(head: str, published: date) -> None:
    page = GERMAN.replace(
        '<div class="about"><span class="about__block">veröffentlicht am 30. Juli 2018</span></div>',
        head,
    )
    article = run_german(page)
    assert article.published is not None and article.published.start == published
    updates = [c for c in claims(article)["html.byline"] if c[0] == date(2020, 6, 5)]
    assert updates and updates[0][2] is not None and "modification" in updates[0][2]


def test_the_search_never_takes_the_sites_clock() -> None:
    article = run(CLOCK_ONLY)
    assert article.published is None
    (searched,) = claims(article)["htmldate.search"]
    assert (
        searched[0] == date(2025, 11, 14)
        and searched[2] == "the same day as the site's clock widget"
    )


def test_a_dated_page_is_not_searched() -> None:
    assert "htmldate.search" not in claims(run(PAGE.format(byline="May 6, 2024")))


def test_an_updated_byline_is_a_modification_not_the_publishers_day() -> None:
    # the address gives the publisher's day (the 5th); the byline says when the story last
    # changed, on the UTC day, and must not stand for the UTC day as the publisher's
    raw = EVENING.format(extra="", byline="Updated 0512 GMT (1312 HKT) March 6, 2024")
    article = run(raw, url="https://news.example.org/2024/03/05/world/talks-resume/index.html")
    assert article.published is not None and article.published.start == date(2024, 3, 5)
    (byline,) = claims(article)["html.byline"]
    assert byline[0] == date(2024, 3, 6) and "modification" in (byline[2] or "")


def test_a_wordpress_date_classed_published_updated_is_the_publication() -> None:
    raw = PAGE.replace("article:published_time", "x").replace("datePublished", "y")
    raw = raw.replace('class="posted-on"', 'class="entry-date published updated"')
    article = run(raw.format(byline="May 6, 2024"))
    assert article.published is not None and article.published.start == date(2024, 5, 6)
    assert article.published.method == "html.byline"


MENU = "\n".join(f"Section {n}" for n in range(60))  # a long menu: the head runs past 40 lines
HEADLINE = "Floods cut off three villages in the north"
BODY = "River levels rose overnight and three villages were cut off from the nearest road."


def scraped(head: str, *, title: bool = True) -> Article:
    """A scraped page: the menu, then ``head`` (headline, byline lines), then the body."""
    return scraped_page(f"{MENU}\n{head}\n{BODY}\n", title=title)


def scraped_page(
    raw: str, *, title: bool = True, segments: bool = True, author: str | None = None
) -> Article:
    """``raw`` with what the clean stage leaves before the date stage: the body's start (with
    ``segments``), the headline's claim (with ``title``) and an author's (``author``)."""
    article = Article.from_text(raw, media_type="text/plain")
    article.fetched_at = datetime(2025, 11, 20, tzinfo=UTC)
    article.text = BODY
    if segments:
        article.raw_segments = [Segment(start=0, end=len(BODY), raw_start=raw.index(BODY))]
    if title:
        article.claim("title", HEADLINE, method="t", evidence=_raw_span(raw, HEADLINE))
    if author is not None:
        article.claim("authors", [author], method="t", evidence=_raw_span(raw, author))
    return published(article)  # type: ignore[no-any-return]


def _raw_span(raw: str, name: str) -> Evidence:
    start = raw.index(name)
    return Evidence.raw_span(start, start + len(name), name)


def accepted_day(article: Article) -> date | None:
    return article.published.start if article.published is not None else None


@pytest.mark.parametrize(
    "head",
    [
        f"{HEADLINE}\nReuters\nNovember 18, 2021 11:03 PM",  # alone under the headline, a time
        f"{HEADLINE}\nBy\nDana Reyes@dreyes\nNov 18, 2021, 11:47am EST",  # "By" above the name
        f"{HEADLINE}\nNovember 18, 2021\n| by Dana Reyes",  # the byline under the date
        f"{HEADLINE}\nNovember 18, 2021 | 4:20am | Updated November 19, 2021",
        f"{HEADLINE}\nPosted by Dana Reyes on November 18, 2021, 6:21 AM EST",
        # a share count ("0") between the lone dates is no date: they are not a list
        f"November 18\n{HEADLINE}\nDana Reyes\n- Nov. 18th 2021 12:12 pm PT\n0\nFacebook",
    ],
)
def test_a_byline_date_deep_in_a_long_scraped_page(head: str) -> None:
    article = scraped(head)
    assert accepted_day(article) == date(2021, 11, 18)
    assert article.published is not None and article.published.method == "text.byline"


def test_a_date_that_only_says_updated_bounds_the_publication_without_being_it() -> None:
    article = scraped(f"{HEADLINE}\nBy Dana Reyes\nUpdated 1909 GMT November 19, 2021")
    assert accepted_day(article) is None
    [(day, accepted, note)] = claims(article)["text.updated"]
    assert day == date(2021, 11, 19) and not accepted and "update" in (note or "")


def test_by_before_a_lower_case_word_is_no_byline() -> None:
    line = "Weather November 19, 2021 (This Morning) Some sunshine by the end of the day"
    article = scraped(f"{line}\n{HEADLINE}")
    assert "text.byline" not in claims(article)


def test_a_lone_date_above_the_headline_stays_the_sites_clock() -> None:
    raw = f"Wednesday, April 17, 2024\n{HEADLINE}\nBy Dana Reyes\n{BODY}\n"
    found = claims(scraped_page(raw, segments=False))
    assert found["text.widget"] == [(date(2024, 4, 17), False, WIDGET_NOTE)]
    assert "text.byline" not in found


def test_english_words_that_mean_by_elsewhere_sign_no_date() -> None:
    raw = f"Door County Daily News\nWednesday, April 17, 2024\n{HEADLINE}\n{BODY}\n"
    found = claims(scraped_page(raw, segments=False))
    assert found["text.widget"] == [(date(2024, 4, 17), False, WIDGET_NOTE)]
    assert "text.byline" not in found


def test_a_bare_modified_in_a_byline_element_is_no_update() -> None:
    raw = PAGE.replace("article:published_time", "x").replace("datePublished", "y")
    article = run(raw.format(byline="Filed under Genetically Modified Crops | May 6, 2024"))
    assert claims(article)["html.byline"] == [(date(2024, 5, 6), True, None)]


def test_a_line_the_cleaner_read_the_authors_from_is_a_byline_without_by() -> None:
    raw = f"{MENU}\nDana Reyes\nNov 18, 2021, 7:53pm EST\n{BODY}\n"
    article = scraped_page(raw, title=False, author="Dana Reyes")
    assert accepted_day(article) == date(2021, 11, 18)


def test_a_time_stamp_right_above_the_headline_is_the_posts_and_a_bare_day_is_a_clock() -> None:
    stamped = scraped(f"October 9, 2021 at 9:40 am\nTweet\n{HEADLINE}")
    assert accepted_day(stamped) == date(2021, 10, 9)
    assert stamped.published is not None and stamped.published.method == "text.byline"
    bare = scraped(f"Saturday, October 9, 2021\nTweet\n{HEADLINE}")
    assert accepted_day(bare) is None
    assert "text.byline" not in claims(bare)


def test_dates_below_the_start_of_the_body_are_other_stories() -> None:
    more = [f"Paragraph {n} of the story goes on about the flood and the roads." for n in range(5)]
    raw = f"{HEADLINE}\n{BODY}\n" + "\n".join(more) + "\nRelated\nPort strike ends\nNov 20, 2021\n"
    assert "text.byline" not in claims(scraped_page(raw))


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("By Dana Reyes | Updated November 19, 2021", None),
        ("Updated by Dana Reyes on November 19, 2021", None),
        ("Date modified: November 19, 2021", None),
        ("Updated November 19, 2021 | Published November 18, 2021", date(2021, 11, 18)),
        ("Posted by Dana Reyes on November 18, 2021", date(2021, 11, 18)),
    ],
)
def test_a_date_an_update_word_introduces_is_no_publication(line: str, day: date | None) -> None:
    assert accepted_day(scraped(f"{HEADLINE}\n{line}")) == day


def test_by_inside_a_menu_line_signs_no_date() -> None:
    article = scraped(f"Shop by Department\nSaturday, October 9, 2021\n{HEADLINE}")
    assert "text.byline" not in claims(article)


def test_an_indented_headline_under_a_time_stamp() -> None:
    raw = f"October 9, 2021 at 9:40 am\nTweet\n   {HEADLINE}\n{BODY}\n"
    assert accepted_day(scraped_page(raw)) == date(2021, 10, 9)


def test_an_html_update_time_element_is_a_modification() -> None:
    raw = PAGE.replace("article:published_time", "x").replace("datePublished", "y")
    raw = raw.replace('class="posted-on"', 'class="update-time"')
    article = run(raw.format(byline="May 9, 2024"))
    (byline,) = claims(article)["html.byline"]
    assert byline[0] == date(2024, 5, 9) and not byline[1]
