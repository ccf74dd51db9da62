"""Help › User guide (a short guide shipped in the package as HTML, one file per language, read
offline in a Qt window) and Help › Keyboard shortcuts (a table made from the window's actions when it
opens, plus the keys of the tools on the 3D view and of the presentation, so it never goes stale)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..presentation import BLANK_KEYS, COMMENT_KEY, NEXT_KEYS, PREVIOUS_KEYS

#: the folder of the guide's HTML files (package data: see pyproject.toml)
HELP_DIR = Path(__file__).resolve().parent.parent / "help"


def guide_path(language: str) -> Path:
    """The user guide in ``language`` ("fr" or "en"; English for any other)."""
    return HELP_DIR / f"guide_{'fr' if language == 'fr' else 'en'}.html"


class GuideWindow(QDialog):
    """The user guide in a text browser: links inside the guide work, nothing goes to the network."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Maquette user guide"))
        self.resize(860, 640)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)  # anchors inside the guide
        path = guide_path(language)
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(path)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)


def key_text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def menu_rows(menu: QMenu, group: str) -> list[tuple[str, str, str]]:
    """(group, action text, keys) of every action of ``menu`` and its submenus that has a shortcut."""
    rows: list[tuple[str, str, str]] = []
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            rows += menu_rows(sub, f"{group} › {_clean(sub.title())}")
        elif not action.isSeparator() and action.shortcuts():
            rows.append((group, _clean(action.text()), ", ".join(key_text(k) for k in action.shortcuts())))
    return rows


def _clean(text: str) -> str:
    """A menu text as read: no mnemonic ampersand, no trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


class ShortcutsDialog(QDialog):
    """Every shortcut of ``window``: its menus' actions by menu, the other actions it holds, the
    keys of the tools on the 3D view and those of the presentation."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(620, 600)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Command"), self.tr("Keys")])
        self.tree.setRootIsDecorated(False)
        self.rows = self.collect(window)
        groups: dict[str, QTreeWidgetItem] = {}
        for group, text, keys in self.rows:
            parent = groups.get(group)
            if parent is None:
                parent = groups[group] = QTreeWidgetItem(self.tree, [group, ""])
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
                parent.setFirstColumnSpanned(True)
            QTreeWidgetItem(parent, [text, keys])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)

    def collect(self, window: QMainWindow) -> list[tuple[str, str, str]]:
        """(group, command, keys) rows, read from the window's actions now."""
        rows: list[tuple[str, str, str]] = []
        in_menus: set[int] = set()
        for top in window.menuBar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu):
                rows += menu_rows(menu, _clean(menu.title()))
                in_menus.update(id(a) for a in _all_actions(menu))
        others = self.tr("Window")
        seen_keys = {keys for _, _, keys in rows}
        for action in window.findChildren(QAction):
            keys = ", ".join(key_text(k) for k in action.shortcuts())
            if keys and id(action) not in in_menus and keys not in seen_keys and action.text():
                rows.append((others, _clean(action.text()), keys))
                seen_keys.add(keys)
        tools = self.tr("Tools on the 3D view")
        rows += [
            (tools, self.tr("End the current tool, or cancel what it draws"), key_text(QKeySequence("Esc"))),
            (tools, self.tr("Draw: remove the last corner"), key_text(QKeySequence("Backspace"))),
            (tools, self.tr("Draw: finish the footprint"), key_text(QKeySequence("Return"))),
            (tools, self.tr("Move the camera: drag; zoom: the wheel"), self.tr("Mouse")),
        ]
        presenting = self.tr("While presenting")
        rows += [
            (presenting, self.tr("Next step"), _keys(NEXT_KEYS)),
            (presenting, self.tr("Previous step"), _keys(PREVIOUS_KEYS)),
            (presenting, self.tr("Blank screen"), _keys(BLANK_KEYS)),
            (presenting, self.tr("Add a comment"), _keys({COMMENT_KEY})),
            (presenting, self.tr("First step, last step"), _keys({"Home", "End"})),
            (presenting, self.tr("Stop presenting"), key_text(QKeySequence("Esc"))),
        ]
        return rows


def _all_actions(menu: QMenu) -> list[QAction]:
    out: list[QAction] = []
    for action in menu.actions():
        out.append(action)
        sub = action.menu()
        if isinstance(sub, QMenu):
            out += _all_actions(sub)
    return out


def _keys(keys: Iterable[Qt.Key | str]) -> str:
    """Qt keys (or key names) as one text, sorted so it reads the same every time."""
    return ", ".join(sorted(key_text(QKeySequence(key)) for key in keys))
