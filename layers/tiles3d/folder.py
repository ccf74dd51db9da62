"""A folder written whole or not at all: built under a hidden temporary name beside the target, then
renamed over it (the previous folder moved aside first and removed once the new one is in place).

Files are written with :func:`write_synced` (flushed to the disk before the rename). A failure
while writing removes the temporary folder and leaves the previous output untouched; only
a kill between the two renames (microseconds) can leave the previous folder under its hidden name
beside no target. A target that is a file, or a non-empty folder that is not a previous output
(no ``marker`` file in it), is refused before anything is written.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from layers.core.errors import OutputError
from layers.io import write_failures


def write_synced(path: Path, data: bytes) -> None:
    """Write ``data`` to the new file ``path`` and flush it to the disk (so the folder is never put
    in place with files the system has not written yet)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_unsynced(path: Path, data: bytes) -> None:
    """Write ``data`` to the new file ``path``, left to the system to flush: for outputs of many
    small files, flushed together by :func:`sync_files` before the folder is put in place."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def sync_files(folder: Path) -> None:
    """Flush every file written under ``folder`` to the disk (one ``sync`` where the system has
    it, else each file)."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb+") as handle:
                os.fsync(handle.fileno())


def check_folder_target(path: Path, marker: str) -> None:
    """:class:`OutputError` when ``path`` must not be replaced by a new output folder."""
    if path.exists() or path.is_symlink():
        if not path.is_dir():
            raise OutputError(path, "cannot write: it is a file, not a folder", hint="nothing was written")
        if any(path.iterdir()) and not (path / marker).is_file():
            raise OutputError(
                path,
                f"cannot write: the folder is not empty and holds no {marker}",
                hint="nothing was written; choose an empty or a new folder",
            )
    parent = path.absolute().parent
    if not parent.is_dir():
        raise OutputError(
            path, f"cannot write: {write_failures.cause_of(errno.ENOENT)}", hint="nothing was written"
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(
            path, "cannot write: no permission to write in its folder", hint="nothing was written"
        )


@contextmanager
def replacing_folder(path: str | os.PathLike[str], marker: str) -> Iterator[Path]:
    """The temporary folder to fill instead of ``path``, put in its place once the block ends
    without an error (removed if it raises)."""
    target = Path(path)
    check_folder_target(target, marker)
    parent = target.absolute().parent
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    temp = parent / f".{target.name}.{token}.tmp"
    try:
        temp.mkdir()
    except OSError as exc:
        raise OutputError(
            target, f"cannot write: {write_failures.cause_of(exc.errno or 0)}", hint="nothing was written"
        ) from exc
    try:
        yield temp
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    old = parent / f".{target.name}.{token}.old"
    try:
        if target.exists():
            os.replace(target, old)
        os.replace(temp, target)
    except OSError as exc:
        if old.exists() and not target.exists():
            os.replace(old, target)
        shutil.rmtree(temp, ignore_errors=True)
        raise OutputError(
            target,
            f"cannot write: {write_failures.cause_of(exc.errno or 0)}",
            hint="the previous folder is kept",
        ) from exc
    shutil.rmtree(old, ignore_errors=True)
