"""Shapefiles, plain or zipped: their sidecars, the shapefiles a zip holds, their text encoding.

A shapefile is a ``.shp`` with its ``.shx`` index and ``.dbf`` attributes beside it (a ``.cpg`` may
name the ``.dbf``'s encoding, a ``.prj`` its CRS); a zip may hold several. GDAL reads them
(:func:`layers.io.vector_file.read_vector`); this module checks what GDAL would silently get wrong
(a missing sidecar, a truncated ``.shp``, a ``.cpg`` that lies) and guesses the encoding when
nothing says it: UTF-8 when the bytes are UTF-8, else the dBase codepage, else Windows-1252.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from layers.core.errors import InputError
from layers.core.safety import check_archive

#: what a ``.shp`` is expected to be, for error messages
SHAPEFILE_EXPECTED = "an ESRI Shapefile (.shp with its .shx and .dbf beside it)"


#: how much of a .dbf is read to guess its text encoding, bytes (all of it in practice: a byte
#: missed here would reach Arrow undecoded)
DBF_SAMPLE_BYTES = 512 << 20


#: dBase "language driver id" (byte 29) → Python codec, for the codepages seen in the wild
DBF_LDID = {
    0x01: "cp437",
    0x02: "cp850",
    0x03: "cp1252",
    0x57: "cp1252",
    0x58: "cp1252",
    0x59: "cp1252",
    0x64: "cp852",
    0x65: "cp866",
    0x66: "cp865",
    0x67: "cp861",
    0x6A: "cp737",
    0x6B: "cp857",
    0xC8: "cp1250",
    0xC9: "cp1251",
    0xCA: "cp1254",
    0xCB: "cp1253",
}


# -- shapefiles -------------------------------------------------------------------------------
def sidecar(path: Path, suffix: str) -> Path | None:
    for candidate in (path.with_suffix(suffix.lower()), path.with_suffix(suffix.upper())):
        if candidate.exists():
            return candidate
    return None


def check_shapefile(path: Path, notes: list[str] | None = None) -> None:
    """Sidecars present and the .shp not cut short (GDAL would silently give null geometries).

    A missing ``.shx`` is refused; a missing ``.dbf`` is not (a real download can lose it): the
    shapefile is then read as geometry only, and a note saying so is added to ``notes``.
    """
    with open(path, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or int.from_bytes(header[:4], "big") != 9994:
        raise InputError(
            path,
            f"is not readable as {SHAPEFILE_EXPECTED}",
            hint="damaged file or wrong extension? open the original, or give the file its real extension",
        )
    declared = int.from_bytes(header[24:28], "big") * 2
    actual = path.stat().st_size
    if actual < declared:
        raise InputError(
            path, f"the file is truncated ({actual} of {declared} bytes)", hint="copy or download it again"
        )
    if sidecar(path, ".shx") is None:
        raise InputError(
            path,
            "the shapefile's .shx index is missing",
            hint="a shapefile needs its .shp, .shx and .dbf side by side",
        )
    if sidecar(path, ".dbf") is None and notes is not None:
        notes.append(missing_dbf_note(path))


def missing_dbf_note(path: Path) -> str:
    """The warning of a shapefile read without its ``.dbf``: geometry only, no attributes."""
    return (
        f"{path.name}: the shapefile's .dbf attribute table is missing: read as geometry only "
        "(no attributes: heights, widths and names take their defaults)"
    )


def zip_shapefiles(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            check_archive(path, archive)
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise InputError(
            path,
            "is not a valid zip archive (truncated or corrupted)",
            hint="copy, download or export it again",
        ) from None
    from layers.core.safety import unsafe_member

    # a member named ../x.shp would make /vsizip/ read a file outside the archive: never offered
    return [
        n
        for n in names
        if n.lower().endswith(".shp") and not Path(n).name.startswith("._") and not unsafe_member(n)
    ]


def choose_zip_member(path: Path, layer: str | None, notes: list[str]) -> str:
    members = zip_shapefiles(path)
    if not members:
        raise InputError(path, "the zip archive holds no shapefile (.shp)")
    if layer is not None:
        match = [m for m in members if Path(m).stem == layer or m == layer]
        if not match:
            raise InputError(
                path,
                f"has no shapefile {layer!r}",
                hint=f"it holds: {', '.join(Path(m).stem for m in members)}",
            )
        return match[0]
    if len(members) > 1:
        notes.append(
            f"{path.name} holds {len(members)} shapefiles; read {Path(members[0]).stem!r} "
            "(choose another with the layer option)"
        )
    return members[0]


def shapefile_encoding(path: Path, notes: list[str], *, zip_member: str | None = None) -> str | None:
    """The text encoding of a shapefile's attributes: its ``.cpg`` when the bytes agree, else a guess.

    ``None`` when every byte is ASCII (nothing to decide). Otherwise UTF-8 when the bytes are valid
    UTF-8, else the dBase language driver's codepage, else Windows-1252 (Latin-1 where 1252 has a
    hole), which is what French producers write.
    """
    cpg_text, dbf = _shapefile_sidecars(path, zip_member)
    if dbf is None or len(dbf) < 32:
        return None
    sample = _dbf_text(dbf)
    if sample.isascii():
        return None
    if cpg_text:
        codec = _codec(cpg_text)
        if codec and _decodes(sample, codec):
            return codec
        notes.append(
            f"{path.name}: the .cpg says {cpg_text!r} but the "
            "attributes are not in it; the encoding was guessed"
        )
    if _decodes(sample, "utf-8"):
        return "UTF-8"
    ldid = DBF_LDID.get(dbf[29]) if len(dbf) > 29 else None
    if ldid and ldid != "cp1252" and _decodes(sample, ldid):
        guess = ldid
    else:
        guess = "cp1252" if _decodes(sample, "cp1252") else "ISO-8859-1"
    if not cpg_text:
        notes.append(
            f"{path.name} has no .cpg file saying its text encoding: "
            f"read as {guess.replace('cp', 'Windows-')} (guessed from its bytes; "
            "give another with the encoding option if accents look wrong)"
        )
    return guess


def _dbf_text(dbf: bytes) -> bytes:
    """The text bytes of a .dbf: field names and records (the binary header numbers left out)."""
    header_len = int.from_bytes(dbf[8:10], "little")
    names = b"".join(dbf[start : start + 11] for start in range(32, max(header_len - 32, 32), 32))
    return names.replace(b"\x00", b"") + dbf[header_len:]


def _shapefile_sidecars(path: Path, zip_member: str | None) -> tuple[str | None, bytes | None]:
    """The text of the ``.cpg`` (or ``None``) and the first bytes of the ``.dbf`` (or ``None``)."""
    if zip_member is None:
        cpg, dbf = sidecar(path, ".cpg"), sidecar(path, ".dbf")
        cpg_text = cpg.read_text("ascii", errors="ignore").strip() if cpg else None
        if dbf is None:
            return cpg_text, None
        with open(dbf, "rb") as handle:
            return cpg_text, handle.read(DBF_SAMPLE_BYTES)
    stem = zip_member[: -len(".shp")]
    with zipfile.ZipFile(path) as archive:
        names = {n.lower(): n for n in archive.namelist()}
        cpg_name, dbf_name = names.get(f"{stem}.cpg".lower()), names.get(f"{stem}.dbf".lower())
        cpg_text = archive.read(cpg_name).decode("ascii", errors="ignore").strip() if cpg_name else None
        if dbf_name is None:
            return cpg_text, None
        with archive.open(dbf_name) as handle:
            return cpg_text, handle.read(DBF_SAMPLE_BYTES)


def _codec(label: str) -> str | None:
    """Python codec for a .cpg label (``UTF-8``, ``1252``, ``ISO-8859-1``, ``88591``, ``ANSI 1252``)."""
    text = label.strip().upper().replace("ANSI", "").strip()
    aliases = {
        "88591": "ISO-8859-1",
        "8859-1": "ISO-8859-1",
        "LATIN1": "ISO-8859-1",
        "88592": "ISO-8859-2",
        "UTF8": "UTF-8",
    }
    text = aliases.get(text.replace(" ", ""), text)
    if text.isdigit():
        text = f"cp{text}"
    try:
        return io.TextIOWrapper(io.BytesIO(), encoding=text).encoding
    except (LookupError, ValueError):  # unknown, or not a name at all (a damaged .cpg)
        return None


def _decodes(data: bytes, codec: str) -> bool:
    """True when ``data`` decodes in ``codec`` (a multi-byte character cut at the end is allowed)."""
    import codecs

    try:
        codecs.getincrementaldecoder(codec)().decode(data, final=False)
    except (UnicodeDecodeError, LookupError):
        return False
    return True
