"""``maquette publish PROJECT -o FOLDER [--zip] [--lang fr|en] [--json]``: the project's story as an
offline web page (:func:`layers.web.story_page.write_story_page`).

The folder is built under a temporary name and renamed into place; ``--zip`` also writes
``FOLDER.zip`` (the folder's files at the archive's root), written under a temporary name and
renamed. The page opens from the disk (double-click ``index.html``) and from any static web host or
local server, with no request outside its folder.
"""

from __future__ import annotations

import argparse
import os
import zipfile
from pathlib import Path
from time import perf_counter
from typing import Any

from layers.core.errors import InputError

from .common import Command, OneLineParser, layer_warnings, open_session, print_json, warn_outside


def parser() -> OneLineParser:
    publish = OneLineParser(
        prog="maquette publish",
        description="Write the project's story as a web page that opens offline, from the disk or any "
        "static web host: index.html, the buildings as 3D Tiles and CesiumJS in one folder.",
    )
    publish.add_argument("project", metavar="PROJECT", help="the project file (.maquette.json) with a story")
    publish.add_argument("-o", "--output", required=True, metavar="FOLDER", help="the folder to write")
    publish.add_argument("--zip", action="store_true", help="also write FOLDER.zip, to hand over or upload")
    publish.add_argument(
        "--lang", choices=("fr", "en"), default="fr", help="language of the page's words (default fr)"
    )
    publish.add_argument("--crs", help="CRS of data files that declare none")
    publish.add_argument("--json", action="store_true", help="print one JSON object with the results")
    return publish


def write_zip(folder: Path, archive: Path) -> int:
    """``folder``'s files into the zip ``archive`` (atomically: a temporary name, then renamed);
    its size in bytes. Already compressed files (tiles, WebAssembly) are stored as they are."""
    from layers.io.atomic import replacing

    stored = {".glb", ".wasm", ".png", ".webp"}
    with replacing(archive) as temp:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                method = zipfile.ZIP_STORED if path.suffix in stored else zipfile.ZIP_DEFLATED
                bundle.write(path, path.relative_to(folder).as_posix(), compress_type=method)
    return archive.stat().st_size


def run(args: argparse.Namespace) -> int:
    from layers.core.detect import is_project
    from layers.session.project import load_project, project_title
    from layers.session.story import Story
    from layers.tiles3d.folder import check_folder_target
    from layers.web.cesium_build import find_cesium_build
    from layers.web.story_page import STORY_JSON, write_story_page
    from viewer.story_overlays import story_overlays

    if not Path(args.project).is_file():
        raise InputError(args.project, "no such file")
    if not is_project(args.project):
        raise InputError(args.project, "not a project file", hint="publish takes a .maquette.json project")
    if not load_project(args.project).data.get("story"):  # said before any data is read
        raise InputError(None, "the project has no story to publish", hint="add steps in the Story panel")
    warn_outside([args.project])
    output = Path(args.output)
    archive = output.with_name(output.name + ".zip") if args.zip else None
    if (
        Path(args.project).resolve().parent == output.resolve()
        or output.resolve() in Path(args.project).resolve().parents
    ):
        raise InputError(output, "cannot write there: it holds the project", hint="choose another folder")
    check_folder_target(output, STORY_JSON)  # before the long work: a wrong target is said at once
    build = find_cesium_build()  # and a missing CesiumJS: a missing CesiumJS is said at once
    session, load_s = open_session([args.project], args.crs)
    scene = session.scene
    try:
        story = Story.from_list(session.project.data.get("story"), scene.timezone)
    except ValueError as exc:
        raise InputError(args.project, str(exc)) from None
    views = {view.name: view for view in session.project.views()}
    title = project_title(session.project)
    overlays = story_overlays(scene, story, language=args.lang)
    plan = None
    if session.project.data.get("plan"):
        from layers.plan.model import Plan

        plan = Plan.from_dict(session.project.data["plan"], session.project.path)
    stats: dict[str, Any] = write_story_page(
        scene,
        story,
        views,
        output,
        language=args.lang,
        title=title,
        build=build,
        overlays=overlays,
        plan=plan,
    )
    if archive is not None:
        t0 = perf_counter()
        stats["zip"] = str(archive)
        stats["zip_bytes"] = write_zip(output, archive)
        stats["zip_s"] = round(perf_counter() - t0, 3)
    stats = {
        "command": "publish",
        "load_s": round(load_s, 4),
        **stats,
        "warnings": layer_warnings(scene.layers),
    }
    if args.json:
        print_json(stats, default=str)
    else:
        size = stats["bytes"] / 1e6
        disk = stats.get("disk_bytes", 0) / 1e6
        print(
            f"{output / 'index.html'}: {stats['steps']} steps, {size:.1f} MB "
            f"({disk:.1f} MB of it read only from the disk)"
        )
        if stats["not_shown"]:
            print(f"layers the page does not draw yet: {', '.join(stats['not_shown'])}")
        if archive is not None:
            print(f"{archive}: {stats['zip_bytes'] / 1e6:.1f} MB")
        if stats.get("opens_from_disk", True):
            print(f"open {os.fspath(output / 'index.html')} in a browser, or put the folder on any web host")
        else:
            print(
                "too large to open from the disk: put the folder on a web host, or serve it "
                f"(python3 -m http.server in {os.fspath(output)})"
            )
    return 0


COMMAND = Command("publish", parser, run)
