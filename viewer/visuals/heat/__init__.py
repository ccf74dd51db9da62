"""The heat kind's visuals: temperature rasters (:mod:`.grid`) and loggers' surfaces (:mod:`.surface`).

Importing the package registers both (:mod:`viewer.visuals`); the surface's is chosen for
:class:`layers.heat.stations.StationHeatLayer` by its class.
"""

from viewer.visuals.heat.grid import QUANTITY_TITLES, HeatVisual, heat_name, heat_title
from viewer.visuals.heat.surface import HeatSurfaceVisual

__all__ = ["QUANTITY_TITLES", "HeatSurfaceVisual", "HeatVisual", "heat_name", "heat_title"]
