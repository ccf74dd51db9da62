"""The story page's draped overlays: a Lambert-93 picture warped onto a longitude/latitude rectangle
lands where it lies in the scene CRS, classes kept exact; the pictures of the sample story come from
the app's own colouring (NF S 31-130 bands, the heat palette) with the app's legends."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pyproj import Transformer

from layers.core.palettes import NOISE_BANDS
from layers.web.overlays import StoryOverlays, lonlat_picture


def test_a_lambert93_picture_is_warped_where_it_lies() -> None:
    # a 100 × 200 m picture in Rennes: west half red, east half blue, one green pixel at the north-east
    bounds = (351_000.0, 6_789_000.0, 351_200.0, 6_789_100.0)
    rgba = np.zeros((10, 20, 4), np.uint8)
    rgba[:, :10] = (255, 0, 0, 255)
    rgba[:, 10:] = (0, 0, 255, 255)
    rgba[0, 19] = (0, 255, 0, 255)
    out, (west, south, east, north) = lonlat_picture(rgba, bounds, "EPSG:2154")
    to_lonlat = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(
        [bounds[0], bounds[2], bounds[0], bounds[2]], [bounds[1], bounds[1], bounds[3], bounds[3]]
    )
    assert west <= min(lon) and east >= max(lon) and south <= min(lat) and north >= max(lat)
    assert east - west < 0.01 and north - south < 0.01
    # only the source's colours, nothing blended; the corners outside the turned square are empty
    colours = {tuple(c) for c in out.reshape(-1, 4)}
    assert colours <= {(255, 0, 0, 255), (0, 0, 255, 255), (0, 255, 0, 255), (0, 0, 0, 0)}
    # the pixel at a point's longitude/latitude is the source's pixel at that point
    rows, cols = out.shape[:2]
    for x, y, expected in ((351_050, 6_789_050, (255, 0, 0, 255)), (351_150, 6_789_050, (0, 0, 255, 255))):
        plon, plat = to_lonlat.transform(x, y)
        col = int((plon - west) / (east - west) * cols)
        row = int((north - plat) / (north - south) * rows)
        assert tuple(out[row, col]) == expected


def test_the_sample_story_overlays_are_the_apps(sample_city: Path) -> None:
    from desktop.cli.common import open_session
    from layers.session.story import Story
    from viewer.story_overlays import story_overlays

    session, _ = open_session([str(sample_city / "sample_city.maquette.json")], None)
    scene = session.scene
    visible = [layer.visible for layer in scene.layers]
    story = Story.from_list(session.project.data["story"], scene.timezone)
    overlays: StoryOverlays = story_overlays(scene, story, language="fr")
    assert [layer.visible for layer in scene.layers] == visible, "the scene is left as it was"
    keys = [[overlays.pictures[item.picture].key for item in step] for step in overlays.steps]
    assert keys == [[], ["noise"], ["surface_temp"], ["air_surface"], []]
    noise = overlays.pictures[overlays.steps[1][0].picture]
    band_colours = {tuple(int(band.hex[i : i + 2], 16) for i in (1, 3, 5)) for band in NOISE_BANDS}
    drawn = {tuple(c[:3]) for c in noise.rgba.reshape(-1, 4) if c[3]}
    assert drawn <= band_colours and len(drawn) >= 5, drawn
    titles = [[item["title"] for item in legends] for legends in overlays.legends]
    legend = overlays.legends[1][titles[1].index("Bruit Lden (dB(A))")]
    assert [label for _colour, label in legend["entries"]][:2] == ["< 45 dB(A)", "45-50 dB(A)"]
    assert [colour.upper() for colour, _label in legend["entries"]] == [
        band.hex.upper() for band in NOISE_BANDS
    ]
    heat = overlays.legends[2][titles[2].index("Température de surface (°C)")]
    assert len(heat["ramp"]) > 10 and heat["ticks"]
    assert "basemap" in overlays.not_shown and set(overlays.not_shown) <= {"basemap", "buildings"}
    # the lines, polygons and points of each step: the layers the app shows then, in its colours
    vector_keys = [sorted({overlays.vectors[i].key for i in step}) for step in overlays.step_vectors]
    assert vector_keys == [
        ["landuse", "streets"],
        ["landuse", "noise_sensors"],
        ["air_temp"],
        ["landuse"],
        ["bike_counters", "landuse", "streets", "transit"],
    ]
    by_key = {(v.key, v.kind()): v for v in overlays.vectors}
    routes = by_key["transit", "lines"].frame
    assert set(routes["colour"]) == {"#c8102e", "#0072bc", "#f2a900"}  # the GTFS route colours
    landuse = by_key["landuse", "polygons"].frame
    category = {
        entry[1]: entry[0] for entry in overlays.legends[0][titles[0].index("Occupation du sol")]["entries"]
    }
    assert set(landuse["colour"]) == set(category.values())  # the categories' colours, as the legend
    noise_sensors = by_key["noise_sensors", "points"].frame
    assert len(set(noise_sensors["colour"])) > 1  # coloured by their reading at the step's time
    assert "Occupation du sol" in titles[0] and "Trafic moyen journalier (véhicules/jour)" in titles[0]
