"""Choosing the CRS of a file that declares none, then opening it again with that choice.

:class:`CRSDialog` offers the common French and European systems (those that fit the coordinates
first, marked), or any code / WKT typed in; the choice is checked with pyproj before the dialog
closes. :func:`offer_crs` is what the main window calls with a :class:`layers.core.errors.CRSMissing`
error: it opens the dialog (non-blocking) and calls ``retry(path, crs)`` once the user chose.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from layers.core import crs as crs_util
from layers.core.errors import CRSMissing
from layers.io.crs_guess import COMMON_CRS


class CRSDialog(QDialog):
    """Asks for the CRS of ``path``; :meth:`crs` is the choice after ``accepted``."""

    def __init__(
        self,
        path: Path | None,
        message: str,
        candidates: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Coordinate reference system"))
        self.setModal(True)
        name = path.name if path is not None else self.tr("this file")
        intro = QLabel(
            self.tr(
                "{name} does not say in which coordinate reference system (CRS) its coordinates are. "
                "Choose it, or type a code such as EPSG:2154."
            ).format(name=name),
            self,
        )
        intro.setWordWrap(True)
        detail = QLabel(message, self)
        detail.setWordWrap(True)
        detail.setStyleSheet("color: #555;")
        self.choice = QComboBox(self)
        self.choice.setEditable(True)
        self.choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        candidates = list(candidates or [])
        labels = dict(COMMON_CRS)
        for code in candidates:
            self.choice.addItem(
                f"{code} — {labels.get(code, code)} ✓ " + self.tr("fits the coordinates"), code
            )
        for code, label in COMMON_CRS:
            if code not in candidates:
                self.choice.addItem(f"{code} — {label}", code)
        self.choice.setCurrentIndex(0)
        self.error = QLabel("", self)
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, detail, self.choice, self.error, buttons):
            layout.addWidget(widget)
        self._crs: str | None = None

    def text(self) -> str:
        """What the user chose or typed: ``EPSG:xxxx`` for a listed entry."""
        typed = self.choice.currentText().strip()
        index = self.choice.findText(typed)
        if index >= 0 and self.choice.itemData(index):
            return str(self.choice.itemData(index))
        return typed.split(" — ")[0].strip()

    def _check(self) -> None:
        text = self.text()
        try:
            crs = crs_util.parse_crs(text)
        except ValueError:
            self.error.setText(self.tr("{} is not a CRS (expected e.g. EPSG:2154)").format(text or "…"))
            return
        self._crs = crs_util.label(crs) if crs.to_epsg() else crs.to_wkt()
        self.accept()

    def crs(self) -> str | None:
        return self._crs


def offer_crs(parent: QWidget, error: CRSMissing, retry: Callable[[Path, str], object]) -> CRSDialog:
    """Open the CRS chooser for ``error``'s file; on OK, ``retry(path, crs)``. Returns the dialog."""
    dialog = CRSDialog(error.path, error.one_line(), error.candidates, parent)

    def chosen() -> None:
        crs = dialog.crs()  # set before the dialog accepts
        if error.path is not None and crs is not None:
            retry(error.path, crs)

    dialog.accepted.connect(chosen)
    dialog.open()
    return dialog
