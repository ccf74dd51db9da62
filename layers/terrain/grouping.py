"""Tiles named together open as one layer: the specs of a new project's files, grouped.

``maquette render A.tif B.tif`` (and File › Open with several files) builds one layer spec per file;
:func:`group_tiles` folds the specs of tiles of one product (same kind, names differing only by
their digits: :func:`layers.terrain.products.tile_group`, side by side rather than over each other)
into the first one's ``tiles`` option, so that they open as one mosaic
(:mod:`layers.terrain.mosaic`), not as overlapping layers. A surface model (MNS/DSM) named with a
terrain model (MNT/DTM) opens hidden: drawn, it would cover the ground, what lies on it and the
canopy with roofs and tree tops (:func:`hide_surface_models`); alone, it is shown as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from layers.terrain.mosaic import relative_tiles
from layers.terrain.products import SURFACE, TERRAIN, product_of, tile_group

#: kinds whose rasters are tiles of a product
TILED_KINDS = ("terrain", "canopy")
#: tiles overlapping by more than this share of the smaller one are not tiles of one mosaic (two
#: years of the same place, say): they stay separate layers
MAX_OVERLAP = 0.01


def group_tiles(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``specs`` with every group of tiles as one spec (the first tile's, in name order, with the
    others in ``options["tiles"]``); other specs unchanged, in their order."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, spec in enumerate(specs):
        source = Path(spec["source"])
        if spec.get("kind") in TILED_KINDS and source.suffix.lower() in (".tif", ".tiff", ".asc", ".vrt"):
            options = repr(sorted((spec.get("options") or {}).items()))
            groups.setdefault((spec["kind"], tile_group(source.stem), options), []).append(i)
    folded: dict[int, list[int]] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members = sorted(members, key=lambda i: Path(specs[i]["source"]).name)
        boxes = [_bounds(Path(specs[i]["source"])) for i in members]
        if any(b is None for b in boxes) or _overlapping([b for b in boxes if b is not None]):
            continue
        folded[members[0]] = members[1:]
    dropped = {i for rest in folded.values() for i in rest}
    out = []
    for i, spec in enumerate(specs):
        if i in dropped:
            continue
        if i in folded:
            source = Path(spec["source"])
            tiles = relative_tiles(source, [Path(specs[j]["source"]) for j in folded[i]])
            spec = {**spec, "options": {**(spec.get("options") or {}), "tiles": tiles}}
        out.append(spec)
    return hide_surface_models(out)


def hide_surface_models(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``specs`` with every terrain spec named as a surface model set ``visible: False`` when a
    terrain model is among them (see the module docstring)."""
    products = [product_of(Path(s["source"]).stem) if s.get("kind") == "terrain" else None for s in specs]
    if TERRAIN not in products:
        return specs
    return [{**s, "visible": False} if p == SURFACE else s for s, p in zip(specs, products, strict=True)]


def _bounds(path: Path) -> tuple[float, float, float, float] | None:
    import rasterio

    try:
        with rasterio.open(path) as ds:
            return tuple(ds.bounds)
    except Exception:  # noqa: BLE001 - a file that cannot be read opens alone, and says why
        return None


def _overlapping(boxes: list[tuple[float, float, float, float]]) -> bool:
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            w = min(a[2], b[2]) - max(a[0], b[0])
            h = min(a[3], b[3]) - max(a[1], b[1])
            if w > 0 and h > 0:
                smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
                if w * h > MAX_OVERLAP * smaller:
                    return True
    return False
