"""The copy of a page's files as ``data:`` URIs in a script, for a page opened from the disk.

Opened from the disk (``file://``), Chromium lets a page fetch none of its own folder's files (each
file is an origin of its own) but run the scripts it names: a page then reads its tiles, pictures
and other files from a script that sets ``window.MAQUETTE_TILES`` (path → ``data:`` URI), written
beside it by :func:`tiles_script`, when :func:`bundle_bytes` says it stays under
:data:`DISK_BUNDLE_MAX_BYTES`. Used by the story page (:mod:`.story_page`) and the 3D Tiles viewer
page (:mod:`.viewer_page`).
"""

from __future__ import annotations

import json
from pathlib import Path

#: the largest copy written (bytes): past it, the page opens from a web host or a local server only
#: (the copy of every tile as text would weigh more than a folder to hand over should)
DISK_BUNDLE_MAX_BYTES = 48_000_000

#: the type of each file the page reads, by its name's ending (a data: URI names it)
MEDIA_TYPES = {
    ".png": "image/png",
    ".webp": "image/webp",
    ".jpg": "image/jpeg",
    ".geojson": "application/geo+json",
    ".json": "application/json",
}


def tiles_script(folder: Path, tilesets: list[Path], files: list[Path] | None = None) -> str:
    """``window.MAQUETTE_TILES``: each tileset (its path relative to ``folder``) as a ``data:`` URI whose
    tiles are ``data:`` URIs too, and each of ``files`` (overlay pictures, vector GeoJSON) as a
    ``data:`` URI. Opened from the disk, Chromium lets a page fetch none of its files but run its
    scripts: the page then reads them from here."""
    import base64

    def data_uri(kind: str, data: bytes) -> str:
        return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"

    bundle = {}
    for path in tilesets:
        document = json.loads(path.read_text(encoding="utf-8"))
        nodes = [document["root"]]
        while nodes:
            node = nodes.pop()
            content = node.get("content")
            if content is not None:
                content["uri"] = data_uri("model/gltf-binary", (path.parent / content["uri"]).read_bytes())
            nodes += node.get("children", [])
        text = json.dumps(document, separators=(",", ":")).encode("utf-8")
        bundle[path.relative_to(folder).as_posix()] = data_uri("application/json", text)
    for file in files or []:
        kind = MEDIA_TYPES.get(file.suffix.lower(), "application/octet-stream")
        bundle[file.relative_to(folder).as_posix()] = data_uri(kind, file.read_bytes())
    return f"window.MAQUETTE_TILES = {json.dumps(bundle)};\n"


def bundle_bytes(tilesets: list[Path], files: list[Path]) -> int:
    """The size :func:`tiles_script` would write for ``tilesets`` and ``files``, from the files'
    sizes (base64 takes 4 bytes for 3), without reading them."""
    size = 0
    for path in tilesets:
        size += path.stat().st_size
        size += sum(tile.stat().st_size for tile in path.parent.rglob("*.glb"))
    size += sum(file.stat().st_size for file in files)
    return size * 4 // 3


def glb_contents_only(tileset: Path) -> bool:
    """Whether every content of ``tileset`` is a glb of its folder (no external tileset, no b3dm):
    what :func:`tiles_script` can copy."""
    document = json.loads(tileset.read_text(encoding="utf-8"))
    nodes = [document.get("root", {})]
    while nodes:
        node = nodes.pop()
        uri = str((node.get("content") or {}).get("uri", ".glb"))
        if not uri.lower().endswith(".glb") or ":" in uri:
            return False
        nodes += node.get("children", [])
    return True
