"""The "Planned project" panel: the selected planned building's shape, the variants, the figures.

Every change made here is an :class:`~layers.session.plan_commands.EditPlan` on the session (so
Ctrl+Z undoes it): the height slider's whole drag is one undo step (one ``merge_key`` per drag),
and the view follows each step of it (the session's ``plan_changed`` reaches the plan layer). The
figures (:class:`~desktop.controllers.plan_figures.PlanFiguresController`) are computed when the
slider is let go, not during the drag. The selection comes from the 3D view's tools
(:meth:`PlanPanel.set_selected`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from layers.core.crs import label
from layers.core.numbers import number
from layers.core.scene import Scene
from layers.plan import edits
from layers.plan.figures import PlanFigures
from layers.plan.model import MAX_HEIGHT_M, Plan, PlannedBuilding, RoofForm
from layers.session.model import SessionModel
from layers.session.plan_commands import EditPlan

from ..controllers.plan_figures import PlanFiguresController
from ..qt_dates import to_date
from ..translation import interface_language

if TYPE_CHECKING:
    from ..dialogs.plan_variants import PlanVariantsDialog

#: the slider moves the wall top by this much per step, metres
SLIDER_STEP_M = 0.5
#: the slider's top, metres (a typed value may go up to MAX_HEIGHT_M)
SLIDER_TOP_M = 150.0

_drags = itertools.count(1)


class PlanPanel(QWidget):
    """The panel (see the module docstring). ``figures`` computes what its figures block shows.

    Signals: ``compare_requested()`` the user asks for the variants side by side;
    ``swipe_requested(left, right)`` for two variants on either side of a swipe bar.
    """

    compare_requested = Signal()
    #: swipe between two variants: (the one on the left, the one on the right), plan indices
    swipe_requested = Signal(int, int)

    def __init__(
        self,
        session: SessionModel,
        figures: PlanFiguresController,
        parent: QWidget | None = None,
        *,
        start_plan: Callable[[], Plan] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.figures = figures
        #: makes the empty plan the "Start a planned project" button starts (in the scene's CRS)
        self.start_plan = start_plan or Plan
        self.selected: tuple[str, ...] = ()
        self._drag_key: tuple[str, int] | None = None
        #: the figures block's lines as shown, (label, value)
        self.figure_rows: list[tuple[str, str]] = []
        self.dock: QDockWidget | None = None
        self.variants_dialog: PlanVariantsDialog | None = None

        self.empty = QLabel(self.tr("No planned project yet: start one, then draw its buildings."), self)
        self.empty.setWordWrap(True)
        self.start_button = QPushButton(self.tr("Start a planned project"), self)
        self.start_button.clicked.connect(self.start_project)

        # -- the selected building --------------------------------------------------------------
        self.building_box = QGroupBox(self.tr("Selected building"), self)
        self.building_name = QLabel(self)
        self.height_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.height_slider.setRange(int(1 / SLIDER_STEP_M), int(SLIDER_TOP_M / SLIDER_STEP_M))
        self.height_slider.setPageStep(int(3 / SLIDER_STEP_M))
        self.height_slider.setMinimumWidth(90)
        self.height_slider.setToolTip(self.tr("Height of the walls (drag; Ctrl+Z undoes the whole drag)"))
        self.height_spin = QDoubleSpinBox(self)
        self.height_spin.setRange(1.0, MAX_HEIGHT_M)
        self.height_spin.setDecimals(1)
        self.height_spin.setSingleStep(0.5)
        self.height_spin.setSuffix(" m")
        self.height_spin.setKeyboardTracking(False)
        self.storeys_spin = QSpinBox(self)
        self.storeys_spin.setRange(1, 120)
        self.storeys_spin.setKeyboardTracking(False)
        self.storey_height_spin = QDoubleSpinBox(self)
        self.storey_height_spin.setRange(1.5, 20.0)
        self.storey_height_spin.setDecimals(2)
        self.storey_height_spin.setSingleStep(0.1)
        self.storey_height_spin.setSuffix(" m")
        self.storey_height_spin.setKeyboardTracking(False)
        self.roof_combo = QComboBox(self)
        for roof_form, text in (
            ("flat", self.tr("Flat")),
            ("gable", self.tr("Gable")),
            ("hip", self.tr("Hip")),
        ):
            self.roof_combo.addItem(text, roof_form)
        self.pitch_spin = QSpinBox(self)
        self.pitch_spin.setRange(5, 75)
        self.pitch_spin.setSuffix(" °")
        self.pitch_spin.setKeyboardTracking(False)
        height_row = QHBoxLayout()
        height_row.addWidget(self.height_slider, 1)
        height_row.addWidget(self.height_spin)
        form = QFormLayout(self.building_box)
        form.addRow(self.building_name)
        form.addRow(self.tr("Height"), height_row)
        form.addRow(self.tr("Storeys"), self.storeys_spin)
        form.addRow(self.tr("Storey height"), self.storey_height_spin)
        form.addRow(self.tr("Roof"), self.roof_combo)
        form.addRow(self.tr("Roof pitch"), self.pitch_spin)
        self.no_selection = QLabel(self.tr("Click a planned building in the view to shape it."), self)
        self.no_selection.setWordWrap(True)

        self.height_slider.sliderPressed.connect(self._drag_started)
        self.height_slider.valueChanged.connect(self._slider_moved)
        self.height_slider.sliderReleased.connect(self._drag_ended)
        self.height_spin.valueChanged.connect(lambda value: self.set_height(float(value)))
        self.storeys_spin.valueChanged.connect(lambda value: self.set_storeys(int(value)))
        self.storey_height_spin.valueChanged.connect(lambda value: self.set_storey_height(float(value)))
        self.roof_combo.currentIndexChanged.connect(lambda _i: self.set_roof(self.roof_combo.currentData()))
        self.pitch_spin.valueChanged.connect(lambda value: self.set_roof(None, float(value)))

        # -- variants ------------------------------------------------------------------------------
        self.variants_box = QGroupBox(self.tr("Variants"), self)
        self.variant_list = QListWidget(self)
        self.variant_list.setMaximumHeight(72)
        self.variant_list.itemClicked.connect(lambda item: self.switch_variant(self.variant_list.row(item)))
        buttons = QGridLayout()
        self.new_button = QPushButton(self.tr("New"), self)
        self.new_button.setToolTip(self.tr("A copy of the variant shown, to change"))
        self.rename_button = QPushButton(self.tr("Rename…"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.compare_button = QPushButton(self.tr("Compare…"), self)
        self.compare_button.setToolTip(self.tr("The figures of the variants side by side"))
        self.new_button.clicked.connect(lambda: self.new_variant())
        self.rename_button.clicked.connect(lambda: self.rename_variant())
        self.delete_button.clicked.connect(lambda: self.delete_variant())
        self.compare_button.clicked.connect(self.compare_requested)
        self.swipe_button = QPushButton(self.tr("Swipe"), self)
        self.swipe_button.setToolTip(
            self.tr("The variant shown and the one before it, on either side of a bar (Ctrl+B stops)")
        )
        self.swipe_button.clicked.connect(self.swipe_with_previous)
        # two rows, so the panel fits the dock beside a 1366 px wide view
        for k, button in enumerate(
            (self.new_button, self.rename_button, self.delete_button, self.compare_button, self.swipe_button)
        ):
            buttons.addWidget(button, k // 3, k % 3)
        variants_layout = QVBoxLayout(self.variants_box)
        variants_layout.addWidget(self.variant_list)
        variants_layout.addLayout(buttons)

        # -- figures ----------------------------------------------------------------------------------
        self.figures_box = QGroupBox(self.tr("Figures"), self)
        self.day_edit = QDateEdit(self)
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("dd/MM/yyyy")
        self.day_edit.setToolTip(self.tr("The day the sun lost around the project is computed for"))
        self.day_edit.dateChanged.connect(lambda value: self.set_day(to_date(value)))
        self.figures_label = QLabel(self)
        self.figures_label.setTextFormat(Qt.TextFormat.RichText)
        self.figures_label.setWordWrap(True)
        self.figures_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.figures_state = QLabel(self)
        self.figures_state.setStyleSheet("color: #666;")
        figures_layout = QFormLayout(self.figures_box)
        figures_layout.addRow(self.tr("Study day"), self.day_edit)
        figures_layout.addRow(self.figures_label)
        figures_layout.addRow(self.figures_state)

        layout = QVBoxLayout(self)
        for widget in (
            self.empty,
            self.start_button,
            self.no_selection,
            self.building_box,
            self.figures_box,
            self.variants_box,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)

        session.plan_changed.connect(lambda _ids: self.refresh())
        figures.computing.connect(lambda: self.figures_state.setText(self.tr("Computing…")))
        figures.figures_ready.connect(self.show_figures)
        figures.failed.connect(
            lambda text: self.figures_state.setText(
                self.tr("The figures could not be computed: {}").format(text)
            )
        )
        self.refresh()

    @classmethod
    def install(
        cls,
        window: QMainWindow,
        view_menu: QMenu,
        beside: QDockWidget,
        session: SessionModel,
        figures: PlanFiguresController,
        scene: Callable[[], Scene],
    ) -> PlanPanel:
        """Create the panel in a dock tabbed with ``beside``, its entry in ``view_menu``; a project
        started here is in ``scene()``'s CRS."""

        def empty_plan() -> Plan:
            crs = scene().crs
            return Plan(crs=label(crs) if crs is not None else None)

        panel = cls(session, figures, window, start_plan=empty_plan)
        dock = QDockWidget(panel.tr("Project"), window)
        dock.setObjectName("Projet")
        scroll = QScrollArea(dock)  # all of it reachable on a 768 px high screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(panel)
        dock.setWidget(scroll)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        window.tabifyDockWidget(beside, dock)
        panel.dock = dock
        view_menu.addAction(dock.toggleViewAction())
        panel.compare_requested.connect(panel.open_variants_table)
        return panel

    def open_variants_table(self) -> PlanVariantsDialog:
        """The variants' figures side by side (one window, raised when asked again)."""
        from ..dialogs.plan_variants import PlanVariantsDialog

        if self.variants_dialog is None:
            self.variants_dialog = PlanVariantsDialog(self.figures, self)
        else:
            self.variants_dialog.refresh()
        self.variants_dialog.show()
        self.variants_dialog.raise_()
        return self.variants_dialog

    # -- what the panel shows --------------------------------------------------------------------
    @property
    def plan(self) -> Plan | None:
        return self.session.plan

    def set_selected(self, ids: Sequence[str]) -> None:
        """The planned buildings selected in the view (their ids); the first is shown, edits go to all."""
        self.selected = tuple(ids)
        self.refresh()

    def selected_buildings(self) -> list[PlannedBuilding]:
        plan = self.plan
        if plan is None:
            return []
        found = (plan.variant.building(ident) for ident in self.selected)
        return [b for b in found if b is not None]

    def refresh(self) -> None:
        """Show the session's plan: the selected building's values, the variants, the study day."""
        plan = self.plan
        has_plan = plan is not None
        for widget in (self.variants_box, self.figures_box):
            widget.setVisible(has_plan)
        self.empty.setVisible(not has_plan)
        self.start_button.setVisible(not has_plan)
        chosen = self.selected_buildings()
        self.building_box.setVisible(bool(chosen))
        self.no_selection.setVisible(has_plan and not chosen)
        if plan is None:
            self.show_figures(None)
            return
        if chosen:
            self._show_building(chosen[0], len(chosen))
        self.variant_list.blockSignals(True)
        self.variant_list.clear()
        for variant in plan.variants:
            self.variant_list.addItem(variant.name)
        self.variant_list.setCurrentRow(plan.active)
        self.variant_list.blockSignals(False)
        self.delete_button.setEnabled(len(plan.variants) > 1)
        self.swipe_button.setEnabled(len(plan.variants) > 1)
        day = self.figures.day()
        self.day_edit.blockSignals(True)
        self.day_edit.setDate(QDate(day.year, day.month, day.day))
        self.day_edit.blockSignals(False)

    def _show_building(self, building: PlannedBuilding, count: int) -> None:
        name = building.name or building.id
        self.building_name.setText(
            name if count == 1 else self.tr("{} and {} more (edits apply to all)").format(name, count - 1)
        )
        values: list[tuple[QWidget, Callable[[], None]]] = [
            (self.height_spin, lambda: self.height_spin.setValue(building.height_m)),
            (self.storeys_spin, lambda: self.storeys_spin.setValue(building.storeys)),
            (self.storey_height_spin, lambda: self.storey_height_spin.setValue(building.storey_height_m)),
            (
                self.roof_combo,
                lambda: self.roof_combo.setCurrentIndex(self.roof_combo.findData(building.roof)),
            ),
            (self.pitch_spin, lambda: self.pitch_spin.setValue(int(round(building.roof_pitch_deg)))),
        ]
        if not self.height_slider.isSliderDown():
            values.append(
                (
                    self.height_slider,
                    lambda: self.height_slider.setValue(round(building.height_m / SLIDER_STEP_M)),
                )
            )
        for widget, show in values:
            widget.blockSignals(True)
            show()
            widget.blockSignals(False)
        self.pitch_spin.setEnabled(building.roof != "flat")

    def show_figures(self, figures: PlanFigures | None) -> None:
        """The figures block: one line per figure, in the interface's language."""
        self.figure_rows = figures.rows(interface_language()) if figures is not None else []
        cells = "".join(
            f"<tr><td>{label}</td><td align='right'>&nbsp;<b>{value}</b></td></tr>"
            for label, value in self.figure_rows
        )
        self.figures_label.setText(f"<table>{cells}</table>" if cells else "")
        if figures is None:
            self.figures_state.setText("")
        else:
            self.day_edit.blockSignals(True)  # the clock's day, when the plan has none of its own
            self.day_edit.setDate(QDate(figures.day.year, figures.day.month, figures.day.day))
            self.day_edit.blockSignals(False)
            self.figures_state.setText(
                self.tr("Variant {}: computed in {} s").format(
                    figures.variant, number(figures.seconds, interface_language(), 2)
                )
            )

    # -- edits ------------------------------------------------------------------------------------
    def _edit(self, change: Callable[[Plan, str], Plan], label: str, merge_key: object = None) -> None:
        """Apply ``change`` to each selected building, as one undoable command."""
        plan = self.plan
        chosen = self.selected_buildings()
        if plan is None or not chosen:
            return
        new = plan
        for building in chosen:
            new = change(new, building.id)
        if new != plan:
            self.session.execute(EditPlan(new, label, merge_key))

    def _drag_started(self) -> None:
        self._drag_key = ("height drag", next(_drags))
        self.figures.hold(True)

    def _slider_moved(self, value: int) -> None:
        height = value * SLIDER_STEP_M
        # a drag is one undo step; a click on the groove or a key press, one each
        self._edit(lambda p, i: edits.set_height(p, i, height), self.tr("change the height"), self._drag_key)

    def _drag_ended(self) -> None:
        self._drag_key = None
        self.figures.hold(False)

    def set_height(self, height_m: float) -> None:
        self._edit(lambda p, i: edits.set_height(p, i, height_m), self.tr("change the height"))

    def set_storeys(self, storeys: int) -> None:
        self._edit(lambda p, i: edits.set_storeys(p, i, storeys), self.tr("change the storeys"))

    def set_storey_height(self, storey_height_m: float) -> None:
        def change(plan: Plan, ident: str) -> Plan:
            building = plan.variant.building(ident)
            storeys = building.storeys if building is not None else 1
            return edits.set_storeys(plan, ident, storeys, storey_height_m)

        self._edit(change, self.tr("change the storey height"))

    def set_roof(self, roof: RoofForm | None, pitch_deg: float | None = None) -> None:
        def change(plan: Plan, ident: str) -> Plan:
            building = plan.variant.building(ident)
            form = roof or (building.roof if building is not None else "flat")
            return edits.set_roof(plan, ident, form, pitch_deg)

        self._edit(change, self.tr("change the roof"))

    def set_day(self, day: date) -> None:
        plan = self.plan
        if plan is not None and plan.day != day:
            self.session.execute(EditPlan(replace(plan, day=day), self.tr("change the study day")))

    def start_project(self) -> None:
        if self.plan is None:
            self.session.execute(EditPlan(self.start_plan(), self.tr("start a planned project")))

    # -- variants -----------------------------------------------------------------------------------
    def new_variant(self, name: str | None = None) -> None:
        """A copy of the variant shown, named ``name`` (default: the next letter), shown."""
        plan = self.plan
        if plan is None:
            return
        new = edits.add_variant(plan, name or next_letter(plan), copy_of=plan.active)
        self.session.execute(EditPlan(new, self.tr("new variant")))

    def rename_variant(self, name: str | None = None) -> None:
        plan = self.plan
        if plan is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(
                self, self.tr("Rename the variant"), self.tr("Name:"), text=plan.variant.name
            )
            if not ok:
                return
        try:
            new = edits.rename_variant(plan, plan.active, name)
        except ValueError:
            self.figures_state.setText(self.tr("A variant needs a name no other variant has."))
            return
        self.session.execute(EditPlan(new, self.tr("rename the variant")))

    def delete_variant(self) -> None:
        plan = self.plan
        if plan is not None and len(plan.variants) > 1:
            self.session.execute(
                EditPlan(edits.remove_variant(plan, plan.active), self.tr("delete the variant"))
            )

    def swipe_with_previous(self) -> None:
        """Ask for the variant before the one shown (after it, for the first) | the one shown."""
        plan = self.plan
        if plan is not None and len(plan.variants) > 1:
            other = plan.active - 1 if plan.active > 0 else plan.active + 1
            self.swipe_requested.emit(other, plan.active)

    def switch_variant(self, index: int) -> None:
        plan = self.plan
        if plan is not None and index != plan.active and 0 <= index < len(plan.variants):
            self.session.execute(EditPlan(edits.switch_variant(plan, index), self.tr("show another variant")))


def next_letter(plan: Plan) -> str:
    """The first capital letter no variant is named (A, B, C…), else the plan's next free name."""
    names = {v.name for v in plan.variants}
    letter = next((c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in names), None)
    return letter or plan.unique_variant_name("Z")
