"""The window never writes over the files it reads, says why an export cannot be written, and shows
autosave failures (and keeps autosaving under a shorter name when the usual one is too long)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.desktop.conftest import shown, wait_loaded

REFUSED = "writing it would destroy that input (choose another output file; nothing was written)"


@pytest.fixture
def city(window, qtbot, tmp_path, sample_city, monkeypatch) -> tuple:
    """The window showing a copy of the sample city (its files may be aimed at, never harmed)."""
    monkeypatch.setenv("MAQUETTE_AUTOSAVE_DIR", str(tmp_path / "autosave"))
    folder = tmp_path / "ville"
    shutil.copytree(sample_city, folder, ignore=shutil.ignore_patterns("citygen", "*.py", "__pycache__"))
    window.open_paths_async([folder / "sample_city.maquette.json"])
    wait_loaded(qtbot, window)
    return window, folder


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    """The texts of the warning boxes the dialogs open (``QMessageBox.warning`` would wait)."""
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: said.append(text))
    return said


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


def test_data_into_a_geopackage_the_project_reads_is_refused(city, qtbot):
    window, folder = city
    from viewer.export_data import exportable

    before = files(folder)
    shadows = next(c for c in exportable(window.scene) if c.key == "shadows")
    assert window.exports.export_data_file(shadows, folder / "buildings.gpkg") is None  # no task started
    qtbot.waitUntil(lambda: shown(window) is not None, timeout=5_000)
    assert shown(window).text() == f"{folder / 'buildings.gpkg'}: is also an input: {REFUSED}"
    shown(window).close()
    assert files(folder) == before


def test_a_3d_model_over_a_layer_through_a_link_is_refused(city, qtbot):
    window, folder = city
    (folder / "modele.glb").symlink_to(folder / "streets.gpkg")
    before = files(folder)
    assert window.exports.export_model_file(folder / "modele.glb") is None
    qtbot.waitUntil(lambda: shown(window) is not None, timeout=5_000)
    assert shown(window).text() == (
        f"{folder / 'modele.glb'}: is the same file as the input {folder / 'streets.gpkg'}: {REFUSED}"
    )
    shown(window).close()
    assert files(folder) == before


def test_image_video_and_comments_over_inputs_are_refused(city, warnings):
    window, folder = city
    before = files(folder)
    (folder / "carte.png").symlink_to(folder / "sample_city.maquette.json")
    dialog = window.exports.open_image_dialog()
    dialog.start(folder / "carte.png")
    assert not dialog.busy
    project = folder / "sample_city.maquette.json"
    assert warnings[-1] == f"{folder / 'carte.png'}: is the same file as the input {project}: {REFUSED}"
    dialog.close()
    (folder / "film.mp4").symlink_to(folder / "air_temperature_stations.csv")  # a sensors locations file
    dialog = window.exports.open_video_dialog()
    dialog.output.setText(str(folder / "film.mp4"))
    dialog.start()
    assert not dialog.busy
    assert warnings[-1] == (
        f"{folder / 'film.mp4'}: is the same file as the input {folder / 'air_temperature_stations.csv'}: "
        f"{REFUSED}"
    )
    dialog.close()
    window.session.replace_comments((_comment(),))
    assert window.mediation.export_comments_to(folder / "bike_counters.geojson") is None
    assert warnings[-1] == f"{folder / 'bike_counters.geojson'}: is also an input: {REFUSED}"
    assert files(folder) == before


def _comment():
    from layers.session.comments import Comment

    return Comment("idea", "Des arbres", 351_900.0, 6_789_300.0)


def test_an_export_that_cannot_be_written_says_why(city, qtbot, tmp_path):
    window, folder = city
    (tmp_path / "dossier.glb").mkdir()
    assert window.exports.export_model_file(tmp_path / "dossier.glb") is None
    qtbot.waitUntil(lambda: shown(window) is not None, timeout=5_000)
    assert (
        shown(window).text()
        == f"{tmp_path / 'dossier.glb'}: cannot write: it is a folder (nothing was written)"
    )
    shown(window).close()


def test_autosave_failures_are_shown_and_a_long_name_is_shortened(city, qtbot, tmp_path, monkeypatch):
    from layers.session.autosave import read_autosave, short_autosave_path

    window, folder = city
    blocker = tmp_path / "un-fichier"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MAQUETTE_AUTOSAVE_DIR", str(blocker / "autosave"))
    window.files.autosaver.write_now()
    message = window.statusBar().currentMessage()
    assert message.startswith(("Autosave failed: ", "Échec de l'enregistrement automatique : "))
    assert "cannot write: a part of the folder's path is not a folder (nothing was written)" in message
    assert window.files.autosaver.last_error in message
    monkeypatch.setenv("MAQUETTE_AUTOSAVE_DIR", str(tmp_path / "autosave"))
    long_name = folder / ("réunion publique du quartier " * 8 + ".maquette.json")
    window.workspace.project.path = long_name
    window.files.autosaver.write_now()
    assert window.files.autosaver.last_error is None
    assert short_autosave_path(long_name).exists() and read_autosave(long_name) is not None


def test_saving_the_project_over_a_layer_s_data_is_refused(city, warnings):
    window, folder = city
    before = files(folder)
    assert not window.files.save_to(folder / "streets.gpkg")
    assert warnings[-1] == f"{folder / 'streets.gpkg'}: is also an input: {REFUSED}"
    assert files(folder) == before
    assert window.files.save_to(folder / "sample_city.maquette.json")  # its own file: saved


def test_3d_tiles_from_the_menu_with_the_web_page_and_its_refusals(city, qtbot, tmp_path, french):
    window, folder = city
    written: list[dict] = []
    output = tmp_path / "tuiles"
    task = window.exports.export_3dtiles(output)
    assert task is not None
    task.succeeded.connect(written.append)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=120_000)
    assert written and written[0]["buildings"] > 1000 and (output / "tileset.json").is_file()
    page = output / "index.html"
    if "viewer" in written[0]:  # the CesiumJS copy is there (the test command installs it)
        assert page.is_file() and 'lang="fr"' in page.read_text(encoding="utf-8")
    assert str(output) in window.statusBar().currentMessage()
    # into the project's own folder (not empty, no tileset there): refused, in French, nothing written
    before = files(folder)
    assert window.exports.export_3dtiles(folder) is None
    qtbot.waitUntil(lambda: shown(window) is not None, timeout=5_000)
    said = shown(window).text() + shown(window).informativeText()
    assert "le dossier n'est pas vide" in said, said
    shown(window).close()
    assert files(folder) == before
