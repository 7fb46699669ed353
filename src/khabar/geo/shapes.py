"""Representative points of countries and regions, from their outlines (build time only).

A country mention is placed at one point, and an atlas gives a country one point near the middle
of its territory. khabar computes that point from the country's outline in ``countryinfo``
(its ``geoJSON``): the area centroid of its main landmass, that is, the largest polygon and the
polygons within ``LANDMASS_GAP_DEG`` of it (so Great Britain with its near islands, New Zealand's
two islands, but not Alaska, Hawaii or overseas departments), each grid cell weighted by its
true area (the cosine of its latitude). A country without an outline there takes countryinfo's
``latlng`` (an atlas point); one absent from countryinfo keeps the estimate from its towns.

A country's first-level areas have no outlines here: the country's territory is split among
them, each grid cell going to the area of its nearest town (``partition_centroids``), and each
area is placed at the centroid of its share. A town the data files under a far-away area is
left out of the split, and an island with no town of its own more than ``REACH_KM`` from every
town is no area's.

A region ("Middle East", "West Africa", "Darfur") is a set of countries or areas; its point is
the centroid of theirs, each weighted by its area (``combined``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

LANDMASS_GAP_DEG = 0.5  # polygons this close to the largest one belong to its landmass
CELL_DEG = 0.1  # raster step for area centroids (a cell is about 11 km)
MIN_CELLS = 50  # a smaller outline is rasterised more finely
PARTITION_CELLS = 40_000  # cells of a country's grid when it is split among its areas
PARTITION_MIN_DEG, PARTITION_MAX_DEG = 0.05, 0.5
STRAY_FACTOR = 4.0  # a town this many times farther than its area's median town is misfiled
STRAY_MIN_KM = 300.0
STRAY_MIN_SITES = 10  # an area with fewer towns keeps them all
STRAY_SHARE = 0.1  # an area keeps far towns that are more than this share of its towns
KM_PER_DEG = 111.2
REACH_KM = 500.0
REACH_DEG = REACH_KM / KM_PER_DEG
_ROW = 1 << 32  # a cell's key: its row times this plus its column

Ring = Sequence[Sequence[float]]  # [[lon, lat], ...]
Polygon = Sequence[Ring]  # outer ring, then holes


@dataclass(frozen=True)
class Outline:
    """A country as countryinfo describes it: ISO codes, atlas point, polygons, region."""

    iso2: str
    latlng: tuple[float, float] | None
    polygons: tuple[Polygon, ...]
    region: str
    subregion: str


def load_outlines() -> dict[str, Outline]:
    """countryinfo's countries by ISO alpha-2; where two records share a code (a country and
    an alias file), the one with more data wins."""
    from countryinfo import CountryInfo  # noqa: PLC0415 - heavy (reads 250 files); build only

    best: dict[str, tuple[int, Outline]] = {}
    for record in CountryInfo.all().values():
        iso2 = str((record.get("ISO") or {}).get("alpha2") or "")
        if not iso2:
            continue
        latlng = record.get("latlng")
        outline = Outline(
            iso2=iso2,
            latlng=(float(latlng[0]), float(latlng[1])) if latlng and len(latlng) == 2 else None,
            polygons=tuple(_polygons(record.get("geoJSON"))),
            region=str(record.get("region") or ""),
            subregion=str(record.get("subregion") or ""),
        )
        richness = bool(outline.polygons) * 2 + bool(outline.latlng)
        if iso2 not in best or richness > best[iso2][0]:
            best[iso2] = (richness, outline)
    return {iso2: outline for iso2, (_, outline) in best.items()}


def _polygons(geojson: Any) -> Iterable[Polygon]:
    if not isinstance(geojson, dict):
        return
    for feature in geojson.get("features") or []:
        geometry = feature.get("geometry") or {}
        coordinates = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            yield coordinates
        elif geometry.get("type") == "MultiPolygon":
            yield from coordinates


Centroid = tuple[float, float, float]  # lat, lon, area (in cells of one degree at the equator)


def country_point(outline: Outline) -> Centroid | None:
    """The area centroid of the country's main landmass, else its atlas point (area 0)."""
    main = main_landmass(outline.polygons)
    point = area_centroid(main) if main else None
    if point is None and outline.latlng is not None:
        return (*outline.latlng, 0.0)
    return point


