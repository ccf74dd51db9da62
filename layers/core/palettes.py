"""Colour conventions as data: the NF S 31-130 noise scale, temperature and default colour maps.

Nothing here draws. The viewer turns these definitions into lookup tables; legends read the same
labels, so the map and its legend cannot disagree.

* Noise: French strategic noise maps colour sound levels in 5 dB(A) bands with the colours of the
  standard NF S 31-130 (the same scale for Lden and Ln). :data:`NOISE_BANDS` holds them, quietest
  first; :func:`noise_band_index` / :func:`noise_rgba` classify levels in dB(A).
* Temperature: a diverging map (:data:`TEMPERATURE`, ``RdYlBu_r``: blue = cool, red = hot) centred on
  the median of the raster (or on 0 for a difference such as an urban heat island intensity), with
  symmetric robust limits (:func:`diverging_limits`).
* Anything else: a sequential map (:data:`SEQUENTIAL_DEFAULT`, ``viridis``) stretched over the 2–98 %
  percentiles (:func:`sequential_limits`).

Colormap names are matplotlib / VTK (pyvista) names; no plotting library is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class NoiseBand:
    """One band of the noise colour scale.

    ``low_db`` is included and ``high_db`` excluded (``low_db <= L < high_db``), in dB(A);
    ``None`` for an open end (the quietest and the loudest band).
    """

    low_db: float | None
    high_db: float | None
    hex: str
    label: str

    @property
    def color(self) -> str:
        """Same as :attr:`hex`."""
        return self.hex


def band_label(low: float | None, high: float | None) -> str:
    """Legend text of a band in dB(A): ``55-60 dB(A)``, ``> 75 dB(A)``, ``< 45 dB(A)``."""
    if low is None and high is None:
        return "all levels"
    if low is None:
        return f"< {high:g} dB(A)"
    if high is None:
        return f"> {low:g} dB(A)"
    return f"{low:g}-{high:g} dB(A)"


_NF_S_31_130 = (
    (None, 45.0, "#48C901"),
    (45.0, 50.0, "#53FE00"),
    (50.0, 55.0, "#B6FE74"),
    (55.0, 60.0, "#FFFE02"),
    (60.0, 65.0, "#FFA800"),
    (65.0, 70.0, "#FD0000"),
    (70.0, 75.0, "#CF03FD"),
    (75.0, None, "#920167"),
)

#: the NF S 31-130 scale, quietest band first
NOISE_BANDS: tuple[NoiseBand, ...] = tuple(
    NoiseBand(lo, hi, color, band_label(lo, hi)) for lo, hi, color in _NF_S_31_130
)
#: the same bands under the standard's name
NFS31130_BANDS = NOISE_BANDS
#: the band limits in dB(A) between consecutive bands: 45, 50, ... 75
NOISE_EDGES_DB = np.array([band.high_db for band in NOISE_BANDS[:-1]], dtype=float)
#: the name of the scale, for legends
NOISE_PALETTE_NAME = "NF S 31-130"


@dataclass(frozen=True)
class ColormapSpec:
    """A continuous colour map: its matplotlib / VTK ``name``, ``kind`` and how to set its range.

    ``rule`` says in words how the limits are chosen (shown in the documentation and tooltips).
    """

    name: str
    kind: str  # "diverging" | "sequential"
    rule: str


#: surface or air temperature in °C: blue (cool) to red (hot), centred on the median
TEMPERATURE = ColormapSpec(
    "RdYlBu_r",
    "diverging",
    "centred on the median of the raster (on 0 for a temperature difference); symmetric limits "
    "reaching the farther of the 2nd and 98th percentiles",
)
#: temperature differences (urban heat island intensity, K): centred on 0
TEMPERATURE_DIFFERENCE = ColormapSpec(
    "RdBu_r", "diverging", "centred on 0; symmetric limits at the farther of the 2nd and 98th percentiles"
)
#: any other quantity
SEQUENTIAL_DEFAULT = ColormapSpec("viridis", "sequential", "from the 2nd to the 98th percentile")
#: elevation
TERRAIN = ColormapSpec("gist_earth", "sequential", "from the lowest to the highest elevation")


# -- noise ------------------------------------------------------------------------------------
def noise_band_index(level_db: np.ndarray | float) -> np.ndarray:
    """Index into :data:`NOISE_BANDS` of each level in dB(A); ``-1`` for NaN.

    A level on a limit belongs to the band above it (55.0 → 55-60), as in NF S 31-130 maps.
    """
    level = np.asarray(level_db, dtype=float)
    index = np.searchsorted(NOISE_EDGES_DB, level, side="right").astype(np.int64)
    return np.where(np.isnan(level), -1, index)


def noise_color(level_db: float) -> str | None:
    """The NF S 31-130 colour (``#RRGGBB``) of one level in dB(A); ``None`` for NaN."""
    index = int(noise_band_index(level_db))
    return None if index < 0 else NOISE_BANDS[index].hex


def band_level_db(low_db: np.ndarray | float | None, high_db: np.ndarray | float | None) -> np.ndarray:
    """A representative level of each band ``[low, high)``, used to colour a whole band.

    The middle of a closed band; just above ``low`` for an open band ``> low`` and just below
    ``high`` for an open band ``< high``; NaN when both ends are open.
    """
    low = np.asarray(np.nan if low_db is None else low_db, dtype=float)
    high = np.asarray(np.nan if high_db is None else high_db, dtype=float)
    low, high = np.broadcast_arrays(low, high)
    middle = (low + high) / 2.0
    middle = np.where(np.isnan(high), low + 0.5, middle)
    return np.where(np.isnan(low), high - 0.5, middle)


def noise_rgba(level_db: np.ndarray, *, alpha: int = 255) -> np.ndarray:
    """(n, 4) uint8 NF S 31-130 colours of levels in dB(A); NaN gives a transparent colour."""
    index = noise_band_index(level_db).ravel()
    table = np.array(
        [(*hex_to_rgb(band.hex), alpha) for band in NOISE_BANDS] + [(0, 0, 0, 0)], dtype=np.uint8
    )
    return table[index]  # index -1 picks the transparent last row


# -- continuous maps ----------------------------------------------------------------------------
def _finite(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float).ravel()
    return values[np.isfinite(values)]


def sequential_limits(
    values: np.ndarray, percentiles: tuple[float, float] = (2.0, 98.0)
) -> tuple[float, float] | None:
    """Robust (vmin, vmax) of ``values`` (NaN ignored); ``None`` when no value is finite."""
    finite = _finite(values)
    if finite.size == 0:
        return None
    low, high = np.percentile(finite, percentiles)
    return float(low), float(high)


def diverging_limits(
    values: np.ndarray,
    center: float | None = None,
    percentiles: tuple[float, float] = (2.0, 98.0),
) -> tuple[float, float, float] | None:
    """(vmin, center, vmax) for a diverging map, symmetric around ``center``.

    ``center`` defaults to the median. The half-width reaches the farther of the two robust
    percentiles, so both colour ends mean the same distance from the centre. ``None`` when no value
    is finite.
    """
    finite = _finite(values)
    if finite.size == 0:
        return None
    low, high = np.percentile(finite, percentiles)
    middle = float(np.median(finite)) if center is None else float(center)
    half = max(abs(high - middle), abs(middle - low))
    if half == 0.0:
        half = 0.5
    return float(middle - half), float(middle), float(middle + half)


# -- colour helpers ----------------------------------------------------------------------------
def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """(r, g, b) 0–255 of ``#RRGGBB`` (or ``RRGGBB``)."""
    text = color.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"{color!r} is not a #RRGGBB colour")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
