"""Read the delimited tables cities publish, whatever their dialect.

French open data comes as ``;``-separated files with decimal commas, a UTF-8 byte order mark or
Latin-1 text, CRLF line ends and an unnamed index column written by pandas. :func:`read_table`
guesses all of that from the bytes and returns a plain :class:`pandas.DataFrame` with clean column
names and numbers as numbers. Bad files raise :class:`~layers.core.errors.InputError`.

Columns are found by name in :mod:`layers.io.table_columns` and time texts read in
:mod:`layers.io.table_times`; their functions are importable from here too.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.core.errors import InputError
from layers.io.table_columns import (
    ID_NAMES,
    ID_WORDS,
    LATLON_TEXT_NAMES,
    NAME_NAMES,
    TIME_NAMES,
    TIME_WORDS,
    XY_PAIRS,
    columns_by_name,
    find_column,
    find_xy_columns,
    named_column,
    normalise_name,
    split_latlon_text,
    table_coordinates,
)
from layers.io.table_times import times_to_ns

#: what this module offers (finding columns and reading times live in their own modules)
__all__ = [
    "ID_NAMES",
    "ID_WORDS",
    "LATLON_TEXT_NAMES",
    "NAME_NAMES",
    "SEPARATORS",
    "SNIFF_BYTES",
    "TABLE_SUFFIXES",
    "TIME_NAMES",
    "TIME_WORDS",
    "XY_PAIRS",
    "clean_columns",
    "columns_by_name",
    "convert_decimal_commas",
    "find_column",
    "find_xy_columns",
    "guess_encoding",
    "guess_separator",
    "named_column",
    "normalise_name",
    "read_table",
    "split_latlon_text",
    "table_coordinates",
    "times_to_ns",
]

#: suffixes of files read as tables (anything else is read as a vector file)
TABLE_SUFFIXES = {".csv", ".tsv", ".txt"}
#: separators tried, in order of preference when counts tie
SEPARATORS = (";", ",", "\t", "|")
#: bytes read to guess the encoding and the separator
SNIFF_BYTES = 256 * 1024

_DECIMAL_COMMA = re.compile(r"^\s*[-+]?((\d+|\d{1,3}([ .\u00a0\u202f]\d{3})+)(,\d+)?|,\d+)\s*$")
_UNNAMED = re.compile(r"^Unnamed: \d+$")


def read_table(
    path: str | Path,
    *,
    sep: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
    **kw: Any,
) -> pd.DataFrame:
    """Read a CSV / TSV table, guessing its separator, encoding and decimal mark.

    Parameters
    ----------
    path
        The file (``.csv``, ``.tsv``, ``.txt``).
    sep
        Field separator; guessed among ``; , tab |`` from the header and first lines when ``None``.
    encoding
        Text encoding; UTF-8 (a byte order mark is dropped) when the bytes are valid UTF-8, else
        Windows-1252 / Latin-1.
    decimal
        ``"."`` or ``","``. When ``None``, text columns whose every value is a number written with a
        decimal comma (``12,5``, ``-0,25``, ``1 234,5``) are converted to floats; never when the
        separator is a comma.
    **kw
        Passed to :func:`pandas.read_csv` (``usecols``, ``nrows``, ``dtype``...).

    Returns
    -------
    pandas.DataFrame
        Column names stripped of spaces, quotes and byte order marks; an unnamed leading index
        column (``0, 1, 2...``) dropped.

    Raises
    ------
    InputError
        When the file is missing, empty or not a readable table.
    """
    from layers.core.safety import check_not_special

    path = Path(path)
    check_not_special(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip():
        raise InputError(path, "the file is empty", hint="copy, download or export it again")
    if encoding is None:
        encoding = guess_encoding(head)
    text = head.decode(encoding, errors="replace")
    if sep is None:
        sep = guess_separator(text)
    options: dict[str, Any] = {"sep": sep, "encoding": encoding, "skipinitialspace": True}
    if decimal == ",":
        options["decimal"] = ","
    options.update(kw)
    try:
        frame = pd.read_csv(path, **options)
    except UnicodeDecodeError:
        # the first bytes were UTF-8 but a later line is not: the file is Latin-1 after all
        options["encoding"] = "cp1252"
        frame = _read(path, options, fallback="latin-1")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(
            path,
            f"cannot be read as a table: {_first_line(exc)}",
            hint=f"separator {sep!r}, encoding {encoding}",
        ) from None
    frame = clean_columns(frame)
    if decimal is None and sep != ",":
        frame = convert_decimal_commas(frame)
    return frame


def _read(path: Path, options: dict[str, Any], *, fallback: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, **options)
    except UnicodeDecodeError:
        options["encoding"] = fallback
        return pd.read_csv(path, **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(path, f"cannot be read as a table: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def guess_encoding(head: bytes) -> str:
    """``utf-8-sig`` when ``head`` is UTF-8 (a multi-byte character cut at the end is allowed),
    ``cp1252`` when it is not but decodes as Windows-1252, else ``latin-1``."""
    try:
        head.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8-sig"
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def guess_separator(text: str) -> str:
    """The separator of a table from its first lines: the candidate that splits the header into
    the most fields and splits the next lines into the same number (quoted text is ignored)."""
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()][:20]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sniffed block may cut the last line
    if not lines:
        return ","
    best, best_score = ",", (0, 0)
    limit = csv.field_size_limit(2**31 - 1)  # an Opendatasoft geo_shape may hold more than 128 KiB
    try:
        for candidate in SEPARATORS:
            counts = [len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=candidate)]
            if not counts or counts[0] < 2:
                continue
            consistent = sum(c == counts[0] for c in counts)
            score = (consistent, counts[0])
            if score > best_score:
                best, best_score = candidate, score
    finally:
        csv.field_size_limit(limit)
    return best


def clean_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip spaces, quotes and byte order marks from column names; drop a pandas index column."""
    names = [str(c).replace("\ufeff", "").strip().strip('"').strip("'").strip() for c in frame.columns]
    frame.columns = names
    if len(frame.columns) and _UNNAMED.match(frame.columns[0]):
        first = frame.iloc[:, 0]
        if pd.api.types.is_integer_dtype(first) and np.array_equal(first.to_numpy(), np.arange(len(frame))):
            frame = frame.iloc[:, 1:]
    return frame


def convert_decimal_commas(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn text columns of numbers written with a decimal comma (``12,5``) into floats.

    A column is converted only when every non-empty value reads as such a number, so ids or
    labels holding commas stay text. Thin spaces, non-breaking spaces and dots as thousands
    separators (``1 234,5``, ``1.234,5``) are understood.
    """
    for column in frame.columns:
        series = frame[column]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        values = series.dropna().astype(str).str.strip()
        values = values[values != ""]
        if values.empty or not values.str.contains(",", regex=False).any():
            continue
        if not values.str.match(_DECIMAL_COMMA).all():
            continue
        cleaned = (
            series.astype("string").str.strip().str.replace(r"[ .\u00a0\u202f](?=\d{3})", "", regex=True)
        )
        frame[column] = pd.to_numeric(cleaned.str.replace(",", ".", regex=False), errors="coerce").astype(
            float
        )
    return frame
