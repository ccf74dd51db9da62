"""The figures of a variant of the planned project, as data and as words.

:class:`PlanFigures` is what the effects engine (:mod:`layers.plan.effects`) computes and what the
window's panel, the variants table, the presentation caption and the CSV export show: one set of
numbers, written in the interface's language by :meth:`PlanFigures.rows`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from layers.core.numbers import in_language

#: the sun losses reported, hours of direct sun lost on the study day
LOSS_HOURS: tuple[int, ...] = (1, 2)


@dataclass(frozen=True)
class NeighbourLoss:
    """An existing building that loses direct sun because of the variant.

    Attributes
    ----------
    layer, feature
        The building (its layer's project id or name, its ``feature_index``).
    label
        How to name it to people (its name or address field, else ``""``).
    facade_loss_m2
        ``{hours: façade area, m², that loses at least that many hours}`` for :data:`LOSS_HOURS`.
    hours_lost_max
        The most hours any sampled point of its façades loses.
    """

    layer: str
    feature: int
    label: str
    facade_loss_m2: dict[int, float]
    hours_lost_max: float


@dataclass(frozen=True)
class FacadeNoise:
    """Noise on the façades of the variant's buildings, from a noise layer of the scene."""

    layer: str
    indicator: str  # "Lden", "Ln"...
    max_db: float
    mean_db: float
    #: façade area, m², at or above 65 dB (68 for Lden roads: the point noire threshold)
    exposed_m2: float
    threshold_db: float


@dataclass(frozen=True)
class PlanFigures:
    """The figures of one variant on one study day.

    Areas are m² on the ground (scene CRS, corrected for the projection's scale), heights metres.
    """

    variant: str
    day: date
    buildings: int
    footprint_area_m2: float
    floor_area_m2: float
    #: the highest point of the variant (a pitched roof's ridge), metres above the ground
    top_m: float
    storeys_max: int
    #: ``{hours: ground area, m², that loses at least that many hours of direct sun}``
    ground_loss_m2: dict[int, float] = field(default_factory=dict)
    #: ``{hours: façade area of existing buildings, m², that loses at least that many hours}``
    facade_loss_m2: dict[int, float] = field(default_factory=dict)
    #: existing buildings losing sun, the most affected first
    neighbours: tuple[NeighbourLoss, ...] = ()
    noise: FacadeNoise | None = None
    #: seconds the computation took (0 when nothing had to be recomputed)
    seconds: float = 0.0

    def rows(self, language: str = "fr") -> list[tuple[str, str]]:
        """(label, value) lines for a panel, a caption or a table, in ``language`` ("fr" / "en")."""
        fr = language == "fr"

        def number(value: float, unit: str, digits: int = 0) -> str:
            return f"{in_language(f'{value:,.{digits}f}', language)} {unit}"  # 2 305 m², not a year

        rows = [
            ("Surface de plancher" if fr else "Floor area", number(self.floor_area_m2, "m²")),
            ("Hauteur" if fr else "Height", number(self.top_m, "m", 1)),
            ("Niveaux" if fr else "Storeys", str(self.storeys_max)),
        ]
        for hours in LOSS_HOURS:
            if hours in self.ground_loss_m2:
                label = f"Sol privé de ≥ {hours} h de soleil" if fr else f"Ground losing ≥ {hours} h of sun"
                rows.append((label, number(self.ground_loss_m2[hours], "m²")))
        for hours in LOSS_HOURS:
            if hours in self.facade_loss_m2:
                label = f"Façades privées de ≥ {hours} h" if fr else f"Façades losing ≥ {hours} h"
                rows.append((label, number(self.facade_loss_m2[hours], "m²")))
        if self.neighbours:
            rows.append(
                ("Bâtiments voisins touchés" if fr else "Neighbours losing sun", str(len(self.neighbours)))
            )
        if self.noise is not None:
            label = (
                f"Bruit en façade ({self.noise.indicator})"
                if fr
                else f"Façade noise ({self.noise.indicator})"
            )
            rows.append((label, number(self.noise.max_db, "dB(A)")))
        return rows
