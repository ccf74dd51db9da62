"""A sunlight study of the scene: hours of sun over a day, and what a planned project takes away.

What the app's « Ensoleillement » dialog runs (off the GUI thread): the visible buildings layers are
the existing city, the layers marked as a planned project (option ``proposed: true`` or ``role:
"proposed"`` in the project file, or « Marquer comme projet » in the layer panel) are the project.
The results are written as GeoTIFFs (so the project file can reference them) and opened as
:class:`layers.sunlight.layer.SunlightLayer` layers, with the figures a public meeting asks for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import CRS

from layers.core.base import Layer
from layers.core.errors import InputError
from layers.sun.shadow_map import Footprints
from layers.sunlight.hours import sunlight_change, sunlight_hours, write_hours
from layers.sunlight.layer import SunlightLayer

#: colour given to a layer marked as a planned project (orange, reads as "new" on a plan)
PROPOSED_COLOR = "#e8833a"


def is_proposed(layer: Layer) -> bool:
    """True for a buildings layer marked as a planned project."""
    options = getattr(layer, "options", {}) or {}
    return layer.kind == "buildings" and (
        bool(options.get("proposed")) or str(options.get("role", "")).lower() == "proposed"
    )


def mark_proposed(layer: Layer, proposed: bool = True) -> None:
    """Mark (or unmark) a buildings layer as a planned project; it is drawn in orange."""
    if layer.kind != "buildings":
        raise ValueError("only buildings can be a planned project")
    layer.options = dict(layer.options or {})
    if proposed:
        layer.options["proposed"] = True
        layer.set_style("color_by", None)
        layer.set_style("color", PROPOSED_COLOR)
    else:
        layer.options.pop("proposed", None)
        if str(layer.options.get("role", "")).lower() == "proposed":
            layer.options.pop("role")
        if layer.style.get("color") == PROPOSED_COLOR:
            layer.set_style("color", None)  # back to the default stone colour


@dataclass
class StudyResult:
    """Layers to add to the scene and the figures to show."""

    layers: list[SunlightLayer]
    figures: dict[str, Any] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


def footprints_of(layers: list[Layer], crs: CRS, timezone: str) -> Footprints | None:
    """All parts of ``layers`` (buildings in ``crs``, metric) as one :class:`Footprints`."""
    layers = [layer for layer in layers if len(layer.frame)]
    if not layers:
        return None
    polygons = np.concatenate([np.asarray(layer.frame.geometry.values) for layer in layers])
    height = np.concatenate([layer.height_m for layer in layers])
    base = np.concatenate([layer.base_m for layer in layers])
    return Footprints.from_arrays(polygons, height, base, crs, timezone, metric=crs)


def run_study(
    scene: Any,
    day: date,
    folder: Path,
    *,
    step_min: float = 15.0,
    resolution_m: float | None = None,
    progress: Callable[[float, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> StudyResult:
    """Sunlight of ``scene`` on ``day``: with planned buildings, before / after / difference;
    otherwise the hours over the visible buildings' extent. Files go to ``folder``."""
    buildings = [layer for layer in scene.layers if layer.kind == "buildings"]
    project_layers = [layer for layer in buildings if is_proposed(layer)]
    existing_layers = [layer for layer in buildings if not is_proposed(layer) and layer.visible]
    if not existing_layers and not project_layers:
        raise InputError(None, "the scene holds no buildings to cast shadows")
    crs, tz = scene.crs, scene.timezone
    existing = footprints_of(existing_layers, crs, tz)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = day.isoformat()
    label = f"{day:%d/%m}"
    if not project_layers:
        result = sunlight_hours(
            existing,
            day,
            step_min=step_min,
            resolution_m=resolution_m,
            progress=progress,
            cancelled=cancelled,
        )
        path = write_hours(result, folder / f"ensoleillement_{stamp}.tif", crs)
        layer = SunlightLayer.load(path, name=f"Ensoleillement le {label}")
        ground = np.isfinite(result.hours)
        figures = {
            "date": stamp,
            "mean_hours": float(np.nanmean(result.hours)) if ground.any() else 0.0,
            "max_hours": result.max_hours,
            "resolution_m": result.grid.size_m,
        }
        return StudyResult([layer], figures, [path])
    project = footprints_of(project_layers, crs, tz)
    if existing is None:  # a project alone on empty ground
        existing = Footprints(
            np.empty(0, dtype=object), np.empty(0), np.empty(0), project.crs, project.source_crs, project.site
        )
    change = sunlight_change(
        existing,
        project,
        day,
        step_min=step_min,
        resolution_m=resolution_m,
        progress=progress,
        cancelled=cancelled,
    )
    name = "_".join(layer.name for layer in project_layers)[:40] or "projet"
    safe = "".join(c if c.isalnum() else "_" for c in name).strip("_") or "projet"
    paths = {
        "before": write_hours(change.before, folder / f"soleil_avant_{safe}_{stamp}.tif", crs),
        "after": write_hours(change.after, folder / f"soleil_apres_{safe}_{stamp}.tif", crs),
        "difference": write_hours(
            change.before,
            folder / f"soleil_difference_{safe}_{stamp}.tif",
            crs,
            values=change.difference,
            quantity="sunlight hours difference",
        ),
    }
    layers = [
        SunlightLayer.load(paths["before"], name=f"Soleil le {label}, avant le projet"),
        SunlightLayer.load(paths["after"], name=f"Soleil le {label}, avec le projet"),
        SunlightLayer.load(paths["difference"], name=f"Soleil perdu le {label} (projet)"),
    ]
    layers[0].visible = layers[1].visible = False
    loss = change.difference
    figures = {
        "date": stamp,
        "area_loss_1h_m2": change.area_loss_m2[1.0],
        "area_loss_2h_m2": change.area_loss_m2[2.0],
        "largest_loss_h": float(-np.nanmin(loss)) if np.isfinite(loss).any() else 0.0,
        "project_footprint_m2": change.project_footprint_m2,
        "margin_m": change.margin_m,
        "max_hours": change.before.max_hours,
        "resolution_m": change.before.grid.size_m,
    }
    return StudyResult(layers, figures, list(paths.values()))


