"""Synthetic building footprints for the buildings benchmark (written to /tmp, never committed).

A deterministic city of ``n`` footprints on a grid of blocks in Lambert-93 around Rennes, with the
mix of shapes a real BD TOPO file has: rectangles, L-shapes, blocks around a courtyard (a hole),
and irregular many-sided polygons (about 12 coordinates per building on average, close to the
14 of the real Lyon BD TOPO file). Attributes: ``ID``, ``HAUTEUR`` (m), ``NB_ETAGES``, ``USAGE1``
(categories), ``ANNEE`` (year of construction).

Usage::

    python bench/buildings_data.py 100000            # /tmp/maquette_bench/buildings_100000.{fgb,parquet}
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

OUT = Path("/tmp/maquette_bench")
X0, Y0 = 340_000.0, 6_780_000.0  # Rennes area, Lambert-93 metres
PITCH_M = 30.0  # one footprint per 30 m × 30 m plot
USAGES = np.array(
    [
        "Résidentiel",
        "Commercial et services",
        "Indifférencié",
        "Industriel",
        "Agricole",
        "Religieux",
        "Sportif",
    ],
    dtype=object,
)


def footprints(n: int, seed: int = 42):
    """``n`` shapely polygons (vectorised construction) and their attribute columns."""
    import shapely

    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    cx = X0 + (i % side) * PITCH_M + rng.uniform(-2, 2, n)
    cy = Y0 + (i // side) * PITCH_M + rng.uniform(-2, 2, n)
    w = rng.uniform(8, 22, n)
    h = rng.uniform(8, 22, n)
    angle = rng.uniform(0, np.pi / 2, n)
    kind = rng.choice(4, size=n, p=[0.40, 0.25, 0.08, 0.27])  # rectangle, L, courtyard, irregular

    # unit shapes (counter-clockwise), scaled by w, h then rotated; closed rings
    rect = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]])
    ell = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.0], [0.0, 0.0], [0.0, 0.5], [-0.5, 0.5]])
    vertices = np.where(kind == 3, rng.integers(12, 30, n), np.where(kind == 1, 6, 4))
    offsets = np.concatenate([[0], np.cumsum(vertices + 1)])
    total = offsets[-1]
    local = np.empty((total, 2))
    ring_of = np.repeat(np.arange(n), vertices + 1)
    k = np.arange(total) - offsets[ring_of]
    closing = k == vertices[ring_of]
    k = np.where(closing, 0, k)
    kr = kind[ring_of]
    local[kr == 0] = rect[k[kr == 0]]
    local[kr == 2] = rect[k[kr == 2]]
    local[kr == 1] = ell[k[kr == 1]]
    irr = kr == 3
    theta = 2 * np.pi * k[irr] / vertices[ring_of][irr]
    radius = 0.5 * (0.75 + 0.25 * np.cos(3 * theta + ring_of[irr] % 7))
    local[irr] = np.column_stack([radius * np.cos(theta), radius * np.sin(theta)])
    local *= np.column_stack([w, h])[ring_of]
    c, s = np.cos(angle)[ring_of], np.sin(angle)[ring_of]
    xy = np.column_stack([local[:, 0] * c - local[:, 1] * s, local[:, 0] * s + local[:, 1] * c])
    xy += np.column_stack([cx, cy])[ring_of]
    shells = shapely.linearrings(xy, indices=ring_of)

    holes = np.full((n, 1), None, dtype=object)
    court = np.flatnonzero(kind == 2)
    if len(court):
        hole_local = rect[::-1][None, :, :] * 0.4 * np.stack([w[court], h[court]], axis=1)[:, None, :]
        ca, sa = np.cos(angle[court])[:, None], np.sin(angle[court])[:, None]
        hx = hole_local[..., 0] * ca - hole_local[..., 1] * sa + cx[court][:, None]
        hy = hole_local[..., 0] * sa + hole_local[..., 1] * ca + cy[court][:, None]
        ring = np.stack([hx, hy], axis=-1)
        ring = np.concatenate([ring, ring[:, :1]], axis=1)
        holes[court, 0] = shapely.linearrings(ring)
    polygons = np.empty(n, dtype=object)
    plain = kind != 2
    polygons[plain] = shapely.polygons(shells[plain])
    polygons[court] = (
        [shapely.Polygon(s, [hh]) for s, hh in zip(shells[court], holes[court, 0])] if len(court) else []
    )

    storeys = rng.integers(1, 12, n)
    height = storeys * 3.0 + rng.uniform(0, 2.5, n)
    columns = {
        "ID": np.char.add("BATIMENT", np.char.zfill(i.astype(str), 16)).astype(object),
        "HAUTEUR": np.round(height, 1),
        "NB_ETAGES": storeys.astype(np.int32),
        "USAGE1": USAGES[rng.choice(len(USAGES), n, p=[0.55, 0.15, 0.15, 0.06, 0.04, 0.02, 0.03])],
        "ANNEE": rng.integers(1850, 2024, n).astype(np.int32),
    }
    return polygons, columns


def write(n: int, out: Path = OUT) -> dict[str, Path]:
    """Write ``buildings_<n>.fgb`` and ``.parquet`` (EPSG:2154) unless they exist; their paths."""
    import geopandas as gpd

    out.mkdir(parents=True, exist_ok=True)
    paths = {"fgb": out / f"buildings_{n}.fgb", "parquet": out / f"buildings_{n}.parquet"}
    if all(p.exists() for p in paths.values()):
        return paths
    polygons, columns = footprints(n)
    frame = gpd.GeoDataFrame(columns, geometry=polygons, crs="EPSG:2154")
    if not paths["fgb"].exists():
        frame.to_file(paths["fgb"], driver="FlatGeobuf", engine="pyogrio", spatial_index=False)
    if not paths["parquet"].exists():
        frame.to_parquet(paths["parquet"])
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="+", help="footprint counts")
    args = parser.parse_args(argv)
    for n in args.n:
        for kind, path in write(n).items():
            print(f"{kind}: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
