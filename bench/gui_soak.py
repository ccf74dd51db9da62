"""The GUI soak: does the window's memory stay flat through a long session of varied use? (issue 15)

A planner's evening with the window, scripted: the real :class:`desktop.main_window.MainWindow`
under Xvfb, driven through its public API and Qt events (buttons clicked, check boxes ticked, keys
and mouse clicks sent to the 3D view), one *round* after another. A round is the tour the issue
describes:

* open the sample city (a new scene every round: the old one must go away whole);
* toggle every layer off and on in the layer panel; select each layer and change its options
  through its controls (every combo box moved and moved back, the opacity slider);
* play the clock at several speeds, scrub it with the slider, step it;
* the sun on, the clock moved over a day, the solstices, façade shadows on and off, the sun off;
* the sunlight study (2 m, 30-min steps) run from the sun panel's dialog, its layers removed after;
* the story presented full screen from the first step to the last (flights and fades), blank
  screen, leave;
* comments pinned on the model (« Add a comment », a click on the model, words typed in the form)
  and deleted again; views flown to, one captured and deleted;
* real files from the shared data folder added (Rennes buildings, heat stations, LiDAR surface)
  and removed; a file opened as a scene of its own;
* the before / after swipe dragged across, the switch;
* an image exported (the export dialog, its twin scene and live preview, a Full HD picture).

*Simulated use* is counted in nominal durations, not in the script's own time: each action
counts what a person takes to do it by hand at a calm pace (:data:`ACTIONS`; six comments typed
count 90 s, the story looked at step by step 60 s...), 8 minutes a round, the length of the tour
in the issue. ``--minutes 20`` runs rounds until 20 minutes of such use are done (3 rounds); the
script itself takes about 3 to 6 minutes a round on a 2-core machine with software OpenGL.

After every action the resident set (RSS, ``/proc/self/status``) is sampled; after every round a
census: Python objects by type, Qt objects under the window, VTK props in every renderer, the
render windows alive, bytes malloc has handed out (glibc ``mallinfo2``) and, with
``--tracemalloc``, the Python allocations that grew most since the previous round. The first
``--warmup`` rounds are warm-up (caches, fonts, GL programs); growth is measured after them, from
the RSS at the end of the last warm-up round (the process as the user has it: no heap trimming
unless ``--trim`` asks for it as a diagnosis). ``--minutes`` counts the use after warm-up.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python bench/gui_soak.py --minutes 20 \
        --json soak.json

``tests/desktop/test_gui_soak.py`` runs a short version (:func:`run_soak` with a few quick rounds)
and fails on a clear leak.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SHARED_DATA = Path(
    os.environ.get("MAQUETTE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
#: real files added during the tour (all in or near Rennes, like the sample city)
ADDED_FILES = (
    "buildings/rennes2_campus/campus_rennes2_bati_3d.geojson",
    "heat/rennes_2018_stations/positions_stations_2018.csv",
    "buildings/rennes2_campus/villejean_bati_height.geojson",
)
#: a file opened as a scene of its own (then the sample city again)
OPENED_FILE = "buildings/rennes2_campus/villejean_bati_height.geojson"


# -- measuring ------------------------------------------------------------------------------------
def rss_mb() -> float:
    """Resident set of this process, MB (``/proc/self/status``)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _libc() -> Any:
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [
            (n, ctypes.c_size_t)
            for n in "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()
        ]

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = MallInfo2
        return libc
    except (OSError, AttributeError):  # not glibc (or glibc < 2.33)
        return None


LIBC = _libc()


def malloc_in_use_mb() -> float | None:
    if LIBC is None:
        return None
    info = LIBC.mallinfo2()
    return round((info.uordblks + info.hblkhd) / 1048576, 1)


def trim() -> None:
    """Give freed heap pages back to the system (glibc), so RSS tells what is still held."""
    if LIBC is not None:
        LIBC.malloc_trim(0)


