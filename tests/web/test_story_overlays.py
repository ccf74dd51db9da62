"""The story page's draped overlays: a Lambert-93 picture warped onto a longitude/latitude rectangle
lands where it lies in the scene CRS, classes kept exact; the pictures of the sample story come from
the app's own colouring (NF S 31-130 bands, the heat palette) with the app's legends, its basemap is
one picture under the others in the tiles' colours; crisp pictures are written as PNG, filtered ones
as WebP."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from pyproj import Transformer

from layers.core.palettes import NOISE_BANDS
from layers.web.overlays import (
    OverlayPicture,
    StoryOverlays,
    lonlat_picture,
    overlay_entries,
    write_overlay_images,
)

#: a 100 × 200 m place in Rennes (Lambert-93 metres)
RENNES = (351_000.0, 6_789_000.0, 351_200.0, 6_789_100.0)


@pytest.fixture(scope="module")
def sample_story(sample_city: Path) -> Iterator[tuple[Any, list[bool], StoryOverlays]]:
    """The sample city's scene, its layers' visibility before, and its story's overlays."""
    from desktop.cli.common import open_session
    from layers.session.story import Story
    from viewer.story_overlays import story_overlays

    session, _ = open_session([str(sample_city / "sample_city.maquette.json")], None)
    scene = session.scene
    visible = [layer.visible for layer in scene.layers]
    story = Story.from_list(session.project.data["story"], scene.timezone)
    yield scene, visible, story_overlays(scene, story, language="fr")


def test_a_lambert93_picture_is_warped_where_it_lies() -> None:
    # a 100 × 200 m picture in Rennes: west half red, east half blue, one green pixel at the north-east
    bounds = RENNES
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


def test_the_sample_story_overlays_are_the_apps(sample_story: tuple[Any, list[bool], StoryOverlays]) -> None:
    scene, visible, overlays = sample_story
    assert [layer.visible for layer in scene.layers] == visible, "the scene is left as it was"
    keys = [[overlays.pictures[item.picture].key for item in step] for step in overlays.steps]
    assert keys == [
        ["basemap"],
        ["basemap", "noise"],
        ["basemap", "surface_temp"],
        ["basemap", "air_surface"],
        ["basemap"],
    ]
    noise = overlays.pictures[overlays.steps[1][1].picture]
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
    assert set(overlays.not_shown) <= {"buildings"}, overlays.not_shown
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


def test_the_sample_story_shows_its_basemap_under_the_other_pictures(
    sample_story: tuple[Any, list[bool], StoryOverlays],
) -> None:
    from layers.basemap.layer import BasemapLayer
    from viewer.story_overlays import BASEMAP_MAX_SIDE, data_extent

    scene, _visible, overlays = sample_story
    basemaps = [i for i, picture in enumerate(overlays.pictures) if picture.key == "basemap"]
    assert basemaps == [0], "one basemap picture, first: the page draws it under the others"
    picture = overlays.pictures[0]
    assert not picture.crisp, "a map is drawn filtered"
    # every step shows the very same picture, under its other overlays, at the layer's opacity
    assert [step[0] for step in overlays.steps] == [overlays.steps[0][0]] * len(overlays.steps)
    assert overlays.steps[0][0].opacity == 1.0
    assert not any(legend["title"] == picture.name for legends in overlays.legends for legend in legends)
    rows, cols = picture.rgba.shape[:2]
    assert max(rows, cols) <= BASEMAP_MAX_SIDE and max(rows, cols) >= 1000, (rows, cols)
    # it covers the data: opaque over their whole extent
    layer = scene.find(picture.name)
    assert isinstance(layer, BasemapLayer)
    data = data_extent(scene)
    assert data is not None
    xmin, ymin, xmax, ymax = picture.bounds
    c0, c1 = (int((x - xmin) / (xmax - xmin) * cols) for x in (data[0], data[2]))
    r0, r1 = (int((ymax - y) / (ymax - ymin) * rows) for y in (data[3], data[1]))
    window = picture.rgba[r0:r1, c0:c1]
    assert window.shape[0] > 500 and window.shape[1] > 500, window.shape
    assert (window[..., 3] == 255).all()
    # in the tiles' colours: those the app draws (its own view of the same ground), not one flat tint
    seen = layer.view_image(data, 2.0)
    assert seen is not None and seen.rgba is not None
    app_mean = seen.rgba[..., :3].reshape(-1, 3).mean(axis=0)
    mean = window[..., :3].reshape(-1, 3).mean(axis=0)
    assert np.abs(mean - app_mean).max() < 4.0, (mean, app_mean)
    assert window[..., :3].std() > 10.0


