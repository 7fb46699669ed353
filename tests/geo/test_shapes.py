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
