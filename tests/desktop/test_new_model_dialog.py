"""File › New model from open data…: the dialog on Redon's folder, the report, the project opened."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import opened_window, shown, wait_loaded

pytestmark = pytest.mark.usefixtures("private_autosave")


@pytest.fixture
def window(french, qtbot):
    """The main window in French (translations installed before it is built)."""
    from PySide6.QtCore import QLocale

    QLocale.setDefault(QLocale("fr"))
    yield from opened_window(qtbot)
    QLocale.setDefault(QLocale("C"))


@pytest.fixture
def redon(shared_data, tmp_path) -> Path:
    """A copy of Redon's BD TOPO themes (the project is written beside them, so opening it asks
    nothing about data outside its folder)."""
    source = shared_data / "bdtopo" / "redon_v3_35236"
    if not source.is_dir():
        pytest.skip("Redon's BD TOPO is not in the shared data")
    return Path(shutil.copytree(source, tmp_path / "redon"))


def test_the_dialog_makes_redon_and_opens_it(qtbot, window, redon):
    from desktop.dialogs.new_model import NewModelDialog, NewModelReport

    menu_texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Nouvelle maquette à partir de données ouvertes…" in menu_texts
    dialog = NewModelDialog(window)
    dialog.set_sources([redon])
    assert dialog.output.text() == str(redon.parent / "redon.maquette.json")
    dialog.output.setText(str(redon / "redon.maquette.json"))
    dialog.commune.setText("Redon")
    dialog.by_commune.setChecked(True)
    dialog._accept_if_complete()
    assert dialog.result() == dialog.DialogCode.Accepted
    task = window.new_model(dialog)
    assert task is not None and window.tasks.busy  # in the background: the window answers meanwhile
    qtbot.waitUntil(lambda: shown(window, NewModelReport) is not None, timeout=120_000)
    report = shown(window, NewModelReport)
    text = report.text.toPlainText()
    assert "Emprise : Redon" in text and "Couches :" in text
    assert "SURFACE_HYDROGRAPHIQUE.shp : 36 objets, 36 affichés" in text
    # delivered without its .dbf: the outlines are shown, at the default height
    assert "BATIMENT.shp : 6" in text and "COMMUNE.shp" in text
    assert "⚠ BATIMENT.shp : la table attributaire .dbf du shapefile manque" in text  # said, in French
    assert "⚠ aucun champ de hauteur : chaque bâtiment a 9 m de haut" in text
    project = redon / "redon.maquette.json"
    assert json.loads(project.read_text())["area"]["code"] == "35236"
    report.accept()
    wait_loaded(qtbot, window)
    assert window.workspace.project.path == project
    assert {layer.name for layer in window.scene.layers} >= {"SURFACE_HYDROGRAPHIQUE", "ZONE_DE_VEGETATION"}
    assert window.session.views[0].name == "Vue d'ensemble"


def test_the_dialog_asks_for_what_is_missing(qtbot, window, tmp_path):
    from desktop.dialogs.new_model import NewModelDialog

    dialog = NewModelDialog(window)
    dialog._accept_if_complete()
    assert dialog.error.text() == "Choisissez le dossier ou les fichiers de la maquette."
    dialog.set_sources([tmp_path])
    dialog.by_commune.setChecked(True)
    dialog._accept_if_complete()
    assert dialog.error.text() == "Tapez le nom ou le code INSEE de la commune."
    assert dialog.result() != dialog.DialogCode.Accepted


def test_a_commune_not_found_is_said_and_nothing_is_written(qtbot, window, redon):
    from PySide6.QtWidgets import QMessageBox

    from desktop.dialogs.new_model import NewModelDialog

    dialog = NewModelDialog(window)
    dialog.set_sources([redon])
    dialog.output.setText(str(redon / "x.maquette.json"))
    dialog.commune.setText("Paris")
    dialog.by_commune.setChecked(True)
    dialog._accept_if_complete()
    window.new_model(dialog)
    qtbot.waitUntil(lambda: not window.tasks.busy and shown(window, QMessageBox) is not None, timeout=60_000)
    assert "Paris" in shown(window, QMessageBox).text() + shown(window, QMessageBox).informativeText()
    assert not (redon / "x.maquette.json").exists()
