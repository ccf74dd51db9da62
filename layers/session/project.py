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
     "story": [...], "annotations": [...],
     "area": {"crs": "EPSG:2154", "outline": GeoJSON Polygon, "name": "Redon", "code": "35236"}}

``area`` (optional) is the part of the world a model covers (:class:`layers.core.area.Area`): every
layer reads only the features (the raster window) that meet it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from layers.core.errors import InputError
from layers.core.timeutil import DEFAULT_TIMEZONE
from layers.io.atomic import atomic_write_text
from layers.session.document_checks import (
    DAMAGED,
    MAX_DEPTH,
    check_layer_values,
    check_values,
    deep_place,
    parse_constant,
    parse_float,
    parse_int,
    refuse,
    shown,
)
from layers.session.views import CameraView

if TYPE_CHECKING:
    from layers.core.area import Area

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
        return project_title(self) or "Sans titre"

    @property
    def layer_specs(self) -> list[dict[str, Any]]:
        if self.data.get("layers") is None:
            self.data["layers"] = []
        return self.data["layers"]

    @property
    def timezone(self) -> str:
        return str(self.data.get("timezone") or DEFAULT_TIMEZONE)

    @property
    def area(self) -> Area | None:
        """The part of the world the model covers (``"area"``: a commune's outline or a box), read
        only there by every layer; ``None`` for a project of whole files."""
        from layers.core.area import Area

        data = self.data.get("area")
        return None if data is None else Area.from_dict(data, source=self.path)

    @area.setter
    def area(self, area: Area | None) -> None:
        if area is None:
            self.data.pop("area", None)
        else:
            self.data["area"] = area.to_dict()

    def views(self) -> list[CameraView]:
        views = []
        for i, item in enumerate(self.data.get("views") or []):
            try:
                views.append(CameraView.from_dict(item))
            except (ValueError, TypeError, AttributeError) as exc:
                raise InputError(
                    self.path, f"view {i + 1}: {exc}", field=f"views[{i}]", hint=DAMAGED
                ) from None
        return views

    def set_views(self, views: list[CameraView]) -> None:
        self.data["views"] = [v.to_dict() for v in views]

    def source_path(self, spec: dict[str, Any]) -> Path:
        """The data file of a layer spec, resolved against the project's folder."""
        return resolve_source(self.folder, spec["source"])


def spec_key(spec: dict[str, Any]) -> str:
    """How a layer spec is matched with its layer: its ``id``, else its name, else its source."""
    return str(spec.get("id") or spec.get("name") or spec.get("source"))


def project_title(project: Project) -> str:
    """The project's title, else its file's name; ``""`` for a new project never saved (the
    interface says "Untitled" in its language)."""
    return str(project.data.get("title") or (project.path.name.removesuffix(SUFFIX) if project.path else ""))


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
    """True when ``path`` lies outside ``folder`` (shown to the user before it is opened): by its
    name (``../``) or through a symbolic link, to a file or a folder, that leads out of it (real
    paths compared)."""
    try:
        Path(os.path.realpath(path)).relative_to(Path(os.path.realpath(folder)))
    except ValueError:
        return True
    return False


def outside_sources(project: Project) -> list[tuple[str, Path]]:
    """``(spec key, path)`` of every file the project reads outside its folder (layer sources and
    ``locations`` / ``proposed_of`` options), by ``../`` or through a symbolic link; ``path`` is
    where the data really is (links followed): shown to the user before anything is opened."""
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
                    out.append((spec_key(spec), Path(os.path.realpath(path))))
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
        data = json.loads(text, parse_constant=parse_constant, parse_float=parse_float, parse_int=parse_int)
    except RecursionError:
        raise refuse(path, deep_place(text), f"nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            path,
            f"not a project file: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})",
            hint="open a *.maquette.json saved by Maquette; a damaged one can be replaced by a backup copy",
        ) from None
    check_values(data, path)
    if not isinstance(data, dict):
        raise InputError(
            path,
            "not a project file (expected a JSON object)",
            hint="open a *.maquette.json saved by Maquette",
        )
    data = migrate(data, path)
    _validate(data, path)
    return Project(data=data, path=path)


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
    "area": (dict,),
    "plan": (dict,),
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


def _expect(path: Path | None, where: tuple[Any, ...], value: Any, types: tuple[type, ...]) -> None:
    if value is not None and (
        not isinstance(value, types) or (isinstance(value, bool) and bool not in types)
    ):
        wanted = " or ".join(dict.fromkeys(_NAMES[t] for t in types))
        raise refuse(path, where, f"should be {wanted}, not {shown(value)}")


def _validate(data: dict[str, Any], path: Path | None) -> None:
    """Every key this version knows holds what it should (:class:`InputError` naming its place in
    the document, e.g. ``layers[1].opacity``).

    A known list or object written ``null`` (a hand edit) means the same as an absent one: it is
    removed, so the accessors never meet ``None`` where they iterate. The values themselves (depth,
    text) are checked by :func:`layers.session.document_checks.check_values`.
    """
    check_values(data, path)
    for key, types in _DOCUMENT_TYPES.items():
        _expect(path, (key,), data.get(key), types)
        if key in data and data[key] is None and (list in types or dict in types):
            del data[key]
    if data.get("area") is not None:
        from layers.core.area import Area

        try:
            Area.from_dict(data["area"], source=path)
        except InputError as exc:
            raise InputError(path, exc.message, field=exc.field, hint=DAMAGED) from None
    for key, types in _CLOCK_TYPES.items():
        _expect(path, ("clock", key), (data.get("clock") or {}).get(key), types)
    for i, spec in enumerate(data.get("layers") or []):
        if not isinstance(spec, dict):
            raise refuse(path, ("layers", i), f"should be an object (a layer), not {shown(spec)}")
        if not isinstance(spec.get("source"), str) or not spec["source"]:
            raise refuse(
                path,
                ("layers", i, "source"),
                f"layer {spec.get('name', '?')!r} has no data path (expected the path of its data file, "
                f"not {shown(spec.get('source'))})",
            )
        for key, types in _SPEC_TYPES.items():
            _expect(path, ("layers", i, key), spec.get(key), types)
        check_layer_values(spec, i, path)


#: the checks of :func:`load_project` on a document from elsewhere (an autosave)
validate_document = _validate


# -- writing ----------------------------------------------------------------------------------
def save_project(project: Project, path: str | Path) -> Path:
    """Write ``project`` to ``path`` atomically (temp file, fsync, rename); returns the path."""
    path = Path(path).absolute()
    if not path.name.lower().endswith(SUFFIX):
        path = path.with_name(path.name.removesuffix(".json") + SUFFIX)
    text = json.dumps(project.data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    atomic_write_text(path, text)
    project.path = path
    return path
