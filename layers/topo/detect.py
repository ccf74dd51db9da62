"""The sniffers of the topo kind: BD TOPO themes by their names, road tables by their fields."""

from __future__ import annotations

from typing import TYPE_CHECKING

from layers.core.kinds import Claim
from layers.topo.bdtopo import claims_by_fields
from layers.topo.themes import THEMES, bdtopo_theme

if TYPE_CHECKING:
    from layers.io.probe import FileProbe


def sniff_header(probe: FileProbe) -> Claim | None:
    """A vector file named after a BD TOPO theme drawn on the map (``TRONCON_DE_ROUTE.shp``,
    ``zone_de_vegetation.gpkg``)."""
    if probe.is_dir or "vector" not in probe.families:
        return None
    return Claim.NAME if bdtopo_theme(probe.path.stem) in THEMES else None


def sniff_features(probe: FileProbe) -> Claim | None:
    """A table whose fields are a BD TOPO road table's (``nature`` with ``largeur_de_chaussee``)."""
    return Claim.CONTENT if claims_by_fields([str(f) for f in probe.fields]) else None
