"""``maquette info``: what a file is, as a JSON-ready dict (kind, CRS, count, bounds, fields...)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from time import perf_counter
from typing import Any

import numpy as np

from layers.core import crs as crs_util
from layers.core.base import Layer
from layers.core.detect import detect_kind
from layers.core.errors import InputError
from layers.session.project import load_project


def describe_path(path: str | Path, *, crs: str | None = None) -> dict[str, Any]:
    """Describe a data file or a project; :class:`InputError` when it cannot be read."""
    from layers.core.reading import open_layer
    from layers.core.safety import check_local

    check_local(path)  # before Path() folds 'http://' into 'http:/'
    path = Path(path)
    t0 = perf_counter()
    kind = detect_kind(path)
    if kind == "project":
        return describe_project(path)
    options = {"crs": crs} if crs else {}
    layer = open_layer(path, kind, **options)
    info: dict[str, Any] = {"path": str(path), **layer.describe()}
    info["load_s"] = round(perf_counter() - t0, 4)
    if layer.crs is not None and "bounds" in info:
        try:
            b = info["bounds"]
            lon, lat = crs_util.to_wgs84(layer.crs, np.array([b[0], b[2]]), np.array([b[1], b[3]]))
            info["bounds_wgs84"] = [
                round(float(lon[0]), 6),
                round(float(lat[0]), 6),
                round(float(lon[1]), 6),
                round(float(lat[1]), 6),
            ]
        except Exception:  # noqa: BLE001 - the WGS84 box is a convenience
            pass
    return info


def warning_lines(layers: Iterable[Layer[Any]]) -> list[str]:
    """The loaders' warnings of ``layers`` (what was repaired, guessed, defaulted or left out), one
    line each naming its file (``batiments.gpkg: 2 invalid polygons were repaired``): what
    ``maquette info`` lists under each file, and what the other commands print and put in
    ``--json``."""
    lines = []
    for layer in layers:
        label = layer.source.name if layer.source is not None else layer.name
        for warning in layer.warnings:
            lines.append(warning if warning.startswith(f"{label}:") else f"{label}: {warning}")
    return lines


def describe_project(path: Path) -> dict[str, Any]:
    project = load_project(path)
    layers = []
    for spec in project.layer_specs:
        source = project.source_path(spec)
        layers.append(
            {
                "id": spec.get("id"),
                "kind": spec.get("kind"),
                "name": spec.get("name"),
                "source": spec.get("source"),
                "exists": source.exists(),
            }
        )
    clock = project.data.get("clock") or {}
    info = {
        "path": str(path),
        "kind": "project",
        "title": project.title,
        "version": project.data.get("version"),
        "crs": project.data.get("crs"),
        "timezone": project.timezone,
        "layers": layers,
        "views": [v.name for v in project.views()],
        "story_steps": len(project.data.get("story") or []),
    }
    if clock.get("start") and clock.get("end"):
        info["time_range"] = [clock["start"], clock["end"]]
    area = project.area
    if area is not None:  # what every layer is read over
        info["area"] = {"label": area.label, "bounds": [round(v, 2) for v in area.bounds]}
    missing = [layer["source"] for layer in layers if not layer["exists"]]
    if missing:
        info["warnings"] = [f"missing data: {m}" for m in missing]
    return info


__all__ = ["describe_path", "describe_project", "warning_lines", "InputError"]
