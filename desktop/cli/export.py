"""``maquette export [PATH ...] -o FILE``: the 3D model of the visible layers, or computed data.

::

    maquette export [PATH ...] -o model.glb | model.obj [--json]
    maquette export [PATH ...] -o heat.tif | shadows.gpkg [--data NAME] [--time ISO] [--json]
    maquette export [PATH ...] -o FOLDER --3dtiles [--viewer [--lang fr|en]] [--json]

The first two go through the functions the desktop's Export menu calls
(:func:`viewer.export_model.write_model`, :func:`viewer.export_data.write`), headless; ``--3dtiles``
writes the buildings as a 3D Tiles 1.1 tileset folder (:func:`layers.tiles3d.writer.write_tileset`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any

from layers.core.errors import InputError

from .common import (
    Command,
    OneLineParser,
    layer_warnings,
    open_session,
    print_json,
    refuse_inputs,
    warn_outside,
)

if TYPE_CHECKING:
    from layers.core.scene import Scene
    from layers.session.opening import Session


def parser() -> OneLineParser:
    export = OneLineParser(
        prog="maquette export",
        description="Write the 3D model of the visible layers (.glb glTF 2.0, .gltf, .obj) or "
        "computed results as data (.tif: a raster layer such as the heat surface at --time or "
        "hours of sunlight; "
        ".gpkg/.geojson: shadows at --time, or comments).",
    )
    export.add_argument(
        "paths", nargs="*", metavar="PATH", help="project or data files (default: the sample city)"
    )
    export.add_argument("-o", "--output", help="file to write: .glb, .gltf, .obj, .tif, .gpkg, .geojson")
    export.add_argument(
        "--data",
        metavar="NAME",
        help="what to write as data: a layer id or name, 'shadows' or 'comments' (see --list)",
    )
    export.add_argument(
        "--time", help="clock time, ISO 8601 (naive = the scene's time zone): heat surface, shadows"
    )
    export.add_argument(
        "--list", action="store_true", help="list what the visible layers can export, and exit"
    )
    export.add_argument("--crs", help="CRS of data files that declare none")
    export.add_argument(
        "--3dtiles",
        dest="tiles3d",
        action="store_true",
        help="write the buildings as a 3D Tiles 1.1 tileset in the folder -o (CesiumJS, QGIS, iTowns)",
    )
    export.add_argument(
        "--viewer",
        action="store_true",
        help="with --3dtiles: also write index.html, an offline CesiumJS page showing the tileset",
    )
    export.add_argument(
        "--lang", choices=("fr", "en"), default="fr", help="language of the --viewer page (default fr)"
    )
    export.add_argument(
        "--workers",
        type=int,
        default=0,
        help="with --3dtiles from a prepared store: write its tiles on this many local Dask worker "
        "processes (default: one tile after the other in this process)",
    )
    export.add_argument(
        "--scheduler",
        help="with --3dtiles from a prepared store: write its tiles on an existing Dask scheduler "
        "(tcp://HOST:PORT) whose workers see the store and the output folder at the same paths",
    )
    export.add_argument(
        "--json", action="store_true", help="print one JSON object with the results and timings"
    )
    return export


def run(args: argparse.Namespace) -> int:
    from layers.core.timeutil import parse_time
    from layers.session.comments import comments_from_project
    from viewer import export_data
    from viewer.export_model import MODEL_SUFFIXES, check_model_output

    warn_outside(args.paths)
    if not args.list and not args.output:
        raise InputError(None, "say where to write with -o (e.g. -o model.glb), or use --list")
    if args.tiles3d:
        return run_3dtiles(args)
    if args.workers or args.scheduler:
        raise InputError(None, "--workers and --scheduler apply to --3dtiles from a prepared store")
    if args.viewer:
        raise InputError(None, "--viewer writes a page for a 3D Tiles export: add --3dtiles")
    if args.output:
        if Path(args.output).suffix.lower() in MODEL_SUFFIXES:
            check_model_output(Path(args.output))
        refuse_inputs([args.output], args.paths)
    session, load_s = open_session(args.paths, args.crs)
    if args.output:
        refuse_inputs([args.output], args.paths, session)
    scene = session.scene
    when = None
    if args.time is not None:
        try:
            when = parse_time(args.time, scene.timezone)
        except ValueError as exc:
            raise InputError(None, f"--time: {exc}") from None
        scene.clock.time = when
    comments = comments_from_project(session.project.data.get("annotations"))
    if args.list:
        choices = export_data.exportable(scene, comments, language="en")  # the command line speaks English
        payload = {
            "command": "export",
            "models": list(MODEL_SUFFIXES),
            "data": [
                {"name": c.key, "label": c.label, "kind": c.kind, "formats": list(c.suffixes)}
                for c in choices
            ],
        }
        if args.json:
            print_json(payload)
        else:
            print("3D model: " + ", ".join(MODEL_SUFFIXES))
            for c in choices:
                print(f"--data {c.key}: {c.label} ({', '.join(c.suffixes)})")
        return 0
    output = Path(args.output)
    t0 = perf_counter()
    if output.suffix.lower() in MODEL_SUFFIXES:
        stats = write_scene_model(scene, output)
    else:
        choice = export_data.find_export(scene, args.data, output, comments)
        stats = export_data.write(choice, output, scene, time=when, comments=comments)
    stats = {
        "command": "export",
        "load_s": round(load_s, 4),
        **stats,
        "export_s": round(perf_counter() - t0, 4),
        "warnings": layer_warnings(scene.layers),
    }
    if args.json:
        print_json(stats, default=str)
    else:
        extra = (
            f", {stats['triangles']} triangles"
            if "triangles" in stats
            else (f", {stats['features']} features" if "features" in stats else "")
        )
        print(f"{stats['output']}: {stats.get('format') or stats.get('kind')}{extra}")
    return 0


def run_3dtiles(args: argparse.Namespace) -> int:
    """``--3dtiles``: the visible buildings layers of the scene as a tileset folder."""
    from layers.streamed.source import is_store
    from layers.tiles3d.folder import check_folder_target
    from layers.tiles3d.scene import scene_buildings, scene_extras
    from layers.tiles3d.writer import TILESET, write_tileset

    if not args.output:
        raise InputError(None, "say in which folder to write the tileset with -o (e.g. -o tiles/)")
    if args.list or args.data or args.time:
        raise InputError(None, "--3dtiles writes the buildings; it takes no --list, --data or --time")
    output = Path(args.output)
    check_folder_target(output, TILESET)
    cesium = None
    if args.viewer:  # before any writing: a missing CesiumJS must not leave a tileset without its page
        from layers.web.cesium_build import find_cesium_build

        cesium = find_cesium_build()
    if len(args.paths) == 1 and is_store(args.paths[0]):
        return _store_3dtiles(args, output, cesium)
    if args.workers or args.scheduler:
        raise InputError(None, "--workers and --scheduler apply to a prepared store (maquette prepare)")
    session, load_s = open_session(args.paths, args.crs)
    _refuse_inputs_inside(output, session)
    buildings, colours = scene_buildings(session.scene)
    if not len(buildings):
        raise InputError(None, "the scene has no buildings to write as 3D Tiles")
    stats = write_tileset(buildings, output, colors=colours, extras=scene_extras(session.scene))
    if cesium is not None:
        from layers.web.viewer_page import write_viewer

        page = write_viewer(output, language=args.lang, build=cesium)
        stats["viewer"] = str(page.index)
        stats["viewer_opens_from_disk"] = page.opens_from_disk
    stats = {
        "command": "export",
        "load_s": round(load_s, 4),
        **stats,
        "warnings": layer_warnings(session.scene.layers),
    }
    _print_3dtiles(stats, args.json)
    return 0


def _print_3dtiles(stats: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(stats, default=str)
    else:
        dropped = "".join(f", {count} left out ({reason})" for reason, count in stats["dropped"].items())
        counts = f"{stats['buildings']} buildings in {stats['tiles']} tiles{dropped}"
        print(f"{stats['output']}: 3D Tiles 1.1, {counts}")
        if "viewer" in stats and stats.get("viewer_opens_from_disk"):
            print(f"{stats['viewer']}: open it in a browser, or put the folder on any web host")
        elif "viewer" in stats:
            print(
                f"{stats['viewer']}: too large to open from the disk: put the folder on a web host, or "
                "serve it (python3 -m http.server)"
            )


def _store_3dtiles(args: argparse.Namespace, output: Path, cesium: Any) -> int:
    """``--3dtiles`` from a prepared store: written one store tile at a time
    (:func:`layers.tiles3d.store_export.write_store_tileset`), never the whole region in memory."""
    from layers.store.reader import open_store

    if args.crs:
        raise InputError(None, "--crs: a prepared store declares its CRS; it takes no --crs")
    t0 = perf_counter()
    store = open_store(args.paths[0])
    inside = output.resolve()
    if inside == store.path.resolve() or store.path.resolve() in inside.parents:
        raise InputError(output, "cannot write there: it is inside the store being exported")
    if inside in store.path.resolve().parents:
        raise InputError(output, "cannot write there: it holds the store being exported")
    if args.workers < 0:
        raise InputError(None, f"--workers: {args.workers} is not a number of workers (0 or more)")
    load_s = perf_counter() - t0
    stats = _write_store(
        args,
        store,
        output,
        extras={"height_0_altitude_m": 0.0, "heights": "metres above the ellipsoid (a store has no ground)"},
    )
    if cesium is not None:
        from layers.web.viewer_page import write_viewer

        page = write_viewer(output, language=args.lang, build=cesium)
        stats["viewer"] = str(page.index)
        stats["viewer_opens_from_disk"] = page.opens_from_disk
    _print_3dtiles({"command": "export", "load_s": round(load_s, 4), **stats, "warnings": []}, args.json)
    return 0


def _write_store(
    args: argparse.Namespace, store: Any, output: Path, extras: dict[str, Any]
) -> dict[str, Any]:
    """The store's tileset, written here or on the Dask cluster that ``--workers`` /
    ``--scheduler`` ask for."""
    from layers.tiles3d.store_export import write_store_tileset

    if not args.workers and not args.scheduler:
        return write_store_tileset(store, output, extras=extras)
    from layers.store.prepare import PrepareOptions, dask_client

    options = PrepareOptions(workers=max(args.workers, 1), scheduler=args.scheduler)
    with dask_client(options) as client:
        return write_store_tileset(store, output, extras=extras, client=client)


def _refuse_inputs_inside(folder: Path, session: Session) -> None:
    """:class:`InputError` when a file the session read lies in ``folder`` (which is replaced)."""
    from layers.session.inputs import session_inputs

    inside = folder.resolve()
    for path in session_inputs(session.project, session.scene):
        if inside in Path(path).resolve().parents:
            raise InputError(folder, "cannot write there: it holds an input of the export", hint=str(path))


def write_scene_model(scene: Scene, output: Path) -> dict[str, Any]:
    """The visible layers of ``scene`` drawn off screen (no window), written to ``output``."""
    from viewer.export_image import ExportView
    from viewer.export_model import check_model_output, export_model

    check_model_output(output)
    export = ExportView(scene, size=(320, 240))
    try:
        return export_model(export.view, output)
    finally:
        export.close()


COMMAND = Command("export", parser, run)
