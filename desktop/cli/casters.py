"""The files the sun commands read: buildings, and beside them trees or canopy (``shade``, ``sunlight``).

::

    maquette shade BUILDINGS [TREES|CANOPY ...] --at ISO -o shadows.gpkg

The first file is read as buildings (``--height-field`` applies), unless its kind casts shadows
of its own (a tree inventory, a canopy height model); every other file must be of a kind that
casts shadows (:class:`layers.core.base.CastsShadows`), else one line and exit 2.

A prepared store (``maquette prepare``) is studied on the buildings that can shade ``--bbox`` (the
whole store without it), read from the store (:mod:`layers.streamed.studies`); an area too big for
the study's memory is refused before anything is read.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from layers.core.errors import InputError

from .common import load_buildings, warn_layers

if TYPE_CHECKING:
    from layers.core.base import Layer


def add_caster_arguments(parser: argparse.ArgumentParser, help_first: str) -> None:
    """``BUILDINGS`` and the optional ``TREES|CANOPY`` files after it."""
    parser.add_argument("buildings", metavar="BUILDINGS", help=help_first)
    parser.add_argument(
        "casters",
        metavar="TREES|CANOPY",
        nargs="*",
        help="more files casting shadows: tree inventories, canopy height models",
    )


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """``--bbox XMIN,YMIN,XMAX,YMAX`` as four floats; :class:`InputError` when it is not."""
    if not text:
        return None
    try:
        values = [float(v) for v in text.replace(" ", "").split(",")]
    except ValueError:
        values = []
    if len(values) != 4 or not (values[0] < values[2] and values[1] < values[3]):
        raise InputError(
            None, f"--bbox {text!r}: give XMIN,YMIN,XMAX,YMAX in metres (xmin < xmax, ymin < ymax)"
        )
    return values[0], values[1], values[2], values[3]


def store_areas(
    layers: list[Layer[Any]], args: argparse.Namespace, lowest_elevation_deg: float
) -> list[Layer[Any]]:
    """``layers`` with each prepared store replaced by the buildings that can shade ``--bbox`` (the
    area studied, in the store's CRS; the whole store without it) with the sun down to
    ``lowest_elevation_deg``, read from the store."""
    from layers.streamed.layer import StreamedBuildingsLayer
    from layers.streamed.studies import area_buildings

    bbox = parse_bbox(args.bbox)
    out: list[Layer[Any]] = []
    for layer in layers:
        if isinstance(layer, StreamedBuildingsLayer):
            out.append(area_buildings(layer, bbox, lowest_elevation_deg))
        else:
            out.append(layer)
    return out


def casts_shadows(kind_name: str) -> bool:
    """Whether layers of kind ``kind_name`` cast shadows (buildings, trees, canopy)."""
    from layers.core.base import CastsShadows
    from layers.core.kinds import layer_class

    return issubclass(layer_class(kind_name), CastsShadows)


def load_casters(paths: list[str], args: argparse.Namespace) -> list[Layer[Any]]:
    """The layers of ``paths`` (see the module docstring), their warnings printed."""
    from layers.core.detect import detect_kind
    from layers.core.reading import open_layer

    layers: list[Layer[Any]] = []
    for position, text in enumerate(paths):
        path = Path(text)
        if not path.exists():
            raise InputError(path, "no such file or folder")
        try:
            kind = detect_kind(path)
        except InputError:
            if position:
                raise
            kind = "buildings"  # said by the buildings' reader, as it always was
        if kind != "buildings" and kind != "project" and casts_shadows(kind):
            layer = open_layer(path, kind, **({"crs": args.crs} if args.crs else {}))
            warn_layers([layer])
        elif position == 0 or kind == "buildings":
            layer = load_buildings(text, args)
        else:
            raise InputError(path, f"casts no shadow (a {kind} file): give buildings, trees or canopy")
        layers.append(layer)
    return layers
