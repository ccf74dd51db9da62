"""What to do with a layer whose data file is missing: Locate…, Remove layer, Skip.

Opened for each missing layer after a project opens (the other layers are already there). The
dialog only asks; :class:`desktop.reliability.ReliabilityMixin` acts on the answer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

LOCATE, REMOVE, SKIP = "locate", "remove", "skip"


class MissingDataBox(QMessageBox):
    """Asks about one missing layer; :attr:`choice` is ``"locate"``, ``"remove"`` or ``"skip"``
    once a button was pressed (``finished`` is emitted then)."""

    def __init__(
        self,
        layer_name: str,
        path: Path,
        remaining: int,
        parent: QWidget | None = None,
        *,
        unreadable: str | None = None,
    ) -> None:
        """``unreadable``: why the data, which is there, cannot be read (``None``: it is not there)."""
        super().__init__(QMessageBox.Icon.Warning, self.tr("Data not found"), "", parent=parent)
        more = self.tr(" ({} more missing layers after this one)").format(remaining) if remaining else ""
        if unreadable is None:
            self.setText(self.tr("The data of the layer « {} » is missing:\n{}").format(layer_name, path))
            self.setInformativeText(
                self.tr(
                    "It may have been moved, renamed or deleted. "
                    "Locate it (the project will point at its new place), "
                    "remove the layer from the project, or skip it for now (the layer stays in the project)."
                )
                + more
            )
        else:
            self.setWindowTitle(self.tr("Data unreadable"))
            self.setText(
                self.tr("The data of the layer « {} » cannot be read:\n{}\n{}").format(
                    layer_name, path, unreadable
                )
            )
            self.setInformativeText(
                self.tr(
                    "It may be damaged, cut short or not a data file. "
                    "Locate a good copy (the project will point at it), "
                    "remove the layer from the project, or skip it for now (the layer stays in the project)."
                )
                + more
            )
        self.locate_button = self.addButton(self.tr("Locate…"), QMessageBox.ButtonRole.AcceptRole)
        self.remove_button = self.addButton(self.tr("Remove layer"), QMessageBox.ButtonRole.DestructiveRole)
        self.skip_button = self.addButton(self.tr("Skip"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.locate_button)
        self.setEscapeButton(self.skip_button)
        self.choice: str | None = None
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: QAbstractButton) -> None:
        choices: dict[QAbstractButton, str] = {self.locate_button: LOCATE, self.remove_button: REMOVE}
        self.choice = choices.get(button, SKIP)


class OutsideFolderBox(QMessageBox):
    """Asks before opening data that lies outside a project's folder; :attr:`choice` is
    ``"open"``, ``"skip"`` or ``None`` (cancelled)."""

    def __init__(self, project: Path, paths: list[Path], parent: QWidget | None = None) -> None:
        listed = "\n".join(f"• {p}" for p in paths[:12]) + (f"\n… ({len(paths)})" if len(paths) > 12 else "")
        super().__init__(
            QMessageBox.Icon.Question,
            self.tr("Data outside the project's folder"),
            self.tr("The project {} reads data outside its folder:\n{}").format(project.name, listed),
            parent=parent,
        )
        self.setInformativeText(
            self.tr(
                "Open these files only if you know where the project comes from. "
                "Your answer is remembered for this project until Maquette closes."
            )
        )
        self.open_button = self.addButton(self.tr("Open them"), QMessageBox.ButtonRole.AcceptRole)
        self.skip_button = self.addButton(self.tr("Skip these layers"), QMessageBox.ButtonRole.ActionRole)
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.open_button)
        self.choice: str | None = None
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: QAbstractButton) -> None:
        choices: dict[QAbstractButton, str] = {self.open_button: "open", self.skip_button: "skip"}
        self.choice = choices.get(button)
