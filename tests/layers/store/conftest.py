"""A small multi-file footprint dataset (3 files, 3 formats, 2 CRSs, broken geometries, missing
heights) and one store prepared from it on a local Dask cluster of 2 workers, shared by the tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

#: Lambert-93 corner of the synthetic district (Rennes), metres
X0, Y0 = 351_000.0, 6_788_000.0


def _footprints(rng: np.random.Generator, n: int, x0: float, y0: float, width_m: float) -> list:
    """``n`` rectangles (some touching their neighbour) on a ``width_m`` square from x0, y0."""
    from shapely.geometry import box

    x = x0 + rng.uniform(0, width_m, n)
    y = y0 + rng.uniform(0, width_m, n)
    w = rng.uniform(6, 20, n)
    h = rng.uniform(6, 15, n)
    shapes = [box(a, b, a + c, b + d) for a, b, c, d in zip(x, y, w, h, strict=True)]
    for i in range(0, n - 1, 10):  # a terrace: the next one touches this one
        a, b, c, d = shapes[i].bounds
        shapes[i + 1] = box(c, b, c + 8, d)
    return shapes


def make_dataset(folder: Path) -> dict[str, Path]:
    """Write the dataset; returns ``{"gpkg": ..., "geojson": ..., "fgb": ...}``."""
    import geopandas as gpd
    from shapely.geometry import LineString, Point, Polygon

    rng = np.random.default_rng(20)
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    # 1. a GeoPackage in Lambert-93 with HAUTEUR (some missing or absurd) and USAGE1
    shapes = _footprints(rng, 1500, X0, Y0, 2500)
    heights = rng.uniform(3, 40, 1500).round(1)
    heights[::17] = np.nan
    heights[5::50] = -2.0
    shapes[7] = Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10)])  # a bow tie
    shapes[8] = Polygon([(X0 + 50, Y0 + 50), (X0 + 60, Y0 + 60), (X0 + 60, Y0), (X0 + 50, Y0 + 60)])
    shapes[9] = None
    shapes[10] = Polygon([(X0, Y0), (X0 + 10, Y0), (X0 + 20, Y0)])  # no area
    usage = rng.choice(["Residentiel", "Commercial", None], 1500)
    frame = gpd.GeoDataFrame(
        {"ID": [f"BATIMENT{i:07d}" for i in range(1500)], "HAUTEUR": heights, "USAGE1": usage},
        geometry=gpd.GeoSeries(shapes),
        crs="EPSG:2154",
    )
    out["gpkg"] = folder / "d35.gpkg"
    frame.to_file(out["gpkg"], layer="batiment", driver="GPKG")
    # 2. a GeoJSON in WGS 84 with storeys, a few lines and points among the footprints
    shapes = _footprints(rng, 1000, X0 + 3000, Y0, 2000)
    storeys = rng.integers(1, 8, 1000).astype(float)
    storeys[::13] = np.nan
    shapes[3] = LineString([(X0 + 3000, Y0), (X0 + 3100, Y0 + 50)])
    shapes[4] = Point(X0 + 3200, Y0 + 70)
    shapes[5] = Polygon([(X0 + 3300, Y0), (X0 + 3310, Y0 + 10), (X0 + 3310, Y0), (X0 + 3300, Y0 + 10)])
    frame = gpd.GeoDataFrame(
        {"id": [f"b{i}" for i in range(1000)], "nombre_d_etages": storeys},
        geometry=gpd.GeoSeries(shapes, crs="EPSG:2154"),
    ).to_crs("EPSG:4326")
    out["geojson"] = folder / "d56.geojson"
    frame.to_file(out["geojson"], driver="GeoJSON")
    # 3. a FlatGeobuf in Lambert-93, no identifier, heights only for some
    shapes = _footprints(rng, 800, X0, Y0 + 3000, 1500)
    heights = rng.uniform(4, 25, 800).round(1)
    heights[::3] = np.nan
    frame = gpd.GeoDataFrame({"height": heights}, geometry=gpd.GeoSeries(shapes), crs="EPSG:2154")
    out["fgb"] = folder / "d22.fgb"
    frame.to_file(out["fgb"], driver="FlatGeobuf")
    return out


@pytest.fixture(scope="session")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_dataset(tmp_path_factory.mktemp("store_sources"))


#: small partitions, so that 3 files make many tasks and several output files
OPTIONS = {"workers": 2, "chunksize": 400, "rows_per_file": 1200, "tile_size_m": 500.0}


@pytest.fixture(scope="session")
def prepared(dataset: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dataset prepared into a store (2 local workers)."""
    from layers.store.prepare import PrepareOptions, prepare_store

    store = tmp_path_factory.mktemp("stores") / "region.store"
    prepare_store(list(dataset.values()), store, PrepareOptions(**OPTIONS), progress=None)  # type: ignore[arg-type]
    return store
