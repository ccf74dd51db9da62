"""Reading isophone zones: polygons of a noise map, each holding one band of levels in dB(A).

:class:`IsophoneReader` turns the features of a vector file into the frame of
:attr:`layers.noise.layer.NoiseLayer.bands`: polygons repaired (or left out with a warning), the
indicator of each zone (``INDICETYPE`` LD / LN, ``indicateur``, the labels' prefix), the band of
each zone from numeric limit fields (``lden_min`` / ``lden_max``), a label field in any published
style (``Lden5559``, ``[62,66]``, ``55 à 60 dB(A)``...) or CNIG ``LEGENDE`` codes (see
:mod:`layers.noise.bands`), and the zones sorted quietest first. Coordinates stay in the file's CRS.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.core.errors import InputError
from layers.core.palettes import band_level_db
from layers.noise.bands import band_labels, indicator_in_text, limits_db, normalise_indicator, parse_labels

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
    "code",
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


def json_value(value: Any) -> Any:
    """A value of a GeoDataFrame cell as JSON: numpy numbers as Python ones, NaN / NaT as None,
    timestamps as ISO text."""
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


class IsophoneReader:
    """Turns a frame of isophone polygons into the :attr:`NoiseLayer.bands` frame.

    After :meth:`read`: :attr:`indicator` (``"Lden"`` / ``"Ln"``), :attr:`field` (the field(s) the
    bands were read from), :attr:`map_type` (CNIG ``"A"`` / ``"C"`` when known) and
    :attr:`warnings` (zones left out, repairs), in user words.
    """

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
        #: CNIG source type when known: ``"R"`` roads, ``"F"`` railways, ``"A"`` airports, ``"I"`` industry
        self.source: str | None = None
        #: zones left out, by reason (``"band not understood: '80'"``, ``"not a polygon"``...)
        self.dropped: dict[str, int] = {}
        #: invalid polygons repaired
        self.repaired = 0

    def _drop(self, reason: str, count: int) -> None:
        if count:
            self.dropped[reason] = self.dropped.get(reason, 0) + int(count)

    def read(self) -> gpd.GeoDataFrame:
        frame = self._polygons(self.frame)
        self.map_type = self._map_type(frame)
        self.source = self._source(frame)
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
            values = frame[column][~ok].astype(str) if column else pd.Series(["?"] * int((~ok).sum()))
            for value, count in values.value_counts().items():
                if len(self.dropped) < 10:  # each value its own reason, a few at most
                    self._drop(f"band not understood: {str(value)[:40]!r}", count)
                else:
                    self._drop("band not understood (other values)", count)
        other = (row_indicator.notna() & (row_indicator != self.indicator)).to_numpy()
        if other.any():
            found = ", ".join(sorted(set(row_indicator[other])))
            self.warnings.append(
                f"{int(other.sum())} zones of {found} left out (the layer shows {self.indicator}; "
                f"load again with indicator='{found.split(',')[0]}' to see them)"
            )
            self._drop(f"indicator {found}, not {self.indicator}", int((other & ok).sum()))
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
        polygonal = np.isin(
            shapely.get_type_id(np.asarray(frame.geometry.values)), [3, 6, 7]
        )  # Polygon, MultiPolygon, collection
        if not polygonal.any():
            raise InputError(self.path, "holds no polygons (noise zones between isophones expected)")
        if not polygonal.all():
            self.warnings.append(f"{int((~polygonal).sum())} features that are not polygons left out")
            self._drop("not a polygon", int((~polygonal).sum()))
            frame = frame.loc[polygonal]
        geoms = np.asarray(shapely.force_2d(np.asarray(frame.geometry.values, dtype=object)))
        invalid = ~shapely.is_valid(geoms)
        if invalid.any():
            geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
            self.warnings.append(f"{int(invalid.sum())} invalid polygons repaired")
            self.repaired = int(invalid.sum())
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
            self._drop("no area", int(empty.sum()))
            frame = frame.loc[~empty]
        if frame.empty:
            raise InputError(self.path, "holds no polygon with an area")
        return frame

    # -- attributes ------------------------------------------------------------------------------
    def _column(self, *names: str) -> str | None:
        return next((self.by_lower[n] for n in names if n in self.by_lower), None)

    def _map_type(self, frame: gpd.GeoDataFrame) -> str | None:
        """The CNIG map type (``CBSTYPE``, ``TYPECARTE``, a ``TYPE`` of one letter, ``ZONEDEF``, the
        file name's ``_C_LD_``), else ``None``."""
        column = self._column("cbstype", "typecarte", "type_carte")
        if column is not None:
            values = frame[column].dropna().astype(str).str.strip().str.upper().str[:1]
            if len(values) and values.mode().iloc[0] in {"A", "B", "C", "D", "E"}:
                return values.mode().iloc[0]
        column = self._column("type")
        if column is not None:  # older deliveries: TYPE = A / C (a one-letter value only)
            values = frame[column].dropna().astype(str).str.strip().str.upper()
            if len(values) and values.mode().iloc[0] in {"A", "B", "C", "D", "E"}:
                return str(values.mode().iloc[0])
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

    def _source(self, frame: gpd.GeoDataFrame) -> str | None:
        """The CNIG source (``TYPESOURCE`` R / F / A / I, else ``_INFRA_R_`` / ``_INFRA_F_`` in the
        file name), else ``None``."""
        column = self._column("typesource", "type_source")
        if column is not None:
            values = frame[column].dropna().astype(str).str.strip().str.upper().str[:1]
            if len(values) and values.nunique() == 1 and values.iloc[0] in {"R", "F", "A", "I"}:
                return str(values.iloc[0])
        match = re.search(r"(?:^|_)INFRA_([RF])(?:_|$)", self.path.stem.upper())
        return match.group(1) if match else None

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
                frame[column].to_numpy(), indicator=self.indicator, map_type=self.map_type, source=self.source
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
