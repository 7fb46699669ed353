from khabar.extract.html_tree import drop_story_cards, join_split_body, parse_page

BODY = "<p>" + "The talks resumed in the capital on Monday, officials said. " * 8 + "</p>"


def test_attributes_too_long_for_any_class_or_url_are_dropped_before_extraction() -> None:
    html = f'<html><body><div class="{"x" * 5_000_000}" id="main">{BODY}</div></body></html>'
    tree = parse_page(html)
    (div,) = tree.iter("div")
    assert div.attrib == {"id": "main"}


def test_chunks_of_a_split_body_join_the_first_in_order() -> None:
    chunk = '<div class="story-body">{}</div>'
    html = (
        "<html><body>"
        + chunk.format(BODY + "<p>one</p>")
        + "<div class='ad'>Ad</div>"
        + chunk.format(BODY + "<p>two</p>")
        + "</body></html>"
    )
    tree = parse_page(html)
    bodies = [d for d in tree.iter("div") if d.get("class") == "story-body"]
    assert len(bodies) == 1
    assert [p.text for p in bodies[0].iter("p")][-1] == "two"


def test_short_blocks_of_the_same_class_are_not_chunks_of_a_body() -> None:
    html = "<html><body>" + '<div class="post-text"><p>A teaser.</p></div>' * 3 + "</body></html>"
    tree = parse_page(html)
    join_split_body(tree)
    assert sum(1 for d in tree.iter("div") if d.get("class") == "post-text") == 3


def test_story_cards_go_only_in_runs() -> None:
    card = '<li class="card"><h3><a href="/{0}">Story number {0} in the region</a></h3></li>'
    run = "".join(card.format(i) for i in range(3))
    lone = '<div class="box"><h3><a href="/x">A linked heading alone</a></h3></div>'
    tree = parse_page(f"<html><body><ul>{run}</ul>{lone}{BODY}</body></html>")
    drop_story_cards(tree)
    assert not list(tree.iter("li"))
    assert [d.get("class") for d in tree.iter("div")] == ["box"]
