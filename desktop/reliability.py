"""The main window's side of "nothing lost, nothing surprising": bad files, missing data, data
outside a project's folder.

A mixin of :class:`desktop.main_window.MainWindow`:

* :meth:`show_input_errors`: one message box for the files that could not be read, each line naming
  the file, what is wrong and what to do; the scene is left as it was.
* :meth:`offer_missing`: after a project opened, one question per layer whose data is missing —
  *Locate…* (the layer opens from the chosen file and the project points at it, relative to the
  project), *Remove layer*, *Skip* (the layer stays in the project, as it was).
* :meth:`ask_outside`: before a project reads data outside its folder, the list of those files and
  a choice (open them, skip those layers, cancel), remembered per project until the app closes.

Questions are opened window-modal without blocking (``open()``), one after the other.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from layers.core.errors import InputError

from .dialogs.missing import LOCATE, REMOVE, MissingDataBox, OutsideFolderBox

if TYPE_CHECKING:
    from layers.session.opening import Session

#: what a message box lists at most
MAX_LINES = 12


def unexpected(path: Path, exc: BaseException) -> InputError:
    """An :class:`InputError` for a file whose reading failed in an unexpected way (a bug), so the
    other files of the batch still open; the traceback is kept in ``details``."""
    error = InputError(
        path,
        f"could not be read ({type(exc).__name__}: {exc})",
        hint="Maquette could not read this file; please report it, with the file if you can",
    )
    error.details = "".join(traceback.format_exception(exc))
    return error


class ReliabilityMixin:
    """See the module docstring."""

    def _build_reliability(self) -> None:
        #: project path → the outside files the user accepted in this session
        self._outside_allowed: dict[Path, set[Path]] = {}
        self._missing_queue: list[dict] = []
        self.missing_box: MissingDataBox | None = None
        self.outside_box: OutsideFolderBox | None = None

    # -- bad files -----------------------------------------------------------------------------
    def show_input_errors(self, errors: list[InputError], title: str | None = None) -> QMessageBox | None:
        """One warning box for ``errors`` (a line each: file, problem, remedy); ``None`` if none."""
        if not errors:
            return None
        lines = [e.one_line() for e in errors]
        if len(lines) == 1:
            text = lines[0]
        else:
            text = (
                self.tr("{} files could not be opened:").format(len(lines))
                + "\n"
                + "\n".join(f"• {line}" for line in lines[:MAX_LINES])
            )
            if len(lines) > MAX_LINES:
                text += "\n" + self.tr("… and {} more").format(len(lines) - MAX_LINES)
        box = QMessageBox(
            QMessageBox.Icon.Warning, title or self.tr("Cannot open this data"), text, parent=self
        )
        box.setInformativeText(
            self.tr(
                "Nothing was changed in the current scene. Each line names the file, what is wrong with it and, in "
                "brackets, what to do."
            )
        )
        details = "\n\n".join(getattr(e, "details", "") for e in errors if getattr(e, "details", ""))
        if details:
            box.setDetailedText(details)
        box.open()
        self._last_message_box = box
        return box

    # -- data outside a project's folder ----------------------------------------------------------
    def ask_outside(self, paths: list[Path], proceed: Callable[[set[str]], object]) -> bool:
        """If the project among ``paths`` reads data outside its folder that the user has not yet
        accepted, ask, and call ``proceed(skip)`` with the answer (``skip``: keys of the layers not
        to open); returns True when a question is pending, False when nothing needs asking."""
        from layers.session.opening import outside_of

        try:
            project_path, outside = outside_of(paths, recover=True)
        except InputError:
            return False  # the opening itself reports the bad project
        allowed = self._outside_allowed.get(project_path, set())
        new = [(key, path) for key, path in outside if path not in allowed]
        if not new:
            return False
        box = OutsideFolderBox(project_path, sorted({p for _, p in new}), self)

        def answered(_result: int) -> None:
            if box.choice == "open":
                self._outside_allowed.setdefault(project_path, set()).update(p for _, p in new)
                proceed(set())
            elif box.choice == "skip":
                proceed({key for key, _ in new})

        box.finished.connect(answered)
        box.open()
        self.outside_box = box
        return True

    # -- missing data -----------------------------------------------------------------------------
    def offer_missing(self, session: Session) -> None:
        """Ask about each layer of ``session`` whose data is missing, one after the other."""
        self._missing_queue = list(session.report.missing)
        self._next_missing()

    def _next_missing(self) -> None:
        self.missing_box = None
        if not self._missing_queue:
            return
        spec = self._missing_queue.pop(0)
        path = self.project.source_path(spec)
        box = MissingDataBox(spec.get("name") or spec["source"], path, len(self._missing_queue), self)
        box.finished.connect(lambda _result, s=spec, b=box: self._missing_answered(s, b.choice))
        box.open()
        self.missing_box = box

    def _missing_answered(self, spec: dict, choice: str | None) -> None:
        from layers.session.project import forget_layer, spec_key

        key = spec_key(spec)
        if choice == LOCATE:
            start = str(
                self.project.source_path(spec).parent
                if self.project.source_path(spec).parent.exists()
                else self.project.folder
            )
            chosen, _ = QFileDialog.getOpenFileName(
                self, self.tr("Locate « {} »").format(spec.get("name") or spec["source"]), start
            )
            if chosen:
                self.relocate_layer(key, Path(chosen))
            else:
                self._missing_queue.insert(0, spec)  # no file chosen: ask again
        elif choice == REMOVE:
            forget_layer(self.project, key)
            self.mark_dirty()
        self._next_missing()

    def relocate_layer(self, key: str, path: Path):
        """Point the layer ``key`` of the project at ``path`` and open it there (in the background)."""
        from layers.session.project import open_spec, relocate, spec_key

        spec = relocate(self.project, key, path)
        project, target_crs = self.project, self.scene.crs

        def work(progress, cancelled):
            layer = open_spec(project, spec)
            if target_crs is not None and not layer.crs.equals(target_crs):
                layer.reproject(target_crs)
            layer.prepare()
            return [layer], []

        def opened(result) -> None:
            self.project.unopened.discard(spec_key(spec))
            self._add_layers(result)

        return self._start(work, self.tr("Reading {}…").format(path.name), opened)
