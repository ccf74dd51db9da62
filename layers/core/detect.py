"""Say what a file is (buildings, noise, heat, sensors, transit...) from cheap metadata.

The dispatcher here knows no kind: it answers what holds for every file (missing, empty, a
project, a folder no kind claims, an unknown suffix) and lets each kind's sniffers claim the file
(:mod:`layers.core.kinds`): the strongest claim wins, ties go to the kind listed first.
"""

from __future__ import annotations

from pathlib import Path

from layers.core.errors import InputError
from layers.core.kinds import PROJECT, Claim, kinds
from layers.io import formats
from layers.io.probe import FileProbe


def detect_kind(path: str | Path) -> str:
    """The layer kind of ``path`` (or ``"project"``); :class:`InputError` when it is no data
    Maquette can read."""
    from layers.core.safety import check_local

    check_local(path)  # a web address or /vsicurl/... is refused before anything is opened
    probe = FileProbe(path)
    if not probe.path.exists():
        raise InputError(
            probe.path,
            "no such file or folder",
            hint="check the name; a file that moved must be opened from its new place",
        )
    if probe.name.endswith(".maquette.json"):
        return PROJECT
    if not probe.is_dir:
        _check_plain_file(probe)
    best = _best_claim(probe, "header")
    if (best is None or best[0] < Claim.CONTENT) and _has_features(probe):
        best = _best_of(best, _best_claim(probe, "features"))
    if best is not None:
        return best[1]
    if probe.is_dir:
        raise InputError(
            probe.path,
            "is a folder, not a data file (a GTFS folder needs stops.txt and stop_times.txt)",
        )
    if probe.suffix == ".zip":
        raise InputError(
            probe.path, "zip archive holds no GTFS feed (stops.txt, stop_times.txt) nor shapefile"
        )
    raise InputError(
        probe.path,
        f"unknown file type {probe.suffix or '(no extension)'!r}",
        hint=f"expected {formats.READ_SUMMARY}",
    )


def _check_plain_file(probe: FileProbe) -> None:
    from layers.core.safety import check_not_special

    check_not_special(probe.path)
    if probe.path.stat().st_size == 0:
        raise InputError(probe.path, "the file is empty", hint="copy, download or export it again")
    if probe.suffix == ".gfs":
        raise InputError(
            probe.path,
            f"is the schema GDAL wrote beside {probe.path.with_suffix('.gml').name}, not data",
            hint="open the .gml file",
        )


def _has_features(probe: FileProbe) -> bool:
    """Whether the vector metadata of the file may be read (a vector file, a table, a zipped
    shapefile)."""
    if probe.is_dir:
        return False
    if probe.suffix == ".zip":
        return any(n.lower().endswith(".shp") for n in probe.zip_names)
    return bool(probe.families & {"vector", "table", "xml"}) and "raster" not in probe.families


def _best_claim(probe: FileProbe, round_name: str) -> tuple[Claim, str] | None:
    best: tuple[Claim, str] | None = None
    for kind in kinds():
        sniff = kind.sniffer(round_name)
        if sniff is None:
            continue
        claim = sniff(probe)
        if claim is not None and (best is None or claim > best[0]):
            best = (claim, kind.name)
    return best


def _best_of(a: tuple[Claim, str] | None, b: tuple[Claim, str] | None) -> tuple[Claim, str] | None:
    if a is None:
        return b
    if b is None:
        return a
    return b if b[0] > a[0] else a


def is_project(path: str | Path) -> bool:
    """True for a ``*.maquette.json`` file (or any JSON with a ``maquette`` version key)."""
    probe = FileProbe(path)
    if probe.name.endswith(".maquette.json"):
        return True
    if probe.suffix == ".json" and probe.path.is_file():
        try:
            head = probe.head(512)
        except OSError:
            return False
        return '"maquette"' in head and '"version"' in head and '"CityJSON' not in head
    return False
