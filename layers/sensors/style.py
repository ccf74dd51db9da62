"""How a sensors layer is drawn: one column per sensor, its height and colour following the reading.

Every option is optional: ``None`` means the automatic choice the viewer makes from the data and
the scene (see :mod:`viewer.visuals.sensors`), so a project only stores what a user changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from layers.core.style import LayerStyle

#: ``"auto"``: values written above the columns when the layer has few sensors (40 or less)
LabelsOption: TypeAlias = Literal["auto", "on", "off"] | bool


@dataclass(frozen=True)
class SensorsStyle(LayerStyle):
    """The display options of a :class:`~layers.sensors.layer.SensorLayer`.

    Attributes
    ----------
    clim
        Colour range ``(low, high)`` in the layer's unit; ``None``: counts from 0, other
        quantities over the rounded 2-98 % range of the readings (sound levels: the NF S 31-130
        bands).
    cmap
        A matplotlib colormap name; ``None``: the quantity's own (turbo for temperatures, the
        noise bands for dB(A), RdPu for counts, viridis otherwise).
    radius_m
        Column radius, metres; ``None``: 0.5 % of the scene's extent, 2.5 to 40 m.
    base_m
        Height of a column's base, metres; ``None``: just above the usual roof height of the
        scene's buildings (at least 6 m).
    span_m
        Height a column gains from the low to the high end of the colour range, metres; ``None``:
        5 % of the scene's extent, 20 to 400 m.
    max_height_m
        Height of a column at the high end of the range, metres (sets :attr:`span_m` from
        :attr:`base_m`); ``None``: from :attr:`span_m`.
    labels
        Values written above the columns: ``"auto"`` (when there are few sensors), ``"on"`` or
        ``True``, ``"off"`` or ``False``.
    max_age_s
        How long a reading stays shown, seconds, for every sensor; ``None``: the layer's own
        (its ``max_age_s`` load option, else 3 × each sensor's sampling step).
    """

    clim: tuple[float, float] | None = None
    cmap: str | None = None
    radius_m: float | None = None
    base_m: float | None = None
    span_m: float | None = None
    max_height_m: float | None = None
    labels: LabelsOption = "auto"
    max_age_s: float | None = None

    def shows_labels(self, sensor_count: int, auto_max: int) -> bool:
        """Whether values are written above the columns of ``sensor_count`` sensors (``"auto"``:
        up to ``auto_max`` of them)."""
        if self.labels is False or self.labels == "off":
            return False
        return not (self.labels == "auto" and sensor_count > auto_max)
