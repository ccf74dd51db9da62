"""Computed results as data: what the visible layers can give to a GIS.

* rasters of the visible layers as GeoTIFF (float32, NaN nodata, scene CRS): the heat surface
  interpolated from loggers *at the clock time* (or any ``--time``), hours of sunlight, noise and
  heat maps, the terrain;
* the ground shadows of the visible buildings at the clock time (GeoPackage / GeoJSON, the
  buildings' CRS, computed like ``maquette shade``);
* the comments pinned on the model (GeoPackage / GeoJSON in WGS84, scene coordinates kept as
  attributes).

:func:`exportable` lists what a scene offers (the desktop's *Export › Data* menu and
``maquette export --list``); :func:`write` writes one of them. Every file is written whole or not
at all (:mod:`layers.io.atomic`): a failure leaves the previous file and raises
:class:`layers.core.errors.OutputError` naming the cause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from layers.core.base import HasGrid, HasQuantity, Layer, SurfaceAtTime
from layers.core.errors import InputError

if TYPE_CHECKING:
    from pyproj import CRS

    from layers.core.scene import Scene
    from layers.session.comments import Comment

RASTER_SUFFIXES = (".tif", ".tiff")
#: vector files the data exports write (shadows: :data:`layers.sunlight.study.SHADOW_DRIVERS`)
VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json")
SHADOWS, COMMENTS = "shadows", "comments"


@dataclass
class DataExport:
    """One thing that can be written: ``key`` (a layer id, ``"shadows"`` or ``"comments"``), a label
    for menus, ``raster`` or ``vector``, and the file types it takes (first: the default)."""

    key: str
    label: str
    kind: str
    suffixes: tuple[str, ...]
    #: the raster layer written (``None`` for shadows and comments)
    layer: Layer[Any] | None = None

    def default_name(self) -> str:
        stem = re.sub(r"[^\w.-]+", "_", self.key, flags=re.UNICODE).strip("_") or "export"
        return stem + self.suffixes[0]


def _layer_key(layer: Layer[Any]) -> str:
    return layer.project_id or layer.name


def _has_values(layer: Layer[Any]) -> bool:
    return isinstance(layer, HasGrid) and layer.grid is not None and layer.grid.values is not None


#: the words of the menu's labels: English → French
FRENCH_LABELS = {
    "at the time shown": "à l'heure affichée",
    "Ground shadows": "Ombres portées au sol",
    "Comments": "Commentaires",
}


def _say(text: str, language: str) -> str:
    return FRENCH_LABELS[text] if language == "fr" else text


def exportable(
    scene: Scene,
    comments: list[Comment] | None = None,
    *,
    visible_only: bool = True,
    language: str = "fr",
) -> list[DataExport]:
    """What the visible layers (all with ``visible_only=False``) and the session's comments can
    export, in layer order; the labels in ``language`` ("fr" or "en")."""
    found: list[DataExport] = []
    at_time = _say("at the time shown", language)
    for layer in scene.layers:
        if visible_only and not layer.visible:
            continue
        if isinstance(layer, HasGrid) and _has_values(layer):
            timed = f" ({at_time})" if layer.time_aware else ""
            unit = layer.unit
            found.append(
                DataExport(
                    _layer_key(layer),
                    f"{layer.name}{timed} — GeoTIFF" + (f" ({unit})" if unit else ""),
                    "raster",
                    RASTER_SUFFIXES,
                    layer,
                )
            )
    from layers.sun.casters import casters

    if any(layer.feature_count() for layer in casters(scene.layers)):  # buildings, trees, canopy
        found.append(
            DataExport(
                SHADOWS,
                f"{_say('Ground shadows', language)} ({at_time}) — GeoPackage / GeoJSON",
                "vector",
                (".gpkg", ".geojson"),
            )
        )
    if comments:
        found.append(
            DataExport(
                COMMENTS,
                f"{_say('Comments', language)} ({len(comments)}) — GeoPackage / GeoJSON",
                "vector",
                (".gpkg", ".geojson"),
            )
        )
    return found


def find_export(
    scene: Scene, key: str | None, output: Path, comments: list[Comment] | None = None
) -> DataExport:
    """The export named ``key`` (layer id or name, ``shadows``, ``comments``); with no key, the only
    one that fits ``output``'s type. :class:`InputError` naming the choices otherwise."""
    choices = exportable(scene, comments)
    suffix = output.suffix.lower()
    fitting = [c for c in choices if suffix in c.suffixes]
    if key is None:
        if len(fitting) == 1:
            return fitting[0]
        names = ", ".join(c.key for c in fitting) or "none"
        raise InputError(
            output, f"say which data to write with --data (for {suffix or 'this file'}: {names})"
        )
    for choice in exportable(scene, comments, visible_only=False):  # a layer named explicitly may be hidden
        if key == choice.key or (choice.layer is not None and key == choice.layer.name):
            if suffix not in choice.suffixes:
                raise InputError(
                    output,
                    f"{choice.key} is written as {' or '.join(choice.suffixes)}, "
                    f"not {suffix or 'no extension'}",
                )
            return choice
    names = ", ".join(c.key for c in choices) or "none"
    raise InputError(None, f"--data {key!r}: nothing of that name to export (visible: {names})")


def write(
    choice: DataExport,
    output: str | Path,
    scene: Scene,
    *,
    time: datetime | None = None,
    comments: list[Comment] | None = None,
) -> dict[str, Any]:
    """Write ``choice`` to ``output``; returns figures for ``--json`` / the status bar."""
    output = Path(output)
    if not output.parent.exists():
        raise InputError(output, "the output folder does not exist")
    t = time or scene.clock.time
    if choice.kind == "raster" and choice.layer is not None:
        return write_layer_raster(choice.layer, output, t)
    if choice.key == SHADOWS:
        return write_shadows(scene, output, t)
    return write_comments(comments or [], scene.crs, output)


