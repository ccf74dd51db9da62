"""Preparing a store on Dask: every source read by partitions on the workers, cut into tiles,
written with its merged blocks, resumable.

Two stages of independent tasks, each finished one leaving a marker (:mod:`layers.store.tasks`):

1. each source partition (``dask_geopandas.read_file`` partitions, GeoParquet row groups) becomes
   store rows: repaired, heights resolved, reprojected, keyed by Hilbert and tile;
2. the tiles, cut into runs of about ``rows_per_file`` rows (whole tiles, in curve order), become
   the LOD0 and LOD1 files and their index rows, and partial sums per overview cell;
3. the driver adds those sums up into the overview levels 2 and 3 (:mod:`layers.store.overview`).

A rerun after Ctrl+C or a kill keeps the finished partitions and does the others; ``store.json``
says ``complete`` only once everything is written. The cluster is a ``distributed.LocalCluster``
bound to 127.0.0.1 without a dashboard (``workers`` processes of one thread, ``memory_limit``
each), or the cluster at ``scheduler`` (the same code path).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from layers.core.errors import InputError
from layers.store import layout
from layers.store.grid import Grid
from layers.store.overview import OVERVIEW_LEVELS

if TYPE_CHECKING:
    from distributed import Client

    from layers.store.sources import Source


@dataclass
class PrepareOptions:
    """How to prepare: store CRS, tile size (m), GeoPackage layer, the cluster and partition sizes."""

    crs: str = "EPSG:2154"
    tile_size_m: float = 1000.0
    layer: str | None = None
    workers: int = 2
    memory_limit: str = "2GB"
    scheduler: str | None = None
    #: features per source partition
    chunksize: int = 100_000
    #: rows per output file, about (whole tiles)
    rows_per_file: int = 250_000


@dataclass
class PrepareSummary:
    """What a prepare did: per-source counts, totals, tiles, size on disk, time."""

    store: Path
    sources: list[dict[str, Any]]
    count: int
    blocks: int
    tiles: int
    bytes: int
    seconds: float
    resumed: int = 0
    partitions: int = 0
    meta: dict[str, Any] = field(default_factory=dict)


class Progress:
    """One line on ``stream`` updated in place (``maquette: prepare: reading 3/12 (25%) ETA 0:40``):
    stage, done / total, percent, time left. Every line written starts with ``maquette:``."""

    def __init__(self, stream: TextIO | None, label: str, total: int) -> None:
        self.stream, self.label, self.total = stream, label, max(total, 0)
        self.done = 0
        self.start = time.perf_counter()
        self._open = False
        self.show()

    def step(self) -> None:
        self.done += 1
        self.show()

    def stop(self) -> None:
        """End the line when the work stops early, saying how to continue."""
        if self.stream is not None and self.done < self.total:
            self._write(
                "maquette: prepare: stopped; finished partitions are kept: run the same command to continue"
            )
            self._end()

    def show(self) -> None:
        if self.stream is None:
            return
        elapsed = time.perf_counter() - self.start
        left = elapsed / self.done * (self.total - self.done) if self.done else None
        eta = f"{int(left // 60)}:{int(left % 60):02d}" if left is not None else "-:--"
        percent = 100 * self.done / self.total if self.total else 100.0
        self._write(f"maquette: {self.label}: {self.done}/{self.total} ({percent:3.0f}%) ETA {eta}   ")
        if self.done >= self.total:
            self._end()

    def _write(self, text: str) -> None:
        assert self.stream is not None
        # \r only over a line of ours: the first text of a line starts it (no empty line before)
        self.stream.write(("\r" if self._open else "") + text)
        self.stream.flush()
        self._open = True

    def _end(self) -> None:
        assert self.stream is not None
        self.stream.write("\n")
        self.stream.flush()
        self._open = False


@contextmanager
def dask_client(options: PrepareOptions) -> Iterator[Client]:
    """A client of the cluster at ``options.scheduler``, or of a local cluster started (and closed)
    here: processes of one thread, bound to 127.0.0.1, no dashboard."""
    import logging

    from distributed import Client, LocalCluster

    if options.scheduler:
        with Client(options.scheduler) as client:
            yield client
        return
    with _workers_ignore_ctrl_c():
        cluster = LocalCluster(
            n_workers=options.workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=options.memory_limit,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        )
    with cluster, Client(cluster) as client:
        yield client


@contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Ctrl+C ignored by the worker processes started meanwhile (an ignored signal stays ignored in
    a child process): the driver alone stops on it, cancels the work and closes the cluster."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _settings(paths: Sequence[Path], options: PrepareOptions) -> dict[str, Any]:
    """What makes a store the same store: its sources and how they are prepared."""
    return {
        "inputs": [str(p.resolve()) for p in paths],
        "crs_asked": options.crs,
        "tile_size_m": options.tile_size_m,
        "layer": options.layer,
        "chunksize": options.chunksize,
        "rows_per_file": options.rows_per_file,
    }


def check_output(store: Path, settings: dict[str, Any]) -> dict[str, Any] | None:
    """:class:`InputError` when ``store`` cannot receive this store (a file, a folder holding
    something else, a store of other sources or settings); the store's current ``store.json`` when
    it is this store, partly or wholly prepared. Nothing is created (see :func:`make_output`)."""
    if store.exists() and not store.is_dir():
        raise InputError(store, "is a file, not a folder (the store is a folder)")
    meta_path = store / layout.STORE_JSON
    meta: dict[str, Any] | None = None
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = None
        if not isinstance(meta, dict) or meta.get("format") != layout.FORMAT:
            raise InputError(store, "holds a store.json that is not a Maquette store's")
        if meta.get("settings") != settings:
            raise InputError(
                store,
                "holds a store prepared from other sources or settings",
                hint="remove it or choose another folder",
            )
    elif store.exists() and any(store.iterdir()):
        raise InputError(store, "is a folder that is not empty", hint="choose a new or empty folder")
    return meta


def make_output(store: Path) -> None:
    """Create the store's folder; :class:`InputError` when it cannot be created or written."""
    from layers.io.atomic import check_writable

    meta_path = store / layout.STORE_JSON
    try:
        store.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(store, f"cannot be created ({exc.strerror or exc})") from None
    try:
        check_writable(meta_path)
    except Exception as exc:  # noqa: BLE001 - OutputError in words, or the system's
        raise InputError(store, f"cannot be written ({exc})") from None


