"""Computed results as data: the heat surface and rasters as GeoTIFF, shadows and comments as vectors."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio

from layers.core.errors import InputError
from layers.core.timeutil import parse_time
from layers.session.comments import Comment
from layers.session.opening import open_paths
from viewer import export_data


@pytest.fixture(scope="module")
def session():
    session = open_paths([])
    for layer in session.scene.layers:
        if layer.project_id in ("air_surface", "surface_temp"):
            layer.visible = True
    return session


def test_exportable_lists_rasters_shadows_and_comments(session):
    comments = [Comment(id="c1", category="idea", text="Un banc ici", x=352000.0, y=6789300.0, z=0.0)]
    keys = [choice.key for choice in export_data.exportable(session.scene, comments)]
    assert keys == ["surface_temp", "air_surface", "shadows", "comments"]
    hidden = [choice.key for choice in export_data.exportable(session.scene, visible_only=False)]
    assert "noise" in hidden and "noise" not in keys


def test_the_labels_are_in_the_language_asked(session):
    comments = [Comment(id="c1", category="idea", text="Un banc ici", x=352000.0, y=6789300.0, z=0.0)]
    french = {c.key: c.label for c in export_data.exportable(session.scene, comments)}
    english = {c.key: c.label for c in export_data.exportable(session.scene, comments, language="en")}
    assert french["shadows"].startswith("Ombres portées au sol (à l'heure affichée)")
    assert english["shadows"].startswith("Ground shadows (at the time shown)")
    assert french["comments"].startswith("Commentaires (1)") and english["comments"].startswith(
        "Comments (1)"
    )
    assert "(at the time shown)" in english["air_surface"]  # a surface computed for the clock's time


def test_heat_surface_at_a_time_as_geotiff(session, tmp_path):
    scene = session.scene
    layer = next(layer for layer in scene.layers if layer.project_id == "air_surface")
    t = parse_time("2025-07-02T04:00", scene.timezone)
    choice = export_data.find_export(scene, "air_surface", tmp_path / "uhi.tif")
    stats = export_data.write(choice, tmp_path / "uhi.tif", scene, time=t)
    expected = layer.surface_at(t, layer.show)
    with rasterio.open(tmp_path / "uhi.tif") as src:
        values = src.read(1)
        assert src.crs.to_epsg() == 2154
        assert src.transform.c == pytest.approx(layer.grid.x0) and src.transform.f == pytest.approx(
            layer.grid.y0
        )
        assert src.transform.a == pytest.approx(layer.grid.dx)
        assert src.tags()["TIME"] == t.isoformat() and src.tags()["UNIT"] == "°C"
    assert np.array_equal(np.isnan(values), np.isnan(expected))
    assert np.allclose(values[np.isfinite(values)], expected[np.isfinite(expected)])
    assert stats["max"] > 2.0  # the night-time heat island of the story, a few degrees


def test_shadows_at_the_clock_time(session, tmp_path):
    scene = session.scene
    out = tmp_path / "ombres.gpkg"
    stats = export_data.write(
        export_data.find_export(scene, "shadows", out),
        out,
        scene,
        time=parse_time("2025-06-21T09:00", scene.timezone),
    )
    frame = gpd.read_file(out)
    assert len(frame) == stats["features"] > 10
    assert frame.crs.to_epsg() == 2154
    assert frame.area.sum() == pytest.approx(stats["shadow_area_m2"], rel=5e-3)


def test_comments_as_geojson_and_geopackage(session, tmp_path):
    comments = [Comment(id="c1", category="idea", text="Un banc ici", x=352000.0, y=6789300.0, z=1.5)]
    for name in ("commentaires.geojson", "commentaires.gpkg"):
        out = tmp_path / name
        choice = export_data.find_export(session.scene, "comments", out, comments)
        export_data.write(choice, out, session.scene, comments=comments)
        frame = gpd.read_file(out)
        assert len(frame) == 1 and frame.iloc[0]["texte"] == "Un banc ici"
    data = json.loads(Path(tmp_path / "commentaires.geojson").read_text(encoding="utf-8"))
    lon, lat = data["features"][0]["geometry"]["coordinates"]
    assert -2 < lon < -1 and 48 < lat < 48.3  # Rennes, WGS84


def test_wrong_choices_say_what_is_possible(session, tmp_path):
    with pytest.raises(InputError, match="air_surface"):
        export_data.find_export(session.scene, None, tmp_path / "x.tif")
    with pytest.raises(InputError, match="GeoTIFF|.tif"):
        export_data.find_export(session.scene, "shadows", tmp_path / "x.tif")
    with pytest.raises(InputError, match="nothing of that name"):
        export_data.find_export(session.scene, "nope", tmp_path / "x.gpkg")
