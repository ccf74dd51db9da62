"""Questions about data, asked so that nothing is lost and nothing is a surprise:

* :meth:`DataQuestions.ask_outside`: before a project reads data outside its folder, the list of
  those files and a choice (open them, skip those layers, cancel), remembered per project until
  the app closes.
* :meth:`DataQuestions.offer_missing`: after a project opened, one question per layer whose data
  is missing — *Locate…*, *Remove layer*, *Skip* (the layer stays in the project, as it was).
* :meth:`DataQuestions.ask_crs`: the CRS chooser for each file that declares none.
* :meth:`DataQuestions.ask_locations`: for readings whose sensors have no position, a locations file.
* :meth:`DataQuestions.ask_far_apart`: data added from a place far from the open one
  (:data:`layers.core.scene.FAR_APART_M`): open it in its own scene (the default) or add it here.

Questions are opened window-modal without blocking (``open()``), one after the other. This module
only asks: what to do with an answer is given by the caller (the files controller).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from layers.core.errors import CRSMissing, InputError
from layers.core.scene import FarApart
from layers.session.project import Project

from ..dialogs.crs import offer_crs
from ..dialogs.missing import LOCATE, REMOVE, MissingDataBox, OutsideFolderBox

#: file-name patterns offered for a sensors locations file
LOCATION_PATTERNS = "*.csv *.tsv *.txt *.geojson *.json *.gpkg *.shp *.fgb"


class DataQuestions(QObject):
    """Asks the questions of the module docstring over ``window``."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        #: project path → the outside files the user accepted in this session
        self._outside_allowed: dict[Path, set[Path]] = {}
        self._missing: list[dict[str, Any]] = []
        self._unreadable: dict[str, str] = {}

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
        if project_path is None:
            return False
        allowed = self._outside_allowed.get(project_path, set())
        new = [(key, path) for key, path in outside if path not in allowed]
        if not new:
            return False
        box = OutsideFolderBox(project_path, sorted({p for _, p in new}), self.window)

        def answered(_result: int) -> None:
            if box.choice == "open":
                self._outside_allowed.setdefault(project_path, set()).update(p for _, p in new)
                proceed(set())
            elif box.choice == "skip":
                proceed({key for key, _ in new})

        box.finished.connect(answered)
        box.open()
        return True

    # -- missing data -----------------------------------------------------------------------------
    def offer_missing(
        self,
        project: Project,
        specs: list[dict[str, Any]],
        locate: Callable[[str, Path], object],
        remove: Callable[[str], object],
        unreadable: dict[str, str] | None = None,
    ) -> None:
        """Ask about each layer entry of ``specs`` (whose data is missing, or there but unreadable:
        ``unreadable`` says why by spec key), one after the other: ``locate(key, chosen_file)`` or
        ``remove(key)`` with the answer; *Skip* does nothing."""
        self._missing = list(specs)
        self._unreadable = dict(unreadable or {})
        self._next_missing(project, locate, remove)

    def _next_missing(
        self, project: Project, locate: Callable[[str, Path], object], remove: Callable[[str], object]
    ) -> None:
        if not self._missing:
            return
        from layers.session.project import spec_key

        spec = self._missing.pop(0)
        box = MissingDataBox(
            spec.get("name") or spec["source"],
            project.source_path(spec),
            len(self._missing),
            self.window,
            unreadable=self._unreadable.get(spec_key(spec)),
        )

        def answered(_result: int) -> None:
            self._missing_answered(project, spec, box.choice, locate, remove)

        box.finished.connect(answered)
        box.open()

    def _missing_answered(
        self,
        project: Project,
        spec: dict[str, Any],
        choice: str | None,
        locate: Callable[[str, Path], object],
        remove: Callable[[str], object],
    ) -> None:
        from layers.session.project import spec_key

        key = spec_key(spec)
        if choice == LOCATE:
            where = project.source_path(spec).parent
            chosen, _ = QFileDialog.getOpenFileName(
                self.window,
                self.tr("Locate « {} »").format(spec.get("name") or spec["source"]),
                str(where if where.exists() else project.folder),
            )
            if chosen:
                locate(key, Path(chosen))
            else:
                self._missing.insert(0, spec)  # no file chosen: ask again
        elif choice == REMOVE:
            remove(key)
        self._next_missing(project, locate, remove)

    # -- files without a CRS ----------------------------------------------------------------------
    def ask_crs(self, errors: list[InputError], retry: Callable[[Path, str], object]) -> list[InputError]:
        """Offer the CRS chooser for each file that declares none (``retry(path, crs)`` once the
        user chose); returns the other errors."""
        for error in errors:
            if isinstance(error, CRSMissing):
                offer_crs(self.window, error, retry)
        return [e for e in errors if not isinstance(e, CRSMissing)]

    # -- sensors without positions ----------------------------------------------------------------
    def ask_locations(
        self, errors: list[InputError], retry: Callable[[Path, str], object]
    ) -> list[InputError]:
        """For readings that failed only because their sensors have no position (Nantes' loops),
        offer to choose a locations file: ``retry(readings, locations)`` with the choice. Returns
        the errors left to show."""
        from layers.sensors.load import MissingLocations

        left = []
        for error in errors:
            if not isinstance(error, MissingLocations) or error.path is None:
                left.append(error)
                continue
            answer = QMessageBox.question(
                self.window,
                self.tr("Sensors without positions"),
                self.tr(
                    "« {name} » does not say where its sensors are ({hint}).\n\n"
                    "Choose a locations file (a table with lon/lat or x/y columns, or a point file) "
                    "holding their ids?"
                ).format(name=Path(error.path).name, hint=error.hint or ""),
            )
            if answer != QMessageBox.StandardButton.Yes:
                left.append(error)
                continue
            chosen, _ = QFileDialog.getOpenFileName(
                self.window,
                self.tr("Locations of the sensors"),
                str(Path(error.path).parent),
                self.tr("Tables and points") + f" ({LOCATION_PATTERNS});;" + self.tr("All files") + " (*)",
            )
            if not chosen:
                left.append(error)
                continue
            retry(Path(error.path), chosen)
        return left

    # -- data far from the open place -------------------------------------------------------------
    def ask_far_apart(
        self, far: list[FarApart], own_scene: Callable[[], object], here: Callable[[], object]
    ) -> QMessageBox:
        """Data being added lie far from the open data (``far``: one entry per such file): ask
        whether to open them in their own scene (the default, also when the box is closed) and call
        ``own_scene()``, or to add them to this one and call ``here()``. Returns the box (opened)."""
        first = far[0]
        name = first.layer.source.name if first.layer.source is not None else first.layer.name
        if len(far) > 1:
            name = self.tr("{} and {} other files").format(name, len(far) - 1)
        other = first.nearest.source.name if first.nearest.source is not None else first.nearest.name
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Data from another place"))
        box.setText(
            self.tr(
                "« {name} » lies {km} km from « {other} », already open.\n\n"
                "Places this far apart are best seen in scenes of their own: one scene holding both is "
                "mostly empty ground between them, and it needs far more memory. Open it in its own scene "
                "(the scene open now is closed), or add it to this scene?"
            ).format(name=name, km=f"{first.gap_m / 1000:,.0f}", other=other)
        )
        own = box.addButton(self.tr("Open in its own scene"), QMessageBox.ButtonRole.AcceptRole)
        add = box.addButton(self.tr("Add to this scene"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(own)

        def answered(_result: int) -> None:
            if box.clickedButton() is add:
                here()
            else:
                own_scene()

        box.finished.connect(answered)
        box.open()
        return box
