"""The project file (``*.maquette.json``): a saved session as one plain JSON document.

Layers reference their data by a path relative to the project file, never embed it. The document is
versioned (``"version": 1``); older versions go through :data:`MIGRATIONS`. Keys this version does
not know survive a load / save round trip. Saving is atomic: a temporary file in the same folder is
written, flushed, fsynced, then renamed over the old one, so a crash leaves the last good file.
Nothing is ever unpickled or evaluated.

Document shape (version 1)::

    {"version": 1, "maquette": "0.1.0", "title": "...", "crs": "EPSG:2154",
     "timezone": "Europe/Paris",
     "clock": {"time": ISO, "start": ISO, "end": ISO, "speed_s_per_s": 600, "loop": true},
     "layers": [{"id": "buildings", "kind": "buildings", "name": "Bâtiments",
                 "source": "buildings.gpkg", "options": {...}, "style": {...},
                 "visible": true, "opacity": 1.0}],
     "views": [{"name": ..., "position": [x, y, z], "focal_point": [...], "view_up": [...]}],
     "story": [...], "annotations": [...]}
"""

from __future__ import annotations

import copy
import json
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

from layers import __version__
from layers.core.base import Layer
from layers.core.errors import Cancelled, DataMissing, InputError
from layers.core.scene import Scene
from layers.core.timeutil import DEFAULT_TIMEZONE, parse_time
from layers.session.views import CameraView

CURRENT_VERSION = 1
SUFFIX = ".maquette.json"

#: version N → function turning a version-N document into version N+1
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}

#: progress(fraction 0..1, message)
Progress = Callable[[float, str], None]


@dataclass
class Project:
    """A project document and where it lives.

    ``data`` is the whole JSON document, unknown keys included; the accessors below read and write
    the keys this version knows.
    """

    data: dict[str, Any] = field(default_factory=lambda: {"version": CURRENT_VERSION, "layers": []})
    path: Path | None = None
    #: keys (:func:`spec_key`) of the layers that could not be opened (missing or bad data): their
    #: specs stay in the document when it is saved, so a moved file never loses its layer
    unopened: set[str] = field(default_factory=set, compare=False)

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    @property
    def title(self) -> str:
        return str(
            self.data.get("title") or (self.path.name.removesuffix(SUFFIX) if self.path else "Sans titre")
        )

    @property
    def layer_specs(self) -> list[dict[str, Any]]:
        if self.data.get("layers") is None:
            self.data["layers"] = []
        return self.data["layers"]

    @property
    def timezone(self) -> str:
        return str(self.data.get("timezone") or DEFAULT_TIMEZONE)

    def views(self) -> list[CameraView]:
        views = []
        for i, item in enumerate(self.data.get("views") or []):
            try:
                views.append(CameraView.from_dict(item))
            except (ValueError, TypeError, AttributeError) as exc:
                raise InputError(self.path, f"view {i + 1}: {exc}") from None
        return views

    def set_views(self, views: list[CameraView]) -> None:
        self.data["views"] = [v.to_dict() for v in views]

    def source_path(self, spec: dict[str, Any]) -> Path:
        """The data file of a layer spec, resolved against the project's folder."""
        return resolve_source(self.folder, spec["source"])


def spec_key(spec: dict[str, Any]) -> str:
    """How a layer spec is matched with its layer: its ``id``, else its name, else its source."""
    return str(spec.get("id") or spec.get("name") or spec.get("source"))


def relocate(project: Project, key: str, path: Path) -> dict[str, Any]:
    """Point the spec ``key`` at ``path`` (written relative to the project's folder); returns it."""
    spec = next(s for s in project.layer_specs if spec_key(s) == key)
    spec["source"] = relative_source(project.folder, Path(path).absolute())
    return spec


def forget_layer(project: Project, key: str) -> None:
    """Remove the spec ``key`` from the document (a layer the user chose to drop)."""
    project.data["layers"] = [s for s in project.layer_specs if spec_key(s) != key]
    project.unopened.discard(key)


def resolve_source(folder: Path, source: str) -> Path:
    """``source`` (relative to ``folder`` or absolute) as an absolute, normalised path."""
    candidate = Path(source).expanduser()
    if not candidate.is_absolute():
        candidate = folder / candidate
    return Path(os.path.normpath(candidate.absolute()))


def is_outside(folder: Path, path: Path) -> bool:
    """True when ``path`` lies outside ``folder`` (shown to the user before it is opened)."""
    try:
        Path(os.path.normpath(path.absolute())).relative_to(Path(os.path.normpath(folder.absolute())))
    except ValueError:
        return True
    return False


