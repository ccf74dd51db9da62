"""Reference-map features drawn off screen: water blue, roads as ribbons of their width, legends in
the interface language."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString, Polygon

from layers.core.scene import Scene
from layers.topo.layer import TopoLayer
from viewer import camera as camera_util
from viewer.render import make_plotter
from viewer.scene_view import SceneView
from viewer.visuals.topo import TopoVisual

X0, Y0 = 351_000.0, 6_789_000.0


def _scene() -> Scene:
    water = gpd.GeoDataFrame(
        {"nature": ["Ecoulement naturel"]},
        geometry=[Polygon([(X0, Y0), (X0 + 400, Y0), (X0 + 400, Y0 + 150), (X0, Y0 + 150)])],
        crs="EPSG:2154",
    )
    roads = gpd.GeoDataFrame(
        {"nature": ["Type autoroutier", "Chemin"], "largeur_de_chaussee": [30.0, None]},
        geometry=[
            LineString([(X0, Y0 + 250), (X0 + 400, Y0 + 250)]),
            LineString([(X0, Y0 + 350), (X0 + 400, Y0 + 350)]),
        ],
        crs="EPSG:2154",
    )
    from layers.topo.bdtopo import topographic_frame

    scene = Scene()
    scene.add(TopoLayer.from_frame(topographic_frame(water, "water"), "water", name="eau"))
    scene.add(TopoLayer.from_frame(topographic_frame(roads, "road"), "road", name="routes"))
    return scene


def _shot(scene: Scene, language: str) -> tuple[np.ndarray, SceneView]:
    plotter = make_plotter((600, 600))
    view = SceneView(plotter, scene, auto_render=False, language=language)
    view.go_to(camera_util.oblique_view((X0, Y0, X0 + 400, Y0 + 400), aspect=1.0, pitch_deg=89))
    image = np.asarray(plotter.screenshot(None, return_img=True)).astype(int)
    return image, view


def _share(image: np.ndarray, rgb: tuple[int, int, int]) -> float:
    return float((np.abs(image[..., :3] - np.array(rgb)).sum(axis=2) < 30).mean())


def test_water_and_roads_drawn_in_their_colours():
    scene = _scene()
    image, view = _shot(scene, "fr")
    assert _share(image, (0x9F, 0xC6, 0xEA)) > 0.03  # the river, blue
    assert _share(image, (0xE0, 0x58, 0x4B)) > 0.005  # the motorway, red, 30 m wide
    titles = {legend.title for visual in view.visuals.values() for legend in visual.legends()}
    assert titles == {"Eau", "Routes"}
    view.plotter.close()


def test_legends_in_the_interface_language():
    scene = _scene()
    for language, title, label in (("fr", "Routes", "Type autoroutier"), ("en", "Roads", "Motorway")):
        plotter = make_plotter((300, 300))
        view = SceneView(plotter, scene, auto_render=False, language=language)
        road = scene.layers[1]
        visual = TopoVisual(road, view)
        visual.build()
        (legend,) = visual.legends()
        content = legend.content(language)
        assert content.title == title
        assert label in [entry.label for entry in content.entries]
        plotter.close()


def test_wide_style_doubles_the_ribbons():
    scene = _scene()
    road = scene.layers[1]
    narrow, view = _shot(scene, "fr")
    view.plotter.close()
    road.update_style(widths="wide")
    wide, view = _shot(scene, "fr")
    view.plotter.close()
    red = (0xE0, 0x58, 0x4B)
    assert _share(wide, red) > 1.5 * _share(narrow, red)


def test_picking_finds_the_feature():
    scene = _scene()
    image, view = _shot(scene, "fr")
    visual = next(v for v in view.visuals.values() if isinstance(v, TopoVisual) and v.layer.theme == "road")
    rows = {
        visual.pick_cell(visual.actor, cell)
        for cell in range(visual.actor.GetMapper().GetInput().GetNumberOfCells())
    }
    assert rows == {0, 1}
    assert visual.attributes(0)["category"] == "type autoroutier"
    view.plotter.close()


def test_alike_vegetation_is_one_class_of_the_legend():
    from layers.topo.bdtopo import topographic_frame

    square = Polygon([(X0, Y0), (X0 + 50, Y0), (X0 + 50, Y0 + 50), (X0, Y0 + 50)])
    frame = gpd.GeoDataFrame(
        {"nature": ["Bois", "Forêt fermée de feuillus", "Peupleraie", "Lande ligneuse", "Verger"]},
        geometry=[shapely_translate(square, 60 * i) for i in range(5)],
        crs="EPSG:2154",
    )
    scene = Scene()
    layer = scene.add(TopoLayer.from_frame(topographic_frame(frame, "vegetation"), "vegetation"))
    plotter = make_plotter((300, 300))
    view = SceneView(plotter, scene, auto_render=False, language="fr")
    (legend,) = view.visuals[id(layer)].legends()
    assert [e.label for e in legend.content("fr").entries] == ["Forêt, bois", "Lande, prairie", "Verger"]
    plotter.close()


def shapely_translate(polygon: Polygon, dx: float) -> Polygon:
    from shapely import affinity

    return affinity.translate(polygon, xoff=dx)


def test_rail_dashes_every_other_piece():
    from layers.core.geometry import Polylines
    from viewer.visuals.topo import dashes

    lines = Polylines(
        np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 10.0], [0.0, 40.0]]),
        np.array([0, 2, 4]),
        np.array([7, 9]),
    )
    cut = dashes(lines, 10.0)
    lengths = np.hypot(*(cut.points[1::2] - cut.points[0::2]).T)
    assert np.allclose(lengths, 10.0)
    assert list(cut.owner) == [7] * 5 + [9] * 2  # 10 pieces → 5 dashes; 3 pieces → 2
