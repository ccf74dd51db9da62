"""Writing the vector layers: buildings, streets, land use (GeoPackage, EPSG:2154)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .common import CRS, deterministic_gdal_env, to_l93


def _l93(geoms) -> np.ndarray:
    """Local geometries → Lambert-93, coordinates rounded to the centimetre."""
    geoms = np.asarray(geoms, dtype=object)
    return to_l93(shapely.set_precision(geoms, 0.01))


def write_gpkg(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """One layer in a fresh GeoPackage, with a fixed modification date."""
    deterministic_gdal_env()
    path = Path(path)
    if path.exists():
        path.unlink()
    frame.to_file(path, layer=layer, driver="GPKG", engine="pyogrio")


def buildings_frame(geoms, rows) -> gpd.GeoDataFrame:
    """``batiments``: id, nom, usage, hauteur (m, NaN = unknown), nb_etages, annee_construction."""
    table = pd.DataFrame(rows)
    geometry = _l93(geoms)
    keep = ~shapely.is_empty(geometry) & (shapely.area(geometry) >= 12.0)
    geometry = np.array(
        [shapely.get_parts(g)[np.argmax(shapely.area(shapely.get_parts(g)))] for g in geometry[keep]],
        dtype=object,
    )
    table = table[keep].reset_index(drop=True)
    frame = gpd.GeoDataFrame(
        {
            "id": [f"BATI{k + 1:07d}" for k in range(len(table))],
            "nom": table["nom"].astype(object).where(table["nom"].notna(), None),
            "usage": table["usage"].astype(str),
            "hauteur": table["hauteur"].round(2).astype("float64"),
            "nb_etages": table["nb_etages"].astype("int32"),
            "annee_construction": table["annee_construction"].astype("int32"),
        },
        geometry=gpd.GeoSeries(geometry, crs=CRS),
    )
    return frame


def streets_frame(seg) -> gpd.GeoDataFrame:
    """``troncons``: nom, classe, tmja (vehicles/day), vitesse_kmh, pont (bridge), largeur_m."""
    return gpd.GeoDataFrame(
        {
            "nom": seg.nom,
            "classe": seg.classe,
            "tmja": seg.tmja.astype("int32"),
            "vitesse_kmh": seg.vitesse_kmh.astype("int32"),
            "pont": seg.pont.astype(bool),
            "largeur_m": seg.corridor_m.astype("float64"),
        },
        geometry=gpd.GeoSeries(_l93(seg.geometry), crs=CRS),
    )


def landuse_frame(landuse) -> gpd.GeoDataFrame:
    """``occupation_sol``: type (eau, parc, place), nom; one polygon per row."""
    rows, geoms = [], []
    for geom, kind, nom in landuse:
        for part in shapely.get_parts(geom):
            if part.area > 50.0:
                rows.append((kind, nom))
                geoms.append(part)
    return gpd.GeoDataFrame(
        {"type": [r[0] for r in rows], "nom": [r[1] for r in rows]},
        geometry=gpd.GeoSeries(_l93(geoms), crs=CRS),
    )