def test_the_first_step_colours_the_buildings_by_height_as_the_app(
    sample_story: tuple[Any, list[bool], StoryOverlays],
) -> None:
    """Step 1 colours the buildings by their height (its style's color_by): each building in the
    app's colour map over its height, taller ones darker (YlGnBu), explained by a height legend;
    the other steps keep the plain colour."""
    from layers.buildings.layer import BuildingsLayer

    scene, _visible, overlays = sample_story
    assert [sorted(step) for step in overlays.step_building_colours] == [["buildings"], [], [], [], []]
    colours = overlays.building_colours["buildings"][overlays.step_building_colours[0]["buildings"]]
    layer = next(layer for layer in scene.layers if isinstance(layer, BuildingsLayer))
    assert colours.shape == (len(layer.height_m), 3)
    luminance = colours.astype(float) @ [0.299, 0.587, 0.114]
    heights = np.asarray(layer.height_m)
    low, high = heights < np.percentile(heights, 20), heights > np.percentile(heights, 80)
    assert luminance[high].mean() < luminance[low].mean() - 30, "taller buildings darker"
    assert len(np.unique(colours, axis=0)) > 20, "a ramp, not one colour"
    titles = [legend["title"] for legend in overlays.legends[0]]
    assert any(title.startswith("Hauteur") for title in titles), titles
    assert not any(title.startswith("Hauteur") for title in [t["title"] for t in overlays.legends[1]])


def test_filtered_pictures_are_webp_crisp_ones_png(tmp_path: Path) -> None:
    rgba = np.zeros((50, 100, 4), np.uint8)
    rgba[..., 0] = np.linspace(0, 255, 100, dtype=np.uint8)  # a smooth ramp west → east
    rgba[..., 2] = 120
    rgba[10:40, 20:80, 3] = 255  # opaque in the middle, clear around
    overlays = StoryOverlays()
    overlays.add(OverlayPicture("noise", "Bruit", rgba, RENNES, crisp=True))
    overlays.add(OverlayPicture("basemap", "Fond de plan", rgba, RENNES, crisp=False))
    entries, images = overlay_entries(overlays, "EPSG:2154")
    assert [(e["image"], e["mime"], e["crisp"]) for e in entries] == [
        ("overlays/0.png", "image/png", True),
        ("overlays/1.webp", "image/webp", False),
    ]
    assert images[0].startswith(b"\x89PNG") and images[1][:4] == b"RIFF" and images[1][8:12] == b"WEBP"
    write_overlay_images(tmp_path, entries, images)
    for entry, data in zip(entries, images):
        assert (tmp_path / entry["image"]).read_bytes() == data
    with Image.open(io.BytesIO(images[1])) as webp:
        assert webp.format == "WEBP" and webp.mode == "RGBA"
        smooth = np.asarray(webp)
    with Image.open(io.BytesIO(images[0])) as png:
        crisp = np.asarray(png)
    assert crisp.shape[0] == 2 * smooth.shape[0] and crisp.shape[1] == 2 * smooth.shape[1]
    # the alpha kept exactly (lossless), the colours close (lossy)
    expected, _rectangle = lonlat_picture(rgba, RENNES, "EPSG:2154", crisp=False)
    assert (smooth[..., 3] == expected[..., 3]).all()
    opaque = expected[..., 3] == 255
    assert np.abs(smooth[opaque][:, :3].astype(int) - expected[opaque][:, :3]).mean() < 4.0


def test_a_filtered_picture_is_warped_without_oversampling() -> None:
    crisp, rectangle = lonlat_picture(np.zeros((10, 20, 4), np.uint8), RENNES, "EPSG:2154")
    smooth, same = lonlat_picture(np.zeros((10, 20, 4), np.uint8), RENNES, "EPSG:2154", crisp=False)
    assert crisp.shape == (20, 40, 4) and smooth.shape == (10, 20, 4) and same == rectangle
    # a basemap of the largest size stays that size (and its memory bounded)
    big, _ = lonlat_picture(np.zeros((1800, 2048, 4), np.uint8), RENNES, "EPSG:2154", crisp=False)
    assert big.shape == (1800, 2048, 4)
