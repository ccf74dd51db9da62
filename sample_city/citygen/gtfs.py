"""A small GTFS feed: three lines routed along the streets, both directions, 2025-06-28 → 07-06.

Line C1 (trambus), C2 and 12 are shortest paths (favouring main streets) through waypoints; stops
about every 390 m, one stop per direction on the right-hand side of the street; commercial speed
18 km/h; headways of 6–15 min by time of day; service from about 05:30 to after midnight (times
past midnight written 24:xx:xx / 25:xx:xx). Weekday and weekend calendars; Friday 2025-07-04 runs
the weekend timetable (one exception in calendar_dates.txt). The zip is byte-deterministic.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, Point

from .common import local_to_lonlat
from .network import RoadGraph

SPEED_M_S = 18.0 / 3.6
STOP_SPACING_M = 390.0
ZIP_DATE = (2025, 6, 1, 0, 0, 0)

ROUTES = [
    # id, long name, description, colour, text colour, waypoints (local metres)
    (
        "C1",
        "Ouest – Marché – Mairie – Gare – Les Tours",
        "Trambus",
        "C8102E",
        "FFFFFF",
        [(0, 880), (440, 870), (700, 790), (900, 700), (1150, 235), (1600, 240)],
    ),
    (
        "C2",
        "Boulevard nord – Mairie – Pont central – Faubourg sud",
        "Bus",
        "0072BC",
        "FFFFFF",
        [(870, 1200), (860, 1080), (760, 790), (700, 440), (700, 215), (690, 0)],
    ),
    (
        "12",
        "Lotissements – Gare – Pont est – Quartier nord-est",
        "Bus",
        "F2A900",
        "000000",
        [(0, 120), (600, 215), (1150, 235), (1380, 440), (1400, 800), (1600, 1060)],
    ),
]

#: (from hour, to hour, headway min) by route and service
HEADWAYS = {
    ("C1", "SEM"): [
        (5.5, 7.0, 12),
        (7.0, 9.5, 6),
        (9.5, 16.0, 8),
        (16.0, 19.5, 6),
        (19.5, 21.0, 10),
        (21.0, 25.05, 15),
    ],
    ("C2", "SEM"): [
        (5.5, 7.0, 15),
        (7.0, 9.5, 8),
        (9.5, 16.0, 12),
        (16.0, 19.5, 8),
        (19.5, 21.0, 12),
        (21.0, 24.5, 15),
    ],
    ("12", "SEM"): [(5.75, 7.0, 15), (7.0, 9.5, 10), (9.5, 16.0, 15), (16.0, 19.5, 10), (19.5, 24.0, 15)],
    ("C1", "WE"): [(6.5, 10.0, 12), (10.0, 20.0, 10), (20.0, 25.05, 15)],
    ("C2", "WE"): [(7.0, 24.5, 15)],
    ("12", "WE"): [(7.0, 23.5, 15)],
}

LANDMARKS = {
    "main_square": "Mairie",
    "station_square": "Gare",
    "market": "Marché",
    "towers": "Les Tours",
    "park": "Jardin des Tilleuls",
    "church": "Saint-Aubin",
    "school": "Les Lilas",
    "square_south": "Peupliers",
}


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _departures(periods) -> list[int]:
    out, t = [], periods[0][0] * 3600
    for start, end, headway in periods:
        t = max(t, start * 3600)
        while t < end * 3600:
            out.append(int(round(t / 60.0)) * 60)
            t += headway * 60
    return out


class _Stops:
    """Stops shared between lines when they stand at the same place on the same side."""

    def __init__(self, layout, segments) -> None:
        self.rows: list[dict] = []
        self.layout = layout
        self.segments = segments
        self.used: dict[str, np.ndarray] = {}

    def landmarks_along(self, line, max_distance_m=90.0) -> list[tuple[float, str]]:
        """(distance along ``line``, name) of the landmarks the line passes by."""
        out = []
        for role, name in LANDMARKS.items():
            blocks = [b for b, r in zip(self.layout.blocks, self.layout.block_role) if r == role]
            if not blocks:
                continue
            c = max(blocks, key=lambda b: b.area).centroid
            if line.distance(c) < max_distance_m:
                out.append((line.project(c), name))
        return sorted(out)

    def name_at(self, p, own_names) -> str:
        """The nearest cross street's short name ("Tanneurs"), each name used at one place only."""
        d = shapely.distance(self.segments.geometry, Point(p))
        for k in np.argsort(d)[:30]:
            name = self.segments.nom[k]
            if name in own_names:
                continue
            if not self.segments.pont[k]:
                name = name.split(" ", 1)[1]
                for article in ("des ", "du ", "de la ", "de l'"):
                    name = name.removeprefix(article)
                name = name[0].upper() + name[1:]
            if name in self.used and np.hypot(*(self.used[name] - p)) > 80.0:
                continue
            self.used[name] = np.asarray(p)
            return name
        return f"Arrêt {len(self.used) + 1}"

    def get(self, p, heading, name) -> str:
        for row in self.rows:
            if np.hypot(row["x"] - p[0], row["y"] - p[1]) < 25.0 and np.dot(row["heading"], heading) > 0.5:
                return row["stop_id"]
        sid = f"S{len(self.rows) + 1:03d}"
        self.rows.append(dict(stop_id=sid, x=p[0], y=p[1], heading=heading, name=name))
        return sid