def outside_sources(project: Project) -> list[tuple[str, Path]]:
    """``(spec key, path)`` of every file the project reads outside its folder (layer sources and
    ``locations`` / ``proposed_of`` options): shown to the user before anything is opened."""
    from layers.core.safety import is_remote

    out = []
    for spec in project.layer_specs:
        values = [spec.get("source")] + [
            (spec.get("options") or {}).get(k) for k in ("locations", "proposed_of")
        ]
        for value in values:
            if isinstance(value, str) and value and not is_remote(value):
                path = resolve_source(project.folder, value)
                if is_outside(project.folder, path):
                    out.append((spec_key(spec), path))
    return out


def relative_source(folder: Path, path: Path) -> str:
    """How a project in ``folder`` writes ``path``: relative with ``/`` when possible."""
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


# -- reading ----------------------------------------------------------------------------------
def load_project(path: str | Path) -> Project:
    """Read and migrate a project file; :class:`InputError` for anything that is not one."""
    path = Path(path).absolute()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            path,
            "no such project file",
            hint="check the name; a project that moved must be opened from its new place",
        ) from None
    except UnicodeDecodeError:
        raise InputError(path, "not a project file (not UTF-8 text)") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None
    try:
        data = json.loads(text, parse_constant=_not_a_number, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise InputError(
            path,
            f"not a project file: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})",
            hint="open a *.maquette.json saved by Maquette; a damaged one can be replaced by a backup copy",
        ) from None
    except ValueError as exc:  # NaN, Infinity, 1e999: not JSON numbers (Maquette never writes them)
        raise InputError(
            path,
            f"not a project file: {exc}",
            hint="the project file was edited by hand or damaged: fix that value, or use a backup copy",
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            path,
            "not a project file (expected a JSON object)",
            hint="open a *.maquette.json saved by Maquette",
        )
    data = migrate(data, path)
    _validate(data, path)
    return Project(data=data, path=path)


def _not_a_number(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is beyond the numbers a project holds")
    return value


def migrate(data: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    """Bring a document up to :data:`CURRENT_VERSION` through :data:`MIGRATIONS`."""
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise InputError(
            path,
            f"not a Maquette project (field 'version' should be a positive integer, got {version!r})",
            hint="open a *.maquette.json saved by Maquette",
        )
    if version > CURRENT_VERSION:
        raise InputError(
            path,
            f"made by a newer Maquette (project version {version}, this one reads up to {CURRENT_VERSION})",
            hint="update Maquette",
        )
    while version < CURRENT_VERSION:
        data = MIGRATIONS[version](data)
        version = data["version"]
    return data


#: what the known keys of a document must hold (``None`` is always allowed); unknown keys are free
_DOCUMENT_TYPES: dict[str, tuple[type, ...]] = {
    "title": (str,),
    "crs": (str, int),
    "timezone": (str,),
    "clock": (dict,),
    "layers": (list,),
    "views": (list,),
    "story": (list,),
    "annotations": (list,),
    "moments": (list,),
}
_CLOCK_TYPES: dict[str, tuple[type, ...]] = {
    "time": (str,),
    "start": (str,),
    "end": (str,),
    "speed_s_per_s": (int, float),
    "loop": (bool, int),
}
_SPEC_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str, int),
    "kind": (str,),
    "name": (str,),
    "options": (dict,),
    "style": (dict,),
    "visible": (bool, int),
    "opacity": (int, float),
    "attribution": (str,),
}
_NAMES = {
    dict: "an object",
    list: "a list",
    str: "a text",
    int: "a number",
    float: "a number",
    bool: "true or false",
}


def _expect(path: Path | None, where: str, value: Any, types: tuple[type, ...], field: str) -> None:
    if value is not None and (
        not isinstance(value, types) or (isinstance(value, bool) and bool not in types)
    ):
        wanted = " or ".join(dict.fromkeys(_NAMES[t] for t in types))
        raise InputError(
            path,
            f"{where} should be {wanted}, not {json.dumps(value)[:40]}",
            field=field,
            hint="the project file was edited by hand or damaged: fix that value, or use a backup copy",
        )


def _validate(data: dict[str, Any], path: Path | None) -> None:
    """Every key this version knows holds what it should (:class:`InputError` naming it).

    A known list or object written ``null`` (a hand edit) means the same as an absent one: it is
    removed, so the accessors never meet ``None`` where they iterate.
    """
    for key, types in _DOCUMENT_TYPES.items():
        _expect(path, f"field {key!r}", data.get(key), types, key)
        if key in data and data[key] is None and (list in types or dict in types):
            del data[key]
    for key, types in _CLOCK_TYPES.items():
        _expect(path, f"clock field {key!r}", (data.get("clock") or {}).get(key), types, "clock")
    for i, spec in enumerate(data.get("layers") or []):
        if not isinstance(spec, dict):
            raise InputError(path, f"layer {i + 1} should be an object", field="layers")
        if not isinstance(spec.get("source"), str) or not spec["source"]:
            raise InputError(
                path, f"layer {i + 1} ({spec.get('name', '?')}) has no 'source' path", field="source"
            )
        for key, types in _SPEC_TYPES.items():
            _expect(path, f"layer {i + 1}: {key!r}", spec.get(key), types, key)


#: the checks of :func:`load_project` on a document from elsewhere (an autosave)
validate_document = _validate


# -- building the scene ------------------------------------------------------------------------
@dataclass
class LoadReport:
    """What happened while opening a project: the layers that failed, with their messages."""

    errors: list[InputError] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)


