"""The offline CesiumJS page that shows a 3D Tiles folder: ``index.html``, ``maquette-viewer.js``,
``maquette-viewer.css`` and a minimal copy of CesiumJS (``cesium/``) written beside ``tileset.json``.

The page loads the tileset over a plain ground of its own (``story_ground.js``: a flat rectangle
around the buildings, no globe, no imagery, no terrain server) and flies to it; clicking a building
shows its properties (identifier, height in metres, usage) in a panel. It asks for nothing outside
its folder: no Cesium ion token, no imagery, no web font, no CDN. It opens from any web host or local
server, and from the disk (a double-click on ``index.html``) when the tiles fit in
``maquette-tiles.js``, their copy as ``data:`` URIs (:mod:`.disk_bundle`: under its budget and only
glb contents); otherwise, opened from the disk, it says to serve the folder.

Every visible word is in one language (``language``: ``"en"`` or ``"fr"``), the French from
:mod:`layers.core.messages`. The files are written atomically (:mod:`layers.io.atomic`): the page's
three files together, the ``cesium/`` folder built under a temporary name and swapped in whole.
"""

from __future__ import annotations

import errno
import html
import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from layers.core.errors import InputError, OutputError
from layers.core.messages import word
from layers.io import write_failures
from layers.io.atomic import NOTHING, Replacement, process_alive

from .cesium_build import copy_parts, find_cesium_build
from .disk_bundle import DISK_BUNDLE_MAX_BYTES, bundle_bytes, glb_contents_only, tiles_script
from .page_shell import CESIUM_FOLDER, page_head, page_script

LANGUAGES = ("en", "fr")
LOCALES = {"en": "en-GB", "fr": "fr-FR"}
INDEX = "index.html"
SCRIPT = "maquette-viewer.js"
#: the tiles as data: URIs, read by a page opened from the disk (see :mod:`.disk_bundle`)
TILES_SCRIPT = "maquette-tiles.js"
#: the colour above the horizon
SKY_COLOUR = "#d9e2e8"
STYLE = "maquette-viewer.css"
#: the plain ground under the buildings (no imagery)
GROUND_COLOUR = "#dcd8cc"
#: the picked building
HIGHLIGHT_COLOUR = "#2b8cff"
#: the property names the panel names in words (others show as they are named in the tileset)
PROPERTY_WORDS = {"id": "Identifier", "height_m": "Height", "height": "Height", "usage": "Usage"}
#: units of numeric properties
UNITS = {"height_m": "m", "height": "m"}
SOURCE_FOLDER = Path(__file__).resolve().parent
_LEFTOVER = re.compile(rf"\.{CESIUM_FOLDER}\.(\d+)-[0-9a-f]{{8}}\.(?:tmp|old)")


@dataclass(frozen=True)
class ViewerPage:
    """What :func:`write_viewer` wrote: the page, the size of the CesiumJS copy in bytes, and
    whether the page opens from the disk too (its tiles copied into ``maquette-tiles.js``)."""

    index: Path
    cesium_bytes: int
    opens_from_disk: bool = False


def page_words(language: str) -> dict[str, object]:
    """The page's words in ``language`` (the JavaScript reads them from the page's configuration)."""
    return {
        "title": word("3D model (3D Tiles)", language),
        "hint": word("Click a building to see its data. Drag to turn, scroll to zoom.", language),
        "loading": word("Loading the buildings…", language),
        "failed": word("The buildings could not be loaded", language),
        "building": word("Building", language),
        "attribution": word("Data attribution", language),
        "file": word(
            "Open this page from a web host or a local server (python3 -m http.server in its folder): "
            "opened from the disk, the browser does not let it read its 3D files.",
            language,
        ),
        "properties": {name: word(text, language) for name, text in PROPERTY_WORDS.items()},
    }


