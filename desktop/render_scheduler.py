"""One drawing of the 3D view per turn of the event loop, however many changes asked for one.

A story step turns five layers on and off, fades three, moves the clock and the camera: each
change asks the view to draw itself again. Drawn at once, that is a dozen full pictures before the
step shows (a quarter of a second each on a laptop without a GPU, so 2 to 3 s with the window
frozen). :class:`RenderScheduler` collects the requests and draws once, when the event loop comes
back (a zero-delay timer): the step's changes, a flight's frame and the fades of that frame are one
picture.

The drawing itself is asked of Qt (``update()``: the widget paints, and its paint draws the scene
once). The plotter's own ``render()`` draws the scene into VTK's buffer and then the widget's paint
draws it a second time, so it is kept for :meth:`RenderScheduler.flush`, when the picture must be
read back at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from pyvistaqt import QtInteractor


class RenderScheduler(QObject):
    """Draws ``plotter`` once for all the requests made since it last drew."""

    def __init__(self, plotter: QtInteractor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plotter = plotter
        #: pictures drawn, and requests made, since the start (for measures and tests)
        self.drawn = 0
        self.requested = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._draw)

    @property
    def pending(self) -> bool:
        """True when a drawing was asked for and not made yet."""
        return self._timer.isActive()

    def request(self) -> None:
        """Draw when the event loop comes back (once for all the requests until then)."""
        self.requested += 1
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Draw now what was asked for, synchronously (before reading the picture back)."""
        if self._timer.isActive():
            self._timer.stop()
            self.drawn += 1
            self.plotter.render()

    def cancel(self) -> None:
        """Forget what was asked for (the view is going away)."""
        self._timer.stop()

    def _draw(self) -> None:
        self.drawn += 1
        self.plotter.update()  # one paint, which draws the scene once
