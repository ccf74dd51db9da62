"""A tiny OpenStreetMap PBF writer for tests: nodes and ways with tags, no dependency.

The format (https://wiki.openstreetmap.org/wiki/PBF_Format): blocks, each a 4-byte big-endian
length, a ``BlobHeader`` (type ``OSMHeader`` / ``OSMData``, size of the blob) and a ``Blob`` holding
a zlib-compressed ``HeaderBlock`` or ``PrimitiveBlock`` (protocol buffers written by hand here).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

#: (id, lon, lat, tags)
Node = tuple[int, float, float, dict[str, str]]
#: (id, node ids, tags)
Way = tuple[int, list[int], dict[str, str]]


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 63)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited field (wire type 2)."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _int_field(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


def _packed(values: list[int]) -> bytes:
    return b"".join(_varint(v) for v in values)


def _blob(kind: str, message: bytes, compress: bool = True) -> bytes:
    blob = _int_field(2, len(message)) + _field(3, zlib.compress(message)) if compress else _field(1, message)
    header = _field(1, kind.encode()) + _int_field(3, len(blob))
    return struct.pack(">I", len(header)) + header + blob


def pbf_bytes(nodes: list[Node], ways: list[Way] | None = None, *, compress: bool = True) -> bytes:
    """The bytes of an ``.osm.pbf`` holding ``nodes`` and ``ways`` (one data block; its blobs
    zlib-compressed, or raw: a fuzzer's byte changes then reach the tags and coordinates)."""
    header = _field(4, b"OsmSchema-V0.6") + _field(4, b"DenseNodes")
    strings = [""]

    def index(text: str) -> int:
        if text not in strings:
            strings.append(text)
        return strings.index(text)

    def keys_values(tags: dict[str, str]) -> bytes:
        keys = [index(k) for k in tags]
        values = [index(v) for v in tags.values()]
        return (_field(2, _packed(keys)) + _field(3, _packed(values))) if tags else b""

    group = b""
    for node_id, lon, lat, tags in nodes:
        body = _int_field(1, _zigzag(node_id)) + keys_values(tags)
        body += _int_field(8, _zigzag(round(lat * 1e7))) + _int_field(9, _zigzag(round(lon * 1e7)))
        group += _field(1, body)
    for way_id, refs, tags in ways or []:
        deltas = [refs[0]] + [b - a for a, b in zip(refs, refs[1:])]
        body = _int_field(1, way_id) + keys_values(tags) + _field(8, _packed([_zigzag(d) for d in deltas]))
        group += _field(3, body)
    table = b"".join(_field(1, s.encode()) for s in strings)
    block = _field(1, table) + _field(2, group)
    return _blob("OSMHeader", header, compress) + _blob("OSMData", block, compress)


def square_extract() -> tuple[list[Node], list[Way]]:
    """Two buildings (12 m, and 4 storeys) and a road near Monaco's harbour."""
    nodes: list[Node] = []
    ways: list[Way] = []
    for k, tags in enumerate(
        ({"building": "yes", "height": "12"}, {"building": "yes", "building:levels": "4"})
    ):
        x, y = 7.42 + 0.001 * k, 43.735
        corners = [(x, y), (x + 0.0003, y), (x + 0.0003, y + 0.0003), (x, y + 0.0003)]
        first = 100 + 10 * k
        nodes += [(first + i, cx, cy, {}) for i, (cx, cy) in enumerate(corners)]
        ways.append((1000 + k, [first, first + 1, first + 2, first + 3, first], tags))
    nodes += [(200, 7.419, 43.734, {}), (201, 7.423, 43.734, {})]
    ways.append((2000, [200, 201], {"highway": "residential", "name": "Quai"}))
    return nodes, ways


def write_pbf(path: Path, nodes: list[Node] | None = None, ways: list[Way] | None = None) -> Path:
    """Write an extract (by default :func:`square_extract`) to ``path``."""
    if nodes is None:
        nodes, ways = square_extract()
    path.write_bytes(pbf_bytes(nodes, ways or []))
    return path
