"""The canopy: the common rows (opacity, what it holds, warnings)."""

from __future__ import annotations

from desktop.controls.base import LayerControls
from layers.canopy.layer import CanopyLayer


class CanopyControls(LayerControls):
    layer_type = CanopyLayer
    layer: CanopyLayer
