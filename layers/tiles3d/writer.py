"""Buildings → a 3D Tiles 1.1 tileset folder (``tileset.json`` + ``tiles/*.glb``).

::

    write_tileset(frame, "out/")   # frame: geometry (projected CRS, metres), height_m, usage, id

* tiling: explicit quadtree, refined by addition (``refine: "ADD"``, see :mod:`.tiling` for why);
* ``geometricError``: 0 for leaves, :data:`ERROR_PER_METRE` × the tile's width for a tile with
  children (halving at each level: a client refines smoothly as the camera approaches), the
  tileset's twice the root's, at least a quarter of its width and 100 m (:func:`tileset_error`:
  a tileset of one building is drawn from afar too);
* ``boundingVolume``: ``region`` (radians, metres above the ellipsoid) of the tile's own vertices
  (their longitude / latitude, computed on the way to ECEF), joined with its children's, so it
  contains both;
* ``transform``: each tile's east-north-up frame to ECEF (:mod:`.frames`), written relative to the
  parent's (3D Tiles composes transforms down the tree);
* ``schema``: the metadata schema of the tiles' property tables (:data:`.content.SCHEMA`).

The folder is written whole or not at all (:mod:`.folder`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any

import numpy as np

from .content import SCHEMA, TileBuildings, TileMesh, tile_glb
from .folder import replacing_folder, write_synced, write_unsynced
from .frames import EnuFrame
from .tiling import TileNode, quadtree

if TYPE_CHECKING:
    import geopandas as gpd

#: geometric error of a tile with children, per metre of its width
ERROR_PER_METRE = 1 / 8
#: the least error of a whole tileset (m): a client draws a tileset's root only while this error
#: seen from the camera exceeds its screen-space limit, so a project of one building (a footprint
#: of 20 m) would otherwise show only from a few metres away; 100 m keeps it from ~4 km
MIN_TILESET_ERROR_M = 100.0


def tileset_error(root_error_m: float, bounds: tuple[np.ndarray, np.ndarray]) -> float:
    """The ``geometricError`` of a tileset (m): twice its root's, at least the width of what it holds
    (``bounds``: lower and upper corners of the footprints, metres) and :data:`MIN_TILESET_ERROR_M`."""
    lower, upper = (np.asarray(corner, np.float64) for corner in bounds)
    extent = float(np.max(upper[:2] - lower[:2])) if lower.size and upper.size else 0.0
    return max(root_error_m * 2, extent * ERROR_PER_METRE * 2, extent / 4, MIN_TILESET_ERROR_M)


#: what a region is widened by (radians, about a centimetre; metres), so rounding never leaves a
#: vertex outside
PAD_RAD, PAD_M = 2e-9, 0.01
TILESET = "tileset.json"


@dataclass
class TilesetInput:
    """The buildings to write, one row per building (see :func:`write_tileset`)."""

    polygons: np.ndarray  # (p,) Polygons
    owner: np.ndarray  # (p,) building of each polygon
    height_m: np.ndarray
    base_m: np.ndarray
    ground_m: np.ndarray
    ids: np.ndarray
    usage: np.ndarray
    colors: np.ndarray  # (n, 3) sRGB 0..1

    def subset(self, rows: np.ndarray) -> TileBuildings:
        """The buildings ``rows`` (sorted) as one tile's, renumbered 0..len(rows) - 1."""
        new = np.full(len(self.height_m), -1, np.int64)
        new[rows] = np.arange(len(rows))
        parts = np.flatnonzero(new[self.owner] >= 0)
        return TileBuildings(
            self.polygons[parts],
            new[self.owner[parts]],
            self.height_m[rows],
            self.base_m[rows],
            self.ground_m[rows],
            self.ids[rows],
            self.usage[rows],
            self.colors[rows],
        )


