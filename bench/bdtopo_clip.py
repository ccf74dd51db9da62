"""One commune out of a département's BD TOPO GeoPackage: read only what it needs.

A BD TOPO v3 département GeoPackage holds ~600,000 buildings (1–3 GB). Opening one commune of
~20,000 buildings must read only those, through the file's R-tree index (``read_vector(...,
area=commune)``, GDAL's spatial filter), not the whole layer. No real département file was
available: :func:`generate` writes one from IGN's published v3 schema (layer ``batiment`` with the
real v3 field names and types, MultiPolygon Z in EPSG:2154; plus ``commune`` and
``troncon_de_route`` layers), vectorised, cached under ``/tmp`` (never in the repository).

Timed, in the same process, alternating, several runs each:

* **Maquette**: the commune's outline read from the ``commune`` layer (by its INSEE code), then
  ``BuildingsLayer.load(path, layer="batiment", area=commune)`` — the read through the spatial
  filter *and* the whole layer built (heights resolved and counted, footprints repaired and
  accounted for).
* **Peer**: what a script does without a spatial filter — ``geopandas.read_file`` of the whole
  ``batiment`` layer, then the rows that intersect the outline (``frame[frame.intersects(outline)]``,
  with the GeoDataFrame's own spatial index), and ``geopandas.clip`` as a second peer. The peer
  builds no layer: it does less work than Maquette.

    python bench/bdtopo_clip.py                  # generate (once) then time, 3 runs each
    python bench/bdtopo_clip.py --runs 5 --buildings 600000 --commune-buildings 20000

Figures and the protocol: ``bench/bdtopo_clip.md``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CACHE = Path("/tmp/maquette_bench/bdtopo_clip")
#: the département's extent in Lambert-93, metres (about the size of Ille-et-Vilaine: 80 × 85 km)
DEPT = (300_000.0, 6_740_000.0, 380_000.0, 6_825_000.0)
#: the commune timed: its INSEE code, name, centre and radius (m)
COMMUNE_CODE, COMMUNE_NAME = "35999", "Ville-Témoin"
COMMUNE_CENTRE = (340_000.0, 6_782_000.0)
COMMUNE_RADIUS_M = 3_000.0
#: communes as a grid of cells over the département (the timed one replaces its cell)
COMMUNE_CELL_M = 5_000.0

#: the v3 ``batiment`` fields as IGN publishes them (BD TOPO v3 "Descriptif de contenu"), in order
BATIMENT_FIELDS = (
    "cleabs",
    "nature",
    "usage_1",
    "usage_2",
    "construction_legere",
    "etat_de_l_objet",
    "date_creation",
    "date_modification",
    "date_d_apparition",
    "date_de_confirmation",
    "sources",
    "identifiants_sources",
    "methode_d_acquisition_planimetrique",
    "methode_d_acquisition_altimetrique",
    "precision_planimetrique",
    "precision_altimetrique",
    "nombre_de_logements",
    "nombre_d_etages",
    "materiaux_des_murs",
    "materiaux_de_la_toiture",
    "hauteur",
    "altitude_minimale_sol",
    "altitude_minimale_toit",
    "altitude_maximale_toit",
    "altitude_maximale_sol",
    "origine_du_batiment",
    "appariement_fichiers_fonciers",
    "identifiants_rnb",
)


def _commune_outline() -> object:
    """The timed commune: an irregular outline (a wobbly disc), not a box."""
    import shapely

    angles = np.linspace(0, 2 * np.pi, 181)[:-1]
    radius = COMMUNE_RADIUS_M * (1 + 0.12 * np.sin(3 * angles) + 0.07 * np.cos(7 * angles))
    x = COMMUNE_CENTRE[0] + radius * np.cos(angles)
    y = COMMUNE_CENTRE[1] + radius * np.sin(angles)
    return shapely.Polygon(np.column_stack([x, y]))


def _footprints(cx: np.ndarray, cy: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Rectangles 6–25 m a side around the centres, as MultiPolygon Z (Z = gutter altitude), and
    their heights (m)."""
    import shapely

    n = len(cx)
    w = rng.uniform(6, 25, n)
    d = rng.uniform(6, 18, n)
    height = np.round(rng.gamma(3.0, 2.6, n) + 3.0, 1)
    ground = np.round(20 + 0.0004 * (cx - DEPT[0]) + rng.normal(0, 2, n), 1)
    xs = np.stack([cx - w / 2, cx + w / 2, cx + w / 2, cx - w / 2, cx - w / 2], axis=1)
    ys = np.stack([cy - d / 2, cy - d / 2, cy + d / 2, cy + d / 2, cy - d / 2], axis=1)
    zs = np.repeat((ground + height)[:, None], 5, axis=1)
    polygons = shapely.polygons(np.stack([xs, ys, zs], axis=2))
    multi = shapely.multipolygons(polygons, indices=np.arange(n))
    return multi, height