def vtk_census(window: Any) -> dict[str, int]:
    """Props in each renderer of the window, render windows and textures alive (Python-wrapped
    VTK objects by class, from the collector)."""
    counts: dict[str, int] = {}
    ren_win = window.plotter.ren_win
    if ren_win is not None:
        renderers = ren_win.GetRenderers()
        renderers.InitTraversal()
        for i in range(renderers.GetNumberOfItems()):
            renderer = renderers.GetNextItem()
            counts[f"renderer{i}_props"] = renderer.GetViewProps().GetNumberOfItems()
            counts[f"renderer{i}_lights"] = renderer.GetLights().GetNumberOfItems()
        counts["renderers"] = renderers.GetNumberOfItems()
    wrapped = Counter(
        type(o).__name__ for o in gc.get_objects() if _module(o).startswith(("vtkmodules", "pyvista"))
    )
    counts["vtk_wrapped"] = sum(wrapped.values())
    for name in ("vtkOpenGLRenderWindow", "vtkXOpenGLRenderWindow", "vtkEGLRenderWindow", "vtkTexture"):
        counts[name] = wrapped.get(name, 0)
    return counts


def _module(o: object) -> str:
    module = getattr(type(o), "__module__", "")
    return module if isinstance(module, str) else ""


def qt_census(window: Any) -> dict[str, int]:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    return {
        "qt_children": len(window.findChildren(QObject)),
        "top_level_widgets": len(QApplication.topLevelWidgets()),
    }


def python_types() -> Counter[str]:
    return Counter(type(o).__name__ for o in gc.get_objects())


# -- driving the window ---------------------------------------------------------------------------
def pump(ms: int = 0) -> None:
    """Let the event loop run ``ms`` milliseconds (timers, flights, fades, renders)."""
    from PySide6.QtTest import QTest

    QTest.qWait(ms) if ms else None
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()


def wait_until(condition: Callable[[], bool], timeout_s: float = 120.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout_s:.0f} s for {what or condition}")
        pump(20)


def close_message_boxes(window: Any) -> list[str]:
    """Close any message box the tour raised (a surprise: reported in the results)."""
    from PySide6.QtWidgets import QMessageBox

    texts = []
    for box in window.findChildren(QMessageBox):
        if box.isVisible():
            texts.append(box.text())
            box.close()
    return texts


