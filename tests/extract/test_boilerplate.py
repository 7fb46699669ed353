from lxml import etree
from trafilatura.xml import xmltotxt

from khabar.extract.boilerplate import is_dateline, is_link_line, same_title, trim

ARTICLE = (
    "<p>The council voted on Monday to extend the state of emergency by another month, citing "
    "continued attacks on roads leading to the capital.</p>"
    "<p>Opposition members walked out before the vote and said they would challenge it.</p>"
)


def trimmed(blocks: str, title: str | None = "Council extends emergency | Daily Ledger") -> str:
    body = etree.fromstring(f"<body>{blocks}</body>")
    trim(body, title)
    return str(xmltotxt(body, False)).strip()


def test_the_headline_and_the_standfirst_above_the_article_go() -> None:
    text = trimmed(
        "<p>Most read: storms</p><head rend='h1'>Council extends emergency</head>"
        "<head rend='h2'>A month more of curfews</head>" + ARTICLE
    )
    assert text.startswith("The council voted on Monday")


def test_a_first_heading_is_the_headline_only_when_it_is_the_title() -> None:
    assert trimmed("<head rend='h2'>Council extends emergency</head>" + ARTICLE).startswith(
        "The council"
    )
    kept = trimmed("<head rend='h2'>Background</head>" + ARTICLE)
    assert kept.startswith("Background")


def test_date_and_byline_lines_at_the_top_go() -> None:
    text = trimmed("<p>By Anna Berg</p><p>Updated 14:05, 4 March 2025</p>" + ARTICLE, None)
    assert text.startswith("The council voted")


def test_a_comment_section_goes_to_the_end() -> None:
    text = trimmed(ARTICLE + "<head rend='h3'>12 Comments</head><p>Shameful vote.</p>")
    assert text.endswith("would challenge it.")


def test_comments_are_not_cut_before_there_is_an_article() -> None:
    text = trimmed("<p>Comments</p>" + ARTICLE)
    assert "The council voted" in text


def test_trailing_prompts_credits_and_notices_go_back_to_the_last_paragraph() -> None:
    text = trimmed(
        ARTICLE
        + "<p>Reporting by Anna Berg; editing by Tom Hale</p>"
        + "<p>Subscribe to our newsletter for the day's top stories.</p>"
        + "<p>© 2025 Daily Ledger. All rights reserved.</p><head rend='h3'>More from Europe</head>"
    )
    assert text.endswith("would challenge it.")


def test_a_trailing_paragraph_that_is_article_stays() -> None:
    last = "<p>The emergency was first declared in March after a bombing in the capital.</p>"
    assert trimmed(ARTICLE + last).endswith("bombing in the capital.")


def test_story_card_lists_at_the_end_go() -> None:
    cards = "".join(f"<item><head rend='h4'>Story {i}</head>A teaser.</item>" for i in range(3))
    assert trimmed(ARTICLE + f"<list rend='ul'>{cards}</list>").endswith("challenge it.")


def test_text_in_a_removed_blocks_tail_is_kept() -> None:
    text = trimmed("<head rend='h1'>Council extends emergency</head>The council met." + ARTICLE)
    assert text.startswith("The council met.")


def test_link_lines() -> None:
    assert is_link_line("Read more: Storm hits the coast")
    assert is_link_line("[Related: Ministers meet in Cairo]")
    assert not is_link_line("Related events took place in Cairo, where ministers met.")
    assert not is_link_line("Read more: " + "word " * 30)


def test_datelines() -> None:
    assert is_dateline("November 19, 2019 / 12:21 AM / Updated 14 hours ago")
    assert is_dateline("By Anna Berg")
    assert not is_dateline("The vote was held on March 4, 2025.")
    assert not is_dateline("Opposition members walked out before the vote")


def test_same_title() -> None:
    assert same_title("Council extends emergency", "Council extends emergency | Daily Ledger")
    assert same_title("Council extends emergency", "Daily Ledger - Council extends emergency")
    assert not same_title("Council", "Council extends emergency")
    assert not same_title("", "Council extends emergency")
