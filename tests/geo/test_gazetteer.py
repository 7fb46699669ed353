from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar.geo import gazetteer as gz
from khabar.geo.build import Alias, iter_aliases, point_option, region_centre, region_options
from khabar.geo.gazetteer import Gazetteer, Kind, Link
from khabar.geo.names import (
    capitalised_as_name,
    compound_variants,
    consonant_key,
    fold,
    short_forms,
    spelling_key,
)


def places_named(gazetteer: Gazetteer, name: str) -> list[tuple[int, Link]]:
    name_id = gazetteer.name_id(name)
    assert name_id is not None, f"{name!r} is not in the gazetteer"
    return gazetteer.candidates(name_id)


def test_peshawar_is_a_city_of_khyber_pakhtunkhwa(gazetteer: Gazetteer) -> None:
    [(place, _)] = [
        (p, k) for p, k in places_named(gazetteer, "Peshawar") if gazetteer.kind[p] == Kind.CITY
    ]
    assert gazetteer.iso2(place) == "PK" and gazetteer.iso3(place) == "PAK"
    assert gazetteer.admin1_of(place) == "Khyber Pakhtunkhwa"
    assert gazetteer.population[place] > 1_000_000
    assert 33 < gazetteer.lat[place] < 35 and 71 < gazetteer.lon[place] < 72


def test_entries_carry_codes_names_and_coordinates(gazetteer: Gazetteer) -> None:
    dc = gazetteer.place_by_geonameid[4140963]
    assert gazetteer.fcodes[gazetteer.fcode[dc]] == "PPLC"
    assert "D.C." in gazetteer.alternate_names(dc)
    assert gazetteer.ascii[gazetteer.place_by_geonameid[2988507]] == "Paris"
    georgia = [p for p, _ in places_named(gazetteer, "Georgia")]
    assert {gazetteer.place_kind(p) for p in georgia} >= {Kind.COUNTRY, Kind.ADMIN1}


