"""Buildings block by block: courtyard blocks, towers, detached houses, public buildings.

Each block of :mod:`layout` gets buildings by its role:

- ``historic`` / ``faubourg`` / ``recent``: a perimeter block. The ring along the streets (9–17 m
  deep) is cut into adjoining buildings by the Voronoi cells of points spaced along the ring's
  mid-line (so party walls meet the façade square-ish); some rings stay one polygon with its
  courtyard as a hole; small annexes stand in some courtyards.
- ``houses``: detached houses set back from the street on their lots, some with a garage.
- ``towers``: a 1960s–70s estate: towers of 40–60 m and slabs on open ground, a pool, a mall.
- ``townhall``, ``church``, ``school``, ``market``, ``station``, ``industrial``: named public buildings.
- ``park``, squares: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import MultiPoint, Point, Polygon, box

from .common import rng as make_rng

USAGES = (
    "Résidentiel",
    "Commercial et services",
    "Industriel",
    "Religieux",
    "Sportif",
    "Annexe",
    "Indifférencié",
)


@dataclass
class Sector:
    depth_m: tuple[float, float]
    frontage_m: tuple[float, float]
    floors: tuple[int, int]
    whole_ring_p: float
    years: tuple[tuple[float, int, int], ...]  # (probability, first, last)
    gap_p: float = 0.02


SECTORS = {
    "historic": Sector(
        (9, 13), (7, 14), (3, 6), 0.05, ((0.72, 1850, 1910), (0.13, 1911, 1970), (0.15, 1971, 2024))
    ),
    "faubourg": Sector(
        (11, 15), (9, 18), (3, 7), 0.10, ((0.55, 1880, 1939), (0.30, 1946, 1975), (0.15, 1976, 2024))
    ),
    "recent": Sector((13, 17), (18, 34), (5, 8), 0.35, ((1.0, 2003, 2024),), gap_p=0.0),
}


class Builder:
    """Collects buildings and their attributes."""

    def __init__(self) -> None:
        self.geoms: list[Polygon] = []
        self.rows: list[dict] = []

    def add(self, geom, usage, floors, height_m, year, nom=None) -> None:
        for part in shapely.get_parts(geom):
            if part.geom_type == "Polygon" and part.area >= 12.0:
                self.geoms.append(part)
                self.rows.append(
                    dict(
                        nom=nom,
                        usage=usage,
                        nb_etages=int(floors),
                        hauteur=float(height_m),
                        annee_construction=int(year),
                    )
                )


def generate_buildings(layout, main_streets):
    """All buildings of ``layout``: (list of polygons, list of attribute dicts), in a stable order.

    ``main_streets`` is one geometry of the principale / secondaire street axes (shops face them).
    """
    rng = make_rng("buildings")
    b = Builder()
    for block, role, angle in zip(layout.blocks, layout.block_role, layout.block_angle):
        if role in SECTORS:
            _perimeter_block(b, block, SECTORS[role], rng)
        elif role == "houses":
            _houses(b, block, rng)
        elif role == "towers":
            _towers(b, block, angle, rng)
        elif role in _PUBLIC:
            _PUBLIC[role](b, block, angle, rng)
    _shops_on_main_streets(b, main_streets, rng)
    _missing_heights(b, rng)
    return b.geoms, b.rows


# -- perimeter blocks -------------------------------------------------------------------------
def _perimeter_block(b: Builder, block, sector: Sector, rng) -> None:
    depth = rng.uniform(*sector.depth_m)
    court = shapely.buffer(block, -depth, join_style="mitre")
    court = (
        shapely.union_all([p for p in shapely.get_parts(court) if p.area > 90.0])
        if not court.is_empty
        else court
    )
    ring = shapely.difference(block, court) if not court.is_empty else block
    base_floors = rng.integers(sector.floors[0], sector.floors[1] + 1)
    year_block = _year(sector, rng)

    if (
        not court.is_empty
        and ring.geom_type == "Polygon"
        and len(ring.interiors) > 0
        and block.area < 7000.0
        and rng.random() < sector.whole_ring_p
    ):
        floors = int(base_floors)
        b.add(ring, "Résidentiel", floors, _height(floors, rng), year_block)
    else:
        for piece in _split_ring(block, ring, depth, sector.frontage_m, rng):
            if rng.random() < sector.gap_p:
                continue  # an empty lot
            floors = int(
                np.clip(base_floors + rng.integers(-1, 2), sector.floors[0] - 1, sector.floors[1] + 1)
            )
            year = year_block if rng.random() < 0.5 else _year(sector, rng)
            if year > 1960:
                floors = max(floors, 4)
            b.add(piece, "Résidentiel", floors, _height(floors, rng), year)
    if not court.is_empty and court.area > 350.0 and rng.random() < 0.55:
        _annexes(b, court, rng)


def _split_ring(block, ring, depth, frontage, rng):
    """Adjoining building pieces of ``ring``: Voronoi cells of points along its mid-line."""
    mid = shapely.Polygon()
    for d in (depth / 2.0, depth / 4.0, 1.5):
        mid = shapely.buffer(block, -d, join_style="mitre")
        if not mid.is_empty:
            break
    if mid.is_empty:
        return [ring]
    seeds = []
    for part in shapely.get_parts(mid):
        line = part.exterior
        n = int(line.length / frontage[0]) + 2
        steps = rng.uniform(frontage[0], frontage[1], n)
        s = np.cumsum(steps) - steps[0] * rng.uniform(0.2, 0.8)
        s = s[(s >= 0) & (s < line.length - frontage[0] * 0.5)]
        if len(s) == 0:
            s = np.array([0.0])
        seeds.extend(shapely.get_coordinates(shapely.line_interpolate_point(line, s)))
    if len(seeds) < 2:
        return [ring]
    cells = shapely.get_parts(
        shapely.voronoi_polygons(MultiPoint(seeds), extend_to=shapely.buffer(block, 50.0), ordered=True)
    )
    pieces = shapely.intersection(cells, ring)
    return [p for p in shapely.get_parts(pieces) if p.geom_type == "Polygon" and p.area > 12.0]


def _annexes(b: Builder, court, rng) -> None:
    """1–3 sheds, garages or workshops standing in a courtyard."""
    inner = shapely.buffer(court, -0.3)
    angle = _orientation(court)
    placed = []
    x0, y0, x1, y1 = court.bounds
    for _ in range(12):
        if len(placed) >= rng.integers(1, 4):
            break
        w, h = rng.uniform(4.0, 9.0), rng.uniform(5.0, 11.0)
        c = (rng.uniform(x0, x1), rng.uniform(y0, y1))
        r = affinity.rotate(box(c[0] - w / 2, c[1] - h / 2, c[0] + w / 2, c[1] + h / 2), angle, origin=c)
        if inner.contains(r) and not any(r.distance(p) < 2.0 for p in placed):
            placed.append(r)
            b.add(r, "Annexe", 1, rng.uniform(3.0, 4.6), int(rng.integers(1900, 1990)))


# -- detached houses ------------------------------------------------------------------------------
def _houses(b: Builder, block, rng) -> None:
    mid = shapely.buffer(block, -10.5, join_style="mitre")
    inside = shapely.buffer(block, -2.5)
    if mid.is_empty or inside.is_empty:
        return
    placed: list = []
    for part in shapely.get_parts(mid):
        line = part.exterior
        s = float(rng.uniform(0, 8))
        while s < line.length - 6:
            p0 = np.asarray(line.interpolate(max(s - 2, 0)).coords[0])
            p1 = np.asarray(line.interpolate(min(s + 2, line.length)).coords[0])
            c = np.asarray(line.interpolate(s).coords[0])
            angle = np.degrees(np.arctan2(p1[1] - p0[1], p1[0] - p0[0]))
            w, d = rng.uniform(7.5, 11.0), rng.uniform(8.0, 10.5)
            house = affinity.rotate(
                box(c[0] - w / 2, c[1] - d / 2, c[0] + w / 2, c[1] + d / 2), angle, origin=tuple(c)
            )
            if inside.contains(house) and all(house.distance(p) > 2.0 for p in placed[-6:]):
                placed.append(house)
                floors = int(rng.choice([1, 2, 2, 2]))
                year = int(
                    rng.choice(
                        [rng.integers(1920, 1939), rng.integers(1950, 1985), rng.integers(1986, 2012)],
                        p=[0.3, 0.45, 0.25],
                    )
                )
                b.add(
                    house,
                    "Résidentiel",
                    floors,
                    float(np.clip(2.8 * floors + rng.uniform(1.4, 2.8), 4.0, 8.0)),
                    year,
                )
                if rng.random() < 0.3:
                    off = (w / 2 + 2.2) * np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
                    gc = c + off
                    garage = affinity.rotate(
                        box(gc[0] - 1.6, gc[1] - 3.0, gc[0] + 1.6, gc[1] + 3.0), angle, origin=tuple(gc)
                    )
                    if inside.contains(garage) and all(garage.distance(p) > 0.8 for p in placed[-6:-1]):
                        placed.append(garage)
                        b.add(garage, "Annexe", 1, rng.uniform(3.0, 3.5), year)
            s += rng.uniform(14.0, 19.0)


# -- the 1960s estate -----------------------------------------------------------------------------
def _towers(b: Builder, block, angle, rng) -> None:
    cx, cy = block.centroid.x, block.centroid.y
    local = affinity.rotate(block, -angle, origin=(cx, cy))
    inside = shapely.buffer(local, -14.0)
    x0, y0, x1, y1 = local.bounds
    placed: list = []

    def put(geom, usage, floors, height, year, nom=None):
        if inside.contains(geom) and all(geom.distance(p) > 12.0 for p in placed):
            placed.append(geom)
            b.add(affinity.rotate(geom, angle, origin=(cx, cy)), usage, floors, height, year, nom)
            return True
        return False

    # the pool and the mall first, then towers on a loose lattice, slabs in between
    put(
        box(x0 + 30, y0 + 24, x0 + 80, y0 + 50),
        "Sportif",
        1,
        9.5,
        1974,
        "Piscine des Hauts-de-Vilaine (fictive)",
    )
    put(
        box(x1 - 100, y0 + 20, x1 - 45, y0 + 55),
        "Commercial et services",
        1,
        6.5,
        1971,
        "Centre commercial des Tours (fictif)",
    )
    towers = 0
    xs = np.arange(x0 + 35, x1 - 20, 62.0)
    ys = np.arange(y0 + 40, y1 - 20, 50.0)
    for row, gy in enumerate(ys):
        for col, gx in enumerate(xs):
            cxl, cyl = gx + rng.uniform(-6, 6), gy + rng.uniform(-6, 6)
            if towers < 9 and (row + col) % 2 == 0:
                side = rng.uniform(18.0, 23.0)
                floors = int(rng.integers(13, 20))
                if put(
                    box(cxl - side / 2, cyl - side / 2, cxl + side / 2, cyl + side / 2),
                    "Résidentiel",
                    floors,
                    min(60.0, 2.9 * floors + rng.uniform(1.0, 3.0)),
                    int(rng.integers(1964, 1976)),
                ):
                    towers += 1
            else:
                length, width = rng.uniform(42.0, 56.0), rng.uniform(11.0, 13.0)
                w, h = (length, width) if rng.random() < 0.6 else (width, length)
                floors = int(rng.integers(5, 11))
                put(
                    box(cxl - w / 2, cyl - h / 2, cxl + w / 2, cyl + h / 2),
                    "Résidentiel",
                    floors,
                    2.9 * floors + rng.uniform(0.8, 2.0),
                    int(rng.integers(1962, 1978)),
                )


# -- public buildings -----------------------------------------------------------------------------
def _frame(block, angle):
    """``block`` turned to its grid's axes, and a function turning geometries back."""
    c = (block.centroid.x, block.centroid.y)
    return affinity.rotate(block, -angle, origin=c), (lambda g: affinity.rotate(g, angle, origin=c))


