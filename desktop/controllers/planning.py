"""The planned project between the session and the scene: every change of the session's plan (an
edit, an undo, a project opened) is shown in the scene (:func:`layers.plan.scene.show_plan`), and the
Plan menu and toolbar start a plan, import a planned file layer into it and switch the editing tools
(:class:`desktop.planning.tools.PlanTools`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar, QToolBar

from layers.buildings.layer import BuildingsLayer
from layers.core import crs as crs_util
from layers.core.messages import word
from layers.plan.layer import PLAN_LAYER_NAME, PlanLayer
from layers.plan.model import Plan, Variant, buildings_from_polygons
from layers.plan.scene import existing_buildings, show_plan
from layers.plan.snapping import Snapper, Walls
from layers.session.model import SessionModel
from layers.session.plan_commands import EditPlan
from viewer.scene_view import SceneView

from ..planning.tools import PlanTools, Tool
from .messages import Messages
from .picking import ClickTaker
from .workspace import Workspace


class HidingLayer(EditPlan):
    """An edit of the plan that also hides ``layer`` (a planned file layer made editable): undone,
    the layer shows as it did."""

    def __init__(self, plan: Plan, label: str, layer: BuildingsLayer) -> None:
        super().__init__(plan, label)
        self.layer = layer
        self.was_visible = layer.visible

    def do(self, target: SessionModel) -> None:
        super().do(target)
        self.layer.visible = False

    def undo(self, target: SessionModel) -> None:
        super().undo(target)
        self.layer.visible = self.was_visible


class PlanningController(QObject):
    """Shows the session's plan in the scene and owns the editing tools (:attr:`tools`)."""

    def __init__(
        self, window: QMainWindow, workspace: Workspace, messages: Messages, clicks: ClickTaker | None = None
    ) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        self.messages = messages
        self.language = workspace.language
        self.tools = PlanTools(workspace.plotter, self, workspace.language, clicks)
        #: walls of the existing buildings, built once per scene (snapping)
        self._existing_walls: tuple[tuple[int, ...], Walls] | None = None
        #: walls of the plan's buildings, built again when the variant changes
        self._plan_walls: tuple[tuple[Variant | None, str | None], Walls] | None = None
        self.tool_actions: dict[Tool, QAction] = {}
        workspace.session.plan_changed.connect(self._plan_changed)
        workspace.replaced.connect(self._scene_replaced)
        self.tools.tool_changed.connect(self._tool_changed)
        self.tools.hint_changed.connect(self._show_hint)

    # -- what the tools use ---------------------------------------------------------------------
    @property
    def session(self) -> SessionModel:
        return self.workspace.session

    @property
    def scene_view(self) -> SceneView | None:
        return self.workspace.scene_view

    def plan_to_edit(self) -> Plan:
        """The session's plan, or a new empty one in the scene's CRS (the first edit starts it)."""
        plan = self.session.plan
        if plan is not None:
            return plan
        scene_crs = self.workspace.scene.crs
        return Plan(crs=crs_util.label(scene_crs) if scene_crs is not None else None)

    def preview(self, plan: Plan | None) -> None:
        """Show ``plan`` in the scene without changing the session (a handle being dragged)."""
        show_plan(self.workspace.scene, plan, self.language)

    def snapper(self, leave_out: str | None = None) -> Snapper:
        """Snapping to the existing buildings' walls and the plan's (but building ``leave_out``)."""
        scene = self.workspace.scene
        standing = existing_buildings(scene)
        key = (id(scene), *(id(layer) for layer in standing), *(layer.revision for layer in standing))
        if self._existing_walls is None or self._existing_walls[0] != key:
            parts = [np.asarray(layer.frame.geometry.values, dtype=object) for layer in standing]
            geometries = np.concatenate(parts) if parts else np.zeros(0, dtype=object)
            self._existing_walls = (key, Walls.of(geometries))
        plan = self.session.plan
        variant = plan.variant if plan is not None else None
        if self._plan_walls is None or self._plan_walls[0] != (variant, leave_out):
            planned = [b.polygon for b in variant.buildings if b.id != leave_out] if variant else []
            self._plan_walls = ((variant, leave_out), Walls.of(planned))
        return Snapper(self._existing_walls[1], self._plan_walls[1])

    # -- the scene follows the session ------------------------------------------------------------
    def _plan_changed(self, _ids: frozenset[str] | None) -> None:
        self.show()

    def show(self) -> None:
        """Make the scene show the session's plan (added once, updated in place after)."""
        if self.tools.drag is not None:
            self.tools.cancel()
        layer = show_plan(self.workspace.scene, self.session.plan, self.language)
        if layer is not None and layer.name == PLAN_LAYER_NAME:
            # added by the opening of a project (layers.session.scene_io), named in English
            layer.name = word(PLAN_LAYER_NAME, self.language)
        self.tools.plan_shown()

    def _scene_replaced(self) -> None:
        self._existing_walls = None
        self.tools.view_replaced()
        self.show()

    # -- starting a plan ------------------------------------------------------------------------------
    def new_plan(self) -> None:
        """Plan › New planned project: an empty plan (variant "A"), then the Draw tool."""
        scene_crs = self.workspace.scene.crs
        plan = Plan(crs=crs_util.label(scene_crs) if scene_crs is not None else None)
        self.session.execute(EditPlan(plan, self.tr("start a planned project")))
        self.tools.set_tool(Tool.DRAW)

    def planned_file_layer(self) -> BuildingsLayer | None:
        """A buildings layer of the scene marked as planned (read from a file), ``None`` if none."""
        from layers.buildings.planned import is_proposed

        return next(
            (
                layer
                for layer in self.workspace.scene.layers
                if isinstance(layer, BuildingsLayer)
                and not isinstance(layer, PlanLayer)
                and is_proposed(layer)
            ),
            None,
        )

    def edit_planned_layer(self) -> bool:
        """Plan › Edit this planned layer: its footprints and heights become buildings of the plan's
        active variant (a new plan: variant "A"), and the file layer is hidden. False without one."""
        import shapely

        layer = self.planned_file_layer()
        if layer is None:
            return False
        plan = self.plan_to_edit()
        polygons, heights = [], []
        for geometry, height in zip(np.asarray(layer.frame.geometry.values), layer.height_m, strict=True):
            parts = [
                p for p in shapely.get_parts(shapely.make_valid(geometry)) if isinstance(p, shapely.Polygon)
            ]
            if not parts:
                continue
            largest = max(parts, key=lambda p: p.area)
            if largest.area >= 1.0:
                polygons.append(shapely.Polygon(largest.exterior))
                heights.append(float(height))
        taken = {b.id for v in plan.variants for b in v.buildings}
        first = len(taken) + 1
        while any(f"b{first + k}" in taken for k in range(len(polygons))):
            first += 1
        added = buildings_from_polygons(polygons, heights, first_id=first)
        variant = plan.variant
        plan = plan.with_variant(replace(variant, buildings=(*variant.buildings, *added)))
        self.session.execute(HidingLayer(plan, self.tr("edit the planned layer"), layer))
        return True

    # -- menu and toolbar ---------------------------------------------------------------------------
    def build(self, bar: QMenuBar) -> QMenu:
        """The Plan menu in ``bar`` and the planning toolbar at the bar's right end; the menu is returned."""
        menu = bar.addMenu(self.tr("Pla&n"))
        new = menu.addAction(self.tr("New planned project"))
        new.triggered.connect(self.new_plan)
        self.import_action = menu.addAction(self.tr("Edit this planned layer"))
        self.import_action.setToolTip(self.tr("Make the buildings of the planned layer editable"))
        self.import_action.triggered.connect(self.edit_planned_layer)
        menu.aboutToShow.connect(lambda: self.import_action.setEnabled(self.planned_file_layer() is not None))
        menu.addSeparator()
        group = QActionGroup(self)
        group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        tools = [
            (
                Tool.DRAW,
                self.tr("Draw"),
                self.tr("Draw a building: click its corners on the ground (D)"),
                "D",
            ),
            (
                Tool.SELECT,
                self.tr("Select"),
                self.tr("Select a planned building and drag its handles (S)"),
                "S",
            ),
            (
                Tool.DEMOLISH,
                self.tr("Demolish"),
                self.tr("Click existing buildings to demolish them (X)"),
                "X",
            ),
        ]
        toolbar = QToolBar(self.tr("Plan"), self.window)
        toolbar.setObjectName("plan_toolbar")
        for tool, text, tip, key in tools:
            action = QAction(text, self.window)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(key))
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(lambda checked, t=tool: self.tools.set_tool(t if checked else Tool.OFF))
            group.addAction(action)
            menu.addAction(action)
            toolbar.addAction(action)
            self.tool_actions[tool] = action
        menu.addSeparator()
        toolbar.addSeparator()
        edits = [
            (
                self.tr("Delete"),
                self.tr("Delete the selected planned building (Del)"),
                "Del",
                self.tools.delete_selected,
            ),
            (
                self.tr("Duplicate"),
                self.tr("Duplicate the selected planned building (Ctrl+D)"),
                "Ctrl+D",
                self.tools.duplicate_selected,
            ),
        ]
        for text, tip, key, slot in edits:
            action = QAction(text, self.window)
            action.setShortcut(QKeySequence(key))
            action.setToolTip(tip)
            action.triggered.connect(slot)
            menu.addAction(action)
            toolbar.addAction(action)
        self.toolbar = toolbar
        # in the menu bar's free end rather than a row of its own: a 1366 × 768 laptop has no height
        # to spare
        toolbar.setIconSize(QSize(16, 16))
        toolbar.setContentsMargins(0, 0, 0, 0)
        toolbar.setStyleSheet(
            "QToolBar { border: 0px; padding: 0px; spacing: 2px; } QToolButton { padding: 0px 4px; }"
        )
        toolbar.setFixedHeight(bar.fontMetrics().height() + 2)
        bar.setCornerWidget(toolbar, Qt.Corner.TopRightCorner)
        return menu

    def _show_hint(self, text: str) -> None:
        bar = self.window.statusBar()
        if text:
            bar.showMessage(text)
        else:
            bar.clearMessage()

    def _tool_changed(self, value: str) -> None:
        for tool, action in self.tool_actions.items():
            action.setChecked(tool.value == value)
