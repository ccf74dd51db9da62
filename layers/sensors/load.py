"""Reading a sensor source into what a :class:`~layers.sensors.layer.SensorLayer` holds.

:func:`read_sensors` checks the options, reads the readings (:func:`layers.sensors.sources.read_source`),
finds where the sensors stand (:func:`resolve_sites`: in the readings themselves, in the
``locations`` file given, in a file named after the readings, or in a file of the same folder
whose ids cover the sensors), leaves out the sensors placed nowhere and guesses what is measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core import timeutil
from layers.core.errors import InputError
from layers.sensors.quantities import guess_quantity
from layers.sensors.read import SensorData
from layers.sensors.sites import find_sibling, read_locations, resolve, sample, sidecar
from layers.sensors.sources import read_source

NS_PER_S = 1_000_000_000


class MissingLocations(InputError):
    """Readings whose sensors have no position anywhere: a locations file would place them (the GUI
    offers to choose one; the layer option is ``locations``)."""


@dataclass
class LoadedSensors:
    """What a sensor source gave, ready for :class:`~layers.sensors.layer.SensorLayer`.

    ``xy`` (S, 2) are in ``crs`` (metres when projected, else lon/lat degrees); ``times_ns`` (N,)
    and ``values`` (N, S) as in :class:`~layers.sensors.read.SensorData`; ``max_age_s`` the option
    given (``None``: the layer's default), ``min_max_age_s`` a floor for that default (readings
    standing for an interval, such as a daily count, stay shown for that interval).
    """

    name: str
    sensor_ids: np.ndarray
    names: np.ndarray
    xy: np.ndarray
    crs: CRS
    times_ns: np.ndarray
    values: np.ndarray
    quantity: str
    unit: str
    timezone: str
    extra: pd.DataFrame
    cycle_s: float | None
    max_age_s: float | None
    min_max_age_s: float | None
    value_field: str | None
    locations_source: Path | None
    warnings: list[str] = field(default_factory=list)
    #: the options as given, JSON-ready (what the project saves)
    options: dict[str, Any] = field(default_factory=dict)


def read_sensors(
    path: Path,
    *,
    name: str | None,
    crs: Any,
    time: str | None,
    id: str | None,
    value: str | None,
    locations: str | Path | None,
    locations_id: str | None,
    x: str | None,
    y: str | None,
    quantity: str | None,
    unit: str | None,
    timezone: str | None,
    **options: Any,
) -> LoadedSensors:
    """Read the readings of ``path`` and their locations (the options are
    :meth:`layers.sensors.layer.SensorLayer.load`'s); :class:`InputError` for bad input."""
    try:
        zone = timeutil.zone(timezone).key
    except ValueError as exc:
        raise InputError(path, str(exc), field="timezone") from None
    given_crs = _parse_crs(crs, path)
    max_age = _max_age_option(options.get("max_age_s"), path)
    given = {
        "crs": crs,
        "time": time,
        "id": id,
        "value": value,
        "locations": locations,
        "locations_id": locations_id,
        "x": x,
        "y": y,
        "quantity": quantity,
        "unit": unit,
        "timezone": timezone,
        **options,
    }
    data, location_hint = read_source(
        path,
        zone=zone,
        crs=given_crs,
        locations=locations,
        locations_id=locations_id,
        time=time,
        id=id,
        value=value,
        x=x,
        y=y,
    )
    sites, location_file = resolve_sites(
        path,
        data,
        locations=locations,
        locations_id=locations_id,
        crs=given_crs,
        x=x,
        y=y,
        hint=location_hint,
    )
    loaded = _joined(path, name, data, sites, zone, quantity, unit, max_age, location_file)
    loaded.options = {
        k: (str(v) if isinstance(v, (Path, CRS)) else v) for k, v in given.items() if v is not None
    }
    return loaded


def _joined(
    path: Path,
    name: str | None,
    data: SensorData,
    sites: pd.DataFrame,
    zone: str,
    quantity: str | None,
    unit: str | None,
    max_age_s: float | None,
    location_file: Path | None,
) -> LoadedSensors:
    """The readings joined to their sites (``id, name, x, y``, one row per sensor id); sensors
    without a position left out (noted)."""
    warnings = list(data.warnings)
    rows = (
        pd.Index(sites["id"]).get_indexer(data.sensor_ids)
        if sites["id"].is_unique
        else pd.Index(sites["id"].drop_duplicates()).get_indexer(data.sensor_ids)
    )
    if (rows >= 0).any():
        have_xy = np.isfinite(sites["x"].to_numpy(float)) & np.isfinite(sites["y"].to_numpy(float))
        rows = np.where((rows >= 0) & have_xy[np.maximum(rows, 0)], rows, -1)
    missing = rows < 0
    if missing.all():
        ids_there = sites.attrs.get("ids_sample") or sample(sites["id"])
        raise InputError(
            path,
            "no sensor of the readings has a location",
            field=data.id_field,
            hint=f"ids in the readings: {sample(data.sensor_ids)}; ids in the locations: {ids_there}",
        )
    sensor_ids, values = data.sensor_ids, data.values
    names_in_data = data.names
    if missing.any():
        warnings.append(
            f"{int(missing.sum())} sensors without a location left out: {sample(sensor_ids[missing])}"
        )
        sensor_ids, values, rows = sensor_ids[~missing], values[:, ~missing], rows[~missing]
        names_in_data = names_in_data[~missing] if names_in_data is not None else None
    picked = sites.iloc[rows].reset_index(drop=True)
    names = picked["name"].where(picked["name"].notna(), None).to_numpy(dtype=object)
    if names_in_data is not None:
        names = np.where(pd.isna(names), names_in_data, names)
    names = np.where(pd.isna(names) | (names == ""), sensor_ids, names).astype(str).astype(object)
    step = data.step_s or (
        float(np.median(np.diff(data.times_ns))) / NS_PER_S if len(data.times_ns) > 1 else None
    )
    label = data.value_field or (path.stem if not data.quantity else data.quantity)
    guessed_quantity, guessed_unit = guess_quantity(label, step)
    if data.value_field is None and guessed_unit == "" and data.quantity is None:
        guessed_quantity, guessed_unit = guess_quantity(path.stem, step)
    return LoadedSensors(
        name=name or (path.name if path.is_dir() else path.stem),
        sensor_ids=sensor_ids,
        names=names,
        xy=picked[["x", "y"]].to_numpy(float),
        crs=sites.attrs["crs"],
        times_ns=data.times_ns,
        values=values,
        quantity=quantity or data.quantity or guessed_quantity,
        unit=unit if unit is not None else (data.unit if data.unit is not None else guessed_unit),
        timezone=zone,
        extra=picked.drop(columns=["id", "name", "x", "y"]),
        cycle_s=data.cycle_s,
        max_age_s=max_age_s,
        # readings that stand for an interval (a daily count) stay shown for that interval
        min_max_age_s=data.step_s if data.step_s and max_age_s is None and data.cycle_s is None else None,
        value_field=data.value_field,
        locations_source=location_file,
        warnings=warnings,
    )


# -- sites -----------------------------------------------------------------------------------------
def resolve_sites(
    path: Path,
    data: SensorData,
    *,
    locations: Any,
    locations_id: str | None,
    crs: CRS | None,
    x: str | None,
    y: str | None,
    hint: str,
) -> tuple[pd.DataFrame, Path | None]:
    """One row per sensor id (``id, name, x, y`` + extra, ``attrs["crs"]``) and the locations file
    used (``None`` when the readings carried their positions)."""
    warnings = data.warnings
    if locations is not None:
        file = resolve(locations, path)
        given = read_locations(
            file,
            data.sensor_ids,
            id_hint=data.id_field,
            id_name=locations_id,
            crs=crs,
            x=x,
            y=y,
            warnings=warnings,
        )
        _report_unused(file, given, data, warnings)
        return (_merge(data.sites, given) if data.sites is not None else given), file
    if data.sites is not None:
        if hint == "observations" and _incomplete(data.sites, data.sensor_ids):
            found = find_sibling(path, data.sensor_ids, crs=crs, min_share=0.3)
            if found is not None:
                file, extra = found
                warnings.append(
                    f"names and missing positions taken from {file.name} (same folder), "
                    f"joined on {', '.join(map(repr, extra.attrs['id_columns']))}"
                )
                return _merge(data.sites, extra, prefer_given=False), file
        return data.sites, None
    named = sidecar(path)
    if named is not None:
        file = named
        sites = read_locations(
            file, data.sensor_ids, id_hint=data.id_field, crs=crs, x=x, y=y, warnings=warnings
        )
        _report_unused(file, sites, data, warnings)
        return sites, file
    found = find_sibling(path, data.sensor_ids, crs=crs)
    if found is not None:
        file, sites = found
        warnings.append(
            f"locations taken from {file.name} (same folder), "
            f"joined on {', '.join(map(repr, sites.attrs['id_columns']))}"
        )
        return sites, file
    what = f"{data.id_field} " if data.id_field else ""
    raise MissingLocations(
        path,
        "the sensors have no coordinates",
        field=data.id_field,
        hint=(
            "give a locations file (a table with lon/lat or x/y columns, "
            f"or a point file) holding their {what}ids ({sample(data.sensor_ids, 5)}) "
            "with the layer option locations=…, or add x/y or lon/lat columns"
        ),
    )


def _report_unused(file: Path, sites: pd.DataFrame, data: SensorData, warnings: list[str]) -> None:
    unused = int(sites.attrs.get("file_ids", len(sites))) - len(sites)
    if unused > 0:
        warnings.append(f"{unused} locations have no readings")


def _incomplete(sites: pd.DataFrame, sensor_ids: np.ndarray) -> bool:
    located = np.isfinite(sites["x"].to_numpy(float)) & np.isfinite(sites["y"].to_numpy(float))
    unnamed = sites["name"].isna() | (sites["name"].astype("string") == sites["id"].astype("string"))
    return bool((~located).any() or unnamed.all() or len(sites) < len(sensor_ids))


def _merge(base: pd.DataFrame, other: pd.DataFrame, prefer_given: bool = True) -> pd.DataFrame:
    """``base`` sites completed (or overridden, with ``prefer_given``) by ``other``'s."""
    other = other.copy()
    if other.attrs["crs"] != base.attrs["crs"]:
        xs, ys = crs_util.transformer(other.attrs["crs"], base.attrs["crs"]).transform(
            other["x"].to_numpy(float), other["y"].to_numpy(float)
        )
        other["x"], other["y"] = xs, ys
    merged = base.set_index("id")
    extra = other.drop_duplicates("id").set_index("id")
    common = merged.index.intersection(extra.index)
    for column in ("x", "y"):
        current = merged.loc[common, column].to_numpy(float)
        new = extra.loc[common, column].to_numpy(float)
        merged.loc[common, column] = np.where(
            np.isfinite(new) & (prefer_given | ~np.isfinite(current)), new, current
        )
    names = extra.loc[common, "name"]
    merged.loc[common, "name"] = names.where(names.notna(), merged.loc[common, "name"]).to_numpy(dtype=object)
    for column in extra.columns:
        if column not in merged.columns and column not in ("x", "y", "name"):
            merged[column] = extra[column].reindex(merged.index).to_numpy(dtype=object)
    added = extra.index.difference(merged.index)
    if len(added):
        merged = pd.concat([merged, extra.loc[added, [c for c in merged.columns if c in extra.columns]]])
    out = merged.reset_index().rename(columns={"index": "id"})
    out.attrs["crs"] = base.attrs["crs"]
    return out


# -- options ---------------------------------------------------------------------------------------
def _parse_crs(value: Any, path: Path) -> CRS | None:
    if value is None:
        return None
    try:
        return crs_util.parse_crs(value, source=path)
    except ValueError as exc:
        raise InputError(path, str(exc), field="crs") from None


def _max_age_option(value: Any, path: Path) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise InputError(
            path, f"max_age_s must be a number of seconds, not {value!r}", field="max_age_s"
        ) from None
    if not seconds > 0:
        raise InputError(path, "max_age_s must be positive", field="max_age_s")
    return seconds
