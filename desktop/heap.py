"""Give the memory the application freed back to the system (glibc's ``malloc_trim``).

glibc keeps freed heap pages for later: the pages a closed scene, a finished export or a background
reading thread (each thread allocates in its own arena) let go stay in the process, and its
resident set only grows over an evening of use, although nothing is held any more. Trimming after
a full garbage collection (:mod:`desktop.gc_guard`) hands them back. A no-op where the C library is
not glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable

_trim: Callable[[int], int] | None = None
_looked = False
#: glibc's ``mallopt`` parameter for the number of arenas
M_ARENA_MAX = -8
#: arenas the process may use: background reading threads each got one of their own (up to 8 per
#: core), whose freed pages trimming cannot return — "open a file" grew 49 MB in five rounds with
#: the default, nothing with two (bench/gui_soak.md)
ARENAS = 2


def _malloc_trim() -> Callable[[int], int] | None:
    global _trim, _looked
    if not _looked:
        _looked = True
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _trim = libc.malloc_trim
        except (OSError, AttributeError):  # not glibc
            _trim = None
    return _trim


def give_back() -> bool:
    """Return freed heap pages of every arena to the system; True when glibc did."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False


def limit_arenas(count: int = ARENAS) -> bool:
    """Let malloc use at most ``count`` arenas (before threads start); True when glibc took it."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_ARENA_MAX, count))
    except (OSError, AttributeError):  # not glibc
        return False
