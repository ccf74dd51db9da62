"""Offline and local: no network connection, no remote source, no archive member outside its place.

Maquette never opens a network connection (DESIGN.md). Python code here has no reason to, but the
libraries underneath could: GDAL reads ``/vsicurl/``, ``http://`` and ``WMS:`` sources (also when a
local ``.vrt`` or a WMS description file points at them), PROJ can download grids. So:

* :func:`offline_environment` (run when :mod:`layers` is imported, before GDAL registers its
  drivers) sets the configuration that keeps GDAL and PROJ off the network: the network-only
  drivers are skipped (``GDAL_SKIP``), ``/vsicurl/`` and the cloud file systems refuse every file
  (``CPL_VSIL_CURL_ALLOWED_EXTENSIONS``), GML schemas are not downloaded, ``PROJ_NETWORK=OFF``.
* :func:`check_local` refuses a user's path that is a web address, a GDAL virtual path
  (``/vsicurl/...``) or a GDAL connection string (``PG:...``, ``WFS:...``) with an
  :class:`~layers.core.errors.InputError`, before anything is opened; every reader gets an absolute
  path, which GDAL cannot mistake for a connection string.
* :func:`unsafe_member` tells archive members that would land outside their folder if extracted
  (``../evil.txt``, ``/etc/x``, ``C:\\x``); Maquette reads archives in place and never extracts.

Nothing read from a file is ever unpickled, evaluated or executed (checked by
``tests/test_safety.py``).
"""

from __future__ import annotations

import os
import re
import zipfile
from os import PathLike
from pathlib import Path, PurePosixPath, PureWindowsPath

from layers.core.errors import InputError

#: drivers that only talk to servers (or run programs): never registered in Maquette
NETWORK_DRIVERS = (
    "HTTP",
    "WMS",
    "WMTS",
    "WCS",
    "DAAS",
    "EEDA",
    "EEDAI",
    "PLMOSAIC",
    "PLSCENES",
    "OGCAPI",
    "STACIT",
    "STACTA",
    "NGW",
    "WFS",
    "OAPIF",
    "CSW",
    "Carto",
    "AmigoCloud",
    "Elasticsearch",
    "GPSBabel",
    "ADBC",
    "GNMDatabase",
    "KMLSUPEROVERLAY",
    "AIVector",
    "GDALG",
    "OGR_VRT",
)
#: database drivers are left registered (not every GDAL build has them, and one that lacks a
#: skipped driver warns on stderr): they only open connection strings (``PG:...``), which
#: :func:`check_local` refuses before GDAL sees them
#: an extension no file has: /vsicurl/ and the cloud file systems then refuse every name
NO_REMOTE_EXTENSION = ".maquette-offline"

#: ``http://``, ``ftp:``, ``PG:``, ``WFS:``... (two letters at least: ``C:`` is a Windows drive)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:")
#: GDAL's virtual file systems (/vsicurl/, /vsis3/, /vsizip/...), written by the user
_VSI = re.compile(r"^[/\\]vsi", re.I)

_configured = False


def offline_environment() -> None:
    """Keep GDAL and PROJ off the network for this process (idempotent; see the module docstring).

    Environment variables are read by GDAL when it registers its drivers and each time an option
    is consulted, and by PROJ when it creates a context, so setting them on import of
    :mod:`layers` covers the readers that come after.
    """
    global _configured
    if _configured:
        return
    skip = os.environ.get("GDAL_SKIP", "").replace(",", " ").split()
    os.environ["GDAL_SKIP"] = " ".join(dict.fromkeys([*skip, *NETWORK_DRIVERS]))
    os.environ["CPL_VSIL_CURL_ALLOWED_EXTENSIONS"] = NO_REMOTE_EXTENSION
    os.environ["GML_DOWNLOAD_SCHEMA"] = "NO"
    os.environ["GML_SKIP_RESOLVE_ELEMS"] = "ALL"
    os.environ["AWS_NO_SIGN_REQUEST"] = "YES"  # no credential lookup on a cloud metadata server
    os.environ["PROJ_NETWORK"] = "OFF"
    _configured = True


