"""Writing files so that a crash, a kill, a full disk or any failure leaves either the previous file
whole or the new one whole, never a truncated one, and says why in words when it fails.

Every file Maquette writes goes through here: images, videos, GeoTIFFs, vector data, 3D models,
CSV, the project and its autosave.

How: the writer writes a temporary file beside the target (same folder, hence the same file
system, where a rename is atomic), named ``.<stem>.<pid>-<token>.tmp<suffix>`` (hidden; the suffix
kept, for libraries that choose a format by it). Once the writer is done the file is flushed to
the disk (``fsync``) and renamed over the target, and the folder is synced. A failure removes the
temporary file and leaves the previous file as it was; the error (:class:`OutputError`) names the
cause in words: ``out.tif: cannot write: the disk is full (the previous file is kept)``.

What is guaranteed:

* **One file** (:func:`replacing`, :func:`atomic_write_text`, :func:`atomic_write_bytes`): after a
  crash, a ``kill -9``, a full disk or any error, the final name holds the previous file whole, or
  the new one whole, or nothing when there was none. A target that is a folder, a device, a pipe
  or a socket, or a read-only file, is refused before anything is written. A symbolic link is
  followed (the file it points to is replaced, as writing through the link would).
* **Files written together** (:class:`Replacement`: a Shapefile and its ``.shx``/``.dbf``/``.prj``/
  ``.cpg``, an OBJ with its MTL and textures, the sunlight study's before / after / difference):
  every file is written under a temporary name first and renamed only once all of them are
  complete and flushed, the first file added (the main one) last. A failure while writing leaves
  every previous file. Only a kill during the renames themselves (microseconds) can leave some
  companions new beside an old main file; a new main file always has its new companions.
* Files a writer adds beside its temporary file (a GeoTIFF's ``.aux.xml``, a Shapefile's parts)
  follow it; SQLite's ``-journal`` / ``-wal`` / ``-shm`` are removed.
* Temporary files left by a process killed midway (its process gone) are removed by the next write
  of the same target.
* Libraries that print to the standard error while they write (libtiff, GDAL) are quietened with
  ``quiet=True``: what they print is kept to explain a failure, never shown as extra lines.

The cause of a failure (:mod:`layers.io.write_failures`): the system's error code when the library
passes it on (``OSError.errno``); else the system's words for it in the library's message or in
what it printed; else a small test write in the same folder, which meets the same full disk or
limit. A write a library met but did not report (a short write taken for a whole one, an error only
printed) is caught before the file is put in place.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import stat
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import NoReturn

from layers.core.errors import Cancelled, OutputError
from layers.io import write_failures
from layers.io.write_failures import CAUSES, LibraryOutput

KEPT = "the previous file is kept"
NOTHING = "nothing was written"
#: what a writer may leave beside its file and must not survive it (SQLite's journals)
JUNK = ("-journal", "-wal", "-shm")
#: the longest target name (bytes) whose stem names its temporary files (longer: a hash of it)
NAMED_TEMP_MAX = 160
_TEMP = re.compile(r"\.(\d+)-[0-9a-f]{8}\.tmp")
_ACTIVE: set[str] = set()  # temporary files being written now, in this process
_ACTIVE_LOCK = threading.Lock()


def _temp_prefix(target: Path) -> str:
    """The start of the names of ``target``'s temporary files: ``.<stem>`` (a hash for long names)."""
    name = target.name
    if len(name.encode("utf-8", "surrogateescape")) > NAMED_TEMP_MAX:
        return "." + hashlib.sha1(name.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return "." + (target.stem or name)


def _suffix(target: Path) -> str:
    suffix = target.suffix
    return suffix if 1 < len(suffix) <= 16 and suffix.isascii() else ""


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` (another one: this process answers ``False``) still runs, so that a
    temporary file it left is still its own; assumed so where that cannot be asked (Windows)."""
    if pid == os.getpid():
        return False  # this process's own: live ones are in _ACTIVE
    if sys.platform == "win32":
        return True  # no harmless "is it alive" signal there: left to the age test
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _sweep(folder: Path, prefix: str, name: str) -> None:
    """Remove the temporary files of a target left by writes killed midway (process gone)."""
    legacy = re.compile(re.escape(f".{name}.") + r"[A-Za-z0-9_]{8}\.tmp$")  # before this scheme
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    now = time.time()
    with _ACTIVE_LOCK:
        active = [Path(a).name for a in _ACTIVE if Path(a).parent == folder]
    for entry in entries:
        candidate = entry.name
        if candidate.startswith(prefix + "."):
            found = _TEMP.match(candidate, len(prefix))
            if found is None:
                continue
            key = candidate[: found.end()]
            if any(name.startswith(key) for name in active):
                continue  # being written now, by this process
            if process_alive(int(found.group(1))):
                try:
                    if now - entry.stat().st_mtime < 24 * 3600:
                        continue  # another process may still be writing it
                except OSError:
                    continue
        elif not legacy.match(candidate):
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            pass


def _fsync_file(path: Path) -> None:
    flags = os.O_RDWR if sys.platform == "win32" else os.O_RDONLY
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the renames are done
    finally:
        os.close(fd)


# -- files replaced together ----------------------------------------------------------------------------
@dataclass
class _Entry:
    shown: Path  # as the user named it (messages)
    target: Path  # links resolved (what is replaced)
    temp: Path
    existed: bool
    mode: int | None
    stale: tuple[str, ...]
    nested: bool = False  # the target is the temporary file of an outer replacement


@dataclass
class Replacement:
    """Files replaced together, whole or not at all (see the module's guarantees).

    ``add`` each target (it returns the temporary path to write), write them, then ``commit``; on
    any failure call :meth:`fail` (or use it as a context manager, which does both).

    Parameters
    ----------
    quiet
        Capture what libraries print on the standard error while the files are written (used as a
        context manager): kept to explain a failure, never shown.
    """

    quiet: bool = False
    entries: list[_Entry] = field(default_factory=list)
    committed: bool = False
    printed: str = ""
    _capture: int | None = None

    def add(self, path: str | os.PathLike[str], *, stale: Sequence[str] = ()) -> Path:
        """Check that ``path`` can be replaced and return the temporary path to write instead.

        ``stale``: endings (after the stem: ``.cpg``, ``.qix``, ``.tif.aux.xml``) of files that
        belong to the target and must go if the new file does not come with them.
        """
        shown = Path(path)
        with _ACTIVE_LOCK:
            nested = str(shown) in _ACTIVE
        if nested:  # written inside an outer replacement: that one renames it
            entry = _Entry(shown, shown, shown, False, None, tuple(stale), nested=True)
            self.entries.append(entry)
            return shown
        target = Path(os.path.realpath(shown))
        existed, mode = self._check(shown, target)
        folder = target.parent
        temp = folder / f"{_temp_prefix(target)}.{os.getpid()}-{secrets.token_hex(4)}.tmp{_suffix(target)}"
        try:  # reserve the name: meets a missing folder, no permission, a read-only disk at once
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            os.close(fd)
            os.unlink(temp)  # writers create it themselves (GDAL will not write into an empty file)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM):
                raise OutputError(
                    shown,
                    "cannot write: no permission to write in its folder",
                    hint=KEPT if existed else NOTHING,
                    code=exc.errno,
                ) from exc
            raise self._error(shown, exc.errno or 0, existed) from exc
        with _ACTIVE_LOCK:
            _ACTIVE.add(str(temp))
        self.entries.append(_Entry(shown, target, temp, existed, mode, tuple(stale)))
        return temp

    @staticmethod
    def _error(shown: Path, code: int, existed: bool) -> OutputError:
        return OutputError(
            shown,
            f"cannot write: {write_failures.cause_of(code)}",
            hint=KEPT if existed else NOTHING,
            code=code or None,
        )

    @staticmethod
    def _check(shown: Path, target: Path) -> tuple[bool, int | None]:
        """(whether the target exists, its permissions); :class:`OutputError` for a target that
        cannot or must not be replaced."""
        try:
            info = os.stat(target)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise Replacement._error(shown, exc.errno or 0, False) from exc
        if info is not None:
            if stat.S_ISDIR(info.st_mode):
                raise OutputError(shown, "cannot write: it is a folder", hint=NOTHING, code=errno.EISDIR)
            if not stat.S_ISREG(info.st_mode):
                raise OutputError(
                    shown, "cannot write: it is a device, a pipe or a socket, not a file", hint=NOTHING
                )
            if not os.access(target, os.W_OK):
                raise OutputError(shown, "cannot write: the file is read-only", hint=KEPT, code=errno.EACCES)
            return True, stat.S_IMODE(info.st_mode)
        folder = target.parent
        if not folder.is_dir():
            code = errno.ENOTDIR if folder.exists() else errno.ENOENT
            raise Replacement._error(shown, code, False)
        return False, None

    def _companions(self, entry: _Entry) -> list[tuple[Path, str]]:
        """Files the writer made beside ``entry``'s temporary file: (path, ending after the stem)."""
        stem = entry.temp.name[: len(entry.temp.name) - len(_suffix(entry.target))]
        found = []
        try:
            names = os.listdir(entry.temp.parent)
        except OSError:
            return []
        for name in names:
            if name.startswith(stem) and name != entry.temp.name and name[len(stem) :][:1] in (".", "-"):
                found.append((entry.temp.parent / name, name[len(stem) :]))
        return found

    def commit(self) -> None:
        """Flush every temporary file to the disk, then rename them over their targets (the first
        added last). :class:`OutputError` (every temporary file removed) if that fails."""
        own = [e for e in self.entries if not e.nested]
        try:
            renames: list[list[tuple[Path, Path]]] = []
            for entry in own:
                if not entry.temp.exists():
                    raise RuntimeError(f"the writer of {entry.shown} made no file")
                moves = []
                for companion, ending in self._companions(entry):
                    if ending.endswith(JUNK):
                        companion.unlink(missing_ok=True)
                        continue
                    target_stem = entry.target.name[: len(entry.target.name) - len(_suffix(entry.target))]
                    moves.append((companion, entry.target.parent / (target_stem + ending)))
                moves.append((entry.temp, entry.target))
                code = write_failures.cut_short([source for source, _ in moves], self.printed)
                if code is not None:
                    raise OSError(code, os.strerror(code), str(entry.temp))
                for source, _ in moves:
                    _fsync_file(source)
                if entry.mode is not None:
                    os.chmod(entry.temp, entry.mode)
                renames.append(moves)
            for entry, moves in reversed(list(zip(own, renames))):
                for source, destination in moves:
                    os.replace(source, destination)
                written = {destination.name for _, destination in moves}
                target_stem = entry.target.name[: len(entry.target.name) - len(_suffix(entry.target))]
                for ending in entry.stale:
                    old = entry.target.parent / (target_stem + ending)
                    if old.name not in written:
                        old.unlink(missing_ok=True)
        except BaseException as exc:  # noqa: BLE001 - every temporary file removed, then raised again
            self.fail(exc)
        self.committed = True
        self._forget()
        for folder in {e.target.parent for e in own}:
            _fsync_folder(folder)
        for entry in own:
            _sweep(entry.target.parent, _temp_prefix(entry.target), entry.target.name)

    def discard(self) -> None:
        """Remove every temporary file (and what the writers made beside them)."""
        for entry in self.entries:
            if entry.nested:
                continue
            for companion, _ in self._companions(entry):
                try:
                    companion.unlink()
                except OSError:
                    pass
            try:
                entry.temp.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                pass
        self._forget()

    def _forget(self) -> None:
        with _ACTIVE_LOCK:
            for entry in self.entries:
                if not entry.nested:
                    _ACTIVE.discard(str(entry.temp))

    def error(self, exc: BaseException) -> BaseException:
        """The temporary files removed, the :class:`OutputError` that says why ``exc`` happened
        (``exc`` itself when it is not a failure to write: a cancel, a bug)."""
        self.discard()
        if isinstance(exc, OutputError) or not isinstance(exc, Exception) or isinstance(exc, Cancelled):
            return exc
        own = [e for e in self.entries if not e.nested]
        if not own:
            return exc  # an outer replacement explains it
        entry = own[0]
        filename = getattr(exc, "filename", None)
        for candidate in own:
            if filename is not None and str(filename) in (str(candidate.temp), str(candidate.target)):
                entry = candidate
        code = write_failures.code_of(exc) or write_failures.code_in_text(f"{exc}\n{self.printed}")
        if code is None or code not in CAUSES:
            code = write_failures.probe(entry.target.parent) or code
        if code is None:
            return exc
        error = self._error(entry.shown, code, entry.existed)
        error.details = self.printed.strip()
        return error

    def fail(self, exc: BaseException) -> NoReturn:
        """Raise what :meth:`error` makes of ``exc`` (from ``exc``)."""
        error = self.error(exc)
        if error is exc:
            raise exc
        raise error from exc

    def __enter__(self) -> Replacement:
        if self.quiet:
            self._capture = LibraryOutput.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.quiet:
            self.printed, self._capture = LibraryOutput.stop(self._capture), None
        if exc is None:
            self.commit()
            return
        error = self.error(exc)
        if error is not exc:
            raise error from exc


def check_writable(path: str | os.PathLike[str]) -> None:
    """:class:`OutputError` now, before any work, when ``path`` could not be replaced: a folder, a
    device, a read-only file, a missing or read-only folder, a name too long. (A full disk is only
    met while writing.)"""
    replacement = Replacement()
    replacement.add(path)
    replacement.discard()


@contextmanager
def replacing(
    path: str | os.PathLike[str], *, stale: Sequence[str] = (), quiet: bool = False
) -> Iterator[Path]:
    """The temporary path to write instead of ``path``, renamed over it once the block ends without
    an error (removed if it raises). ``stale``: see :meth:`Replacement.add`; ``quiet``: capture
    what libraries print meanwhile (see :class:`Replacement`)."""
    with Replacement(quiet=quiet) as group:
        yield group.add(path, stale=stale)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace ``path`` with ``data`` (see :func:`replacing`); returns the path."""
    with replacing(path) as temp:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    return Path(path)


def atomic_write_text(path: str | os.PathLike[str], text: str, *, make_folder: bool = True) -> Path:
    """Replace ``path`` with ``text`` in UTF-8, ``\\n`` line ends kept as given (see
    :func:`replacing`); its folder made first unless ``make_folder`` is false."""
    path = Path(path)
    if make_folder:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # said in words by replacing(): no permission, a read-only disk...
    with replacing(path) as temp:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    return path
