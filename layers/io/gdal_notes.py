"""GDAL's warnings while a raster is read (libtiff's among them), in the user's words.

rasterio hands GDAL's warnings to Python's ``logging`` (logger ``rasterio``), where nothing shows
them: a GeoTIFF whose georeferencing tags cannot be read opens without its CRS and without a word.
:func:`gdal_warnings` collects them around a read; :func:`raster_notes` turns them into one note
for the layer's warnings (a damaged file says so), never into lines on stderr.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: ``CPLE_AppDefined in lden.tif: `` before GDAL's own words
_PREFIX = re.compile(r"^CPLE_\w+ in [^:]*: ")
_TAG_NOT_READ = re.compile(r'error during reading of "([^"]+)"; tag ignored')
#: the GeoTIFF tags that hold a file's CRS
GEOREFERENCING_TAGS = ("GeoKeyDirectory", "GeoASCIIParams", "GeoDoubleParams")
#: what GDAL says about a file that a user can do nothing about and that changes nothing read
MEANINGLESS = (
    "TIFFReadDirectory: Sum of Photometric type-related color channels",
    "Unknown field with tag",
)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def gdal_warnings() -> Iterator[list[str]]:
    """The warnings GDAL gives through rasterio while the block runs (each once, in order, as
    GDAL words them: ``CPLE_AppDefined in lden.tif: …``)."""
    handler = _Collect()
    logger = logging.getLogger("rasterio")
    logger.addHandler(handler)
    seen: list[str] = []
    try:
        yield seen
    finally:
        logger.removeHandler(handler)
        for message in handler.messages:
            text = " ".join(message.split())
            if text not in seen:
                seen.append(text)


def georeferencing_lost(messages: list[str]) -> bool:
    """True when GDAL could not read a GeoTIFF's georeferencing tags (its CRS is then missing)."""
    return any(match.group(1) in GEOREFERENCING_TAGS for m in messages if (match := _TAG_NOT_READ.search(m)))


def raster_notes(path: Path, messages: list[str]) -> list[str]:
    """One note for what GDAL warned about while reading ``path``: the tags it could not read
    (a damaged file), else its first other warning about the file; nothing for its words about
    itself (a driver it skips) nor for :data:`MEANINGLESS` ones."""
    tags: list[str] = []
    for message in messages:
        match = _TAG_NOT_READ.search(message)
        if match and match.group(1) not in tags:
            tags.append(match.group(1))
    if tags:
        return [
            f"{path.name}: some of its tags could not be read ({', '.join(tags)}): the file is "
            "damaged, what they held (georeferencing, nodata...) is missing; copy or export it again"
        ]
    about_the_file = [  # GDAL's words about its set-up (a driver skipped...) are not the file's
        _PREFIX.sub("", m)
        for m in messages
        if f" in {path.name}: " in m and not any(word in m for word in MEANINGLESS)
    ]
    return [f"{path.name}: read with a warning from GDAL: {about_the_file[0]}"] if about_the_file else []
