from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from khabar import Article
from khabar.cli import main
from khabar.fusion.stories import Settings, StoryItem, group, label
from khabar.store import Store

TALKS = (
    "Pakistan and the United States opened counter-terrorism talks in Islamabad on Monday, "
    "with officials from both sides discussing border security and militant sanctuaries.",
    "Counter-terrorism talks between Pakistan and the United States continued in Islamabad, "
    "where delegations discussed intelligence sharing against militant groups.",
    "The United States and Pakistan ended two days of counter-terrorism talks in Islamabad "
    "with a pledge to share intelligence on militant sanctuaries near the border.",
)
FLOODS = (
    "Floods in Sindh province have displaced thousands of families after the Indus burst its "
    "banks, and relief agencies warned of disease in the camps.",
    "Relief agencies in Sindh struggled to reach families displaced by the floods as the Indus "
    "kept rising and camps ran short of clean water.",
)
CRICKET = ("Lahore hosted the final of the national cricket cup, won by the home side.",)


def items() -> list[StoryItem]:
    made = []
    for name, texts in (("talks", TALKS), ("floods", FLOODS), ("cricket", CRICKET)):
        for i, text in enumerate(texts):
            made.append(StoryItem(f"{name}-{i}", text, published=date(2024, 5, 6 + i)))
    return made


def test_articles_of_one_story_group_and_other_stories_stay_apart() -> None:
    assert group(items()) == [
        ["cricket-0"],
        ["floods-0", "floods-1"],
        ["talks-0", "talks-1", "talks-2"],
    ]


def test_the_grouping_does_not_depend_on_the_order_of_the_articles() -> None:
    expected = group(items())
    for seed in range(4):
        shuffled = items()
        random.Random(seed).shuffle(shuffled)
        assert group(shuffled) == expected


def test_articles_months_apart_are_not_one_story() -> None:
    late = StoryItem("talks-late", TALKS[0], published=date(2024, 9, 1))
    found = group([*items(), late], Settings(days=14))
    assert ["talks-late"] in found


def test_told_how_many_groups_it_makes_that_many() -> None:
    assert len(group(items(), groups=2)) == 2
    assert len(group(items(), groups=1)) == 1


def test_a_story_is_labelled_with_its_own_words() -> None:
    talks = [i for i in items() if i.id.startswith("talks")]
    words = label(talks).split(", ")
    assert "Islamabad" in words or "Pakistan" in words
    assert all(w.lower() in " ".join(TALKS).lower() for w in words)


def test_khabar_stories_groups_the_stored_articles_and_labels_them(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    with Store.open(db) as store:
        run = store.begin_run(["test"], {})
        for item in items():
            article = Article.from_text(item.text, id=item.id)
            article.text = item.text
            store.add_article(article, run)
        store.commit()
    result = CliRunner().invoke(main, ["stories", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    stories = [json.loads(line) for line in result.output.splitlines()]
    assert [s["articles"] for s in stories] == [
        ["talks-0", "talks-1", "talks-2"],
        ["floods-0", "floods-1"],
    ]
    assert {"Islamabad", "Pakistan"} & set(stories[0]["label"].split(", "))
