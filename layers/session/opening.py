"""Opening what the user named: a project, data files, or nothing (the sample city).

Shared by the GUI and the command line, so ``maquette render x.shp`` and File > Open read files the
same way. A layer joins a scene in one sequence, written here once: open the file, reproject it
into the scene CRS, prepare it (meshes, indexes: the slow part, done off the GUI thread) —
:func:`ready_for_scene`, :func:`open_file_for_scene`, :func:`open_files_for_scene`,
:func:`open_spec_for_scene`, and :func:`open_paths` with ``prepare=True``.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from layers.core.base import Layer
from layers.core.detect import detect_kind, is_project
from layers.core.errors import Cancelled, DataUnreadable, InputError
from layers.core.reading import open_layer
from layers.core.scene import Scene
from layers.session.project import Progress, Project, load_project
from layers.session.scene_io import LoadReport, build_scene, open_spec

if TYPE_CHECKING:
    from pyproj import CRS


@dataclass
class Session:
    """A project document, the scene built from it, and what went wrong while opening."""

    project: Project
    scene: Scene
    report: LoadReport
    #: when the project was reopened from its autosave (unsaved work of a session that crashed)
    recovered_at: str | None = None


def sample_project_path() -> Path:
    """The sample city's project file: ``$MAQUETTE_SAMPLE_CITY``, the source tree, or the install."""
    override = os.environ.get("MAQUETTE_SAMPLE_CITY")
    candidates = [Path(override)] if override else []
    source_tree = Path(__file__).resolve().parents[2]  # layers/session/opening.py → the checkout
    candidates += [
        source_tree / "sample_city",
        Path(sys.prefix) / "share" / "maquette" / "sample_city",
        Path(getattr(sys, "_MEIPASS", source_tree)) / "sample_city",
    ]
    for folder in candidates:
        path = folder if folder.suffix == ".json" else folder / "sample_city.maquette.json"
        if path.is_file():
            return path
    raise InputError(
        None, "the sample city is not installed (sample_city/sample_city.maquette.json not found)"
    )


def project_for_files(
    paths: list[Path],
    *,
    crs: str | None = None,
    layers: Mapping[Path, Collection[str]] | None = None,
    language: str = "en",
) -> Project:
    """A new project whose layers are ``paths`` (kinds detected), in the order given. A file that
    holds a whole map (a BD TOPO GeoPackage, an OpenStreetMap extract) gives one layer per theme
    (:mod:`layers.session.file_layers`): those whose key ``layers`` lists for it, else all."""
    from layers.session.file_layers import chosen, layer_choices

    project = Project()
    used: set[str] = set()

    def add(spec: dict[str, Any], base: str) -> None:
        key, n = base, 2
        while key in used:
            key, n = f"{base}_{n}", n + 1
        used.add(key)
        project.layer_specs.append({"id": key, **spec})

    for path in paths:
        path = Path(path).absolute()
        kind = detect_kind(path)
        if kind == "project":
            raise InputError(path, "a project file cannot be added as a layer (open it instead)")
        base = path.stem or "layer"
        choices = layer_choices(path)
        for choice in chosen(choices, (layers or {}).get(path)):
            theme_spec: dict[str, Any] = {
                "kind": choice.kind,
                "name": choice.name(path, language),
                "source": str(path),
                "options": {**choice.options(), **({"crs": crs} if crs else {})},
            }
            if not choice.shown:
                theme_spec["visible"] = False
            add(theme_spec, f"{base}_{choice.key}")
        if not choices:
            spec: dict[str, Any] = {"kind": kind, "name": base, "source": str(path)}
            if crs:
                spec["options"] = {"crs": crs}
            add(spec, base)
    from layers.terrain.grouping import group_tiles  # tiles of one LiDAR product: one layer

    project.layer_specs[:] = group_tiles(project.layer_specs)
    return project


