"""Orthophotos and basemaps on the ground: draping a large orthophoto, moving a basemap view.

Run on demand (not a unit test)::

    .venv/bin/python bench/drape_basemap.py [--repeat 3] [--size 10000] [--peer /work/wt/basemap-peer]

1. **Orthophoto on a terrain**: a generated 10,000 × 10,000 RGB GeoTIFF (0.2 m pixels, 2 km a
   side, nodata 255 in a corner, tiled, uncompressed: 300 MB) over a generated 1,000 × 1,000 DTM
   (2 m pixels). One run = a fresh process: open both files, add them to a scene, build the
   visuals and draw the first 1920 × 1080 frame off screen (software GL under Xvfb here). The
   peer is the code of ``--peer`` (main before the basemap work: the orthophoto opened as a plain
   raster overlay), run the same way in the same session, alternating with ours.
2. **Basemap view change**: a generated MBTiles (zooms 12-17, 2,000 JPEG tiles over 4 km), the
   camera moved from one street-level view to another 1.5 km away: the tiles chosen, read,
   decoded, put together, warped to Lambert-93 and the frame drawn. Cold = an empty tile cache;
   warm = the same view again after the cache holds its tiles (the picture recomposed from them).

Medians of ``--repeat`` runs (the machine is shared: min and max are printed too).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
X0, Y0 = 351_000.0, 6_790_000.0  # Rennes, Lambert-93 (top-left of the orthophoto)


def stats(times: list[float]) -> dict[str, float]:
    return {
        "median_s": round(float(np.median(times)), 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
    }


# -- data --------------------------------------------------------------------------------------
def write_ortho(path: Path, size: int) -> Path:
    """An RGB orthophoto-like picture: fields, streets, roofs; nodata 255 in the north-west corner."""
    import rasterio
    from rasterio.transform import from_origin

    pixel = 2000.0 / size
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=size,
        height=size,
        count=3,
        dtype="uint8",
        crs="EPSG:2154",
        transform=from_origin(X0, Y0, pixel, pixel),
        nodata=255,
        tiled=True,
        blockxsize=512,
        blockysize=512,
    ) as ds:
        step = 1000
        for r0 in range(0, size, step):
            rows = min(step, size - r0)
            y, x = np.mgrid[r0 : r0 + rows, 0:size]
            field = ((x // 400 + y // 400) % 3).astype(np.uint8)
            street = ((x % 250) < 40) | ((y % 300) < 40)
            rgb = np.empty((3, rows, size), dtype=np.uint8)
            rgb[0] = 90 + 40 * field + (x % 7).astype(np.uint8)
            rgb[1] = 110 + 30 * field
            rgb[2] = 70 + 20 * field
            rgb[:, street] = 200
            corner = (x < size // 10) & (y < size // 10)
            rgb[:, corner] = 255
            ds.write(rgb, window=rasterio.windows.Window(0, r0, size, rows))
    return path


def write_dtm(path: Path) -> Path:
    import rasterio
    from rasterio.transform import from_origin

    y, x = np.mgrid[0:1000, 0:1000].astype(np.float32)
    z = 40 + 15 * np.sin(x / 130.0) * np.cos(y / 170.0) + 0.01 * x
    with rasterio.open(
        path, "w", driver="GTiff", width=1000, height=1000, count=1, dtype="float32",
        crs="EPSG:2154", transform=from_origin(X0, Y0, 2.0, 2.0), nodata=-9999,
    ) as ds:  # fmt: skip
        ds.write(z.astype(np.float32), 1)
    return path


def write_tiles(path: Path) -> Path:
    """Zooms 12-17 over 4 km around Rennes, JPEG tiles with a pattern (each tile different)."""
    from PIL import Image
    from pyproj import Transformer

    sys.path.insert(0, str(ROOT))
    from layers.basemap import webmercator as wm
    from layers.basemap.mbtiles import write_mbtiles

    to_3857 = Transformer.from_crs("EPSG:2154", "EPSG:3857", always_xy=True)
    box = to_3857.transform_bounds(X0, Y0 - 4000, X0 + 4000, Y0)
    tiles = {}
    yy, xx = np.mgrid[0:256, 0:256]
    for z in range(12, 18):
        x0, y0, x1, y1 = wm.tile_range(box, z)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                rgb = np.stack(
                    [(xx * 3 + x * 17) % 256, (yy * 2 + y * 29) % 256, ((xx ^ yy) + z * 40) % 256], axis=-1
                ).astype(np.uint8)
                out = io.BytesIO()
                Image.fromarray(rgb, "RGB").save(out, format="JPEG", quality=80)
                tiles[(z, x, y)] = out.getvalue()
    return write_mbtiles(path, tiles, metadata={"format": "jpg", "attribution": "bench"})


# -- 1. one drape, in a child process ------------------------------------------------------------
def child_drape(dtm: Path, ortho: Path) -> dict[str, float]:
    from layers.core.reading import open_layer
    from layers.core.scene import Scene
    from viewer.render import make_plotter
    from viewer.scene_view import SceneView

    scene = Scene()
    plotter = make_plotter((1920, 1080))
    view = SceneView(plotter, scene, auto_render=False)
    plotter.ren_win.Render()
    t0 = time.perf_counter()
    terrain, photo = open_layer(dtm), open_layer(ortho)
    t1 = time.perf_counter()
    scene.add(terrain)
    scene.add(photo)
    view.reset_camera()
    t2 = time.perf_counter()
    plotter.ren_win.Render()
    t3 = time.perf_counter()
    grid = photo.grid  # type: ignore[attr-defined]
    plotter.close()
    return {
        "load_s": t1 - t0,
        "build_s": t2 - t1,
        "first_frame_s": t3 - t2,
        "total_s": t3 - t0,
        "texture_px": int(grid.shape[0] * grid.shape[1]),
    }


def run_drape(code: Path, dtm: Path, ortho: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child-drape", str(dtm), str(ortho)],
        cwd=code, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- 2. basemap view change ---------------------------------------------------------------------
def bench_view_change(tiles: Path, repeat: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from layers.basemap.layer import BasemapLayer
    from layers.core.scene import Scene
    from layers.session.views import CameraView
    from viewer.render import make_plotter
    from viewer.scene_view import SceneView

    layer = BasemapLayer.load(tiles)
    scene = Scene("EPSG:2154")
    scene.add(layer)
    plotter = make_plotter((1920, 1080))
    view = SceneView(plotter, scene, auto_render=False)
    visual = view.visuals[id(layer)]
    spots = [(X0 + 1000, Y0 - 1000), (X0 + 2500, Y0 - 2500)]

    def look(i: int) -> tuple[float, float]:
        """(the basemap's own work: tiles chosen, read, decoded, put together, textured; that plus
        the frame drawn)."""
        x, y = spots[i % 2]
        view.go_to(CameraView("v", (x, y - 300.0, 250.0), (x, y, 0.0), (0.0, 0.0, 1.0), 30.0))
        t = time.perf_counter()
        visual.follow_camera()
        t1 = time.perf_counter()
        plotter.ren_win.Render()
        return t1 - t, time.perf_counter() - t

    look(1)
    cold, warm, cold_frame, warm_frame = [], [], [], []
    for i in range(repeat):
        layer.cache.clear()
        own, whole = look(i)
        cold.append(own)
        cold_frame.append(whole)
        visual.shown = None  # the same view again: recomposed from the cached tiles
        own, whole = look(i)
        warm.append(own)
        warm_frame.append(whole)
    chosen = visual.shown
    plotter.close()
    z, (x0, y0, x1, y1) = chosen  # type: ignore[misc]
    return {
        "cold": stats(cold),
        "warm": stats(warm),
        "cold_with_frame": stats(cold_frame),
        "warm_with_frame": stats(warm_frame),
        "zoom": z,
        "tiles_in_view": (x1 - x0 + 1) * (y1 - y0 + 1),
        "tiles_in_file": layer.tiles.tile_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--peer", type=Path, default=Path("/work/wt/basemap-peer"))
    parser.add_argument("--data", type=Path, help="folder for the generated files (kept)")
    parser.add_argument("--child-drape", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_drape:
        print(json.dumps(child_drape(*args.child_drape)))
        return
    folder = args.data or Path(tempfile.mkdtemp(prefix="drape_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    ortho, dtm, tiles = folder / f"ortho_{args.size}.tif", folder / "dtm.tif", folder / "tiles.mbtiles"
    t = time.perf_counter()
    if not ortho.exists():
        write_ortho(ortho, args.size)
    if not dtm.exists():
        write_dtm(dtm)
    if not tiles.exists():
        write_tiles(tiles)
    print(f"data ready in {time.perf_counter() - t:.1f} s ({folder})", file=sys.stderr)
    ours: list[dict[str, float]] = []
    peer: list[dict[str, float]] = []
    for _ in range(args.repeat):
        ours.append(run_drape(ROOT, dtm, ortho))
        peer.append(run_drape(args.peer, dtm, ortho))
    result = {
        "drape": {
            name: {
                key: stats([r[key] for r in runs])
                for key in ("load_s", "build_s", "first_frame_s", "total_s")
            }
            | {"texture_px": runs[0]["texture_px"]}
            for name, runs in (("ours", ours), ("peer", peer))
        },
        "view_change": bench_view_change(tiles, args.repeat),
    }
    drape = result["drape"]
    result["drape"]["ratio_total"] = round(
        drape["peer"]["total_s"]["median_s"] / drape["ours"]["total_s"]["median_s"], 2
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