@pytest.mark.parametrize(
    ("alias", "iso2"),
    [
        ("Burma", "MM"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Ivory Coast", "CI"),
        ("U.S.", "US"),
        ("UK", "GB"),
        ("Britain", "GB"),
        ("the US", None),
    ],
)
def test_country_aliases(gazetteer: Gazetteer, alias: str, iso2: str | None) -> None:
    name = alias.removeprefix("the ")
    countries = [p for p, _ in places_named(gazetteer, name) if gazetteer.kind[p] == Kind.COUNTRY]
    assert [gazetteer.iso2(p) for p in countries] == [iso2 or "US"]


def test_every_alias_in_the_table_reaches_a_place(gazetteer: Gazetteer) -> None:
    for alias in iter_aliases():
        if alias.kind in {"country", "alias", "demonym", "abbrev", "region", "admin1", "site"}:
            assert places_named(gazetteer, alias.name), alias
            assert alias.source.strip(), f"{alias.name!r} has no source"


def test_region_centre_handles_the_antimeridian() -> None:
    lat, lon = region_centre([-17.0, -16.0, -18.0], [179.5, -179.5, 178.0])
    assert -18 < lat < -16 and (lon > 177 or lon < -179)


@given(st.text(max_size=200))
def test_folding_keeps_every_offset(text: str) -> None:
    assert len(fold(text)) == len(text)


def test_cache_is_rebuilt_when_missing(tmp_path: Path) -> None:
    built = gz.load_or_build(15000, tmp_path)
    [folder] = (tmp_path / "geo").iterdir()
    assert folder.name.endswith(built.key)
    gz.shutil.rmtree(folder)
    again = gz.load_or_build(15000, tmp_path)
    assert folder.is_dir() and len(again) == len(built)


def test_a_damaged_cache_is_not_trusted(gazetteer: Gazetteer, tmp_path: Path) -> None:
    gz.save(gazetteer, tmp_path / "copy")
    (tmp_path / "copy" / gz.META_FILE).write_text("{not json")
    with pytest.raises(ValueError):
        gz.load(tmp_path / "copy")


def test_the_cache_key_follows_the_settings() -> None:
    assert gz.build_key(500, "a") != gz.build_key(1000, "a") != gz.build_key(1000, "b")


def point_of(gazetteer: Gazetteer, name: str, kind: Kind, iso2: str) -> tuple[float, float]:
    [place] = [
        p
        for p, _ in places_named(gazetteer, name)
        if gazetteer.kind[p] == kind and gazetteer.iso2(p) == iso2
    ]
    return float(gazetteer.lat[place]), float(gazetteer.lon[place])


@pytest.mark.parametrize(
    ("name", "iso2", "lat", "lon"),
    [
        ("United States", "US", (37, 41), (-101, -96)),  # the lower 48, not Alaska
        ("Canada", "CA", (54, 64), (-105, -90)),  # the whole mainland, not its southern towns
        ("Russia", "RU", (55, 65), (85, 105)),
        ("France", "FR", (45, 48), (1, 4)),  # not Réunion or Guiana
        ("New Zealand", "NZ", (-44, -39), (170, 176)),  # its two islands together
    ],
)
def test_a_country_sits_in_the_middle_of_its_main_landmass(
    gazetteer: Gazetteer,
    name: str,
    iso2: str,
    lat: tuple[float, float],
    lon: tuple[float, float],
) -> None:
    got_lat, got_lon = point_of(gazetteer, name, Kind.COUNTRY, iso2)
    assert lat[0] < got_lat < lat[1] and lon[0] < got_lon < lon[1]


def test_an_area_gets_its_empty_north_too(gazetteer: Gazetteer) -> None:
    """Ontario's and Queensland's towns crowd the south and the coast; their points do not."""
    lat, _ = point_of(gazetteer, "Ontario", Kind.ADMIN1, "CA")
    assert lat > 47
    lat, lon = point_of(gazetteer, "Queensland", Kind.ADMIN1, "AU")
    assert -25 < lat < -19 and lon < 147


@pytest.mark.parametrize(("short", "iso2"), [("Anhui", "CN"), ("Guangxi", "CN")])
def test_areas_are_named_without_their_designator(
    gazetteer: Gazetteer, short: str, iso2: str
) -> None:
    kinds = {
        (gazetteer.place_kind(p), gazetteer.iso2(p)) for p, _ in places_named(gazetteer, short)
    }
    assert (Kind.ADMIN1, iso2) in kinds


def test_regions_have_points_from_their_members(gazetteer: Gazetteer) -> None:
    [middle_east] = [p for p, _ in places_named(gazetteer, "Middle East") if gazetteer.kind[p] == 5]
    assert gazetteer.place_kind(middle_east) == Kind.REGION and gazetteer.iso2(middle_east) is None
    assert 20 < gazetteer.lat[middle_east] < 35 and 35 < gazetteer.lon[middle_east] < 55
    lat, lon = point_of(gazetteer, "Darfur", Kind.REGION, "SD")
    assert 11 < lat < 17 and 22 < lon < 28
    [(eu, link)] = [(p, k) for p, k in places_named(gazetteer, "EU") if gazetteer.kind[p] == 5]
    assert gazetteer.name[eu] == "European Union" and link & Link.ALIAS


def test_area_demonyms(gazetteer: Gazetteer) -> None:
    [(ohio, link)] = places_named(gazetteer, "Ohioans")
    assert gazetteer.admin1_of(ohio) == "Ohio" and link & Link.DEMONYM


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("St. Petersburg", "Saint Petersburg"),
        ("Mt. Pleasant", "Mount Pleasant"),
        ("Ft Worth", "Fort Worth"),
        ("Saint-Louis", "St. Louis"),
    ],
)
def test_one_name_spelled_two_ways(a: str, b: str) -> None:
    assert spelling_key(a) == spelling_key(b)


def test_different_names_keep_different_keys() -> None:
    assert spelling_key("Stanton") != spelling_key("Saint Anton")
    assert spelling_key("St. Paul") != spelling_key("St. Peter")


def test_a_saint_spelled_short_is_the_saints_own_name(gazetteer: Gazetteer) -> None:
    """GeoNames spells the Russian city "Saint Petersburg" and the Floridian "St. Petersburg":
    both are the name's own places, so neither gets the own-name prior over the other."""
    name_id = gazetteer.name_id("St. Petersburg")
    assert name_id is not None
    links = {gazetteer.iso3(p): Link(k) for p, k in gazetteer.candidates(name_id)}
    assert links["RUS"] & Link.PRIMARY and links["USA"] & Link.PRIMARY


def test_the_european_union_sits_in_brussels(gazetteer: Gazetteer) -> None:
    """A union of states is placed at its seat, as gazetteers place it, while it keeps its
    members (no one country)."""
    name_id = gazetteer.name_id("European Union")
    assert name_id is not None
    eu = next(p for p, _ in gazetteer.candidates(name_id) if gazetteer.kind[p] == Kind.REGION)
    assert (round(float(gazetteer.lat[eu]), 1), round(float(gazetteer.lon[eu]), 1)) == (50.9, 4.3)
    assert gazetteer.country[eu] < 0


