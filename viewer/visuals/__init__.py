"""Kind → visual class table (the viewer side of ``layers.core.registry.LAYER_CLASSES``)."""

from __future__ import annotations

from layers.core.registry import resolve

VISUAL_CLASSES: dict[str, str] = {
    "buildings": "viewer.visuals.buildings:BuildingsVisual",
    "vector": "viewer.visuals.vector:VectorVisual",
    "streets": "viewer.visuals.streets:StreetsVisual",
    "noise": "viewer.visuals.noise:NoiseVisual",
    "heat": "viewer.visuals.heat:HeatVisual",
    "raster": "viewer.visuals.raster:RasterVisual",
    "terrain": "viewer.visuals.terrain:TerrainVisual",
    "sensors": "viewer.visuals.sensors:SensorsVisual",
    "transit": "viewer.visuals.transit:TransitVisual",
    "sunlight": "viewer.visuals.sunlight:SunlightVisual",
}


def visual_class(kind: str) -> type:
    """The visual class drawing layers of ``kind``."""
    return resolve(VISUAL_CLASSES, kind)