def layer_values(layer: Layer[Any], t: datetime | None) -> np.ndarray:
    """(rows, cols) float32 values of a raster layer; a surface interpolated from loggers at ``t``."""
    if isinstance(layer, SurfaceAtTime) and t is not None:
        return np.asarray(layer.surface_at(t, layer.show), dtype=np.float32)
    if not isinstance(layer, HasGrid) or layer.grid is None or layer.grid.values is None:
        raise InputError(layer.source, f"{layer.name} holds no raster values to write")
    return np.asarray(layer.grid.values, dtype=np.float32)


def write_layer_raster(layer: Layer[Any], output: Path, t: datetime | None) -> dict[str, Any]:
    """The layer's grid as a GeoTIFF (float32, NaN nodata, deflate, scene CRS), tagged with what it
    is (quantity, unit, time); written whole or not at all (:func:`layers.io.atomic.replacing`)."""
    import rasterio
    from affine import Affine

    from layers.io.atomic import replacing
    from layers.io.raster_file import stale_beside
    from layers.sunlight.layer import SunlightLayer

    if output.suffix.lower() not in RASTER_SUFFIXES:
        raise InputError(output, "rasters are written as GeoTIFF (.tif)")
    if not isinstance(layer, HasGrid) or layer.grid is None:
        raise InputError(layer.source, f"{layer.name} holds no raster to write")
    grid = layer.grid
    values = layer_values(layer, t)
    rows, cols = values.shape
    tags = {"MAQUETTE_LAYER": layer.name, "MAQUETTE_KIND": layer.kind}
    unit = layer.unit
    if unit:
        tags["UNIT"] = str(unit)
    if isinstance(layer, SurfaceAtTime):
        quantity: str | None = layer.display_quantity
    else:
        quantity = layer.quantity if isinstance(layer, HasQuantity) else None
    if quantity:
        tags["QUANTITY"] = str(quantity)
    time_tag = t.isoformat() if layer.time_aware and t is not None else None
    if time_tag is not None:
        tags["TIME"] = time_tag
    if isinstance(layer, SunlightLayer):  # opens again as a sunlight layer, with its day and quantity
        source = layer.source_info.tags or {}
        tags.update({k: str(v) for k, v in source.items() if k in ("QUANTITY", "DATE", "MAX_HOURS")})
        tags["MAQUETTE_KIND"] = "sunlight"
    profile = {
        "driver": "GTiff",
        "width": cols,
        "height": rows,
        "count": 1,
        "dtype": "float32",
        "nodata": float("nan"),
        "crs": grid.crs.to_wkt() if grid.crs is not None else None,
        "transform": Affine(grid.dx, 0.0, grid.x0, 0.0, -grid.dy, grid.y0),
        "compress": "deflate",
        "predictor": 3,
        "tiled": rows >= 256 and cols >= 256,
    }
    with (
        replacing(output, stale=stale_beside(output), quiet=True) as temp,
        rasterio.open(temp, "w", **profile) as dst,
    ):
        dst.write(values, 1)
        dst.update_tags(**tags)
        if unit:
            dst.set_band_unit(1, str(unit))
    finite = values[np.isfinite(values)]
    return {
        "output": str(output),
        "data": _layer_key(layer),
        "kind": "raster",
        "size": [cols, rows],
        "pixel_m": [grid.dx, grid.dy],
        "time": time_tag,
        "unit": unit,
        "min": round(float(finite.min()), 3) if finite.size else None,
        "max": round(float(finite.max()), 3) if finite.size else None,
    }


def write_shadows(scene: Scene, output: Path, t: datetime | None) -> dict[str, Any]:
    """Ground shadows of the visible buildings, trees and canopy at ``t``, written by
    :func:`layers.sunlight.study.shade_to_file` (``maquette shade``'s computation and file)."""
    from layers.sun.casters import casters
    from layers.sunlight.study import footprints_of, shade_to_file

    if output.suffix.lower() not in VECTOR_SUFFIXES:
        raise InputError(output, "shadows are written as GeoPackage (.gpkg) or GeoJSON (.geojson)")
    if t is None:
        raise InputError(None, "shadows need a time: give --time")
    shading = casters(scene.layers)  # buildings, trees, canopy
    footprints = footprints_of(shading, scene.crs, scene.timezone) if scene.crs is not None else None
    if footprints is None:
        raise InputError(None, "no visible buildings cast shadows")
    written = shade_to_file(footprints, t, output)
    sun = written.shadows.sun
    return {
        "output": str(output),
        "data": SHADOWS,
        "kind": "vector",
        "time": sun.time.isoformat(),
        "features": written.features,
        "shadow_area_m2": round(float(written.shadows.area_m2), 2),
        "sun_azimuth_deg": round(sun.azimuth_deg, 3),
        "sun_elevation_deg": round(sun.elevation_deg, 3),
    }


def write_comments(comments: list[Comment], scene_crs: CRS | None, output: Path) -> dict[str, Any]:
    """The comments as GeoJSON (RFC 7946, WGS84) or GeoPackage (scene CRS)."""
    from layers.session.comments import export_comments

    if output.suffix.lower() not in VECTOR_SUFFIXES:
        raise InputError(output, "comments are written as GeoPackage (.gpkg) or GeoJSON (.geojson)")
    export_comments(comments, scene_crs, output)
    return {"output": str(output), "data": COMMENTS, "kind": "vector", "features": len(comments)}
