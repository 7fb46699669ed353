"""Places the gazetteer lacks: placed in the area the article's other places share."""

import pytest

from khabar.core.article import Entity, PlaceMention
from khabar.geo.gazetteer import Gazetteer
from khabar.geo.home import Homes
from khabar.geo.stage import PlaceFinder

from .conftest import article

# Made-up names: no gazetteer lists them, whatever its size.
HAMLET = "Quillerby Hollow"
VILLAGE = "Zantrapur"


def gpe(text: str, name: str, label: str = "GPE") -> Entity:
    start = text.index(name)
    return Entity(start=start, end=start + len(name), text=name, label=label, method="test")


def unlisted(finder: PlaceFinder, text: str, entities: list[Entity]) -> list[PlaceMention]:
    found = finder.places(article(text, entities))
    for p in found:
        assert text[p.start : p.end] == p.text
    return [p for p in found if p.method == "geo.unlisted"]


def test_an_unlisted_town_lies_in_the_area_its_neighbours_share(finder: PlaceFinder) -> None:
    text = (
        f"Crews from Hartford and New Haven, Connecticut, cleared roads in {HAMLET} after the "
        "storm, and schools in Waterbury stayed closed."
    )
    [mention] = unlisted(finder, text, [gpe(text, HAMLET)])
    assert mention.text == mention.name == HAMLET
    assert mention.geonameid is None  # the name is not the area's
    assert (mention.country, mention.admin1) == ("USA", "Connecticut")
    assert mention.precision in ("admin1", "admin2")
    assert mention.lat is not None and 40.9 < mention.lat < 42.1
    assert 0.0 < mention.confidence < 0.7


def test_places_near_the_name_count_more_than_distant_ones(finder: PlaceFinder) -> None:
    text = (
        "Ministers met in Paris and Lyon on Monday to discuss aid to France's farmers. "
        + "The talks ran late. " * 20
        + f"Far away, floods cut roads in {VILLAGE}, Sindh, south of Karachi."
    )
    [mention] = unlisted(finder, text, [gpe(text, VILLAGE)])
    assert mention.country == "PAK"


def test_without_other_places_there_is_no_guess(finder: PlaceFinder) -> None:
    text = f"Residents gathered in {HAMLET} on Monday to discuss the new bridge."
    assert unlisted(finder, text, [gpe(text, HAMLET)]) == []


def test_only_the_recognisers_places_are_unlisted_places(finder: PlaceFinder) -> None:
    text = f"Police in Hartford, Connecticut, said a fire broke out in {HAMLET} overnight."
    assert unlisted(finder, text, []) == []
    assert unlisted(finder, text, [gpe(text, HAMLET, "PERSON")]) == []
    assert [p.text for p in unlisted(finder, text, [gpe(text, HAMLET, "LOC")])] == [HAMLET]


@pytest.mark.parametrize(
    "sentence",
    [
        "Residents near {name} reported the smoke.",
        "The fire spread to the village of {name} by noon.",
        "Crews reached {name}, Connecticut, by noon.",
    ],
)
def test_words_that_say_a_place_is_meant(finder: PlaceFinder, sentence: str) -> None:
    text = "Police in Hartford and New Haven, Connecticut, closed roads. " + sentence.format(
        name=VILLAGE
    )
    assert [p.text for p in unlisted(finder, text, [gpe(text, VILLAGE)])] == [VILLAGE]


def test_a_recognisers_place_without_a_placing_word_is_left_out(finder: PlaceFinder) -> None:
    # the small model's GPE for a surname
    text = f"Police in Hartford and New Haven, Connecticut, backed {VILLAGE}'s plan for the roads."
    assert unlisted(finder, text, [gpe(text, VILLAGE)]) == []


