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
from functools import cache


@cache
def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (``malloc_trim`` and ``mallopt`` there), else ``None``."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc only: raises AttributeError elsewhere
    except (OSError, AttributeError):
        return None
    return libc


#: glibc's ``mallopt`` parameter for the number of arenas
M_ARENA_MAX = -8
#: arenas the process may use: background reading threads each got one of their own (up to 8 per
#: core), whose freed pages trimming cannot return — "open a file" grew 49 MB in five rounds with
#: the default, nothing with two (bench/gui_soak.md)
ARENAS = 2


def give_back() -> bool:
    """Return freed heap pages of every arena to the system; True when glibc did."""
    libc = _glibc()
    return bool(libc.malloc_trim(0)) if libc is not None else False


def limit_arenas(count: int = ARENAS) -> bool:
    """Let malloc use at most ``count`` arenas (before threads start); True when glibc took it."""
    libc = _glibc()
    return bool(libc.mallopt(M_ARENA_MAX, count)) if libc is not None else False