def _multi(polygon: object) -> object:
    import shapely

    return shapely.MultiPolygon([polygon]) if shapely.get_type_id(polygon) == 3 else polygon


def generate(path: Path, buildings: int, commune_buildings: int, seed: int = 35) -> Path:
    """Write the département GeoPackage (cached: an existing file of the same size is reused)."""
    import geopandas as gpd
    import pandas as pd
    import pyogrio
    import shapely

    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    outline = _commune_outline()
    # the commune's buildings: uniform in its outline (a town), drawn in its box and kept inside
    inside_x: list[np.ndarray] = []
    inside_y: list[np.ndarray] = []
    xmin, ymin, xmax, ymax = outline.bounds
    while sum(len(a) for a in inside_x) < commune_buildings:
        x = rng.uniform(xmin, xmax, commune_buildings)
        y = rng.uniform(ymin, ymax, commune_buildings)
        keep = shapely.contains_xy(shapely.buffer(outline, -30), x, y)
        inside_x.append(x[keep])
        inside_y.append(y[keep])
    cx_in = np.concatenate(inside_x)[:commune_buildings]
    cy_in = np.concatenate(inside_y)[:commune_buildings]
    # the rest: clustered in 400 towns and villages over the département, away from the commune
    rest = buildings - commune_buildings
    towns = rng.uniform([DEPT[0], DEPT[1]], [DEPT[2], DEPT[3]], (400, 2))
    far = np.hypot(towns[:, 0] - COMMUNE_CENTRE[0], towns[:, 1] - COMMUNE_CENTRE[1]) > 2.5 * COMMUNE_RADIUS_M
    towns = towns[far]
    weights = rng.pareto(1.2, len(towns)) + 1
    town = rng.choice(len(towns), rest, p=weights / weights.sum())
    spread = rng.uniform(300, 1500, len(towns))[town]
    cx_out = np.clip(towns[town, 0] + rng.normal(0, 1, rest) * spread, DEPT[0], DEPT[2])
    cy_out = np.clip(towns[town, 1] + rng.normal(0, 1, rest) * spread, DEPT[1], DEPT[3])
    stray = shapely.contains_xy(shapely.buffer(outline, 30), cx_out, cy_out)
    cx_out[stray] += 4 * COMMUNE_RADIUS_M  # none of the others inside the commune
    cx = np.concatenate([cx_in, cx_out])
    cy = np.concatenate([cy_in, cy_out])
    order = rng.permutation(buildings)  # file order says nothing of place, as in IGN's files
    cx, cy = cx[order], cy[order]
    geometry, height = _footprints(cx, cy, rng)
    n = buildings
    storeys = np.maximum(np.round(height / 3.0), 1).astype("int64")
    ground = np.round(20 + 0.0004 * (cx - DEPT[0]), 1)
    no_height = rng.random(n) < 0.04
    created = pd.Timestamp("2009-01-01") + pd.to_timedelta(rng.integers(0, 4000, n), unit="D")
    table = pd.DataFrame(
        {
            "cleabs": [f"BATIMENT{i:016d}" for i in range(n)],
            "nature": rng.choice(
                ["Indifférenciée", "Industriel, agricole ou commercial", "Chapelle"], n, p=[0.9, 0.09, 0.01]
            ),
            "usage_1": rng.choice(
                ["Résidentiel", "Annexe", "Agricole", "Commercial et services", "Indifférencié"], n
            ),
            "usage_2": pd.Series([None] * n, dtype=object),
            "construction_legere": rng.random(n) < 0.05,
            "etat_de_l_objet": "En service",
            "date_creation": created,
            "date_modification": created + pd.to_timedelta(rng.integers(0, 1500, n), unit="D"),
            "date_d_apparition": pd.Series([None] * n, dtype=object),
            "date_de_confirmation": pd.Series([None] * n, dtype=object),
            "sources": "BDTOPO",
            "identifiants_sources": pd.Series([None] * n, dtype=object),
            "methode_d_acquisition_planimetrique": "Stéréorestitution",
            "methode_d_acquisition_altimetrique": "Interpolation bâti BDTopo",
            "precision_planimetrique": 1.5,
            "precision_altimetrique": 2.5,
            "nombre_de_logements": rng.integers(0, 12, n),
            "nombre_d_etages": storeys,
            "materiaux_des_murs": rng.choice(["01", "10", "12", "00"], n),
            "materiaux_de_la_toiture": rng.choice(["01", "20", "30", "00"], n),
            "hauteur": np.where(no_height, np.nan, height),
            "altitude_minimale_sol": ground,
            "altitude_minimale_toit": ground + height,
            "altitude_maximale_toit": ground + height + np.round(rng.uniform(0, 3, n), 1),
            "altitude_maximale_sol": ground + 0.5,
            "origine_du_batiment": "Cadastre",
            "appariement_fichiers_fonciers": pd.Series([None] * n, dtype=object),
            "identifiants_rnb": [f"RNB{i:09d}" for i in range(n)],
        }
    )
    assert tuple(table.columns) == BATIMENT_FIELDS
    tmp = path.with_suffix(".part.gpkg")
    tmp.unlink(missing_ok=True)
    batiment = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(geometry, crs="EPSG:2154"))
    pyogrio.write_dataframe(batiment, tmp, layer="batiment", driver="GPKG", geometry_type="MultiPolygon Z")
    del batiment, table
    # communes: a grid over the département, the timed commune cut out of its neighbours
    gx = np.arange(DEPT[0], DEPT[2], COMMUNE_CELL_M)
    gy = np.arange(DEPT[1], DEPT[3], COMMUNE_CELL_M)
    cells = [shapely.box(x, y, x + COMMUNE_CELL_M, y + COMMUNE_CELL_M) for x in gx for y in gy]
    cells = [shapely.difference(c, outline) for c in cells]
    cells = [c for c in cells if not c.is_empty]
    codes = [f"35{i:03d}" for i in range(len(cells))] + [COMMUNE_CODE]
    communes = gpd.GeoDataFrame(
        {
            "cleabs": [f"COMMUNE_{i:016d}" for i in range(len(codes))],
            "code_insee": codes,
            "code_insee_de_l_arrondissement": "352",
            "code_insee_du_departement": "35",
            "code_insee_de_la_region": "53",
            "population": rng.integers(200, 20000, len(codes)),
            "surface_en_ha": [int(c.area / 1e4) for c in [*cells, outline]],
            "nom_officiel": [f"Commune {c}" for c in codes[:-1]] + [COMMUNE_NAME],
        },
        geometry=gpd.GeoSeries([_multi(p) for p in [*cells, outline]], crs="EPSG:2154"),
    )
    pyogrio.write_dataframe(communes, tmp, layer="commune", driver="GPKG", append=False)
    # roads: 100,000 short segments along the towns' streets
    m = 100_000
    start = rng.integers(0, len(cx), m)
    sx, sy = cx[start], cy[start]
    angle = rng.uniform(0, np.pi, m)
    length = rng.uniform(30, 200, m)
    lines = shapely.linestrings(
        np.stack(
            [
                np.stack([sx, sx + length * np.cos(angle)], axis=1),
                np.stack([sy, sy + length * np.sin(angle)], axis=1),
                np.full((m, 2), 30.0),
            ],
            axis=2,
        )
    )
    natures = ["Route à 1 chaussée", "Chemin", "Sentier", "Route à 2 chaussées", "Rond-point"]
    roads = gpd.GeoDataFrame(
        {
            "cleabs": [f"TRONROUT{i:016d}" for i in range(m)],
            "nature": rng.choice(natures, m, p=[0.6, 0.2, 0.1, 0.07, 0.03]),
            "importance": rng.choice(["3", "4", "5"], m),
            "nombre_de_voies": rng.integers(1, 4, m),
            "largeur_de_chaussee": np.where(rng.random(m) < 0.3, np.nan, np.round(rng.uniform(3, 9, m), 1)),
            "sens_de_circulation": "Double sens",
            "nom_1_gauche": pd.Series([None] * m, dtype=object),
        },
        geometry=gpd.GeoSeries(lines, crs="EPSG:2154"),
    )
    pyogrio.write_dataframe(roads, tmp, layer="troncon_de_route", driver="GPKG", append=False)
    tmp.rename(path)
    return path


