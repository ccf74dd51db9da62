"""The layer kinds: what each declares, how a file finds its kind, how a layer is opened.

A kind is a package ``layers/<kind>/`` whose ``__init__.py`` declares ``KIND = Kind(...)``: its
layer class (and variants of it chosen by the file, e.g. a CityJSON model among buildings), its
sniffers and its formats. :data:`KIND_PACKAGES` lists them: **adding a kind is its folder plus one
line there** (and its visual and controls, found by the viewer and the desktop from the layer
class). The order of the list breaks ties between equal claims.

Recognising a file (:func:`detect_kind`): every kind's sniffers look at a :class:`FileProbe` and
may *claim* it with a :class:`Claim` level; the strongest claim wins. Sniffers run in two rounds:
``header`` sniffers read names, the first bytes, zip members, raster headers and table headers;
``features`` sniffers read the vector metadata (geometry type, field names), and only run for
vector files that no header sniffer claimed for its content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layers.core.base import Layer
    from layers.io.probe import FileProbe

#: THE registration: the packages of the layer kinds, in the order detection breaks ties
KIND_PACKAGES: list[str] = [
    "layers.buildings",
    "layers.vector",
    "layers.streets",
    "layers.noise",
    "layers.heat",
    "layers.raster",
    "layers.terrain",
    "layers.sensors",
    "layers.transit",
    "layers.sunlight",
    "layers.topo",
    "layers.canopy",
    "layers.trees",
    "layers.basemap",
    "layers.streamed",
]

PROJECT = "project"


class Claim(IntEnum):
    """How sure a sniffer is that a file is of its kind."""

    #: the format itself says it (a GTFS feed, CityJSON, a tag written by Maquette, a colour image)
    FORMAT = 100
    #: units or fields only this kind has (dB(A), a height field, a time column)
    CONTENT = 80
    #: words of the file name (lden, mnt, temperature...)
    NAME = 40
    #: the geometry alone (lines are streets)
    SHAPE = 20
    #: anything of the family (any raster, any features)
    FALLBACK = 1


#: a sniffer: the claim it makes on a file, or None
Sniffer = Callable[["FileProbe"], Claim | None]


@dataclass(frozen=True)
class Kind:
    """What a layer kind declares (``layers/<kind>/__init__.py: KIND``).

    ``layer`` and ``variants`` are ``"module:Class"`` so that declaring a kind imports nothing
    heavy; a variant is opened instead of ``layer`` when its ``accepts(path)`` class method says so.
    ``header`` and ``features`` are ``"module:function"`` sniffers (see the module docstring).
    """

    name: str
    layer: str
    variants: tuple[str, ...] = ()
    header: str | None = None
    features: str | None = None

    def layer_class(self) -> type[Layer]:
        return _resolve(self.layer)

    def layer_classes(self) -> list[type[Layer]]:
        """The main class and its variants."""
        return [_resolve(v) for v in self.variants] + [self.layer_class()]

    def class_for(self, path: Path) -> type[Layer]:
        """The class that reads ``path``: the first variant accepting it, else :attr:`layer`."""
        for variant in self.variants:
            cls = _resolve(variant)
            if cls.accepts(path):
                return cls
        return self.layer_class()

    def sniffer(self, round_name: str) -> Sniffer | None:
        target = self.header if round_name == "header" else self.features
        return _resolve(target) if target else None


def _resolve(target: str) -> Any:
    module, _, name = target.partition(":")
    return getattr(import_module(module), name)


@cache
def _kind_of_package(package: str) -> Kind:
    kind = getattr(import_module(package), "KIND", None)
    if not isinstance(kind, Kind):
        raise TypeError(f"{package} declares no KIND = Kind(...)")
    return kind


def kinds() -> list[Kind]:
    """Every registered kind, in :data:`KIND_PACKAGES` order."""
    return [_kind_of_package(p) for p in KIND_PACKAGES]


def kind(name: str) -> Kind:
    """The kind called ``name``; :class:`KeyError` listing the known ones."""
    for k in kinds():
        if k.name == name:
            return k
    known = ", ".join(k.name for k in kinds())
    raise KeyError(f"unknown layer kind {name!r} (known: {known})")


def register(package: str) -> Kind:
    """Add the kind declared by ``package`` (at the end of the tie order); returns it."""
    if package not in KIND_PACKAGES:
        KIND_PACKAGES.append(package)
    return _kind_of_package(package)


def layer_class(name: str) -> type[Layer]:
    """The main layer class of kind ``name``."""
    return kind(name).layer_class()
