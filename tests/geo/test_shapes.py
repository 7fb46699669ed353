"""Representative points from outlines, on shapes drawn for these tests."""

import numpy as np
import pytest

from khabar.geo.shapes import (
    Outline,
    area_centroid,
    combined,
    country_point,
    main_landmass,
    partition_centroids,
    rasterise,
)


def square(lon: float, lat: float, size: float) -> list[list[list[float]]]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size]]
    return [[*ring, ring[0]]]


def test_the_centroid_of_a_square_is_its_middle() -> None:
    lat, lon, area = area_centroid([square(10.0, 0.0, 2.0)]) or (0.0, 0.0, 0.0)
    assert (lat, lon) == pytest.approx((1.0, 11.0), abs=0.01)
    assert area == pytest.approx(4.0, rel=0.01)  # square degrees at the equator


def test_area_counts_as_on_the_globe() -> None:
    """A band from the equator to 80°N: most of its area lies in the south."""
    lat, _, _ = area_centroid([square(0.0, 0.0, 80.0)]) or (0.0, 0.0, 0.0)
    assert 25 < lat < 35


def test_a_hole_is_not_territory() -> None:
    outer = square(0.0, 0.0, 4.0)[0]
    hole = [[0.0, 0.0], [2.0, 0.0], [2.0, 4.0], [0.0, 4.0], [0.0, 0.0]]
    _, lon, _ = area_centroid([[outer, hole]]) or (0.0, 0.0, 0.0)
    assert lon == pytest.approx(3.0, abs=0.05)


def test_a_tiny_outline_still_has_cells() -> None:
    lat, lon, step = rasterise(square(7.0, 43.7, 0.02))
    assert len(lat) >= 10 and step < 0.01 and np.all((lon > 7.0) & (lon < 7.02))


def test_the_main_landmass_leaves_far_islands_out() -> None:
    mainland = square(0.0, 0.0, 10.0)
    near, far = square(10.2, 5.0, 1.0), square(40.0, 40.0, 3.0)
    kept = main_landmass([far, mainland, near])
    assert kept == [mainland, near]


def test_a_country_without_an_outline_keeps_its_atlas_point() -> None:
    outline = Outline("XX", (12.0, 34.0), (), "", "")
    assert country_point(outline) == (12.0, 34.0, 0.0)
    drawn = Outline("XY", (50.0, 50.0), (tuple(square(0.0, 0.0, 2.0)),), "", "")
    assert country_point(drawn)[:2] == pytest.approx((1.0, 1.0), abs=0.01)  # type: ignore[index]


def test_a_country_split_among_its_areas() -> None:
    """Two areas whose towns crowd the south: each still gets its half of the north."""
    country = [square(0.0, 0.0, 10.0)]
    sites = np.array([[0.5, 2.0], [0.5, 8.0], [0.5, 1.0]])
    centroids = partition_centroids(country, sites, np.array([1, 2, 1]))
    assert set(centroids) == {1, 2}
    assert centroids[1][1] < 5 < centroids[2][1]
    assert centroids[1][0] == pytest.approx(5.0, abs=0.3)
    assert centroids[1][2] == pytest.approx(centroids[2][2], rel=0.05)


def test_regions_are_area_weighted_and_never_wrap() -> None:
    lat, lon, total = combined([(0.0, 10.0, 3.0), (0.0, 20.0, 1.0)]) or (0.0, 0.0, 0.0)
    assert (lat, total) == (0.0, 4.0) and 12 < lon < 13
    _, lon, _ = combined([(0.0, 179.0, 1.0), (0.0, -179.0, 1.0)]) or (0.0, 0.0, 0.0)
    assert abs(lon) == pytest.approx(180.0)
    assert combined([]) is None


def test_a_town_filed_under_a_far_area_is_left_out() -> None:
    """Area 1's towns fill the west; one town filed under area 1 lies among area 2's sparse
    towns far in the east. It neither drags area 1 east nor takes area 2's land."""
    ring = [[0.0, 0.0], [40.0, 0.0], [40.0, 10.0], [0.0, 10.0], [0.0, 0.0]]
    west = [[lat + 0.5, lon + 0.5] for lat in range(0, 10) for lon in range(0, 6)]
    east = [[lat, lon] for lat in (2.0, 8.0) for lon in (12.0, 24.0, 36.0)]
    sites = np.array([*west, *east, [5.0, 30.0]])
    labels = np.array([1] * len(west) + [2] * len(east) + [1])
    centroids = partition_centroids([[ring]], sites, labels)
    assert centroids[1][1] < 6.0  # with the stray: about 13.6
    assert centroids[2][1] == pytest.approx(24.5, abs=0.5)  # the east, from about lon 9


def test_land_far_from_every_town_belongs_to_no_area() -> None:
    """A country with an island 1,000 km off its only area's towns: the island is not the
    area's (Svalbard in Norway's outline is not Finnmark's)."""
    country = [square(0.0, 0.0, 2.0), square(0.0, 10.0, 2.0)]
    sites = np.array([[0.5, 0.5], [1.5, 1.5]])
    centroids = partition_centroids(country, sites, np.array([1, 1]))
    assert centroids[1][0] == pytest.approx(1.0, abs=0.1)  # with the island: about 6


def test_an_area_across_the_antimeridian_is_placed_on_it() -> None:
    country = [square(176.0, 60.0, 4.0), square(-180.0, 60.0, 4.0)]
    sites = np.array([[61.0, 177.0], [61.0, -179.0], [62.0, -177.0]])
    lat, lon, _ = partition_centroids(country, sites, np.array([1, 1, 1]))[1]
    assert lat == pytest.approx(62.0, abs=0.1) and abs(lon) > 177.0
