"""An air-temperature surface interpolated from loggers, following the clock.

One textured quad (smooth filtering: the field is continuous) and one glyph cloud of small pucks
at the loggers, both coloured through the same table as the legend. Moving the clock asks the model
for the surface at the new time (:meth:`layers.heat.stations.StationHeatLayer.values_at`, one
matrix-vector product) and rewrites the texture and the pucks' colours in place: no new actor.
A logger without a reading is a grey puck; cells out of the loggers' reach stay transparent.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from layers.heat.stations import StationHeatLayer
from layers.heat.style import SHOW_UHI
from viewer.visuals.glyphs import GlyphCloud, column_source
from viewer.visuals.heat.grid import HeatVisual, heat_name
from viewer.visuals.raster import map_colors

if TYPE_CHECKING:
    from viewer.scene_view import SceneView

NO_READING_RGBA = np.array([150, 150, 150, 255], dtype=np.uint8)


class HeatSurfaceVisual(HeatVisual[StationHeatLayer]):
    """Draws a :class:`layers.heat.stations.StationHeatLayer`: the surface and the loggers' pucks;
    redrawn when the layer's reference logger changes (``reference_changed``)."""

    layer_type = StationHeatLayer

    smooth = True

    cloud: GlyphCloud | None = None
    #: per texel of the (decimated) texture, the texel whose value it shows (cells out of reach
    #: take the nearest one within reach); None until first needed
    _fill: np.ndarray | None = None
    _outside: np.ndarray
    _heights: np.ndarray

    def __init__(self, layer: StationHeatLayer, view: SceneView) -> None:
        super().__init__(layer, view)
        layer.reference_changed.connect(self._on_reference)

    def dispose(self) -> None:
        super().dispose()
        self.layer.reference_changed.disconnect(self._on_reference)

    def _on_reference(self, sensor_id: str | None) -> None:
        self.rebuild()
        self.view.request_render()

    def build(self) -> None:
        layer = self.layer
        clock_time = self.view.scene.clock.time
        if clock_time is not None:
            layer.values_at(clock_time)
        self._fill = None
        super().build()
        self.set_values(layer.grid_values())  # the first texture with transparent empty cells
        self.cloud = None
        if layer.style.stations:
            self._build_pucks()
        self._readings = np.full(len(layer.stations.sensor_ids), np.nan)
        if clock_time is not None:
            self._update_pucks(clock_time)

    def _build_pucks(self) -> None:
        """A coloured puck on a dark, slightly wider disc (its outline from above) per logger; the
        reference logger's puck stands taller."""
        xmin, ymin, xmax, ymax = self.layer.bounds()
        extent = max(xmax - xmin, ymax - ymin, 200.0)
        self.puck_radius_m = float(np.clip(extent * 0.005, 3.0, 60.0))
        self.puck_height_m = float(np.clip(extent * 0.006, 3.0, 40.0))
        points = self.view.to_local(np.asarray(self.layer.stations.xy), z=0.0)
        rim = GlyphCloud(column_source(self.puck_radius_m * 1.35), points)
        rim_height = np.full(len(points), self.puck_height_m * 0.5)
        rim.update(
            scale=np.column_stack([np.ones_like(rim_height), np.ones_like(rim_height), rim_height]),
            rgba=np.tile(np.array([[45, 45, 50, 255]], np.uint8), (len(points), 1)),
        )
        rim.actor.SetPickable(False)
        self.add_actor(rim.actor)
        cloud = GlyphCloud(column_source(self.puck_radius_m), points)
        heights = np.full(len(points), self.puck_height_m)
        if self.layer.reference is not None:
            heights[self.layer.reference] *= 2.5
        self._heights = heights
        cloud.update(scale=np.column_stack([np.ones_like(heights), np.ones_like(heights), heights]))
        prop = cloud.actor.GetProperty()
        prop.SetAmbient(0.6)
        prop.SetDiffuse(0.5)
        self.add_actor(cloud.actor)
        self.cloud = cloud

    def display_values(self, values: np.ndarray) -> np.ndarray:
        """Cells out of reach take the value of the nearest cell within reach (their texels stay
        transparent, see :meth:`set_values`): smooth texture filtering then blends colours of the
        field into the transparent border instead of a dark fringe."""
        fill = self._fill_index()
        return values.reshape(-1)[fill].reshape(values.shape)

    def _fill_index(self) -> np.ndarray:
        if self._fill is None:
            from scipy.ndimage import distance_transform_edt

            inside = self.layer.inside()[:: self._step, :: self._step]
            if inside.all() or not inside.any():
                self._fill = np.arange(inside.size)
            else:
                _, (rows, cols) = distance_transform_edt(~inside, return_indices=True)
                self._fill = (rows * inside.shape[1] + cols).reshape(-1)
            self._outside = ~inside
        return self._fill

    def set_values(self, values: np.ndarray) -> None:
        """Recolour the texture in place: values through the table, empty cells transparent."""
        values = np.asarray(values)[:: self._step, :: self._step]
        rgba = map_colors(self.lut, self.display_values(values))
        rgba[..., 3] = np.where(self._outside | ~np.isfinite(values), 0, rgba[..., 3])
        self.raster_texture.update(rgba)

    def set_time(self, t: datetime) -> None:
        self.set_values(self.layer.values_at(t))
        self._update_pucks(t)

    def _update_pucks(self, t: datetime) -> None:
        readings = self.layer.shown_readings_at(t)
        self._readings = readings
        if self.cloud is None:
            return
        rgba = map_colors(self.lut, readings.astype(np.float32))
        rgba[~np.isfinite(readings)] = NO_READING_RGBA
        rgba[:, 3] = 255
        self.cloud.update(rgba=rgba)

    # -- picking ---------------------------------------------------------------------------
    def pick_points(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The pucks' tops; their feature indices are ``-1 - logger`` (pixels are >= 0)."""
        if self.cloud is None:
            return None
        tops = self.view.to_local(np.asarray(self.layer.stations.xy), z=0.0)
        tops[:, 2] = self._heights
        return tops, -1 - np.arange(len(tops))

    def attributes(self, index: int) -> dict[str, Any]:
        if index < 0:
            return self.layer.station_attributes(-1 - int(index))
        info = super().attributes(index)
        reference = self.layer.reference_name()
        if self.layer.show == SHOW_UHI and reference is not None:
            info["reference"] = reference
        return info

    def probe(self, x: float, y: float) -> str | None:
        info = self.layer.attributes_at(x, y)
        value = info.get("value") if info else None
        if value is None:
            return None
        if self.layer.show == SHOW_UHI:
            return f"{heat_name('heat island intensity', self.view.language)} {value:+.1f} °C"
        return f"{heat_name('air temperature', self.view.language)} {value:.1f} °C"
