"""Writing a file so that a crash, a full disk or a kill leaves either the old file or the new one,
never a truncated one: a temporary file beside the target, flushed and fsynced, then renamed over it
(and the folder fsynced, where the system has folders to sync)."""

from __future__ import annotations

import os
import tempfile
from glob import escape as glob_escape
from pathlib import Path


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    for stale in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):  # left by a save killed midway
        try:
            stale.unlink()
        except OSError:
            pass