def prepare_input(
    frame: gpd.GeoDataFrame,
    *,
    colors: np.ndarray | None = None,
    ground_m: np.ndarray | None = None,
) -> TilesetInput:
    """The rows of ``frame`` (``geometry`` Polygon/MultiPolygon, ``height_m``: the default building height
    where missing; optional ``base_m``,
    ``usage``, ``id``: the row number when missing, ``ground_m``) as flat arrays; ``colors`` (n, 3) sRGB 0..1
    (default: the app's building colour); ``ground_m`` (n,) ground height above the ellipsoid, m
    (NaN or default: 0)."""
    import shapely

    from layers.buildings.heights import DEFAULT_HEIGHT_M
    from layers.buildings.style import DEFAULT_COLOR
    from layers.core.palettes import hex_to_rgb

    n = len(frame)
    geoms = np.asarray(frame.geometry.values)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    keep = (shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts) & (shapely.area(parts) > 0)
    parts, owner = parts[keep], owner[keep].astype(np.int64)
    if colors is None:
        colors = np.tile(np.array(hex_to_rgb(DEFAULT_COLOR), np.float64) / 255.0, (n, 1))
    usage = frame["usage"] if "usage" in frame.columns else None
    ids = frame["id"] if "id" in frame.columns else None
    if ground_m is None and "ground_m" in frame.columns:
        ground_m = frame["ground_m"].to_numpy(np.float64)
    ground = np.zeros(n) if ground_m is None else np.nan_to_num(np.asarray(ground_m, np.float64), nan=0.0)
    height = np.asarray(frame["height_m"], np.float64)
    height = np.where(np.isfinite(height) & (height > 0), height, DEFAULT_HEIGHT_M)
    return TilesetInput(
        parts,
        owner,
        height,
        np.asarray(frame["base_m"], np.float64) if "base_m" in frame.columns else np.zeros(n),
        ground,
        np.arange(n).astype(str).astype(object) if ids is None else ids.astype(str).to_numpy(object),
        np.full(n, "", object) if usage is None else usage.fillna("").astype(str).to_numpy(object),
        np.asarray(colors, np.float64).reshape(n, 3),
    )


def _region(mesh: TileMesh) -> np.ndarray:
    """[west, south, east, north, lowest, highest] (radians, metres) of a tile's vertices, padded."""
    west, south, east, north, low, high = mesh.geodetic_bounds
    return np.array(
        [west - PAD_RAD, south - PAD_RAD, east + PAD_RAD, north + PAD_RAD, low - PAD_M, high + PAD_M]
    )


def _join(a: np.ndarray | None, b: np.ndarray) -> np.ndarray:
    if a is None:
        return b
    return np.r_[
        np.minimum(a[[0, 1]], b[[0, 1]]), np.maximum(a[[2, 3]], b[[2, 3]]), min(a[4], b[4]), max(a[5], b[5])
    ]


