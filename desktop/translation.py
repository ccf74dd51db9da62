"""The interface language: Maquette's own strings and Qt's, in French or English.

The sources of ``tr()`` are English; ``desktop/i18n/maquette_fr.ts`` (Qt Linguist's format, kept up
to date with ``pyside6-lupdate``, see :data:`UPDATE_COMMAND`) holds their French translations.

Why not a compiled ``.qm`` loaded by a plain :class:`QTranslator`: Qt looks a translation up by
(context, source), and in PySide6 the context of ``self.tr()`` is the class of the object at run
time, not the class whose code calls it. A string written in a mixin or a base class
(``MediationMixin``, ``LayerControls``) would be asked for under ``MainWindow`` or
``BuildingsControls`` and never found. :class:`SourceTextTranslator` answers by source text alone,
which is what the application means: one English text, one French text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QT_TR_NOOP, QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

I18N_FOLDER = Path(__file__).resolve().parent / "i18n"
#: languages of the interface: code → name shown in the settings (in that language)
LANGUAGES = {"fr": "Français", "en": "English"}
#: refreshes the .ts from the code (new strings come in unfinished; translations are kept)
UPDATE_COMMAND = (
    "pyside6-lupdate $(git ls-files 'desktop/*.py') -no-obsolete -locations none"
    " -ts desktop/i18n/maquette_fr.ts"
)


#: Qt's own strings that its French file (qtbase_fr) lacks, Qt 6 having reworded them: Maquette's
#: translator, asked first, answers them (Qt's file dialog: "Voir dans :", not "Look in:")
QT_GAPS = (QT_TR_NOOP("&Look in:"), QT_TR_NOOP("Files of &type:"))
#: a source every translation holds: what it becomes tells the language ``tr()`` speaks now
LANGUAGE_PROBE = "&File"


def interface_language() -> str:
    """The language ``tr()`` speaks now ("fr" or "en"; English without a translator: the sources),
    in which desktop/ words the model's notes (:mod:`layers.core.messages`), field names
    (:mod:`viewer.labels`) and numbers."""
    probe = QCoreApplication.translate("Maquette", LANGUAGE_PROBE)
    return "fr" if probe == translations("fr").get(LANGUAGE_PROBE) else "en"


def ts_path(language: str) -> Path:
    return I18N_FOLDER / f"maquette_{language}.ts"


@lru_cache(maxsize=4)
def translations(language: str) -> dict[str, str]:
    """English source → translation for ``language`` (empty for English, or with no file).

    Unfinished entries (no translation yet) are left out, so their English source shows.
    """
    path = ts_path(language)
    if language == "en" or not path.exists():
        return {}
    table: dict[str, str] = {}
    # our own file, shipped with the application; ElementTree resolves no external entity
    for message in ElementTree.parse(path).getroot().iter("message"):
        source = message.findtext("source")
        node = message.find("translation")
        if not source or node is None or node.get("type") in {"unfinished", "obsolete", "vanished"}:
            continue
        if node.text:
            table[source] = node.text
    return table


class SourceTextTranslator(QTranslator):
    """A :class:`QTranslator` that finds a translation by its English source, whatever the context."""

    def __init__(self, language: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # not ``self.language``: that is QTranslator.language(), the language of a loaded .qm
        self.language_code = language
        self.table = translations(language)

    def translate(
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None becomes a null QString: "not mine", so Qt asks the next translator (qtbase_fr for
        # Qt's own strings) or keeps the source; "" would be taken as an empty translation
        return self.table.get(source_text)

    def isEmpty(self) -> bool:
        return not self.table


def install_translations(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Put the interface in ``language``: Maquette's strings, and Qt's own (standard buttons, file
    dialogs: ``qtbase_fr``). Returns the installed translators (kept alive by ``app``)."""
    installed: list[QTranslator] = []
    qt = QTranslator(app)
    if qt.load(
        QLocale(language), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(qt)
        installed.append(qt)
    ours = SourceTextTranslator(language, app)
    if not ours.isEmpty():
        app.installTranslator(ours)
        installed.append(ours)
    return installed