@dataclass
class Tour:
    """The window and what the tour keeps between its actions."""

    window: Any
    workdir: Path
    quick: bool = False
    surprises: list[str] = field(default_factory=list)
    exported: int = 0

    @property
    def scene(self) -> Any:
        return self.window.scene

    def wait_tasks(self, timeout_s: float = 180.0) -> None:
        wait_until(lambda: not self.window.tasks.busy, timeout_s, "background tasks")
        pump(50)
        self.surprises += close_message_boxes(self.window)

    def render(self) -> None:
        self.window.plotter.render()
        pump()

    def discard_changes(self) -> None:
        """What « Discard » does when opening asks about unsaved changes (no question in a script)."""
        self.window.files.autosaver.clear()
        self.window.session.mark_clean()

    # -- the actions (each returns after the window is idle again) --------------------------------
    def open_sample_city(self) -> None:
        self.discard_changes()
        self.window.open_paths_async([])
        wait_until(lambda: bool(self.scene.layers) and not self.window.tasks.busy, 240, "the sample city")
        self.wait_tasks()
        self.render()

    def toggle_layers(self) -> None:
        """Untick and tick again every layer in the layer panel (the check box a user clicks)."""
        from PySide6.QtCore import Qt

        panel = self.window.layer_panel
        for row in range(min(panel.list.count(), 3) if self.quick else panel.list.count()):
            item = panel.list.item(row)
            was = item.checkState()
            other = Qt.CheckState.Unchecked if was == Qt.CheckState.Checked else Qt.CheckState.Checked
            panel.list.item(row).setCheckState(other)
            self.render()
            panel.list.item(row).setCheckState(was)
            self.render()

    def change_styles(self) -> None:
        from PySide6.QtWidgets import QComboBox, QSlider

        panel = self.window.layer_panel
        for row in range(panel.list.count()):
            panel.list.setCurrentRow(row)
            pump()
            controls = panel.controls_area.widget()
            combos = [c for c in controls.findChildren(QComboBox) if c.isEnabled() and c.count() > 1]
            for combo in combos[: 2 if self.quick else 4]:
                before = combo.currentIndex()
                combo.setCurrentIndex((before + 1) % combo.count())
                self.render()
                combo.setCurrentIndex(before)
                self.render()
            sliders = controls.findChildren(QSlider)
            if sliders:
                slider = sliders[0]
                value = slider.value()
                slider.setValue(max(slider.minimum(), value // 2))
                self.render()
                slider.setValue(value)
                self.render()

    def play_clock(self) -> None:
        timeline = self.window.timeline
        seconds = 1.0 if self.quick else 4.0
        for speed in (1, 2, 4) if self.quick else (0, 1, 2, 3, 4, 5):
            timeline.speed_box.setCurrentIndex(speed)
            timeline.set_playing(True)
            pump(int(seconds * 1000))
            timeline.set_playing(False)
        timeline.speed_box.setCurrentIndex(1)

    def scrub_clock(self) -> None:
        timeline = self.window.timeline
        for value in range(0, 10001, 1000 if self.quick else 400):
            timeline.slider.setValue(value)
            self.render()
        for direction in (1, 1, -1, 1, -1, -1):
            timeline.step(direction)
            self.render()

    def _button(self, parent: Any, text: str) -> Any:
        from PySide6.QtWidgets import QPushButton

        return next(b for b in parent.findChildren(QPushButton) if b.text() == parent.tr(text))

    def sun(self) -> None:
        """The sun panel: ticked, the clock moved over the day (the timeline's slider), the two
        solstice buttons, façade shadows on and off, the sun off."""
        panel, timeline = self.window.sun_panel, self.window.timeline
        panel.toggle.click()
        self.render()
        for value in range(0, 10001, 2500 if self.quick else 625):
            timeline.slider.setValue(value)
            self.render()
        self._button(panel, "21 Dec.").click()
        self.render()
        self._button(panel, "21 June").click()
        self.render()
        panel.facades.click()
        self.render()
        for value in (3000, 5000, 7000):
            timeline.slider.setValue(value)
            self.render()
        panel.facades.click()
        self.render()
        panel.toggle.click()
        self.render()

    def sunlight_study(self) -> None:
        """« Sunlight over the day… »: the dialog, a coarse study computed, its figures read, the
        dialog closed, the study's layers removed from the layer panel and the planned project
        hidden again if it was (the study shows it: a state the next rounds would keep)."""
        from desktop.dialogs.sunlight import SunlightDialog

        panel = self.window.sun_panel
        before = list(self.scene.layers)
        shown = [layer.visible for layer in before]
        panel.study.click()
        pump(50)
        dialog = next(d for d in self.window.findChildren(SunlightDialog) if d.isVisible())
        dialog.resolution.setCurrentIndex(4 if self.quick else 3)  # 5 m / 2 m
        dialog.step.setCurrentIndex(3 if self.quick else 2)  # 60 / 30 min
        dialog.compute_button.click()
        wait_until(lambda: dialog.compute_button.isEnabled(), 300, "the sunlight study")
        pump(50)
        self.render()
        dialog.close()
        pump(50)
        for layer in [layer for layer in self.scene.layers if layer not in before]:
            self.window.layer_panel.remove_requested.emit(layer)  # « Remove layer » in its menu
        for layer, visible in zip(before, shown):
            layer.visible = visible
        self.render()

    def present_story(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        mediation = self.window.mediation
        presentation = mediation.presentation
        mediation.start_presentation(0)
        wait_until(lambda: presentation.active, 10, "presentation")
        pump(300)
        for _ in range(len(self.window.session.steps) - 1):
            QTest.keyClick(self.window.plotter, Qt.Key.Key_PageDown)
            pump(250 if self.quick else 900)  # the flight and the fades
        QTest.keyClick(self.window.plotter, Qt.Key.Key_B)
        pump(100)
        QTest.keyClick(presentation.blank, Qt.Key.Key_B)
        pump(100)
        QTest.keyClick(self.window.plotter, Qt.Key.Key_PageUp)
        pump(300)
        QTest.keyClick(self.window.plotter, Qt.Key.Key_Escape)
        wait_until(lambda: not presentation.active, 10, "the end of the presentation")
        pump(300)

    def comments(self) -> None:
        """Comments pinned as in a meeting: « Add a comment », a click on the model, a category
        and a few words typed in the form, Enter; a flight to the last one; then each deleted
        from the comments panel."""
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        from desktop.dialogs.comment import CommentForm

        mediation, session, view = self.window.mediation, self.window.session, self.window.plotter
        before = len(session.comments)
        for i in range(2 if self.quick else 6):
            mediation.begin_comment()
            f = (i + 2) / 9
            QTest.mouseClick(
                view,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
                QPoint(int(view.width() * f), int(view.height() * (0.4 + f / 3))),
            )
            wait_until(mediation.comment_form_open, 10, "the comment form")
            form = next(w for w in self.window.findChildren(CommentForm) if w.isVisible())
            form.group.button(i % 3).click()
            QTest.keyClicks(form.text, f"Remarque {i} : trop de voitures le soir")
            QTest.keyClicks(form.team, "riverains")
            QTest.keyClick(form.text, Qt.Key.Key_Return)
            self.render()
        if len(session.comments) > before:
            self.window.comments_panel.fly_requested.emit(session.comments[-1])
            wait_until(lambda: not self.window.camera.flying, 10, "a flight")
        else:
            self.surprises.append("no comment was pinned (the clicks missed the model)")
        panel = self.window.comments_panel
        while len(session.comments) > before:
            panel.list.setCurrentRow(panel.list.count() - 1)
            panel.delete_current()
            self.render()

    def views(self) -> None:
        """Every saved view flown to from the views panel, a view captured (« + ») and deleted."""
        camera, session, panel = self.window.camera, self.window.session, self.window.views_panel
        for row in range(min(len(session.views), 1) if self.quick else len(session.views)):
            panel.go_to(row)
            wait_until(lambda: not camera.flying, 10, "a flight")
        before = len(session.views)
        panel.capture_requested.emit()
        pump()
        while len(session.views) > before:
            panel.list.setCurrentRow(len(session.views) - 1)
            panel.delete_current()
        if session.views:
            panel.go_to(0)
            wait_until(lambda: not camera.flying, 10, "a flight")
        self.render()

    def add_files(self) -> None:
        if not SHARED_DATA.is_dir():
            return
        before = list(self.scene.layers)
        paths = [SHARED_DATA / name for name in ADDED_FILES if (SHARED_DATA / name).exists()]
        self.window.add_files_async(paths)
        self.wait_tasks()
        self.render()
        if len(self.scene.layers) < len(before) + len(paths):
            self.surprises.append(f"{len(paths)} files added, {len(self.scene.layers) - len(before)} layers")
        for layer in [layer for layer in self.scene.layers if layer not in before]:
            self.window.remove_layer(layer)
        self.render()

    def open_file(self) -> None:
        path = SHARED_DATA / OPENED_FILE
        if not path.exists():
            return
        self.discard_changes()
        self.window.open_paths_async([path])
        wait_until(lambda: self.window.tasks.busy or self.scene.layers, 10)
        self.wait_tasks()
        self.render()
        self.open_sample_city()

    def swipe(self) -> None:
        """Before / after: the swipe started (Ctrl+B), its white bar dragged across with the mouse,
        stopped; the before / after switch pressed twice."""
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        mediation, view = self.window.mediation, self.window.plotter
        mediation.toggle_swipe()
        self.render()
        scene_view = self.window.scene_view
        if scene_view is None or not scene_view.swipe.active:
            self.surprises.append("the swipe did not start")
            return
        y = view.height() // 2
        x = int(scene_view.swipe.position * view.width())
        QTest.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
        for fraction in (0.2, 0.4, 0.6, 0.8, 0.5):
            x = int(fraction * view.width())
            QTest.mouseMove(view, QPoint(x, y))
            self.render()
        QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
        mediation.toggle_swipe()
        self.render()
        mediation.switch_before_after()
        self.render()
        mediation.switch_before_after()
        self.render()

    def export_image(self) -> None:
        exports = self.window.exports
        dialog = exports.open_image_dialog()
        pump(400)
        dialog.size_box.setCurrentIndex(0)  # Full HD
        dialog.update_preview()
        pump(50)
        output = self.workdir / f"export_{self.exported % 2}.png"
        started = time.time() - 1
        dialog.start(output)
        wait_until(lambda: not dialog.busy, 300, "the image export")
        if not output.exists() or output.stat().st_mtime < started:
            self.surprises.append(f"the image export wrote no {output.name}")
        self.exported += 1
        dialog.close()
        pump(100)


#: (name, the tour's method, nominal user time of the action in seconds): how long a person takes to
#: do the same by hand at a calm pace (menus, clicks, typing, reading what appears, waiting for it).
#: The script does it faster; simulated minutes are the sum of these, so a round is 8 minutes of use,
#: the length of the tour the issue describes.
ACTIONS: tuple[tuple[str, Callable[[Tour], None], float], ...] = (
    ("open the sample city", Tour.open_sample_city, 20),  # File > Open, wait for it
    ("toggle every layer", Tour.toggle_layers, 30),  # two clicks a layer, a look at each
    ("change styles", Tour.change_styles, 45),  # a layer's options, each tried and undone
    ("play the clock", Tour.play_clock, 30),  # played at six speeds (4 s each), the speed box
    ("scrub the clock", Tour.scrub_clock, 20),  # the slider dragged, the step buttons
    ("sun and shadows", Tour.sun, 35),  # over a day, the solstices, façades
    ("sunlight study", Tour.sunlight_study, 45),  # options, the computation, the figures read
    ("present the story", Tour.present_story, 60),  # each step looked at, blank screen, leave
    ("pin comments", Tour.comments, 90),  # six comments: a click and a sentence typed each
    ("views", Tour.views, 20),  # every view flown to, one captured and deleted
    ("add real files", Tour.add_files, 30),  # the file dialog, three files, removed again
    ("open a file", Tour.open_file, 20),  # a file as a scene of its own, then the city again
    ("before / after", Tour.swipe, 15),  # the swipe dragged across, the switch
    ("export an image", Tour.export_image, 20),  # the dialog, the size, the file, the wait
)
ROUND_S = sum(seconds for _, _, seconds in ACTIONS)


# -- the soak -------------------------------------------------------------------------------------
@dataclass
class SoakResult:
    samples: list[dict[str, Any]] = field(default_factory=list)
    rounds: list[dict[str, Any]] = field(default_factory=list)
    surprises: list[str] = field(default_factory=list)

    def per_action(self, warmup: int) -> dict[str, float]:
        """RSS change of each action summed over the rounds after warm-up, MB."""
        total: dict[str, float] = {}
        for sample in self.samples:
            if sample["round"] >= warmup:
                total[sample["action"]] = total.get(sample["action"], 0.0) + sample["delta_mb"]
        return {name: round(value, 1) for name, value in total.items()}

    def growth_after_warmup(self, warmup: int) -> dict[str, float]:
        """RSS at the end of each round after warm-up, its growth and the slope per round."""
        ends = [r["rss_mb"] for r in self.rounds if r["round"] >= warmup - 1]
        if len(ends) < 2:
            return {}
        n = len(ends) - 1
        xs = list(range(len(ends)))
        mean_x, mean_y = sum(xs) / len(xs), sum(ends) / len(ends)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ends, strict=True)) / sum(
            (x - mean_x) ** 2 for x in xs
        )
        return {
            "after_warmup_mb": round(ends[0], 1),
            "end_mb": round(ends[-1], 1),
            "growth_mb": round(ends[-1] - ends[0], 1),
            "rounds": n,
            "slope_mb_per_round": round(slope, 2),
            "peak_mb": round(max(s["rss_mb"] for s in self.samples), 1),
        }


def model_census() -> dict[str, int]:
    """Scenes, scene views, layers, Qt dialogs and background tasks alive (the old scene must go
    when a new one opens; one scene and its view, and the open dialogs, is what should stay)."""
    from PySide6.QtWidgets import QDialog

    from desktop.workers import Task
    from layers.core.base import Layer
    from layers.core.scene import Scene
    from viewer.scene_view import SceneView

    counts = Counter[str]()
    for o in gc.get_objects():
        if isinstance(o, Scene):
            counts["scenes"] += 1
        elif isinstance(o, SceneView):
            counts["scene_views"] += 1
        elif isinstance(o, Layer):
            counts["layers"] += 1
        elif isinstance(o, QDialog):
            counts["dialogs"] += 1
        elif isinstance(o, Task):
            counts["tasks"] += 1
    return dict(counts)


def census(
    window: Any, previous: Counter[str] | None, trim_heap: bool = False
) -> tuple[dict[str, Any], Counter[str]]:
    """What is alive at the end of a round; RSS before and after a full collection (the
    application collects on a timer anyway, :mod:`desktop.gc_guard`) and, with ``trim_heap``, after
    malloc gave its free pages back (a diagnosis: what is really still held)."""
    entry: dict[str, Any] = {"rss_before_gc_mb": round(rss_mb(), 1)}
    gc.collect()
    entry["rss_after_gc_mb"] = round(rss_mb(), 1)
    types = python_types()
    grown = (types - previous).most_common(12) if previous is not None else []
    entry |= {
        "python_objects": sum(types.values()),
        "types_grown": grown,
        "malloc_in_use_mb": malloc_in_use_mb(),
        **model_census(),
        **qt_census(window),
        **vtk_census(window),
    }
    if trim_heap:
        trim()
        entry["rss_trimmed_mb"] = round(rss_mb(), 1)
    return entry, types


def run_soak(
    window: Any,
    *,
    rounds: int | None = None,
    minutes: float | None = None,
    warmup: int = 0,
    quick: bool = False,
    actions: tuple[tuple[str, Callable[[Tour], None], float], ...] = ACTIONS,
    use_tracemalloc: bool = False,
    trim_heap: bool = False,
    log: Callable[[str], None] | None = None,
    workdir: Path | None = None,
) -> SoakResult:
    """Run the tour on ``window`` for ``rounds`` rounds, or ``warmup`` rounds then as many as make
    ``minutes`` of simulated use."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="maquette-soak-"))
    tour = Tour(window, workdir, quick=quick)
    result = SoakResult()
    if not window.scene.layers:
        tour.open_sample_city()
    simulated = warm_s = 0.0
    previous_types: Counter[str] | None = None
    snapshot = None
    if use_tracemalloc:
        tracemalloc.start(12)
    round_index = 0
    started = time.monotonic()
    while True:
        if rounds is not None and round_index >= rounds:
            break
        if minutes is not None and round_index >= warmup and simulated - warm_s >= minutes * 60:
            break
        for name, action, seconds in actions:
            before = rss_mb()
            t0 = time.monotonic()
            action(tour)
            after = rss_mb()
            simulated += seconds
            result.samples.append(
                {
                    "round": round_index,
                    "action": name,
                    "rss_mb": round(after, 1),
                    "delta_mb": round(after - before, 1),
                    "wall_s": round(time.monotonic() - t0, 2),
                    "simulated_min": round(simulated / 60, 2),
                }
            )
            if log:
                log(f"  {round_index:2d} {name:22s} {after:8.1f} MB  {after - before:+7.1f}")
        entry, previous_types = census(window, previous_types, trim_heap)
        entry.update(
            round=round_index,
            rss_mb=round(rss_mb(), 1),
            simulated_min=round(simulated / 60, 2),
            wall_s=round(time.monotonic() - started, 1),
        )
        if use_tracemalloc:
            current = tracemalloc.take_snapshot().filter_traces(
                [tracemalloc.Filter(False, tracemalloc.__file__)]
            )
            if snapshot is not None:
                entry["tracemalloc_top"] = [
                    str(stat) for stat in current.compare_to(snapshot, "traceback")[:8]
                ]
            snapshot = current
        result.rounds.append(entry)
        if round_index == warmup - 1:
            warm_s = simulated
        if log:
            log(
                f"round {round_index}: RSS {entry['rss_before_gc_mb']} MB, after gc "
                f"{entry['rss_after_gc_mb']}, trimmed {entry.get('rss_trimmed_mb')}, "
                f"malloc {entry['malloc_in_use_mb']} MB, objects {entry['python_objects']}, "
                f"scenes {entry.get('scenes')}, views {entry.get('scene_views')}, "
                f"layers {entry.get('layers')}, dialogs {entry.get('dialogs')}, "
                f"Qt {entry['qt_children']}, VTK props {entry.get('renderer0_props')}, "
                f"vtk wrapped {entry['vtk_wrapped']} · grown {entry['types_grown'][:6]}"
            )
            for line in entry.get("tracemalloc_top", []):
                log("    " + line.replace("\n", " | ")[:300])
        round_index += 1
    result.surprises = tour.surprises
    return result


def curve_markdown(data: dict[str, Any], width: int = 50) -> str:
    """The RSS curve of a ``--json`` file: a table (round, simulated minutes, RSS MB at the end of
    the round, its growth from the end of warm-up) and a text plot of the RSS after every action."""
    warmup = int(data["args"]["warmup"])
    rounds = data["rounds"]
    base = rounds[warmup - 1]["rss_mb"] if warmup >= 1 else rounds[0]["rss_mb"]
    lines = [
        "| round | simulated min | RSS MB (end of round) | since warm-up MB | malloc in use MB |"
        " Python objects | Qt objects | scenes alive |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rounds:
        label = f"{r['round']}" + (" (warm-up)" if r["round"] < warmup else "")
        growth = "" if r["round"] < warmup else f"{r['rss_mb'] - base:+.1f}"
        lines.append(
            f"| {label} | {r['simulated_min']:.0f} | {r['rss_mb']:.1f} | {growth} | "
            f"{r['malloc_in_use_mb']} | {r['python_objects']} | {r['qt_children']} | {r.get('scenes')} |"
        )
    samples = data["samples"]
    low = min(s["rss_mb"] for s in samples)
    high = max(s["rss_mb"] for s in samples)
    scale = (width - 1) / max(high - low, 1.0)
    lines += [
        "",
        "```",
        f"RSS after each action, {low:.0f} MB at the left margin, {high:.0f} MB at the right",
    ]
    for sample in samples:
        bar = " " * int((sample["rss_mb"] - low) * scale) + "*"
        lines.append(f"{sample['simulated_min']:5.1f} min {sample['rss_mb']:7.1f} |{bar}")
    lines.append("```")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=20.0, help="simulated use (default 20)")
    parser.add_argument("--rounds", type=int, default=None, help="a number of rounds instead")
    parser.add_argument("--warmup", type=int, default=1, help="rounds of warm-up (default 1)")
    parser.add_argument("--quick", action="store_true", help="shorter actions (what the test runs)")
    parser.add_argument("--only", default=None, help="comma-separated action names to repeat alone")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--trim", action="store_true", help="malloc_trim after each census (diagnosis)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--report", type=Path, default=None, help="print the curve of a --json file")
    args = parser.parse_args()
    if args.report:
        print(curve_markdown(json.loads(args.report.read_text())))
        return

    os.environ.setdefault("MAQUETTE_AUTOSAVE_DIR", tempfile.mkdtemp(prefix="maquette-soak-autosave-"))
    os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="maquette-soak-cache-"))
    os.environ.setdefault("XDG_DOCUMENTS_DIR", tempfile.mkdtemp(prefix="maquette-soak-documents-"))  # studies
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    from desktop import gc_guard
    from desktop.main_window import MainWindow

    gc_guard.install()
    window = MainWindow(language="fr")
    window.resize(1366, 768)
    window.show()
    pump(500)
    actions = ACTIONS
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        actions = tuple(a for a in ACTIONS if a[0] in wanted or a[1].__name__ in wanted)
    start_rss = rss_mb()
    result = run_soak(
        window,
        rounds=args.rounds,
        minutes=None if args.rounds else args.minutes,
        warmup=args.warmup,
        quick=args.quick,
        actions=actions,
        use_tracemalloc=args.tracemalloc,
        trim_heap=args.trim,
        log=lambda line: print(line, flush=True),
    )
    summary = {
        "start_mb": round(start_rss, 1),
        "per_action_after_warmup_mb": result.per_action(args.warmup),
        **result.growth_after_warmup(args.warmup),
        "surprises": result.surprises,
    }
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"args": vars(args) | {"json": str(args.json)}, "summary": summary, **result.__dict__},
                indent=1,
                default=str,
                ensure_ascii=False,
            )
        )
    window.session.mark_clean()
    window.close()
    del app


if __name__ == "__main__":
    main()
