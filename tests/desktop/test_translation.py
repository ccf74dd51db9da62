"""The interface in French and English: every string translated, Qt's own too, switchable."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from desktop.translation import SourceTextTranslator, translations, ts_path

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"


def translatable_strings() -> dict[str, str]:
    """English source → where it is, for every literal given to ``tr()`` or ``QT_TR_NOOP()`` in desktop/."""
    found: dict[str, str] = {}
    for path in sorted(DESKTOP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name not in {"tr", "QT_TR_NOOP"} or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, f"{path.relative_to(DESKTOP.parent)}:{node.lineno}")
    return found


def fields(text: str) -> list[str]:
    """The ``str.format`` fields of ``text`` (``{}``, ``{name}``, ``{:.1f}``), in order."""
    return [
        f"{name}:{spec}" for _literal, name, spec, _conv in string.Formatter().parse(text) if name is not None
    ]


def test_every_string_of_the_interface_has_a_french_translation():
    sources = translatable_strings()
    french = translations("fr")
    assert len(sources) > 300
    untranslated = {s: where for s, where in sources.items() if s not in french}
    assert not untranslated, (
        f"{len(untranslated)} strings have no French translation; run "
        f"desktop.translation.UPDATE_COMMAND, then translate them in {ts_path('fr').name}: {untranslated}"
    )


def test_only_tr_strings_reach_the_widgets():
    """No ``tr(f"...")``, nor ``f"{self.tr(...)}"``, which the translation file cannot hold."""
    offenders = []
    for path in sorted(DESKTOP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "tr"
                and node.args
            ):
                if isinstance(node.args[0], ast.JoinedStr):
                    offenders.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.JoinedStr):  # pyside6-lupdate does not see a tr() inside an f-string
                offenders += [
                    f"{path.name}:{inner.lineno}"
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.Call) and getattr(inner.func, "attr", None) == "tr"
                ]
    assert not offenders, f"tr() of an f-string, or inside one, escapes the translation file: {offenders}"


def test_translations_keep_the_placeholders_and_shortcut_marks():
    for source, french in translations("fr").items():
        assert fields(french) == fields(source), f"{source!r} → {french!r}: placeholders differ"
        assert ("&" in source) == ("&" in french), f"{source!r} → {french!r}: menu shortcut mark lost"
        assert source.count("\n") == french.count("\n"), f"{source!r} → {french!r}: line breaks differ"


def test_no_french_left_in_the_english_sources():
    accents = re.compile(r"[éèêàùôîâœ]")
    french_words = re.compile(r"\b(le|la|les|des|du|une|et|pour|avec|dans|aux|est|pas)\b")
    allowed = {"façade", "Façade"}  # an English word too
    suspicious = [
        s
        for s in translatable_strings()
        if accents.search(re.sub("|".join(allowed), "", s)) or french_words.search(s)
    ]
    assert not suspicious, f"sources of tr() are English; these look French: {suspicious}"


def test_english_has_no_table_and_a_missing_language_falls_back():
    assert translations("en") == {}
    assert translations("xx") == {}
    assert SourceTextTranslator("en").isEmpty()


def test_the_translator_ignores_the_runtime_context():
    """PySide6 asks with the runtime class as context: a string of a mixin still finds its translation."""
    translator = SourceTextTranslator("fr")
    assert translator.translate("MainWindow", "&Presentation") == "&Présentation"
    assert translator.translate("AnyClass", "&File") == "&Fichier"
    assert translator.translate("MainWindow", "not in the table") is None


def test_strings_of_others_pass_through(french):
    """Qt's own strings and unknown ones are not blanked by Maquette's translator."""
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("Nowhere", "a string nobody translates") == "a string nobody translates"
    assert QCoreApplication.translate("MainWindow", "&File") == "&Fichier"


def test_main_window_in_french(french, qtbot):
    from desktop.main_window import MainWindow

    win = MainWindow(language="fr")
    qtbot.addWidget(win, before_close_func=lambda w: w.session.mark_clean())
    menus = [a.text() for a in win.menuBar().actions()]
    # from MainWindow itself, from the export menu module, from a controller (another context)
    assert {"&Fichier", "E&xporter", "&Affichage", "&Temps", "&Présentation", "A&ide"} <= set(menus), menus
    assert win.layers_dock.windowTitle() == "Couches"
    assert win.timeline.speed_box.itemText(4) == "1 jour/s"
    assert win.sun_panel.toggle.text() == "Soleil et ombres"
    if any(
        t.objectName() == "" and not isinstance(t, SourceTextTranslator) for t in french
    ):  # qtbase_fr shipped
        from PySide6.QtWidgets import QDialogButtonBox

        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annuler"


def test_main_window_in_english(qtbot):
    from desktop.main_window import MainWindow

    win = MainWindow(language="en")
    qtbot.addWidget(win, before_close_func=lambda w: w.session.mark_clean())
    menus = [a.text() for a in win.menuBar().actions()]
    assert {"&File", "E&xport", "&View", "&Time", "&Presentation", "&Help"} <= set(menus), menus
    assert win.sun_panel.toggle.text() == "Sun and shadows"


def test_the_language_is_chosen_in_the_view_menu_and_kept(qtbot):
    from desktop.main_window import MainWindow
    from desktop.settings import Settings

    win = MainWindow(language="en")
    qtbot.addWidget(win, before_close_func=lambda w: w.session.mark_clean())
    actions = {a.data(): a for a in win.language_menu.actions()}
    assert set(actions) == {"system", "fr", "en"} and actions["system"].isChecked()
    actions["fr"].trigger()
    assert Settings().language_setting() == "fr" and Settings().language() == "fr"
    assert "starts again" in win.statusBar().currentMessage()
    assert actions["fr"].isChecked() and not actions["system"].isChecked()
    actions["system"].trigger()
    assert Settings().language_setting() == "system"


def test_no_french_text_outside_the_translation_file():
    """French words in desktop/ live in the .ts (the About box carries its own two texts)."""
    accents = re.compile(r"[éèêàùôîâœ]")
    suspicious = []
    for path in sorted(DESKTOP.rglob("*.py")):
        if path.name == "about.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                text = re.sub("[Ff]açade|Français", "", node.value)
                if accents.search(text):
                    suspicious.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
    assert not suspicious, suspicious
