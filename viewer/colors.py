"""Colour tables: continuous colormaps, discrete bands (NF S 31-130...) and category palettes.

Everything becomes a ``vtkLookupTable`` that both the mapper and its legend share, so the legend is
the colouring by construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_rgb
from vtkmodules.vtkCommonCore import vtkLookupTable, vtkVariant

if TYPE_CHECKING:
    from matplotlib.typing import ColorType

#: no reading / no data, a neutral grey that reads as "missing" next to any palette
NAN_RGBA = (0.62, 0.62, 0.62, 1.0)

#: soft, distinguishable colours for categories (urban usage, land use...)
CATEGORY_PALETTE = (
    "#e3c16f",
    "#8fb3d9",
    "#d98c7a",
    "#9ccf8f",
    "#b59ad6",
    "#e6a35c",
    "#7fc4bd",
    "#d4a5c4",
    "#a7a28f",
    "#c9d77a",
    "#f0d7a8",
    "#8a9bb5",
    "#c78d5b",
    "#6fa58a",
    "#e8b4b4",
    "#b3b3b3",
)

#: colours for well-known category values (French and English), so a park is green and water blue
KNOWN_CATEGORY_COLORS = {
    "eau": "#a9cfe8",
    "water": "#a9cfe8",
    "rivière": "#a9cfe8",
    "river": "#a9cfe8",
    "parc": "#b7d8a0",
    "park": "#b7d8a0",
    "jardin": "#c3e0ad",
    "garden": "#c3e0ad",
    "forêt": "#8fbf80",
    "forest": "#8fbf80",
    "grass": "#c3e0ad",
    "pelouse": "#c3e0ad",
    "place": "#e6e1d6",
    "square": "#e6e1d6",
    "résidentiel": "#f0d7a8",
    "commercial et services": "#e6a35c",
    "industriel": "#a7a28f",
    "religieux": "#b59ad6",
    "sportif": "#9ccf8f",
    "annexe": "#d9d4c7",
    "indifférencié": "#c8c3b8",
    "indifférenciée": "#c8c3b8",
    "inconnu": "#c8c3b8",
    "inconnue": "#c8c3b8",
    "unknown": "#c8c3b8",
}


def rgb(color: ColorType) -> tuple[float, float, float]:
    """A colour name, ``#rrggbb`` or an RGB(A) tuple 0..1 as RGB floats 0..1."""
    r, g, b = to_rgb(color)
    return (float(r), float(g), float(b))


def continuous_lut(
    cmap: str,
    clim: tuple[float, float],
    *,
    n: int = 256,
    nan_rgba: tuple[float, float, float, float] = NAN_RGBA,
) -> vtkLookupTable:
    """A lookup table sampling matplotlib colormap ``cmap`` over ``clim`` (values outside are clamped)."""
    lo, hi = float(clim[0]), float(clim[1])
    if not np.isfinite(lo) or not np.isfinite(hi):
        lo, hi = 0.0, 1.0
    if hi <= lo:
        hi = lo + 1.0
    lut = vtkLookupTable()
    lut.SetNumberOfTableValues(n)
    lut.SetRange(lo, hi)
    samples = colormaps[cmap](np.linspace(0.0, 1.0, n))
    for i, color in enumerate(samples):
        lut.SetTableValue(i, *color)
    lut.SetNanColor(*nan_rgba)
    lut.Build()
    return lut


def indexed_lut(
    colors: Sequence[str],
    labels: Sequence[str],
    *,
    nan_rgba: tuple[float, float, float, float] = NAN_RGBA,
) -> vtkLookupTable:
    """A lookup table mapping the integers 0..n-1 to ``colors``, annotated with ``labels`` (legend)."""
    lut = vtkLookupTable()
    lut.SetNumberOfTableValues(len(colors))
    lut.SetRange(0, max(len(colors) - 1, 1))
    for i, (color, label) in enumerate(zip(colors, labels)):
        lut.SetTableValue(i, *rgb(color), 1.0)
        lut.SetAnnotation(vtkVariant(i), str(label))
    lut.SetNanColor(*nan_rgba)
    lut.IndexedLookupOn()
    lut.Build()
    return lut


def category_colors(categories: Iterable[object]) -> list[str]:
    """A colour for each category: a known one (water is blue) or the next palette colour."""
    colors = []
    palette_index = 0
    for category in categories:
        known = KNOWN_CATEGORY_COLORS.get(str(category).strip().lower())
        if known:
            colors.append(known)
        else:
            colors.append(CATEGORY_PALETTE[palette_index % len(CATEGORY_PALETTE)])
            palette_index += 1
    return colors


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 5 × 10^k steps) covering ``lo``..``hi`` for legends."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / max(count - 1, 1)
    magnitude = 10 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = np.ceil(lo / step) * step
    ticks = np.arange(first, hi + step * 1e-6, step)
    return [float(round(t, 10)) for t in ticks]