def outside_of(
    paths: Sequence[str | Path], *, recover: bool = False
) -> tuple[Path | None, list[tuple[str, Path]]]:
    """The project among ``paths`` and the files it would read outside its folder
    (:func:`layers.session.project.outside_sources`), its autosave considered with ``recover`` as
    :func:`open_paths` would; ``(None, [])`` without a project. Reads JSON only, no data."""
    from layers.session.project import outside_sources

    projects = [Path(p) for p in paths if is_project(p)]
    if not projects:
        return None, []
    project = load_project(projects[0])
    if recover:
        recovered = _recovered(project)
        if recovered is not None:
            project.data = recovered[0]
    return project.path, outside_sources(project)


def _recovered(project: Project) -> tuple[dict, str] | None:
    """The autosaved document of ``project`` (migrated and checked) and when it was written;
    ``None`` without a usable one (a damaged autosave is left on disk, the project opens as saved)."""
    from layers.session.autosave import META_KEY, read_autosave, strip_meta
    from layers.session.project import migrate, validate_document

    saved = read_autosave(project.path)
    if saved is None:
        return None
    try:
        data = migrate(strip_meta(saved), project.path)
        validate_document(data, project.path)
    except InputError:
        return None
    return data, (saved.get(META_KEY) or {}).get("at") or "?"


def open_paths(
    paths: Sequence[str | Path],
    *,
    crs: str | None = None,
    strict: bool = True,
    recover: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    skip: set[str] | None = None,
    prepare: bool = False,
    layers: Mapping[Path, Collection[str]] | None = None,
    language: str = "en",
) -> Session:
    """Open a project, data files (a project plus files also works) or, with no path, the sample city.

    With ``strict``, a data file named directly that cannot be read raises :class:`InputError`
    (the command line exits 2); layers of a project that fail are reported, the rest opens. With
    ``recover`` (the GUI), a project that has an autosave (unsaved work of a session that was
    killed) opens as it was autosaved. Layers of the project whose key is in ``skip`` are not
    opened (see :func:`layers.session.scene_io.build_scene`). With ``prepare`` (the GUI, in a
    background task), every layer is made ready for drawing (:func:`ready_for_scene`).
    """
    from layers.core.safety import check_local

    for raw in paths:
        check_local(raw)  # a web address is refused before anything is read: Maquette works offline
    named = [Path(p) for p in paths] or [sample_project_path()]
    projects = [p for p in named if is_project(p)]
    files = [p for p in named if not is_project(p)]
    if len(projects) > 1:
        raise InputError(projects[1], "only one project can be opened at a time")
    for path in files:
        if not path.exists():
            raise InputError(
                path,
                "no such file or folder",
                hint="check the name; a file that moved must be opened from its new place",
            )
    recovered_at = None
    if projects:
        project = load_project(projects[0])
        if recover:
            recovered = _recovered(project)
            if recovered is not None:
                project.data, recovered_at = recovered
        if files:
            extra = project_for_files(files, crs=crs, layers=layers, language=language)
            project.layer_specs.extend(extra.layer_specs)
    else:
        project = project_for_files(files, crs=crs, layers=layers, language=language)
    scene, report = build_scene(project, progress=progress, cancelled=cancelled, skip=skip)
    _direct_errors_as_they_are(project, report, {Path(p).absolute() for p in files})
    if prepare:
        for layer in scene.layers:
            ready_for_scene(layer, scene.crs, cancelled)
    if strict and report.errors:
        direct = {Path(p).absolute() for p in files}
        for error in report.errors:
            if error.path is not None and error.path.absolute() in direct:
                raise error
    if not scene.layers and report.errors:
        raise report.errors[0]
    return Session(project, scene, report, recovered_at)


def _direct_errors_as_they_are(project: Project, report: LoadReport, direct: set[Path]) -> None:
    """A data file named directly (not through a project) that cannot be read is said as it is, not
    as a project's layer to locate (:class:`DataUnreadable` is for a project's layers)."""
    from layers.session.project import spec_key

    for i, error in enumerate(report.errors):
        cause = error.__cause__
        if not (
            isinstance(error, DataUnreadable) and isinstance(cause, InputError) and error.path is not None
        ):
            continue
        if error.path.absolute() not in direct:
            continue
        report.errors[i] = cause
        for spec in [s for s in report.missing if project.source_path(s) == error.path.absolute()]:
            report.missing.remove(spec)
            report.unreadable.pop(spec_key(spec), None)


