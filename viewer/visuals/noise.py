"""Noise maps in the NF S 31-130 colours: a raster of dB(A), or isophone zones, and the façades.

One lookup table does all the colouring: eight equal bins of 5 dB over 40–80 dB(A) *are* the eight
NF S 31-130 bands (below 40 clamps to the first, above 80 to the last), so a raster's levels, an
isophone zone's representative level and a façade's level all go through the same table, and the
legend lists the same colours. The legend names the indicator (Lden or Ln) and dB(A).

With the style ``facades`` on, the walls of every buildings layer of the scene are drawn again, a
few centimetres in front of the walls, coloured by the level sampled in front of each piece of wall
(:mod:`layers.noise.exposure`; drawing them annotates the buildings with their figures): one extra
actor for all buildings. Party walls are left to the buildings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vtkmodules.vtkCommonCore import vtkLookupTable, vtkVariant
from vtkmodules.vtkRenderingCore import vtkActor, vtkProp

from layers.buildings.layer import BuildingsLayer
from layers.core.palettes import NOISE_BANDS, NOISE_EDGES_DB, hex_to_rgb, noise_band_index
from layers.noise.layer import NoiseLayer
from layers.terrain.layer import TerrainLayer

from ..colors import indexed_lut
from ..legends import Legend
from ..words import say
from .base import GROUND_Z, triangles_polydata
from .raster import TRANSPARENT, RasterVisual

#: façades stand this far in front of the building walls, metres
FACADE_OFFSET_M = 0.12
#: lighting of façades: mostly flat so the colours stay those of the legend, a little shading so
#: that walls still read as walls
FACADE_LIGHT: dict[str, Any] = {"Ambient": 0.62, "Diffuse": 0.45, "Specular": 0.0}


def band_edges() -> np.ndarray:
    """Upper edges (dB) of the palette's bands but the last: [45, 50, ..., 75]."""
    return NOISE_EDGES_DB.copy()


def classify(values_db: np.ndarray) -> np.ndarray:
    """Band index (0..7) of each level as float; NaN stays NaN (no data is transparent, not quiet)."""
    index = noise_band_index(values_db).astype(np.float32)
    index[index < 0] = np.nan
    return index


def noise_lut(nan_rgba: tuple[float, float, float, float] = TRANSPARENT) -> vtkLookupTable:
    """The NF S 31-130 scale as a VTK table mapping levels in dB(A) straight to band colours.

    Eight bins of 5 dB over [40, 80]: bin *i* is [40 + 5 i, 45 + 5 i), the band of the standard;
    levels under 40 take the first colour (< 45), over 80 the last (> 75). A level on a limit goes
    to the band above, as :func:`layers.core.palettes.noise_band_index` says.
    """
    width = float(NOISE_EDGES_DB[1] - NOISE_EDGES_DB[0])
    lo, hi = float(NOISE_EDGES_DB[0] - width), float(NOISE_EDGES_DB[-1] + width)
    lut = vtkLookupTable()
    lut.SetNumberOfTableValues(len(NOISE_BANDS))
    lut.SetRange(lo, hi)
    for i, band in enumerate(NOISE_BANDS):
        r, g, b = (c / 255.0 for c in hex_to_rgb(band.hex))
        lut.SetTableValue(i, r, g, b, 1.0)
        lut.SetAnnotation(vtkVariant(lo + width * (i + 0.5)), band.label)
    lut.SetNanColor(*nan_rgba)
    lut.Build()
    return lut


def legend_lut(entries: list[tuple[str, str]]) -> vtkLookupTable:
    """An indexed table of the legend's swatches: ``entries`` are (label, ``#RRGGBB``)."""
    entries = entries or [(band.label, band.hex) for band in NOISE_BANDS]
    return indexed_lut([color for _, color in entries], [label for label, _ in entries], nan_rgba=TRANSPARENT)


def level_legend(title: str, low_db: float, high_db: float) -> Legend:
    """NF S 31-130 swatches of the bands from ``low_db`` to ``high_db`` (e.g. sensors' readings)."""
    first, last = (int(i) for i in noise_band_index(np.array([low_db, high_db], dtype=float)))
    bands = NOISE_BANDS[max(first, 0) : max(last, first, 0) + 1]
    return Legend(title, legend_lut([(band.label, band.hex) for band in bands]), categorical=True)


