"""A site's home: its profile from earlier articles, and how it settles an ambiguous name."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import FRAME_STAGES, config, write
from khabar.cli import main
from khabar.core.article import PlaceMention
from khabar.core.errors import ConfigError
from khabar.geo.gazetteer import Gazetteer
from khabar.geo.home import Homes, SiteProfile, site_of
from khabar.geo.stage import PlaceFinder
from khabar.reprocess import reprocess
from khabar.runner import run
from khabar.store import Store

from .conftest import article


def place(country: str, admin1: str | None = None, precision: str = "city") -> PlaceMention:
    return PlaceMention(
        start=0, end=1, text="x", method="test", country=country, admin1=admin1, precision=precision
    )


def profile(*articles: list[PlaceMention]) -> SiteProfile:
    made = SiteProfile()
    for places in articles:
        made.add(places)
    return made


OHIO_PAPER = profile(
    *[[place("USA", "Ohio"), place("USA", "Ohio"), place("USA")] for _ in range(4)],
    [place("FRA", "Ile-de-France")],
)


def test_an_article_counts_once_per_country_and_area() -> None:
    made = profile([place("USA", "Ohio"), place("USA", "Ohio"), place("USA", "Texas")])
    assert made.articles == 1
    assert made.countries == {"USA": 1}
    assert made.areas == {"USA/Ohio": 1, "USA/Texas": 1}


def test_a_country_named_as_a_whole_is_no_area() -> None:
    made = profile([place("USA", "Ohio", precision="country"), place("PAK")])
    assert made.areas == {}
    assert made.countries == {"USA": 1, "PAK": 1}


def test_a_profile_goes_through_its_stored_rows_and_back() -> None:
    rows = [(key, 1) for key in profile([place("PAK", "Sindh")]).rows()]
    assert rows == [("", 1), ("PAK", 1), ("PAK/Sindh", 1)]
    assert SiteProfile.from_counts(rows * 3).to_dict() == {
        "articles": 3,
        "countries": {"PAK": 3},
        "areas": {"PAK/Sindh": 3},
    }
    assert SiteProfile.from_dict(OHIO_PAPER.to_dict()) == OHIO_PAPER
    assert SiteProfile.from_dict({"articles": "many", "countries": []}) == SiteProfile()


def test_leaving_an_article_out_takes_its_counts_away() -> None:
    own = profile([place("FRA", "Ile-de-France")])
    rest = OHIO_PAPER.without(own)
    assert rest.articles == 4
    assert "FRA" not in rest.countries and "FRA/Ile-de-France" not in rest.areas


def test_only_what_most_articles_name_is_home(gazetteer: Gazetteer) -> None:
    home = Homes(gazetteer).of(OHIO_PAPER)
    assert home is not None
    assert {gazetteer.country_iso3[c] for c in home.country} == {"USA"}
    assert {gazetteer.admin1_name[a] for a in home.admin1} == {"Ohio"}
    assert home.admin1[next(iter(home.admin1))] == pytest.approx(0.8)


def test_a_world_news_site_has_no_home(gazetteer: Gazetteer) -> None:
    # Its own country in a little over half of its articles, no area in most: no home.
    world = profile(
        *[[place("USA", state)] for state in ("Ohio", "Texas", "Maine", "Utah", "Iowa", "Idaho")],
        *[[place(country)] for country in ("GBR", "IND", "KEN", "BRA", "JPN")],
    )
    assert Homes(gazetteer).of(world) is None


def test_too_few_articles_make_no_home(gazetteer: Gazetteer) -> None:
    assert Homes(gazetteer).of(profile([place("USA", "Ohio")], [place("USA", "Ohio")])) is None
    assert Homes(gazetteer).of(None) is None


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.Dispatch.example/local/2024/fire.html", "dispatch.example"),
        ("http://m.news.example/a", "news.example"),
        ("https://www.com/", "www.com"),
        ("file:///tmp/page.html", None),
        ("http://[broken/", None),
        ("http://user:secret@Host.EXAMPLE:8080/p", "host.example"),
        (None, None),
    ],
)
def test_a_site_is_the_host_of_its_address(url: str | None, site: str | None) -> None:
    assert site_of(url) == site


@pytest.mark.parametrize(
    ("text", "surface", "abroad", "at_home"),
    [
        ("Police in Dublin arrested two men on Monday.", "Dublin", "IRL", "Ohio"),
        ("The council in Athens voted on the budget.", "Athens", "GRC", "Ohio"),
    ],
)
def test_a_name_the_article_leaves_open_goes_to_the_sites_home(
    finder: PlaceFinder, text: str, surface: str, abroad: str, at_home: str
) -> None:
    story = article(text)
    elsewhere = [p for p in finder.places(story) if p.text == surface]
    assert [p.country for p in elsewhere] == [abroad]
    story.site_profile = OHIO_PAPER.to_dict()
    found = [p for p in finder(story).places if p.text == surface]
    assert [(p.country, p.admin1, p.method) for p in found] == [("USA", at_home, "geo.home")]


def test_the_articles_own_places_outweigh_the_home(finder: PlaceFinder) -> None:
    # The home counts as at most three mentions: two Irish places of the article's own win.
    story = article("Police in Dublin and Limerick arrested two men after a raid in Kilkenny.")
    story.site_profile = OHIO_PAPER.to_dict()
    dublin = next(p for p in finder(story).places if p.text == "Dublin")
    assert (dublin.country, dublin.method) == ("IRL", "geo.gazetteer")


def test_the_home_does_not_lend_a_name_to_a_place_it_is_only_an_alternate_of(
    finder: PlaceFinder,
) -> None:
    # GeoNames lists "Paris" among the names of Saint Paris, Ohio; an Ohio paper's "Paris" is
    # still Paris.
    story = article("Storms hit Paris overnight, closing two schools.")
    story.site_profile = OHIO_PAPER.to_dict()
    paris = next(p for p in finder(story).places if p.text == "Paris")
    assert (paris.name, paris.country) == ("Paris", "FRA")


def test_a_stage_without_home_ignores_the_profile(gazetteer: Gazetteer) -> None:
    story = article("Police in Dublin arrested two men on Monday.")
    story.site_profile = OHIO_PAPER.to_dict()
    found = PlaceFinder(gazetteer, use_home=False)(story).places
    assert [p.country for p in found if p.text == "Dublin"] == ["IRL"]


# -- through a store: earlier runs of a site settle its later articles -------------------------
# Long enough for the cleaning stage (200 characters); the same closing for each.
CLOSING = (
    " Officials said more details would follow later in the week. Residents were asked to "
    "send their questions to the city office by email or by post."
)
OHIO_STORIES = [
    "The city council of Columbus, Ohio approved a new budget for road repairs on Monday.",
    "Firefighters in Dayton, Ohio put out a blaze at a warehouse late on Tuesday night.",
    "Voters in Toledo, Ohio chose a new school board in an election held on Wednesday.",
    "A bridge near Akron, Ohio was closed for repairs after an inspection on Thursday.",
]
DUBLIN_STORY = "Police in Dublin arrested two men on Monday after a break-in at a pharmacy."
OTHER_DUBLIN_STORY = "A driver was detained in Dublin on Friday after a chase through the streets."


def _jsonl(path: Path, items: list[tuple[str, str]]) -> str:
    lines = [json.dumps({"id": i, "url": url, "text": text + CLOSING}) for i, url, text in items]
    return str(write(path, "\n".join(lines) + "\n"))


def _dublin(database: str, article_id: str) -> tuple[str | None, str | None]:
    with Store.open(database) as store:
        stored = store.get_article(article_id)
    assert stored is not None
    found = [(p.country, p.admin1) for p in stored.places if p.text == "Dublin"]
    assert len(found) == 1
    return found[0]


def test_a_sites_stored_articles_settle_its_next_ones(
    tmp_path: Path, database: str, cache_dir: Path
) -> None:
    settings = config(
        pipeline={"stages": [*FRAME_STAGES, "places"]},
        stages={"places": {"cache_dir": str(cache_dir)}},
    )
    site = "https://www.dispatch.example/local/"
    earlier = [(f"ohio-{i}", f"{site}{i}.html", text) for i, text in enumerate(OHIO_STORIES)]
    run([_jsonl(tmp_path / "earlier.jsonl", earlier)], settings, db=database)
    with Store.open(database) as store:
        made = store.site_profile("dispatch.example")
        assert store.site_profiles() == [("dispatch.example", made)]
    assert (made.articles, made.countries["USA"], made.areas["USA/Ohio"]) == (4, 4, 4)
    shown = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["sites", "--db", database])
    assert shown.exit_code == 0, shown.output
    assert "dispatch.example" in shown.output and "USA/Ohio 100%" in shown.output

    later = [
        ("local", f"{site}dublin.html", DUBLIN_STORY),
        # Another site's story (the same words would be linked as a copy of the first).
        ("elsewhere", "https://other.example/dublin.html", OTHER_DUBLIN_STORY),
    ]
    summary = run([_jsonl(tmp_path / "later.jsonl", later)], settings, db=database)
    assert summary.stored == 2
    assert _dublin(database, "local") == ("USA", "Ohio")
    assert _dublin(database, "elsewhere") == ("IRL", "Leinster")

    # The site's profile keeps what the article says on its own, not what the home made of it:
    # a wrong home must not confirm itself with each article.
    with Store.open(database) as store:
        assert store.article_profile("local").areas == {"IRL/Leinster": 1}

    # Re-processed, an article is not its own evidence, and the profile counts it once.
    reprocess(settings, db=database)
    assert _dublin(database, "local") == ("USA", "Ohio")
    with Store.open(database) as store:
        assert store.site_profile("dispatch.example").articles == 5
        assert store.article_profile("local").areas == {"IRL/Leinster": 1}


def test_a_home_the_user_gives_serves_a_site_the_store_does_not_know(
    gazetteer: Gazetteer,
) -> None:
    finder = PlaceFinder(gazetteer, homes={"www.Dispatch.example": ("USA/Ohio",)})
    story = article("Police in Dublin arrested two men on Monday.")
    story.url = "https://dispatch.example/local/1.html"
    found = [p for p in finder(story).places if p.text == "Dublin"]
    assert [(p.country, p.admin1, p.method) for p in found] == [("USA", "Ohio", "geo.home")]
    story.url = "https://other.example/1.html"
    assert [p.country for p in finder(story).places if p.text == "Dublin"] == ["IRL"]


@pytest.mark.parametrize("key", ["USA/Ohioo", "XXX", "Ohio"])
def test_a_home_the_gazetteer_cannot_name_is_a_clear_error(gazetteer: Gazetteer, key: str) -> None:
    with pytest.raises(ConfigError, match=r"stages\.places\.homes: 'paper\.example'"):
        PlaceFinder(gazetteer, homes={"paper.example": (key,)})
