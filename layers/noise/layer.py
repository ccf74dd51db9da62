"""Noise: a strategic noise map, Lden or Ln in dB(A), as a raster or as isophone zones.

Two shapes of the same thing:

* a raster of levels (GeoTIFF in dB(A)) → :attr:`NoiseLayer.grid`, as any raster;
* isophone zones (polygons, one band of levels each) → :attr:`NoiseLayer.bands`, a GeoDataFrame
  with ``db_low`` / ``db_high`` (float dB(A), ``db_low <= L < db_high``, NaN for an open end) and
  ``label`` (``55-60 dB(A)``), plus the file's own fields, read by
  :class:`layers.noise.isophones.IsophoneReader`; :meth:`NoiseLayer.band_triangles` triangulates
  them for the viewer.

The indicator (Lden or Ln) comes from the ``indicator`` option, the fields, the raster's tags, or
the file name. Colours follow NF S 31-130 (:data:`layers.core.palettes.NOISE_BANDS`). The levels in
front of the buildings' façades (:mod:`layers.noise.exposure`) are cached here per buildings layer.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.area import Area
from layers.core.base import Bounds, Layer
from layers.core.errors import InputError
from layers.core.geometry import Triangles, triangulate_polygons
from layers.core.palettes import NOISE_BANDS, NOISE_PALETTE_NAME, band_level_db, noise_band_index, noise_rgba
from layers.io.grid import Grid
from layers.io.raster_file import MAX_PIXELS, RasterSource
from layers.noise.bands import indicator_in_text, normalise_indicator
from layers.noise.exposure import FacadeExposure, annotate, facade_exposure, limit_for
from layers.noise.isophones import IsophoneReader, json_value
from layers.noise.style import NoiseStyle
from layers.raster.grid_layer import GridLayer

if TYPE_CHECKING:
    from layers.buildings.layer import BuildingsLayer

INDICATORS = ("Lden", "Ln")
RASTER_SUFFIXES = {".tif", ".tiff", ".asc", ".vrt", ".img", ".nc"}
INDICATOR_TAGS = (
    "INDICATOR",
    "indicator",
    "INDICATEUR",
    "indicateur",
    "INDICETYPE",
    "PERIOD",
    "DESCRIPTION",
    "description",
    "TITLE",
)
_DB_UNIT = re.compile(r"^d\s*b\s*(\(?\s*a\s*\)?)?$", re.I)


class NoiseLayer(GridLayer[NoiseStyle]):
    """A noise map (kind ``noise``): ``grid`` (raster of dB(A)) or ``bands`` (isophone zones).

    Attributes
    ----------
    indicator
        ``"Lden"`` or ``"Ln"``.
    grid
        :class:`~layers.io.grid.Grid` of levels in dB(A) for a raster, else ``None``.
    bands
        GeoDataFrame of the zones for isophones (``db_low``, ``db_high``, ``label``, ``feature`` =
        position of the zone in the file, and the file's fields), quietest first, else ``None``.
    band_field
        The field(s) the bands were read from (``"category"``, ``"lden_min/lden_max"``...).
    map_type
        CNIG map type when known: ``"A"`` (5 dB(A) zones) or ``"C"`` (zones over a limit value).

    The colours are the NF S 31-130 bands (:data:`~layers.core.palettes.NOISE_BANDS`), whatever
    the style.
    """

    kind: ClassVar[str] = "noise"
    style_class = NoiseStyle
    default_unit: ClassVar[str | None] = "dB(A)"
    accepts_images: ClassVar[bool] = False
    what: ClassVar[str] = "sound levels"

    def __init__(
        self,
        name: str,
        grid: Grid | None = None,
        *,
        bands: gpd.GeoDataFrame | None = None,
        indicator: str = "Lden",
        source: str | Path | None = None,
        unit: str | None = None,
        source_info: RasterSource | None = None,
        style: NoiseStyle | Mapping[str, Any] | None = None,
        attribution: str | None = None,
    ) -> None:
        if (grid is None) == (bands is None):
            raise ValueError("a NoiseLayer holds either a grid or bands")
        super().__init__(
            name,
            grid,
            crs=CRS.from_user_input(bands.crs) if bands is not None else None,
            source=source,
            unit=unit if grid is not None else "dB(A)",
            source_info=source_info,
            style=style,
            attribution=attribution,
        )
        self.bands: gpd.GeoDataFrame | None = bands
        self.indicator: str = indicator
        self.band_field: str | None = None
        self.map_type: str | None = None
        #: for isophones, every zone of the file accounted for (:class:`~layers.core.base.HasStats`):
        #: ``features_in``, ``dropped``, ``dropped_reasons`` ``{reason: count}``, ``repaired``
        self.stats: dict[str, Any] = {}
        self._triangles: Triangles | None = None
        #: façade exposures by buildings layer (its id): (what they were computed for, the exposure)
        self._facades: dict[int, tuple[tuple[int, int, float | None], FacadeExposure]] = {}
        #: the buildings layers last annotated (:meth:`annotate_facades`), for the report
        self._facade_buildings: list[weakref.ref[BuildingsLayer]] = []

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        crs: object | None = None,
        band: int = 1,
        indicator: str | None = None,
        band_field: str | None = None,
        layer: str | None = None,
        encoding: str | None = None,
        style: Mapping[str, Any] | None = None,
        attribution: str | None = None,
        max_pixels: int = MAX_PIXELS,
        area: Area | None = None,
        **options: Any,
    ) -> NoiseLayer:
        """Read a noise raster (GeoTIFF of dB(A)) or isophone polygons (any vector format).

        Parameters
        ----------
        indicator
            ``"Lden"`` or ``"Ln"`` when the file does not say (or to keep one of both in a file
            that mixes them).
        band_field
            The field holding the bands, when the detection picks the wrong one.
        layer, encoding
            Layer of a GeoPackage, text encoding of a shapefile (see :func:`layers.io.read_vector`).
        area
            Read only the isophones that meet it (a raster: the window over it).
        """
        path = Path(path)
        wanted = _checked_indicator(path, indicator)
        if path.suffix.lower() in RASTER_SUFFIXES:
            return super().load(
                path,
                name=name,
                crs=crs,
                band=band,
                style=style,
                attribution=attribution,
                max_pixels=max_pixels,
                area=area,
                indicator=wanted,
                **options,
            )
        from layers.io.vector_file import read_vector

        data = read_vector(path, layer=layer, crs=crs, encoding=encoding, area=area)
        reader = IsophoneReader(path, data.frame, wanted, band_field)
        frame = reader.read()
        dropped = {
            reason: int(len(positions)) for reason, positions in data.skipped.items() if len(positions)
        }
        for reason, count in reader.dropped.items():
            dropped[reason] = dropped.get(reason, 0) + count
        noise = cls(
            name or path.stem,
            bands=frame,
            indicator=reader.indicator,
            source=path,
            style=style,
            attribution=attribution,
        )
        noise.band_field = reader.field
        noise.map_type = reader.map_type
        noise.stats = {
            "features_in": int(data.features_read or len(data.frame)),
            "features": len(frame),
            "dropped": int(sum(dropped.values())),
            "dropped_reasons": dropped,
            "repaired": reader.repaired,
        }
        noise.warnings.extend(data.warnings + reader.warnings)
        noise.options = {key: value for key, value in options.items() if value is not None}
        for key, value in (
            ("indicator", indicator and wanted),
            ("band_field", band_field),
            ("layer", layer),
            ("encoding", encoding),
        ):
            if value:
                noise.options[key] = value
        if crs is not None:
            noise.options["crs"] = crs_util.label(data.crs)
        return noise

    def _loaded(self, path: Path, *, indicator: str | None = None, **options: Any) -> None:
        """Raster: the indicator from the option, the tags, the band description or the file name."""
        texts = [str(self.source_info.tags.get(key, "")) for key in INDICATOR_TAGS]
        texts += [self.source_info.description or "", path.stem]
        found = indicator
        for text in texts:
            found = found or normalise_indicator(text) or indicator_in_text(text)
        if found is None:
            self.warnings.append("indicator not found in the tags nor in the file name: Lden assumed")
        self.indicator = found or "Lden"
        if indicator:
            self.options["indicator"] = indicator
        if self.unit and not _DB_UNIT.match(self.unit.strip()):
            self.warnings.append(f"unit {self.unit!r} is not dB(A); values shown as levels in dB(A)")
        self.unit = "dB(A)"

    # -- geometry ------------------------------------------------------------------------------
    def bounds(self) -> Bounds:
        if self.bands is None:
            return super().bounds()
        xmin, ymin, xmax, ymax = (float(v) for v in self.bands.total_bounds)
        return xmin, ymin, xmax, ymax

    def reproject(self, crs: CRS) -> None:
        self._facades = {}
        if self.bands is None:
            super().reproject(crs)
            return
        crs = crs_util.parse_crs(crs)
        self.bands = self.bands.to_crs(crs)
        self.crs = crs
        self._triangles = None

    def band_triangles(self) -> Triangles:
        """The zones triangulated (``owner`` = row position in :attr:`bands`), in :attr:`crs`."""
        bands = self._require_bands()
        if self._triangles is None:
            self._triangles = triangulate_polygons(np.asarray(bands.geometry.values))
        return self._triangles

    # -- façades -------------------------------------------------------------------------------
    def facade_limit_db(self) -> float:
        """The limit value of the façade report, dB(A): the style's, else 68 for Lden, 62 for Ln."""
        return limit_for(self.indicator, self.style.facade_limit_db)

    def facade_exposure(self, buildings: BuildingsLayer, limit_db: float | None = None) -> FacadeExposure:
        """The levels on the façades of ``buildings`` (same CRS) and the share above the limit value
        (:class:`layers.noise.exposure.FacadeExposure`); cached per buildings layer. ``limit_db``
        defaults to :meth:`facade_limit_db`."""
        if limit_db is None:
            limit_db = self.style.facade_limit_db
        key = (id(buildings.frame), len(buildings.frame), limit_db)
        cached = self._facades.get(id(buildings))
        if cached is None or cached[0] != key:
            cached = (key, facade_exposure(buildings, self, limit_db=limit_db))
            self._facades[id(buildings)] = cached
        return cached[1]

    def annotate_facades(
        self, buildings: Iterable[BuildingsLayer]
    ) -> list[tuple[BuildingsLayer, FacadeExposure]]:
        """Compute the façades of each buildings layer (those of the scene) and write the figures
        per building into its frame (:func:`layers.noise.exposure.annotate`: they colour the
        buildings and show in the inspector); they are then what :meth:`facade_summaries` reports.
        A buildings layer whose façades cannot be computed is left out, with a warning."""
        done: list[tuple[BuildingsLayer, FacadeExposure]] = []
        for layer in buildings:
            try:
                exposure = self.facade_exposure(layer)
                annotate(layer, exposure)
            except (ValueError, TypeError, IndexError, shapely.errors.GEOSException) as exc:
                warning = f"façades of {layer.name!r} not computed: {exc}"  # never lose the project for it
                if warning not in self.warnings:
                    self.warnings.append(warning)
                continue
            done.append((layer, exposure))
        self._facade_buildings = [weakref.ref(layer) for layer, _ in done]
        return done

    def facade_summaries(self) -> list[tuple[str, dict[str, Any]]]:
        """(buildings layer name, :meth:`~layers.noise.exposure.FacadeExposure.summary`) for each
        buildings layer last annotated, at the current limit value."""
        alive = [layer for layer in (ref() for ref in self._facade_buildings) if layer is not None]
        return [(layer.name, self.facade_exposure(layer).summary()) for layer in alive]

    # -- colours -------------------------------------------------------------------------------
    def band_rgba(self) -> np.ndarray:
        """(n, 4) uint8 NF S 31-130 colour of each row of :attr:`bands`."""
        bands = self._require_bands()
        return noise_rgba(band_level_db(bands["db_low"].to_numpy(), bands["db_high"].to_numpy()))

    def band_levels_db(self) -> np.ndarray:
        """(n,) float representative level of each row of :attr:`bands`, dB(A) (what colours it)."""
        bands = self._require_bands()
        return band_level_db(bands["db_low"].to_numpy(dtype=float), bands["db_high"].to_numpy(dtype=float))

    def _require_bands(self) -> gpd.GeoDataFrame:
        if self.bands is None:
            raise ValueError(f"noise layer {self.name!r} is a raster: it has no bands")
        return self.bands

    def legend(self) -> list[tuple[str, str]]:
        """(label, ``#RRGGBB``) entries for the legend, quietest first.

        Isophones: the bands found in the file (a limit-value map shows ``> 68 dB(A)``); raster: the
        NF S 31-130 bands from its quietest to its loudest pixel.
        """
        if self.bands is not None:
            pairs = self.bands[["db_low", "db_high", "label"]].drop_duplicates("label")
            levels = band_level_db(pairs["db_low"].to_numpy(), pairs["db_high"].to_numpy())
            order = np.argsort(levels, kind="stable")
            index = noise_band_index(levels)
            return [(pairs["label"].iloc[i], NOISE_BANDS[index[i]].hex) for i in order if index[i] >= 0]
        values = self.grid_values()
        if not np.isfinite(values).any():
            return []
        low, high = noise_band_index(np.array([np.nanmin(values), np.nanmax(values)]))
        return [(band.label, band.hex) for band in NOISE_BANDS[low : high + 1]]

    # -- values --------------------------------------------------------------------------------
    def value_range(self) -> tuple[float, float] | None:
        """Range of levels in dB(A): robust for a raster, the finite band limits for isophones."""
        if self.bands is None:
            return super().value_range()
        limits = np.concatenate([self.bands["db_low"].to_numpy(), self.bands["db_high"].to_numpy()])
        limits = limits[np.isfinite(limits)]
        return (float(limits.min()), float(limits.max())) if limits.size else None

    def feature_count(self) -> int:
        return len(self.bands) if self.bands is not None else super().feature_count()

    def attributes(self, index: int) -> dict[str, Any]:
        """A zone's fields (isophones) or a pixel (raster), for the inspector."""
        if self.bands is None:
            return super().attributes(index)
        row = self.bands.iloc[int(index)]
        return {str(key): json_value(value) for key, value in row.items() if key != self.bands.geometry.name}

    def attributes_at(self, x: float, y: float) -> dict[str, Any]:
        """The loudest zone under (x, y), or the level of the pixel; ``{}`` when none."""
        if self.bands is None:
            info = super().attributes_at(x, y)
            if info:
                info["indicator"] = self.indicator
            return info
        hits = self.bands.sindex.query(shapely.Point(x, y), predicate="intersects")
        if len(hits) == 0:
            return {}
        lows = self.bands["db_low"].to_numpy()[hits]
        loudest = hits[np.argmax(np.where(np.isnan(lows), -np.inf, lows))]
        return self.attributes(int(loudest))

    def raster_bands(self) -> list[dict[str, Any]]:
        """The NF S 31-130 bands a raster's pixels fall in: label, pixels, share of the pixels with
        data (%), quietest first (for ``maquette info``)."""
        index = noise_band_index(self.grid_values().reshape(-1))
        counts = np.bincount(index[index >= 0], minlength=len(NOISE_BANDS))
        total = int(counts.sum())
        return [
            {
                "label": band.label,
                "db_low": band.low_db,
                "db_high": band.high_db,
                "pixels": int(n),
                "share_pct": round(100.0 * n / total, 2),
            }
            for band, n in zip(NOISE_BANDS, counts)
            if n
        ]

    def describe(self) -> dict[str, Any]:
        if self.bands is None:
            info = super().describe()
            info["noise_bands"] = self.raster_bands()
        else:
            info = Layer.describe(self)
            counts = self.bands.groupby("label", sort=False).agg(
                db_low=("db_low", "first"), db_high=("db_high", "first"), features=("label", "size")
            )
            order = np.argsort(
                band_level_db(counts["db_low"].to_numpy(), counts["db_high"].to_numpy()), kind="stable"
            )
            info["bands"] = [
                {
                    "label": label,
                    "db_low": json_value(row.db_low),
                    "db_high": json_value(row.db_high),
                    "features": int(row.features),
                }
                for label, row in counts.iloc[order].iterrows()
            ]
            info["band_field"] = self.band_field
            if self.map_type:
                info["map_type"] = {"A": "A (zones of 5 dB(A))", "C": "C (zones over a limit value)"}.get(
                    self.map_type, self.map_type
                )
            info["unit"] = "dB(A)"
            for key in ("features_in", "dropped", "dropped_reasons"):
                if key in self.stats:
                    info[key] = self.stats[key]
        info["kind"] = "noise"
        info["indicator"] = self.indicator
        info["palette"] = NOISE_PALETTE_NAME
        return info


def _checked_indicator(path: Path, indicator: str | None) -> str | None:
    if indicator is None:
        return None
    found = normalise_indicator(indicator)
    if found is None:
        raise InputError(path, f"unknown noise indicator {indicator!r}", hint="expected Lden or Ln")
    return found
