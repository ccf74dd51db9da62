"""Run by test_kill_writers.py in a child process: write one kind of output again and again, two
versions in turn, until killed (SIGKILL).

Usage: python write_forever.py KIND PATH   (prints "ready" once started; never returns)

Each writer is the one Maquette's commands and window use; :func:`write` and :func:`version`
are also used by the test, in its own process, to write the previous file and to read back which
version a file holds (``None``: not a whole file).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np

KINDS = ("png", "tif", "gpkg", "shp", "geojson", "glb", "obj", "mp4", "gif", "csv", "sunlight")
FEATURES = 20_000
FRAMES = {1: 12, 2: 16}  # frames of each video version


def frame(n: int) -> Any:
    import geopandas as gpd
    import shapely

    x = np.arange(FEATURES, dtype=float) * 3.0
    boxes = shapely.box(351_000 + x, 6_789_000.0, 351_002 + x, 6_789_002.0)
    return gpd.GeoDataFrame({"version": np.full(FEATURES, n)}, geometry=boxes, crs="EPSG:2154")


def parts(n: int) -> list[Any]:
    from viewer.export_mesh import MeshPart

    rng = np.random.default_rng(n)
    count = 60_000 * n
    points = rng.random((count, 3)).astype(np.float32) * 100
    triangles = np.arange(count - count % 3).reshape(-1, 3)
    colors = np.tile(np.array([[40 * n, 80, 120, 255]], np.uint8), (count, 1))
    empty2, empty1 = np.empty((0, 2), np.int64), np.empty((0, 1), np.int64)
    return [MeshPart(f"v{n}", "test", points, triangles, empty2, empty1, colors=colors)]


def scene() -> Any:
    from layers.core.scene import Scene

    return Scene()


def write(kind: str, path: Path, n: int) -> None:
    """Write version ``n`` (1 or 2) of ``kind`` to ``path`` with Maquette's own writer."""
    if kind == "png":
        from viewer.export_image import write_image

        write_image(
            np.full((1500, 2000, 3), 60 * n, np.uint8)
            + np.random.default_rng(n).integers(0, 9, (1500, 2000, 3), dtype=np.uint8),
            path,
        )
    elif kind == "tif":
        from pyproj import CRS

        from layers.io.grid import Grid
        from layers.io.raster_file import write_geotiff

        values = np.random.default_rng(n).random((2000, 2000)).astype(np.float32) + 10 * n
        write_geotiff(Grid(values=values, x0=351_000.0, y0=6_789_000.0, dx=1, dy=1, crs=CRS(2154)), path)
    elif kind in ("gpkg", "shp", "geojson"):
        from layers.io.atomic import replacing
        from layers.sunlight.study import SHADOW_DRIVERS, SHAPEFILE_STALE

        driver = SHADOW_DRIVERS[path.suffix]
        stale = SHAPEFILE_STALE if kind == "shp" else ()
        with replacing(path, stale=stale, quiet=True) as temp:  # what shade_to_file does
            frame(n).to_file(temp, driver=driver, layer=path.stem)
    elif kind == "glb":
        from viewer.gltf import write_glb

        write_glb(parts(n), path, scene())
    elif kind == "obj":
        from viewer.export_model import write_obj

        write_obj(parts(n), path, scene())
    elif kind in ("mp4", "gif"):
        from viewer.video import open_encoder

        encoder = open_encoder(path, (320, 240), 10.0)
        for i in range(FRAMES[n]):
            encoder.write(np.full((240, 320, 3), (i * 10) % 256, np.uint8))
        encoder.close()
    elif kind == "csv":
        from pyproj import CRS

        from layers.session.comments import Comment, export_csv

        comments = [
            Comment("idea", f"Remarque {i} ({n})", 351_000.0 + i, 6_789_000.0) for i in range(20_000 * n)
        ]
        export_csv(comments, CRS(2154), path)
    elif kind == "sunlight":
        from layers.sunlight.study import StudyFiles, sunlight_study

        study_files = StudyFiles(path, path.with_name("b.tif"), path.with_name("a.tif"), path)
        existing, project = sunlight_inputs(n)
        sunlight_study(existing, project, date(2025, 6, 21), study_files, project.source_crs, step_min=60.0)
    else:
        raise ValueError(kind)


