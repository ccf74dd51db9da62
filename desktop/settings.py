"""User settings kept between sessions (QSettings): interface language, presentation screen, where
the legends are shown in the working window, the files opened lately."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QSettings

from .translation import LANGUAGES

#: how many projects and data files File › Open recent lists
RECENT_MAX = 10


class Settings:
    """Typed access to Maquette's QSettings."""

    def __init__(self) -> None:
        self.store = QSettings("Maquette", "Maquette")

    def language_setting(self) -> str:
        """``"fr"``, ``"en"`` or ``"system"`` as chosen by the user."""
        value = str(self.store.value("ui/language", "system"))
        return value if value in LANGUAGES or value == "system" else "system"

    def language(self) -> str:
        """The language to use now: the chosen one, else French when the system is French, else English."""
        chosen = self.language_setting()
        if chosen != "system":
            return chosen
        return "fr" if QLocale.system().language() == QLocale.Language.French else "en"

    def set_language(self, value: str) -> None:
        self.store.setValue("ui/language", value)

    def presentation_screen(self) -> int | None:
        value = self.store.value("presentation/screen", None)
        if not isinstance(value, int | str) or value == "":
            return None
        try:
            return int(value)
        except ValueError:
            return None

    def set_presentation_screen(self, index: int | None) -> None:
        self.store.setValue("presentation/screen", "" if index is None else int(index))

    def legend_panel(self) -> bool:
        """Legends in the window's Legend panel (``True``, the default) rather than drawn over the
        3D view. The audience screen and the exports draw them on the picture either way."""
        return str(self.store.value("view/legend_panel", "true")).lower() not in ("false", "0")

    def set_legend_panel(self, shown: bool) -> None:
        self.store.setValue("view/legend_panel", "true" if shown else "false")

    # -- File › Open recent -------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        """Projects and data files opened lately, most recent first (absolute paths, at most
        :data:`RECENT_MAX`)."""
        value = self.store.value("files/recent", [])
        if isinstance(value, str):  # QSettings gives a one-item list back as a string
            value = [value] if value else []
        if not isinstance(value, list):
            return []
        return [str(v) for v in value if isinstance(v, str) and v][:RECENT_MAX]

    def add_recent_file(self, path: str) -> None:
        """Put ``path`` first in the recent files (once), keeping :data:`RECENT_MAX`."""
        recent = [path, *(p for p in self.recent_files() if p != path)][:RECENT_MAX]
        self.store.setValue("files/recent", recent)

    def clear_recent_files(self) -> None:
        self.store.setValue("files/recent", [])
