"""The Legend panel as a planner meets it: the legends of the visible layers beside the 3D view
(none drawn over the city), following what is shown; the audience screen and the exported pictures
still draw them on the picture; the choice kept for the next start."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton

from desktop.settings import Settings

from .conftest import wait_loaded


def legend_rects(view) -> list:
    view.plotter.render()
    return [rect for name, rect in view.overlay_rects() if name.startswith("legend")]


def expected(win) -> list[str]:
    """The visible layers that have a legend, in the scene's order."""
    names = []
    for layer in win.scene.layers:
        visual = win.scene_view.visual(layer)
        if layer.visible and visual is not None and visual.legends():
            names.append(layer.name)
    return names


def test_the_panel_lists_the_visible_layers_and_the_view_draws_no_legend(window, qtbot):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    panel, view = window.legend_panel, window.scene_view
    assert window.legend_dock.isVisible()
    names = expected(window)
    assert len(names) >= 3 and panel.names() == names
    assert not view.legend_stack.enabled and legend_rects(view) == []  # the city is not covered
    # the buildings' legend, in French (the panel follows the view's visuals: on a loaded machine
    # it may come a moment after the layers)
    qtbot.waitUntil(lambda: any(text.startswith("Hauteur (m)") for text in panel.texts()), timeout=20_000)
    texts = panel.texts()
    for _, legends in view.visible_legends():  # the same words as the picture would write
        for legend in legends:
            assert legend.content("fr").texts()[0] in texts

    hidden = next(
        layer
        for layer in window.scene.layers
        if not layer.visible and layer.name not in names and view.visual(layer).legends()
    )
    hidden.visible = True
    qtbot.waitUntil(lambda: hidden.name in panel.names(), timeout=20_000)
    shown = next(layer for layer in window.scene.layers if layer.name in names)
    shown.visible = False
    qtbot.waitUntil(lambda: shown.name not in panel.names(), timeout=20_000)
    assert panel.names() == expected(window)

    buildings = next(layer for layer in window.scene.layers if layer.kind == "buildings")
    buildings.visible = True
    buildings.update_style(color_by="usage")
    qtbot.waitUntil(lambda: any(text.startswith("Usage") for text in panel.texts()), timeout=20_000)
    assert not any(text.startswith("Hauteur (m)") for text in panel.texts())


def test_a_folded_section_stays_folded(window, qtbot):
    window.open_paths_async([])
    wait_loaded(qtbot, window)
    panel = window.legend_panel
    first = panel.sections[0]
    first.header.click()
    assert not first.expanded and not any(body.isVisible() for body in first.bodies)
    window.scene_view.legends_changed()  # a layer restyled: the panel is filled again
    again = next(s for s in panel.sections if s.name == first.name)
    assert again is not first and not again.expanded
    assert all(s.expanded for s in panel.sections if s is not again)
    assert all(isinstance(s.header, QToolButton) and s.header.text() == s.name for s in panel.sections)


def test_closing_the_panel_brings_the_column_back_and_is_kept(window, qtbot):
    from desktop.main_window import MainWindow

    window.open_paths_async([])
    wait_loaded(qtbot, window)
    view = window.scene_view
    try:
        window.legend_dock.close()  # its close button
        assert view.legend_stack.enabled and legend_rects(view)
        assert Settings().legend_panel() is False
        later = MainWindow(language="fr")  # the next start
        qtbot.addWidget(later, before_close_func=lambda w: w.session.mark_clean())
        later.show()
        qtbot.waitExposed(later)
        assert not later.legend_dock.isVisible()
        assert later.scene_view is not None and later.scene_view.legend_stack.enabled
        action = later.legend_dock.toggleViewAction()
        assert action in later.view_menu.actions()
        action.trigger()  # View › Legend
        assert later.legend_dock.isVisible() and Settings().legend_panel() is True
        assert not later.scene_view.legend_stack.enabled
    finally:
        Settings().set_legend_panel(True)


def test_the_audience_screen_and_the_exports_draw_the_legends(window, qtbot):
    from viewer.export_image import ExportView

    window.open_paths_async([])
    wait_loaded(qtbot, window)
    view = window.scene_view
    assert window.session.steps and not view.legend_stack.enabled
    window.mediation.start_presentation(0)
    qtbot.waitUntil(window.isFullScreen, timeout=20_000)
    assert not window.legend_dock.isVisible()
    assert view.legend_stack.enabled and legend_rects(view)  # drawn for the audience
    window.mediation.presentation.stop()
    qtbot.waitUntil(lambda: window.legend_dock.isVisible(), timeout=20_000)
    assert not view.legend_stack.enabled and legend_rects(view) == []  # back in the panel

    export = ExportView(window.scene, language="fr", size=(800, 450), like=view)  # `maquette render`'s
    try:
        export.render((800, 450))
        assert [name for name, _ in export.view.overlay_rects() if name.startswith("legend")]
    finally:
        export.close()
