"""Noise: a strategic noise map, Lden or Ln in dB(A), as a raster or as isophone zones.

Two shapes of the same thing:

* a raster of levels (GeoTIFF in dB(A)) → :attr:`NoiseLayer.grid`, as any raster;
* isophone zones (polygons, one band of levels each) → :attr:`NoiseLayer.bands`, a GeoDataFrame
  with ``db_low`` / ``db_high`` (float dB(A), ``db_low <= L < db_high``, NaN for an open end) and
  ``label`` (``55-60 dB(A)``), plus the file's own fields; :meth:`NoiseLayer.band_triangles`
  triangulates them for the viewer.

Bands are read from numeric limit fields (``lden_min`` / ``lden_max``), from a label field in any
published style (``Lden5559``, ``[62,66]``, ``55 à 60 dB(A)``...) or from CNIG ``LEGENDE`` codes
(see :mod:`layers.noise.bands`). The indicator (Lden or Ln) comes from the ``indicator`` option,
the fields (``INDICETYPE`` LD / LN, ``indicateur``, the labels' prefix), the raster's tags, or the
file name. Colours follow NF S 31-130 (:data:`layers.core.palettes.NOISE_BANDS`).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, ClassVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.base import Layer
from layers.core.errors import InputError
from layers.core.geometry import Triangles, triangulate_polygons
from layers.core.palettes import (
    NOISE_BANDS,
    NOISE_PALETTE_NAME,
    NoiseBand,
    band_level_db,
    noise_band_index,
    noise_rgba,
)
from layers.io.grid import Grid
from layers.io.raster_file import MAX_PIXELS, RasterSource
from layers.noise.bands import band_labels, indicator_in_text, limits_db, normalise_indicator, parse_labels
from layers.raster.layer import RasterLayer

INDICATORS = ("Lden", "Ln")
RASTER_SUFFIXES = {".tif", ".tiff", ".asc", ".vrt", ".img", ".nc"}
#: fields holding the indicator of each zone
INDICATOR_FIELDS = ("indicetype", "indicateur", "indicator", "indice", "period", "periode", "période")
#: fields holding a band label, most telling first
LABEL_FIELDS = (
    "category",
    "categorie",
    "catégorie",
    "noiselevel",
    "isolabel",
    "legende",
    "légende",
    "classe",
    "class",
    "bande",
    "band",
    "label",
    "libelle",
    "libellé",
    "db_class",
    "classe_db",
    "plage",
    "tranche",
    "niveau",
    "type",
)
#: pairs of numeric fields giving the limits of each band in dB(A)
LIMIT_PAIRS = (
    ("lden_min", "lden_max"),
    ("ln_min", "ln_max"),
    ("lnight_min", "lnight_max"),
    ("db_min", "db_max"),
    ("dbmin", "dbmax"),
    ("db_lo", "db_hi"),
    ("db_low", "db_high"),
    ("min_db", "max_db"),
    ("niveau_min", "niveau_max"),
    ("level_min", "level_max"),
    ("val_min", "val_max"),
    ("isomin", "isomax"),
    ("min", "max"),
)
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


class NoiseLayer(RasterLayer):
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
    palette
        :data:`~layers.core.palettes.NOISE_BANDS` (NF S 31-130).
    """

    kind: ClassVar[str] = "noise"
    default_unit: ClassVar[str | None] = "dB(A)"
    accepts_images: ClassVar[bool] = False
    what: ClassVar[str] = "sound levels"
    palette: tuple[NoiseBand, ...] = NOISE_BANDS  # type: ignore[assignment]

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
        style: dict[str, Any] | None = None,
        attribution: str | None = None,
    ) -> None:
        if (grid is None) == (bands is None):
            raise ValueError("a NoiseLayer holds either a grid or bands")
        if grid is not None:
            super().__init__(
                name,
                grid,
                source=source,
                unit=unit,
                source_info=source_info,
                style=style,
                attribution=attribution,
            )
        else:
            Layer.__init__(
                self,
                name,
                source=source,
                crs=CRS.from_user_input(bands.crs),
                style=style,
                attribution=attribution,
            )
            self.grid = None
            self.unit = "dB(A)"
            self.source_info = source_info or RasterSource()
            self._range_cache = None
        self.bands = bands
        self.indicator = indicator
        self.band_field: str | None = None
        self.map_type: str | None = None
        self._triangles: Triangles | None = None
        self._facades: dict[tuple, Any] = {}

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
        style: dict[str, Any] | None = None,
        attribution: str | None = None,
        max_pixels: int = MAX_PIXELS,
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
                indicator=wanted,
                **options,
            )
        from layers.io.vector_file import read_vector

        data = read_vector(path, layer=layer, crs=crs, encoding=encoding)
        reader = _BandReader(path, data.frame, wanted, band_field)
        frame = reader.read()
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
    def bounds(self) -> tuple[float, float, float, float]:
        if self.bands is None:
            return super().bounds()
        return tuple(float(v) for v in self.bands.total_bounds)  # type: ignore[return-value]

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
        if self.bands is None:
            raise ValueError(f"noise layer {self.name!r} is a raster: it has no bands")
        if self._triangles is None:
            self._triangles = triangulate_polygons(self.bands.geometry.values)
        return self._triangles

    def facade_exposure(self, buildings: Any, limit_db: float | None = None) -> Any:
        """The levels on the façades of ``buildings`` (same CRS) and the share above the limit value
        (:class:`layers.noise.facade.FacadeExposure`); cached per buildings layer. ``limit_db`` defaults
        to the style's ``facade_limit_db``, else 68 dB(A) for Lden, 62 for Ln."""
        from layers.noise.facade import facade_exposure

        if limit_db is None and self.style.get("facade_limit_db") is not None:
            limit_db = float(self.style.get("facade_limit_db"))
        key = (id(buildings), id(buildings.frame), len(buildings.frame), limit_db)
        if key not in self._facades:
            self._facades = {k: v for k, v in self._facades.items() if k[0] != id(buildings)}
            self._facades[key] = facade_exposure(buildings, self, limit_db=limit_db)
        return self._facades[key]

    def band_rgba(self) -> np.ndarray:
        """(n, 4) uint8 NF S 31-130 colour of each row of :attr:`bands`."""
        return noise_rgba(band_level_db(self.bands["db_low"].to_numpy(), self.bands["db_high"].to_numpy()))

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
        values = self.grid.values
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
        return {key: _jsonable(value) for key, value in row.items() if key != self.bands.geometry.name}

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
        index = noise_band_index(self.grid.values.reshape(-1))
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
                    "db_low": _jsonable(row.db_low),
                    "db_high": _jsonable(row.db_high),
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


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if value is pd.NaT or (
        not isinstance(value, (str, bytes)) and pd.api.types.is_scalar(value) and pd.isna(value)
    ):
        return None
    return value