def _townhall(b, block, angle, rng):
    ring = shapely.difference(
        shapely.buffer(block, -1.0, join_style="mitre"), shapely.buffer(block, -15.0, join_style="mitre")
    )
    b.add(ring, "Commercial et services", 4, 22.5, 1873, "Hôtel de ville (fictif)")


def _church(b, block, angle, rng):
    local, back = _frame(block, angle)
    x0, y0, x1, y1 = local.bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    length = min(58.0, (x1 - x0) - 20.0)
    nave = box(cx - length / 2, cy - 7.5, cx + length / 2 - 8, cy + 7.5)
    transept = box(cx + length / 6 - 6, cy - 15, cx + length / 6 + 6, cy + 15)
    apse = Point(cx + length / 2 - 8, cy).buffer(7.5, quad_segs=6)
    body = shapely.union_all([nave, transept, apse])
    tower = box(cx - length / 2 - 8.5, cy - 4.5, cx - length / 2 + 0.5, cy + 4.5)
    b.add(back(body), "Religieux", 1, 24.0, 1868, "Église Saint-Aubin (fictive)")
    b.add(back(tower), "Religieux", 1, 52.0, 1868, "Clocher Saint-Aubin (fictif)")


def _school(b, block, angle, rng):
    court = shapely.buffer(block, -12.0, join_style="mitre")
    ring = shapely.difference(shapely.buffer(block, -0.5, join_style="mitre"), court)
    b.add(ring, "Indifférencié", 3, 13.0, 1934, "Groupe scolaire des Lilas (fictif)")
    local, back = _frame(court, angle)
    x0, y0, x1, y1 = local.bounds
    gym = box(x0 + 4, y1 - 22, min(x1 - 4, x0 + 40), y1 - 4)
    if local.contains(gym):
        b.add(back(gym), "Sportif", 1, 9.0, 1978, "Gymnase des Lilas (fictif)")


