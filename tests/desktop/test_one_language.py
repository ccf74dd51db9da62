"""One language at a time: the sample city, its dialogs and the audience screen, in French then in
English, show no word of the other language (user content aside: layer names, story, attributes).

Every visible text is collected: widget texts, window titles, tool tips of visible widgets, the
items of visible lists, tables and combo boxes, and the texts the 3D scene draws (legends, caption,
clock, scale bar, credits). A French interface fails on an English tell-tale word, on a Maquette
string left in English or on an English number (``1,234.5``); an English one on a French word or
number (``1 234,5``).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QPoint
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from desktop.translation import install_translations, translations

from .conftest import wait_loaded

#: words that give the other language away, per interface language (whole words, case-insensitive)
FOREIGN_WORDS = {
    "fr": [
        "shown",
        "heights",
        "defaulted",
        "of",
        "the",
        "and",
        "Look in",
        "Files of type",
        "File name",
        "left out",
        "repaired",
        "vehicles",
        "day",
        "hour",
        "Height",
        "Value",
        "Attribute",
        "no reading",
        "Cancel",
        "Save",
        "Open",
        "West",
        "hours",
    ],
    "en": [
        "affichés",
        "hauteur",
        "hauteurs",
        "véhicules",
        "jour",
        "heure",
        "Voir dans",
        "Nom de fichier",
        "Annuler",
        "Enregistrer",
        "Ouvrir",
        "par",
        "le",
        "la",
        "les",
        "des",
        "du",
        "une",
        "pas",
        "de",
        "Soleil",
        "sol",
        "Bâtiment",
        "Usage",
        "Valeur",
        "Attribut",
        "mesure",
        "O",
    ],
}
#: a number the other language writes: thousands or decimals the wrong way
FOREIGN_NUMBER = {
    "fr": re.compile(
        r"(?<![\w.,:/-])\d{1,3}(,\d{3})+(\.\d+)?(?![\w.,/-])|(?<![\w.,:/-])\d+\.\d+(?![\w.,:/-])"
    ),
    "en": re.compile(
        r"(?<![\w.,:/-])\d{1,3}([ \u202f\u00a0]\d{3})+(,\d+)?(?![\w.,/-])"
        r"|(?<![\w.,:/-])\d+,(\d{1,2}|\d{4,})(?![\w.,/-])"  # a decimal comma, not a thousands one
    ),
}


def widget_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every visible text of ``root`` and its visible children."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisible():
            continue
        name = type(widget).__name__
        if widget.isWindow() and widget.windowTitle():
            yield f"{name} title", widget.windowTitle()
        if widget.toolTip():
            yield f"{name} tooltip", widget.toolTip()
        if isinstance(widget, QDockWidget):
            yield f"{name} dock", widget.windowTitle()
        if isinstance(widget, QLabel):
            yield name, widget.text()
        elif isinstance(widget, QAbstractButton):
            yield name, widget.text()
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, QLineEdit):
            yield f"{name} placeholder", widget.placeholderText()
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield f"{name} item", widget.itemText(i)
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield f"{name} tab", widget.tabText(i)
        elif isinstance(widget, QHeaderView):
            model = widget.model()
            if model is not None:
                for i in range(model.columnCount() if widget.orientation().value == 1 else 0):
                    yield f"{name} header", str(model.headerData(i, widget.orientation()) or "")
        if isinstance(widget, QTableWidget):
            for row in range(widget.rowCount()):
                item = widget.item(row, 0)  # the first column names things: the values are the data's
                if item is not None:
                    yield f"{name} cell", item.text()
        elif isinstance(widget, QListWidget):
            for row in range(widget.count()):
                yield f"{name} item", widget.item(row).text()
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            yield "menu", action.text()
            menu = action.menu()
            if menu is not None:
                for inner in menu.actions():
                    yield "menu item", inner.text()
        yield "status bar", root.statusBar().currentMessage()


def scene_texts(plotter) -> Iterator[tuple[str, str]]:
    """(where, text) for every visible text the 3D view draws (legends, caption, clock, credits)."""
    from vtkmodules.vtkRenderingCore import vtkTextActor, vtkTextMapper

    renderers = plotter.ren_win.GetRenderers()
    renderers.InitTraversal()
    for _ in range(renderers.GetNumberOfItems()):
        renderer = renderers.GetNextItem()
        actors = renderer.GetActors2D()
        actors.InitTraversal()
        for _ in range(actors.GetNumberOfItems()):
            actor = actors.GetNextActor2D()
            if not actor.GetVisibility():
                continue
            if isinstance(actor, vtkTextActor):
                yield "scene text", actor.GetInput() or ""
            elif isinstance(actor.GetMapper(), vtkTextMapper):
                yield "scene label", actor.GetMapper().GetInput() or ""


def user_content(win) -> list[str]:
    """Texts that are the user's, in whatever language they were written: the names of layers,
    views and steps, the story, comments, the project's title and the data's own values."""
    # the layers a study makes are named by Maquette, in the language of the moment: checked
    texts = [layer.name for layer in win.scene.layers if layer.kind != "sunlight"]
    session = win.session
    texts += [view.name for view in session.views]
    for step in session.steps:
        texts += [step.title, step.text, *step.text.splitlines()]
    texts += [comment.text for comment in session.comments]
    texts.append(win.project.title)
    for layer in win.scene.layers:  # the data's own words: its column names, its sensors' names
        frame = getattr(layer, "frame", None)
        texts += [str(column) for column in frame.columns] if frame is not None else []
        texts += [str(name) for name in getattr(layer, "names", [])]
    texts += [moment.name for moment in win.timeline.moments if not moment.suggested]  # the user's
    return sorted({t for t in texts if t}, key=len, reverse=True)


def flat(text: str) -> str:
    """One line, single spaces (the scene wraps long texts)."""
    return " ".join(text.split())


def without(text: str, content: list[str]) -> str:
    """``text`` less the user's content, the tags of rich text and file paths."""
    text = flat(re.sub(r"<[^>]+>", " ", text))
    for piece in content:
        text = text.replace(flat(piece), " ")
    return re.sub(r"(?<!\w)/[^\s]+", " ", text)