_SUN: dict[int, Any] = {}


def sunlight_inputs(n: int) -> Any:
    """Two small cities (version 1 lower than version 2) and a tower, as footprints."""
    if n not in _SUN:
        from pyproj import CRS
        from shapely.geometry import box

        from layers.sun.shadow_map import Footprints

        lambert = CRS(2154)

        polygons = np.array([box(351_000 + 30 * i, 6_789_000, 351_020 + 30 * i, 6_789_020) for i in range(8)])
        existing = Footprints.from_arrays(
            polygons, np.full(8, 10.0 * n), np.zeros(8), lambert, "Europe/Paris", metric=lambert
        )
        tower = np.array([box(351_100, 6_789_040, 351_120, 6_789_060)])
        project = Footprints.from_arrays(
            tower, np.array([40.0]), np.zeros(1), lambert, "Europe/Paris", metric=lambert
        )
        _SUN[n] = (existing, project)
    return _SUN[n]


def version(kind: str, path: Path) -> int | None:
    """Which version ``path`` holds, read whole; ``None`` when it cannot be read whole."""
    try:
        return _version(kind, path)
    except Exception:  # noqa: BLE001 - any failure to read is a torn file
        return None


def _version(kind: str, path: Path) -> int | None:
    if kind == "png":
        from PIL import Image

        with Image.open(path) as image:
            image.load()
            return int(round(float(np.asarray(image)[:50, :50].mean()) / 60))
    if kind in ("tif", "sunlight"):
        import rasterio

        with rasterio.open(path) as dataset:
            values = dataset.read(1)
        if kind == "tif":
            return int(np.nanmin(values) // 10)
        return 1 if np.isfinite(values).any() else None
    if kind in ("gpkg", "shp", "geojson"):
        import pyogrio

        table = pyogrio.read_dataframe(path)
        versions = set(table["version"].tolist())
        return versions.pop() if len(table) == FEATURES and len(versions) == 1 else None
    if kind == "glb":
        import pygltflib

        gltf = pygltflib.GLTF2().load(str(path))
        blob = gltf.binary_blob()
        assert blob is not None and len(blob) == gltf.buffers[0].byteLength
        return int(gltf.meshes[0].name[1:])
    if kind == "obj":
        text = path.read_text(encoding="utf-8")
        mtl = path.with_suffix(".mtl").read_text(encoding="utf-8")
        n = int(text.split("\no v", 1)[1].split("\n", 1)[0])
        faces = text.count("\nf ")
        assert faces == 20_000 * n and "newmtl" in mtl and text.endswith("\n")
        return n
    if kind in ("mp4", "gif"):
        if kind == "gif":
            from PIL import Image

            with Image.open(path) as image:
                count = image.n_frames
        else:
            import av

            with av.open(str(path)) as container:
                count = sum(1 for _ in container.decode(video=0))
        return {v: k for k, v in FRAMES.items()}.get(count)
    if kind == "csv":
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        n = len(lines[1:]) // 20_000
        assert lines[-1].split(";")[3] == f"Remarque {20_000 * n - 1} ({n})"
        return n
    raise ValueError(kind)


def main() -> None:
    kind, path = sys.argv[1], Path(sys.argv[2])
    write(kind, path.with_name("warm-up" + path.suffix), 1)  # imports done before "ready"
    print("ready", json.dumps({"at": datetime.now(UTC).isoformat()}), flush=True)
    n = 2
    while True:
        write(kind, path, n)
        n = 3 - n


if __name__ == "__main__":
    main()