def _market(b, block, angle, rng):
    local, back = _frame(block, angle)
    x0, y0, x1, y1 = local.bounds
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 0.55, (y1 - y0) * 0.42
    b.add(
        back(box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)),
        "Commercial et services",
        1,
        12.5,
        1886,
        "Halles du Marché (fictives)",
    )


def _station(b, block, angle, rng):
    local, back = _frame(block, angle)
    x0, y0, x1, y1 = local.bounds
    cx = (x0 + x1) / 2
    half = min(65.0, (x1 - x0) / 2 - 6)
    b.add(
        shapely.intersection(back(box(cx - half, y1 - 30, cx + half, y1 - 5)), block),
        "Commercial et services",
        2,
        17.0,
        1858,
        "Gare (fictive)",
    )
    if y1 - y0 > 60:
        b.add(
            shapely.intersection(back(box(cx - half, y0 + 6, cx - half + 50, y1 - 40)), block),
            "Industriel",
            1,
            9.0,
            1921,
            "Halle des messageries (fictive)",
        )
        b.add(
            shapely.intersection(back(box(cx + half - 45, y0 + 6, cx + half, y1 - 42)), block),
            "Industriel",
            1,
            7.5,
            1964,
        )


def _industrial(b, block, angle, rng):
    local, back = _frame(block, angle)
    x0, y0, x1, y1 = local.bounds
    x = x0 + 4
    while x < x1 - 25:
        w = rng.uniform(22, 45)
        shed = shapely.intersection(
            back(box(x, y0 + 4, min(x + w, x1 - 4), y1 - rng.uniform(8, 25))), shapely.buffer(block, -3)
        )
        b.add(shed, "Industriel", 1, rng.uniform(6.0, 11.0), int(rng.integers(1952, 1996)))
        x += w + rng.uniform(8, 14)


