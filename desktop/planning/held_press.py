"""A left press on the 3D view held back until it is known to be a click or a camera drag.

The tools that take clicks on the view (drawing a plan, measuring) must still let a left drag turn
the camera, which is how a touch pad moves it. :class:`HeldPress` keeps the press; a move beyond
:data:`desktop.controllers.picking.CLICK_TOLERANCE_PX` hands it to the camera (the press replayed to
the widget, which the tool must let through: :attr:`HeldPress.replaying`), a release before that is
the tool's click.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from ..controllers.picking import CLICK_TOLERANCE_PX


class HeldPress:
    """The press a tool holds back on ``widget`` (at most one)."""

    def __init__(self, widget: QWidget) -> None:
        self.widget = widget
        self._press: QMouseEvent | None = None
        #: True while the held press is being replayed to the widget (the tool lets it through)
        self.replaying = False

    @property
    def held(self) -> bool:
        return self._press is not None

    def hold(self, event: QMouseEvent) -> None:
        """Keep ``event`` (a left press) until :meth:`moved` or :meth:`released` says what it was."""
        self._press = QMouseEvent(
            event.type(),
            event.position(),
            event.globalPosition(),
            event.button(),
            event.buttons(),
            event.modifiers(),
        )

    def moved(self, position: QPointF) -> bool:
        """The mouse moved to ``position`` with the press held: True when it became a camera drag
        (the press is handed to the camera, the move must go on to the widget)."""
        if self._press is None:
            return False
        if (position - self._press.position()).manhattanLength() <= CLICK_TOLERANCE_PX:
            return False
        self.hand_to_camera()
        return True

    def released(self) -> bool:
        """The button went up: True when it was the tool's click (a press was held), False when it
        ends a camera drag or a double click."""
        if self._press is None:
            return False
        self._press = None
        return True

    def drop(self) -> None:
        """Forget the press (the tool stopped)."""
        self._press = None

    def hand_to_camera(self) -> None:
        """The held press becomes the start of a camera drag."""
        press, self._press = self._press, None
        if press is None:
            return
        self.replaying = True
        try:
            QApplication.sendEvent(self.widget, press)
        finally:
            self.replaying = False
