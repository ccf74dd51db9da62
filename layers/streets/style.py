"""The display options of streets (kind ``streets``)."""

from __future__ import annotations

from dataclasses import dataclass

from layers.core.style import LayerStyle

#: the colour map of traffic flows
FLOW_CMAP = "YlOrRd"
#: the colour of streets without flows
PLAIN_COLOR = "#8d8a86"
#: ``counters``: the first visible sensors layer of counts in the scene
AUTO_COUNTERS = "auto"
#: ``counters``: no counters colour the streets
NO_COUNTERS = "none"


@dataclass(frozen=True, kw_only=True)
class StreetsStyle(LayerStyle):
    """How streets are drawn.

    Attributes
    ----------
    cmap
        Matplotlib colour map of the flows.
    clim
        (low, high) of the colour map in the flow's unit (vehicles per day or per hour);
        ``None``: 0 to the 98th percentile of the flows.
    color
        ``"#rrggbb"`` of streets when the data has no flows.
    counters
        Which counters colour the piece of street they sit on, by their count at the clock time:
        ``"auto"`` (the first sensors layer of counts in the scene), ``"none"`` (or ``""``), or the
        name or project id of a sensors layer.
    """

    cmap: str = FLOW_CMAP
    clim: tuple[float, float] | None = None
    color: str = PLAIN_COLOR
    counters: str = AUTO_COUNTERS

    @property
    def counters_off(self) -> bool:
        """True when no counters colour the streets."""
        return self.counters in (NO_COUNTERS, "")
