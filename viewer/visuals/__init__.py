"""The visuals of the layer kinds, found from a layer's class.

Each kind has a module (or package) ``viewer/visuals/<kind>``: importing it registers its visuals,
each declaring the layer class it draws (:attr:`~viewer.visuals.base.Visual.layer_type`). A layer is
drawn by the visual registered for the closest class in its class's ancestry, so a variant of a kind
(a CityJSON model among buildings) uses its kind's visual unless it registers one of its own. A layer
class living in another package of ``layers/`` (the planned project, ``layers/plan/``, a kind of
buildings) finds its own visual in the module of that name (``viewer/visuals/plan.py``).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layers.core.base import Layer
    from viewer.visuals.base import Visual


def visual_class(layer_class: type[Layer[Any]]) -> type[Visual[Any]]:
    """The visual drawing layers of ``layer_class``; :class:`LookupError` when its kind has none."""
    from viewer.visuals.base import registered_visual

    _import_kind_module(f"viewer.visuals.{layer_class.kind}")
    package = layer_class.__module__.split(".")
    if len(package) > 2 and package[0] == "layers" and package[1] != layer_class.kind:
        _import_kind_module(f"viewer.visuals.{package[1]}")
    found = registered_visual(layer_class)
    if found is None:
        raise LookupError(f"no visual draws {layer_class.__name__} (kind {layer_class.kind!r})")
    return found


def _import_kind_module(name: str) -> None:
    try:
        import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:  # a kind registered from elsewhere (a plug-in) has no module here
            raise