def combined(parts: Iterable[Centroid]) -> Centroid | None:
    """The centroid of several areas together, each weighted by its area (a part without an
    area counts as the smallest one), averaged as vectors so that longitudes never wrap."""
    parts = list(parts)
    if not parts:
        return None
    smallest = min((a for _, _, a in parts if a > 0), default=1.0)
    x = y = z = total = 0.0
    for lat, lon, area in parts:
        weight = area if area > 0 else smallest
        phi, lam = math.radians(lat), math.radians(lon)
        x += weight * math.cos(phi) * math.cos(lam)
        y += weight * math.cos(phi) * math.sin(lam)
        z += weight * math.sin(phi)
        total += weight
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    lon = math.degrees(math.atan2(y, x))
    return round(lat, 4), round(lon, 4), total


def main_landmass(polygons: Sequence[Polygon]) -> list[Polygon]:
    """The largest polygon and those linked to it through gaps under ``LANDMASS_GAP_DEG``."""
    if not polygons:
        return []
    boxes = [_box(p[0]) for p in polygons]
    areas = [_planar_area(p[0]) for p in polygons]
    largest = int(np.argmax(areas))
    kept, stack = {largest}, [largest]
    gap = LANDMASS_GAP_DEG
    while stack:
        x0, y0, x1, y1 = boxes[stack.pop()]
        for j, (a0, b0, a1, b1) in enumerate(boxes):
            if (
                j not in kept
                and a0 <= x1 + gap
                and a1 >= x0 - gap
                and b0 <= y1 + gap
                and b1 >= y0 - gap
            ):
                kept.add(j)
                stack.append(j)
    return [polygons[i] for i in sorted(kept)]


def area_centroid(polygons: Sequence[Polygon]) -> Centroid | None:
    """The centroid of the polygons' area on the globe (cells weighted by cos latitude), as
    (lat, lon) rounded to 4 decimals, and the area; None for an outline too small to hold a
    cell."""
    cells = [rasterise(polygon) for polygon in polygons]
    if not cells:
        return None
    lat = np.concatenate([c[0] for c in cells])
    lon = np.concatenate([c[1] for c in cells])
    area = np.concatenate([np.full(len(c[0]), c[2] * c[2]) for c in cells])
    if not len(lat):
        return None
    weight = np.cos(np.radians(lat)) * area
    mid_lat = float((weight * lat).sum() / weight.sum())
    mid_lon = float((weight * lon).sum() / weight.sum())
    return round(mid_lat, 4), round(mid_lon, 4), float(weight.sum())


def partition_centroids(
    polygons: Sequence[Polygon],
    sites: np.ndarray[Any, Any],
    labels: np.ndarray[Any, Any],
) -> dict[int, Centroid]:
    """Split a country's territory among its areas and give each the centroid of its share.

    ``sites`` are (lat, lon) points (the country's towns) and ``labels`` the area of each. Every
    grid cell of the outline goes to the area of its nearest site (a Voronoi partition), so an
    area whose towns crowd one corner (Ontario, Queensland) still gets its empty north or
    interior. The grid is coarser for large countries (at most about ``PARTITION_CELLS``).

    The packaged data files a few towns under an area far from the rest of its towns (Tibetan
    villages under Hebei, Xinjiang's farm towns under Heilongjiang). Such a stray (far from its
    area's median town, ``_far``, in a part of the area's share cut off from its largest
    contiguous part, and one of few such towns, ``STRAY_SHARE``: an area's islands are not
    strays) is left out and the territory split again, so that it neither drags its area's
    centroid a thousand kilometres away nor takes land from the area it lies in."""
    if not polygons or not len(sites):
        return {}
    boxes = np.array([_box(p[0]) for p in polygons])
    span = float(np.ptp(boxes[:, [1, 3]]) * np.ptp(boxes[:, [0, 2]]))
    step = min(PARTITION_MAX_DEG, max(PARTITION_MIN_DEG, math.sqrt(span / PARTITION_CELLS)))
    cells = [rasterise(p, step) for p in polygons]
    lat = np.concatenate([c[0] for c in cells])
    lon = np.concatenate([c[1] for c in cells])
    if not len(lat):
        return {}
    grid = _Grid(lat, lon, step)
    cell = grid.find(sites[:, 0], sites[:, 1])
    polygon = np.repeat(np.arange(len(cells)), [len(c[0]) for c in cells])
    settled = np.isin(polygon, polygon[cell[cell >= 0]])
    owner = _owners(lat, lon, sites, labels, step, settled)
    main = grid.main_parts(owner)
    cut_off = (cell >= 0) & ~main[np.maximum(cell, 0)] & (owner[np.maximum(cell, 0)] == labels)
    strays = cut_off & _far(sites, labels)
    for label in np.unique(labels[strays]):  # many far towns cut off: islands, not strays
        mine = labels == label
        if strays[mine].sum() > STRAY_SHARE * mine.sum():
            strays[mine] = False
    if strays.any():
        owner = _owners(lat, lon, sites[~strays], labels[~strays], step, settled)
    weight = np.cos(np.radians(lat)) * step * step
    centroids = {}
    for label in np.unique(owner[owner >= 0]):
        mine = owner == label
        total = float(weight[mine].sum())
        east = unwrapped(lon[mine])  # Chukotka lies across the antimeridian
        mid_lon = float((weight[mine] * east).sum() / total)
        centroids[int(label)] = (
            round(float((weight[mine] * lat[mine]).sum() / total), 4),
            round(mid_lon - 360.0 if mid_lon > 180.0 else mid_lon, 4),
            total,
        )
    return centroids


