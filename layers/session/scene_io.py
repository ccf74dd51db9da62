"""A project's layers and clock, and the scene: building the scene a project describes, and writing
the scene's layers, styles and clock back into the document.

A layer whose data is missing or bad is reported in a :class:`LoadReport` and skipped; the others
still open, and its spec stays in the document when it is saved (:attr:`Project.unopened`), so a
project is never lost because one file moved.
"""

from __future__ import annotations

import copy
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from layers import __version__
from layers.core.base import Layer
from layers.core.errors import Cancelled, CRSMissing, DataMissing, DataUnreadable, InputError
from layers.core.scene import Scene
from layers.core.timeutil import parse_time
from layers.session.project import (
    CURRENT_VERSION,
    Progress,
    Project,
    relative_source,
    resolve_source,
    spec_key,
)

if TYPE_CHECKING:
    from layers.core.area import Area


# -- building the scene ------------------------------------------------------------------------
@dataclass
class LoadReport:
    """What happened while opening a project: the layers that failed, with their messages."""

    errors: list[InputError] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    #: spec key → why the data of a layer in ``missing`` cannot be read (it is there, but damaged,
    #: empty, a folder or a device, or not allowed); absent for data that is not there
    unreadable: dict[str, str] = field(default_factory=dict)


def open_spec(project: Project, spec: dict[str, Any], *, area: Area | None = None) -> Layer:
    """Read one layer spec of ``project`` (data file, options, style, visibility), only over
    ``area`` (default: the project's, :attr:`Project.area`) when its kind's loader takes one."""
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
    try:
        source.stat()
        found = True
    except FileNotFoundError:
        found = False
    except (OSError, ValueError) as exc:  # a name too long, a null character...: as missing, in words
        why = exc.strerror if isinstance(exc, OSError) else "its name holds a null character"
        raise DataMissing(
            source,
            f"data of layer {spec.get('name', spec['source'])!r} cannot be reached: {why}",
            hint="locate it or remove the layer",
        ) from None
    if not found:
        raise DataMissing(
            source,
            f"data of layer {spec.get('name', spec['source'])!r} is missing (moved or deleted?)",
            hint="locate it or remove the layer",
        )
    options = dict(spec.get("options") or {})
    for key, value in list(options.items()):
        if key in {"locations", "proposed_of"} and isinstance(value, str):
            options[key] = resolve_source(project.folder, value)
    name = spec.get("name") or source.stem
    area = area if area is not None else project.area
    if area is not None and reads_area(source, spec.get("kind")):
        options["area"] = area
    try:
        layer = open_layer(source, spec.get("kind"), name=name, **options)
    except (CRSMissing, DataMissing):
        raise  # the app asks for a CRS; a locations file missing says so itself
    except InputError as exc:
        if not _about_the_file(exc, source):
            raise  # an option, a field or a feature at fault: said as it is
        raise _unreadable(source, name, exc.message, exc.hint) from exc
    except OSError as exc:  # no permission, an input / output error: as missing, in words
        raise _unreadable(source, name, exc.strerror or str(exc), None) from exc
    layer.apply_style(spec.get("style") or {})
    layer.visible = bool(spec.get("visible", True))
    layer.opacity = float(1.0 if spec.get("opacity") is None else spec["opacity"])
    layer.project_id = spec.get("id") or layer.name
    if spec.get("attribution"):
        layer.attribution = spec["attribution"]
    return layer


def reads_area(source: Path, kind_name: str | None) -> bool:
    """Whether the loader of ``kind_name`` (detected from ``source`` when ``None``) takes an
    ``area`` keyword (the kinds that read part of a file: vector, streets, noise, rasters...); a
    kind that does not is read whole."""
    import inspect

    from layers.core.detect import detect_kind
    from layers.core.kinds import kind

    try:
        chosen = kind(kind_name or detect_kind(source))
        load = chosen.class_for(source).load
    except (KeyError, InputError, OSError):
        return False
    return "area" in inspect.signature(load).parameters


def _about_the_file(error: InputError, source: Path) -> bool:
    """True when ``error`` says the file ``source`` itself cannot be read (not a field, a feature
    or an option of the layer)."""
    if error.path is None or error.field is not None or error.feature is not None:
        return False
    try:
        return os.path.realpath(error.path) == os.path.realpath(source)
    except (OSError, ValueError):
        return False


def _unreadable(source: Path, name: str, why: str, hint: str | None) -> DataUnreadable:
    return DataUnreadable(
        source,
        f"data of layer {name!r} cannot be read: {why.rstrip('. ')}",
        hint=(f"{hint}; " if hint else "") + "locate a good copy or remove the layer",
    )


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
    except (ValueError, OSError) as exc:
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
        except (Cancelled, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001 - that layer fails (said), the others open
            error = exc if isinstance(exc, InputError) else _unexpected(project, i, spec, exc)
            report.errors.append(error)
            project.unopened.add(spec_key(spec))
            if isinstance(error, DataMissing):
                report.missing.append(spec)
            if isinstance(error, DataUnreadable):
                report.unreadable[spec_key(spec)] = error.message
            continue
        project.unopened.discard(spec_key(spec))
        scene.add(layer)
    if project.data.get("plan") is not None:
        _show_plan(project, scene, report)
    from layers.noise.facade import link_facades  # noise layers asking for façades annotate the buildings

    link_facades(scene)
    apply_clock(project, scene)
    if progress:
        progress(1.0, "")
    return scene, report


def _show_plan(project: Project, scene: Scene, report: LoadReport) -> None:
    """Add the project's planned project (its active variant) to ``scene``; a plan that cannot be
    read is reported, and kept in the document as it is."""
    from layers.plan.model import Plan
    from layers.plan.scene import show_plan

    try:
        plan = Plan.from_dict(project.data["plan"], project.path)
    except InputError as exc:
        report.errors.append(exc)
        return
    if scene.crs is not None:
        show_plan(scene, plan)


def _unexpected(project: Project, index: int, spec: dict[str, Any], exc: Exception) -> InputError:
    """The error of a layer whose opening failed in an unexpected way (a bug, or a value of the
    project no check foresaw); the traceback kept in ``details`` for a bug report."""
    import traceback

    error = InputError(
        project.path,
        f"layer {spec.get('name', spec['source'])!r} could not be opened ({type(exc).__name__}: {exc})",
        field=f"layers[{index}]",
        hint="check that layer's options and style in the project; if they look right, please report it",
    )
    error.details = "".join(traceback.format_exception(exc))
    return error


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


# -- writing back ---------------------------------------------------------------------------------
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
    from layers.plan.layer import PlanLayer

    for layer in scene.layers:
        if isinstance(layer, PlanLayer):  # kept under "plan" by the session, not as a data file
            continue
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
