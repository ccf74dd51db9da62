"""The figures the window shows for the plan's variants, on the plan's study day.

The window (its plan panel, the variants table, the presentation caption, the CSV export) asks
here, off the GUI thread, for the figures of one variant or of all: :class:`VariantStudy` keeps one
effects engine (:mod:`layers.plan.effects`: the sun lost around the project, the noise on its
façades) per scene and day, so an edit recomputes only what it changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from layers.core.scene import Scene
from layers.plan.figures import PlanFigures
from layers.plan.model import Plan, Variant

if TYPE_CHECKING:
    from layers.plan.effects import PlanEffects

#: the study day when neither the plan nor the clock gives one: the summer solstice (month, day)
SOLSTICE = (6, 21)


def study_day(plan: Plan | None, clock_time: datetime | None, today: date | None = None) -> date:
    """The plan's day; else the clock's day; else 21 June of this year (``today``'s)."""
    if plan is not None and plan.day is not None:
        return plan.day
    if clock_time is not None:
        return clock_time.date()
    year = (today or date.today()).year
    return date(year, *SOLSTICE)


def plain_figures(variant: Variant, day: date) -> PlanFigures:
    """What ``variant`` says by itself: its buildings, footprint and floor area, its tallest wall."""
    return PlanFigures(
        variant=variant.name,
        day=day,
        buildings=len(variant.buildings),
        footprint_area_m2=float(sum(b.footprint_area_m2 for b in variant.buildings)),
        floor_area_m2=variant.floor_area_m2,
        top_m=variant.top_m,
        storeys_max=max((b.storeys for b in variant.buildings), default=0),
    )


class VariantStudy:
    """The figures of variants in ``scene`` (its existing buildings, its noise layers) on ``day``.

    The effects engine is made on the first request and kept, so later requests (after an edit)
    only recompute what the edit changes. Not thread-safe: one request at a time.
    """

    def __init__(self, scene: Scene, day: date) -> None:
        self.scene = scene
        self.day = day
        self._effects: PlanEffects | None = None

    def figures(self, variant: Variant) -> PlanFigures:
        if self._effects is None:
            from layers.plan.effects import PlanEffects  # numpy, shapely, the sun: not at start-up

            self._effects = PlanEffects.for_scene(self.scene, self.day)
        return self._effects.figures(variant)

    def all(self, variants: Sequence[Variant]) -> list[PlanFigures]:
        return [self.figures(v) for v in variants]
