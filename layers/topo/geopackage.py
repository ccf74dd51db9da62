"""The themes a BD TOPO GeoPackage holds (a département's file has dozens of layers)."""

from __future__ import annotations

from pathlib import Path

from layers.topo.themes import bdtopo_theme


def bdtopo_layers(path: str | Path) -> dict[str, str]:
    """``{layer name: theme}`` of the layers of a GeoPackage (or any multi-layer vector file) that
    are BD TOPO themes Maquette draws: one of :data:`~layers.topo.themes.THEMES`, ``"buildings"``
    or ``"commune"``; in the file's order. Layers of other themes (``lieu_dit_non_habite``...) are
    left out. Reads the file's table of contents only."""
    import pyogrio

    found: dict[str, str] = {}
    for name, _geometry in pyogrio.list_layers(str(path)):
        theme = bdtopo_theme(str(name))
        if theme is not None:
            found[str(name)] = theme
    return found
