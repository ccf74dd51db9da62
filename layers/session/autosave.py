"""Autosave: the session's unsaved state (comments, story, views, layers, clock) kept on disk.

While a project has unsaved changes, the whole project document is written atomically to an
autosave file after every change. A clean save, or choosing "Discard" when closing, removes it. If
the app is killed, reopening the project finds the autosave and restores it: comments gathered in a
meeting are never lost.

Autosave files live in ``$MAQUETTE_AUTOSAVE_DIR``, else the user's data folder
(``$XDG_DATA_HOME/maquette/autosave`` or ``~/.local/share/maquette/autosave``; ``%LOCALAPPDATA%``
on Windows), one per project path, so a read-only sample city can be annotated too.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from layers.io.atomic import atomic_write_text
from layers.session.project import SUFFIX

META_KEY = "_autosave"


def autosave_folder() -> Path:
    override = os.environ.get("MAQUETTE_AUTOSAVE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "Maquette" / "autosave"
    base = os.environ.get("XDG_DATA_HOME") or (Path.home() / ".local" / "share")
    return Path(base) / "maquette" / "autosave"


def autosave_path(project_path: Path | None) -> Path:
    """Where the autosave of the project at ``project_path`` (``None``: unsaved project) lives."""
    if project_path is None:
        key, stem = "untitled", "sans-titre"
    else:
        absolute = str(Path(project_path).absolute())
        key = hashlib.sha1(absolute.encode("utf-8")).hexdigest()[:10]
        stem = Path(project_path).name.removesuffix(SUFFIX).removesuffix(".json")
    return autosave_folder() / f"{stem}-{key}{SUFFIX}"


def write_autosave(data: dict[str, Any], project_path: Path | None) -> Path:
    """Atomically write ``data`` (a project document) as the autosave of ``project_path``."""
    path = autosave_path(project_path)
    document = dict(data)
    document[META_KEY] = {
        "of": str(Path(project_path).absolute()) if project_path else None,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    atomic_write_text(path, json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False) + "\n")
    return path


def read_autosave(project_path: Path | None) -> dict[str, Any] | None:
    """The autosaved document of ``project_path``, or ``None`` (absent or unreadable)."""
    path = autosave_path(project_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        return None
    return data


def clear_autosave(project_path: Path | None) -> None:
    try:
        autosave_path(project_path).unlink()
    except FileNotFoundError:
        pass


def strip_meta(data: dict[str, Any]) -> dict[str, Any]:
    """The document without the autosave bookkeeping."""
    return {k: v for k, v in data.items() if k != META_KEY}