def write_tileset(
    frame: gpd.GeoDataFrame,
    output: str | os.PathLike[str],
    *,
    colors: np.ndarray | None = None,
    ground_m: np.ndarray | None = None,
    max_per_tile: int = 2000,
    extras: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write the buildings of ``frame`` (projected CRS, metres; see :func:`prepare_input`) as a 3D
    Tiles 1.1 tileset in the folder ``output``, ``extras`` added to ``asset.extras``; returns
    figures (counts, bytes, seconds; rows left out, by reason, in ``dropped``)."""

    from layers.core.errors import InputError

    t0 = perf_counter()
    output = Path(output)
    if frame.crs is None or not frame.crs.is_projected:
        raise InputError(output, "3D Tiles export needs buildings in a projected CRS in metres")
    data = prepare_input(frame, colors=colors, ground_m=ground_m)
    if not len(data.owner):
        raise InputError(output, "no buildings to write")
    crs = frame.crs
    with replacing_folder(output, TILESET) as temp:
        tree = write_tree(data, crs, temp, max_per_tile=max_per_tile)
        tileset = {
            "asset": {
                "version": "1.1",
                "generator": "Maquette",
                "extras": {"source_crs": crs.to_string(), "buildings": tree.buildings, **(extras or {})},
            },
            "schema": SCHEMA,
            "geometricError": tree.geometric_error,
            "root": tree.root,
        }
        write_synced(temp / TILESET, json.dumps(tileset, separators=(",", ":")).encode("utf-8"))
    size = sum(f.stat().st_size for f in output.rglob("*") if f.is_file())
    return {
        "output": str(output),
        "format": "3D Tiles 1.1",
        "buildings": tree.buildings,
        "dropped": {"no polygon with an area": tree.dropped} if tree.dropped else {},
        **tree.figures,
        "bytes": size,
        "seconds": round(perf_counter() - t0, 3),
    }


@dataclass
class WrittenTree:
    """What :func:`write_tree` wrote: the root tile's JSON (children nested), its region (radians,
    metres), the geometric error for a tileset over it, the buildings written and those left out
    (no polygon with an area), figures (tiles, features, triangles, vertices)."""

    root: dict[str, Any]
    region: np.ndarray
    geometric_error: float
    buildings: int
    dropped: int
    figures: dict[str, int]


def write_tree(
    data: TilesetInput,
    crs: Any,
    folder: Path,
    *,
    subfolder: str = "tiles",
    parent: EnuFrame | None = None,
    max_per_tile: int = 2000,
    sync: bool = True,
) -> WrittenTree:
    """Write the buildings of ``data`` (``crs``: projected, metres) as a quadtree of glb tiles in
        ``folder / subfolder`` (created); the root's ``transform`` is relative to ``parent`` (the frame
        of the tile above it, ``None``: ECEF); ``sync``: each file flushed to the disk as written (else
    the caller flushes them, :func:`.folder.sync_files`). ``ValueError`` when no building has a
    polygon."""
    import shapely

    has_part = np.zeros(len(data.height_m), bool)
    has_part[data.owner] = True
    if not has_part.any():
        raise ValueError("no buildings to write")
    bounds = shapely.bounds(data.polygons)
    lo = np.full((len(has_part), 2), np.inf)
    hi = np.full((len(has_part), 2), -np.inf)
    np.minimum.at(lo, data.owner, bounds[:, :2])
    np.maximum.at(hi, data.owner, bounds[:, 2:])
    rows = np.flatnonzero(has_part)
    centres = (lo[rows] + hi[rows]) / 2
    footprint = np.bincount(data.owner, weights=shapely.area(data.polygons), minlength=len(has_part))
    tree = quadtree(centres, footprint[rows] * data.height_m[rows], max_per_tile=max_per_tile)
    for node in tree.walk():
        node.rows = rows[node.rows]
    figures = {"tiles": 0, "features": 0, "triangles": 0, "vertices": 0}
    (folder / subfolder).mkdir(parents=True)
    write = write_synced if sync else write_unsynced
    root = _write_tiles(tree, data, crs, folder, subfolder, parent, lo, hi, figures, write)
    return WrittenTree(
        root,
        np.asarray(root["boundingVolume"]["region"], np.float64),
        tileset_error(
            float(root["geometricError"]),
            (lo[rows].min(axis=0), hi[rows].max(axis=0)) if len(rows) else (np.zeros(2), np.zeros(2)),
        ),
        int(len(rows)),
        int(len(has_part) - len(rows)),
        figures,
    )


def _write_tiles(
    tree: TileNode,
    data: TilesetInput,
    crs: Any,
    folder: Path,
    subfolder: str,
    top: EnuFrame | None,
    lo: np.ndarray,
    hi: np.ndarray,
    figures: dict[str, int],
    write: Callable[[Path, bytes], None],
) -> dict[str, Any]:
    """Write every tile's glb in ``folder / subfolder``; the root tile's JSON (children nested,
    the root's transform relative to ``top``)."""
    frames: dict[str, EnuFrame | None] = {}  # the frame each tile's content is placed in
    parent_of: dict[str, str] = {}
    for node in tree.walk():
        for child in node.children:
            parent_of[child.key] = node.key
    json_of: dict[str, dict[str, Any]] = {}
    region_of: dict[str, np.ndarray] = {}
    for node in tree.walk():  # parents first: their frames are needed by their children
        tile: dict[str, Any] = {
            "geometricError": node.size_m * ERROR_PER_METRE if node.children else 0.0,
        }
        if node is tree:
            tile["refine"] = "ADD"
        if len(node.rows):
            x, y = (lo[node.rows] + hi[node.rows]).mean(axis=0) / 2
            ground = float(np.mean(data.ground_m[node.rows]))
            frame = EnuFrame.at(crs, float(x), float(y), ground)
            frames[node.key] = frame
            parent = frames[parent_of[node.key]] if node.key in parent_of else top
            tile["transform"] = [float(v) for v in frame.relative_to(parent)]
            buildings = data.subset(node.rows)
            glb, mesh = tile_glb(buildings, crs, frame)
            name = f"{subfolder}/{node.key}.glb"
            write(folder / name, glb)
            tile["content"] = {"uri": name}
            region_of[node.key] = _region(mesh)
            figures["tiles"] += 1
            figures["features"] += buildings.count
            figures["triangles"] += len(mesh.triangles)
            figures["vertices"] += len(mesh.local)
        else:  # no transform: its children are placed in its parent's frame
            frames[node.key] = frames[parent_of[node.key]] if node.key in parent_of else top
        json_of[node.key] = tile
    for node in reversed(tree.walk()):  # children first: a parent's region contains theirs
        region = region_of.get(node.key)
        for child in node.children:
            region = _join(region, region_of[child.key])
        if region is None:
            raise ValueError(f"tile {node.key} holds nothing")
        region_of[node.key] = region
        tile = json_of[node.key]
        tile["boundingVolume"] = {"region": [float(v) for v in region]}
        if node.children:
            tile["children"] = [json_of[child.key] for child in node.children]
    return json_of[tree.key]