def test_a_persons_name_elsewhere_is_no_place(finder: PlaceFinder) -> None:
    person = f"Dana {VILLAGE}"
    text = f"Police in Hartford, Connecticut, said {person} was seen in {VILLAGE} overnight."
    start = text.index(person)
    named = Entity(start=start, end=start + len(person), text=person, label="PERSON", method="t")
    at = text.rindex(VILLAGE)
    place = Entity(start=at, end=at + len(VILLAGE), text=VILLAGE, label="GPE", method="test")
    assert unlisted(finder, text, [named, place]) == []
    assert [p.text for p in unlisted(finder, text, [place])] == [VILLAGE]


def test_a_listed_name_inside_the_span_is_resolved_not_guessed(finder: PlaceFinder) -> None:
    text = "Officials in Hartford, Connecticut, spoke about the Connecticut River."
    found = finder.places(article(text, [gpe(text, "the Connecticut River", "LOC")]))
    assert not [p for p in found if p.method == "geo.unlisted"]


def test_a_feature_word_makes_it_a_place_and_a_leading_the_is_left_out(
    finder: PlaceFinder,
) -> None:
    name = f"the {HAMLET} River"
    text = f"Hikers from Hartford, Connecticut, and New Haven crossed {name} on Sunday."
    [mention] = unlisted(finder, text, [gpe(text, name, "LOC")])
    assert mention.text == f"{HAMLET} River"


def test_the_sites_home_places_it_when_the_article_names_nothing_else(
    gazetteer: Gazetteer, finder: PlaceFinder
) -> None:
    text = f"Residents gathered in {HAMLET} on Monday to discuss the new bridge."
    home = Homes(gazetteer).declared(["USA/Ohio"], site="dispatch.example")
    found = finder.places(article(text, [gpe(text, HAMLET)]), home)
    [mention] = [p for p in found if p.method == "geo.unlisted"]
    assert (mention.country, mention.admin1, mention.precision) == ("USA", "Ohio", "admin1")


def test_a_span_inside_an_armed_groups_name_is_no_place(finder: PlaceFinder) -> None:
    # the group's name hides "West Africa" inside it, and the part the recogniser calls a
    # place ("West Africa Province", with a feature word) is not one either
    group = "Islamic State West Africa Province"
    text = f"Troops in Maiduguri and Damaturu, Borno, said {group} fighters raided a camp."
    part = "West Africa Province"
    found = unlisted(finder, text, [gpe(text, part, "LOC")])
    assert found == []
    assert not any(p.text == "West Africa" for p in finder.places(article(text)))


def test_many_unlisted_names_and_entities_past_the_cut_are_handled(gazetteer: Gazetteer) -> None:
    # the stage reads the first max_chars of a text; the recogniser's entities cover all of it
    finder = PlaceFinder(gazetteer, min_confidence=0.0, max_chars=20_000)
    line = "Police in Zorbaville{n} met officials from Karachi."
    lines = [line.format(n=chr(65 + i % 26) + chr(65 + i // 26 % 26)) for i in range(1_000)]
    text = "\n".join(lines)
    entities = []
    at = 0
    for one in lines:
        start = at + one.index("Zorbaville")
        end = one.index(" met") + at
        entities.append(
            Entity(start=start, end=end, text=text[start:end], label="GPE", method="test")
        )
        at += len(one) + 1
    found = unlisted(finder, text, entities)
    assert 0 < len(found) <= 300  # at most MAX_SPANS names placed, all inside the cut
    assert all(p.end <= 20_000 and p.country == "PAK" for p in found)


def test_an_unlisted_place_the_home_moved_is_still_unlisted(
    gazetteer: Gazetteer, finder: PlaceFinder
) -> None:
    text = (
        "Crews worked in Austin on Monday. "
        + "The work went on. " * 20
        + f"Residents gathered in {HAMLET} to discuss the new bridge."
    )
    home = Homes(gazetteer).declared(["USA/Ohio"], site="dispatch.example")
    found = finder.places(article(text, [gpe(text, HAMLET)]), home)
    [mention] = [p for p in found if p.text == HAMLET]
    assert mention.method == "geo.unlisted"  # not geo.home: events and actors must see it
    assert mention.admin1 == "Ohio"
