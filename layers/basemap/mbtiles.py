"""MBTiles: raster tiles in an SQLite file (``tiles(zoom_level, tile_column, tile_row, tile_data)``).

The MBTiles spec counts rows from the south (TMS); many files in the wild count them from the north
(XYZ). :func:`choose_row_order` decides which a file uses and says why: the ``scheme`` metadata
key, else the ``bounds`` key (the order placing the tiles inside them), else the order placing them
on land (:data:`layers.basemap.webmercator.LAND_Z3`), else the spec's TMS; a guess (the last two)
is settled by the scene when the basemap is drawn among other layers
(:meth:`layers.basemap.layer.BasemapLayer.place_among`). Read only, offline.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from layers.core.errors import InputError

from . import webmercator as wm

SQLITE_MAGIC = b"SQLite format 3\x00"
LAND = (
    "no scheme nor bounds in the metadata: rows read from the north (XYZ) put the tiles on "
    "land, from the south (TMS) at sea"
)
SPEC = "rows read from the south, as the MBTiles spec says (TMS)"
SCENE = (
    "no scheme nor bounds in the metadata: the rows read this way place the tiles over the scene's "
    "other layers"
)
HINT = "an MBTiles file is an SQLite database with a tiles table; export it again from its tool"


class MBTiles:
    """An MBTiles file opened read only; :meth:`tile` answers XYZ tiles (the row order is
    :attr:`row_order`, ``"tms"`` or ``"xyz"``, chosen by :func:`choose_row_order`)."""

    format_name = "MBTiles"

    def __init__(self, path: str | Path, row_order: str | None = None) -> None:
        self.path = Path(path)
        with open(self.path, "rb") as head:
            magic = head.read(len(SQLITE_MAGIC))
        if magic != SQLITE_MAGIC:
            raise InputError(self.path, "is not an MBTiles file: it is not an SQLite database", hint=HINT)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
            tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master")}
            if "tiles" not in tables:
                raise InputError(self.path, "is an SQLite database without a tiles table", hint=HINT)
            self.metadata: dict[str, str] = {}
            if "metadata" in tables:
                self.metadata = {
                    str(k): str(v) for k, v in self._db.execute("SELECT name, value FROM metadata")
                }
            #: zoom → (column min, column max, stored row min, stored row max, tile count)
            self.levels: dict[int, tuple[int, int, int, int, int]] = {
                int(z): (int(a), int(b), int(c), int(d), int(n))
                for z, a, b, c, d, n in self._db.execute(
                    "SELECT zoom_level, min(tile_column), max(tile_column), min(tile_row),"
                    " max(tile_row), count(*) FROM tiles GROUP BY zoom_level"
                )
            }
        except sqlite3.DatabaseError as exc:
            raise InputError(self.path, f"cannot be read as MBTiles ({exc})", hint=HINT) from exc
        if not self.levels:
            raise InputError(self.path, "holds no tile (its tiles table is empty)", hint=HINT)
        tile_format = self.metadata.get("format", "").lower()
        if tile_format in ("pbf", "mvt"):
            raise InputError(
                self.path,
                "holds vector tiles (pbf): Maquette draws raster tiles (PNG, JPEG, WebP)",
                hint="open a raster MBTiles or the data the vector tiles were made from",
            )
        self.row_order, self.row_order_reason = choose_row_order(self, row_order)
        #: the order was a guess (no scheme, no bounds, not given): the scene may settle it
        self.row_order_guessed = row_order is None and self.row_order_reason in (LAND, SPEC)

    # -- what it holds ---------------------------------------------------------------------------
    def zooms(self) -> list[int]:
        return sorted(self.levels)

    def tile_count(self) -> int:
        return sum(level[4] for level in self.levels.values())

    def xyz_range(self, z: int, order: str | None = None) -> tuple[int, int, int, int]:
        """XYZ ``(x0, y0, x1, y1)`` of the stored tiles of zoom ``z`` read in ``order``."""
        x0, x1, r0, r1, _ = self.levels[z]
        if (order or self.row_order) == "tms":
            last = (1 << z) - 1
            return x0, last - r1, x1, last - r0
        return x0, r0, x1, r1

    def attribution(self) -> str | None:
        return self.metadata.get("attribution") or None

    def declared_bounds(self) -> tuple[float, float, float, float] | None:
        """The metadata ``bounds`` (west, south, east, north degrees), ``None`` when absent or bad."""
        try:
            w, s, e, n = (float(v) for v in self.metadata["bounds"].split(","))
        except (KeyError, ValueError):
            return None
        return (w, s, e, n) if w < e and s < n else None

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The encoded image of XYZ tile ``(z, x, y)``; ``None`` when the file has none."""
        row = (1 << z) - 1 - y if self.row_order == "tms" else y
        with self._lock:
            found = self._db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (z, x, row),
            ).fetchone()
        return bytes(found[0]) if found and found[0] is not None else None

    def close(self) -> None:
        self._db.close()