def unwrapped(lon: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Longitudes in 0..360 when that makes them narrower (a place across the antimeridian)."""
    shifted = np.where(lon < 0, lon + 360.0, lon)
    result: np.ndarray[Any, Any] = shifted if np.ptp(shifted) < np.ptp(lon) else lon
    return result


def _owners(
    lat: np.ndarray[Any, Any],
    lon: np.ndarray[Any, Any],
    sites: np.ndarray[Any, Any],
    labels: np.ndarray[Any, Any],
    step: float,
    settled: np.ndarray[Any, Any],
) -> np.ndarray[Any, Any]:
    """Each cell's area: its nearest site's; -1 on land with no site of its own (an island)
    farther than ``REACH_KM`` from every site: Svalbard, in Norway's outline, is no part of
    Finnmark, whose towns are the nearest to it."""
    owner, far = _nearest(lat, lon, sites, labels, step)
    result: np.ndarray[Any, Any] = np.where(far & ~settled, -1, owner)
    return result


def _far(sites: np.ndarray[Any, Any], labels: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The sites more than ``STRAY_FACTOR`` times their area's median distance from the area's
    median point (and more than ``STRAY_MIN_KM``)."""
    far = np.zeros(len(sites), dtype=bool)
    for label in np.unique(labels):
        mine = np.flatnonzero(labels == label)
        if len(mine) < STRAY_MIN_SITES:
            continue
        lat, lon = sites[mine, 0], sites[mine, 1]
        mid_lat, mid_lon = float(np.median(lat)), float(np.median(lon))
        dy = (lat - mid_lat) * KM_PER_DEG
        dx = (lon - mid_lon) * KM_PER_DEG * math.cos(math.radians(mid_lat))
        distance = np.hypot(dx, dy)
        far[mine] = distance > max(STRAY_FACTOR * float(np.median(distance)), STRAY_MIN_KM)
    return far


class _Grid:
    """The cells of a rasterised outline, by their row and column."""

    def __init__(self, lat: np.ndarray[Any, Any], lon: np.ndarray[Any, Any], step: float):
        self.step = step
        self.keys = self._keys(lat, lon)
        self.order = np.argsort(self.keys)
        self.sorted = self.keys[self.order]

    def _keys(self, lat: np.ndarray[Any, Any], lon: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        row = np.floor(np.asarray(lat) / self.step).astype(np.int64)
        col = np.floor(np.asarray(lon) / self.step).astype(np.int64)
        result: np.ndarray[Any, Any] = row * _ROW + col
        return result

    def index(self, keys: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """The cell with each key, or -1."""
        pos = np.clip(np.searchsorted(self.sorted, keys), 0, len(self.sorted) - 1)
        result: np.ndarray[Any, Any] = np.where(self.sorted[pos] == keys, self.order[pos], -1)
        return result

    def find(self, lat: np.ndarray[Any, Any], lon: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return self.index(self._keys(lat, lon))

    def main_parts(self, owner: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """Whether each cell lies in its owner's largest contiguous part (by cell count)."""
        a_parts, b_parts = [], []
        for shift in (1, _ROW):  # the next cell east, the next cell north
            b = self.index(self.keys + shift)
            a = np.flatnonzero((b >= 0) & (owner == owner[np.maximum(b, 0)]))
            a_parts.append(a)
            b_parts.append(b[a])
        a, b = np.concatenate(a_parts), np.concatenate(b_parts)
        part = np.arange(len(owner))
        while True:  # each cell takes the smallest index it is linked to, until none changes
            low = np.minimum(part[a], part[b])
            joined = part.copy()
            np.minimum.at(joined, a, low)
            np.minimum.at(joined, b, low)
            joined = joined[joined]
            if np.array_equal(joined, part):
                break
            part = joined
        size = np.bincount(part, minlength=len(owner))
        best: dict[int, int] = {}
        for root in np.flatnonzero(size):
            label = int(owner[root])
            if label not in best or size[root] > size[best[label]]:
                best[label] = int(root)
        result: np.ndarray[Any, Any] = part == np.asarray([best[int(o)] for o in owner])
        return result


def _nearest(
    lat: np.ndarray[Any, Any],
    lon: np.ndarray[Any, Any],
    sites: np.ndarray[Any, Any],
    labels: np.ndarray[Any, Any],
    step: float,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The label of the site nearest to each cell (sites thinned to one per cell and label),
    and whether that site is farther than ``REACH_KM``."""
    thinned = np.unique(
        np.column_stack([np.floor(sites[:, 0] / step), np.floor(sites[:, 1] / step), labels]),
        axis=0,
    )
    site_lat, site_lon = (thinned[:, 0] + 0.5) * step, (thinned[:, 1] + 0.5) * step
    site_label = thinned[:, 2].astype(np.int64)
    owner = np.empty(len(lat), dtype=np.int64)
    far = np.zeros(len(lat), dtype=bool)
    shrink = np.cos(np.radians(lat))
    chunk = max(1, 4_000_000 // max(len(site_lat), 1))
    for start in range(0, len(lat), chunk):
        end = start + chunk
        dy = lat[start:end, None] - site_lat[None, :]
        dx = (lon[start:end, None] - site_lon[None, :]) * shrink[start:end, None]
        squared = dy * dy + dx * dx
        nearest = np.argmin(squared, axis=1)
        owner[start:end] = site_label[nearest]
        far[start:end] = squared[np.arange(len(nearest)), nearest] > REACH_DEG**2
    return owner, far


def rasterise(
    polygon: Polygon, cell: float = 0.0
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], float]:
    """The centres of the grid cells inside the polygon (even-odd rule over its rings), and the
    cell's size: ``cell`` degrees, else ``CELL_DEG`` or finer for a small polygon."""
    rings = [np.asarray(ring, dtype=np.float64)[:, :2] for ring in polygon if len(ring) >= 3]
    if not rings:
        return np.zeros(0), np.zeros(0), cell or CELL_DEG
    x0, y0, x1, y1 = _box(rings[0])
    step = cell or min(CELL_DEG, max(min(x1 - x0, y1 - y0), 1e-6) / math.sqrt(MIN_CELLS))
    edges = np.vstack([np.hstack([r, np.roll(r, -1, axis=0)]) for r in rings])
    ax, ay, bx, by = edges.T
    lats_out, lons_out = [], []
    for lat in np.arange(math.floor(y0 / step) * step + step / 2, y1, step):
        crossing = (ay <= lat) != (by <= lat)
        if not crossing.any():
            continue
        xs = np.sort(
            ax[crossing]
            + (lat - ay[crossing]) * (bx[crossing] - ax[crossing]) / (by[crossing] - ay[crossing])
        )
        for start, end in zip(xs[0::2], xs[1::2], strict=False):
            cells = np.arange(math.floor(start / step) * step + step / 2, end, step)
            cells = cells[cells >= start]
            lons_out.append(cells)
            lats_out.append(np.full(len(cells), lat))
    if not lats_out:
        return np.zeros(0), np.zeros(0), step
    return np.concatenate(lats_out), np.concatenate(lons_out), step


def _box(ring: Any) -> tuple[float, float, float, float]:
    points = np.asarray(ring, dtype=np.float64)[:, :2]
    return (
        float(points[:, 0].min()),
        float(points[:, 1].min()),
        float(points[:, 0].max()),
        float(points[:, 1].max()),
    )


def _planar_area(ring: Any) -> float:
    """Shoelace area in square degrees, scaled by the cosine of the mean latitude."""
    points = np.asarray(ring, dtype=np.float64)[:, :2]
    x, y = points[:, 0], points[:, 1]
    area = 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))
    return area * math.cos(math.radians(float(y.mean())))