def faults(language: str, found: list[tuple[str, str]], content: list[str]) -> list[str]:
    """What in ``found`` is not in ``language``."""
    words = re.compile(
        r"(?<![\w'])(" + "|".join(re.escape(w) for w in FOREIGN_WORDS[language]) + r")(?![\w'])",
        re.IGNORECASE if language == "fr" else 0,
    )
    from viewer.labels import inspector_label

    untranslated = set(translations("fr")) if language == "fr" else set()
    french = {v for v in translations("fr").values()} if language == "en" else set()
    out: list[str] = []
    for where, raw in found:
        text = without(raw, content)
        if not text.strip():
            continue
        hit = words.search(text) or FOREIGN_NUMBER[language].search(text)
        if where in {"QTableWidget cell", "QComboBox item"} and inspector_label(raw, language) != raw:
            out.append(f"{where}: {raw!r} (a known field by its raw name, no label)")
        elif hit:
            out.append(f"{where}: {raw[:120]!r} ({hit.group(0)!r})")
        elif raw in untranslated and translations("fr")[raw] != raw:
            out.append(f"{where}: {raw[:120]!r} (not translated)")
        elif raw in french and raw not in translations("fr"):
            out.append(f"{where}: {raw[:120]!r} (French)")
    return sorted(set(out))


@pytest.fixture(params=["fr", "en"])
def language_window(request, qapp, qtbot, tmp_path, sample_city):
    """The main window in one language with a copy of the sample city open."""
    from desktop import gc_guard
    from desktop.main_window import MainWindow

    language = request.param
    installed = install_translations(qapp, language)
    QLocale.setDefault(QLocale(language))
    gc_guard.install()
    win = MainWindow(language=language)

    def before_close(w) -> None:
        w.mediation.presentation.stop()
        w.session.mark_clean()

    qtbot.addWidget(win, before_close_func=before_close)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    folder = tmp_path / "ville"
    shutil.copytree(sample_city, folder, ignore=shutil.ignore_patterns("citygen", "*.py", "__pycache__"))
    win.open_paths_async([folder / "sample_city.maquette.json"])
    wait_loaded(qtbot, win)
    yield language, win
    gc_guard.uninstall()
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale("C"))


def window_texts(win) -> list[tuple[str, str]]:
    win.plotter.render()
    return [*widget_texts(win), *scene_texts(win.plotter)]


