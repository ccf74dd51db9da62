"""No command writes over one of its inputs: the check the command line and the window's exports share.

An output is refused when any file it would write (a Shapefile's parts, an OBJ's material file)
is the same file as any file read (a layer's source and its parts, the project file, a sensors
locations file, a planned project): same path once links are resolved, or the same file on disk
(``os.path.samefile``, which also sees hard links and case-insensitive disks). A GeoPackage is one
file: writing any layer into one that is read is refused too (the writers replace the whole file).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from layers.core.errors import OutputError

#: the parts of a Shapefile, read and written together
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def files_written(output: str | os.PathLike[str]) -> list[Path]:
    """The files writing ``output`` makes: a Shapefile's parts, an OBJ's ``.mtl``, else itself."""
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix == ".shp":
        return [path.with_suffix(part) for part in SHAPEFILE_PARTS]
    if suffix == ".obj":
        return [path, path.with_suffix(".mtl")]
    return [path]


def files_read(source: str | os.PathLike[str]) -> list[Path]:
    """The files reading ``source`` opens: a Shapefile's parts, else itself."""
    path = Path(source)
    if path.suffix.lower() == ".shp":
        return [path.with_suffix(part) for part in SHAPEFILE_PARTS]
    return [path]


def same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` are one file (links resolved; the same file on disk)."""
    try:
        if os.path.samefile(a, b):
            return True
    except OSError:
        pass  # one of them does not exist (yet)
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def check_not_inputs(
    outputs: Iterable[str | os.PathLike[str]], inputs: Iterable[str | os.PathLike[str] | None]
) -> None:
    """:class:`OutputError` naming the first output that is also an input (nothing is written)."""
    read = [part for source in inputs if source is not None for part in files_read(source)]
    for output in outputs:
        for written in files_written(output):
            for source in read:
                if not same_file(written, source):
                    continue
                if Path(output) == source:
                    what = "is also an input"
                else:
                    what = f"is the same file as the input {source}"
                raise OutputError(
                    output,
                    f"{what}: writing it would destroy that input",
                    hint="choose another output file; nothing was written",
                )