def open_spec(project: Project, spec: dict[str, Any]) -> Layer:
    """Read one layer spec of ``project`` (data file, options, style, visibility)."""
    from layers.core.reading import open_layer
    from layers.core.safety import is_remote

    if is_remote(spec["source"]):
        raise InputError(
            project.path,
            f"layer {spec.get('name', spec['source'])!r}: its source {spec['source']!r} is a web address "
            "or a remote source; Maquette only opens files on this computer",
            field="source",
            hint="download the data beside the project and point the layer at it",
        )
    source = project.source_path(spec)
    if not source.exists():
        raise DataMissing(
            source,
            f"data of layer {spec.get('name', spec['source'])!r} is missing (moved or deleted?)",
            hint="locate it or remove the layer",
        )
    options = dict(spec.get("options") or {})
    for key, value in list(options.items()):
        if key in {"locations", "proposed_of"} and isinstance(value, str):
            options[key] = resolve_source(project.folder, value)
    layer = open_layer(source, spec.get("kind"), name=spec.get("name") or source.stem, **options)
    layer.apply_style(spec.get("style") or {})
    layer.visible = bool(spec.get("visible", True))
    layer.opacity = float(spec.get("opacity", 1.0))
    layer.project_id = spec.get("id") or layer.name
    if spec.get("attribution"):
        layer.attribution = spec["attribution"]
    return layer


def build_scene(
    project: Project,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    skip: set[str] | None = None,
) -> tuple[Scene, LoadReport]:
    """Open every layer of ``project`` into a new :class:`Scene`.

    A layer whose data is missing or bad is reported in the :class:`LoadReport` and skipped; the
    others still open, so a project is never lost because one file moved. Layers whose key
    (:func:`spec_key`) is in ``skip`` are not opened (the user declined data outside the project's
    folder); they are reported and kept in the project all the same.
    """
    from layers.core.crs import parse_crs

    damaged = "the project file was edited by hand or damaged: fix that value, or use a backup copy"
    crs = project.data.get("crs")
    try:
        crs = parse_crs(crs) if crs is not None else None
    except ValueError as exc:
        raise InputError(project.path, str(exc), field="crs", hint=damaged) from None
    try:
        scene = Scene(crs=crs, timezone=project.timezone)
    except ValueError as exc:
        raise InputError(project.path, str(exc), field="timezone", hint=damaged) from None
    report = LoadReport()
    specs = project.layer_specs
    for i, spec in enumerate(specs):
        if cancelled is not None and cancelled():
            raise Cancelled()
        if progress:
            progress(i / max(len(specs), 1), f"{spec.get('name') or spec.get('source')}")
        try:
            if skip and spec_key(spec) in skip:
                raise InputError(
                    project.source_path(spec),
                    f"layer {spec.get('name', spec['source'])!r} not opened: "
                    "its data lies outside the project's folder",
                    hint="open the project again and accept it, or move the data beside the project",
                )
            layer = open_spec(project, spec)
        except InputError as exc:
            report.errors.append(exc)
            project.unopened.add(spec_key(spec))
            if isinstance(exc, DataMissing):
                report.missing.append(spec)
            continue
        project.unopened.discard(spec_key(spec))
        scene.add(layer)
    from layers.noise.facade import link_facades  # noise layers asking for façades annotate the buildings

    link_facades(scene)
    apply_clock(project, scene)
    if progress:
        progress(1.0, "")
    return scene, report