def describe(figures: dict[str, Any]) -> str:
    """The figures in plain French, for the dialog and for a meeting."""
    day = "/".join(reversed(str(figures["date"]).split("-")))
    if "area_loss_1h_m2" in figures:
        return (
            f"Le {day}, le projet retire au moins 1 h de soleil à {_m2(figures['area_loss_1h_m2'])} "
            f"et au moins 2 h à {_m2(figures['area_loss_2h_m2'])} de sol (perte la plus forte : "
            f"{_hours(figures['largest_loss_h'])}), dans un rayon de {figures['margin_m']:.0f} m autour du projet."
        )
    return (
        f"Le {day}, le sol reçoit en moyenne {_hours(figures['mean_hours'])} de soleil direct "
        f"(au plus {_hours(figures['max_hours'])})."
    )


def _m2(value: float) -> str:
    return f"{value:,.0f} m²".replace(",", "\u202f")


def _hours(value: float) -> str:
    minutes = int(round(value * 60))
    return f"{minutes // 60} h {minutes % 60:02d}"


def results_folder(project: Any) -> Path:
    """Where study results are written: ``ensoleillement/`` next to a saved project (not the
    sample city's, which may be installed read-only), else a folder of the user's cache."""
    import os
    import tempfile

    path = getattr(project, "path", None) if project is not None else None
    if path is not None:
        folder = Path(path).parent
        try:
            from layers.session.opening import sample_project_path

            sample = sample_project_path().parent.resolve()
        except InputError:
            sample = None
        if folder.resolve() != sample and os.access(folder, os.W_OK):
            return folder / "ensoleillement"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "maquette" / "ensoleillement"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="maquette-soleil-"))
    return folder
