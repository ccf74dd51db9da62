"""Kind → class tables, so that no code needs an ``isinstance`` chain.

The same kind name is used in ``layers/<kind>.py: <Kind>Layer``, ``viewer/visuals/<kind>.py:
<Kind>Visual`` and ``desktop/controls/<kind>.py: <Kind>Controls``. Classes are imported lazily so
that start-up only pays for the kinds it opens.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

from layers.core.base import Layer
from layers.core.errors import InputError

#: kind → "module:Class" of the layer model
LAYER_CLASSES: dict[str, str] = {
    "buildings": "layers.buildings.layer:BuildingsLayer",
    "vector": "layers.vector.layer:VectorLayer",
    "noise": "layers.noise.layer:NoiseLayer",
    "heat": "layers.heat.layer:HeatLayer",
    "raster": "layers.raster.layer:RasterLayer",
    "terrain": "layers.terrain.layer:TerrainLayer",
    "sensors": "layers.sensors.layer:SensorLayer",
    "streets": "layers.streets.layer:StreetsLayer",
    "transit": "layers.transit.layer:TransitLayer",
    "sunlight": "layers.sunlight.layer:SunlightLayer",
}


def resolve(table: dict[str, str], kind: str) -> type:
    """Import and return the class registered for ``kind`` in ``table``."""
    try:
        target = table[kind]
    except KeyError:
        raise KeyError(f"unknown layer kind {kind!r} (known: {', '.join(sorted(table))})") from None
    module_name, _, class_name = target.partition(":")
    return getattr(import_module(module_name), class_name)


def layer_class(kind: str) -> type[Layer]:
    """The layer class for ``kind``."""
    return resolve(LAYER_CLASSES, kind)


def open_layer(path: str | Path, kind: str | None = None, **options: Any) -> Layer:
    """Read ``path`` as a layer of ``kind`` (detected from the file when ``None``).

    ``options`` are passed to the class's ``load`` (``name``, ``crs``, ``style``, kind-specific
    options such as ``height_field`` or ``locations``). Raises :class:`InputError` for bad input.
    """
    from layers.core.detect import detect_kind  # local: detection reads files, registry must stay cheap
    from layers.core.safety import check_local

    check_local(path)  # never a web address or a GDAL virtual path: Maquette works offline
    path = Path(path)
    if kind is None:
        kind = detect_kind(path)
    try:
        cls = layer_class(kind)
    except KeyError as exc:
        raise InputError(path, str(exc.args[0])) from None
    return cls.load(path, **options)
