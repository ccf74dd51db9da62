"""The Export menu: image dialog with a live preview, video with progress and cancel, 3D model, data."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from pygltflib import GLTF2

from tests.desktop.conftest import shown, wait_loaded


@pytest.fixture
def city(window, qtbot):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    return window


def test_export_menu_replaces_the_screenshot(city):
    labels = [action.text() for action in city.export_menu.actions()]
    assert labels == [
        "Image…",
        "Video…",
        "3D model…",
        "3D Tiles for the web…",
        "Story as web page…",
        "Data",
        "Planned project",
    ]
    file_menu = city.menuBar().actions()[0].menu()
    assert not any("Export" in action.text() for action in file_menu.actions())


def preview_array(dialog) -> np.ndarray:
    image = dialog.preview.pixmap().toImage()
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes()).reshape(
        height, image.bytesPerLine()
    )
    return data[:, : width * 4].reshape(height, width, 4)[:, :, :3].astype(int)


def test_image_dialog_preview_follows_the_options(city, qtbot, tmp_path, monkeypatch):
    import desktop.dialogs.export_image as module

    dialog = city.exports.open_image_dialog()
    qtbot.waitUntil(
        lambda: dialog.preview.pixmap() is not None and not dialog.preview.pixmap().isNull(), timeout=30_000
    )
    assert dialog.preview.pixmap().width() / dialog.preview.pixmap().height() == pytest.approx(
        16 / 9, rel=0.02
    )
    dialog.size_box.setCurrentIndex(4)  # A4 portrait: the preview takes the paper's shape
    qtbot.waitUntil(
        lambda: dialog.preview.pixmap().height() > dialog.preview.pixmap().width(), timeout=10_000
    )
    assert dialog.picture_size() == (2480, 3508) and dialog.dpi() == 300
    before = preview_array(dialog)
    dialog.burn.legends.setChecked(False)
    qtbot.wait(400)
    after = preview_array(dialog)
    assert np.abs(before - after).max(axis=2).astype(bool).mean() > 0.01  # the legends went
    # a custom size, exported in tiles between events
    dialog.size_box.setCurrentIndex(dialog.size_box.count() - 1)
    dialog.width_box.setValue(900)
    dialog.height_box.setValue(500)
    monkeypatch.setattr(module, "GUI_TILE", 300)
    ticks = []
    timer = qtbot_timer(qtbot, ticks)
    dialog.start(tmp_path / "poster.png")
    assert dialog.busy
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    timer.stop()
    assert len(ticks) > 2, "the window kept answering while the tiles were drawn"
    image = Image.open(tmp_path / "poster.png")
    assert image.size == (900, 500)
    assert dialog.export.tiles_used == 6
    dialog.close()


def qtbot_timer(qtbot, ticks):
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    return timer


def test_video_dialog_progress_and_cancel(city, qtbot, tmp_path, monkeypatch):
    import av

    import desktop.dialogs.export_video as module

    monkeypatch.setattr(module, "SIZES", [("tiny", (320, 180)), ("gif", (800, 450))])
    dialog = module.ExportVideoDialog(city, city.workspace)
    dialog.show()
    dialog.size_box.setCurrentIndex(0)
    dialog.duration.setValue(1.0)
    dialog.fps.setValue(6)
    out = tmp_path / "replay.mp4"
    dialog.output.setText(str(out))
    ticks = []
    timer = qtbot_timer(qtbot, ticks)
    dialog.start()
    assert dialog.busy and not dialog.progress.isHidden()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    timer.stop()
    assert len(ticks) > 3
    assert dialog.last_stats["frames"] == 6
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264" and stream.frames == 6
    # cancel: the partial file goes
    cancelled = tmp_path / "cancelled.mp4"
    dialog.output.setText(str(cancelled))
    dialog.duration.setValue(20.0)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.job is not None and dialog.job.done >= 2, timeout=30_000)
    dialog.cancel()
    assert not dialog.busy and not cancelled.exists()
    dialog.close()


def test_story_video_puts_the_layers_back(city, qtbot, tmp_path, monkeypatch):
    import desktop.dialogs.export_video as module

    monkeypatch.setattr(module, "SIZES", [("tiny", (160, 90))])
    monkeypatch.setattr("viewer.video_plan.HOLD_MIN_S", 0.2)
    monkeypatch.setattr("viewer.video_plan.HOLD_MAX_S", 0.2)
    monkeypatch.setattr("viewer.video_plan.REPLAY_MAX_S", 1.0)
    monkeypatch.setattr("viewer.video_plan.FLIGHT_S", 0.5)
    before = {
        layer.name: (layer.visible, layer.opacity, layer.style.to_dict()) for layer in city.scene.layers
    }
    clock = city.scene.clock.time
    dialog = module.ExportVideoDialog(city, city.workspace)
    dialog.story.setChecked(True)
    dialog.fps.setValue(4)
    dialog.output.setText(str(tmp_path / "story.mp4"))
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert dialog.last_stats["mode"] == "story" and dialog.last_stats["steps"] == 5
    after = {layer.name: (layer.visible, layer.opacity, layer.style.to_dict()) for layer in city.scene.layers}
    assert after == before
    assert city.scene.clock.time == clock  # the window's clock never moved
    dialog.close()


def test_3d_model_and_data_from_the_menu(city, qtbot, tmp_path):
    from viewer.export_data import exportable

    written = []
    task = city.exports.export_model_file(tmp_path / "city.glb")
    task.succeeded.connect(written.append)
    qtbot.waitUntil(lambda: not city.tasks.busy, timeout=30_000)
    assert written[0]["meshes"] >= 5 and str(tmp_path / "city.glb") in city.statusBar().currentMessage()
    assert GLTF2().load(str(tmp_path / "city.glb")).asset.extras["crs"] == "EPSG:2154"
    city.exports.fill_data_menu()
    labels = [action.text() for action in city.data_menu.actions()]
    from desktop.translation import interface_language

    shadows_label = "Ombres portées au sol" if interface_language() == "fr" else "Ground shadows"
    assert any(label.startswith(shadows_label) for label in labels)  # in the interface's language
    shadows = next(c for c in exportable(city.scene) if c.key == "shadows")
    task = city.exports.export_data_file(shadows, tmp_path / "ombres.geojson")
    task.succeeded.connect(written.append)
    qtbot.waitUntil(lambda: not city.tasks.busy, timeout=30_000)
    assert (tmp_path / "ombres.geojson").exists() and written[1]["data"] == "shadows"


def test_3d_model_into_a_missing_folder_says_so(city, qtbot, tmp_path):
    assert city.exports.export_model_file(tmp_path / "nowhere" / "city.glb") is None
    qtbot.waitUntil(lambda: shown(city) is not None, timeout=5_000)
    assert "the output folder does not exist" in shown(city).text() + shown(city).informativeText()
    shown(city).close()


def test_pinned_comments_go_on_the_picture_when_asked(city, qtbot):
    from layers.session.commands import AddComment
    from layers.session.comments import Comment

    view = city.session.views[0]
    x, y, _ = view.focal_point
    city.session.execute(AddComment(Comment("idea", "Des arbres sur le quai", x + 150, y - 40)))
    dialog = city.exports.open_image_dialog()
    box = dialog.burn.comments
    assert box is not None and box.text().endswith("(1)") and not box.isChecked()
    assert dialog.burn.burn_in().comments == ()
    box.setChecked(True)
    assert [c.text for c in dialog.burn.burn_in().comments] == ["Des arbres sur le quai"]
    qtbot.waitUntil(
        lambda: dialog.export is not None and dialog.export.view.comment_pins is not None, timeout=10_000
    )
    assert dialog.export.view.comment_pins.labels.texts == ["Idée · Des arbres sur le quai"]
    dialog.close()


def test_image_export_gives_its_freed_memory_back(city, qtbot, tmp_path, monkeypatch):
    """The frame buffers and picture of an export are handed back to the system when the picture
    is written and when the dialog closes (glibc keeps freed pages resident otherwise: the soak saw
    +150 MB of freed heap after each Full HD export)."""
    import desktop.dialogs.export_image as module

    given: list[str] = []
    monkeypatch.setattr(module.heap, "give_back", lambda: given.append("back") or True)
    dialog = city.exports.open_image_dialog()
    dialog.size_box.setCurrentIndex(dialog.size_box.count() - 1)
    dialog.width_box.setValue(320)
    dialog.height_box.setValue(180)
    dialog.start(tmp_path / "small.png")
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert (tmp_path / "small.png").exists() and len(given) == 1
    dialog.close()
    assert len(given) == 2 and dialog.export is None


def test_a_project_never_saved_is_untitled_in_the_interface_language(window, qtbot):
    """A new project has no title: the export dialogs propose the interface's word for it (English
    without a translator), the model never a French one."""
    from desktop.dialogs.export_image import ExportImageDialog
    from desktop.dialogs.export_video import ExportVideoDialog
    from layers.session.project import Project, project_title

    assert project_title(Project()) == ""
    window.workspace.project = Project()
    for make in (ExportImageDialog, ExportVideoDialog):
        dialog = make(window, window.workspace)
        qtbot.addWidget(dialog)
        assert dialog.burn.title_text.text() == dialog.tr("Untitled")
        dialog.close()
