"""How much text may be drawn into a picture: titles, credits, captions and legend titles are cut
to a budget before VTK rasterises them.

VTK draws a text actor into a texture as large as the text: a 1 MB title asked for 2.6 GB, a
100 MB one ended in ``std::bad_alloc``. A picture holds a title of a line, a caption of a few
lines; anything longer is cut with "…" (never refused: a long project title still renders). The
command line refuses flags past the budget instead (:func:`check_flag_text`), since there the
user can shorten what they typed.
"""

from __future__ import annotations

from layers.core.errors import InputError

#: characters of one drawn line at most (a title, the credits line, a caption's title)
MAX_LINE_CHARS = 200
#: characters of a drawn block at most (a story caption's text), and its lines
MAX_BLOCK_CHARS = 1_500
MAX_BLOCK_LINES = 15
ELLIPSIS = "…"


def fit_line(text: str | None, limit: int = MAX_LINE_CHARS) -> str:
    """``text`` on one line (line breaks become spaces), cut to ``limit`` characters with "…"."""
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + ELLIPSIS


def fit_block(text: str | None, limit: int = MAX_BLOCK_CHARS, max_lines: int = MAX_BLOCK_LINES) -> str:
    """``text`` cut to ``max_lines`` lines of ``limit`` characters in all, with "…" where cut."""
    text = (text or "")[: limit + 1]
    lines = text.splitlines()
    cut = len(text) > limit or len(lines) > max_lines
    block = "\n".join(lines[:max_lines])
    return block[: limit - 1].rstrip() + ELLIPSIS if cut else block


def check_flag_text(flag: str, text: str | None, limit: int = MAX_LINE_CHARS) -> str | None:
    """``text`` given to ``flag`` on the command line, refused past ``limit`` characters."""
    if text is not None and len(text) > limit:
        raise InputError(
            None,
            f"{flag}: {len(text):,} characters; a picture's {flag.lstrip('-')} holds at most {limit}",
            hint="shorten it",
        )
    return text
