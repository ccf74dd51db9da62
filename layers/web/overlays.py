"""The story page's draped overlays: each step's visible raster and grid layers (noise map, heat,
sunlight...) and its basemap as pictures on a longitude/latitude rectangle, which CesiumJS lays on the
ground as imagery layers (``SingleTileImageryProvider``), shown per step with the step's opacity.

The pictures come coloured: :mod:`viewer.story_overlays` reads them from the app's own visuals (the
very texture and legend the audience screen draws) and the basemap from its tiles, in the scene CRS
(metres). A picture in a projected CRS (Lambert-93...) is not a rectangle in longitude/latitude:
:func:`lonlat_picture` warps it onto a regular longitude/latitude grid (WGS 84 degrees; each output
pixel takes the source pixel under its centre, nearest: classes stay exact, no colour is invented), so
CesiumJS's geographic tiling draws it where the app does. Crisp pictures (classes, values) are written
as PNG, lossless; filtered ones (the basemap, smooth fields) as lossy WebP with alpha, several times
lighter. This module is plain data and numpy (no VTK): the web page's side.
"""

from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from pyproj import CRS

    from .vectors import VectorOverlay

#: the folder of the overlay pictures in the page
OVERLAY_FOLDER = "overlays"
#: a warped crisp picture has this many times the source's pixels a side (nearest sampling: finer
#: output pixels keep the source's square pixels square once turned), at most :data:`MAX_SIDE`; a
#: filtered one keeps the source's size (its texels are blended anyway: more pixels add only bytes)
OVERSAMPLE = 2
MAX_SIDE = 4096
#: quality (0..100) of the lossy WebP of filtered pictures (the basemap, smooth fields)
WEBP_QUALITY = 85


@dataclass(frozen=True)
class OverlayPicture:
    """One coloured overlay as the app draws it: ``rgba`` (rows, cols, 4) uint8, row 0 north, over
    ``bounds`` (xmin, ymin, xmax, ymax) in metres of the scene CRS; ``crisp``: drawn with nearest
    texels (classes, values), else filtered (a smooth field, the basemap)."""

    key: str
    name: str
    rgba: np.ndarray
    bounds: tuple[float, float, float, float]
    crisp: bool = True

    def digest(self) -> str:
        """A short hash of the picture and its place (two steps showing the same picture share it)."""
        h = hashlib.sha1(np.ascontiguousarray(self.rgba).tobytes())
        h.update(repr((self.rgba.shape, self.bounds)).encode("ascii"))
        return h.hexdigest()[:12]


@dataclass(frozen=True)
class StepOverlay:
    """An overlay a step shows: the index of its picture in :attr:`StoryOverlays.pictures`, its
    opacity (0..1, the step's)."""

    picture: int
    opacity: float


@dataclass
class StoryOverlays:
    """The overlays of every step: the distinct pictures, and per step the overlays shown and the
    legends of its visible layers as plain JSON (see :func:`legend_json`)."""

    pictures: list[OverlayPicture] = field(default_factory=list)
    steps: list[list[StepOverlay]] = field(default_factory=list)
    legends: list[list[dict[str, Any]]] = field(default_factory=list)
    #: layer keys a step shows that are drawn neither as buildings nor as overlays
    not_shown: list[str] = field(default_factory=list)
    #: the distinct vector overlays (lines, polygons, points), and per step the ones shown
    vectors: list[VectorOverlay] = field(default_factory=list)
    step_vectors: list[list[int]] = field(default_factory=list)
    #: per buildings layer key, its distinct colourings by an attribute (each (n, 3) uint8 sRGB, one
    #: row per row of the layer), and per step the colouring each such layer shows (key → index)
    building_colours: dict[str, list[np.ndarray]] = field(default_factory=dict)
    step_building_colours: list[dict[str, int]] = field(default_factory=list)

    def add_building_colours(self, key: str, colours: np.ndarray) -> int:
        """The index of layer ``key``'s colouring ``colours`` (an equal one already kept is reused)."""
        known = self.building_colours.setdefault(key, [])
        for i, other in enumerate(known):
            if other.shape == colours.shape and np.array_equal(other, colours):
                return i
        known.append(colours)
        return len(known) - 1

    def add_vector(self, overlay: VectorOverlay) -> int:
        """The index of ``overlay`` (an equal one already kept is reused)."""
        digest = overlay.digest()
        for i, known in enumerate(self.vectors):
            if known.digest() == digest:
                return i
        self.vectors.append(overlay)
        return len(self.vectors) - 1

    def add(self, picture: OverlayPicture) -> int:
        """The index of ``picture`` (an equal one already kept is reused)."""
        digest = picture.digest()
        for i, known in enumerate(self.pictures):
            if known.key == picture.key and known.digest() == digest:
                return i
        self.pictures.append(picture)
        return len(self.pictures) - 1


def hex_colour(rgb: tuple[float, float, float]) -> str:
    """``(r, g, b)`` floats 0..1 → ``"#rrggbb"``."""
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in rgb)


