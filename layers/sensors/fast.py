"""Large long tables (CSV or Parquet) read in batches with Arrow, straight into the dense array.

A year of 10-minute readings from 1,000 sensors is 52 million rows: reading it through pandas
costs minutes and gigabytes. Here the file is streamed in Arrow record batches and each batch is
reduced to what the dense ``(times, sensors)`` array needs:

* sensor ids are dictionary-encoded by Arrow; a batch keeps only int16/int32 codes;
* times are kept as *runs* (a value and a length) when the batch is sorted, as most exports are,
  so 52 million times shrink to 52 thousand;
* values are float32.

Naive times are localised once per distinct time, not per row. The readings are then scattered
into the dense array with one fancy assignment per batch; repeated (time, sensor) readings are
detected by counting and averaged (the slow path is only taken when there are some).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.core.errors import InputError
from layers.io.tables import (
    ID_NAMES,
    ID_WORDS,
    NAME_NAMES,
    find_column,
    find_xy_columns,
    guess_encoding,
    guess_separator,
    named_column,
    read_table,
)
from layers.sensors.read import SensorData, guess_time_column, guess_value_column, natural_sort

#: CSV files bigger than this are read with Arrow (smaller ones through the forgiving pandas path)
FAST_CSV_BYTES = 48 * 1024 * 1024
BATCH_BYTES = 16 * 1024 * 1024


@dataclass
class _Batches:
    codes: list[np.ndarray] = field(default_factory=list)  # global sensor code per row
    values: list[np.ndarray] = field(default_factory=list)  # float32
    runs: list[tuple[np.ndarray, np.ndarray] | np.ndarray] = field(
        default_factory=list
    )  # (values, lengths) or full times
    ids: dict[str, int] = field(default_factory=dict)
    first_xy: dict[int, tuple[float, float]] = field(default_factory=dict)
    first_name: dict[int, str] = field(default_factory=dict)
    aware: bool = False  # times carried an offset (they are UTC already)


def usable(path: Path) -> bool:
    """True when ``path`` should be read by this module (Parquet, or a big CSV)."""
    suffix = path.suffix.lower()
    if suffix in {".parquet", ".pq"}:
        return True
    return suffix in {".csv", ".tsv", ".txt"} and path.stat().st_size > FAST_CSV_BYTES


def read_fast(
    path: Path,
    *,
    zone: str,
    time: str | None,
    id: str | None,
    value: str | None,
    x: str | None,
    y: str | None,
    crs: Any,
) -> SensorData | None:
    """A long table read in Arrow batches, or ``None`` when it is not a long table this path reads
    (then the pandas readers take it)."""
    import pyarrow as pa

    parquet = path.suffix.lower() in {".parquet", ".pq"}
    sample, csv_options = _sample(path, parquet)
    columns = list(sample.columns)
    time_col = named_column(sample, path, time, "time") if time else guess_time_column(sample)
    if time_col is None:
        return None
    id_col = (
        named_column(sample, path, id, "sensor id")
        if id
        else find_column(columns, ID_NAMES, ID_WORDS, exclude={time_col})
    )
    if id_col is None:
        return None
    xy = (
        (x, y)
        if x and y
        else (find_xy_columns(columns, exclude={time_col, id_col}) or (None, None, None))[:2]
    )
    used = {time_col, id_col} | {c for c in xy if c}
    name_col = find_column(columns, NAME_NAMES, exclude=used)
    if name_col:
        used.add(name_col)
    value_col = (
        named_column(sample, path, value, "value") if value else guess_value_column(sample, path, used)
    )
    warnings: list[str] = []
    try:
        batches = _stream(path, parquet, csv_options, sample, time_col, id_col, value_col, xy, name_col)
        data = _assemble(batches, zone, warnings)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        if parquet:
            if "out of bounds" in str(exc):
                from layers.core.timeutil import OUTSIDE

                raise InputError(
                    path, f"a time of the column {time_col!r} {OUTSIDE}", field=time_col
                ) from None
            raise InputError(
                path, f"cannot be read as a table of readings: {str(exc).splitlines()[0]}"
            ) from None
        return None  # a dialect Arrow does not read: the pandas path will
    sensor_ids, times_ns, values, names, first_xy = data
    sites = None
    if xy[0] is not None and xy[1] is not None and first_xy:
        from layers.io.tables import table_coordinates

        probe = pd.DataFrame(
            {xy[0]: [p[0] for p in first_xy.values()], xy[1]: [p[1] for p in first_xy.values()]}
        )
        coords = table_coordinates(probe, path, x=xy[0], y=xy[1], crs=crs, warnings=warnings)
        if coords is not None:
            order = np.array(list(first_xy.keys()))
            sites = pd.DataFrame(
                {
                    "id": sensor_ids[order],
                    "x": coords[0],
                    "y": coords[1],
                    "name": names[order] if names is not None else None,
                }
            )
            sites.attrs["crs"] = coords[2]
    return SensorData(
        sensor_ids,
        times_ns,
        values,
        sites=sites,
        value_field=value_col,
        id_field=id_col,
        names=names,
        warnings=warnings,
    )


def _sample(path: Path, parquet: bool) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The first rows as a DataFrame (to find the columns) and the CSV dialect."""
    if parquet:
        import pyarrow.parquet as pq

        try:
            handle = pq.ParquetFile(path)
            first = next(handle.iter_batches(batch_size=2000))
        except StopIteration:
            raise InputError(path, "the table is empty") from None
        except Exception as exc:  # noqa: BLE001 - a damaged Parquet file
            raise InputError(path, f"cannot be read as Parquet: {str(exc).splitlines()[0]}") from None
        return first.to_pandas(), {}
    with open(path, "rb") as handle:
        head = handle.read(256 * 1024)
    encoding = guess_encoding(head)
    if encoding != "utf-8-sig":
        return pd.DataFrame(), {}  # Latin-1: pandas path
    sep = guess_separator(head.decode("utf-8", errors="replace"))
    sample = read_table(path, sep=sep, nrows=2000)
    return sample, {"sep": sep}


