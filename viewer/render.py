"""Headless still images of a scene, through the very code the GUI uses (``maquette render``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any

import numpy as np

from layers.core.base import HasStats, Layer
from layers.core.errors import InputError
from layers.core.timeutil import parse_time
from layers.session.opening import Session
from layers.session.views import CameraView

from .gl import make_plotter as make_plotter  # the off-screen plotter, where callers have found it

if TYPE_CHECKING:
    from .export_image import BurnIn
    from .visuals.base import Visual

MAX_SIZE = (7680, 4320)


def parse_size(text: str) -> tuple[int, int]:
    """``"1920x1080"`` → (1920, 1080); :class:`InputError` for anything else or out of range."""
    try:
        width, height = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise InputError(None, f"--size {text!r}: expected WIDTHxHEIGHT in pixels, e.g. 1920x1080") from None
    if not (16 <= width <= MAX_SIZE[0] and 16 <= height <= MAX_SIZE[1]):
        raise InputError(
            None, f"--size {text!r}: each side must be between 16 and {MAX_SIZE[0]}x{MAX_SIZE[1]} pixels"
        )
    return width, height


def render_still(
    session: Session,
    output: str | Path,
    *,
    size: tuple[int, int] = (1920, 1080),
    time: str | None = None,
    view: str | None = None,
    title: str | None = None,
    language: str = "fr",
    sun: bool | None = None,
    burn: BurnIn | None = None,
    max_tile: int | None = None,
    dpi: int | None = None,
) -> dict[str, Any]:
    """Render ``session`` to a PNG or JPEG; returns the figures ``--json`` prints.

    ``time`` (ISO 8601; naive means the scene's zone) moves the clock; ``view`` names a camera view
    of the project (default: the project's first view, else an oblique view of everything).
    ``sun``: light from the true sun with cast shadows (``None``: as the project says). ``burn``:
    what is written on the picture (default: everything). Pictures larger than the GL driver
    allows (or than ``max_tile`` pixels a side) are drawn in tiles.
    """
    from .export_image import BurnIn, ExportView

    output = Path(output)
    check_image_output(output)
    scene = session.scene
    if time is not None:
        try:
            scene.clock.time = parse_time(time, scene.timezone)
        except ValueError as exc:
            raise InputError(None, f"--time: {exc}") from None
    chosen = find_view(session, view)
    burn = burn or BurnIn()
    t0 = perf_counter()
    export = ExportView(
        scene,
        burn=burn,
        title=title if title is not None else session.project.data.get("title"),
        language=language,
        size=size,
    )
    scene_view = export.view
    if sun is None:
        sun = bool((session.project.data.get("sun") or {}).get("shadows"))
    if sun:
        if scene.clock.time is None:  # no time series and no --time: today at noon
            from datetime import datetime

            from layers.core.timeutil import zone

            scene.clock.time = datetime.now(zone(scene.timezone)).replace(
                hour=12, minute=0, second=0, microsecond=0
            )
        scene_view.set_sun(True)
    mesh_s = perf_counter() - t0
    if chosen is not None:
        scene_view.go_to(chosen)
    t1 = perf_counter()
    image = export.render(size, max_tile=max_tile)
    render_s = perf_counter() - t1
    write_image(image, output, dpi=dpi)
    entries: list[dict[str, Any]] = [
        {
            "name": layer.name,
            "kind": layer.kind,
            "features": layer.feature_count(),
            "visible": layer.visible,
            "top_m": drawn_top_m(scene_view.visual(layer)),
        }
        for layer in scene.layers
    ]
    stats: dict[str, Any] = {
        "output": str(output),
        "size": [int(size[0]), int(size[1])],
        "tiles": int(export.tiles_used),
        "burned_in": burn.parts(),
        "credits": scene_view.decorations.credits.GetInput() if burn.credits else None,
        "layers": entries,
        "features": int(sum(layer.feature_count() for layer in scene.layers if layer.visible)),
        "triangles": int(scene_view.triangle_count()),
        "time": scene.clock.time.isoformat() if scene.clock.time else None,
        "mesh_s": round(mesh_s, 4),
        "render_s": round(render_s, 4),
    }
    stats.update(load_account(scene.layers, entries))
    stats["warnings"] = sun_warnings(scene_view) if sun else []
    export.close()
    return stats


def drawn_top_m(visual: Visual[Any] | None) -> float | None:
    """The highest point ``visual``'s actors draw (m, the scene's heights: a building's roof),
    rounded to the centimetre; ``None`` when it draws nothing in 3D."""
    tops = []
    for actor in visual.actors if visual is not None else []:
        bounds = actor.GetBounds()
        if bounds is not None and bounds[4] <= bounds[5]:  # an empty actor's bounds are inverted
            tops.append(float(bounds[5]))
    return round(max(tops), 2) if tops else None


def sun_warnings(scene_view: Any) -> list[str]:
    """Why a picture asked with the sun shows no shadow: the sun below the horizon or not rising
    that day (the polar night), or data that is no place on Earth (``scene_view``: a
    :class:`viewer.scene_view.SceneView`)."""
    lighting = scene_view.sun
    if lighting.state is not None:
        return [lighting.state.no_shadows] if lighting.state.no_shadows else []
    return [lighting.note] if lighting.note else []


def check_image_output(output: Path) -> None:
    """:class:`InputError` unless ``output`` is a .png / .jpg in an existing folder."""
    suffix = output.suffix.lower()
    if suffix not in {".png", ".jpg", ".jpeg"}:
        raise InputError(
            output, f"cannot write {suffix or 'a file without extension'!r} images (expected .png or .jpg)"
        )
    if not output.parent.exists():
        raise InputError(output, "the output folder does not exist")


def find_view(session: Session, name: str | None) -> CameraView | None:
    """The project view called ``name``; with no name the first view, ``None`` when there is none."""
    views = session.project.views()
    if name is None:
        return views[0] if views else None
    chosen = next((v for v in views if v.name == name), None)
    if chosen is None:
        names = ", ".join(repr(v.name) for v in views) or "none"
        raise InputError(session.project.path, f"no view named {name!r} (views: {names})")
    return chosen


def load_account(layers: Sequence[Layer[Any]], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """What loading left out, for ``--json``: ``features_in``, ``dropped`` and ``dropped_reasons``
    ``{reason: count}`` over the visible layers (per layer too, in ``entries``, with the layer's
    ``warnings``), plus repaired and defaulted counts; every feature of a file is shown or counted
    here."""
    total: dict[str, Any] = {
        "features_in": 0,
        "dropped": 0,
        "dropped_reasons": {},
        "repaired": 0,
        "heights_defaulted": 0,
    }
    for layer, entry in zip(layers, entries):
        if layer.warnings:
            entry["warnings"] = list(layer.warnings)
        account = layer.stats if isinstance(layer, HasStats) else None
        if account is None or "dropped_reasons" not in account:
            if layer.visible:
                total["features_in"] += int(layer.feature_count())
            continue
        for key in (
            "features_in",
            "dropped",
            "dropped_reasons",
            "repaired",
            "heights_defaulted",
            "height_sources",
            "widths_defaulted",
            "outside_area",
        ):
            if key in account:
                entry[key] = account[key]
        if not layer.visible:
            continue
        total["features_in"] += int(account.get("features_in", layer.feature_count()))
        total["dropped"] += int(account.get("dropped", 0))
        total["repaired"] += int(account.get("repaired", 0))
        total["heights_defaulted"] += int(account.get("heights_defaulted", 0))
        for reason, count in account["dropped_reasons"].items():
            total["dropped_reasons"][reason] = total["dropped_reasons"].get(reason, 0) + int(count)
    return total


def write_image(image: np.ndarray, output: Path, *, dpi: int | None = None) -> None:
    """Save an (h, w, 3|4) uint8 array as PNG or JPEG (quality 92)."""
    from .export_image import write_image as write

    write(image, output, dpi=dpi)
