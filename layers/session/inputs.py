"""The files a session reads: what an export must never write over (:mod:`layers.io.outputs`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layers.core.scene import Scene
    from layers.session.project import Project


def session_inputs(project: Project, scene: Scene) -> list[Path]:
    """The project file, every layer's data file (opened or missing) and the sensors' locations
    files (named in the project or found beside the readings), as absolute paths."""
    from layers.sensors.layer import SensorLayer

    paths: list[Path] = []
    if project.path is not None:
        paths.append(Path(project.path).absolute())
    for spec in project.layer_specs:
        if not isinstance(spec, dict) or not isinstance(spec.get("source"), str) or not spec["source"]:
            continue
        source = project.source_path(spec)
        paths.append(source)
        options: Any = spec.get("options")
        locations = options.get("locations") if isinstance(options, dict) else None
        if isinstance(locations, str) and locations:
            folder = source if source.is_dir() else source.parent
            paths += [(folder / locations).absolute(), Path(locations).absolute()]
    for layer in scene.layers:
        if layer.source is not None:
            paths.append(Path(layer.source).absolute())
        if isinstance(layer, SensorLayer) and layer.locations_source is not None:
            paths.append(Path(layer.locations_source).absolute())
    return list(dict.fromkeys(paths))
