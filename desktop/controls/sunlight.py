"""Hours of sun: the common rows (opacity, what it holds, warnings)."""

from __future__ import annotations

from desktop.controls.base import LayerControls
from layers.sunlight.layer import SunlightLayer


class SunlightControls(LayerControls):
    layer_type = SunlightLayer
