"""The pins kind claims ``*.pins`` files by their format."""

from __future__ import annotations

from layers.core.kinds import Claim
from layers.io.probe import FileProbe


def sniff(probe: FileProbe) -> Claim | None:
    return Claim.FORMAT if probe.suffix == ".pins" else None
