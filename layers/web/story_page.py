"""The story as an offline web page: ``index.html``, ``story.js``, ``story.css``, ``story.json``, the
buildings as 3D Tiles 1.1 (``tiles/<n>/``, one tileset per buildings layer so a step can show or hide
the planned project), each step's overlays (``overlays/<n>.png`` draped pictures, ``vectors/<n>.geojson``
lines, polygons and points) and a minimal CesiumJS (``cesium/``), all in one folder.

The page asks for nothing outside its folder (no Cesium ion, imagery, terrain server, font or CDN);
the steps are written in the page itself as well as in ``story.json``, so the captions, the step
list and the navigation are there even where the browser refuses to read the tiles. It works from
any static web host or local server (``python3 -m http.server``). Opened from the disk
(``file://``), Chromium lets a page fetch none of its own folder's files but runs its scripts: the
page then reads its tiles, pictures and vectors from ``story-tiles.js`` (the same files as ``data:``
URIs, read only then), and where even that fails the page says to open it from a server. The
ground and what lies on it are the page's own primitives (``story_ground.js``), not CesiumJS's
globe, whose tiles need web workers that a page opened from the disk cannot start.

The folder is built whole under a temporary name and renamed over ``folder``
(:func:`layers.tiles3d.folder.replacing_folder`). Every visible word is in one ``language``
(``"en"`` or ``"fr"``), from :mod:`layers.core.messages`.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any

import numpy as np

from layers.core.errors import InputError
from layers.core.messages import word

from .disk_bundle import DISK_BUNDLE_MAX_BYTES, bundle_bytes, tiles_script
from .overlays import StoryOverlays, overlay_entries, write_overlay_images
from .page_shell import CESIUM_FOLDER, page_head, page_script
from .story_data import PageLayer, credits, layer_entry, page_layers, story_steps
from .vectors import VECTOR_FOLDER, vector_entries
from .viewer_page import GROUND_COLOUR, LANGUAGES, LOCALES

if TYPE_CHECKING:
    import geopandas as gpd
    from pyproj import CRS

    from layers.core.scene import Scene
    from layers.plan.model import Plan
    from layers.session.story import Story
    from layers.session.views import CameraView

INDEX = "index.html"
STORY_JSON = "story.json"
SCRIPT = "story.js"
#: the ground, the draped pictures and the vectors (written into the page's script before SCRIPT)
GROUND_SCRIPT = "story_ground.js"
#: the buildings coloured by an attribute at some steps (written into the page's script before SCRIPT)
STYLES_SCRIPT = "story_styles.js"
#: the folder of the buildings' colourings (ids and colours per layer)
STYLE_FOLDER = "styles"
#: the tiles again, as data: URIs in a script, read only by a page opened from the disk (file://)
TILES_SCRIPT = "story-tiles.js"
STYLE = "story.css"
SOURCE_FOLDER = Path(__file__).resolve().parent
#: seconds of the camera flight between two steps
FLIGHT_SECONDS = 2.0
#: the colour above the horizon (the page draws no sky)
SKY_COLOUR = "#d9e2e8"
#: the ground reaches this far around the buildings, metres (at least; or three times the city's
#: own size, so that an oblique view of the whole city on a phone sees no edge)
GROUND_MARGIN_M = 5000.0


def page_words(language: str) -> dict[str, str]:
    """The interface's words in ``language`` (``{n}`` and ``{total}`` filled in by the script)."""
    english = {
        "previous": "Previous",
        "next": "Next",
        "steps": "Steps",
        "position": "Step {n} of {total}",
        "legend": "Legend",
        "credits": "Credits",
        "back": "Back to this step's view",
        "fold": "Hide the text",
        "unfold": "Show the text",
        "loading": "Loading the buildings…",
        "failed": "The buildings could not be loaded",
        "keys": "Keys ← and → go through the steps; drag to turn, pinch or scroll to zoom.",
        "file": "Open this page from a web host or a local server (python3 -m http.server in its "
        "folder): opened from the disk, the browser does not let it read its 3D files.",
        "view": "3D view of the story",
    }
    return {key: word(text, language) for key, text in english.items()}


def _buildings_of(scene: Scene, entry: PageLayer) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """One layer's standing buildings and colours, seated on the scene's terrain as
    :func:`layers.tiles3d.scene.scene_buildings` seats the visible ones (which this cannot call: it
    reads the layers' visibility, and the page writes hidden layers too)."""
    from layers.terrain.layer import TerrainLayer
    from layers.tiles3d.scene import layer_buildings

    terrain = scene.terrain()
    ground = None
    if isinstance(terrain, TerrainLayer):
        seated = entry.layer.seat_on(terrain)
        reference = scene.ground_reference_m
        ground = np.where(np.isfinite(seated), seated, reference) - reference
    return layer_buildings(entry.layer, ground)


