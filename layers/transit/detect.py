"""The sniffer of the transit kind: a GTFS feed, zipped or as a folder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from layers.core.kinds import Claim

if TYPE_CHECKING:
    from layers.io.probe import FileProbe

#: the files of a GTFS feed
GTFS_FILES = frozenset(
    {
        "agency.txt",
        "stops.txt",
        "routes.txt",
        "trips.txt",
        "stop_times.txt",
        "calendar.txt",
        "calendar_dates.txt",
    }
)
REQUIRED = frozenset({"stops.txt", "stop_times.txt"})


def sniff_header(probe: FileProbe) -> Claim | None:
    """A folder or zip holding ``stops.txt`` and ``stop_times.txt``; a zip with other GTFS files
    and no shapefile is a feed missing files (its reader says which)."""
    if probe.is_dir:
        return Claim.FORMAT if all((probe.path / name).exists() for name in REQUIRED) else None
    if probe.suffix != ".zip":
        return None
    names = probe.zip_names
    if REQUIRED <= names:
        return Claim.FORMAT
    if any(n.lower().endswith(".shp") for n in names):
        return None
    return Claim.FORMAT if names & GTFS_FILES else None
