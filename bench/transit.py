"""Transit speed: loading the STAR feed and moving the clock over a whole service day.

Run on demand (not a unit test)::

    .venv/bin/python bench/transit.py [--repeat 3] [--feed PATH] [--frames 600]

The feed is the Rennes STAR GTFS of summer 2012 in ``../shared/data`` (39 routes, 1,267 stops,
6,860 trips, 196,106 stop times, times past 24:00:00, no shapes.txt).

1. **Loading**: ``TransitLayer.load`` (gtfs_kit reads the tables; the timetable becomes flat
   arrays: knots per arrival / departure, a day × service calendar), then the first vehicles.
   Peer, same run: ``gtfs_kit.read_feed`` alone (reading the tables, no timetable built).
2. **Moving the clock** to ``--frames`` times spread over the typical service day (05:00 to
   01:00 the next morning, so trips past midnight count): ``TransitLayer.vehicles_at`` (the
   running trips' positions, vectorised) plus ``TransitVisual.set_time`` (pucks rewritten in
   place, screen-space scales; no GL render). Peer, same run: the straightforward pandas way, per
   frame: ``stop_times`` of the trips running now (a mask on the day's services and on each trip's
   first / last time), the stop before and after ``t`` of each by ``groupby``, and a linear
   interpolation between the two stops.

Times are the best of ``--repeat`` runs (the machine is shared: the spread is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FEED = ROOT.parent / "shared" / "data" / "mobility" / "star_rennes_gtfs" / "GTFS-20120618.zip"


def best(times: list[float]) -> dict[str, float]:
    return {
        "best_s": round(min(times), 4),
        "median_s": round(float(np.median(times)), 4),
        "worst_s": round(max(times), 4),
    }


def load(feed: Path) -> tuple[float, object]:
    from layers.transit.layer import TransitLayer

    t0 = time.perf_counter()
    layer = TransitLayer.load(feed)
    start = layer.suggested_range()[0]
    layer.vehicles_at(start + timedelta(hours=3))
    return time.perf_counter() - t0, layer


def peer_read(feed: Path) -> float:
    import gtfs_kit

    t0 = time.perf_counter()
    gtfs_kit.read_feed(feed, dist_units="km")
    return time.perf_counter() - t0


class PandasPositions:
    """The straightforward pandas way, prepared once (the feed read and its times in seconds)."""

    def __init__(self, feed: Path, layer) -> None:
        import gtfs_kit
        import pandas as pd

        f = gtfs_kit.read_feed(feed, dist_units="km")
        st = f.stop_times[["trip_id", "stop_id", "stop_sequence", "arrival_time", "departure_time"]].copy()
        for column in ("arrival_time", "departure_time"):
            parts = st[column].str.split(":", expand=True).astype(float)
            st[column] = parts[0] * 3600 + parts[1] * 60 + parts[2]
        stops = f.stops.set_index("stop_id")[["stop_lon", "stop_lat"]]
        st = st.join(stops, on="stop_id").sort_values(["trip_id", "stop_sequence"])
        self.st = st
        self.trips = f.trips.set_index("trip_id")
        bounds = st.groupby("trip_id").agg(first=("departure_time", "min"), last=("arrival_time", "max"))
        self.bounds = bounds.join(self.trips["service_id"])
        self.day = layer.typical_day()
        self.active = set(self._services(f, self.day))
        self.pd = pd

    @staticmethod
    def _services(f, day) -> list[str]:

        stamp = day.strftime("%Y%m%d")
        weekday = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[
            day.weekday()
        ]
        cal = f.calendar
        active = (
            set(
                cal[(cal["start_date"] <= stamp) & (cal["end_date"] >= stamp) & (cal[weekday] == 1)][
                    "service_id"
                ]
            )
            if cal is not None
            else set()
        )
        if f.calendar_dates is not None:
            ex = f.calendar_dates[f.calendar_dates["date"] == stamp]
            active |= set(ex[ex["exception_type"] == 1]["service_id"])
            active -= set(ex[ex["exception_type"] == 2]["service_id"])
        return sorted(active)

    def positions(self, seconds: float):
        b = self.bounds
        running = b[
            (b["service_id"].isin(self.active)) & (b["first"] <= seconds) & (b["last"] > seconds)
        ].index
        st = self.st[self.st["trip_id"].isin(running)]
        before = st[st["departure_time"] <= seconds].groupby("trip_id").tail(1).set_index("trip_id")
        after = st[st["arrival_time"] > seconds].groupby("trip_id").head(1).set_index("trip_id")
        pair = before.add_suffix("_a").join(after.add_suffix("_b"), how="inner")
        span = (pair["arrival_time_b"] - pair["departure_time_a"]).clip(lower=1)
        f = ((seconds - pair["departure_time_a"]) / span).clip(0, 1)
        return np.column_stack(
            [
                pair["stop_lon_a"] + f * (pair["stop_lon_b"] - pair["stop_lon_a"]),
                pair["stop_lat_a"] + f * (pair["stop_lat_b"] - pair["stop_lat_a"]),
            ]
        )


def clock(feed: Path, frames: int) -> dict:
    from layers.core.scene import Scene
    from viewer.render import make_plotter
    from viewer.scene_view import SceneView

    _, layer = load(feed)
    scene = Scene()
    scene.add(layer)
    plotter = make_plotter((1280, 720))
    view = SceneView(plotter, scene, auto_render=False)
    view.reset_camera()
    visual = view.visual(layer)
    start, end = layer.suggested_range()
    step = (end - start) / frames
    times = [start + step * i for i in range(frames)]
    layer_ms, visual_ms, counts = [], [], []
    for t in times:
        a = time.perf_counter()
        xy, _, _ = layer.vehicles_at(t)
        b = time.perf_counter()
        visual.set_time(t)  # calls vehicles_at itself: the whole update
        c = time.perf_counter()
        layer_ms.append((b - a) * 1000)
        visual_ms.append((c - b) * 1000)
        counts.append(len(xy))
    plotter.close()
    peer = PandasPositions(feed, layer)
    origin = layer.service_day_origin_ns(layer.typical_day()) / 1e9
    peer_ms = []
    for t in times[:: max(1, frames // 60)]:
        seconds = t.timestamp() - origin
        a = time.perf_counter()
        peer.positions(seconds)
        peer_ms.append((time.perf_counter() - a) * 1000)
    return {
        "frames": frames,
        "vehicles_max": int(max(counts)),
        "vehicles_median": int(np.median(counts)),
        "vehicles_at_ms_median": round(float(np.median(layer_ms)), 3),
        "vehicles_at_ms_p95": round(float(np.percentile(layer_ms, 95)), 3),
        "update_ms_median": round(float(np.median(visual_ms)), 3),
        "update_ms_p95": round(float(np.percentile(visual_ms, 95)), 3),
        "update_ms_max": round(float(np.max(visual_ms)), 3),
        "peer_pandas_ms_median": round(float(np.median(peer_ms)), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--feed", default=str(FEED))
    parser.add_argument("--frames", type=int, default=600)
    args = parser.parse_args()
    feed = Path(args.feed)
    loads = [load(feed)[0] for _ in range(args.repeat)]
    peers = [peer_read(feed) for _ in range(args.repeat)]
    clocks = [clock(feed, args.frames) for _ in range(args.repeat)]
    pick = min(clocks, key=lambda c: c["update_ms_median"])
    report = {
        "feed": feed.name,
        "cpus": os.cpu_count(),
        "load": best(loads),
        "peer_gtfs_kit_read": best(peers),
        "load_vs_read_ratio": round(min(loads) / min(peers), 2),
        "clock": pick,
        "clock_spread_update_ms": [c["update_ms_median"] for c in clocks],
        "ratio_update_vs_pandas": round(pick["peer_pandas_ms_median"] / pick["update_ms_median"], 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
