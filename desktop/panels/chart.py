"""The chart dock: the selected sensors' series over the whole range, the clock as a cursor.

Clicking a sensor in the 3D view adds it here; clicking in the chart moves the clock there.

Drawn with `pyqtgraph <https://www.pyqtgraph.org>`_: it paints tens of thousands of points per
series in milliseconds, clips to the view and downsamples on zoom, and moving the cursor redraws
one line over cached curves (see ``bench/sensors_chart.py``: 4 × 50,000 points drawn in ~25 ms
against ~190 ms with matplotlib's Qt canvas; the cursor moved in ~1 ms against ~180 ms). A
series with more readings than the chart has pixels is drawn from the layer's hourly or daily
level: the mean as a line, the minimum and maximum as an envelope.

Times on the axis are wall-clock times in the scene's zone (summer time included): x values are
UTC seconds shifted by the zone's offset at each instant.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from layers.core import timeutil
from layers.core.base import Layer
from layers.core.scene import Scene
from viewer.words import say

if TYPE_CHECKING:
    from layers.sensors.layer import SensorLayer

#: at most this many sensors at once (the oldest selected is dropped)
MAX_SERIES = 8
#: a series is drawn from an aggregated level beyond this many readings
MAX_POINTS = 6000
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")
NS_PER_S = 1_000_000_000


def wall_seconds(times_ns: np.ndarray, tz: str) -> np.ndarray:
    """Seconds of wall-clock time in zone ``tz`` (UTC seconds + the zone's offset at each time)."""
    index = pd.DatetimeIndex(
        np.asarray(times_ns, dtype=np.int64).astype("datetime64[ns]"), tz="UTC"
    ).tz_convert(timeutil.zone(tz))
    return index.tz_localize(None).as_unit("ns").asi8 / NS_PER_S


def from_wall_seconds(seconds: float, tz: str) -> datetime:
    """The aware time whose wall-clock reading in ``tz`` is ``seconds``."""
    naive = pd.Timestamp(int(seconds * NS_PER_S)).to_pydatetime()
    return timeutil.parse_time(naive.isoformat(), tz)


class ChartPanel(QWidget):
    """Series of selected sensors and the clock cursor.

    Signals
    -------
    time_requested(datetime)
        A click in the chart (the main window moves the clock; the panel also does when bound).
    """

    time_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, language: str = "fr") -> None:
        super().__init__(parent)
        self.language = language
        pg.setConfigOptions(antialias=True, background="w", foreground="#333333")
        self.scene: Scene | None = None
        self.series: list[tuple[SensorLayer, int]] = []
        self._items: list[Any] = []
        self.title = QLabel(self.tr("Click a sensor in the 3D view to chart its readings."), self)
        self.title.setWordWrap(True)
        self.clear_button = QToolButton(self)
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Remove every series from the chart"))
        self.clear_button.clicked.connect(self.clear)
        self.axis = pg.DateAxisItem(orientation="bottom", utcOffset=0)
        self.plot = pg.PlotWidget(axisItems={"bottom": self.axis})
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.getPlotItem().setDownsampling(auto=True, mode="peak")
        self.plot.getPlotItem().setClipToView(True)
        self.legend = self.plot.addLegend(offset=(10, 5))
        #: the clock's time on the chart
        self.clock_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#111111", width=2))
        self.clock_line.setZValue(10)
        self.plot.addItem(self.clock_line)
        self.clock_line.hide()
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        self.setMinimumHeight(160)

    # -- binding ---------------------------------------------------------------------------------
    def set_scene(self, scene: Scene | None) -> None:
        if self.scene is not None:
            self.scene.clock.changed.disconnect(self.set_time)
            self.scene.layer_removed.disconnect(self._on_layer_removed)
        self.scene = scene
        self.clear()
        if scene is not None:
            scene.clock.changed.connect(self.set_time)
            scene.layer_removed.connect(self._on_layer_removed)
            if scene.clock.time is not None:
                self.set_time(scene.clock.time)

    @property
    def timezone(self) -> str:
        return self.scene.timezone if self.scene is not None else timeutil.DEFAULT_TIMEZONE

    # -- series ------------------------------------------------------------------------------------
    def add_sensor(self, layer: SensorLayer, index: int) -> bool:
        """Chart sensor ``index`` of ``layer`` (a sensor layer); ``False`` when already shown."""
        if any(item is layer and i == index for item, i in self.series):
            return False
        self.series.append((layer, int(index)))
        if len(self.series) > MAX_SERIES:
            self.series.pop(0)
        self._redraw()
        return True

    def clear(self) -> None:
        self.series = []
        self._redraw()

    def _on_layer_removed(self, layer: Layer) -> None:
        kept = [(item, i) for item, i in self.series if item is not layer]
        if len(kept) != len(self.series):
            self.series = kept
            self._redraw()

    def _redraw(self) -> None:
        for item in self._items:
            self.plot.removeItem(item)
        self._items = []
        self.legend.clear()
        if not self.series:
            self.title.setText(self.tr("Click a sensor in the 3D view to chart its readings."))
            return
        tz = self.timezone
        units = []
        for k, (layer, index) in enumerate(self.series):
            times, mean, low, high, label = layer.envelope(index, MAX_POINTS)
            if layer.cycle_s:
                # a typical day: hours of the day placed on the clock's day
                base = self._day_start_ns()
                times = times + base
            x = wall_seconds(times, tz) if len(times) else np.empty(0)
            color = QColor(PALETTE[k % len(PALETTE)])
            name = f"{layer.names[index]}" + (f" ({say(label, self.language)})" if label else "")
            if low is not None and high is not None:
                envelope_color = QColor(color)
                envelope_color.setAlpha(60)
                lower = pg.PlotDataItem(
                    x, np.nan_to_num(low, nan=np.nanmean(mean) if np.isfinite(mean).any() else 0.0), pen=None
                )
                upper = pg.PlotDataItem(
                    x, np.nan_to_num(high, nan=np.nanmean(mean) if np.isfinite(mean).any() else 0.0), pen=None
                )
                fill = pg.FillBetweenItem(lower, upper, brush=envelope_color)
                fill.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
                for item in (lower, upper, fill):
                    self.plot.addItem(item)
                    self._items.append(item)
            curve = pg.PlotDataItem(x, mean, pen=pg.mkPen(color, width=2), name=name, connect="finite")
            # cached as a pixmap: moving the clock cursor every frame then repaints in about a
            # millisecond instead of redrawing every point (bench/sensors_chart.py)
            curve.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.plot.addItem(curve)
            self._items.append(curve)
            unit = layer.unit or ""
            if unit and unit not in units:
                units.append(unit)
        self.plot.setLabel("left", " / ".join(units))
        from viewer.visuals.sensors import legend_title

        first = self.series[0][0]
        self.title.setText(
            legend_title(first, language=self.language)
            + f" — {len(self.series)} "
            + self.tr("sensor(s)")
            + f" · {tz}"
        )
        self.plot.enableAutoRange()
        if self.scene is not None and self.scene.clock.time is not None:
            self.set_time(self.scene.clock.time)

    def _day_start_ns(self) -> int:
        clock = self.scene.clock if self.scene is not None else None
        t = (
            clock.time
            if clock is not None and clock.time is not None
            else datetime.now(timeutil.zone(self.timezone))
        )
        local = t.astimezone(timeutil.zone(self.timezone)).replace(hour=0, minute=0, second=0, microsecond=0)
        return timeutil.to_ns(local)

    # -- clock ---------------------------------------------------------------------------------------
    def set_time(self, t: datetime) -> None:
        if not self.series:
            self.clock_line.hide()
            return
        self.clock_line.setValue(float(wall_seconds(np.array([timeutil.to_ns(t)]), self.timezone)[0]))
        self.clock_line.show()

    def _on_click(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self.series:
            return
        point = self.plot.getPlotItem().vb.mapSceneToView(event.scenePos())
        t = from_wall_seconds(float(point.x()), self.timezone)
        self.move_clock(t)

    def move_clock(self, t: datetime) -> None:
        """Move the scene clock to ``t`` (kept in its range) and say so."""
        clock = self.scene.clock if self.scene is not None else None
        if clock is not None and clock.start is not None and clock.end is not None:
            t = min(max(t, clock.start), clock.end)
        if clock is not None:
            clock.time = t
        self.time_requested.emit(t)