def test_a_feature_is_placed_at_its_own_point_with_its_feature_code(gazetteer: Gazetteer) -> None:
    [ocean] = [p for p, _ in places_named(gazetteer, "Indian Ocean")]
    assert gazetteer.place_kind(ocean) == Kind.REGION and gazetteer.country[ocean] < 0
    assert gazetteer.fcodes[gazetteer.fcode[ocean]] == "OCN"
    assert -40 < gazetteer.lat[ocean] < 0 and 55 < gazetteer.lon[ocean] < 100


def test_a_misnamed_area_gets_the_tables_name(gazetteer: Gazetteer) -> None:
    """DR Congo's 2015 provinces carry their parent's name in the packaged data (Ituri is one
    of four areas called "Eastern Province" there: it stays an alternate); Kenya's
    Elgeyo-Marakwet is called Kilifi, another county's name, which it loses."""
    [ituri] = [p for p, _ in places_named(gazetteer, "Ituri") if gazetteer.kind[p] == Kind.ADMIN1]
    assert gazetteer.name[ituri] == "Ituri" and gazetteer.iso2(ituri) == "CD"
    assert "Eastern Province" in gazetteer.alternate_names(ituri)
    assert 0 < gazetteer.lat[ituri] < 4 and 27 < gazetteer.lon[ituri] < 32
    kilifi = [p for p, _ in places_named(gazetteer, "Kilifi") if gazetteer.kind[p] == Kind.ADMIN1]
    assert [gazetteer.name[p] for p in kilifi] == ["Kilifi"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("UA RU at:43.4 feature:SEA", "malformed point"),
        ("at:95,34 feature:SEA", "off the globe"),
        ("UA RU near:43.4,34.3", "unknown token"),
    ],
)
def test_a_bad_region_row_names_itself(target: str, message: str) -> None:
    alias = Alias("region", "Black Sea", target, "test")
    with pytest.raises(ValueError, match=message) as error:
        point_option(region_options(alias).get("at", "0,0"), alias)
    assert "Black Sea" in str(error.value)


def test_a_site_is_a_point_with_its_feature_code_and_no_population(gazetteer: Gazetteer) -> None:
    [(site, link)] = places_named(gazetteer, "Zaatari refugee camp")
    assert gazetteer.place_kind(site) == Kind.SITE and gazetteer.iso2(site) == "JO"
    assert gazetteer.fcodes[gazetteer.fcode[site]] == "CMP" and gazetteer.population[site] == 0
    assert gz.PRECISION[Kind.SITE] == "point" and link & Link.ALIAS


@pytest.mark.parametrize("target", ["JO feature:CMP", "JO SY at:32.3,36.3 feature:CMP"])
def test_a_site_needs_one_country_and_a_point(target: str) -> None:
    with pytest.raises(ValueError, match="needs one country and a point"):
        region_options(Alias("site", "Zaatari refugee camp", target, "test"))


@pytest.mark.parametrize(
    ("span", "written"),
    [
        ("Zaatari refugee camp", True),
        ("al-Hol camp", True),
        ("Punggye-ri nuclear test site", True),
        ("Isle of Man", True),
        ("New york", False),
        ("nice", False),
        ("al-qaeda", False),
    ],
)
def test_what_is_written_like_a_name(span: str, written: bool) -> None:
    assert capitalised_as_name(span) is written


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Janīn", "Jenin", True),
        ("Dayr al Balaḩ", "Deir al-Balah", True),
        ("An Nuşayrāt", "Nuseirat", True),
        ("Moskva", "Moscow", False),
        ("Aba", "Abu", False),  # too short to tell
    ],
)
def test_one_name_transliterated_with_other_vowels(a: str, b: str, same: bool) -> None:
    assert (consonant_key(a) == consonant_key(b) != "") is same


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("Bas-Congo", ["Bas Congo"]),
        ("Kvemo Kartli", ["Kvemo-Kartli"]),
        ("Aust-Agder", ["Aust Agder"]),
        ("Indre-et-Loire", []),  # a lower-case word inside: written one way only
        ("Kasai", []),
    ],
)
def test_compound_names_are_written_with_a_hyphen_or_a_space(
    name: str, variants: list[str]
) -> None:
    assert compound_variants(name) == variants


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Departement de la Somme", ["Somme"]),
        ("Departement du Nord", ["Nord"]),
        ("Departement de l'Allier", ["Allier"]),
        ("Departement d'Indre-et-Loire", ["Indre-et-Loire"]),
        ("Sous-Region du Tanganika", ["Tanganika"]),
    ],
)
def test_french_designators_are_dropped_from_area_names(name: str, short: list[str]) -> None:
    assert short_forms(name) == short
