"""Streets: road centre lines with their traffic flow, drawn with width / colour by flow.

:class:`StreetsLayer` reads lines from any vector file and finds the field holding the traffic
(``TMJA`` in French counts, ``AADF`` / ``AADT`` in British / NoiseModelling data, ``trafic``,
``debit``...). Flows are in vehicles per day unless the field name says per hour. The display
options are a :class:`~layers.streets.style.StreetsStyle`; counters placed on the streets are in
:mod:`layers.streets.counters`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core import geometry
from layers.core.area import Area
from layers.core.base import Bounds, Layer
from layers.core.errors import InputError
from layers.io import read_vector
from layers.io.vector_file import example_ids
from layers.streets.style import StreetsStyle
from layers.vector.attributes import ColumnKind, column_kinds, column_values, jsonable, numeric_values
from layers.vector.layer import LINE_TYPES
from layers.vector.options import saved_options

#: traffic fields, in order of preference (matched ignoring case)
FLOW_FIELDS = (
    "tmja",
    "tmja_tv",
    "tmjo",
    "aadf",
    "aadt",
    "all_motor_vehicles",
    "vehicles_per_day",
    "veh_per_day",
    "trafic",
    "traffic",
    "trafic_tv",
    "debit",
    "debit_tv",
    "tv",
    "tv_jour",
    "flow",
    "volume",
    "vehicles",
)
#: field names that count vehicles per hour rather than per day
HOURLY = re.compile(r"(_h$|_hour|heure|horaire|per_hour|_hpm|_hps|^q$|^lv_d$|^hv_d$)", re.I)
DAILY_UNIT = "vehicles/day"
HOURLY_UNIT = "vehicles/hour"


#: one-way fields and how their values read: +1 traffic along the line's drawing direction only,
#: -1 against it only, 0 both ways
ONEWAY_FIELDS = (
    "sens",
    "sens_circu",
    "sens_circulation",
    "oneway",
    "one_way",
    "sens_unique",
    "direction",
    "dir",
)
ONEWAY_VALUES = {
    "sens direct": 1,
    "direct": 1,
    "yes": 1,
    "true": 1,
    "1": 1,
    "ft": 1,
    "oui": 1,
    "forward": 1,
    "sens inverse": -1,
    "inverse": -1,
    "-1": -1,
    "reverse": -1,
    "tf": -1,
    "backward": -1,
    "double sens": 0,
    "double": 0,
    "no": 0,
    "false": 0,
    "0": 0,
    "b": 0,
    "non": 0,
    "sans objet": 0,
    "both": 0,
}
#: suffixes of traffic fields per direction: (along the line, against it)
DIRECTION_SUFFIXES = (
    ("_sens1", "_sens2"),
    ("_s1", "_s2"),
    ("_d1", "_d2"),
    ("1", "2"),
    ("_ab", "_ba"),
    ("_fw", "_bw"),
    ("_forward", "_backward"),
    ("_aller", "_retour"),
    ("_ft", "_tf"),
)


def find_direction_fields(fields: Iterable[object]) -> tuple[str, str] | None:
    """``(along, against)`` traffic fields per direction (``tmja_sens1`` / ``tmja_sens2``,
    ``aadf_fw`` / ``aadf_bw``...), ``None`` when the data has no direction."""
    by_lower = {str(f).lower(): str(f) for f in fields}
    for base in FLOW_FIELDS:
        for along, against in DIRECTION_SUFFIXES:
            if base + along in by_lower and base + against in by_lower:
                return by_lower[base + along], by_lower[base + against]
    return None


def oneway_of(frame: pd.DataFrame) -> np.ndarray | None:
    """(n,) int8 one-way code of each street (+1 along, -1 against, 0 both), ``None`` without a
    one-way field."""
    by_lower = {str(c).lower(): c for c in frame.columns}
    field = next((by_lower[n] for n in ONEWAY_FIELDS if n in by_lower), None)
    if field is None:
        return None
    text = frame[field].astype("string").str.strip().str.lower().fillna("")
    codes = text.map(lambda v: ONEWAY_VALUES.get(v, 0)).to_numpy(dtype=np.int8)
    return codes if (codes != 0).any() else None


def find_flow_field(fields: Iterable[object]) -> str | None:
    """The field holding traffic flows, ``None`` when none is recognised."""
    by_lower = {str(f).lower(): str(f) for f in fields}
    return next((by_lower[c] for c in FLOW_FIELDS if c in by_lower), None)


def flow_unit_of(field: str | None) -> str:
    """``"vehicles/day"`` for daily counts (TMJA, AADF...), ``"vehicles/hour"`` for hourly ones (unit
    keys, worded per language by :mod:`viewer.labels`)."""
    if field is None:
        return ""
    return HOURLY_UNIT if HOURLY.search(field) else DAILY_UNIT


class StreetsLayer(Layer[StreetsStyle]):
    """Road lines with a traffic flow.

    Attributes
    ----------
    frame
        GeoDataFrame of the line features (``feature_index`` = position in the file), in :attr:`crs`
        (the scene CRS after :meth:`reproject`, metres); Z kept as read.
    flow_field
        The field flows come from (``"a+b"`` when summed from the two directions), ``None`` when
        there is none.
    flows
        (n,) float64 flow per row in :attr:`flow_unit`, NaN where missing or negative.
    flow_unit
        ``"vehicles/day"``, ``"vehicles/hour"`` (unit keys, see :mod:`viewer.labels`) or ``""`` without flows.
    direction_fields
        ``(along, against)`` fields of the traffic per direction, ``None`` when the data has none.
    flows_along, flows_against
        (n,) float64 flow along / against the line's drawing direction (NaN missing), ``None``
        without :attr:`direction_fields`.
    oneway
        (n,) int8 one-way code of each street (+1 along the drawing direction only, -1 against it
        only, 0 both ways), ``None`` without a one-way field.
    """

    kind = "streets"
    style_class = StreetsStyle

    def __init__(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        *,
        source: str | Path | None = None,
        crs: CRS | None = None,
        flow_field: str | None = None,
    ) -> None:
        super().__init__(name, source=source, crs=crs if crs is not None else frame.crs)
        self.frame: gpd.GeoDataFrame = frame
        self.flow_field: str | None = flow_field
        self.flows: np.ndarray = (
            numeric_values(frame[flow_field]) if flow_field else np.full(len(frame), np.nan)
        )
        self.flow_unit: str = flow_unit_of(flow_field)
        #: what reading left aside: ``outside`` (lines of the file beyond the area, not read) and
        #: every feature read, shown or ``dropped_reasons`` ``{reason: count}`` (no geometry, not a
        #: line), and ``outside_area`` (features of the file beyond the area, not read)
        self.stats: dict[str, Any] = {
            "outside_area": 0,
            "features_in": len(frame),
            "dropped": 0,
            "dropped_reasons": {},
        }
        self.direction_fields: tuple[str, str] | None = find_direction_fields(frame.columns)
        self.flows_along: np.ndarray | None = None
        self.flows_against: np.ndarray | None = None
        if self.direction_fields is not None:
            self.flows_along = numeric_values(frame[self.direction_fields[0]])
            self.flows_against = numeric_values(frame[self.direction_fields[1]])
            if flow_field is None:
                self.flows = np.nansum([self.flows_along, self.flows_against], axis=0)
                self.flows[np.isnan(self.flows_along) & np.isnan(self.flows_against)] = np.nan
                self.flow_field = "+".join(self.direction_fields)
                self.flow_unit = flow_unit_of(self.direction_fields[0])
        self.oneway: np.ndarray | None = oneway_of(frame)

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        crs: object | None = None,
        flow_field: str | None = None,
        layer: str | None = None,
        area: Area | None = None,
        **options: Any,
    ) -> StreetsLayer:
        """Read road lines from ``path``; ``flow_field`` overrides the guessed traffic field; ``area``
        reads only the lines that meet it."""
        path = Path(path)
        data = read_vector(path, layer=layer, crs=crs, encoding=options.get("encoding"), area=area)
        source = data.frame
        warnings = list(data.warnings)
        is_line = np.isin(shapely.get_type_id(np.asarray(source.geometry.values)), LINE_TYPES)
        if not is_line.any():
            raise InputError(path, "holds no lines (expected street centre lines)")
        if not is_line.all():
            warnings.append(
                f"{int((~is_line).sum())} features that are not "
                f"lines were skipped ({example_ids(source, ~is_line)})"
            )
        frame = source[is_line].copy()
        frame.insert(0, "feature_index", frame.index.to_numpy(dtype=np.int64))
        frame = frame.reset_index(drop=True)
        if flow_field is not None and flow_field not in frame.columns:
            raise InputError(
                path,
                "no such flow field",
                field=flow_field,
                hint=f"fields: {', '.join(str(c) for c in source.columns if c != source.geometry.name)}",
            )
        field = flow_field or find_flow_field(frame.columns)
        self = cls(name or path.stem, frame, source=path, crs=data.crs, flow_field=field)
        field = self.flow_field
        if field is None:
            warnings.append(
                "no traffic field found (expected TMJA, AADF, trafic, debit...): streets drawn without flows"
            )
        else:
            negative = self.flows < 0
            self.flows[negative] = np.nan
            if negative.any():
                warnings.append(
                    f"{int(negative.sum())} negative flows in {field} "
                    f"were ignored ({example_ids(frame, negative)})"
                )
            missing = np.isnan(self.flows)
            if missing.all():
                warnings.append(f"the field {field} holds no numeric flow")
            elif missing.any():
                warnings.append(
                    f"{int(missing.sum())} streets have no flow in {field} ({example_ids(frame, missing)})"
                )
        self.warnings.extend(warnings)
        left_out = {reason: len(rows) for reason, rows in data.skipped.items() if len(rows)}
        if not is_line.all():
            left_out["not a line"] = int((~is_line).sum())
        self.stats = {
            "outside_area": data.outside,
            "features_in": self.feature_count() + sum(left_out.values()),
            "dropped": sum(left_out.values()),
            "dropped_reasons": left_out,
        }
        self.options = saved_options(crs=crs, flow_field=flow_field, layer=layer, **options)
        self.apply_style(options.get("style") or {})
        return self

    # -- geometry ----------------------------------------------------------------------------
    def lines(self) -> geometry.Polylines:
        """2D polylines (Z dropped) in :attr:`crs`; ``owner`` = row of :attr:`frame`."""
        return geometry.line_arrays(shapely.force_2d(np.asarray(self.frame.geometry.values)))

    def bounds(self) -> Bounds:
        xmin, ymin, xmax, ymax = (float(v) for v in self.frame.total_bounds)
        return xmin, ymin, xmax, ymax

    def reproject(self, crs: CRS) -> None:
        self.frame = self.frame.to_crs(crs)
        self.crs = crs

    def lengths_m(self) -> np.ndarray:
        """(n,) length of each street, metres once in the (metric) scene CRS."""
        return shapely.length(np.asarray(self.frame.geometry.values))

    def flow_range(self) -> tuple[float, float] | None:
        """(min, max) of the known flows, ``None`` without any."""
        known = self.flows[np.isfinite(self.flows)]
        return (float(known.min()), float(known.max())) if len(known) else None

    # -- colours and attributes --------------------------------------------------------------
    def color_fields(self) -> dict[str, ColumnKind]:
        """``{field: "numeric" | "categorical"}`` usable to colour the streets."""
        return column_kinds(self.frame, skip={"feature_index"})

    def values(self, field: str) -> np.ndarray:
        """(n,) values of ``field`` (the flow field gives :attr:`flows`)."""
        return self.flows if field == self.flow_field else column_values(self.frame, field)

    def unit(self, field: str) -> str:
        """:attr:`flow_unit` for the flow field, ``""`` otherwise."""
        return self.flow_unit if field == self.flow_field else ""

    def attributes(self, index: int) -> dict[str, object]:
        """The source attributes of row ``index``, plus its flow and, in a metric CRS, its length."""
        index = int(index)
        row = self.frame.iloc[index]
        geometry_column = str(self.frame.geometry.name)
        out = {str(k): jsonable(v) for k, v in row.items() if k != geometry_column}
        if self.flow_field:
            out["flow"] = jsonable(float(self.flows[index]))
            out["flow_unit"] = self.flow_unit
        if self.crs is not None and crs_util.is_metric_projected(crs_util.horizontal(self.crs)):
            out["length_m"] = round(float(shapely.length(row[geometry_column])), 2)
        return out

    def feature_count(self) -> int:
        return len(self.frame)

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info["flow_field"] = self.flow_field
        info["flow_unit"] = self.flow_unit or None
        rng = self.flow_range()
        info["flow_range"] = [round(v, 1) for v in rng] if rng else None
        if self.direction_fields:
            info["direction_fields"] = list(self.direction_fields)
        if self.oneway is not None:
            info["one_way_streets"] = int((self.oneway != 0).sum())
        info["fields"] = [
            str(c) for c in self.frame.columns if c not in ("feature_index", self.frame.geometry.name)
        ]
        return info
