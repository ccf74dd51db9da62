"""Kind → controls widget table (the desktop side of ``layers.core.registry.LAYER_CLASSES``).

Kinds without options of their own use the common :class:`desktop.controls.base.LayerControls`
(visibility, opacity, what the layer holds, its warnings) until they get a module here.
"""

from __future__ import annotations

from layers.core.registry import resolve

CONTROL_CLASSES: dict[str, str] = {
    "buildings": "desktop.controls.buildings:BuildingsControls",
    "vector": "desktop.controls.vector:VectorControls",
    "streets": "desktop.controls.streets:StreetsControls",
    "noise": "desktop.controls.noise:NoiseControls",
    "heat": "desktop.controls.heat:HeatControls",
    "raster": "desktop.controls.base:LayerControls",
    "terrain": "desktop.controls.base:LayerControls",
    "sensors": "desktop.controls.sensors:SensorsControls",
    "transit": "desktop.controls.transit:TransitControls",
    "sunlight": "desktop.controls.base:LayerControls",
}


def controls_class(kind: str) -> type:
    return resolve(CONTROL_CLASSES, kind)
