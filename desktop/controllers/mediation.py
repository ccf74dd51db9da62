"""The mediation side of the window: the story (steps captured from the screen, previewed,
presented), comments gathered in the room (placed with a click, pinned on the model, exported),
before / after (a swipe bar, or a switch).

The session's views, story and comments live in the session model (:mod:`layers.session.model`);
this controller turns what the panels ask into commands, keeps the pins on the model in step with
the comments, and writes the autosave at once when a view, a step or a comment changes (what is
said in a meeting is on disk at once). Drawing is in ``viewer.caption``, ``viewer.annotations`` and
``viewer.swipe``; presentation mode in :mod:`desktop.presentation`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QWidget

from layers.buildings.layer import BuildingsLayer
from layers.buildings.planned import is_proposed, replaced_rows
from layers.core.base import Layer
from layers.core.errors import InputError
from layers.session.commands import AddComment, AddStep, recapture_step
from layers.session.comments import Comment, export_comments
from layers.session.story import capture_step
from layers.session.views import CameraView
from viewer.annotations import CommentMarkers

from ..audience import AudienceGuard
from ..autosaver import Autosaver
from ..dialogs.comment import CommentForm
from ..panels.comments import CommentsPanel
from ..panels.story import StoryPanel
from ..panels.timeline import TimelinePanel
from ..panels.views import ViewsPanel
from ..presentation import Presentation
from ..settings import Settings
from .camera import CameraController
from .picking import display_xy
from .workspace import Workspace

#: a comment is flown to from this far, metres
COMMENT_VIEW_M = 260.0
#: the swipe bar is grabbed this close to it, pixels
SWIPE_GRAB_PX = 14


class MediationController(QObject):
    """Story, comments, presentation and before / after for ``window`` (see the module docstring).

    Signal: ``presenting_changed(bool)`` when the story starts or stops being presented.
    """

    presenting_changed = Signal(bool)

    def __init__(
        self,
        window: QMainWindow,
        view: QWidget,
        workspace: Workspace,
        camera: CameraController,
        autosaver: Autosaver,
        settings: Settings,
        *,
        timeline: TimelinePanel,
        views_panel: ViewsPanel,
        story_panel: StoryPanel,
        comments_panel: CommentsPanel,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.view = view
        self.workspace = workspace
        self.camera = camera
        self.autosaver = autosaver
        self.settings = settings
        self.story_panel = story_panel
        self.comment_markers: CommentMarkers | None = None
        self._comment_form: CommentForm | None = None
        self._placing_comment = False
        #: the other variant's layer while two variants are swiped (see swipe_variants)
        self._variant_layer: Layer | None = None
        self.presentation = Presentation(window, workspace, timeline, camera, settings, comments=self)
        self.presentation.finished.connect(lambda: self.presenting_changed.emit(False))
        self.audience = AudienceGuard(
            self.presentation.presentation_windows,
            self.presentation.laptop_area,
            lambda widget: widget is self._comment_form,
            self,
        )
        self.presenting_changed.connect(self.audience.watch)
        views_panel.go_requested.connect(camera.go_to_view)
        views_panel.capture_requested.connect(lambda: camera.capture_view())
        story_panel.capture_requested.connect(self.capture_step)
        story_panel.preview_requested.connect(self.preview_step)
        story_panel.present_requested.connect(self.start_presentation)
        comments_panel.add_requested.connect(self.begin_comment)
        comments_panel.fly_requested.connect(self.fly_to_comment)
        comments_panel.export_requested.connect(self.export_comments)
        session = workspace.session
        session.views_changed.connect(self._write_now)
        session.story_changed.connect(self._on_story_changed)
        session.comments_changed.connect(self._on_comments_changed)
        workspace.replaced.connect(self._new_markers)

    # -- autosave at once ----------------------------------------------------------------------------
    def _write_now(self, *_args: object) -> None:
        """A view added in the meeting, a comment, a step: on disk at once (not when a project opens)."""
        if self.workspace.session.dirty:
            self.autosaver.write_now()

    def _on_story_changed(self, _focus: int | None) -> None:
        """Story edits are on disk at once (a crash loses none); typing in a step's text is written
        0.4 s after the last key (the autosaver's debounce)."""
        if not self.story_panel.editing_text():
            self._write_now()

    # -- story ---------------------------------------------------------------------------------------
    def capture_step(self, row: int) -> None:
        """A step from what is on screen: a new one at the end (``row`` −1), else the scene part of
        step ``row`` (its caption kept)."""
        scene_view = self.workspace.scene_view
        if scene_view is None:
            return
        session = self.workspace.session
        view = scene_view.current_view(self.tr("Step view"))
        # a step refers to a named view when the camera sits on one, else keeps its own camera
        named = next((v for v in session.views if same_view(v, view)), None)
        plan = session.plan
        variant = plan.variant.name if plan is not None else None
        step = capture_step(self.workspace.scene, named.name if named else view, variant=variant)
        if row < 0:
            step.title = self.tr("Step {}").format(len(session.steps) + 1)
            session.execute(AddStep(step))
        elif row < len(session.steps):
            session.execute(recapture_step(row, session.steps[row], step))

    def preview_step(self, row: int) -> None:
        steps = self.workspace.session.steps
        if 0 <= row < len(steps):
            self.presentation.show_step(steps[row], animate=True)

    def start_presentation(self, index: int = 0) -> None:
        was_active = self.presentation.active
        self.presentation.start(index)
        if self.presentation.active and not was_active:
            self.presenting_changed.emit(True)

    def start_presentation_from_selected(self) -> None:
        self.start_presentation(max(self.story_panel.current_row(), 0))

    def fill_screens_menu(self, menu: QMenu) -> None:
        """Presentation › Audience screen: automatic, or one of the screens (kept in the settings)."""
        menu.clear()
        current = self.settings.presentation_screen()
        auto = menu.addAction(self.tr("Automatic (the projector when there are two screens)"))
        auto.setCheckable(True)
        auto.setChecked(current is None)
        auto.triggered.connect(lambda: self.settings.set_presentation_screen(None))
        for i, screen in enumerate(QGuiApplication.screens()):
            geometry = screen.geometry()
            action = menu.addAction(f"{i + 1}: {screen.name()} ({geometry.width()}×{geometry.height()})")
            action.setCheckable(True)
            action.setChecked(current == i)
            action.triggered.connect(lambda _=False, i=i: self.settings.set_presentation_screen(i))

    # -- comments ------------------------------------------------------------------------------------
    def begin_comment(self) -> None:
        """Next click on the model places a comment there."""
        if self.workspace.scene_view is None or not self.workspace.scene.layers:
            return
        self._placing_comment = True
        self.view.setCursor(Qt.CursorShape.CrossCursor)
        if not self.presentation.active:
            self.window.statusBar().showMessage(
                self.tr("Click on the model where the participant points (Esc cancels)."), 8000
            )

    def comment_form_open(self) -> bool:
        return self._comment_form is not None and self._comment_form.isVisible()

    def placing_comment(self) -> bool:
        return self._placing_comment

    def presenting(self) -> bool:
        """True while the story is presented full screen (the audience sees the window)."""
        return self.presentation.active

    def cancel_comment(self) -> None:
        self._placing_comment = False
        self.view.unsetCursor()

    def place_comment_at(self, pos: QPoint) -> None:
        """The click that places a comment: find the point on the model, then ask what was said."""
        self.cancel_comment()
        scene_view = self.workspace.scene_view
        if scene_view is None:
            return
        world = scene_view.world_at(*display_xy(self.view, pos))
        if world is None:
            return
        # on the laptop's screen while a projector shows the model; large when the room sees it
        laptop = self.presentation.laptop_area() if self.presentation.active else None
        form = CommentForm(self.window, scale=1.4 if self.presentation.active and laptop is None else 1.0)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one form per comment, gone once answered
        form.destroyed.connect(lambda: self._forget_form(form))
        form.accepted.connect(
            lambda category, text, group: self.add_comment(
                Comment(category, text, world[0], world[1], max(world[2], 0.0), group=group)
            )
        )
        form.closed.connect(self.presentation.take_keys_back)
        self._comment_form = form
        form.open_at(self.view, laptop)

    def _forget_form(self, form: CommentForm) -> None:
        if self._comment_form is form:
            self._comment_form = None

    def add_comment(self, comment: Comment) -> None:
        self.workspace.session.execute(AddComment(comment))

    def _on_comments_changed(self) -> None:
        if self.comment_markers is not None:
            self.comment_markers.set_comments(list(self.workspace.session.comments))
        self._write_now()  # what is said in the room is on disk at once

    def _new_markers(self) -> None:
        """Pins for the comments in the new 3D view (none on an empty scene)."""
        if self.comment_markers is not None:
            self.comment_markers.remove()
        scene_view = self.workspace.scene_view
        self.comment_markers = (
            CommentMarkers(scene_view) if scene_view is not None and self.workspace.scene.layers else None
        )
        if self.comment_markers is not None:
            self.comment_markers.set_comments(list(self.workspace.session.comments))

    def fly_to_comment(self, comment: Comment) -> None:
        scene_view = self.workspace.scene_view
        if scene_view is None:
            return
        current = scene_view.current_view("comment")
        target = CameraView(
            self.tr("Comment"),
            (comment.x, comment.y - COMMENT_VIEW_M * 0.75, comment.z + COMMENT_VIEW_M * 0.66),
            (comment.x, comment.y, comment.z),
            (0.0, 0.0, 1.0),
            current.view_angle_deg,
        )
        self.camera.go_to_view(target)

    def export_comments(self) -> None:
        """Presentation › Export comments…: GeoJSON or CSV, where the user says."""
        if not self.workspace.session.comments:
            QMessageBox.information(
                self.window, self.tr("Export comments"), self.tr("There is no comment to export yet.")
            )
            return
        project = self.workspace.project
        start = str((project.folder if project.path else Path.home()) / "commentaires.geojson")
        path, chosen = QFileDialog.getSaveFileName(
            self.window, self.tr("Export comments"), start, "GeoJSON (*.geojson);;CSV (*.csv)"
        )
        if path:
            self.export_comments_to(Path(path), csv="CSV" in chosen or path.lower().endswith(".csv"))

    def export_comments_to(self, path: Path, csv: bool = False) -> Path | None:
        """Write the comments to ``path`` (GeoJSON, or CSV); ``None``, and a message box, when it
        cannot be written (or is one of the project's inputs)."""
        comments = list(self.workspace.session.comments)
        if csv and path.suffix.lower() != ".csv":
            path = path.with_suffix(".csv")
        elif not csv and path.suffix.lower() not in (".geojson", ".json"):
            path = path.with_suffix(".geojson")
        try:
            self.workspace.check_outputs(path)
            written = export_comments(comments, self.workspace.scene.crs, path)
        except OSError as exc:
            text = exc.one_line() if isinstance(exc, InputError) else f"{path}: {exc.strerror or exc}"
            QMessageBox.warning(self.window, self.tr("Cannot export"), text)
            return None
        self.window.statusBar().showMessage(
            self.tr("{} comments exported to {}").format(len(comments), written), 6000
        )
        return written

    # -- before / after ------------------------------------------------------------------------------
    def _before_after_layers(self) -> tuple[list[Layer], list[Layer]]:
        """(existing, proposed) building layers: a layer marked proposed, or the last two buildings."""
        buildings = [layer for layer in self.workspace.scene.layers if layer.kind == "buildings"]
        proposed = [layer for layer in buildings if is_proposed(layer)]
        existing = [layer for layer in buildings if layer not in proposed]
        if not proposed and len(existing) >= 2:
            proposed = [existing.pop()]
        return existing, proposed

    def _no_before_after(self) -> None:
        self.window.statusBar().showMessage(
            self.tr("Before / after needs the existing buildings and a proposed project layer."), 8000
        )

    def toggle_swipe(self) -> None:
        scene_view = self.workspace.scene_view
        if scene_view is None:
            return
        swipe = scene_view.swipe
        if swipe.active:
            self.stop_swipe()
            return
        existing, proposed = self._before_after_layers()
        if not existing or not proposed:
            self._no_before_after()
            return
        swipe.start(existing, proposed, replaced=replaced_by(existing, proposed))
        self.window.statusBar().showMessage(
            self.tr("Drag the white bar to compare; Ctrl+B again to stop."), 6000
        )

    def stop_swipe(self) -> None:
        """End the swipe (and take away the other variant's layer a variants swipe added)."""
        scene_view = self.workspace.scene_view
        if scene_view is not None:
            scene_view.swipe.stop()
        if self._variant_layer is not None:
            if self._variant_layer in self.workspace.scene.layers:
                self.workspace.scene.remove(self._variant_layer)
            self._variant_layer = None

    def swipe_variants(self, left: int, right: int) -> bool:
        """Swipe between two variants of the planned project: variant ``left`` on the left of the
        bar, variant ``right`` (made the one shown) on the right, the existing city on both sides
        (with the demolitions of the variant shown). False when there is nothing to compare."""
        from layers.plan.edits import switch_variant
        from layers.plan.layer import PlanLayer
        from layers.plan.scene import existing_buildings, plan_layer
        from layers.session.plan_commands import EditPlan

        scene_view, session, scene = self.workspace.scene_view, self.workspace.session, self.workspace.scene
        plan = session.plan
        if scene_view is None or plan is None or left == right:
            return False
        if not (0 <= left < len(plan.variants) and 0 <= right < len(plan.variants)):
            return False
        self.stop_swipe()
        if plan.active != right:
            session.execute(EditPlan(switch_variant(plan, right), "show another variant"))
        shown = plan_layer(scene)
        if shown is None:
            return False
        other = plan.variants[left]
        self._variant_layer = PlanLayer(other, scene.crs, f"{shown.name} · {other.name}")
        scene.add(self._variant_layer)
        city: list[Layer] = list(existing_buildings(scene))
        scene_view.swipe.start(city, [shown], left=[self._variant_layer])
        self.window.statusBar().showMessage(
            self.tr("{} on the left, {} on the right: drag the white bar; Ctrl+B to stop.").format(
                other.name, plan.variants[right].name
            ),
            8000,
        )
        return True

    def swipe_grab(self, pos: QPoint) -> bool:
        """True when a press at ``pos`` grabs the swipe bar (then :meth:`swipe_drag` moves it)."""
        scene_view = self.workspace.scene_view
        if scene_view is None or not scene_view.swipe.active:
            return False
        return abs(pos.x() - scene_view.swipe.position * self.view.width()) <= SWIPE_GRAB_PX

    def swipe_drag(self, pos: QPoint) -> None:
        if self.workspace.scene_view is not None:
            self.workspace.scene_view.swipe.set_position(pos.x() / max(self.view.width(), 1))

    def switch_before_after(self) -> None:
        existing, proposed = self._before_after_layers()
        if not existing or not proposed:
            self._no_before_after()
            return
        showing_after = all(layer.visible for layer in proposed)
        for layer in proposed:
            layer.visible = not showing_after
        for layer in existing:
            layer.visible = True


def replaced_by(existing: list[Layer], proposed: list[Layer]) -> dict[Layer, np.ndarray]:
    """Per existing buildings layer, the rows the proposed buildings replace (their footprints
    covered by the project's): drawn on the "before" side of the swipe only."""
    projects = [layer for layer in proposed if isinstance(layer, BuildingsLayer)]
    replaced: dict[Layer, np.ndarray] = {}
    for layer in existing:
        if isinstance(layer, BuildingsLayer):
            rows = [replaced_rows(layer, project) for project in projects]
            found = np.unique(np.concatenate(rows)) if rows else np.zeros(0, np.int64)
            if len(found):
                replaced[layer] = found
    return replaced


def same_view(a: CameraView, b: CameraView, tolerance_m: float = 1.0) -> bool:
    """True when two cameras stand and look at the same places (within ``tolerance_m``)."""
    return bool(
        np.allclose(a.position, b.position, atol=tolerance_m)
        and np.allclose(a.focal_point, b.focal_point, atol=tolerance_m)
    )
