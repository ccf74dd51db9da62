"""While the story is presented, the audience screen shows audience content only: no dock, no
inspector, no message box, no dialog over the model.

:class:`AudienceGuard` watches, for the time of a presentation, every widget that is shown:

* a dock of the presented window is hidden again (whatever asked for it: a click on a building, a
  search result, a sensor for the chart);
* a dialog or message box (a layer's warning, a file that could not be read, an error) goes to the
  laptop's screen when there are two screens; with one screen (the projector mirrors the laptop)
  it is held, off screen, and shown once the presentation ends (a question that needs its answer
  at once, modal to the whole application, is left where it is).

The comment form is the mediator's own and is placed by the mediation (on the laptop's screen).
Status-bar messages are not seen: the presented window hides its status bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget, QWidget


class AudienceGuard(QObject):
    """Keeps docks and dialogs off the audience screen while :meth:`watch` runs (see the module).

    ``presented``: the windows that make the audience's picture (the full-screen window, its blank
    screen) and the presenter's console; ``laptop_area``: where the mediator's windows go (global
    pixels), ``None`` with one screen; ``exempt``: widgets placed by their owner (the comment form).
    """

    def __init__(
        self,
        presented: Callable[[], Sequence[QWidget]],
        laptop_area: Callable[[], QRect | None],
        exempt: Callable[[QWidget], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.presented = presented
        self.laptop_area = laptop_area
        self.exempt = exempt
        self.watching = False
        #: dialogs held back during a presentation on one screen (shown at its end)
        self.held: list[QWidget] = []

    def watch(self, on: bool) -> None:
        """Start (``True``) or stop guarding; stopping shows the dialogs held back meanwhile."""
        app = QApplication.instance()
        if app is None or on == self.watching:
            return
        self.watching = on
        if on:
            app.installEventFilter(self)
            return
        app.removeEventFilter(self)
        held, self.held = self.held, []
        for widget in held:
            widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, False)
            widget.show()
            widget.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Show or not isinstance(watched, QWidget):
            return False
        if isinstance(watched, QDockWidget):
            if watched.window() in self.presented():
                QTimer.singleShot(0, watched.hide)  # hidden from within its Show it would still map
        elif isinstance(watched, QDialog) and watched.isWindow() and not self.exempt(watched):
            self._away_from_the_audience(watched)
        return False

    def _away_from_the_audience(self, dialog: QDialog) -> None:
        area = self.laptop_area()
        if area is not None and area.isValid():
            size = dialog.frameGeometry().size()
            dialog.move(area.center().x() - size.width() // 2, area.center().y() - size.height() // 2)
            return
        if dialog.windowModality() == Qt.WindowModality.ApplicationModal:
            return  # modal to the application: the answer is awaited now (hidden, it would go unanswered)
        # one screen: never mapped (the attribute is read right after the Show event), held; once
        # hidden, a window-modal box no longer blocks the clicker's keys to the presented window
        dialog.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        self.held.append(dialog)
        dialog.destroyed.connect(lambda: self._forget(dialog))
        QTimer.singleShot(0, dialog.hide)

    def _forget(self, dialog: QWidget) -> None:
        self.held = [widget for widget in self.held if widget is not dialog]
