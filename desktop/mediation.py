"""The main window's mediation side: views, the story, presentation mode, comments, before/after.

A mixin of :class:`desktop.main_window.MainWindow`, kept apart so the window stays readable. The
model lives in ``layers.session.story``, ``layers.session.comments`` and ``layers.session.autosave``; drawing in
``viewer.caption``, ``viewer.annotations`` and ``viewer.swipe``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from layers.core.errors import InputError
from layers.session.comments import (
    Comment,
    comments_from_project,
    export_csv,
    export_geojson,
    merge_into_annotations,
)
from layers.session.story import Story, capture_step
from viewer.annotations import CommentMarkers

from .dialogs.comment import CommentForm
from .panels.comments import CommentsPanel
from .panels.story import StoryPanel
from .panels.views import ViewsPanel
from .presentation import Presentation

if TYPE_CHECKING:
    from layers.session.opening import Session


class MediationMixin:
    """Adds views, story, comments and presentation to the main window (see the module docstring)."""

    def _build_mediation(self) -> None:
        self.comments: list[Comment] = []
        self.comment_markers: CommentMarkers | None = None
        self._comment_form: CommentForm | None = None
        self._placing_comment = False
        self.views_panel = ViewsPanel(self)
        self.views_panel.go_requested.connect(self.go_to_view)
        self.views_panel.capture_requested.connect(
            lambda: self.views_panel.add_view(
                self.scene_view.current_view(self.tr("View {}").format(len(self.views_panel.views) + 1))
            )
        )
        self.views_panel.changed.connect(self._on_views_changed)
        self.story_panel = StoryPanel(self)
        self.story_panel.changed.connect(self._on_story_changed)
        self.story_panel.capture_requested.connect(self._capture_step)
        self.story_panel.preview_requested.connect(self.preview_step)
        self.story_panel.present_requested.connect(self.start_presentation)
        self.comments_panel = CommentsPanel(self)
        self.comments_panel.add_requested.connect(self.begin_comment)
        self.comments_panel.fly_requested.connect(self.fly_to_comment)
        self.comments_panel.delete_requested.connect(self.delete_comment)
        self.comments_panel.export_requested.connect(self.export_comments)
        area = Qt.DockWidgetArea.RightDockWidgetArea
        self.story_dock = self._dock(self.tr("Story"), self.story_panel, area)
        self.views_dock = self._dock(self.tr("Views"), self.views_panel, area)
        self.comments_dock = self._dock(self.tr("Comments"), self.comments_panel, area)
        for dock in (self.story_dock, self.views_dock, self.comments_dock):
            self.tabifyDockWidget(self.inspector_dock, dock)
        self.inspector_dock.raise_()
        self.presentation = Presentation(self)

    def _build_mediation_menus(self, bar) -> None:
        menu = bar.addMenu(self.tr("&Presentation"))
        self._action(menu, self.tr("Present the story"), lambda: self.start_presentation(0), "F5")
        self._action(
            menu,
            self.tr("Present from the selected step"),
            lambda: self.start_presentation(max(self.story_panel.list.currentRow(), 0)),
            "Shift+F5",
        )
        self.screens_menu = menu.addMenu(self.tr("Audience screen"))
        self.screens_menu.aboutToShow.connect(self._fill_screens_menu)
        menu.addSeparator()
        self._action(menu, self.tr("Add a comment"), self.begin_comment, "C")
        self._action(menu, self.tr("Export comments…"), self.export_comments)
        menu.addSeparator()
        self._action(menu, self.tr("Before / after: swipe"), self.toggle_swipe, "Ctrl+B")
        self._action(menu, self.tr("Before / after: switch"), self.switch_before_after, "Ctrl+Shift+B")
        for dock in (self.story_dock, self.views_dock, self.comments_dock):
            menu.addAction(dock.toggleViewAction())

    # -- session ---------------------------------------------------------------------------
    def _mediation_session(self, session: Session) -> None:
        """Fill the panels from a freshly opened project."""
        project = session.project
        views = project.views()
        self.views_panel.set_views(views)
        self._refresh_views_menu()
        try:
            story = Story.from_list(project.data.get("story"), session.scene.timezone)
        except ValueError as exc:
            self.show_input_error(
                InputError(project.path, str(exc), field="story"), self.tr("The story could not be read")
            )
            story = Story()
        self.story_panel.set_story(story, [v.name for v in views], session.scene.timezone)
        self.comments = comments_from_project(project.data.get("annotations"))
        if self.comment_markers is not None:
            self.comment_markers.remove()
        self.comment_markers = (
            CommentMarkers(self.scene_view) if self.scene_view is not None and self.scene.layers else None
        )
        self._refresh_comments()

    def write_mediation(self, data: dict) -> None:
        """Put views, story and comments into a project document."""
        data["views"] = [v.to_dict() for v in self.views_panel.views]
        data["story"] = self.story_panel.story.to_list()
        data["annotations"] = merge_into_annotations(data.get("annotations"), self.comments)

    def _on_views_changed(self) -> None:
        self.story_panel.set_view_names([v.name for v in self.views_panel.views])
        self._refresh_views_menu()
        self.mark_dirty()
        self.autosaver.write_now()  # a view added in the meeting is on disk at once

    def _on_story_changed(self) -> None:
        """Story edits are on disk at once (a crash loses none); typing in a step's text is written
        0.4 s after the last key (the autosaver's debounce)."""
        self.mark_dirty()
        panel = self.story_panel
        if not (panel.text_edit.hasFocus() or panel.notes_edit.hasFocus()):
            self.autosaver.write_now()

    # -- story -----------------------------------------------------------------------------
    def _capture_step(self, row: int) -> None:
        if self.scene_view is None:
            return
        view = self.scene_view.current_view(self.tr("Step view"))
        # a step refers to a named view when the camera sits on one, else keeps its own camera
        named = next((v for v in self.views_panel.views if _same_view(v, view)), None)
        step = capture_step(self.scene, named.name if named else view)
        if row < 0:
            self.story_panel.add_step(step)
        else:
            self.story_panel.set_scene_part(row, step)

    def preview_step(self, row: int) -> None:
        story = self.story_panel.story
        if 0 <= row < len(story):
            self.presentation.show_step(story[row], animate=True)

    def start_presentation(self, index: int = 0) -> None:
        self.presentation.start(index)

    def _fill_screens_menu(self) -> None:
        self.screens_menu.clear()
        current = self.settings.presentation_screen()
        auto = self.screens_menu.addAction(self.tr("Automatic (the projector when there are two screens)"))
        auto.setCheckable(True)
        auto.setChecked(current is None)
        auto.triggered.connect(lambda: self.settings.set_presentation_screen(None))
        for i, screen in enumerate(QGuiApplication.screens()):
            geometry = screen.geometry()
            action = self.screens_menu.addAction(
                f"{i + 1}: {screen.name()} ({geometry.width()}×{geometry.height()})"
            )
            action.setCheckable(True)
            action.setChecked(current == i)
            action.triggered.connect(lambda _=False, i=i: self.settings.set_presentation_screen(i))

    # -- comments ----------------------------------------------------------------------------
    def begin_comment(self) -> None:
        """Next click on the model places a comment there."""
        if self.scene_view is None or not self.scene.layers:
            return
        self._placing_comment = True
        self.plotter.setCursor(Qt.CursorShape.CrossCursor)
        if not self.presentation.active:
            self.statusBar().showMessage(
                self.tr("Click on the model where the participant points (Esc cancels)."), 8000
            )

    def comment_form_open(self) -> bool:
        return self._comment_form is not None and self._comment_form.isVisible()

    def placing_comment(self) -> bool:
        return self._placing_comment

    def cancel_comment(self) -> None:
        self._placing_comment = False
        self.plotter.unsetCursor()

    def place_comment_at(self, pos: QPoint) -> None:
        """The click that places a comment: find the point on the model, then ask what was said."""
        self.cancel_comment()
        x, y = self._display_xy(pos)
        world = self.scene_view.world_at(x, y)
        if world is None:
            return
        scale = 1.4 if self.presentation.active else 1.0
        form = CommentForm(self, scale=scale)
        form.accepted.connect(
            lambda category, text, group: self.add_comment(
                Comment(category, text, world[0], world[1], max(world[2], 0.0), group=group)
            )
        )
        self._comment_form = form
        form.open_at(self.plotter)

    def add_comment(self, comment: Comment) -> None:
        self.comments.append(comment)
        self._refresh_comments()
        self.mark_dirty()
        self.autosaver.write_now()  # what is said in the room is on disk at once

    def delete_comment(self, comment: Comment) -> None:
        self.comments = [c for c in self.comments if c.id != comment.id]
        self._refresh_comments()
        self.mark_dirty()
        self.autosaver.write_now()

    def fly_to_comment(self, comment: Comment) -> None:
        if self.scene_view is None:
            return
        from layers.session.views import CameraView

        current = self.scene_view.current_view("comment")
        distance = 260.0
        target = CameraView(
            self.tr("Comment"),
            (comment.x, comment.y - distance * 0.75, comment.z + distance * 0.66),
            (comment.x, comment.y, comment.z),
            (0.0, 0.0, 1.0),
            current.view_angle_deg,
        )
        self.go_to_view(target)

    def _refresh_comments(self) -> None:
        self.comments_panel.set_comments(self.comments)
        if self.comment_markers is not None:
            self.comment_markers.set_comments(self.comments)

    def export_comments(self) -> None:
        if not self.comments:
            QMessageBox.information(
                self, self.tr("Export comments"), self.tr("There is no comment to export yet.")
            )
            return
        start = str((self.project.folder if self.project.path else Path.home()) / "commentaires.geojson")
        path, chosen = QFileDialog.getSaveFileName(
            self, self.tr("Export comments"), start, "GeoJSON (*.geojson);;CSV (*.csv)"
        )
        if path:
            self.export_comments_to(Path(path), csv="CSV" in chosen or path.lower().endswith(".csv"))

    def export_comments_to(self, path: Path, csv: bool = False) -> Path:
        writer = export_csv if csv else export_geojson
        if csv and path.suffix.lower() != ".csv":
            path = path.with_suffix(".csv")
        try:
            written = writer(self.comments, self.scene.crs, path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Cannot export"), f"{path}: {exc.strerror or exc}")
            raise
        self.statusBar().showMessage(
            self.tr("{} comments exported to {}").format(len(self.comments), written), 6000
        )
        return written

    # -- before / after ----------------------------------------------------------------------
    def _before_after_layers(self):
        """(existing, proposed) building layers: a layer marked proposed, or the last two buildings."""
        buildings = [layer for layer in self.scene.layers if layer.kind == "buildings"]
        proposed = [
            layer
            for layer in buildings
            if layer.style.get("role") == "proposed"
            or layer.options.get("proposed")
            or layer.options.get("role") == "proposed"
        ]
        existing = [layer for layer in buildings if layer not in proposed]
        if not proposed and len(existing) >= 2:
            proposed = [existing.pop()]
        return existing, proposed

    def toggle_swipe(self) -> None:
        if self.scene_view is None:
            return
        swipe = self.scene_view.swipe
        if swipe.active:
            swipe.stop()
            return
        existing, proposed = self._before_after_layers()
        if not existing or not proposed:
            self.statusBar().showMessage(
                self.tr("Before / after needs the existing buildings and a proposed project layer."), 8000
            )
            return
        swipe.start(existing, proposed)
        self.statusBar().showMessage(self.tr("Drag the white bar to compare; Ctrl+B again to stop."), 6000)

    def swipe_grab(self, pos: QPoint) -> bool:
        """True when a press at ``pos`` grabs the swipe bar (then :meth:`swipe_drag` moves it)."""
        if self.scene_view is None or not self.scene_view.swipe.active:
            return False
        bar_x = self.scene_view.swipe.position * self.plotter.width()
        return abs(pos.x() - bar_x) <= 14

    def swipe_drag(self, pos: QPoint) -> None:
        self.scene_view.swipe.set_position(pos.x() / max(self.plotter.width(), 1))

    def switch_before_after(self) -> None:
        existing, proposed = self._before_after_layers()
        if not existing or not proposed:
            self.statusBar().showMessage(
                self.tr("Before / after needs the existing buildings and a proposed project layer."), 8000
            )
            return
        showing_after = all(layer.visible for layer in proposed)
        for layer in proposed:
            layer.visible = not showing_after
        for layer in existing:
            layer.visible = True


def _same_view(a, b, tolerance_m: float = 1.0) -> bool:
    import numpy as np

    return bool(
        np.allclose(a.position, b.position, atol=tolerance_m)
        and np.allclose(a.focal_point, b.focal_point, atol=tolerance_m)
    )
