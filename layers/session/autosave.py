"""Autosave: the session's unsaved state (comments, story, views, layers, clock) kept on disk.

While a project has unsaved changes, the whole project document is written atomically to an
autosave file after every change. A clean save, or choosing "Discard" when closing, removes it. If
the app is killed, reopening the project finds the autosave and restores it: comments gathered in a
meeting are never lost.

Autosave files live in ``$MAQUETTE_AUTOSAVE_DIR``, else the user's data folder
(``$XDG_DATA_HOME/maquette/autosave`` or ``~/.local/share/maquette/autosave``; ``%LOCALAPPDATA%``
on Windows), one per project path, so a read-only sample city can be annotated too. When that
name is too long for the disk (a very long project name), the autosave goes under a name made of a
hash of the project's path alone (:func:`short_autosave_path`).
"""

from __future__ import annotations

import errno
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
        key = _key(project_path)
        stem = Path(project_path).name.removesuffix(SUFFIX).removesuffix(".json")
    return autosave_folder() / f"{stem}-{key}{SUFFIX}"


def short_autosave_path(project_path: Path | None) -> Path:
    """The autosave's name when the usual one is too long for the disk (a long project name, a
    file system with short names): a hash of the project's path only."""
    return autosave_folder() / f"autosave-{_key(project_path) if project_path else 'untitled'}{SUFFIX}"


def _key(project_path: Path) -> str:
    return hashlib.sha1(str(Path(project_path).absolute()).encode("utf-8", "surrogateescape")).hexdigest()[
        :10
    ]


def write_autosave(data: dict[str, Any], project_path: Path | None) -> Path:
    """Atomically write ``data`` (a project document) as the autosave of ``project_path``; under
    :func:`short_autosave_path` when the usual name is too long. Returns the file written;
    :class:`layers.core.errors.OutputError` naming the cause when it cannot be written."""
    document = dict(data)
    document[META_KEY] = {
        "of": str(Path(project_path).absolute()) if project_path else None,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    text = json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    path = autosave_path(project_path)
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG:
            raise
        path = short_autosave_path(project_path)
        atomic_write_text(path, text)
    return path


def read_autosave(project_path: Path | None) -> dict[str, Any] | None:
    """The autosaved document of ``project_path``, or ``None`` (absent or unreadable); the newer
    of the usual name and the short one."""
    found: list[tuple[str, dict[str, Any]]] = []
    for path in (autosave_path(project_path), short_autosave_path(project_path)):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("version"), int):
            meta = data.get(META_KEY)
            found.append((str(meta.get("at") or "") if isinstance(meta, dict) else "", data))
    return max(found, key=lambda item: item[0])[1] if found else None


def clear_autosave(project_path: Path | None) -> None:
    for path in (autosave_path(project_path), short_autosave_path(project_path)):
        try:
            path.unlink()
        except OSError:
            pass


def strip_meta(data: dict[str, Any]) -> dict[str, Any]:
    """The document without the autosave bookkeeping."""
    return {k: v for k, v in data.items() if k != META_KEY}
