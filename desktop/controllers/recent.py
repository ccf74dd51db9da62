"""File › Open recent: the projects and data files opened lately (QSettings, most recent first, at
most :data:`desktop.settings.RECENT_MAX`), a missing file shown greyed with a word, and Clear."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu, QWidget

from ..settings import Settings
from .files import FilesController


def is_project(path: Path) -> bool:
    return path.name.lower().endswith(".maquette.json")


class RecentFiles(QObject):
    """Keeps the files the window read (``files.files_read``) and fills the Open recent menu."""

    def __init__(self, window: QWidget, files: FilesController, settings: Settings) -> None:
        super().__init__(window)
        self.files = files
        self.settings = settings
        self.menu: QMenu | None = None
        files.files_read.connect(self.remember)
        files.saved.connect(lambda path: self.remember([path]))

    def remember(self, paths: list[Path]) -> None:
        """Put ``paths`` first in the list, the first of them first."""
        for path in reversed(paths):
            self.settings.add_recent_file(str(Path(path).absolute()))

    def build(self, parent: QMenu) -> QMenu:
        """The Open recent submenu of ``parent`` (filled each time it opens)."""
        self.menu = parent.addMenu(self.tr("Open recent"))
        self.menu.aboutToShow.connect(self.fill)
        self.fill()
        return self.menu

    def fill(self) -> None:
        menu = self.menu
        if menu is None:
            return
        menu.clear()
        recent = [Path(p) for p in self.settings.recent_files()]
        for path in recent:
            kind = self.tr("project") if is_project(path) else self.tr("data")
            if path.exists():
                action = menu.addAction(f"{path.name}  ({kind})", partial(self.open, path))
                action.setToolTip(str(path))
                action.setStatusTip(str(path))
            else:  # greyed, with a word: the file was moved or deleted since
                action = menu.addAction(self.tr("{} (missing)").format(path.name))
                action.setEnabled(False)
                action.setStatusTip(str(path))
        if not recent:
            menu.addAction(self.tr("No recent files")).setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction(self.tr("Clear the list"), self.clear)
        clear.setEnabled(bool(recent))

    def open(self, path: Path) -> None:
        """A project opens in place of the scene; a data file is added to it."""
        if is_project(path):
            self.files.open_paths_async([path])
        else:
            self.files.add_files_async([path])

    def clear(self) -> None:
        self.settings.clear_recent_files()
        self.fill()