class NoiseVisual(RasterVisual[NoiseLayer]):
    """A noise map in the NF S 31-130 colours: its raster or its isophone zones (unless the style
    asks for the façades only), and the façades of the scene's buildings when the style asks."""

    layer_type = NoiseLayer
    kind = "noise"
    z_role = "noise"

    facade_actor: vtkActor | None = None
    _owner: np.ndarray

    def build(self) -> None:
        self.lut = noise_lut()
        self._legend = Legend(self.title(), legend_lut(self.layer.legend()), categorical=True)
        self.facade_actor = None
        self.actor = None
        style = self.layer.style
        if style.shows_map:
            if self.layer.grid is not None:
                super().build()
                self._legend = Legend(self.title(), legend_lut(self.layer.legend()), categorical=True)
            else:
                self._build_bands()
        if style.shows_facades:
            self._build_facades()

    def display_values(self, values: np.ndarray) -> np.ndarray:
        """Levels with the no-data pixels that touch a level given their loudest neighbour's level.

        Strategic maps leave pixels inside buildings empty; at 5 or 10 m a pixel whose centre is in
        a building overhangs its walls, and the bare ground showed as light slivers along every
        façade. The buildings cover the filled pixels; the probe and the inspector still read the
        file's own no data. ``"fill_gaps": false`` in the style shows the pixels as they are.
        """
        if not self.layer.style.fill_gaps:
            return values
        missing = np.isnan(values)
        if not missing.any() or missing.all():
            return values
        from scipy.ndimage import maximum_filter

        loudest = maximum_filter(np.where(missing, -np.inf, values), size=3, mode="nearest")
        return np.where(missing & np.isfinite(loudest), loudest, values).astype(values.dtype, copy=False)

    def colouring(self) -> tuple[vtkLookupTable, Legend]:
        return self.lut, Legend(self.title(), legend_lut(self.layer.legend()), categorical=True)

    def _build_bands(self) -> None:
        tris = self.layer.band_triangles()
        self._owner = tris.owner
        mesh = triangles_polydata(self.view.to_local(tris.points, z=GROUND_Z["noise"]), tris.triangles)
        mesh.cell_data["level_db"] = self.layer.band_levels_db()[self._owner].astype(np.float32)
        self.actor = self.add_polydata(mesh, lut=self.lut, scalars="level_db")

    # -- façades ---------------------------------------------------------------------------
    def _build_facades(self) -> None:
        parts_points, parts_faces, levels = [], [], []
        offset = 0
        scene = self.view.scene
        terrain = scene.terrain()
        buildings_layers = [
            layer for layer in scene.of_kind("buildings") if isinstance(layer, BuildingsLayer)
        ]
        for buildings, exposure in self.layer.annotate_facades(buildings_layers):
            seg = exposure.segments
            keep = seg.exposed & np.isfinite(exposure.level_db) & (seg.top_m > seg.base_m)
            if not keep.any():
                continue
            shift = seg.normal[keep] * FACADE_OFFSET_M
            a, b = seg.start[keep] + shift, seg.end[keep] + shift
            base, top = seg.base_m[keep], seg.top_m[keep]
            if isinstance(terrain, TerrainLayer):  # on a DEM: where the buildings stand
                ground = np.nan_to_num(buildings.seat_on(terrain) - scene.ground_reference_m, nan=0.0)[
                    seg.owner[keep]
                ]
                base, top = base + ground, top + ground
            corners = np.stack(
                [
                    np.column_stack([a, base]),
                    np.column_stack([b, base]),
                    np.column_stack([b, top]),
                    np.column_stack([a, top]),
                ],
                axis=1,
            ).reshape(-1, 3)
            n = int(keep.sum())
            first = offset + 4 * np.arange(n)
            faces = np.concatenate(
                [
                    np.column_stack([first, first + 1, first + 2]),
                    np.column_stack([first, first + 2, first + 3]),
                ]
            )
            parts_points.append(self.view.to_local(corners))
            parts_faces.append(faces)
            levels.append(np.concatenate([exposure.level_db[keep], exposure.level_db[keep]]))
            offset += 4 * n
        if not parts_faces:
            return
        mesh = triangles_polydata(np.concatenate(parts_points), np.concatenate(parts_faces))
        mesh.cell_data["level_db"] = np.concatenate(levels).astype(np.float32)
        self.facade_actor = self.add_polydata(
            mesh,
            lut=self.lut,
            scalars="level_db",
            lit=True,
            depth_role="facade",
            pickable=False,
            **FACADE_LIGHT,
        )

    # -- texts -----------------------------------------------------------------------------
    def title(self) -> str:
        return f"{say('Noise', self.view.language)} {self.layer.indicator} (dB(A))"

    # -- picking ---------------------------------------------------------------------------
    def pick_cell(self, actor: vtkProp, cell_id: int) -> int | None:
        if self.layer.grid is not None:
            return super().pick_cell(actor, cell_id) if self.actor is not None else None
        if actor is not None and actor is self.actor and 0 <= cell_id < len(self._owner):
            return int(self._owner[cell_id])
        return None

    def attributes(self, index: int) -> dict[str, Any]:
        if self.layer.grid is not None:
            return super().attributes(index)
        return dict(self.layer.attributes(index))

    def probe(self, x: float, y: float) -> str | None:
        """``Lden 67.3 dB(A)`` for a raster, ``Lden 65-70 dB(A)`` in an isophone zone."""
        info = self.layer.attributes_at(x, y)
        if not info:
            return None
        indicator = self.layer.indicator
        if self.layer.grid is not None:
            value = info.get("value")
            return None if value is None else f"{indicator} {value:.1f} dB(A)"
        label = info.get("label")
        return f"{indicator} {label}" if label else None