def ground_rectangle(frames: list[gpd.GeoDataFrame], crs: CRS) -> list[float]:
    """The page's ground: (west, south, east, north) in degrees (WGS 84) around the buildings of
    ``frames`` (in the projected ``crs``), :data:`GROUND_MARGIN_M` or three times the city's size beyond them,
    so that the views of the story see ground rather than sky."""
    from pyproj import Transformer

    bounds = np.array([frame.total_bounds for frame in frames])
    xmin, ymin = bounds[:, 0].min(), bounds[:, 1].min()
    xmax, ymax = bounds[:, 2].max(), bounds[:, 3].max()
    margin = max(GROUND_MARGIN_M, 3 * (xmax - xmin), 3 * (ymax - ymin))
    to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    box = to_lonlat.transform_bounds(
        xmin - margin, ymin - margin, xmax + margin, ymax + margin, densify_pts=21
    )
    return [round(float(v), 7) for v in box]


def index_html(title: str, language: str, config: dict[str, Any]) -> str:
    """The text of ``index.html``: the steps' captions as real text, the configuration as JSON."""
    words = config["words"]
    config_text = json.dumps(config, ensure_ascii=False, indent=1).replace("</", "<\\/")
    items = "\n".join(
        f'<li><button type="button" data-step="{i}">{html.escape(step["title"] or str(i + 1))}</button></li>'
        for i, step in enumerate(config["steps"])
    )
    first = config["steps"][0] if config["steps"] else {"title": "", "text": ""}
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in first["text"].splitlines() if line)
    credit_items = "".join(f"<li>{html.escape(text)}</li>" for text in config["credits"])
    e = html.escape
    return f"""<!DOCTYPE html>
<html lang="{language}">
{page_head(title, STYLE, cesium_script=False)}
<body>
<div id="story-globe" role="img" aria-label="{e(words["view"])}"></div>
<main id="story-panel">
<button type="button" id="story-fold" aria-expanded="true" aria-controls="story-step-text story-legend"
 data-fold="{e(words["fold"])}" data-unfold="{e(words["unfold"])}">{e(words["fold"])}</button>
<h1 id="story-title">{e(title)}</h1>
<p id="story-file" role="alert" hidden>{e(words["file"])}</p>
<section id="story-caption" aria-live="polite">
<p id="story-position"></p>
<h2 id="story-step-title">{e(first["title"])}</h2>
<div id="story-step-text">{paragraphs}</div>
<p id="story-time"></p>
</section>
<nav id="story-nav">
<button type="button" id="story-previous">{e(words["previous"])}</button>
<button type="button" id="story-next">{e(words["next"])}</button>
</nav>
<button type="button" id="story-back" hidden>{e(words["back"])}</button>
<details id="story-list-box"><summary>{e(words["steps"])}</summary><ol id="story-list">
{items}
</ol></details>
<section id="story-legend"><h3>{e(words["legend"])}</h3><ul id="story-legend-items"></ul></section>
<p id="story-status" role="status"></p>
<p id="story-keys">{e(words["keys"])}</p>
<details id="story-credits"><summary>{e(words["credits"])}</summary><ul>{credit_items}</ul></details>
</main>
<script type="application/json" id="story-config">
{config_text}
</script>
<script src="{SCRIPT}"></script>
</body>
</html>
"""


@dataclass
class PreparedPage:
    """What the page shows, read from the scene (on the thread that owns its layers): the buildings
    of each layer with their colours, and the page's configuration (steps, words, credits)."""

    title: str
    language: str
    buildings: list[tuple[PageLayer, gpd.GeoDataFrame, np.ndarray]]
    config: dict[str, Any]
    extras: dict[str, object]
    not_shown: list[str]
    crs: str = ""
    overlays: StoryOverlays | None = None
    #: page layer key → its building colourings (see :func:`building_styles`)
    styles: dict[str, dict[str, Any]] = field(default_factory=dict)


