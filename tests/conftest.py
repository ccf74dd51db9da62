"""Shared fixtures: paths to the sample city and to the real files in ../shared/data.

The real public files are used in place (never copied into the repository). Tests that need them
are skipped, with a reason, when the folder is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CITY = REPO / "sample_city"
SHARED_DATA = Path(os.environ.get("MAQUETTE_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(autouse=True, scope="session")
def private_user_folders(tmp_path_factory):
    """Tests never read or write the user's autosaves, settings and documents (and never each other's
    runs)."""
    folder = tmp_path_factory.mktemp("user")
    saved = {
        key: os.environ.get(key)
        for key in ("MAQUETTE_AUTOSAVE_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_DOCUMENTS_DIR")
    }
    os.environ["MAQUETTE_AUTOSAVE_DIR"] = str(folder / "autosave")
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    os.environ["XDG_DATA_HOME"] = str(folder / "data")
    os.environ["XDG_DOCUMENTS_DIR"] = str(folder / "documents")  # where study results are proposed
    yield folder
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def sample_city() -> Path:
    """The folder of the synthetic sample city."""
    return SAMPLE_CITY


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or a skip when this machine does not have it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder not found: {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def tiny_city(tmp_path_factory) -> Path:
    """A folder with a small synthetic district in Lambert-93: buildings.geojson (6×6 blocks with
    ``hauteur`` 6-42 m and ``usage``), streets.geojson (lines with ``tmja``)."""
    import geopandas as gpd
    import numpy as np
    from shapely.geometry import LineString, box

    folder = tmp_path_factory.mktemp("tiny_city")
    x0, y0 = 351_500.0, 6_789_000.0
    rows = []
    usages = ["Résidentiel", "Commercial et services", "Indifférencié"]
    for i in range(6):
        for j in range(6):
            x, y = x0 + i * 60.0, y0 + j * 60.0
            outer = box(x, y, x + 40, y + 40)
            courtyard = box(x + 12, y + 12, x + 28, y + 28)
            geom = outer.difference(courtyard) if (i + j) % 3 == 0 else outer
            rows.append(
                {
                    "id": f"B{i}{j}",
                    "hauteur": 6.0 + (i * 6 + j) % 37,
                    "usage": usages[(i + j) % 3],
                    "geometry": geom,
                }
            )
    gpd.GeoDataFrame(rows, crs="EPSG:2154").to_file(folder / "buildings.geojson", driver="GeoJSON")
    streets = []
    for k in range(7):
        streets.append(
            {
                "nom": f"Rue {k}",
                "tmja": 1000 + 2500 * k,
                "geometry": LineString([(x0 - 10 + 60 * k, y0 - 20), (x0 - 10 + 60 * k, y0 + 370)]),
            }
        )
    gpd.GeoDataFrame(streets, crs="EPSG:2154").to_file(folder / "streets.geojson", driver="GeoJSON")
    np.random.seed(0)
    return folder
