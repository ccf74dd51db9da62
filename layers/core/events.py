"""A minimal, Qt-free event: callbacks connected to a named change.

Layers, the clock and the scene emit one event per property (as napari does), so the viewer and the
desktop can follow the model without the model knowing about them.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any


class Event:
    """A list of callbacks called in order with the arguments given to :meth:`emit`.

    Bound methods are held weakly, so a visual or a widget that goes away is not kept alive by the
    layer it listened to.
    """

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._callbacks: list[Callable[[], Callable[..., Any] | None]] = []

    def connect(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Call ``callback(*args)`` on every emit; returns the callback (usable as a decorator).

        Connecting the same callback twice has no further effect.
        """
        if any(ref() == callback for ref in self._callbacks):
            return callback
        ref: Callable[[], Callable[..., Any] | None]
        if hasattr(callback, "__self__") and hasattr(callback, "__func__"):  # a bound method
            ref = weakref.WeakMethod(callback)
        else:
            ref = _strong_ref(callback)  # plain functions and lambdas are kept alive
        self._callbacks.append(ref)
        return callback

    def disconnect(self, callback: Callable[..., Any]) -> None:
        """Stop calling ``callback``; silently ignores a callback that was never connected."""
        self._callbacks = [ref for ref in self._callbacks if ref() not in (None, callback)]

    def emit(self, *args: Any) -> None:
        """Call every live callback with ``args``; forget the ones whose owner is gone."""
        alive = []
        for ref in list(self._callbacks):
            callback = ref()
            if callback is None:
                continue
            alive.append(ref)
            callback(*args)
        self._callbacks = alive

    def __len__(self) -> int:
        return sum(1 for ref in self._callbacks if ref() is not None)


def _strong_ref(callback: Callable[..., Any]) -> Callable[[], Callable[..., Any]]:
    """A reference that always gives ``callback`` back (what a weak reference gives while alive)."""
    return lambda: callback