def prepare_story_page(
    scene: Scene,
    story: Story,
    views: Mapping[str, CameraView],
    *,
    language: str = "fr",
    title: str = "",
    overlays: StoryOverlays | None = None,
    plan: Plan | None = None,
) -> PreparedPage:
    """Read what the page of ``scene``'s ``story`` shows (``views``: the project's named views, which
    steps name; ``overlays``: each step's draped pictures and legends, from
    :func:`viewer.story_overlays.story_overlays`, none without; ``plan``: the planned project, each
    of its variants a tileset shown by the steps that name it). :class:`InputError` for an unknown
    language, a story without steps, a scene without buildings or not in a projected CRS."""
    from layers.tiles3d.scene import scene_extras

    if language not in LANGUAGES:
        raise InputError(None, f"unknown language {language!r}", hint="expected one of: en, fr")
    if not len(story):
        raise InputError(None, "the project has no story to publish", hint="add steps in the Story panel")
    if scene.crs is None or not scene.crs.is_projected:
        raise InputError(None, "the story page needs a scene in a projected CRS in metres")
    layers = page_layers(scene, plan)
    buildings = [(entry, *_buildings_of(scene, entry)) for entry in layers]
    buildings = [item for item in buildings if len(item[1])]
    if not buildings:
        raise InputError(None, "the scene has no buildings to publish")
    active = plan.variant.name if plan is not None else None
    steps, not_shown = story_steps(scene, story, views, layers, active)
    if overlays is not None:
        not_shown = [key for key in not_shown if key in overlays.not_shown]
        for step, shown, vectors, legends in zip(
            steps, overlays.steps, overlays.step_vectors, overlays.legends
        ):
            step["overlays"] = [{"id": item.picture, "opacity": round(item.opacity, 3)} for item in shown]
            step["vectors"] = vectors
            step["legends"] = legends
    styles = building_styles(buildings, overlays)
    for i, step in enumerate(steps):
        coloured = overlays.step_building_colours[i] if overlays is not None else {}
        step["buildingStyles"] = {key: coloured[key] for key in styles if key in coloured}
    config = {
        "title": title,
        "locale": LOCALES[language],
        "timezone": scene.timezone,
        "words": page_words(language),
        "groundColour": GROUND_COLOUR,
        "skyColour": SKY_COLOUR,
        "ground": ground_rectangle([frame for _entry, frame, _colours in buildings], scene.crs),
        "flightSeconds": FLIGHT_SECONDS,
        "tilesScript": TILES_SCRIPT,
        "cesiumScript": f"{CESIUM_FOLDER}/Cesium.js",
        "layers": [layer_entry(entry) for entry, _frame, _colours in buildings],
        "overlays": [],
        "vectors": [],
        "steps": steps,
        "credits": credits(scene),
    }
    return PreparedPage(
        title,
        language,
        buildings,
        config,
        scene_extras(scene),
        not_shown,
        scene.crs.to_wkt(),
        overlays,
        styles,
    )


def building_styles(
    buildings: list[tuple[PageLayer, gpd.GeoDataFrame, np.ndarray]], overlays: StoryOverlays | None
) -> dict[str, dict[str, Any]]:
    """Per page layer coloured by an attribute at some step (its key → the JSON of its
    ``styles/<n>.json``): the ids of its buildings (as its tiles carry them) and, per colouring of
    :attr:`StoryOverlays.building_colours`, a palette of ``"#rrggbb"`` and each building's index in
    it. Variants of the planned project keep their plain colour."""
    if overlays is None:
        return {}
    found: dict[str, dict[str, Any]] = {}
    for entry, frame, _colours in buildings:
        colourings = overlays.building_colours.get(entry.key)
        if entry.variant is not None or not colourings:
            continue
        rows = np.flatnonzero(entry.layer.standing())  # the rows layer_buildings keeps
        styles = []
        for colours in colourings:
            palette, index = np.unique(colours[rows], axis=0, return_inverse=True)
            styles.append(
                {
                    "palette": ["#" + "".join(f"{int(c):02x}" for c in rgb) for rgb in palette],
                    "index": np.asarray(index).reshape(-1).tolist(),
                }
            )
        found[entry.key] = {"ids": [str(v) for v in frame["id"]], "styles": styles}
    return found


def _share_tileset_error(tilesets: list[Path]) -> None:
    """Give every tileset the largest top-level ``geometricError`` among them. CesiumJS draws nothing
    of a tileset whose top-level error is under one screen-space error from the camera, and the
    writer gives a layer of one building (a planned tower) an error of its own size (~1 m): drawn
    only from a few metres away. With the city's error, the project is drawn whenever the city is."""
    from layers.tiles3d.folder import write_synced

    documents = [json.loads(path.read_text(encoding="utf-8")) for path in tilesets]
    error = max(float(document["geometricError"]) for document in documents)
    for path, document in zip(tilesets, documents):
        if float(document["geometricError"]) < error:
            document["geometricError"] = error
            path.unlink()
            write_synced(path, json.dumps(document, separators=(",", ":")).encode("utf-8"))


