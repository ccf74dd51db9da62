"""Chart speed: why the chart dock draws with pyqtgraph rather than matplotlib's Qt canvas.

Run on demand, under a display (Xvfb is fine)::

    xvfb-run -a .venv/bin/python bench/sensors_chart.py [--points 50000] [--series 4] [--repeat 5]

For ``--series`` series of ``--points`` points each (a year of 10-minute readings is 52,560), in a
1200 × 300 widget:

* **draw**: set the data and repaint the widget (``QWidget.repaint`` forces a synchronous paint);
* **cursor**: move the clock cursor (a vertical line) and repaint — what happens at every frame
  of a replay.

pyqtgraph (``PlotDataItem`` with clip-to-view and peak downsampling, an ``InfiniteLine`` cursor)
against matplotlib's ``FigureCanvasQTAgg`` (``Line2D`` per series, ``axvline`` cursor, full
``draw``) in the same run. Times are the best of ``--repeat`` (shared machine).
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np


def bench_pyqtgraph(app, x, ys, repeat, cache=False):
    import pyqtgraph as pg
    from PySide6.QtWidgets import QGraphicsItem

    widget = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom", utcOffset=0)})
    widget.resize(1200, 300)
    widget.getPlotItem().setDownsampling(auto=True, mode="peak")
    widget.getPlotItem().setClipToView(True)
    widget.show()
    app.processEvents()
    cursor = pg.InfiniteLine(angle=90, movable=False)
    widget.addItem(cursor)
    draws, moves = [], []
    for _ in range(repeat):
        widget.clear()
        widget.addItem(cursor)
        t0 = time.perf_counter()
        for y in ys:
            item = pg.PlotDataItem(x, y, pen=pg.mkPen(width=2), connect="finite")
            if cache:
                item.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            widget.addItem(item)
        widget.repaint()
        app.processEvents()
        draws.append(time.perf_counter() - t0)
        for k in range(20):
            t0 = time.perf_counter()
            cursor.setValue(x[len(x) * k // 20])
            widget.repaint()
            app.processEvents()
            moves.append(time.perf_counter() - t0)
    widget.close()
    return min(draws), float(np.median(moves))


def bench_matplotlib(app, x, ys, repeat):
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(12, 3), dpi=100)
    canvas = FigureCanvasQTAgg(figure)
    canvas.resize(1200, 300)
    canvas.show()
    app.processEvents()
    axes = figure.add_subplot()
    draws, moves = [], []
    for _ in range(repeat):
        axes.clear()
        t0 = time.perf_counter()
        for y in ys:
            axes.plot(x, y, linewidth=1.5)
        cursor = axes.axvline(x[0], color="k")
        canvas.draw()
        canvas.repaint()
        app.processEvents()
        draws.append(time.perf_counter() - t0)
        for k in range(5):
            t0 = time.perf_counter()
            cursor.set_xdata([x[len(x) * k // 5]] * 2)
            canvas.draw()
            canvas.repaint()
            app.processEvents()
            moves.append(time.perf_counter() - t0)
    canvas.close()
    return min(draws), float(np.median(moves))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=50_000)
    parser.add_argument("--series", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    rng = np.random.default_rng(0)
    x = 1.7e9 + np.arange(args.points) * 600.0
    ys = [
        15 + 8 * np.sin(np.arange(args.points) / 144 * 2 * np.pi) + rng.normal(0, 1, args.points) + k
        for k in range(args.series)
    ]
    pg_draw, pg_move = bench_pyqtgraph(app, x, ys, args.repeat)
    cached_draw, cached_move = bench_pyqtgraph(app, x, ys, args.repeat, cache=True)
    mpl_draw, mpl_move = bench_matplotlib(app, x, ys, args.repeat)
    print(
        json.dumps(
            {
                "points": args.points,
                "series": args.series,
                "pyqtgraph": {"draw_ms": round(pg_draw * 1000, 1), "cursor_ms": round(pg_move * 1000, 2)},
                "pyqtgraph_cached_curves": {
                    "draw_ms": round(cached_draw * 1000, 1),
                    "cursor_ms": round(cached_move * 1000, 2),
                },
                "matplotlib_qtagg": {
                    "draw_ms": round(mpl_draw * 1000, 1),
                    "cursor_ms": round(mpl_move * 1000, 2),
                },
                "ratio_draw": round(mpl_draw / pg_draw, 1),
                "ratio_cursor": round(mpl_move / pg_move, 1),
                "ratio_cursor_cached": round(mpl_move / cached_move, 1),
            },
            indent=2,
        ),
        flush=True,
    )
    os._exit(0)  # PySide / matplotlib teardown order can abort at interpreter exit


if __name__ == "__main__":
    main()
