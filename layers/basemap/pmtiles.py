"""PMTiles v3 raster archives, read with the standard library (the spec is short).

Why no library: the ``pmtiles`` package on PyPI reads v3 but is written around remote range
requests and brings nothing a 150-line reader of a local file needs; this one reads the 127-byte
header, the (gzip-compressed) directories and the tiles by offset, and refuses a file cut short
before reading any tile (``InputError``). :func:`write_pmtiles` writes one-directory archives
(tests and benchmarks). Spec: https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md
"""

from __future__ import annotations

import gzip
import json
import struct
import threading
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from layers.core.errors import InputError

MAGIC = b"PMTiles"
HEADER_SIZE = 127
HINT = "the file is damaged or cut short: download or export it again"
#: tile type codes of the header (1 is Mapbox vector tiles)
TILE_TYPES = {0: "unknown", 1: "mvt", 2: "png", 3: "jpeg", 4: "webp", 5: "avif"}
COMPRESSION_NONE, COMPRESSION_GZIP = 1, 2


@dataclass(frozen=True)
class Entry:
    tile_id: int
    offset: int
    length: int
    run_length: int


def tile_id(z: int, x: int, y: int) -> int:
    """The Hilbert-curve id of XYZ tile ``(z, x, y)`` (spec §"Tile IDs")."""
    acc = sum(1 << (2 * i) for i in range(z))
    d = 0
    s = 1 << z >> 1
    while s > 0:
        rx = 1 if x & s else 0
        ry = 1 if y & s else 0
        d += s * s * ((3 * rx) ^ ry)
        if ry == 0:
            if rx == 1:
                x, y = s - 1 - x, s - 1 - y
            x, y = y, x
        s >>= 1
    return acc + d


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if pos >= len(data):
            raise ValueError("directory ends inside a number")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _put_varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def decode_directory(data: bytes) -> list[Entry]:
    count, pos = _varint(data, 0)
    columns: list[list[int]] = []
    for _ in range(4):
        column = []
        for _ in range(count):
            value, pos = _varint(data, pos)
            column.append(value)
        columns.append(column)
    ids, runs, lengths, offsets = columns
    entries: list[Entry] = []
    last_id = 0
    for i in range(count):
        last_id += ids[i]
        if offsets[i] == 0 and i > 0:
            offset = entries[-1].offset + entries[-1].length
        else:
            offset = offsets[i] - 1
        entries.append(Entry(last_id, offset, lengths[i], runs[i]))
    return entries


def encode_directory(entries: list[Entry]) -> bytes:
    out = bytearray()
    _put_varint(len(entries), out)
    last = 0
    for e in entries:
        _put_varint(e.tile_id - last, out)
        last = e.tile_id
    for e in entries:
        _put_varint(e.run_length, out)
    for e in entries:
        _put_varint(e.length, out)
    for e in entries:
        _put_varint(e.offset + 1, out)
    return bytes(out)