def apply_clock(project: Project, scene: Scene) -> None:
    """Set the scene clock from the project's ``clock`` entry (range, time, speed, loop)."""
    clock = project.data.get("clock") or {}
    tz = scene.timezone
    try:
        if clock.get("start") and clock.get("end"):
            scene.clock.set_range(parse_time(clock["start"], tz), parse_time(clock["end"], tz))
        if clock.get("time"):
            scene.clock.time = parse_time(clock["time"], tz)
    except ValueError as exc:
        raise InputError(project.path, f"clock: {exc}", field="clock") from None
    speed = clock.get("speed_s_per_s")
    if speed is not None:
        if not math.isfinite(speed) or not 0 < abs(speed) <= 1e9:
            raise InputError(
                project.path, f"clock: speed_s_per_s {speed} is not a replay speed", field="clock"
            )
        scene.clock.speed_s_per_s = float(speed)
    if clock.get("loop") is not None:
        scene.clock.loop = bool(clock["loop"])


# -- writing ----------------------------------------------------------------------------------
def update_from_scene(project: Project, scene: Scene, folder: Path | None = None) -> Project:
    """Write the scene's layers and clock into the project document (unknown keys kept).

    Layer specs are matched by ``project_id``; a spec's unknown keys survive. Sources are written
    relative to ``folder`` (the folder the project is being saved to). The specs of layers that
    could not be opened (:attr:`Project.unopened`) are kept where they were, their sources
    rewritten for ``folder``.
    """
    folder = folder or project.folder
    old_specs = {spec_key(spec): spec for spec in project.layer_specs}
    specs = []
    for layer in scene.layers:
        key = getattr(layer, "project_id", None) or layer.name
        spec = copy.deepcopy(old_specs.get(key, {}))
        spec.update(
            id=key,
            kind=layer.kind,
            name=layer.name,
            visible=layer.visible,
            opacity=round(layer.opacity, 3),
            style=_jsonable(layer.style.to_dict()),
        )
        if layer.source is not None:
            spec["source"] = relative_source(folder, layer.source.absolute())
        options = _jsonable(getattr(layer, "options", {}) or {})
        for name, value in list(options.items()):
            if name in {"locations", "proposed_of"} and isinstance(value, str):
                options[name] = relative_source(folder, Path(value).absolute())
        if options:
            spec["options"] = options
        specs.append(spec)
    specs = _keep_unopened(project, specs, folder)
    data = project.data
    data["version"] = CURRENT_VERSION
    data["maquette"] = __version__
    data["layers"] = specs
    if scene.crs is not None:
        from layers.core.crs import label

        data["crs"] = label(scene.crs)
    data["timezone"] = scene.timezone
    clock = dict(data.get("clock") or {})
    if scene.clock.time is not None:
        clock["time"] = scene.clock.time.isoformat()
    if scene.clock.start is not None and scene.clock.end is not None:
        clock.update(start=scene.clock.start.isoformat(), end=scene.clock.end.isoformat())
    clock.update(speed_s_per_s=scene.clock.speed_s_per_s, loop=scene.clock.loop)
    data["clock"] = clock
    return project


def _keep_unopened(project: Project, specs: list[dict[str, Any]], folder: Path) -> list[dict[str, Any]]:
    """``specs`` with the specs of unopened layers put back after the layer that preceded them."""
    from layers.core.safety import is_remote

    opened = {spec_key(s) for s in specs}
    out = list(specs)
    for i, old in enumerate(project.layer_specs):
        key = spec_key(old)
        if key not in project.unopened or key in opened:
            continue
        kept = copy.deepcopy(old)
        if isinstance(kept.get("source"), str) and folder != project.folder and not is_remote(kept["source"]):
            kept["source"] = relative_source(folder, project.source_path(kept))
        position = 0
        for before in reversed(project.layer_specs[:i]):
            found = next((j for j, s in enumerate(out) if spec_key(s) == spec_key(before)), None)
            if found is not None:
                position = found + 1
                break
        out.insert(position, kept)
    return out


def save_project(project: Project, path: str | Path) -> Path:
    """Write ``project`` to ``path`` atomically (temp file, fsync, rename); returns the path."""
    path = Path(path).absolute()
    if not path.name.lower().endswith(SUFFIX):
        path = path.with_name(path.name.removesuffix(".json") + SUFFIX)
    text = json.dumps(project.data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    atomic_write_text(path, text)
    project.path = path
    return path


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    for stale in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):  # left by a save killed midway
        try:
            stale.unlink()
        except OSError:
            pass


def _jsonable(value: Any) -> Any:
    """Plain JSON types only (numpy scalars, tuples and paths converted)."""
    return json.loads(json.dumps(value, default=_default))


def _default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (set, tuple)):
        return list(value)
    if isinstance(value, Path):
        return value.as_posix()
    raise TypeError(f"cannot save {type(value).__name__} in a project file")