# -- one layer into an open scene ---------------------------------------------------------------
def ready_for_scene(
    layer: Layer, scene_crs: CRS | None, cancelled: Callable[[], bool] | None = None
) -> Layer:
    """Reproject ``layer`` into the scene CRS (``None``: a scene without one yet keeps the layer's)
    and prepare it for drawing; :class:`Cancelled` between the stages once ``cancelled()``."""
    if cancelled is not None and cancelled():  # between the stages of a large file: Cancel stops there
        raise Cancelled()
    if scene_crs is not None and layer.crs is not None and not layer.crs.equals(scene_crs):
        layer.reproject(scene_crs)
    if cancelled is not None and cancelled():
        raise Cancelled()
    layer.prepare()
    return layer


def open_file_for_scene(
    path: str | Path,
    scene_crs: CRS | None,
    *,
    kind: str | None = None,
    cancelled: Callable[[], bool] | None = None,
    **options: Any,
) -> Layer:
    """Open the data file ``path`` (kind detected unless given; ``options`` as
    :func:`layers.core.reading.open_layer` takes them) ready for a scene in ``scene_crs``."""
    return ready_for_scene(open_layer(path, kind, **options), scene_crs, cancelled)


def open_spec_for_scene(
    project: Project, spec: dict[str, Any], scene_crs: CRS | None, cancelled: Callable[[], bool] | None = None
) -> Layer:
    """Open the layer entry ``spec`` of ``project`` (as the project describes it) ready for a scene
    in ``scene_crs``."""
    return ready_for_scene(open_spec(project, spec), scene_crs, cancelled)


def unexpected(path: str | Path | None, exc: BaseException) -> InputError:
    """An :class:`InputError` for a file whose reading failed in an unexpected way (a bug), so the
    other files of the batch still open; the traceback is kept in ``details`` for a bug report."""
    error = InputError(
        path,
        f"could not be read ({type(exc).__name__}: {exc})",
        hint="Maquette could not read this file; please report it, with the file if you can",
    )
    error.details = "".join(traceback.format_exception(exc))
    return error


def open_files_for_scene(
    paths: list[Path],
    scene_crs: CRS | None,
    *,
    kind: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    themes: Mapping[Path, Collection[str]] | None = None,
    language: str = "en",
    **options: Any,
) -> tuple[list[Layer], list[InputError]]:
    """Open data files to add to an open scene: the layers that opened, and an error for each file
    that did not (bad input, or a reader's bug wrapped by :func:`unexpected`): one bad file never
    stops the others. :class:`Cancelled` and ``MemoryError`` stop them all. A file that holds a
    whole map gives a layer per theme (``themes``: the keys chosen per file, else all; see
    :mod:`layers.session.file_layers`)."""
    from layers.session.file_layers import chosen, layer_choices

    layers: list[Layer] = []
    errors: list[InputError] = []
    for i, path in enumerate(paths):
        if progress is not None:
            progress(i / len(paths), path.name)
        try:
            choices = [] if kind is not None else layer_choices(path)
            for choice in chosen(choices, (themes or {}).get(Path(path).absolute())):
                layer = open_file_for_scene(
                    path, scene_crs, kind=choice.kind, cancelled=cancelled, **{**options, **choice.options()}
                )
                layer.name = choice.name(Path(path), language)
                layer.visible = choice.shown
                layers.append(layer)
            if not choices:
                layers.append(open_file_for_scene(path, scene_crs, kind=kind, cancelled=cancelled, **options))
        except InputError as exc:
            errors.append(exc)
        except (Cancelled, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001 - a reader's bug: that file fails, the others open
            errors.append(unexpected(path, exc))
    return layers, errors
