"""The topo kind's controls: line widths and road edges written to the style."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import LineString

from desktop.controls import controls_class
from layers.topo.layer import TopoLayer


def _roads() -> TopoLayer:
    frame = gpd.GeoDataFrame(
        {"category": ["chemin"]},
        geometry=[LineString([(351_000.0, 6_789_000.0), (351_100.0, 6_789_000.0)])],
        crs="EPSG:2154",
    )
    return TopoLayer.from_frame(frame, "road", name="routes")


def test_topo_controls_write_the_style(qtbot):
    layer = _roads()
    controls = controls_class(TopoLayer)(layer)
    qtbot.addWidget(controls)
    assert type(controls).__name__ == "TopoControls"
    changes: list[frozenset[str]] = []
    layer.style_changed.connect(changes.append)
    controls.widths.setCurrentIndex(controls.widths.findData("wide"))
    assert layer.style.widths == "wide"
    controls.casing.setChecked(False)
    assert layer.style.casing is False
    assert changes == [frozenset({"widths"}), frozenset({"casing"})]
