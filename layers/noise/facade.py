"""Façades in a scene: the noise maps that ask for them annotate the scene's buildings.

The computation itself (walls cut into pieces, the map read in front of them, the share above the
limit value) is :mod:`layers.noise.exposure`, which knows a noise map only by what it reads of it;
this module sits above both the noise layer and the exposure, so that neither imports the other
back. Everything is in the scene CRS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from layers.buildings.layer import BuildingsLayer
from layers.noise.exposure import FacadeExposure
from layers.noise.layer import NoiseLayer

if TYPE_CHECKING:
    from layers.core.scene import Scene


def link_facades(scene: Scene) -> dict[str, FacadeExposure]:
    """Compute and annotate the façades of every buildings layer for every noise layer of ``scene``
    whose style asks for them (``"facades": true`` or ``"only"``); returns the exposures by
    ``"noise/buildings"`` (names). A failure is a warning of the noise layer, never a lost project."""
    buildings = [layer for layer in scene.of_kind("buildings") if isinstance(layer, BuildingsLayer)]
    done: dict[str, FacadeExposure] = {}
    for noise in scene.of_kind("noise"):
        if not isinstance(noise, NoiseLayer) or not noise.style.shows_facades:
            continue
        for layer, exposure in noise.annotate_facades(buildings):
            done[f"{noise.name}/{layer.name}"] = exposure
    return done
