"""The terrain: the common rows (opacity, what it holds, warnings)."""

from __future__ import annotations

from desktop.controls.base import LayerControls
from layers.terrain.layer import TerrainLayer


class TerrainControls(LayerControls):
    layer_type = TerrainLayer
    layer: TerrainLayer
