"""What a file says about itself, read once and cheaply, for the kinds that try to claim it.

:class:`FileProbe` is handed to every kind's sniffer (:mod:`layers.core.kinds`). It reads nothing
until asked, and each thing once: the first bytes, the zip member names, the raster header, the
table's first line, the vector metadata (``pyogrio.read_info``, never the features). Reading a
broken file raises :class:`~layers.core.errors.InputError` naming it.
"""

from __future__ import annotations

import zipfile
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from layers.core.errors import InputError
from layers.io import formats

if TYPE_CHECKING:
    from layers.io.raster_file import RasterHeader

#: geometry types GDAL declares for a layer whose features are of several types (lower case)
MIXED_GEOMETRY_TYPES = frozenset({"unknown", "geometry", "geometrycollection", "geometrycollection z"})


class FileProbe:
    """One file (or folder) being recognised. Properties are read on first use and kept."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = self.path.name.lower()
        self.suffix = self.path.suffix.lower()
        self.stem = self.path.stem

    @cached_property
    def is_dir(self) -> bool:
        return self.path.is_dir()

    @cached_property
    def families(self) -> frozenset[str]:
        """The format families of the suffix (:mod:`layers.io.formats`); empty for a folder."""
        return frozenset() if self.is_dir else formats.families_of(self.suffix)

    def head(self, size: int = 4096) -> str:
        """The first ``size`` bytes as text (UTF-8, undecodable bytes replaced, no BOM)."""
        if size not in self._heads:
            with open(self.path, "rb") as handle:
                self._heads[size] = handle.read(size).decode("utf-8", errors="replace").lstrip("\ufeff")
        return self._heads[size]

    @cached_property
    def _heads(self) -> dict[int, str]:
        return {}

    @cached_property
    def zip_names(self) -> frozenset[str]:
        """Base names of the members of a zip (unsafe paths left out, except plain .txt names)."""
        from layers.core.safety import check_archive, unsafe_member

        try:
            with zipfile.ZipFile(self.path) as archive:
                check_archive(self.path, archive)
                return frozenset(
                    Path(n).name
                    for n in archive.namelist()
                    if not unsafe_member(n) or n.lower().endswith(".txt")
                )
        except zipfile.BadZipFile:
            raise InputError(
                self.path,
                "not a valid zip archive (truncated or corrupted)",
                hint="copy, download or export it again",
            ) from None

    @cached_property
    def raster_header(self) -> RasterHeader:
        """Bands, data types, unit and tags of a raster (:func:`layers.io.raster_file.read_header`)."""
        from layers.io.raster_file import read_header

        return read_header(self.path)

    @cached_property
    def table_columns(self) -> list[str]:
        """Column names of a delimited table's first line (separator guessed from it)."""
        lines = self.head(8192).splitlines()
        first = lines[0] if lines else ""
        sep = max([";", ",", "\t", "|"], key=first.count)
        return [c.strip().strip('"').strip() for c in first.split(sep)]

    @cached_property
    def vector_info(self) -> dict[str, Any]:
        """``target``, ``layer``, ``geometry_type``, ``fields``, ``features`` without reading features
        (:func:`layers.io.vector_file.vector_info`)."""
        from layers.io.vector_file import vector_info

        return vector_info(self.path)

    @property
    def geometry_type(self) -> str:
        """The vector geometry type, lower case (``"polygon"``, ``"multilinestring"``, ``""``)."""
        return str(self.vector_info["geometry_type"]).lower()

    @property
    def may_hold_polygons(self) -> bool:
        """True when the file declares polygons, or geometries of several types (GDAL's
        ``Unknown``: polygons and geometry collections mixed, read as their polygons)."""
        kind = self.geometry_type
        return "polygon" in kind or kind in MIXED_GEOMETRY_TYPES

    @property
    def fields(self) -> list[str]:
        return [str(f) for f in self.vector_info["fields"]]