def write_prepared_page(
    page: PreparedPage, folder: str | os.PathLike[str], *, build: Path | None = None
) -> dict[str, Any]:
    """Write ``page`` into ``folder`` (replaced whole, or left as it was; safe off the GUI thread).

    Returns figures: steps, buildings and tiles per layer, bytes, seconds, ``not_shown`` (the
    layers steps show that the page does not draw yet), ``disk_bytes`` (the part of ``bytes`` only
    a page opened from the disk reads: ``story-tiles.js``) and ``opens_from_disk`` (``False`` past
    :data:`DISK_BUNDLE_MAX_BYTES`: the page then needs a web host or a local server).
    :class:`InputError` for a missing CesiumJS build; :class:`OutputError` when it cannot be written.
    """
    from layers.tiles3d.folder import replacing_folder, write_synced
    from layers.tiles3d.writer import write_tileset

    from .cesium_build import copy_parts, find_cesium_build

    t0 = perf_counter()
    if build is None:
        build = find_cesium_build()
    output = Path(folder)
    figures: dict[str, Any] = {"output": str(output), "steps": len(page.config["steps"]), "layers": []}
    with replacing_folder(output, STORY_JSON) as temp:
        (temp / "tiles").mkdir()
        for entry, frame, colours in page.buildings:
            tiles = write_tileset(frame, temp / entry.folder, colors=colours, extras=page.extras)
            figures["layers"].append(
                {"key": entry.key, "buildings": tiles["buildings"], "tiles": tiles["tiles"]}
            )
        entries: list[dict[str, Any]] = []
        vector_files: list[Path] = []  # the vectors' and the colourings' files
        if page.overlays is not None:
            entries, images = overlay_entries(page.overlays, page.crs)
            write_overlay_images(temp, entries, images)
            page.config["overlays"] = entries
            figures["overlays"] = len(entries)
            vectors, files = vector_entries(page.overlays.vectors)
            if vectors:
                (temp / VECTOR_FOLDER).mkdir()
            for vector, data in zip(vectors, files):
                write_synced(temp / vector["url"], data)
            page.config["vectors"] = vectors
            vector_files = [temp / vector["url"] for vector in vectors]
            figures["vectors"] = len(vectors)
        page.config["buildingStyles"] = {}
        if page.styles:
            (temp / STYLE_FOLDER).mkdir()
        for i, (key, document) in enumerate(page.styles.items()):
            url = f"{STYLE_FOLDER}/{i}.json"
            write_synced(temp / url, json.dumps(document, separators=(",", ":")).encode("utf-8"))
            page.config["buildingStyles"][key] = url
            vector_files.append(temp / url)
        tilesets = [temp / entry.folder / "tileset.json" for entry, _f, _c in page.buildings]
        _share_tileset_error(tilesets)
        read_files = [temp / e["image"] for e in entries] + vector_files
        figures["disk_bytes"] = bundle_bytes(tilesets, read_files)
        figures["opens_from_disk"] = figures["disk_bytes"] <= DISK_BUNDLE_MAX_BYTES
        if figures["opens_from_disk"]:
            write_synced(temp / TILES_SCRIPT, tiles_script(temp, tilesets, read_files).encode("utf-8"))
        else:  # the page says to open it from a web host or a local server
            figures["disk_bytes"] = 0
        copy_parts(build, temp / CESIUM_FOLDER)
        for name, text in (
            (INDEX, index_html(page.title, page.language, page.config)),
            (STORY_JSON, json.dumps(page.config, ensure_ascii=False, indent=1)),
            (SCRIPT, page_script(GROUND_SCRIPT, STYLES_SCRIPT, SCRIPT)),
            (STYLE, (SOURCE_FOLDER / STYLE).read_text(encoding="utf-8")),
        ):
            write_synced(temp / name, text.encode("utf-8"))
    figures["not_shown"] = list(page.not_shown)
    figures["bytes"] = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    figures["seconds"] = round(perf_counter() - t0, 3)
    return figures


def write_story_page(
    scene: Scene,
    story: Story,
    views: Mapping[str, CameraView],
    folder: str | os.PathLike[str],
    *,
    language: str = "fr",
    title: str = "",
    build: Path | None = None,
    overlays: StoryOverlays | None = None,
    plan: Plan | None = None,
) -> dict[str, Any]:
    """:func:`prepare_story_page` then :func:`write_prepared_page` (see them), on one thread."""
    page = prepare_story_page(
        scene, story, views, language=language, title=title, overlays=overlays, plan=plan
    )
    return write_prepared_page(page, folder, build=build)