def is_remote(text: str | PathLike) -> bool:
    """True when ``text`` names something that is not a file on this computer: a web address, a
    GDAL virtual path or a connection string (an existing local file of that name is local)."""
    raw = os.fspath(text)
    if _VSI.match(raw):
        return True
    if "://" in raw:
        return True
    return bool(_SCHEME.match(raw)) and not Path(raw).exists()


def check_local(path: str | PathLike) -> Path:
    """``path`` as an absolute local path; :class:`InputError` for a web address, a GDAL virtual
    path (``/vsicurl/...``) or a connection string (``PG:...``): Maquette works offline."""
    raw = os.fspath(path)
    if is_remote(raw):
        raise InputError(
            None,
            f"{raw!r} is a web address or a remote source: Maquette only "
            "opens files on this computer and never connects to a network",
            hint="download the data and open the downloaded file",
        )
    return Path(os.path.abspath(raw))


_VRT_SOURCE = re.compile(r"<(?:SourceFilename|SrcDataSource)[^>]*>\s*([^<]+?)\s*</", re.I)


def check_not_special(path: str | PathLike[str]) -> None:
    """:class:`InputError` for a named pipe, a device (``/dev/zero``, a terminal) or a socket given
    as a data file: reading one would block or never end, and its size of 0 is not an empty file.
    Links are followed; a missing path or a folder is left to the caller's own words."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise InputError(
            path,
            "is a device, a pipe or a socket, not a data file",
            hint="give the path of a file saved on a disk",
        )


def check_vrt(path: str | PathLike) -> None:
    """:class:`InputError` when a GDAL ``.vrt`` file reads a remote source (it would be refused by
    the offline configuration anyway; this says why instead of "cannot be read")."""
    path = Path(path)
    if path.suffix.lower() != ".vrt" or not path.is_file():
        return
    with open(path, "rb") as handle:
        text = handle.read(4 << 20).decode("utf-8", errors="replace")
    for source in _VRT_SOURCE.findall(text):
        if is_remote(source):
            raise InputError(
                path,
                f"reads a remote source ({source.strip()[:120]}): Maquette only "
                "opens files on this computer and never connects to a network",
                hint="download the source and point the .vrt at the local copy",
            )


def unsafe_member(name: str) -> bool:
    """True for an archive member whose path would leave its folder (``..``, absolute, a drive)."""
    for pure in (PurePosixPath(name), PureWindowsPath(name)):
        if pure.is_absolute() or pure.drive or pure.root or ".." in pure.parts:
            return True
    return False


#: what the members of an archive may take once unpacked, in all (a national GTFS feed is ~1 GB)
MAX_UNPACKED_BYTES = 2 * 1024**3
#: how many times a large member may inflate: text compresses 5 to 20 times, a zip bomb thousands
MAX_INFLATION = 200
#: members smaller than this are never suspected, whatever their ratio (a file of zeros, a header)
INFLATION_CHECKED_FROM_BYTES = 16 * 1024**2


def check_archive(path: str | PathLike[str], archive: zipfile.ZipFile) -> None:
    """:class:`InputError` for an archive whose members would take more than
    :data:`MAX_UNPACKED_BYTES` once unpacked, or one that inflates like a zip bomb — from the sizes
    its directory declares, before anything is decompressed (Python's zip reader never returns
    more than a member declares)."""
    total = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        total += info.file_size
        if info.file_size >= INFLATION_CHECKED_FROM_BYTES and info.file_size > MAX_INFLATION * max(
            info.compress_size, 1
        ):
            raise InputError(
                path,
                f"{info.filename} would inflate {info.file_size / max(info.compress_size, 1):,.0f} times, "
                f"to {_size(info.file_size)} (a zip bomb?)",
                hint="open the original files, not this archive",
            )
    if total > MAX_UNPACKED_BYTES:
        raise InputError(
            path,
            f"its files take {_size(total)} once unpacked (at most {_size(MAX_UNPACKED_BYTES)})",
            hint="unpack the part you need and open it",
        )


def _size(n_bytes: int) -> str:
    for unit, size in (("TB", 1024**4), ("GB", 1024**3), ("MB", 1024**2)):
        if n_bytes >= size:
            return f"{n_bytes / size:,.1f} {unit}"
    return f"{n_bytes:,} bytes"
