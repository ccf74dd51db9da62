"""A new model of a place from a folder of downloads (``maquette new``, File › New model from open data…).

:func:`make_model` scans the files (:mod:`layers.session.new_scan`), finds the area
(:mod:`layers.session.new_area`: a commune, a box, or the data's extent), writes one layer per
recognised file or theme in the drawing order (terrain, orthophoto, water, vegetation, roads,
rail, buildings, trees, the rest) with a first style, the area, the scene CRS (the data's metric
CRS, Lambert-93 for French data) and a first view framing the area, opens it (every layer read
only over the area) and returns the :class:`NewModel` with its report: per file what it was
recognised as and its features in / shown / dropped with reasons, and the files not used and why.
:func:`write_model` saves the project atomically, never over one of its inputs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.area import Area
from layers.core.base import HasStats, Layer
from layers.core.errors import Cancelled, InputError
from layers.session.new_area import (
    bbox_area,
    commune_area,
    data_crs,
    extent_area,
    scene_crs_for,
)
from layers.session.new_scan import Found, scan
from layers.session.new_themes import HIDDEN_THEMES, ROLE_ORDER, Role, theme_key
from layers.session.project import SUFFIX, Progress, Project, relative_source, save_project
from layers.session.views import CameraView

#: the first view's name, per language
OVERVIEW = {"fr": "Vue d'ensemble", "en": "Overview"}

#: the colour of a plain vector layer by its role (the topo kind has a palette of its own)
ROLE_COLOURS: dict[Role, str] = {
    "water": "#8db9e2",
    "vegetation": "#a9cf8f",
    "rail": "#5f5f5f",
    "roads": "#f4f1ea",
}


def first_look(item: Found) -> tuple[dict[str, Any], dict[str, Any], bool]:
    """``(options, style, visible)`` of a new layer: water, woods, rail and the BD TOPO themes
    in one colour each (the topographic map's), the rest as its kind draws it; context themes
    (the commune's outline, zones of activity) hidden."""
    key = theme_key(item.theme)
    options: dict[str, Any] = {"layer": item.layer} if item.layer else {}
    if item.topo_theme:
        options["theme"] = item.topo_theme  # one theme of an OpenStreetMap extract
    style: dict[str, Any] = {}
    colour = ROLE_COLOURS.get(item.role)
    if colour and item.kind == "vector":
        options["category_field"] = ""  # one colour, no legend of its categories
        style["color"] = colour
    elif colour and item.kind == "streets":
        style["color"] = colour
    words = set(key.split("_"))
    if item.kind == "raster" and words & _SHOWN_AT_WILL:
        return options, style, False  # a height model over the orthophoto would hide it
    return options, style, key not in HIDDEN_THEMES


#: words of rasters kept hidden at first: infrared orthophotos, surface and height models
_SHOWN_AT_WILL = frozenset({"irc", "dsm", "mns", "dhm", "mnh", "ndsm"})


@dataclass
class LayerAccount:
    """What became of one recognised file or theme."""

    label: str
    kind: str
    role: Role
    features_in: int
    shown: int
    dropped: dict[str, int] = field(default_factory=dict)
    #: features of the file outside the area (not read)
    outside: int = 0
    visible: bool = True
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.label,
            "kind": self.kind,
            "role": self.role,
            "features_in": self.features_in,
            "shown": self.shown,
            "dropped": sum(self.dropped.values()),
            "dropped_reasons": dict(self.dropped),
            "outside_area": self.outside,
            "visible": self.visible,
            "warnings": list(self.warnings),
        }


@dataclass
class NewModel:
    """The project made, and its report."""

    project: Project
    area: Area
    layers: list[LayerAccount] = field(default_factory=list)
    #: ``(file, why)`` of every file not used
    unused: list[tuple[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON (``maquette new --json``)."""
        return {
            "command": "new",
            "output": str(self.project.path) if self.project.path else None,
            "area": self.area.label,
            "crs": crs_util.label(self.area.crs),
            "layers": [a.to_dict() for a in self.layers],
            "not_used": [{"file": f, "reason": why} for f, why in self.unused],
            **{f"{k}_s": round(v, 4) for k, v in self.timings.items()},
        }

    def report_lines(self) -> list[str]:
        """The report as a user reads it (English; the window translates the frame of it)."""
        crs = f" ({crs_util.label(self.area.crs)})" if self.area.name else ""
        lines = [f"Area: {self.area.label}{crs}", "Layers:"]
        for a in self.layers:
            dropped = ", ".join(f"{n:,} {why}" for why, n in a.dropped.items())
            line = f"  {a.label}: {a.kind} ({a.role}), {a.features_in:,} in, {a.shown:,} shown"
            line += f", {sum(a.dropped.values()):,} dropped ({dropped})" if a.dropped else ""
            line += f"; {a.outside:,} outside the area" if a.outside else ""
            line += "" if a.visible else " [hidden]"
            lines.append(line)
        if self.unused:
            lines.append("Not used:")
            lines += [f"  {name}: {why}" for name, why in self.unused]
        return lines


def area_for(
    found: Sequence[Found], scene_crs: CRS, *, commune: str | None, bbox: str | None, bbox_crs: str | None
) -> Area:
    """The area asked for (a commune, a box) or the data's extent, in ``scene_crs``."""
    if commune and bbox:
        raise InputError(None, "give --commune or --bbox, not both")
    if commune:
        return commune_area(found, commune).in_crs(scene_crs)
    if bbox:
        return bbox_area(bbox, bbox_crs, data_crs(found)).in_crs(scene_crs)
    return extent_area(found, scene_crs)


def check_output(output: Path, found: Sequence[Found]) -> Path:
    """The project path to write (``.maquette.json`` added); :class:`InputError` when it is one of
    the files used (a shapefile's sidecars included) or cannot be written."""
    from layers.io.atomic import check_writable
    from layers.io.outputs import check_not_inputs

    output = Path(output).absolute()
    inputs = [f.path for f in found if f.kind is not None]
    check_not_inputs([output], inputs)
    if not output.name.lower().endswith(SUFFIX):
        output = output.with_name(output.name.removesuffix(".json") + SUFFIX)
        check_not_inputs([output], inputs)
    if not output.parent.is_dir():
        raise InputError(output, "the output folder does not exist")
    check_writable(output)
    return output


def make_model(
    paths: Sequence[str | Path],
    output: str | Path,
    *,
    commune: str | None = None,
    bbox: str | None = None,
    bbox_crs: str | None = None,
    language: str = "en",
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> NewModel:
    """Scan ``paths``, find the area, make the project for ``output`` and open it to account for
    every feature (see the module docstring). Nothing is written: see :func:`write_model`.
    :class:`InputError` when no data is recognised, the commune is not found, or ``output`` is
    an input."""
    from time import perf_counter

    t0 = perf_counter()
    found = scan(paths, progress=_part(progress, 0.0, 0.2), cancelled=cancelled)
    used = [f for f in found if f.kind is not None]
    unused = [(f.label, f.reason or "not recognised") for f in found if f.kind is None]
    if not used:
        listed = "; ".join(f"{name}: {why}" for name, why in unused[:3])
        raise InputError(
            paths[0] if len(paths) == 1 else None,
            "no data Maquette can read among the files" + (f" ({listed})" if listed else ""),
            hint="name the folder of your downloads (BD TOPO, LiDAR HD, orthophotos, trees...)",
        )
    target = check_output(Path(output), used)
    t1 = perf_counter()
    scene_crs = scene_crs_for(used)
    area = area_for(used, scene_crs, commune=commune, bbox=bbox, bbox_crs=bbox_crs)
    t2 = perf_counter()
    project = project_for(used, area, target, language)
    model = NewModel(project, area, unused=unused)
    _open_and_account(model, used, progress=_part(progress, 0.3, 1.0), cancelled=cancelled)
    model.timings = {
        "scan": t1 - t0,
        "area": t2 - t1,
        "open": perf_counter() - t2,
        "total": perf_counter() - t0,
    }
    return model


def write_model(model: NewModel) -> Path:
    """Save the project of ``model`` atomically where :func:`make_model` was told; its path."""
    assert model.project.path is not None
    return save_project(model.project, model.project.path)


def project_for(found: Sequence[Found], area: Area, output: Path, language: str = "en") -> Project:
    """The project document of the files ``found`` over ``area``, to be written at ``output``."""
    order = {role: i for i, role in enumerate(ROLE_ORDER)}
    ground = _ground([f for f in found if f.role == "terrain"])
    # the ground first: what is draped lies on the first terrain
    ranked = sorted(enumerate(found), key=lambda item: (order[item[1].role], item[1] is not ground, item[0]))
    specs: list[dict[str, Any]] = []
    used_ids: set[str] = set()
    for _, item in ranked:
        key = base = theme_key(item.theme) or "layer"
        n = 2
        while key in used_ids:
            key, n = f"{base}_{n}", n + 1
        used_ids.add(key)
        spec: dict[str, Any] = {
            "id": key,
            "kind": item.kind,
            "name": _layer_name(item, language),
            "source": relative_source(output.parent, item.path.absolute()),
        }
        options, style, visible = first_look(item)
        if options:
            spec["options"] = options
        if style:
            spec["style"] = style
        if not visible:
            spec["visible"] = False
        if item.role == "terrain" and item is not ground:
            spec["visible"] = False  # one ground: a surface model is there to be shown at will
        specs.append(spec)
    project = Project(path=output)
    project.data.update(
        title=area.name or output.name.removesuffix(SUFFIX),
        crs=crs_util.label(area.crs),
        area=area.to_dict(),
        layers=specs,
    )
    project.set_views([overview(area, OVERVIEW.get(language, OVERVIEW["en"]))])
    return project


def _layer_name(item: Found, language: str) -> str:
    """The layer's name in the panel: the theme or file, an extract's theme in ``language``."""
    if item.topo_theme:
        from layers.io.osm import osm_name
        from layers.topo.palette import theme_title

        return f"{osm_name(item.path)} · {theme_title(item.topo_theme, language)}"
    return item.theme


def _ground(terrains: Sequence[Found]) -> Found | None:
    """The terrain model among ``terrains`` (named DTM / MNT first), the others hidden."""
    for item in terrains:
        words = theme_key(item.path.stem).split("_")
        if {"dtm", "mnt", "rgealti", "bdalti"} & set(words):
            return item
    return next((t for t in terrains if not {"dsm", "mns"} & set(theme_key(t.path.stem).split("_"))), None)


def overview(area: Area, name: str) -> CameraView:
    """A view of the whole area from the south, 55° above the horizon (scene CRS metres)."""
    xmin, ymin, xmax, ymax = area.bounds
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    half = max(xmax - xmin, ymax - ymin, 50.0) / 2
    distance = 1.15 * half / math.tan(math.radians(15.0))
    elevation = math.radians(55.0)
    position = (cx, cy - distance * math.cos(elevation), distance * math.sin(elevation))
    return CameraView(name, position, (cx, cy, 0.0))


def _open_and_account(
    model: NewModel,
    found: Sequence[Found],
    *,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> None:
    """Open the project's layers over its area; a layer that fails or holds nothing in the area
    leaves the project and joins the files not used, in words."""
    from layers.session.project import spec_key
    from layers.session.scene_io import build_scene

    project = model.project
    scene, report = build_scene(project, progress=progress, cancelled=cancelled)
    if cancelled is not None and cancelled():
        raise Cancelled()
    by_key = {spec_key(s): f for s, f in zip(project.layer_specs, _in_spec_order(project, found))}
    failed: dict[str, str] = {}
    for error in report.errors:
        for spec in project.layer_specs:
            if spec_key(spec) in project.unopened and spec_key(spec) not in failed:
                if error.path is None or project.source_path(spec) == Path(error.path).absolute():
                    failed[spec_key(spec)] = _why(error, model.area)
                    break
    for key in project.unopened:
        failed.setdefault(key, "could not be opened")
    for layer in scene.layers:
        key = layer.project_id or layer.name
        if layer.feature_count() == 0:
            failed[key] = f"empty in {model.area.label}"
            continue
        item = by_key[key]
        model.layers.append(_account(item, layer))
    for spec in list(project.layer_specs):
        key = spec_key(spec)
        if key in failed:
            model.unused.append((by_key[key].label, failed[key]))
            project.data["layers"] = [s for s in project.layer_specs if spec_key(s) != key]
    project.unopened.clear()


def _in_spec_order(project: Project, found: Sequence[Found]) -> list[Found]:
    """``found`` in the order of the project's specs (matched by source and layer)."""
    out = []
    for spec in project.layer_specs:
        source = project.source_path(spec)
        options = spec.get("options") or {}
        out.append(
            next(
                f
                for f in found
                if f.path.absolute() == source
                and f.layer == options.get("layer")
                and f.topo_theme == options.get("theme")
            )
        )
    return out


def _why(error: InputError, area: Area) -> str:
    """Why a layer is not used, in the words of the reader (not "data of layer ... cannot be read")."""
    cause = error.__cause__
    message = cause.message if isinstance(cause, InputError) else error.message
    if "none of its features meets" in message or "none of its pixels meets" in message:
        return f"empty in {area.label}"
    return message


#: the reason the report gives for an extract's features another layer of the model shows
OTHER_LAYERS = "of another theme (another layer of this file)"
#: the readers' reasons for a feature of another theme of the same file (OpenStreetMap's)
_OTHER_THEME_PREFIXES = ("another theme: ", "not a building: ")


def _account(item: Found, layer: Layer[Any]) -> LayerAccount:
    stats = layer.stats if isinstance(layer, HasStats) else {}
    count = int(layer.feature_count())
    dropped: dict[str, int] = {}
    for reason, n in (stats.get("dropped_reasons") or {}).items():
        # an extract's features of the other themes are shown by the model's other layers
        why = OTHER_LAYERS if str(reason).startswith(_OTHER_THEME_PREFIXES) else str(reason)
        dropped[why] = dropped.get(why, 0) + int(n)
    features_in = int(stats.get("features_in", count + sum(dropped.values())))
    return LayerAccount(
        label=item.label,
        kind=layer.kind,
        role=item.role,
        features_in=features_in,
        shown=features_in - sum(dropped.values()),
        dropped=dropped,
        outside=int(stats.get("outside_area", 0) or 0),
        visible=layer.visible,
        warnings=list(layer.warnings),
    )


def _part(progress: Progress | None, start: float, end: float) -> Progress | None:
    """``progress`` mapped onto ``[start, end]`` of the whole."""
    if progress is None:
        return None
    report = progress
    return lambda fraction, message: report(start + (end - start) * fraction, message)