_PUBLIC = {
    "townhall": _townhall,
    "church": _church,
    "school": _school,
    "market": _market,
    "station": _station,
    "industrial": _industrial,
}


# -- attributes -----------------------------------------------------------------------------------
def _height(floors: int, rng) -> float:
    """Height to the top of the roof, metres: about 3 m a storey, a higher ground floor, a roof."""
    return float(floors * 3.0 + rng.uniform(0.6, 2.6))


def _year(sector: Sector, rng) -> int:
    probs = np.array([p for p, _, _ in sector.years])
    k = int(rng.choice(len(probs), p=probs / probs.sum()))
    _, first, last = sector.years[k]
    return int(rng.integers(first, last + 1))


def _orientation(geom) -> float:
    rect = shapely.oriented_envelope(geom)
    xy = np.asarray(rect.exterior.coords)
    if len(xy) < 3:
        return 0.0
    d = xy[1] - xy[0]
    return float(np.degrees(np.arctan2(d[1], d[0])))


def _shops_on_main_streets(b: Builder, main_streets, rng) -> None:
    """Buildings along the principal streets are often shops and services; a few of anything else."""
    geoms = np.array(b.geoms, dtype=object)
    near = shapely.distance(geoms, main_streets) < 14.0
    for k, row in enumerate(b.rows):
        if row["usage"] != "Résidentiel" or row["nom"]:
            continue
        r = rng.random()
        if near[k] and r < 0.35:
            row["usage"] = "Commercial et services"
        elif r < 0.04:
            row["usage"] = "Indifférencié"
        elif r < 0.05:
            row["usage"] = "Commercial et services"


def _missing_heights(b: Builder, rng) -> None:
    """About 1 % of the unnamed buildings lose their height (the app must default and warn)."""
    candidates = [k for k, row in enumerate(b.rows) if not row["nom"]]
    for k in rng.choice(candidates, size=max(1, len(b.rows) // 100), replace=False):
        b.rows[int(k)]["hauteur"] = float("nan")
