"""Hours of direct sun on the ground over one day, and what a planned building takes away.

The day (00:00 → 24:00 in the scene's zone, daylight-saving days included) is sampled at the middle
of every ``step_min`` step; at each sample where the sun stands at least 0.5° above the horizon
(:data:`layers.sun.position.MIN_SHADOW_ELEVATION_DEG`), the shadows of every building are burnt into the
grid (:class:`layers.sun.shadow_raster.RingTable`: numpy only) and every lit pixel earns the step's
duration. Pixels under buildings standing on the ground are no ground: they hold NaN. Terrain is
taken as flat; trees and roofs are not receivers.

:func:`sunlight_hours` gives the hours of one set of buildings; :func:`sunlight_change` the hours
before and after a planned project and their difference, with the areas that lose at least 1 h and
2 h of sun.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from time import perf_counter

import numpy as np
from pyproj import CRS

from layers.core.errors import Cancelled, InputError
from layers.io.grid import Grid
from layers.io.raster_file import warp_grid, write_geotiff
from layers.sun.position import day_instants
from layers.sun.shadow_map import Footprints, SunTrack
from layers.sun.shadow_raster import PixelGrid, RingTable

#: pixels computed at most (a 1 m grid over 8 km x 8 km)
MAX_PIXELS = 64_000_000
#: when no resolution is asked, the finest of these (m) keeping the grid under AUTO_PIXELS; an area
#: wider than AUTO_PIXELS at the coarsest (100 km a side) is refused: give the area to study
AUTO_RESOLUTIONS_M = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0)
AUTO_PIXELS = 4_000_000
#: losses reported by :func:`sunlight_change` (hours of direct sun lost)
LOSS_THRESHOLDS_H = (1.0, 2.0)
#: how far around a planned project its shadows are looked for, metres at most
MAX_PROJECT_MARGIN_M = 600.0
#: the project's shadow reach is taken at this sun elevation (degrees)
PROJECT_MARGIN_ELEVATION_DEG = 5.0

Progress = Callable[[float, str], None]


@dataclass
class SunlightHours:
    """Hours of direct sun over one day on a ground grid.

    Attributes
    ----------
    hours
        (rows, cols) float32 hours; NaN under buildings standing on the ground.
    grid
        The pixel grid, in :attr:`crs` (metric).
    crs
        The metric CRS of the computation.
    day, step_min
        The local day and the sampling step (minutes).
    sun_samples
        Samples at which the sun was high enough to count (the most hours a pixel can get is
        ``sun_samples * step_min / 60``).
    timings
        Seconds per step.
    """

    hours: np.ndarray
    grid: PixelGrid
    crs: CRS
    day: date
    step_min: float
    sun_samples: int
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def max_hours(self) -> float:
        return self.sun_samples * self.step_min / 60.0

    def to_grid(self, values: np.ndarray | None = None) -> Grid:
        """The hours (or other ``values`` on the same pixels) as a :class:`layers.io.grid.Grid`."""
        data = self.hours if values is None else values
        return Grid(
            values=data,
            x0=self.grid.x0,
            y0=self.grid.y0,
            dx=self.grid.size_m,
            dy=self.grid.size_m,
            crs=self.crs,
        )

    def ground_area_m2(self, mask: np.ndarray, scale_factor: float = 1.0) -> float:
        """Ground area (m²) of the pixels of ``mask``; ``scale_factor`` = grid metres per metre."""
        return float(np.count_nonzero(mask)) * self.grid.size_m**2 / scale_factor**2


@dataclass
class SunlightChange:
    """Sunlight before and after a planned project, and the difference (after − before, hours)."""

    before: SunlightHours
    after: SunlightHours
    difference: np.ndarray
    area_loss_m2: dict[float, float]
    project_footprint_m2: float
    margin_m: float
    timings: dict[str, float] = field(default_factory=dict)


def choose_grid(bounds: tuple[float, float, float, float], resolution_m: float | None) -> PixelGrid:
    """The grid over ``bounds`` at ``resolution_m`` (or the finest automatic one that fits)."""
    if resolution_m is None:
        for size in AUTO_RESOLUTIONS_M:
            grid = PixelGrid.covering(bounds, size)
            if grid.pixels <= AUTO_PIXELS:
                return grid
        # buildings of places far apart: never a grid over all of it, at any resolution (a 50 m
        # grid over two cities 500 km apart holds 50 million pixels and tells nothing of either)
        width_km, height_km = (bounds[2] - bounds[0]) / 1000, (bounds[3] - bounds[1]) / 1000
        raise InputError(
            None,
            f"the buildings spread over {width_km:,.0f} km × {height_km:,.0f} km: a sunlight study "
            f"covers at most {math.sqrt(AUTO_PIXELS) * AUTO_RESOLUTIONS_M[-1] / 1000:,.0f} km a side",
            hint="give the area to study (--bbox) or open one place at a time",
        )
    if not (math.isfinite(resolution_m) and resolution_m > 0):
        raise InputError(None, f"--resolution must be a positive number of metres, not {resolution_m}")
    grid = PixelGrid.covering(bounds, resolution_m)
    if grid.pixels > MAX_PIXELS:
        raise InputError(
            None,
            f"a {resolution_m:g} m grid over this area would hold "
            f"{grid.pixels:,} pixels (at most {MAX_PIXELS:,})",
            hint="choose a coarser --resolution or a smaller --bbox",
        )
    return grid


def automatic_grid_fits(bounds: tuple[float, float, float, float]) -> bool:
    """True when an automatic grid (no resolution asked) can cover ``bounds`` (metres)."""
    return PixelGrid.covering(bounds, AUTO_RESOLUTIONS_M[-1]).pixels <= AUTO_PIXELS


def _instants(footprints: Footprints, day: date, step_min: float) -> SunTrack:
    try:
        times = day_instants(day, footprints.site.timezone, step_min)
    except ValueError as exc:
        raise InputError(None, f"--step: {exc}") from None
    return footprints.track(times)


def sunlight_hours(
    footprints: Footprints,
    day: date,
    *,
    step_min: float = 15.0,
    resolution_m: float | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SunlightHours:
    """Hours of direct sun on the ground around ``footprints`` on the local ``day``.

    ``bounds`` (metric CRS of the footprints) default to the footprints' extent.
    """
    t0 = perf_counter()
    grid = choose_grid(bounds or _extent(footprints), resolution_m)
    track = _instants(footprints, day, step_min)
    table = RingTable.from_polygons(footprints.polygons, footprints.height_m, footprints.base_m)
    prepare_s = perf_counter() - t0
    t1 = perf_counter()
    counts, samples = _count_sunlit([table], grid, track, progress, cancelled)
    ground = ~table.ground_mask(grid)
    hours = np.where(ground, counts[0] * (step_min / 60.0), np.nan).astype(np.float32)
    timings = {"prepare_s": round(prepare_s, 4), "sun_s": round(perf_counter() - t1, 4)}
    return SunlightHours(hours, grid, footprints.crs, day, step_min, samples, timings)


def sunlight_change(
    existing: Footprints,
    project: Footprints,
    day: date,
    *,
    step_min: float = 15.0,
    resolution_m: float | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SunlightChange:
    """Sunlight before and after ``project`` (planned buildings, in ``existing``'s metric CRS).

    The grid covers the project and the reach of its shadows down to a 5° sun (at most
    :data:`MAX_PROJECT_MARGIN_M` around it), unless ``bounds`` are given.
    """
    if not project.crs.equals(existing.crs):
        raise ValueError("the project's footprints must be in the same metric CRS as the existing ones")
    t0 = perf_counter()
    margin = project_margin_m(project)
    if bounds is None:
        px0, py0, px1, py1 = _extent(project)
        bounds = (px0 - margin, py0 - margin, px1 + margin, py1 + margin)
    grid = choose_grid(bounds, resolution_m)
    track = _instants(existing, day, step_min)
    tables = [
        RingTable.from_polygons(existing.polygons, existing.height_m, existing.base_m),
        RingTable.from_polygons(project.polygons, project.height_m, project.base_m),
    ]
    project_track = _instants(project, day, step_min)
    prepare_s = perf_counter() - t0
    t1 = perf_counter()
    counts, samples = _count_sunlit(tables, grid, track, progress, cancelled, second_track=project_track)
    hours_step = step_min / 60.0
    ground_before = ~tables[0].ground_mask(grid)
    project_ground = tables[1].ground_mask(grid)
    ground_after = ground_before & ~project_ground
    before = np.where(ground_before, counts[0] * hours_step, np.nan).astype(np.float32)
    after = np.where(ground_after, counts[1] * hours_step, np.nan).astype(np.float32)
    difference = (after - before).astype(np.float32)
    timings = {"prepare_s": round(prepare_s, 4), "sun_s": round(perf_counter() - t1, 4)}
    make = lambda values: SunlightHours(values, grid, existing.crs, day, step_min, samples, dict(timings))  # noqa: E731
    scale = existing.site.scale_factor
    with np.errstate(invalid="ignore"):
        losses = {h: make(before).ground_area_m2(difference <= -h + 1e-6, scale) for h in LOSS_THRESHOLDS_H}
    footprint = make(before).ground_area_m2(project_ground & ground_before, scale)
    return SunlightChange(make(before), make(after), difference, losses, footprint, margin, timings)


def project_margin_m(project: Footprints) -> float:
    """How far around ``project`` its shadows reach with the sun 5° high (capped), metres."""
    if len(project) == 0:
        return 0.0
    tallest = float(np.max(project.height_m))
    return float(min(tallest / math.tan(math.radians(PROJECT_MARGIN_ELEVATION_DEG)), MAX_PROJECT_MARGIN_M))


def _extent(footprints: Footprints) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) of the footprints, metres of their metric CRS."""
    import shapely

    xmin, ymin, xmax, ymax = (float(v) for v in shapely.total_bounds(footprints.polygons))
    return xmin, ymin, xmax, ymax


def _count_sunlit(
    tables: list[RingTable],
    grid: PixelGrid,
    track: SunTrack,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    *,
    second_track: SunTrack | None = None,
) -> tuple[list[np.ndarray], int]:
    """Per scenario, the number of samples each pixel is lit. Scenario 0 = ``tables[0]``; scenario
    1 (when two tables) = tables[0] and tables[1] together (the project added)."""
    counts = [np.zeros(grid.shape, np.uint16) for _ in tables]
    samples = 0
    for k in range(len(track)):
        if cancelled is not None and cancelled():
            raise Cancelled()
        if progress is not None:
            progress(k / len(track), f"{track.times[k]:%H:%M}")
        if not track.any_lit(k):
            continue
        samples += 1
        offset, lit = track.at(k)
        shade = tables[0].shade(offset, grid, lit)
        counts[0] += ~shade
        if len(tables) > 1:
            offset2, lit2 = (track if second_track is None else second_track).at(k)
            shade |= tables[1].shade(offset2, grid, lit2)
            counts[1] += ~shade
    if progress is not None:
        progress(1.0, "")
    return counts, samples


def write_hours(
    result: SunlightHours,
    path: str | Path,
    crs: CRS,
    *,
    values: np.ndarray | None = None,
    quantity: str = "sunlight hours",
) -> Path:
    """Write hours (or a difference) as a float32 GeoTIFF in ``crs`` (warped if not the grid's).

    Tags: ``UNIT=h``, ``QUANTITY``, ``DATE``, ``STEP_MIN``, ``MAX_HOURS``, ``MAQUETTE_KIND=sunlight``
    (so Maquette opens it as a sunlight layer).
    """
    grid = result.to_grid(values)
    if not result.crs.equals(crs):
        grid = warp_grid(grid, crs)
    tags = {
        "UNIT": "h",
        "QUANTITY": quantity,
        "DATE": result.day.isoformat(),
        "STEP_MIN": f"{result.step_min:g}",
        "MAX_HOURS": f"{result.max_hours:g}",
        "MAQUETTE_KIND": "sunlight",
    }
    return write_geotiff(grid, path, tags=tags)
