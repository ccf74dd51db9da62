"""The buildings of a scene as the input of a 3D Tiles export: every visible buildings layer (a
planned project included), standing rows only, each in the colour the app draws it in."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import geopandas as gpd

    from layers.buildings.layer import BuildingsLayer
    from layers.core.scene import Scene

#: attribute names read as the building's identifier and usage, first found wins (BD TOPO, OSM...)
ID_FIELDS = ("id", "ID", "cleabs", "osm_id", "gml_id", "identifier")
USAGE_FIELDS = ("usage", "USAGE1", "usage1", "building", "nature", "NATURE", "type")


def _first_column(frame: gpd.GeoDataFrame, names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in frame.columns), None)


def layer_buildings(
    layer: BuildingsLayer, ground_m: np.ndarray | None = None
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """The standing rows of ``layer`` as ``geometry``, ``height_m``, ``base_m``, ``usage``, ``id``,
    ``ground_m`` (m; 0 where unknown), and their sRGB colours (n, 3) 0..1: the style's plain colour
    (a colour by attribute is not carried over: every building gets the plain colour)."""
    import geopandas as gpd

    from layers.buildings.style import DEFAULT_COLOR
    from layers.core.palettes import hex_to_rgb

    rows = np.flatnonzero(layer.standing())
    frame = layer.frame
    id_field = _first_column(frame, ID_FIELDS)
    usage_field = _first_column(frame, USAGE_FIELDS)
    ids = (
        frame[id_field].iloc[rows].astype(str).to_numpy(object)
        if id_field is not None
        else np.array([f"{layer.name}:{i}" for i in layer.feature_indexes()[rows]], object)
    )
    usage = (
        frame[usage_field].iloc[rows].astype(object).where(frame[usage_field].iloc[rows].notna(), "")
        if usage_field is not None
        else np.full(len(rows), "", object)
    )
    out = gpd.GeoDataFrame(
        {
            "id": ids,
            "height_m": layer.height_m[rows],
            "base_m": layer.base_m[rows],
            "usage": np.asarray(usage, object).astype(str),
            "ground_m": np.zeros(len(rows)) if ground_m is None else np.nan_to_num(ground_m[rows], nan=0.0),
        },
        geometry=gpd.GeoSeries(np.asarray(frame.geometry.values)[rows], crs=layer.crs),
    )
    colour = np.array(hex_to_rgb(layer.style.color or DEFAULT_COLOR), np.float64) / 255.0
    return out, np.tile(colour, (len(rows), 1))


def scene_buildings(scene: Scene) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Every visible buildings layer of ``scene`` (scene CRS, metres) as one frame (see
    :func:`layer_buildings`), ground heights from the scene's terrain when it has one, relative to
    its lowest point (:attr:`Scene.ground_reference_m`, the altitude written as height 0, as the
    app's 3D view draws it); empty when the scene has no buildings."""
    import geopandas as gpd
    import pandas as pd

    from layers.buildings.layer import BuildingsLayer
    from layers.terrain.layer import TerrainLayer

    terrain = scene.terrain()
    frames: list[gpd.GeoDataFrame] = []
    colours: list[np.ndarray] = []
    for layer in scene.layers:
        if not isinstance(layer, BuildingsLayer) or not layer.visible or not len(layer.frame):
            continue
        ground = None
        if isinstance(terrain, TerrainLayer):  # off the terrain: on the scene's flat ground, as drawn
            seated = layer.seat_on(terrain)
            # relief above the scene's lowest ground, as the app draws it: an altitude is not a
            # height above the ellipsoid (the geoid lies ~50 m above it in France, and PROJ's
            # grids are not shipped), and a client without a terrain shows the bare ellipsoid
            ground = (
                np.where(np.isfinite(seated), seated, scene.ground_reference_m) - scene.ground_reference_m
            )
        frame, colour = layer_buildings(layer, ground)
        frames.append(frame)
        colours.append(colour)
    if not frames:
        return gpd.GeoDataFrame(
            {"id": [], "height_m": [], "usage": []}, geometry=[], crs=scene.crs
        ), np.empty((0, 3))
    crs = frames[0].crs
    if crs is not None:  # the scene reprojects its layers to one CRS: this only guards a mixed scene
        frames = [f.to_crs(crs) for f in frames]
    joined = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=crs)
    return joined, np.concatenate(colours)


def scene_extras(scene: Scene) -> dict[str, object]:
    """What a tileset of ``scene`` says of its heights in ``asset.extras``: the altitude written as
    height 0 (m) and what the heights are."""
    return {
        "height_0_altitude_m": scene.ground_reference_m,
        "heights": "metres above the scene's lowest ground",
    }