class _BandReader:
    """Turns a frame of isophone polygons into the :attr:`NoiseLayer.bands` frame."""

    def __init__(
        self, path: Path, frame: gpd.GeoDataFrame, indicator: str | None, band_field: str | None
    ) -> None:
        self.path = path
        self.frame = frame
        self.wanted = indicator
        self.band_field = band_field
        self.by_lower = {str(c).lower(): str(c) for c in frame.columns if c != frame.geometry.name}
        self.warnings: list[str] = []
        self.indicator = indicator or "Lden"
        self.field: str | None = None
        self.map_type: str | None = None

    def read(self) -> gpd.GeoDataFrame:
        frame = self._polygons(self.frame)
        self.map_type = self._map_type(frame)
        row_indicator = self._row_indicators(frame)
        self.indicator = self._file_indicator(row_indicator)
        low, high, ok = self._bands(frame)
        keep = ok.copy()
        if (~ok).any():
            column = self.field.split("/")[0] if self.field else None
            examples = (
                ", ".join(repr(v) for v in pd.unique(frame[column][~ok].astype(str))[:3]) if column else ""
            )
            self.warnings.append(f"{int((~ok).sum())} zones with a band not understood ({examples}) left out")
        other = (row_indicator.notna() & (row_indicator != self.indicator)).to_numpy()
        if other.any():
            found = ", ".join(sorted(set(row_indicator[other])))
            self.warnings.append(
                f"{int(other.sum())} zones of {found} left out (the layer shows {self.indicator}; "
                f"load again with indicator='{found.split(',')[0]}' to see them)"
            )
            keep &= ~other
        result = frame.loc[keep].copy()
        for column in ("db_low", "db_high", "label", "feature"):
            if column in result.columns:
                result = result.rename(columns={column: f"{column}_source"})
        result["db_low"] = low[keep]
        result["db_high"] = high[keep]
        result["label"] = band_labels(result["db_low"].to_numpy(), result["db_high"].to_numpy())
        result["feature"] = result.index.to_numpy()
        levels = band_level_db(result["db_low"].to_numpy(), result["db_high"].to_numpy())
        order = np.argsort(np.where(np.isnan(levels), -np.inf, levels), kind="stable")
        result = result.iloc[order].reset_index(drop=True)
        if result.empty:
            raise InputError(self.path, "no noise zone left to show", hint="see the warnings above")
        return result

    # -- geometry --------------------------------------------------------------------------------
    def _polygons(self, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        geoms = frame.geometry.values
        polygonal = np.isin(shapely.get_type_id(geoms), [3, 6, 7])  # Polygon, MultiPolygon, collection
        if not polygonal.any():
            raise InputError(self.path, "holds no polygons (noise zones between isophones expected)")
        if not polygonal.all():
            self.warnings.append(f"{int((~polygonal).sum())} features that are not polygons left out")
            frame = frame.loc[polygonal]
            geoms = frame.geometry.values
        geoms = shapely.force_2d(np.asarray(geoms, dtype=object))
        invalid = ~shapely.is_valid(geoms)
        if invalid.any():
            geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
            self.warnings.append(f"{int(invalid.sum())} invalid polygons repaired")
        collections = np.flatnonzero(shapely.get_type_id(geoms) == 7)
        if len(collections):  # keep only the polygonal parts of a geometry collection
            parts, owner = shapely.get_parts(geoms[collections], return_index=True)
            parts, sub = shapely.get_parts(parts, return_index=True)  # multipolygons → polygons
            owner = owner[sub]
            is_polygon = shapely.get_type_id(parts) == 3
            parts, owner = parts[is_polygon], owner[is_polygon]
            geoms[collections] = shapely.Polygon()
            if len(parts):
                present, dense = np.unique(owner, return_inverse=True)
                geoms[collections[present]] = shapely.multipolygons(parts, indices=dense)
        empty = shapely.is_empty(geoms) | (shapely.area(geoms) <= 0)
        frame = frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
        if empty.any():
            self.warnings.append(f"{int(empty.sum())} empty or flat zones left out")
            frame = frame.loc[~empty]
        if frame.empty:
            raise InputError(self.path, "holds no polygon with an area")
        return frame

    # -- attributes ------------------------------------------------------------------------------
    def _column(self, *names: str) -> str | None:
        return next((self.by_lower[n] for n in names if n in self.by_lower), None)

    def _map_type(self, frame: gpd.GeoDataFrame) -> str | None:
        column = self._column("cbstype", "typecarte", "type_carte")
        if column is not None:
            values = frame[column].dropna().astype(str).str.strip().str.upper().str[:1]
            if len(values) and values.mode().iloc[0] in {"A", "B", "C", "D", "E"}:
                return values.mode().iloc[0]
        column = self._column("zonedef")
        if column is not None:
            values = frame[column].dropna().astype(str).str.strip()
            if len(values):
                code = values.mode().iloc[0].lstrip("0")
                return {"1": "A", "2": "A", "3": "C", "4": "C"}.get(code)
        match = re.search(r"(?:^|_)([AC])_(?:LD|LN)(?:_|$)", self.path.stem.upper())
        if match:
            return match.group(1)
        return "C" if re.search(r"d[ée]passement|exceed", self.path.stem, re.I) else None

    def _row_indicators(self, frame: gpd.GeoDataFrame) -> pd.Series:
        """Indicator of each zone from its fields or its label prefix (None where unknown)."""
        result = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        column = self._column(*INDICATOR_FIELDS)
        if column is not None:
            uniques = {v: normalise_indicator(v) for v in pd.unique(frame[column].dropna())}
            result = frame[column].map(uniques).astype(object)
        column = self._column(*LABEL_FIELDS[:3])  # category / noiselevel: Lden5559, Lnight5054
        if column is not None:
            uniques = {v: indicator_in_text(str(v)) for v in pd.unique(frame[column].dropna())}
            from_label = frame[column].map(uniques)
            result = result.where(result.notna(), from_label)
        return result.where(result.notna(), None)

    def _file_indicator(self, row_indicator: pd.Series) -> str:
        if self.wanted:
            return self.wanted
        known = row_indicator.dropna()
        if len(known):
            return str(known.value_counts().index[0])
        for low, _ in LIMIT_PAIRS:
            if low in self.by_lower and low.split("_")[0] in {"lden", "ln", "lnight"}:
                return normalise_indicator(low.split("_")[0]) or "Lden"
        found = indicator_in_text(self.path.stem)
        if found is None:
            self.warnings.append("indicator not found in the fields nor in the file name: Lden assumed")
        return found or "Lden"

    def _bands(self, frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self.band_field is None:
            for low_name, high_name in LIMIT_PAIRS:
                if low_name in self.by_lower and high_name in self.by_lower:
                    result = self._limit_bands(frame, self.by_lower[low_name], self.by_lower[high_name])
                    if result[2].mean() > 0.5:
                        return result
        candidates = self._label_candidates(frame)
        for column in candidates:
            low, high, ok = parse_labels(
                frame[column].to_numpy(), indicator=self.indicator, map_type=self.map_type
            )
            if ok.mean() > 0.5 or (self.band_field is not None and ok.any()):
                self.field = column
                return low, high, ok
        if self.band_field is not None:
            raise InputError(
                self.path,
                "no value of this field is a noise band",
                field=self.band_field,
                hint="expected labels such as Lden5559, [62,66], 55-60 or a CNIG LEGENDE code",
            )
        raise InputError(
            self.path,
            "no field holds noise bands",
            hint="expected numeric lden_min / lden_max fields, labels such as Lden5559, [62,66] or 55-60, "
            "or a CNIG LEGENDE code; name the field with band_field=...",
        )

    def _label_candidates(self, frame: gpd.GeoDataFrame) -> list[str]:
        if self.band_field is not None:
            column = self.by_lower.get(self.band_field.lower())
            if column is None:
                raise InputError(
                    self.path,
                    "no such field",
                    field=self.band_field,
                    hint=f"fields are {', '.join(self.by_lower.values())}",
                )
            return [column]
        named = [self.by_lower[n] for n in LABEL_FIELDS if n in self.by_lower]
        others = [c for c in self.by_lower.values() if c not in named and frame[c].dtype == object]
        return named + others

    def _limit_bands(
        self, frame: gpd.GeoDataFrame, low_name: str, high_name: str
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        low = limits_db(frame[low_name])
        high = limits_db(frame[high_name])
        ok = ~(np.isnan(low) & np.isnan(high))
        with np.errstate(invalid="ignore"):
            ok &= ~(low >= high)
        self.field = f"{low_name}/{high_name}"
        return low, high, ok
