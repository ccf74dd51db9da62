"""Presentation mode: the story full screen, stepped with a keyboard or a presentation clicker.

Keys (a clicker sends PageDown / PageUp, some send B or "." for a blank screen):

* next: PageDown, Right, Down, Space, Return, N
* previous: PageUp, Left, Up, Backspace, P
* blank screen (toggle): B, ".", W
* first / last step: Home / End
* place a comment where the participant points: C, then a click on the model
* leave: Escape (first cancels a comment being placed, or un-blanks a blank screen)

The main window goes full screen on the chosen screen with nothing but the model, the caption and the
legends, enlarged. A step may show a variant of the planned project; while the project is shown,
the caption carries the variant's name and its main figures. With two screens, a presenter console
on the other screen shows the step list, the notes and what comes next. Steps change with a camera
flight and layers fading in and out; a step with a replay runs its clock by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QObject,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from layers.core.base import Layer
from layers.core.style import LayerStyle
from layers.session.story import StoryStep, apply_step, layer_key
from layers.session.views import CameraView

from .settings import Settings

if TYPE_CHECKING:
    from layers.plan.figures import PlanFigures

    from .controllers.camera import CameraController
    from .controllers.plan_figures import PlanFiguresController
    from .controllers.workspace import Workspace
    from .panels.timeline import TimelinePanel

NEXT_KEYS = {
    Qt.Key.Key_PageDown,
    Qt.Key.Key_Right,
    Qt.Key.Key_Down,
    Qt.Key.Key_Space,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
    Qt.Key.Key_N,
}
PREVIOUS_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace, Qt.Key.Key_P}
BLANK_KEYS = {Qt.Key.Key_B, Qt.Key.Key_Period, Qt.Key.Key_W}
#: "place a comment", the same key in the working window (its menu action) and while presenting
COMMENT_KEY = Qt.Key.Key_C
#: every key the presentation answers (without Ctrl, Alt or Meta): while it runs, no window
#: shortcut without those modifiers is live (tests/desktop/test_shortcuts.py)
PRESENTATION_KEYS = (
    NEXT_KEYS | PREVIOUS_KEYS | BLANK_KEYS | {Qt.Key.Key_Home, Qt.Key.Key_End, COMMENT_KEY, Qt.Key.Key_Escape}
)
#: how big captions and legends are drawn on the projector
PRESENTATION_SCALE = 1.6
FADE_MS = 700
FADE_TICK_MS = 35
#: after a step shows, the next one is prepared this long after its flight and fades are over, ms
PREPARE_AFTER_MS = 400
#: the undo step that groups the variants the story showed (and the one put back at the end)
STORY_VARIANT = "story variant"


class BlankScreen(QWidget):
    """A black window over the audience screen ("B" on a clicker)."""

    def __init__(self) -> None:
        super().__init__(
            None, Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        )
        self.setStyleSheet("background: black;")
        self.setCursor(Qt.CursorShape.BlankCursor)

    def cover(self, geometry: QRect) -> None:
        self.setGeometry(geometry)
        self.show()
        self.raise_()


class PresenterConsole(QWidget):
    """The laptop side with two screens: steps, notes, what comes next, a clock."""

    def __init__(self, presentation: Presentation) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.presentation = presentation
        self.setWindowTitle(self.tr("Presenter — Maquette"))
        self.current = QLabel(self)
        font = self.current.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.current.setFont(font)
        self.current.setWordWrap(True)
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        note_font = self.notes.font()
        note_font.setPointSizeF(note_font.pointSizeF() * 1.3)
        self.notes.setFont(note_font)
        self.next_label = QLabel(self)
        self.next_label.setStyleSheet("color: #555;")
        self.elapsed = QLabel("00:00", self)
        self.steps = QListWidget(self)
        self.steps.itemClicked.connect(lambda item: presentation.go(self.steps.row(item)))
        buttons = QHBoxLayout()
        for text, slot in (
            (self.tr("◀ Previous"), presentation.previous),
            (self.tr("Next ▶"), presentation.next),
            (self.tr("Blank"), presentation.toggle_blank),
            (self.tr("Comment"), presentation.begin_comment),
            (self.tr("End"), presentation.stop),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.notes, 2)
        layout.addWidget(self.next_label)
        layout.addWidget(self.steps, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.elapsed)
        self._clock = QElapsedTimer()
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._update_elapsed)

    def start(self) -> None:
        self._clock.start()
        self._tick.start(1000)

    def _update_elapsed(self) -> None:
        seconds = self._clock.elapsed() // 1000
        self.elapsed.setText(f"{seconds // 60:02d}:{seconds % 60:02d}")

    def show_step(self, index: int, steps: Sequence[StoryStep]) -> None:
        self.steps.clear()
        for i, step in enumerate(steps):
            self.steps.addItem(f"{i + 1}. {step.title}")
        if 0 <= index < len(steps):
            self.steps.setCurrentRow(index)
            step = steps[index]
            self.current.setText(f"{index + 1}/{len(steps)} — {step.title}")
            self.notes.setText(step.notes or step.text)
        following = steps[index + 1].title if index + 1 < len(steps) else self.tr("(end of the story)")
        self.next_label.setText(self.tr("Next: {}").format(following))


@dataclass(frozen=True)
class WindowLayout:
    """How the main window looked before presenting (put back when the presentation ends)."""

    geometry: QByteArray
    state: QByteArray
    menubar: bool
    statusbar: bool


@dataclass(frozen=True)
class WorkingState:
    """What the presentation changes in the scene, as it was before (put back when it ends): each
    layer's visibility, opacity and whole style, the clock (time, speed, looping) and the camera."""

    layers: tuple[tuple[Layer, bool, float, LayerStyle], ...]
    time: datetime | None
    speed_s_per_s: float
    loop: bool
    view: CameraView | None

    @classmethod
    def of(cls, workspace: Workspace) -> WorkingState:
        scene = workspace.scene
        clock = scene.clock
        scene_view = workspace.scene_view
        return cls(
            layers=tuple((layer, layer.visible, layer.opacity, layer.style) for layer in scene.layers),
            time=clock.time,
            speed_s_per_s=clock.speed_s_per_s,
            loop=clock.loop,
            view=scene_view.current_view("working view") if scene_view is not None else None,
        )

    def restore(self, workspace: Workspace, camera: CameraController) -> None:
        """Put the scene back (layers closed meanwhile are skipped, layers opened meanwhile kept)."""
        open_layers = {id(layer) for layer in workspace.scene.layers}
        for layer, visible, opacity, style in self.layers:
            if id(layer) in open_layers:
                layer.replace_style(style)
                layer.opacity = opacity
                layer.visible = visible
        clock = workspace.scene.clock
        clock.speed_s_per_s = self.speed_s_per_s
        clock.loop = self.loop
        if self.time is not None:
            clock.time = self.time
        if self.view is not None:
            camera.go_to_view(self.view, animate=False)


