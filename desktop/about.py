"""The About box (version, what Maquette is built with, the licences of its components) and the app icon."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from layers import __version__

from .licenses import licences_text

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

TEXTS = {
    "fr": {
        "title": "À propos de Maquette",
        "tagline": "Les données ouvertes de la ville en 3D, pour l'urbanisme et la concertation.",
        "licence": "Logiciel libre sous licence MIT.",
        "components": "Composants inclus et leurs licences",
    },
    "en": {
        "title": "About Maquette",
        "tagline": "The city's open data in 3D, for planners and public meetings.",
        "licence": "Free software under the MIT licence.",
        "components": "Bundled components and their licences",
    },
}


def assets_folder() -> Path | None:
    """``assets/`` of the source tree, or its copy inside a frozen application."""
    for base in (Path(getattr(sys, "_MEIPASS", "")), Path(__file__).resolve().parent.parent):
        if (base / "assets" / "png").is_dir():
            return base / "assets"
    return None


def app_icon() -> QIcon:
    """Maquette's icon at every size drawn (assets/png), or an empty icon when it is not installed."""
    icon = QIcon()
    folder = assets_folder()
    if folder is not None:
        for size in ICON_SIZES:
            path = folder / "png" / f"maquette-{size}.png"
            if path.is_file():
                icon.addFile(str(path))
    return icon


def runtime_line() -> str:
    """``Python 3.11.7 · Qt 6.12.0 · VTK 9.7.2``."""
    from PySide6.QtCore import qVersion
    from vtkmodules.vtkCommonCore import vtkVersion

    return f"Python {sys.version.split()[0]} · Qt {qVersion()} · VTK {vtkVersion.GetVTKVersion()}"


class AboutDialog(QDialog):
    """Version, purpose, licence, and the table of bundled components with their licences."""

    def __init__(self, parent: QWidget | None = None, language: str = "fr") -> None:
        super().__init__(parent)
        texts = TEXTS.get(language, TEXTS["en"])
        self.setWindowTitle(texts["title"])
        self.resize(760, 560)
        layout = QVBoxLayout(self)

        header = QHBoxLayout()
        logo = QLabel(self)
        icon = app_icon()
        if not icon.isNull():
            logo.setPixmap(icon.pixmap(96, 96))
        header.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        self.heading = QLabel(
            f"<h2>Maquette {__version__}</h2><p>{texts['tagline']}</p><p>{texts['licence']}</p>"
            f"<p style='color: gray'>{runtime_line()}</p>",
            self,
        )
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header.addWidget(self.heading, 1)
        layout.addLayout(header)

        layout.addWidget(QLabel(f"<b>{texts['components']}</b>", self))
        self.licences = QTextBrowser(self)
        self.licences.setOpenLinks(False)  # a table to read: Maquette opens no web page
        self.licences.setMarkdown(licences_text())
        layout.addWidget(self.licences, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
