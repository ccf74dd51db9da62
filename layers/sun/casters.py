"""What casts a shadow: every layer that gives its prisms (:class:`~layers.core.base.CastsShadows`).

Buildings, trees (their crowns) and the canopy of a LiDAR height model all shade the ground. The
shade and sunlight studies and the 3D view's ground shadows gather them here, as one set of prisms
(footprint, base, top) in one CRS, which :class:`layers.sun.shadow_map.Footprints` and
:class:`layers.sun.shadow_raster.RingTable` work on: one algorithm for every caster.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.base import CastsShadows, Layer


@dataclass
class Prisms:
    """Shadow casters as vertical prisms, all in :attr:`crs`.

    Attributes
    ----------
    polygons
        (n,) shapely Polygons (footprints, crowns) in :attr:`crs`.
    base_m, top_m
        (n,) bottom and top of each prism above the ground, metres.
    crs
        Their CRS (the first layer's, or the one asked for).
    counts
        ``{layer name: prisms}`` of each layer gathered, in order.
    """

    polygons: np.ndarray
    base_m: np.ndarray
    top_m: np.ndarray
    crs: CRS
    counts: dict[str, int]

    def __len__(self) -> int:
        return len(self.polygons)


def casters(layers: Iterable[Layer], *, visible_only: bool = True) -> list[Layer]:
    """The layers of ``layers`` that cast shadows (visible ones only, unless told otherwise)."""
    return [
        layer
        for layer in layers
        if isinstance(layer, CastsShadows) and (layer.visible or not visible_only) and layer.crs is not None
    ]


def gather(layers: Iterable[Layer], crs: CRS | None = None) -> Prisms | None:
    """The prisms of every :class:`~layers.core.base.CastsShadows` layer of ``layers`` (visible or
    not: the caller chooses), in ``crs`` (default: the first layer's); ``None`` when none has any."""
    layers = list(layers)
    roofs_out_of_canopies(layers)
    polygons: list[np.ndarray] = []
    bases: list[np.ndarray] = []
    tops: list[np.ndarray] = []
    counts: dict[str, int] = {}
    target = crs
    for layer in layers:
        if not isinstance(layer, CastsShadows) or layer.crs is None:
            continue
        shapes, base, top = layer.shadow_prisms()
        if not len(shapes):
            continue
        target = target or crs_util.horizontal(layer.crs)
        shapes = np.asarray(shapes, dtype=object)
        if not crs_util.horizontal(layer.crs).equals(target):
            import geopandas as gpd  # only for layers in another CRS

            shapes = np.asarray(
                gpd.GeoSeries(shapes, crs=crs_util.horizontal(layer.crs)).to_crs(target).values
            )
        polygons.append(shapes)
        bases.append(np.asarray(base, float))
        tops.append(np.asarray(top, float))
        counts[layer.name] = counts.get(layer.name, 0) + len(shapes)
    if target is None or not polygons:
        return None
    return Prisms(np.concatenate(polygons), np.concatenate(bases), np.concatenate(tops), target, counts)


def roofs_out_of_canopies(layers: list[Layer]) -> None:
    """A height model's tall pixels on buildings are roofs, not trees: the footprints of the
    buildings among ``layers`` are taken out of the canopies among them (each in its own CRS), so a
    study run without a 3D view (the command line) shades as the view draws."""
    from layers.buildings.layer import BuildingsLayer
    from layers.canopy.layer import CanopyLayer

    canopies = [layer for layer in layers if isinstance(layer, CanopyLayer) and layer.crs is not None]
    buildings = [layer for layer in layers if isinstance(layer, BuildingsLayer) and layer.crs is not None]
    if not canopies or not buildings:
        return
    import geopandas as gpd

    for canopy in canopies:
        target = crs_util.horizontal(canopy.crs)  # type: ignore[arg-type]
        footprints = [
            gpd.GeoSeries(building.shadow_prisms()[0], crs=crs_util.horizontal(building.crs))
            .to_crs(target)
            .values
            for building in buildings
            if building.crs is not None
        ]
        canopy.exclude(np.concatenate([np.asarray(f) for f in footprints]), replace=True)