def _stop_places(line, stops: _Stops, own_names):
    """Distances along ``line`` of its stops and their names: the landmarks it passes, the two
    ends, and evenly spaced stops (about :data:`STOP_SPACING_M`) in between."""
    fixed = [(1.0, None), (line.length - 1.0, None)]
    for s, name in stops.landmarks_along(line):
        if 150.0 < s < line.length - 150.0 and all(abs(s - f) > 150.0 for f, _ in fixed):
            fixed.append((s, name))
    fixed.sort()
    at, names = [], []
    for (s0, n0), (s1, _) in zip(fixed[:-1], fixed[1:]):
        n = max(1, int(np.ceil((s1 - s0) / (1.2 * STOP_SPACING_M))))
        for k in range(n):
            at.append(s0 + (s1 - s0) * k / n)
            names.append(n0 if k == 0 else None)
    at.append(fixed[-1][0])
    names.append(fixed[-1][1])
    names = [
        n or stops.name_at(np.asarray(line.interpolate(s).coords[0]), own_names) for s, n in zip(at, names)
    ]
    return np.array(at), names


def build_feed(layout, segments) -> dict[str, str]:
    """File name → CSV text of every GTFS file."""
    graph = RoadGraph(segments)
    stops = _Stops(layout, segments)
    shapes_rows, trips_rows, times_rows, routes_rows = [], [], [], []
    for route_id, long_name, desc, colour, text_colour, waypoints in ROUTES:
        routes_rows.append([route_id, "VILAINE", route_id, long_name, desc, 3, colour, text_colour])
        path = graph.path(waypoints)
        line = LineString(path)
        own = {
            segments.nom[k]
            for k in np.nonzero(shapely.distance(segments.geometry, line) < 0.5)[0]
            if shapely.length(shapely.intersection(segments.geometry[k], line.buffer(0.5))) > 10
        }
        at, names = _stop_places(line, stops, own)
        for direction in (0, 1):
            xy = path if direction == 0 else path[::-1]
            dline = LineString(xy)
            shape_id = f"{route_id}_{direction}"
            cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
            lon, lat = local_to_lonlat(xy[:, 0], xy[:, 1])
            for k in range(len(xy)):
                shapes_rows.append([shape_id, f"{lat[k]:.6f}", f"{lon[k]:.6f}", k + 1, f"{cum[k]:.1f}"])
            stop_ids, stop_dist = [], []
            for s, name in zip(
                at if direction == 0 else line.length - at[::-1], names if direction == 0 else names[::-1]
            ):
                p = np.asarray(dline.interpolate(s).coords[0])
                q = np.asarray(dline.interpolate(min(s + 2.0, dline.length)).coords[0])
                r = np.asarray(dline.interpolate(max(s - 2.0, 0.0)).coords[0])
                t = (q - r) / np.hypot(*(q - r))
                right = np.array([t[1], -t[0]])
                stop_ids.append(stops.get(p + 4.0 * right, t, name))
                stop_dist.append(s)
            headsign = stops.rows[int(stop_ids[-1][1:]) - 1]["name"]
            for service in ("SEM", "WE"):
                for dep in _departures(HEADWAYS[(route_id, service)]):
                    dep = dep + (180 if direction == 1 else 0)
                    trip_id = f"{route_id}-{service}-{direction}-{_hms(dep)[:5].replace(':', '')}"
                    trips_rows.append([route_id, service, trip_id, headsign, direction, shape_id])
                    for seq, (sid, s) in enumerate(zip(stop_ids, stop_dist), start=1):
                        t_s = dep + int(round(s / SPEED_M_S))
                        times_rows.append([trip_id, _hms(t_s), _hms(t_s), sid, seq, f"{s:.1f}"])

    stop_lon, stop_lat = local_to_lonlat([r["x"] for r in stops.rows], [r["y"] for r in stops.rows])
    files = {
        "agency.txt": (
            ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
            [
                [
                    "VILAINE",
                    "Réseau de bus du Quartier Vilaine (fictif)",
                    "https://example.org/",
                    "Europe/Paris",
                    "fr",
                ]
            ],
        ),
        "stops.txt": (
            ["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "wheelchair_boarding"],
            [
                [r["stop_id"], r["name"], f"{y:.6f}", f"{x:.6f}", 0, 1]
                for r, x, y in zip(stops.rows, stop_lon, stop_lat)
            ],
        ),
        "routes.txt": (
            [
                "route_id",
                "agency_id",
                "route_short_name",
                "route_long_name",
                "route_desc",
                "route_type",
                "route_color",
                "route_text_color",
            ],
            routes_rows,
        ),
        "trips.txt": (
            ["route_id", "service_id", "trip_id", "trip_headsign", "direction_id", "shape_id"],
            trips_rows,
        ),
        "stop_times.txt": (
            ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "shape_dist_traveled"],
            times_rows,
        ),
        "calendar.txt": (
            [
                "service_id",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
                "start_date",
                "end_date",
            ],
            [
                ["SEM", 1, 1, 1, 1, 1, 0, 0, "20250628", "20250706"],
                ["WE", 0, 0, 0, 0, 0, 1, 1, "20250628", "20250706"],
            ],
        ),
        "calendar_dates.txt": (
            ["service_id", "date", "exception_type"],
            [["SEM", "20250704", 2], ["WE", "20250704", 1]],
        ),
        "shapes.txt": (
            ["shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence", "shape_dist_traveled"],
            shapes_rows,
        ),
        "feed_info.txt": (
            [
                "feed_publisher_name",
                "feed_publisher_url",
                "feed_lang",
                "feed_start_date",
                "feed_end_date",
                "feed_version",
            ],
            [
                [
                    "Maquette (données synthétiques)",
                    "https://example.org/",
                    "fr",
                    "20250628",
                    "20250706",
                    "2025.07-synthetique",
                ]
            ],
        ),
    }
    out = {}
    for name, (header, rows) in files.items():
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        out[name] = buf.getvalue()
    return out


def write_zip(files: dict[str, str], path: Path) -> None:
    """Sorted members, fixed dates and permissions, deflate: the same bytes on every run."""
    with zipfile.ZipFile(path, "w") as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, files[name].encode("utf-8"), compresslevel=9)