def _write_meta(store: Path, meta: dict[str, Any]) -> None:
    from layers.io.atomic import atomic_write_text

    atomic_write_text(store / layout.STORE_JSON, json.dumps(meta, indent=1, ensure_ascii=False))


def _plan(tiles: dict[int, int], rows_per_file: int) -> list[tuple[int, int]]:
    """Runs of whole tiles (first, last key) of about ``rows_per_file`` rows, in curve order."""
    runs: list[tuple[int, int]] = []
    first: int | None = None
    rows = 0
    keys = sorted(tiles)
    for i, key in enumerate(keys):
        if first is None:
            first = key
        rows += tiles[key]
        if rows >= rows_per_file or i == len(keys) - 1:
            runs.append((first, key))
            first, rows = None, 0
    return runs


def _gather(client: Client, futures: list[Any], progress: Progress, what: dict[Any, Path]) -> list[Any]:
    """Results of ``futures`` as they finish (progress stepped); a failed task raises
    :class:`InputError` naming its source; Ctrl+C cancels the rest."""
    from distributed import as_completed

    results = []
    try:
        for future in as_completed(futures):
            try:
                results.append(future.result())
            except InputError:
                raise
            except Exception as exc:  # noqa: BLE001 - a worker's failure, in one line
                text = " ".join(str(exc).split()) or type(exc).__name__
                raise InputError(what.get(future.key), f"could not be prepared: {text}") from None
            progress.step()
    except BaseException:
        progress.stop()
        client.cancel(futures)
        raise
    return results


def _source_totals(source: Source, stats: list[dict[str, Any]]) -> dict[str, Any]:
    dropped: dict[str, int] = {}
    for s in stats:
        for reason, count in s["dropped"].items():
            dropped[reason] = dropped.get(reason, 0) + int(count)
    return {
        "path": str(source.path),
        "read": sum(int(s["read"]) for s in stats),
        "kept": sum(int(s["kept"]) for s in stats),
        "dropped": dropped,
        "repaired": sum(int(s["repaired"]) for s in stats),
        "heights_defaulted": sum(int(s["heights_defaulted"]) for s in stats),
        "attribution": next((s["attribution"] for s in stats if s.get("attribution")), None),
    }