def _stream(
    path: Path,
    parquet: bool,
    csv_options: dict,
    sample: pd.DataFrame,
    time_col: str,
    id_col: str,
    value_col: str,
    xy: tuple,
    name_col: str | None,
) -> _Batches:
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = [c for c in (time_col, id_col, value_col, *[c for c in xy if c], name_col) if c]
    if parquet:
        import pyarrow.parquet as pq

        source = pq.ParquetFile(path).iter_batches(batch_size=1 << 20, columns=wanted)
    else:
        import pyarrow.csv as pcsv

        if not pd.api.types.is_numeric_dtype(sample[value_col]):
            raise pa.ArrowInvalid("decimal commas")
        text = sample[time_col].dropna().astype(str)
        aware = text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True).any()
        types = {
            time_col: pa.timestamp("ns", tz="UTC") if aware else pa.timestamp("ns"),
            id_col: pa.dictionary(pa.int32(), pa.string()),
            value_col: pa.float32(),
        }
        for column in xy:
            if column:
                types[column] = pa.float64()
        if name_col:
            types[name_col] = pa.dictionary(pa.int32(), pa.string())
        # the header as written in the file (read_table cleaned the names)
        with open(path, "rb") as handle:
            header = handle.readline().decode("utf-8-sig").rstrip("\r\n")
        raw_names = next(csv.reader([header], delimiter=csv_options["sep"]))
        cleaned = [n.strip().strip('"').strip("'").strip() for n in raw_names]
        source = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(block_size=BATCH_BYTES, column_names=cleaned, skip_rows=1),
            parse_options=pcsv.ParseOptions(delimiter=csv_options["sep"]),
            convert_options=pcsv.ConvertOptions(
                column_types=types, include_columns=wanted, strings_can_be_null=True
            ),
        )
    out = _Batches()
    for batch in source:
        _take(out, batch, time_col, id_col, value_col, xy, name_col, pa, pc)
    return out


def _take(
    out: _Batches, batch, time_col: str, id_col: str, value_col: str, xy: tuple, name_col: str | None, pa, pc
) -> None:
    names = batch.schema.names
    times = batch.column(names.index(time_col))
    if not pa.types.is_timestamp(times.type):
        raise pa.ArrowInvalid("times are not timestamps")
    out.aware = times.type.tz is not None
    t = pc.cast(times, pa.timestamp("ns", tz=times.type.tz)).to_numpy(zero_copy_only=False).view(np.int64)
    ids = batch.column(names.index(id_col))
    if not pa.types.is_dictionary(ids.type):
        ids = pc.dictionary_encode(pc.cast(ids, pa.string()) if not pa.types.is_string(ids.type) else ids)
    dictionary = ids.dictionary.to_pylist()
    lut = np.empty(len(dictionary) + 1, dtype=np.int32)
    for k, text in enumerate(dictionary):
        key = "" if text is None else str(text).strip()
        lut[k] = out.ids.setdefault(key, len(out.ids)) if key else -1
    lut[-1] = -1
    index = ids.indices.fill_null(len(dictionary)).to_numpy(zero_copy_only=False)
    codes = lut[index]
    values = (
        pc.cast(batch.column(names.index(value_col)), pa.float32())
        .fill_null(np.nan)
        .to_numpy(zero_copy_only=False)
    )
    keep = (codes >= 0) & (t != np.iinfo(np.int64).min)
    if not keep.all():
        t, codes, values = t[keep], codes[keep], values[keep]
    if len(t) and np.all(t[1:] >= t[:-1]):
        starts = np.flatnonzero(np.r_[True, t[1:] != t[:-1]])
        out.runs.append((t[starts], np.diff(np.r_[starts, len(t)])))
    else:
        out.runs.append(t.copy())
    out.codes.append(codes.astype(np.int32))
    out.values.append(np.asarray(values, dtype=np.float32))
    if xy[0] is not None or name_col:
        seen, first = np.unique(codes, return_index=True)
        fresh = [i for i, c in enumerate(seen) if int(c) not in out.first_xy and int(c) not in out.first_name]
        if fresh:
            rows = np.flatnonzero(keep)[first[fresh]] if not keep.all() else first[fresh]
            if xy[0] is not None:
                xs = batch.column(names.index(xy[0])).to_numpy(zero_copy_only=False)
                ys = batch.column(names.index(xy[1])).to_numpy(zero_copy_only=False)
                for i, r in zip(fresh, rows):
                    out.first_xy[int(seen[i])] = (float(xs[r]), float(ys[r]))
            if name_col:
                labels = batch.column(names.index(name_col)).to_pylist()
                for i, r in zip(fresh, rows):
                    out.first_name[int(seen[i])] = labels[r]