def legend_json(
    title: str,
    entries: list[tuple[tuple[float, float, float], str]],
    ramp: list[tuple[float, float, float]],
    ticks: list[tuple[float, str]],
) -> dict[str, Any]:
    """A legend for the page: ``title`` (quantity and unit), class ``entries`` (colour, label) or a
    colour ``ramp`` (low → high) with ``ticks`` (position 0..1 along it, label)."""
    return {
        "title": title,
        "entries": [[hex_colour(rgb), label] for rgb, label in entries],
        "ramp": [hex_colour(rgb) for rgb in ramp],
        "ticks": [[round(float(pos), 4), label] for pos, label in ticks],
    }


def lonlat_picture(
    rgba: np.ndarray, bounds: tuple[float, float, float, float], crs: CRS | str, *, crisp: bool = True
) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """``rgba`` (north-up rows over ``bounds`` in ``crs``) warped onto a regular longitude/latitude
    grid: the picture, and its rectangle (west, south, east, north) in degrees (WGS 84). Output
    pixels whose centre falls outside the source are transparent. A ``crisp`` picture gets
    :data:`OVERSAMPLE` times the source's pixels a side (at most :data:`MAX_SIDE`), a filtered one
    the source's own."""
    from pyproj import CRS, Transformer

    source = CRS.from_user_input(crs)
    rows, cols = rgba.shape[:2]
    xmin, ymin, xmax, ymax = bounds
    to_lonlat = Transformer.from_crs(source, CRS.from_epsg(4326), always_xy=True)
    # the rectangle holding the whole source: its edges, densified (a projected edge bends)
    t = np.linspace(0.0, 1.0, 65)
    edge_x = np.concatenate(
        [xmin + t * (xmax - xmin), np.full_like(t, xmax), xmax - t * (xmax - xmin), [xmin] * 65]
    )
    edge_y = np.concatenate(
        [np.full_like(t, ymin), ymin + t * (ymax - ymin), np.full_like(t, ymax), ymax - t * (ymax - ymin)]
    )
    lon, lat = to_lonlat.transform(edge_x, edge_y)
    west, east, south, north = float(np.min(lon)), float(np.max(lon)), float(np.min(lat)), float(np.max(lat))
    factor = max(1, min(OVERSAMPLE, math.floor(MAX_SIDE / max(rows, cols)))) if crisp else 1
    out_rows, out_cols = rows * factor, cols * factor
    centres_lon = west + (np.arange(out_cols) + 0.5) * (east - west) / out_cols
    centres_lat = north - (np.arange(out_rows) + 0.5) * (north - south) / out_rows
    grid_lon, grid_lat = np.meshgrid(centres_lon, centres_lat)
    to_scene = Transformer.from_crs(CRS.from_epsg(4326), source, always_xy=True)
    x, y = to_scene.transform(grid_lon.ravel(), grid_lat.ravel())
    col = np.floor((np.asarray(x) - xmin) / (xmax - xmin) * cols).astype(np.int64)
    row = np.floor((ymax - np.asarray(y)) / (ymax - ymin) * rows).astype(np.int64)
    inside = (col >= 0) & (col < cols) & (row >= 0) & (row < rows)
    out = np.zeros((out_rows * out_cols, 4), np.uint8)
    out[inside] = rgba[row[inside], col[inside]]
    return out.reshape(out_rows, out_cols, 4), (west, south, east, north)


def png_bytes(rgba: np.ndarray) -> bytes:
    """``rgba`` (rows, cols, 4) uint8 as a PNG file's bytes."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba, np.uint8), "RGBA").save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def webp_bytes(rgba: np.ndarray, quality: int = WEBP_QUALITY) -> bytes:
    """``rgba`` (rows, cols, 4) uint8 as a lossy WebP file's bytes, alpha kept (lossless)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba, np.uint8), "RGBA").save(
        buffer, "WEBP", quality=quality, alpha_quality=100
    )
    return buffer.getvalue()


def overlay_entries(overlays: StoryOverlays, crs: CRS | str) -> tuple[list[dict[str, Any]], list[bytes]]:
    """The page's description of each picture (id, layer key, name, image path, its ``mime`` type,
    rectangle in degrees, crisp) and the bytes to write at each ``image`` path (relative to the
    page): a crisp picture as PNG (``overlays/<i>.png``), a filtered one as WebP
    (``overlays/<i>.webp``)."""
    entries: list[dict[str, Any]] = []
    images: list[bytes] = []
    for i, picture in enumerate(overlays.pictures):
        rgba, rectangle = lonlat_picture(picture.rgba, picture.bounds, crs, crisp=picture.crisp)
        extension, mime = ("png", "image/png") if picture.crisp else ("webp", "image/webp")
        entries.append(
            {
                "id": i,
                "key": picture.key,
                "name": picture.name,
                "image": f"{OVERLAY_FOLDER}/{i}.{extension}",
                "mime": mime,
                "rectangle": [round(v, 9) for v in rectangle],
                "crisp": picture.crisp,
            }
        )
        images.append(png_bytes(rgba) if picture.crisp else webp_bytes(rgba))
    return entries, images


def write_overlay_images(folder: Path, entries: list[dict[str, Any]], images: list[bytes]) -> None:
    """Write each entry's image bytes (PNG or WebP, as its ``image`` path says) under ``folder``
    (the page's temporary folder)."""
    from layers.tiles3d.folder import write_synced

    if not entries:
        return
    (folder / OVERLAY_FOLDER).mkdir(exist_ok=True)
    for entry, data in zip(entries, images):
        write_synced(folder / entry["image"], data)