def commune_area(path: Path) -> object:
    """The commune's :class:`~layers.core.area.Area`, read from the ``commune`` layer by its code."""
    import pyogrio

    from layers.core.area import Area

    frame = pyogrio.read_dataframe(path, layer="commune", where=f"code_insee = '{COMMUNE_CODE}'")
    return Area(frame.geometry.iloc[0], frame.crs, name=COMMUNE_NAME, code=COMMUNE_CODE)


def maquette_run(path: Path) -> tuple[float, int]:
    from layers.buildings.layer import BuildingsLayer

    t0 = time.perf_counter()
    area = commune_area(path)
    layer = BuildingsLayer.load(path, layer="batiment", area=area)
    return time.perf_counter() - t0, int(layer.stats["features"])


def peer_intersects(path: Path) -> tuple[float, int]:
    import geopandas as gpd

    t0 = time.perf_counter()
    outline = gpd.read_file(path, layer="commune", where=f"code_insee = '{COMMUNE_CODE}'").geometry.iloc[0]
    frame = gpd.read_file(path, layer="batiment")
    kept = frame[frame.intersects(outline)]
    return time.perf_counter() - t0, len(kept)


def peer_clip(path: Path) -> tuple[float, int]:
    import geopandas as gpd

    t0 = time.perf_counter()
    commune = gpd.read_file(path, layer="commune", where=f"code_insee = '{COMMUNE_CODE}'")
    frame = gpd.read_file(path, layer="batiment")
    kept = gpd.clip(frame, commune)
    return time.perf_counter() - t0, len(kept)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=600_000)
    parser.add_argument("--commune-buildings", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-clip-peer", action="store_true", help="time only the intersects peer")
    args = parser.parse_args()
    path = CACHE / f"bdtopo_v3_dept_{args.buildings}_{args.commune_buildings}.gpkg"
    t0 = time.perf_counter()
    generate(path, args.buildings, args.commune_buildings)
    print(json.dumps({"file": str(path), "size_mb": round(path.stat().st_size / 2**20, 1),
                      "ready_s": round(time.perf_counter() - t0, 1)}), flush=True)  # fmt: skip
    runs: dict[str, list[float]] = {"maquette": [], "peer_intersects": [], "peer_clip": []}
    counts: dict[str, int] = {}
    for i in range(args.runs):
        for name, run in (
            ("maquette", maquette_run),
            ("peer_intersects", peer_intersects),
            ("peer_clip", peer_clip),
        ):
            if name == "peer_clip" and args.no_clip_peer:
                continue
            seconds, count = run(path)
            runs[name].append(seconds)
            counts[name] = count
            print(
                json.dumps({"run": i, "what": name, "s": round(seconds, 3), "buildings": count}), flush=True
            )
    summary = {
        name: {"median_s": round(statistics.median(values), 3), "runs_s": [round(v, 3) for v in values]}
        for name, values in runs.items()
        if values
    }
    for name in ("peer_intersects", "peer_clip"):
        if name in summary:
            summary[name]["ratio"] = round(summary[name]["median_s"] / summary["maquette"]["median_s"], 1)
    summary["buildings"] = counts
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
