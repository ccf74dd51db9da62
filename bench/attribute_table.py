"""The attribute table sorted by a click on a header, on 100,000 buildings.

A synthetic city of 100,000 footprints (``bench/buildings_data.py``, nothing written to disk) as a
buildings layer; its table model (:class:`desktop.panels.attribute_model.AttributeModel`, the
columns as numpy arrays) sorted by height (numbers), use (text, 7 values) and identifier (text, all
different), ascending then descending. Ours: one stable ``argsort`` of the column's ranks. Peer,
same run, same model: Qt's ``QSortFilterProxyModel`` over it sorting the same column (what a table
gets without its own sort: every comparison asks the model for two cells' text). Target: under
200 ms for 100,000 rows.

Usage::

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/attribute_table.py [--rows 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from time import perf_counter

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def layer(rows: int):
    import geopandas as gpd
    from buildings_data import footprints

    from layers.buildings.layer import BuildingsLayer

    polygons, columns = footprints(rows)
    frame = gpd.GeoDataFrame(columns, geometry=polygons, crs="EPSG:2154")
    frame.insert(0, "feature_index", np.arange(len(frame)))
    return BuildingsLayer("Bâtiments", frame, np.asarray(columns["HAUTEUR"], float))


def timed(sort, repeat: int) -> tuple[float, float]:
    """(median, best) milliseconds of ``sort()`` run ``repeat`` times."""
    times = []
    for _ in range(repeat):
        start = perf_counter()
        sort()
        times.append((perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def peer_sort(model, column: int, order, repeat: int) -> tuple[float, float]:
    """(median, best) ms of a fresh ``QSortFilterProxyModel`` over ``model`` sorting ``column``
    (set up outside the time; dropped after, so it never re-sorts while ours is timed)."""
    from PySide6.QtCore import QSortFilterProxyModel

    times = []
    for _ in range(repeat):
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(model)
        start = perf_counter()
        proxy.sort(column, order)
        times.append((perf_counter() - start) * 1000)
        proxy.setSourceModel(None)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--peer-repeat", type=int, default=1, help="the proxy is slow: fewer runs")
    args = parser.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desktop.panels.attribute_model import AttributeModel
    from desktop.panels.attribute_table import layer_columns

    app = QApplication.instance() or QApplication([])
    buildings = layer(args.rows)
    columns, titles = layer_columns(buildings, "fr")
    model = AttributeModel(columns, titles, "fr")
    results = []
    for field in ("height_m", "USAGE1", "ID"):
        column = model.fields.index(field)
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            ours = timed(lambda c=column, o=order: model.sort(c, o), args.repeat)
            theirs = peer_sort(model, column, order, args.peer_repeat)
            row = {
                "rows": args.rows,
                "field": field,
                "order": "descending" if order == Qt.SortOrder.DescendingOrder else "ascending",
                "ours_ms": round(ours[0], 1),
                "ours_best_ms": round(ours[1], 1),
                "peer_ms": round(theirs[0], 1),
            }
            results.append(row)
            print(json.dumps(row), flush=True)
    del app


if __name__ == "__main__":
    main()
