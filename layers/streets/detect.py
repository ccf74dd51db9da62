"""The sniffer of the streets kind: lines are streets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from layers.core.kinds import Claim

if TYPE_CHECKING:
    from layers.io.probe import FileProbe


def sniff_features(probe: FileProbe) -> Claim | None:
    return Claim.SHAPE if "line" in probe.geometry_type else None