def index_html(language: str, tileset: str, flight_seconds: float, tiles_script: str | None = None) -> str:
    """The text of ``index.html``: the captions as real text, the configuration as JSON
    (``tiles_script``: the tiles' copy a page opened from the disk reads, if written)."""
    words = page_words(language)
    config = {
        "tileset": tileset,
        "tilesScript": tiles_script,
        "skyColour": SKY_COLOUR,
        "locale": LOCALES[language],
        "words": words,
        "units": UNITS,
        "groundColour": GROUND_COLOUR,
        "highlightColour": HIGHLIGHT_COLOUR,
        "flightSeconds": flight_seconds,
    }
    # "</" cannot end the script early: JSON lets it be written "<\/"
    config_text = json.dumps(config, ensure_ascii=False, indent=1).replace("</", "<\\/")
    title = html.escape(str(words["title"]))
    return f"""<!DOCTYPE html>
<html lang="{language}">
{page_head(str(words["title"]), STYLE, cesium_script=True)}
<body>
<div id="maquette-globe"></div>
<div id="maquette-caption">
<h1>{title}</h1>
<p>{html.escape(str(words["hint"]))}</p>
<p id="maquette-status" role="status"></p>
<p id="maquette-file" role="alert" hidden>{html.escape(str(words["file"]))}</p>
</div>
<aside id="maquette-feature" hidden></aside>
<script type="application/json" id="maquette-config">
{config_text}
</script>
<script src="{SCRIPT}"></script>
</body>
</html>
"""


def _swap_folder(built: Path, target: Path) -> None:
    """Put the folder ``built`` in place of ``target`` (rename; the previous one removed after)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.old")
        os.replace(target, old)
    try:
        os.replace(built, target)
    except OSError:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _sweep_leftovers(folder: Path) -> None:
    """Remove the temporary copies (``.cesium.<pid>-<token>.tmp`` / ``.old``) a killed process left."""
    for path in folder.glob(f".{CESIUM_FOLDER}.*-*.*"):
        found = _LEFTOVER.fullmatch(path.name)
        if found is None or not path.is_dir():
            continue
        pid = int(found.group(1))
        if pid != os.getpid() and not process_alive(pid):
            shutil.rmtree(path, ignore_errors=True)


def _write_cesium(build: Path, folder: Path) -> int:
    """Copy the minimum of CesiumJS into ``folder/cesium`` (whole or not at all); bytes copied."""
    _sweep_leftovers(folder)
    target = folder / CESIUM_FOLDER
    built = folder / f".{CESIUM_FOLDER}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        size = copy_parts(build, built)
        _swap_folder(built, target)
    except OSError as exc:
        shutil.rmtree(built, ignore_errors=True)
        code = exc.errno or write_failures.probe(folder) or errno.EIO
        raise OutputError(
            target, f"cannot write: {write_failures.cause_of(code)}", hint=NOTHING, code=code
        ) from exc
    return size


def write_viewer(
    folder: str | os.PathLike[str],
    *,
    language: str = "en",
    tileset: str = "tileset.json",
    build: Path | None = None,
    flight_seconds: float = 1.5,
) -> ViewerPage:
    """Write the offline viewer page into ``folder``, beside its ``tileset`` (a relative path).

    ``build``: the CesiumJS ``Build/Cesium`` folder to copy from (found by
    :func:`~layers.web.cesium_build.find_cesium_build` when ``None``). :class:`InputError` for a
    language other than English or French, a missing folder or tileset, a missing CesiumJS build;
    :class:`OutputError` when the files cannot be written.
    """
    if language not in LANGUAGES:
        raise InputError(None, f"unknown language {language!r}", hint="expected one of: en, fr")
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "not a folder", hint="the 3D Tiles folder must exist")
    if not (folder / tileset).is_file():
        raise InputError(folder / tileset, "no tileset in this folder", hint="export the 3D Tiles first")
    if build is None:
        build = find_cesium_build()
    size = _write_cesium(build, folder)
    script = page_script("story_ground.js", "viewer.js")
    style = (SOURCE_FOLDER / "viewer.css").read_text(encoding="utf-8")
    path = folder / tileset
    copied = glb_contents_only(path) and bundle_bytes([path], []) <= DISK_BUNDLE_MAX_BYTES
    page = index_html(language, tileset, flight_seconds, TILES_SCRIPT if copied else None)
    files = [(INDEX, page), (SCRIPT, script), (STYLE, style)]
    if copied:
        files.append((TILES_SCRIPT, tiles_script(folder, [path])))
    elif (folder / TILES_SCRIPT).exists():  # an earlier copy, of other tiles
        (folder / TILES_SCRIPT).unlink()
    with Replacement() as group:  # the page renamed last: never a page without its script
        for name, text in files:
            temp = group.add(folder / name)
            with open(temp, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    return ViewerPage(folder / INDEX, size, copied)
