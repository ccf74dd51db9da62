"""The options panels of the layer kinds, found from a layer's class.

Each kind has a module ``desktop/controls/<kind>.py``: importing it registers its controls, each
declaring the layer class it serves (:attr:`~desktop.controls.base.LayerControls.layer_type`). A
layer gets the controls registered for the closest class in its class's ancestry.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.controls.base import LayerControls
    from layers.core.base import Layer


def controls_class(layer_class: type[Layer[Any]]) -> type[LayerControls]:
    """The controls of layers of ``layer_class``; :class:`LookupError` when its kind has none."""
    from desktop.controls.base import registered_controls

    name = f"desktop.controls.{layer_class.kind}"
    try:
        import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:  # a kind registered from elsewhere (a plug-in) has no module here
            raise
    found = registered_controls(layer_class)
    if found is None:
        raise LookupError(f"no controls for {layer_class.__name__} (kind {layer_class.kind!r})")
    return found
