"""Run by test_mediation.py in a child process: open a project, pin a comment, add a view, edit the
story (a new step, a step renamed, a step deleted), then die (SIGKILL) at once, without waiting.

Usage: python crash_session.py PROJECT  (MAQUETTE_AUTOSAVE_DIR set by the caller)
"""

import os
import signal
import sys

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWidgets import QApplication

from desktop.dialogs.comment import CommentForm
from desktop.main_window import MainWindow

app = QApplication([])
window = MainWindow(language="fr")
window.resize(1200, 800)
window.show()
window.open_paths_async([sys.argv[1]])


def when_loaded() -> None:
    if window.tasks.busy or not window.scene.layers:
        QTimer.singleShot(200, when_loaded)
        return
    window.plotter.render()
    window.mediation.begin_comment()
    window.mediation.place_comment_at(QPoint(window.plotter.width() // 2, window.plotter.height() // 2))
    form = next(f for f in window.findChildren(CommentForm) if f.isVisible())
    form.group.button(2).click()  # question
    form.text.setText("Où passeront les vélos pendant le chantier ?")
    form.team.setText("riverains")
    form._accept()
    window.views_panel.capture_requested.emit()  # a view saved during the meeting
    window.views_panel.rename(len(window.session.views) - 1, "Vue du public")
    story = window.story_panel
    story.capture_requested.emit(-1)  # a new last step, titled
    story.list.setCurrentRow(len(window.session.steps) - 1)
    story.title_edit.setText("Question des riverains")
    story.title_edit.editingFinished.emit()
    story.list.setCurrentRow(0)  # the first step deleted
    story.delete_current()
    print(
        "comments:",
        len(window.session.comments),
        "views:",
        len(window.session.views),
        "steps:",
        len(window.session.steps),
        flush=True,
    )
    os.kill(os.getpid(), signal.SIGKILL)  # the laptop crashes: no save, no clean exit, no timer fired


QTimer.singleShot(300, when_loaded)
app.exec()