def prepare_store(
    paths: Sequence[str | Path],
    store: str | Path,
    options: PrepareOptions | None = None,
    *,
    progress: TextIO | None = None,
) -> PrepareSummary:
    """Prepare the store ``store`` from the footprint files ``paths`` (see the module docstring);
    ``progress``: where the progress line goes (``None``: nowhere).

    Raises :class:`InputError` for a bad source or output (before any work where it can be seen).
    """
    import dask
    from pyproj import CRS

    from layers.store import tasks
    from layers.store.sources import describe_source, partitions

    t0 = time.perf_counter()
    options = options or PrepareOptions()
    store = Path(store)
    files = [Path(p) for p in paths]
    if not files:
        raise InputError(None, "no source file given")
    try:
        store_crs = CRS.from_user_input(options.crs)
    except Exception:  # noqa: BLE001 - pyproj's CRSError and others
        raise InputError(None, f"--crs: {options.crs!r} is not a CRS") from None
    if not store_crs.is_projected or store_crs.axis_info[0].unit_name not in ("metre", "meter"):
        raise InputError(None, f"--crs: {options.crs} is not a projected CRS in metres")
    if not options.tile_size_m > 0:
        raise InputError(None, f"--tile-size must be above 0 m, not {options.tile_size_m:g}")
    settings = _settings(files, options)
    previous = check_output(store, settings)
    if previous is not None and previous.get("complete"):
        return _summary(store, previous, t0, resumed=0, partitions=0)
    crs_text = store_crs.to_wkt()
    crs_json = store_crs.to_json()
    sources = [describe_source(p, crs_text, options.layer) for p in files]
    make_output(store)
    xmin = min(s.bounds[0] for s in sources)
    ymin = min(s.bounds[1] for s in sources)
    xmax = max(s.bounds[2] for s in sources)
    ymax = max(s.bounds[3] for s in sources)
    grid = (
        Grid.from_json(previous["grid"])
        if previous
        else Grid.covering((xmin, ymin, xmax, ymax), options.tile_size_m)
    )
    meta: dict[str, Any] = {
        "format": layout.FORMAT,
        "version": layout.VERSION,
        "crs": crs_text,
        "epsg": store_crs.to_epsg(),
        "bounds": [xmin, ymin, xmax, ymax],
        "tile_size_m": options.tile_size_m,
        "grid": grid.to_json(),
        "count": 0,
        "height_range_m": None,
        "sources": [{"path": str(s.path), "read": s.features} for s in sources],
        "levels": [],
        "created": (previous or {}).get("created") or datetime.now(UTC).isoformat(timespec="seconds"),
        "complete": False,
        "settings": settings,
    }
    _write_meta(store, meta)
    parts = [partitions(s, i, options.chunksize) for i, s in enumerate(sources)]
    total_parts = sum(len(p) for p in parts)
    resumed = 0
    with dask_client(options) as client:
        # stage one: source partitions
        todo = []
        todo_paths: list[Path] = []
        for source, source_parts in zip(sources, parts, strict=True):
            frames = _partition_frames(source, len(source_parts), options)
            for part in source_parts:
                data, marker = tasks.stage_one_paths(store, part)
                if marker.exists() and data.exists():
                    resumed += 1
                    continue
                frame = frames[part.number] if frames is not None else None
                todo.append(
                    dask.delayed(tasks.stage_one)(frame, source, part, store, crs_text, crs_json, grid)
                )
                todo_paths.append(source.path)
        futures = client.compute(todo) if todo else []
        what = {future.key: path for future, path in zip(futures, todo_paths, strict=True)}
        _gather(client, futures, Progress(progress, "prepare: reading", len(futures)), what)
        stats = [
            [json.loads(tasks.stage_one_paths(store, part)[1].read_text()) for part in source_parts]
            for source_parts in parts
        ]
        tile_rows: dict[int, int] = {}
        for source_stats in stats:
            for s in source_stats:
                for key, count in s["tiles"].items():
                    tile_rows[int(key)] = tile_rows.get(int(key), 0) + int(count)
        if not tile_rows:
            raise InputError(files[0], "none of the sources' features is a footprint with an area")
        # stage two: runs of tiles into the store's files
        runs = _plan(tile_rows, options.rows_per_file)
        files = sorted((store / layout.WORK / "stage1").glob("*.parquet"))
        todo2 = []
        for number, (first, last) in enumerate(runs):
            lod0, lod1, marker = tasks.stage_two_paths(store, number)
            sums = tasks.overview_sums_path(store, number)
            if marker.exists() and lod0.exists() and lod1.exists() and sums.exists():
                resumed += 1
                continue
            todo2.append(
                client.submit(tasks.stage_two, number, first, last, files, store, crs_json, grid, pure=False)
            )
        _gather(client, todo2, Progress(progress, "prepare: tiling", len(todo2)), {})
    index_rows: list[dict[str, Any]] = []
    for number in range(len(runs)):
        index_rows += json.loads(tasks.stage_two_paths(store, number)[2].read_text())
    overview_rows, usage_counts = _write_overview(store, len(runs), grid, store_crs, crs_json)
    index_rows += overview_rows
    layout.write_index(store / layout.INDEX, index_rows)
    lod0_rows = [r for r in index_rows if r["level"] == 0]
    lod1_rows = [r for r in index_rows if r["level"] == 1]
    bounds = [s["bounds"] for source_stats in stats for s in source_stats if s["bounds"] is not None]
    meta.update(
        count=sum(int(r["count"]) for r in lod0_rows),
        bounds=[
            min(b[0] for b in bounds),
            min(b[1] for b in bounds),
            max(b[2] for b in bounds),
            max(b[3] for b in bounds),
        ],
        height_range_m=[
            min(float(r["height_min_m"]) for r in lod0_rows),
            max(float(r["height_max_m"]) for r in lod0_rows),
        ],
        sources=[_source_totals(s, st) for s, st in zip(sources, stats, strict=True)],
        usage_counts=usage_counts,
        levels=[
            {
                "level": 0,
                "path": layout.LEVEL_FOLDERS[0],
                "what": "footprints",
                "count": meta_count(lod0_rows),
                "tiles": len(lod0_rows),
            },
            {
                "level": 1,
                "path": layout.LEVEL_FOLDERS[1],
                "what": "merged blocks",
                "count": meta_count(lod1_rows),
                "tiles": len(lod1_rows),
            },
            *(
                {
                    "level": level.level,
                    "path": layout.LEVEL_FOLDERS[level.level],
                    "what": "built-up blocks",
                    "cell_m": level.cell_m(grid),
                    "tile_shift": level.shift(grid),
                    "count": meta_count([r for r in overview_rows if r["level"] == level.level]),
                    "tiles": sum(1 for r in overview_rows if r["level"] == level.level),
                }
                for level in OVERVIEW_LEVELS
            ),
        ],
        complete=True,
    )
    _write_meta(store, meta)
    shutil.rmtree(store / layout.WORK, ignore_errors=True)
    return _summary(store, meta, t0, resumed=resumed, partitions=total_parts + len(runs))


