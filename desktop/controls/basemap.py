"""A basemap: the common rows (opacity, what it holds, warnings)."""

from __future__ import annotations

from desktop.controls.base import LayerControls
from layers.basemap.layer import BasemapLayer


class BasemapControls(LayerControls):
    layer_type = BasemapLayer
    layer: BasemapLayer
