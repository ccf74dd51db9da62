"""A synthetic country of building footprints, written by "département" (vectorised numpy).

Towns of very different sizes (a lognormal law: a few cities, many villages) are scattered over a
600 × 600 km square of Lambert-93 (EPSG:2154); each town's buildings gather around its centre
(denser in the middle). Footprints are rotated rectangles and L-shapes of 6–30 m, with ``HAUTEUR``
(metres; 4 % missing), ``NOMBRE_D_ETAGES`` (storeys, a fall-back), ``USAGE1`` and ``ID``. The
square is cut into 16 départements (a grid); each is written as GeoParquet (row groups of 50,000) or
FlatGeobuf, alternately, so that a prepare reads both formats; by batches of a million (one file
per département and batch), so that 10 million need the memory of one million.

    python bench/country.py --buildings 1000000 -o /tmp/country        # 16 files, ~60,000 each
    python bench/country.py --buildings 10000000 -o /tmp/country10m    # 160 files, 10 million
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

#: lower left corner and side of the country, Lambert-93 metres
ORIGIN = (200_000.0, 6_300_000.0)
SIDE_M = 600_000.0
#: départements per side of the grid
GRID = 4
#: footprints generated (and held in memory) at a time
BATCH = 1_000_000


def footprints(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(n,) footprints around (0, 0) (a fifth are L-shapes), and their x, y offsets to place."""
    import shapely

    w = rng.uniform(6, 30, n)
    h = rng.uniform(6, 20, n)
    angle = rng.uniform(0, np.pi, n)
    is_l = rng.random(n) < 0.2
    # every shape as 7 vertices (rectangles repeat a corner), then rotated
    a = np.stack([w * 0, w, w, w * 0.5, w * 0.5, w * 0, w * 0], axis=1)
    b = np.stack([h * 0, h * 0, h * 0.5, h * 0.5, h, h, h * 0], axis=1)
    rect_x = np.stack([w * 0, w, w, w, w, w * 0, w * 0], axis=1)
    rect_y = np.stack([h * 0, h * 0, h * 0, h, h, h, h * 0], axis=1)
    x = np.where(is_l[:, None], a, rect_x) - w[:, None] / 2
    y = np.where(is_l[:, None], b, rect_y) - h[:, None] / 2
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    rx, ry = x * cos - y * sin, x * sin + y * cos
    coords = np.stack([rx, ry], axis=2)
    polygons = shapely.polygons(coords)
    rectangles = ~is_l
    # rectangles drawn with 7 vertices hold repeated points: rebuild them with 5
    polygons[rectangles] = shapely.polygons(coords[rectangles][:, [0, 1, 3, 5, 6], :])
    return polygons, w, h


def country(n: int, seed: int = 0, batch: int = 0) -> dict[str, np.ndarray]:
    """``n`` footprints over the country: geometry (Lambert-93), HAUTEUR, NOMBRE_D_ETAGES, USAGE1, ID.

    The towns come from ``seed`` alone (the same country in every batch); ``batch`` draws another
    set of buildings in them (large countries are written batch by batch)."""
    towns_rng = np.random.default_rng(seed)
    towns = max(BATCH // 400, 1)
    centres = towns_rng.uniform(0, SIDE_M, (towns, 2)) + np.array(ORIGIN)
    weight = towns_rng.lognormal(0.0, 1.4, towns)
    rng = np.random.default_rng([seed, batch + 1])
    counts = rng.multinomial(n, weight / weight.sum())
    town = np.repeat(np.arange(towns), counts)
    spread = 40.0 * np.sqrt(counts[town] * (BATCH / max(n, 1)))  # a town of 10,000 buildings spans ~4 km
    offset = rng.normal(0, 1, (n, 2)) * spread[:, None]
    position = centres[town] + offset
    shapes, _, _ = footprints(rng, n)
    geometry = _translate(shapes, position)
    storeys = rng.integers(1, 12, n)
    height = (storeys * 3.0 + rng.uniform(-1, 2, n)).round(1)
    height[rng.random(n) < 0.04] = np.nan
    usage = rng.choice(
        np.array(["Residentiel", "Commercial et services", "Industriel", "Agricole"]),
        n,
        p=[0.75, 0.12, 0.08, 0.05],
    )
    first = batch * BATCH
    ids = np.char.add("BATIMENT", np.char.zfill(np.arange(first, first + n).astype(str), 10))
    return {"geometry": geometry, "HAUTEUR": height, "NOMBRE_D_ETAGES": storeys, "USAGE1": usage, "ID": ids}


def _translate(geometry: np.ndarray, position: np.ndarray) -> np.ndarray:
    """Each geometry moved by its (x, y) in ``position``, vectorised."""
    import shapely

    coords, index = shapely.get_coordinates(geometry, return_index=True)
    coords += position[index]
    return shapely.set_coordinates(geometry.copy(), coords)


def write(n: int, folder: Path, seed: int = 0) -> list[Path]:
    """Write the country by département (GeoParquet and FlatGeobuf alternately), in batches of
    :data:`BATCH` footprints (one file per département and batch, so memory stays that of one
    batch); the files."""
    import geopandas as gpd
    import shapely

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for batch, first in enumerate(range(0, n, BATCH)):
        data = country(min(BATCH, n - first), seed, batch)
        centre = shapely.centroid(data["geometry"])
        col = np.clip(((shapely.get_x(centre) - ORIGIN[0]) / SIDE_M * GRID).astype(int), 0, GRID - 1)
        row = np.clip(((shapely.get_y(centre) - ORIGIN[1]) / SIDE_M * GRID).astype(int), 0, GRID - 1)
        dept = row * GRID + col
        for number in np.unique(dept):
            rows = dept == number
            frame = gpd.GeoDataFrame(
                {k: v[rows] for k, v in data.items() if k != "geometry"},
                geometry=gpd.GeoSeries(data["geometry"][rows]),
                crs="EPSG:2154",
            )
            if number % 2:
                path = folder / f"dept{number:02d}_{batch}.fgb"
                frame.to_file(path, driver="FlatGeobuf")
            else:
                path = folder / f"dept{number:02d}_{batch}.parquet"
                frame.to_parquet(
                    path, row_group_size=50_000, write_covering_bbox=True, schema_version="1.1.0"
                )
            paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=1_000_000)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for path in write(args.buildings, args.output, args.seed):
        print(path, path.stat().st_size)


if __name__ == "__main__":
    main()
