"""Why a file could not be written, in words, when the library that wrote it does not say.

* :func:`cause_of`: a system error code in words (``the disk is full``);
* :func:`code_of`: the code of an exception, or of those it was raised from; :func:`code_in_text`:
  the code whose system words appear in a library's message (``No space left on device``);
* :func:`cut_short`: a write a library met but did not report (Pillow and GDAL's drivers can take a
  short write for a whole one; libtiff prints its error and goes on);
* :func:`probe`: a small test write in the same folder, which meets the same full disk or limit;
* :class:`LibraryOutput`: what libraries print on the standard error while they write, kept to
  explain a failure and never shown.

Used by :mod:`layers.io.atomic`, through which every output is written.
"""

from __future__ import annotations

import errno
import os
import secrets
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

#: the system's error codes a write meets, in words (the rest: the system's own words)
CAUSES: dict[int, str] = {
    errno.ENOSPC: "the disk is full",
    errno.EFBIG: "the file is larger than this disk or this session's size limit allows",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the disk is read-only",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the folder's path is not a folder",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EISDIR: "it is a folder",
    errno.EIO: "input/output error (the disk may be failing, or was removed)",
}
if hasattr(errno, "EDQUOT"):
    CAUSES[errno.EDQUOT] = "the disk quota is used up"

#: what a write meets when the file cannot be whole (a library may print it and go on)
WRITE_FAILURES = {errno.ENOSPC, errno.EFBIG, errno.EIO, errno.EROFS} | (
    {errno.EDQUOT} if hasattr(errno, "EDQUOT") else set()
)
#: bytes written by the test write that looks for the cause of a failure
PROBE_BYTES = 1 << 20


def cause_of(code: int) -> str:
    """The system error ``code`` in words."""
    return CAUSES.get(code) or os.strerror(code).lower()


def code_in_text(text: str) -> int | None:
    """The error code whose system words (``No space left on device``...) appear in ``text``."""
    lowered = text.lower()
    for code in CAUSES:
        if os.strerror(code).lower() in lowered:
            return code
    return None


def code_of(exc: BaseException) -> int | None:
    """The system error code of ``exc`` or of the exceptions it was raised from."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        code = current.errno if isinstance(current, OSError) else None
        if isinstance(code, int) and code > 0:
            return code
        current = current.__cause__ or current.__context__
    return None


def size_limit() -> int | None:
    """This process's file size limit in bytes (``ulimit -f``), ``None`` without one."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return None if soft == resource.RLIM_INFINITY or soft <= 0 else int(soft)


def free_bytes(folder: Path) -> int | None:
    """Bytes this process may still write on ``folder``'s disk (root may use the reserved part)."""
    if not hasattr(os, "statvfs"):
        return None
    try:
        info = os.statvfs(folder)
    except OSError:
        return None
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    return (info.f_bfree if root else info.f_bavail) * info.f_frsize


def cut_short(files: Sequence[Path], printed: str) -> int | None:
    """The error code of a write a library met but did not report (``None``: the files look whole).

    Libraries do not all check what the system wrote: Pillow and GDAL's drivers can take a short
    write for a whole one, libtiff prints its error and goes on. So, before a file is put in place:
    what they printed names no write error; no file reached this process's size limit; and the
    disk is not full (less than :data:`PROBE_BYTES` left: a test write decides).
    """
    code = code_in_text(printed)
    if code in WRITE_FAILURES:
        return code
    limit = size_limit()
    if limit is not None:
        for path in files:
            try:
                if os.stat(path).st_size >= limit:
                    return errno.EFBIG
            except OSError:
                continue
    folder = files[0].parent
    free = free_bytes(folder)
    if free is not None and free < PROBE_BYTES:
        return probe(folder)
    return None


def probe(folder: Path) -> int | None:
    """Write a little in ``folder`` and return the error code that meets (``None``: it worked)."""
    probe = folder / f".maquette-probe.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        return exc.errno
    try:
        block = b"\0" * 65536
        for _ in range(PROBE_BYTES // len(block)):
            os.write(fd, block)
        os.fsync(fd)
    except OSError as exc:
        return exc.errno
    finally:
        os.close(fd)
        try:
            os.unlink(probe)
        except OSError:
            pass
    return None


# -- what libraries print while they write ------------------------------------------------------------
class LibraryOutput:
    """The process's standard error (file descriptor 2) sent to a temporary file while libraries
    write (libtiff prints its errors there itself); shared by overlapping writes."""

    lock = threading.Lock()
    depth = 0
    saved: int | None = None
    sink: int | None = None

    @classmethod
    def start(cls) -> int | None:
        """Start capturing; the offset to read from at :meth:`stop` (``None``: not capturing)."""
        if not hasattr(os, "pread"):
            return None  # Windows: GDAL's messages there go to the debugger, not a console
        with cls.lock:
            if cls.depth == 0:
                try:
                    sys.stderr.flush()
                except (AttributeError, OSError, ValueError):
                    pass
                try:
                    saved = os.dup(2)
                except OSError:
                    return None  # no standard error (a GUI started without one): nothing to quieten
                try:
                    sink, name = tempfile.mkstemp(prefix="maquette-stderr-")
                    os.unlink(name)
                except OSError:  # no room for it either: the messages go where they went
                    os.close(saved)
                    return None
                os.dup2(sink, 2)
                cls.saved, cls.sink = saved, sink
            cls.depth += 1
            assert cls.sink is not None
            return os.lseek(cls.sink, 0, os.SEEK_END)

    @classmethod
    def stop(cls, offset: int | None) -> str:
        """What was printed since ``offset``; the standard error restored after the last one."""
        if offset is None:
            return ""
        with cls.lock:
            try:
                sys.stderr.flush()
            except (AttributeError, OSError, ValueError):
                pass
            assert cls.sink is not None
            end = os.lseek(cls.sink, 0, os.SEEK_END)
            data = os.pread(cls.sink, max(0, min(end - offset, 65536)), offset) if end > offset else b""
            cls.depth -= 1
            if cls.depth == 0:
                assert cls.saved is not None
                os.dup2(cls.saved, 2)
                os.close(cls.saved)
                os.close(cls.sink)
                cls.saved = cls.sink = None
        return data.decode("utf-8", "replace")