def _write_overview(
    store: Path, runs: int, grid: Grid, crs: Any, crs_json: str
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Add up the runs' partial sums per cell and write the overview levels' files (one per level,
    in the driver: a country holds a few hundred thousand cells at most); their index rows and
    the store's buildings by usage."""
    import pandas as pd
    import pyarrow.parquet as pq

    from layers.store import tasks
    from layers.store.overview import overview_blocks, usage_totals

    sums = pd.concat(
        [pq.read_table(tasks.overview_sums_path(store, n)).to_pandas() for n in range(runs)],
        ignore_index=True,
    )
    rows: list[dict[str, Any]] = []
    for level in OVERVIEW_LEVELS:
        blocks = overview_blocks(sums, grid, level, crs)
        folder = layout.LEVEL_FOLDERS[level.level]
        name = layout.part_name(0)
        rows += layout.write_tiles(store / folder / name, blocks, crs_json, level.level, f"{folder}/{name}")
    return rows, usage_totals(sums)


def meta_count(rows: list[dict[str, Any]]) -> int:
    return sum(int(str(r["count"])) for r in rows)


def _partition_frames(source: Source, count: int, options: PrepareOptions) -> list[Any] | None:
    """The ``dask_geopandas.read_file`` partitions of a GDAL source (delayed GeoDataFrames, rows
    indexed by their position in the file), ``None`` for GeoParquet (read by row groups)."""
    if source.parquet:
        return None
    import dask_geopandas  # type: ignore[import-untyped]

    frame = dask_geopandas.read_file(str(source.path), chunksize=options.chunksize, layer=source.layer)
    delayed = frame.to_delayed()
    if len(delayed) != count:  # another cut than ours: read each partition in the task instead
        return None
    return list(delayed)


def _summary(
    store: Path, meta: dict[str, Any], t0: float, *, resumed: int, partitions: int
) -> PrepareSummary:
    size = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
    levels = {int(level["level"]): level for level in meta.get("levels", [])}
    return PrepareSummary(
        store=store,
        sources=list(meta["sources"]),
        count=int(meta["count"]),
        blocks=int(levels.get(1, {}).get("count", 0)),
        tiles=int(levels.get(0, {}).get("tiles", 0)),
        bytes=size,
        seconds=time.perf_counter() - t0,
        resumed=resumed,
        partitions=partitions,
        meta=meta,
    )