def show_every_panel(win, qtbot) -> list[tuple[str, str]]:
    """Every layer's controls, a building and a sensor inspected, coordinates under the cursor."""
    found: list[tuple[str, str]] = []
    for dock in win.findChildren(QDockWidget):
        dock.show()
    for row in range(win.layer_panel.list.count()):
        win.layer_panel.list.setCurrentRow(row)
        qtbot.wait(10)
        found += widget_texts(win)
    buildings = next(layer for layer in win.scene.layers if layer.kind == "buildings")
    for layer in (buildings, next(layer for layer in win.scene.layers if layer.kind == "sensors")):
        from viewer.scene_view import Pick

        visual = win.scene_view.visual(layer)
        pick = Pick(layer, 0, (0.0, 0.0, 0.0), visual)
        win.inspector.show_attributes(layer.name, pick.attributes())
        found += widget_texts(win.inspector)
    win.picking.show_coordinates_at(QPoint(win.plotter.width() // 2, win.plotter.height() // 2))
    found.append(("coordinates", win.coords_label.text()))
    for layer in win.scene.layers:  # every legend
        layer.visible = True
    found += window_texts(win)
    win.exports.fill_data_menu()  # File › Export › Data: what each layer can give
    found += [("data menu item", action.text()) for action in win.data_menu.actions()]
    return found


def dialog_texts(win, qtbot, tmp_path) -> list[tuple[str, str]]:
    """The export image and video dialogs, the sunlight study (computed: its figures and the names
    of the layers it makes), the comment form, the CRS question and Qt's own file dialog."""
    from desktop.dialogs.comment import CommentForm
    from desktop.dialogs.crs import CRSDialog
    from desktop.dialogs.export_image import ExportImageDialog
    from desktop.dialogs.export_video import ExportVideoDialog
    from desktop.dialogs.sunlight import SunlightDialog

    found: list[tuple[str, str]] = []
    for make in (
        lambda: ExportImageDialog(win, win.workspace),
        lambda: ExportVideoDialog(win, win.workspace),
        lambda: CRSDialog(Path("a.csv"), "", ["EPSG:2154"], win),
        lambda: CommentForm(win),
    ):
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        found += widget_texts(dialog)
        dialog.close()
    sunlight = SunlightDialog(win, win.scene, win.project, day=date(2025, 6, 21))
    qtbot.addWidget(sunlight)
    sunlight.show()
    sunlight.resolution.setCurrentIndex(3)  # 2 m, quick
    task = sunlight.compute()
    qtbot.waitUntil(lambda: not task.running and sunlight.study_result is not None, timeout=90_000)
    found += widget_texts(sunlight)
    found += [("study layer", layer.name) for layer in sunlight.study_result.layers]
    sunlight.close()
    files = QFileDialog(win, "x", str(tmp_path))
    files.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    files.setNameFilter("Projets (*.maquette.json)")
    qtbot.addWidget(files)
    files.show()
    found += [(where, text) for where, text in widget_texts(files) if where != "QFileDialog title"]
    files.close()
    found += window_texts(win)  # the sunlight layers' legends
    return found


def presentation_texts(win, qtbot) -> list[tuple[str, str]]:
    """The audience screen on each step of the story."""
    found: list[tuple[str, str]] = []
    win.mediation.start_presentation(0)
    qtbot.waitUntil(win.isFullScreen, timeout=5000)
    presentation = win.mediation.presentation
    for index in range(len(win.session.steps)):
        presentation.go(index)
        qtbot.wait(300)
        found += window_texts(win)
        for top in QApplication.topLevelWidgets():  # the presenter's console on the laptop
            if top is not win and top.isVisible():
                found += widget_texts(top)
    win.mediation.presentation.stop()
    return found


def test_one_language_everywhere(language_window, qtbot, tmp_path):
    language, win = language_window
    found = window_texts(win) + show_every_panel(win, qtbot) + dialog_texts(win, qtbot, tmp_path)
    box = win.timeline.moment_box  # the suggested moments of the replay, named by Maquette
    assert any(moment.suggested for moment in win.timeline.moments)
    found += [("moment", box.itemText(i)) for i in range(box.count())]
    found += presentation_texts(win, qtbot)
    content = user_content(win)
    problems = faults(language, found, content)
    import os

    if os.environ.get("DUMP_TEXTS"):
        Path(os.environ["DUMP_TEXTS"] + f".{language}").write_text(
            "\n".join(f"{w}\t{t!r}" for w, t in sorted(set(found))), encoding="utf-8"
        )
    assert not problems, f"{len(problems)} texts not in {language}:\n" + "\n".join(problems)