def application() -> QCoreApplication:
    """The running Qt application (a presentation only runs in one)."""
    app = QApplication.instance()
    assert app is not None
    return app


class CommentTaker(Protocol):
    """Where a comment said during the presentation goes (the mediation controller)."""

    def begin_comment(self) -> None: ...

    def comment_form_open(self) -> bool: ...

    def placing_comment(self) -> bool: ...

    def cancel_comment(self) -> None: ...


def window_of(watched: QObject) -> QWidget | None:
    """The top-level widget an event's receiver belongs to (a widget, or the QWindow of one)."""
    if isinstance(watched, QWidget):
        return watched.window()
    if isinstance(watched, QWindow):
        return next((w for w in QApplication.topLevelWidgets() if w.windowHandle() is watched), None)
    return None


class Presentation(QObject):
    """Runs the session's story full screen in ``window``.

    Signals: ``step_changed(index)``, ``finished()``.
    """

    step_changed = Signal(int)
    finished = Signal()

    def __init__(
        self,
        window: QMainWindow,
        workspace: Workspace,
        timeline: TimelinePanel,
        camera: CameraController,
        settings: Settings,
        *,
        comments: CommentTaker,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        self.timeline = timeline
        self.camera = camera
        self.settings = settings
        self.comments = comments
        self.active = False
        self.index = -1
        self.blank = BlankScreen()
        self.console: PresenterConsole | None = None
        self._saved: WindowLayout | None = None
        self._working: WorkingState | None = None
        self._fades: list[tuple[Layer, float, float, bool]] = []
        self._fade_timer = QTimer(self)
        self._fade_timer.setInterval(FADE_TICK_MS)
        self._fade_timer.timeout.connect(self._fade_step)
        self._fade_clock = QElapsedTimer()
        self._replay_timer = QTimer(self)
        self._replay_timer.setInterval(100)
        self._replay_timer.timeout.connect(self._check_replay)
        self._replay_end: datetime | None = None
        self._prepare_timer = QTimer(self)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.setInterval(PREPARE_AFTER_MS)
        self._prepare_timer.timeout.connect(self._prepare_next)
        #: the planned project's variant shown before presenting (put back at the end)
        self._working_variant: str | None = None
        self.plan_figures: PlanFiguresController | None = None

    def follow_plan_figures(self, figures: PlanFiguresController) -> None:
        """Show ``figures``' latest figures of the variant shown in the caption while presenting."""
        self.plan_figures = figures
        figures.figures_ready.connect(lambda _f: self.show_plan_caption())

    @property
    def steps(self) -> tuple[StoryStep, ...]:
        return self.workspace.session.steps

    @property
    def is_blank(self) -> bool:
        return self.blank.isVisible()

    # -- start / stop --------------------------------------------------------------------------
    def audience_screen(self) -> QScreen:
        """The chosen screen: the setting, else a second screen (the projector), else the window's."""
        screens = QGuiApplication.screens()
        wanted = self.settings.presentation_screen()
        if wanted is not None and 0 <= wanted < len(screens):
            return screens[wanted]
        primary = QGuiApplication.primaryScreen()
        others = [s for s in screens if s is not primary]
        return others[0] if others else (self.window.screen() or primary)

    def start(self, index: int = 0) -> None:
        if not self.steps:
            self.window.statusBar().showMessage(
                self.tr("The story has no step yet: add steps in the Story panel."), 6000
            )
            return
        if self.active:
            self.go(index)
            return
        window = self.window
        self.active = True
        self._working = WorkingState.of(self.workspace)
        plan = self.workspace.session.plan
        self._working_variant = plan.variant.name if plan is not None else None
        self._saved = WindowLayout(
            geometry=window.saveGeometry(),
            state=window.saveState(),
            menubar=window.menuBar().isVisible(),
            statusbar=window.statusBar().isVisible(),
        )
        for bar in (*window.findChildren(QDockWidget), *window.findChildren(QToolBar)):
            bar.hide()  # restoreState() puts them back
        window.menuBar().hide()
        window.statusBar().hide()
        layout = window.layout()
        if layout is not None:  # the hidden docks no longer hold the window taller than the screen
            layout.activate()
        screen = self.audience_screen()
        handle = window.windowHandle()
        if handle is not None:
            handle.setScreen(screen)
        window.setGeometry(screen.geometry())
        window.showFullScreen()
        if self.workspace.scene_view is not None:
            self.workspace.scene_view.set_ui_scale(PRESENTATION_SCALE)
        if len(QGuiApplication.screens()) > 1:
            self.console = PresenterConsole(self)
            other = next((s for s in QGuiApplication.screens() if s is not screen), None)
            if other is not None:
                self.console.setGeometry(other.availableGeometry())
            self.console.show()
            self.console.start()
        application().installEventFilter(self)
        self.index = -1
        self.go(index)

    def stop(self) -> None:
        if not self.active:
            return
        application().removeEventFilter(self)
        self.active = False
        self._replay_timer.stop()
        self._prepare_timer.stop()
        self._finish_fades()
        self.blank.hide()
        if self.console is not None:
            self.console.close()
            self.console.deleteLater()
            self.console = None
        window = self.window
        self.timeline.set_playing(False)
        scene_view = self.workspace.scene_view
        if scene_view is not None:
            scene_view.set_ui_scale(1.0)
            scene_view.caption.set("", "")
            scene_view.caption.set_figures("")
        if self._working is not None:  # the working view as the mediator left it, not the last step
            self._working.restore(self.workspace, self.camera)
            self._working = None
        if self._working_variant is not None:
            self.show_variant(self._working_variant)
            self._working_variant = None
        window.showNormal()
        saved = self._saved
        if saved is not None:  # saved by start(), which made the presentation active
            window.restoreGeometry(saved.geometry)
            window.restoreState(saved.state)
            window.menuBar().setVisible(saved.menubar)
            window.statusBar().setVisible(saved.statusbar)
        self.finished.emit()

    # -- moving through the story --------------------------------------------------------------
    def next(self) -> None:
        if self.is_blank:
            self.toggle_blank()
        elif self.index + 1 < len(self.steps):
            self.go(self.index + 1)

    def previous(self) -> None:
        if self.is_blank:
            self.toggle_blank()
        elif self.index > 0:
            self.go(self.index - 1)

    def go(self, index: int) -> None:
        if not self.steps:
            return
        index = max(0, min(index, len(self.steps) - 1))
        self.index = index
        step = self.steps[index]
        self.show_step(step, animate=self.active)
        if self.console is not None:
            self.console.show_step(index, self.steps)
        self.step_changed.emit(index)
        if self.active:
            self._prepare_timer.start()

    def show_step(self, step: StoryStep, animate: bool = True) -> None:
        """Apply a step to the window: layers (faded), time, caption, camera flight, replay."""
        scene = self.workspace.scene
        self._finish_fades()
        before = {layer_key(layer): (layer.visible, layer.opacity) for layer in scene.layers}
        self.timeline.set_playing(False)
        missing = apply_step(scene, step)
        if missing:
            self.window.statusBar().showMessage(
                self.tr("This step names layers that are not open: {}").format(", ".join(missing)), 6000
            )
        if step.variant:
            self.show_variant(step.variant)
        if animate:
            self._start_fades(before)
        if self.workspace.scene_view is not None:
            self.workspace.scene_view.caption.set(step.title, step.text)
        self.show_plan_caption()
        view = self.resolve_view(step)
        if view is not None:
            self.camera.go_to_view(view, animate=animate)
        self._replay_timer.stop()
        if step.replay is not None:
            clock = scene.clock
            clock.loop = False
            clock.speed_s_per_s = step.replay.speed_s_per_s
            clock.time = step.replay.start
            self._replay_end = step.replay.end
            self.timeline.set_playing(True)
            self._replay_timer.start()

    def show_variant(self, name: str) -> bool:
        """Show the planned project's variant ``name`` (an undoable switch; the switches of one
        presentation are one undo step); False, and a message, when the project has none so named."""
        from layers.plan.edits import switch_variant
        from layers.session.plan_commands import EditPlan

        session = self.workspace.session
        plan = session.plan
        index = plan.index_of(name) if plan is not None else None
        if plan is None or index is None:
            self.window.statusBar().showMessage(
                self.tr("This step shows a variant the planned project does not have: {}").format(name), 6000
            )
            return False
        if index != plan.active:
            session.execute(EditPlan(switch_variant(plan, index), "show a variant", STORY_VARIANT))
        return True

    def show_plan_caption(self) -> None:
        """While presenting with the planned project visible: its variant's name and main figures
        under the caption (the latest computed for the variant shown); else nothing."""
        from layers.plan.export import caption_text
        from layers.plan.scene import plan_layer

        from .translation import interface_language

        scene_view = self.workspace.scene_view
        if scene_view is None:
            return
        figures: PlanFigures | None = self.plan_figures.latest if self.plan_figures is not None else None
        plan = self.workspace.session.plan
        layer = plan_layer(self.workspace.scene)
        shown = (
            self.active
            and figures is not None
            and plan is not None
            and figures.variant == plan.variant.name
            and (layer is None or layer.visible)
        )
        text = caption_text(figures, interface_language()) if shown and figures is not None else ""
        if text != scene_view.caption.figures_text:
            scene_view.caption.set_figures(text)
            scene_view.request_render()

    def _prepare_next(self) -> None:
        """While a step is shown, draw once, unseen, the layers the next step turns on (their first
        appearance then costs no loading onto the graphics card)."""
        scene_view = self.workspace.scene_view
        if not self.active or scene_view is None or not 0 <= self.index + 1 < len(self.steps):
            return
        if self.camera.flying or self._fades:  # not during a flight: try again once it is over
            self._prepare_timer.start()
            return
        wanted = set(self.steps[self.index + 1].visible or ())
        scene_view.prepare(layer for layer in self.workspace.scene.layers if layer_key(layer) in wanted)

    def resolve_view(self, step: StoryStep) -> CameraView | None:
        if isinstance(step.view, CameraView):
            return step.view
        if step.view:
            return self.workspace.session.view_named(step.view)
        return None

    def _check_replay(self) -> None:
        clock = self.workspace.scene.clock
        if self._replay_end is None or clock.time is None:
            return
        if clock.time >= self._replay_end:
            self.timeline.set_playing(False)
            clock.time = self._replay_end
            self._replay_timer.stop()

    # -- fades -----------------------------------------------------------------------------------
    def _start_fades(self, before: dict) -> None:
        self._fades = []
        for layer in self.workspace.scene.layers:
            was_visible, was_opacity = before.get(layer_key(layer), (layer.visible, layer.opacity))
            target_visible, target_opacity = layer.visible, layer.opacity
            if target_visible and not was_visible:
                layer.opacity = 0.0
                self._fades.append((layer, 0.0, target_opacity, True))
            elif was_visible and not target_visible:
                layer.visible = True
                layer.opacity = was_opacity
                self._fades.append((layer, was_opacity, 0.0, False))
        if self._fades:
            self._fade_clock.start()
            self._fade_timer.start()
        if self.workspace.scene_view is not None:  # legends: the new step's at once
            self.workspace.scene_view.set_leaving(layer for layer, _s, _e, keep in self._fades if not keep)

    def _fade_step(self) -> None:
        f = min(self._fade_clock.elapsed() / FADE_MS, 1.0)
        for layer, start, end, _keep in self._fades:
            layer.opacity = start + (end - start) * f
        if f >= 1.0:
            self._finish_fades()

    def _finish_fades(self) -> None:
        self._fade_timer.stop()
        for layer, start, end, keep in self._fades:
            if keep:
                layer.opacity = end
            else:
                layer.visible = False
                layer.opacity = start
        self._fades = []
        if self.workspace.scene_view is not None:
            self.workspace.scene_view.set_leaving(())

    # -- blank screen, comments -------------------------------------------------------------
    def toggle_blank(self) -> None:
        if self.is_blank:
            self.blank.hide()
            self.window.activateWindow()
        else:
            self.blank.cover(self.window.geometry())

    def begin_comment(self) -> None:
        self.comments.begin_comment()

    def laptop_area(self) -> QRect | None:
        """Where the mediator's own windows go (the comment form): the presenter console's screen,
        global pixels; ``None`` with one screen (the audience sees what the laptop shows)."""
        if self.console is None:
            return None
        audience = self.audience_screen()
        screen: QScreen | None = self.console.screen()
        if screen is None or screen is audience:
            screen = next((s for s in QGuiApplication.screens() if s is not audience), None)
        return screen.availableGeometry() if screen is not None else None

    def take_keys_back(self) -> None:
        """After the comment form: the clicker's keys go to the presentation again (the console
        with two screens, else the full-screen window)."""
        if not self.active:
            return
        target: QWidget = self.console if self.console is not None else self.window
        target.activateWindow()
        target.raise_()

    def presentation_windows(self) -> tuple[QWidget, ...]:
        """The windows whose keys step the story: the audience window, its blank and the console."""
        windows: tuple[QWidget, ...] = (self.window, self.blank)
        return windows + ((self.console,) if self.console is not None else ())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.active or event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if self.comments.comment_form_open():
            return False  # typing a comment
        if window_of(watched) not in self.presentation_windows():
            # the comment form (also once closed: the Return that saved it comes back ignored by
            # its field), a message box, a file dialog: their keys are theirs
            return False
        if event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        ):
            return False  # a window shortcut (Ctrl+B is the swipe), never a clicker's key
        key = event.key()
        if key in NEXT_KEYS:
            self.next()
        elif key in PREVIOUS_KEYS:
            self.previous()
        elif key in BLANK_KEYS:
            self.toggle_blank()
        elif key == Qt.Key.Key_Home:
            self.go(0)
        elif key == Qt.Key.Key_End:
            self.go(len(self.steps) - 1)
        elif key == COMMENT_KEY:
            self.begin_comment()
        elif key == Qt.Key.Key_Escape:
            if self.comments.placing_comment():
                self.comments.cancel_comment()
            elif self.is_blank:
                self.toggle_blank()
            else:
                self.stop()
        else:
            return False
        return True
