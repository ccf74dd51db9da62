"""Opening what the user named: a project, data files, or nothing (the sample city).

Shared by the GUI and the command line, so ``maquette render x.shp`` and File > Open read files the
same way.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from layers.core.detect import detect_kind, is_project
from layers.core.errors import InputError
from layers.core.scene import Scene
from layers.session.project import LoadReport, Progress, Project, build_scene, load_project


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


def project_for_files(paths: list[Path], *, crs: str | None = None) -> Project:
    """A new project whose layers are ``paths`` (kinds detected), in the order given."""
    project = Project()
    used: set[str] = set()
    for path in paths:
        path = Path(path).absolute()
        kind = detect_kind(path)
        if kind == "project":
            raise InputError(path, "a project file cannot be added as a layer (open it instead)")
        base = path.stem or "layer"
        key, n = base, 2
        while key in used:
            key, n = f"{base}_{n}", n + 1
        used.add(key)
        spec = {"id": key, "kind": kind, "name": base, "source": str(path)}
        if crs:
            spec["options"] = {"crs": crs}
        project.layer_specs.append(spec)
    return project


def outside_of(
    paths: list[str | Path], *, recover: bool = False
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
    paths: list[str | Path],
    *,
    crs: str | None = None,
    strict: bool = True,
    recover: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    skip: set[str] | None = None,
) -> Session:
    """Open a project, data files (a project plus files also works) or, with no path, the sample city.

    With ``strict``, a data file named directly that cannot be read raises :class:`InputError`
    (the command line exits 2); layers of a project that fail are reported, the rest opens. With
    ``recover`` (the GUI), a project that has an autosave (unsaved work of a session that was
    killed) opens as it was autosaved. Layers of the project whose key is in ``skip`` are not
    opened (see :func:`layers.session.project.build_scene`).
    """
    from layers.core.safety import check_local

    for raw in paths:
        check_local(raw)  # a web address is refused before anything is read: Maquette works offline
    paths = [Path(p) for p in paths] or [sample_project_path()]
    projects = [p for p in paths if is_project(p)]
    files = [p for p in paths if not is_project(p)]
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
            extra = project_for_files(files, crs=crs)
            project.layer_specs.extend(extra.layer_specs)
    else:
        project = project_for_files(files, crs=crs)
    scene, report = build_scene(project, progress=progress, cancelled=cancelled, skip=skip)
    if strict and report.errors:
        direct = {Path(p).absolute() for p in files}
        for error in report.errors:
            if error.path is not None and error.path.absolute() in direct:
                raise error
    if not scene.layers and report.errors:
        raise report.errors[0]
    return Session(project, scene, report, recovered_at)
