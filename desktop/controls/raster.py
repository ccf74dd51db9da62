"""Any other raster overlay: the common rows (opacity, what it holds, warnings)."""

from __future__ import annotations

from desktop.controls.base import LayerControls
from layers.raster.layer import RasterLayer


class RasterControls(LayerControls):
    layer_type = RasterLayer