def choose_row_order(tiles: MBTiles, forced: str | None = None) -> tuple[str, str]:
    """``("tms" | "xyz", why)``: how ``tiles`` counts its rows (see the module docstring)."""
    if forced is not None:
        if forced not in ("tms", "xyz"):
            raise InputError(tiles.path, f"row order {forced!r} is neither 'tms' nor 'xyz'")
        return forced, "row order given"
    scheme = tiles.metadata.get("scheme", "").lower()
    if scheme in ("tms", "xyz"):
        return scheme, f"metadata scheme = {scheme}"
    coarsest = min(tiles.levels)
    declared = tiles.declared_bounds()
    if declared is not None:
        from pyproj import Transformer

        to_3857 = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
        w, s = to_3857.transform(declared[0], max(declared[1], -85.0))
        e, n = to_3857.transform(declared[2], min(declared[3], 85.0))
        inside = {
            order: _overlap((w, s, e, n), _range_bounds(coarsest, tiles.xyz_range(coarsest, order)))
            for order in ("tms", "xyz")
        }
        if inside["xyz"] > inside["tms"]:
            return "xyz", "the metadata bounds lie under the rows read from the north (XYZ)"
        if inside["tms"] > inside["xyz"]:
            return "tms", "the metadata bounds lie under the rows read from the south (TMS)"
    land = {order: _land_share(tiles, order) for order in ("tms", "xyz")}
    if land["xyz"] > land["tms"]:
        return "xyz", LAND
    return "tms", SPEC


def _range_bounds(z: int, xyz: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = xyz
    return wm.tile_bounds(z, x0, y1)[:2] + wm.tile_bounds(z, x1, y0)[2:]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0.0) * max(h, 0.0)


def _land_share(tiles: MBTiles, order: str) -> float:
    """Share of the stored tiles (their bounding ranges per zoom) that ``order`` puts on land."""
    on, total = 0, 0
    for z in tiles.zooms():
        x0, y0, x1, y1 = tiles.xyz_range(z, order)
        for x in (x0, x1):
            for y in (y0, y1):
                on += wm.on_land(z, x, y)
                total += 1
    return on / total if total else 0.0


def write_mbtiles(
    path: str | Path,
    tiles: dict[tuple[int, int, int], bytes],
    *,
    metadata: dict[str, str] | None = None,
    row_order: str = "tms",
) -> Path:
    """Write XYZ ``tiles`` {(z, x, y): encoded image} as an MBTiles file, rows stored in
    ``row_order`` (the spec's ``"tms"``; ``"xyz"`` as some tools do); rows in a stable order so the
    same tiles give the same file."""
    path = Path(path)
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE metadata (name text, value text)")
        db.execute("CREATE UNIQUE INDEX name ON metadata (name)")
        db.execute(
            "CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)"
        )
        db.execute("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)")
        db.executemany("INSERT INTO metadata VALUES (?, ?)", sorted((metadata or {}).items()))
        db.executemany(
            "INSERT INTO tiles VALUES (?, ?, ?, ?)",
            [
                (z, x, (1 << z) - 1 - y if row_order == "tms" else y, sqlite3.Binary(data))
                for (z, x, y), data in sorted(tiles.items())
            ],
        )
    db.close()
    return path
