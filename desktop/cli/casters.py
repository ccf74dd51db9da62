"""The files the sun commands read: buildings, and beside them trees or canopy (``shade``, ``sunlight``).

::

    maquette shade BUILDINGS [TREES|CANOPY ...] --at ISO -o shadows.gpkg

The first file is read as buildings (``--height-field`` applies), unless its kind casts shadows
of its own (a tree inventory, a canopy height model); every other file must be of a kind that
casts shadows (:class:`layers.core.base.CastsShadows`), else one line and exit 2.
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