def _assemble(batches: _Batches, zone: str, warnings: list[str]):
    """Dense arrays from the kept batches: ``(sensor_ids, times_ns, values, names, first_xy)``."""
    if not batches.ids or not batches.codes:
        raise InputError(None, "the table holds no readings")
    # distinct times, localised once each
    pieces = [r[0] if isinstance(r, tuple) else np.unique(r) for r in batches.runs]
    wall = np.unique(np.concatenate(pieces)) if pieces else np.empty(0, np.int64)
    if batches.aware:
        utc = wall
    else:
        local = pd.DatetimeIndex(wall.astype("datetime64[ns]")).tz_localize(
            zone, nonexistent="shift_forward", ambiguous=np.ones(len(wall), bool)
        )
        utc = local.tz_convert("UTC").asi8
    times_ns = np.unique(utc)
    wall_to_row = np.searchsorted(times_ns, utc).astype(np.int32)
    # sensors in natural order
    raw_ids = np.array(list(batches.ids.keys()), dtype=object)
    sensor_ids = natural_sort(raw_ids)
    order = pd.Index(sensor_ids).get_indexer(raw_ids).astype(np.int32)
    count = len(sensor_ids)
    values = np.full((len(times_ns), count), np.nan, dtype=np.float32)
    flat_values = values.reshape(-1)

    def flat_of(runs, codes):
        if isinstance(runs, tuple):
            rows = np.repeat(wall_to_row[np.searchsorted(wall, runs[0])], runs[1])
        else:
            rows = wall_to_row[np.searchsorted(wall, runs)]
        return rows.astype(np.int64) * count + order[codes]

    scattered = 0
    unusable = 0
    example = 0.0
    for k, (runs, codes, readings) in enumerate(zip(batches.runs, batches.codes, batches.values)):
        flat = flat_of(runs, codes)
        infinite = np.isinf(readings)  # beyond a float32: no measurement
        if infinite.any():
            example = example or float(readings[infinite][0])
            unusable += int(infinite.sum())
            readings = batches.values[k] = np.where(infinite, np.float32(np.nan), readings)
        ok = ~np.isnan(readings)
        flat_values[flat[ok]] = readings[ok]
        scattered += int(ok.sum())
    if unusable:
        warnings.append(
            f"{unusable} readings are infinite or beyond any measurement (e.g. {example:g}): left out"
        )
    filled = int(np.count_nonzero(~np.isnan(flat_values)))
    if filled != scattered:
        flats = [flat_of(r, c) for r, c in zip(batches.runs, batches.codes)]
        duplicates = _average(flat_values, flats, batches.values)
        warnings.append(f"{duplicates} readings share a time and a sensor with another one: averaged")
    names = None
    if batches.first_name:
        names = np.full(count, None, dtype=object)
        for code, label in batches.first_name.items():
            names[order[code]] = label
    first_xy = {int(order[c]): xy for c, xy in batches.first_xy.items()}
    return sensor_ids, times_ns, values, names, first_xy


def _average(flat_values: np.ndarray, flats: list[np.ndarray], readings: list[np.ndarray]) -> int:
    """Average repeated readings in place; returns how many readings were extra."""
    sums = np.zeros(flat_values.shape, dtype=np.float64)
    counts = np.zeros(flat_values.shape, dtype=np.int32)
    for flat, values in zip(flats, readings):
        ok = ~np.isnan(values)
        np.add.at(sums, flat[ok], values[ok])
        np.add.at(counts, flat[ok], 1)
    have = counts > 0
    flat_values[have] = (sums[have] / counts[have]).astype(np.float32)
    return int((counts[counts > 1] - 1).sum())
