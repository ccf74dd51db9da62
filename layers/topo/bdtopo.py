"""BD TOPO tables (v2 and v3, GeoPackage or Shapefile, any case) as topographic frames.

:func:`topographic_frame` adds the contract's columns to a table read from a BD TOPO theme:
``theme``; ``category`` (``nature`` in lower case, accents kept); ``width_m`` (metres: roads'
``largeur_de_chaussee`` — ``LARGEUR`` in the Shapefiles, whose field names are cut to 10
characters —, hedges' ``largeur``; NaN when unknown or not a positive number) and ``name``
(``toponyme``, a street's or a river's name). Fields are matched whatever their case.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.vector.attributes import numeric_values

#: the contract's columns, besides the geometry
FRAME_COLUMNS = ("theme", "category", "width_m", "name")

#: fields giving a feature's category, in order of preference (lower case); zones of activity
#: take their ``categorie`` first (education, health...: a handful, where ``nature`` has dozens)
CATEGORY_FIELDS = ("nature", "nature_detaillee", "categorie", "type", "fclass", "class")
#: fields giving a line's width in metres, by theme (lower case)
WIDTH_FIELDS: dict[str, tuple[str, ...]] = {
    "road": ("largeur_de_chaussee", "largeur_chaussee", "largeur", "width"),
    "hedge": ("largeur", "width"),
    "water": ("largeur", "width"),
    "rail": ("width",),  # BD TOPO's rail LARGEUR is a gauge class ("Normale"), not metres
}
#: fields giving a feature's name, in order of preference (lower case)
NAME_FIELDS = (
    "toponyme",
    "nom_1_gauche",
    "nom_voie_ban_gauche",
    "nom_1_g",
    "nom_voie_g",
    "nom_c_eau",
    "nom_p_eau",
    "nom",
    "name",
)
#: widths above this are data errors for a line feature, metres
MAX_WIDTH_M = 200.0


def _field(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    by_lower = {str(c).lower(): str(c) for c in frame.columns if str(frame[c].dtype) != "geometry"}
    for name in names:
        if name in by_lower:
            return by_lower[name]
    return None


def _text(frame: pd.DataFrame, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    values = frame[column].astype("string").fillna("").str.strip()
    return values.str.lower().astype(object)


def topographic_frame(source: gpd.GeoDataFrame, theme: str) -> gpd.GeoDataFrame:
    """``source`` (a BD TOPO theme's table, or any table of ``theme``) with the contract's columns
    ``theme``, ``category``, ``width_m``, ``name`` in front (existing ones of those names are
    replaced); the other attributes are kept after them, the geometry and CRS unchanged."""
    frame = source.drop(columns=[c for c in FRAME_COLUMNS if c in source.columns])
    category_fields = ("categorie", *CATEGORY_FIELDS) if theme == "activity" else CATEGORY_FIELDS
    category = _text(frame, _field(frame, category_fields))
    width_field = _field(frame, WIDTH_FIELDS.get(theme, ("width",)))
    width = (
        numeric_values(frame[width_field]).astype(np.float64)
        if width_field is not None
        else np.full(len(frame), np.nan)
    )
    width[~((width > 0) & (width <= MAX_WIDTH_M))] = np.nan
    name_field = _field(frame, NAME_FIELDS)
    names: list[str | None] = [None] * len(frame)
    if name_field is not None:
        text = frame[name_field].astype("string").str.strip().fillna("").to_numpy(dtype=object)
        names = [str(v) if v else None for v in text]
    front = pd.DataFrame(
        {
            "theme": pd.Series(theme, index=frame.index, dtype=object),
            "category": category,
            "width_m": width,
            "name": pd.Series(names, index=frame.index, dtype=object),
        },
        index=frame.index,
    )
    out = pd.concat([front, frame], axis=1)
    return gpd.GeoDataFrame(out, geometry=source.geometry.name, crs=source.crs)


def claims_by_fields(fields: list[str]) -> str | None:
    """The theme a table's field names alone say: ``nature`` with ``largeur_de_chaussee`` (or
    v2/v3 Shapefile road fields) is a road table; ``None`` otherwise."""
    lower = {f.lower() for f in fields}
    if "nature" not in lower:
        return None
    if "largeur_de_chaussee" in lower:
        return "road"
    if {"largeur", "importance"} <= lower and lower & {"sens", "sens_de_circulation", "nb_voies"}:
        return "road"  # a Shapefile's fields cut to 10 characters
    return None
