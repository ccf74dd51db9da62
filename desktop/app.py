"""Start the GUI: the Qt application, the main window, the first scene (sample city by default)."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path


def run_gui(paths: list[str], *, crs: str | None = None, language: str | None = None) -> int:
    """Open the main window on ``paths`` (nothing: the sample city); returns the exit code."""
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from viewer.gl import quiet_vtk

    for path in paths:
        if not Path(path).exists():
            from layers.core.errors import InputError

            raise InputError(path, "no such file or folder")
    quiet_vtk()
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Maquette")
    app.setOrganizationName("Maquette")
    app.setDesktopFileName("maquette")  # the launcher entry of the installers (icon, name in the task bar)
    from .about import app_icon

    app.setWindowIcon(app_icon())
    from .settings import Settings
    from .translation import install_translations

    language = language or Settings().language()
    install_translations(app, language)
    # numbers and dates in the widgets as the language writes them (20,00 s; lundi)
    QLocale.setDefault(QLocale(language))

    from . import gc_guard
    from .main_window import MainWindow

    # cyclic garbage (old dialogs, panels) is freed on the GUI thread only, never in a reading
    # thread where a Qt destructor would freeze the application (see desktop/gc_guard.py)
    gc_guard.install()
    window = MainWindow(language=language)
    sys.excepthook = lambda kind, value, tb: window.messages.show_internal_error(
        value, "".join(traceback.format_exception(kind, value, tb))
    )
    # the whole screen, as a mediator's laptop (1366 × 768) has no room to spare
    window.setGeometry(window.screen().availableGeometry())
    window.showMaximized()
    window.open_paths_async(list(paths), crs=crs)
    return app.exec()