class PMTiles:
    """A PMTiles v3 archive of raster tiles, read with plain file reads (XYZ rows by design)."""

    format_name = "PMTiles"
    row_order = "xyz"
    row_order_reason = "PMTiles count rows from the north (XYZ)"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._file = open(self.path, "rb")  # kept open for the layer's life
        try:
            self._size = self.path.stat().st_size
            head = self._file.read(HEADER_SIZE)
            if not head.startswith(MAGIC):
                raise InputError(self.path, "is not a PMTiles archive (no PMTiles header)", hint=HINT)
            if len(head) < HEADER_SIZE:
                raise InputError(self.path, "is cut short: its PMTiles header is incomplete", hint=HINT)
            if head[7] != 3:
                raise InputError(
                    self.path, f"is PMTiles version {head[7]}: Maquette reads version 3", hint=HINT
                )
            (root_off, root_len, meta_off, meta_len, self._leaf_off, leaf_len, self._data_off, data_len) = (
                struct.unpack_from("<8Q", head, 8)
            )
            self.addressed_tiles = struct.unpack_from("<Q", head, 72)[0]
            self._internal = head[97]
            self.tile_compression = head[98]
            self.tile_type = TILE_TYPES.get(head[99], "unknown")
            self.min_zoom, self.max_zoom = head[100], head[101]
            w, s, e, n = (v / 1e7 for v in struct.unpack_from("<4i", head, 102))
            self.bounds_lonlat = (w, s, e, n)
            for offset, length in (
                (root_off, root_len),
                (meta_off, meta_len),
                (self._leaf_off, leaf_len),
                (self._data_off, data_len),
            ):
                if offset + length > self._size:
                    raise InputError(
                        self.path,
                        f"is cut short: {self._size:,} bytes where its header announces {offset + length:,}",
                        hint=HINT,
                    )
            if self.tile_type == "mvt":
                raise InputError(
                    self.path,
                    "holds vector tiles (MVT): Maquette draws raster tiles (PNG, JPEG, WebP)",
                    hint="open a raster PMTiles or the data the vector tiles were made from",
                )
            self._root = decode_directory(self._unpack(self._read(root_off, root_len)))
            self.metadata: dict[str, str] = {}
            if meta_len:
                raw = json.loads(self._unpack(self._read(meta_off, meta_len)) or b"{}")
                if isinstance(raw, dict):
                    self.metadata = {
                        str(k): str(v) for k, v in raw.items() if isinstance(v, str | int | float)
                    }
        except (ValueError, OSError, gzip.BadGzipFile, EOFError) as exc:
            self._file.close()
            raise InputError(self.path, f"cannot be read as PMTiles ({exc})", hint=HINT) from exc
        except InputError:
            self._file.close()
            raise

    def _read(self, offset: int, length: int) -> bytes:
        with self._lock:
            self._file.seek(offset)
            return self._file.read(length)

    def _unpack(self, data: bytes) -> bytes:
        if self._internal == COMPRESSION_GZIP:
            return gzip.decompress(data)
        if self._internal in (0, COMPRESSION_NONE):
            return data
        raise ValueError(f"directory compression {self._internal} is not supported (gzip or none)")

    # -- what it holds ---------------------------------------------------------------------------
    def zooms(self) -> list[int]:
        return list(range(self.min_zoom, self.max_zoom + 1))

    def tile_count(self) -> int:
        return int(self.addressed_tiles)

    def attribution(self) -> str | None:
        return self.metadata.get("attribution") or None

    def declared_bounds(self) -> tuple[float, float, float, float] | None:
        w, s, e, n = self.bounds_lonlat
        return (w, s, e, n) if w < e and s < n else None

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The encoded image of XYZ tile ``(z, x, y)``; ``None`` when the archive has none."""
        wanted = tile_id(z, x, y)
        entries = self._root
        for _ in range(4):  # the spec allows at most three levels of leaf directories
            i = bisect_right([e.tile_id for e in entries], wanted) - 1
            if i < 0:
                return None
            entry = entries[i]
            if entry.run_length == 0:  # a leaf directory
                raw = self._read(self._leaf_off + entry.offset, entry.length)
                entries = decode_directory(self._unpack(raw))
                continue
            if wanted >= entry.tile_id + entry.run_length:
                return None
            data = self._read(self._data_off + entry.offset, entry.length)
            return gzip.decompress(data) if self.tile_compression == COMPRESSION_GZIP else data
        return None

    def close(self) -> None:
        self._file.close()


def write_pmtiles(
    path: str | Path,
    tiles: dict[tuple[int, int, int], bytes],
    *,
    tile_type: str = "png",
    metadata: dict[str, str] | None = None,
) -> Path:
    """Write XYZ ``tiles`` {(z, x, y): encoded image} as a one-directory PMTiles v3 archive."""
    path = Path(path)
    ordered = sorted(tiles.items(), key=lambda item: tile_id(*item[0]))
    entries, data, offset = [], bytearray(), 0
    for (z, x, y), blob in ordered:
        entries.append(Entry(tile_id(z, x, y), offset, len(blob), 1))
        data += blob
        offset += len(blob)
    root = gzip.compress(encode_directory(entries), mtime=0)
    meta = gzip.compress(json.dumps(metadata or {}).encode(), mtime=0)
    zooms = [z for z, _, _ in tiles] or [0]
    from . import webmercator as wm

    boxes = [wm.tile_bounds(*key) for key in tiles]
    from pyproj import Transformer

    to_lonlat = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
    w, s = to_lonlat.transform(min(b[0] for b in boxes), min(b[1] for b in boxes))
    e, n = to_lonlat.transform(max(b[2] for b in boxes), max(b[3] for b in boxes))
    root_off = HEADER_SIZE
    meta_off = root_off + len(root)
    data_off = meta_off + len(meta)
    type_code = {v: k for k, v in TILE_TYPES.items()}[tile_type]
    header = MAGIC + bytes([3])
    header += struct.pack("<8Q", root_off, len(root), meta_off, len(meta), data_off, 0, data_off, len(data))
    header += struct.pack("<3Q", len(entries), len(entries), len(entries))
    header += bytes([1, COMPRESSION_GZIP, COMPRESSION_NONE, type_code, min(zooms), max(zooms)])
    header += struct.pack("<4i", *(round(v * 1e7) for v in (w, s, e, n)))
    header += bytes([min(zooms)]) + struct.pack("<2i", round((w + e) / 2 * 1e7), round((s + n) / 2 * 1e7))
    assert len(header) == HEADER_SIZE
    path.write_bytes(header + root + meta + bytes(data))
    return path
