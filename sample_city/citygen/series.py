"""Time series: air temperature stations, noise sensors, bike counters (3 heatwave days, CEST)."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Point

from .common import START, X0_M, Y0_M, iso, local_hours, local_to_lonlat, times_10min
from .common import rng as make_rng

# -- placing instruments ----------------------------------------------------------------------------


def on_street(segments, buildings_tree, target, side_m: float | None = None, prefer=None) -> np.ndarray:
    """A point near ``target`` on a street axis (``side_m`` > 0: that far towards the pavement).

    ``prefer``: a class name; the nearest segment of that class is taken.
    """
    geoms = segments.geometry
    if prefer is not None:
        pick = np.array([c == prefer for c in segments.classe]) & ~segments.pont
        geoms = geoms[pick]
    d = shapely.distance(geoms, Point(target))
    line = geoms[int(np.argmin(d))]
    s = line.project(Point(target))
    p = np.asarray(line.interpolate(s).coords[0])
    if side_m:
        q = np.asarray(line.interpolate(min(s + 1.0, line.length)).coords[0])
        r = np.asarray(line.interpolate(max(s - 1.0, 0.0)).coords[0])
        t = (q - r) / max(np.hypot(*(q - r)), 1e-9)
        normal = np.array([-t[1], t[0]])
        cand = p + normal * side_m
        if len(buildings_tree.query(Point(cand), predicate="intersects")):
            cand = p - normal * side_m
        p = cand
    return p


# -- air temperature --------------------------------------------------------------------------------

#: (id, name, environment, target local u/v metres, how to place: "street" | "free")
STATIONS = [
    ("T01", "Jardins familiaux du Sud-Ouest (référence)", "reference", (70.0, 35.0), "free"),
    ("T02", "Jardin des Tilleuls – pelouse", "park", None, "park"),
    ("T03", "Square des Peupliers", "park", None, "square"),
    ("T04", "Pont central", "water", (700.0, 440.0), "bridge"),
    ("T05", "Quai est", "water", (1250.0, 470.0), "street"),
    ("T06", "Place de la Mairie", "dense", None, "main_square"),
    ("T07", "Place du Marché", "dense", None, "market"),
    ("T08", "Rue du centre ancien (nord)", "dense", (600.0, 860.0), "street"),
    ("T09", "Carrefour des Remparts", "dense", (450.0, 1010.0), "street"),
    ("T10", "Rue commerçante (est)", "dense", (1000.0, 640.0), "street"),
    ("T11", "Boulevard nord", "dense", (900.0, 1080.0), "street"),
    ("T12", "Ruelle du vieux quartier", "dense", (300.0, 760.0), "street"),
    ("T13", "Lotissement pavillonnaire", "residential", (260.0, 160.0), "street"),
    ("T14", "Rue du faubourg sud", "residential", (760.0, 120.0), "street"),
    ("T15", "Avenue de la Gare (sud)", "residential", (1050.0, 300.0), "street"),
    ("T16", "Cité des Tours", "residential", (1400.0, 280.0), "free"),
    ("T17", "Quartier nord-est", "residential", (1450.0, 900.0), "street"),
    ("T18", "Rue de l'école", "residential", (1240.0, 1070.0), "street"),
]

#: night-time (A_night) and midday (A_day) offsets from the reference station, K
UHI = {
    "dense": (4.2, 0.7),
    "residential": (2.4, 0.4),
    "park": (0.4, -1.2),
    "water": (1.4, -1.6),
    "reference": (0.0, 0.0),
}
#: daily minimum (about 06:30) and maximum (about 16:30) at the reference, °C
DAYS = [(19.6, 33.8), (21.4, 35.9), (22.3, 36.9)]
GAP_STATION = "T09"


def place_stations(layout, segments, buildings_tree):
    """[(id, name, environment, (u, v))] in local metres."""
    out = []
    for sid, name, env, target, how in STATIONS:
        if how in ("park", "square", "main_square", "market"):
            role = {
                "park": "park",
                "square": "square_south",
                "main_square": "main_square",
                "market": "market",
            }[how]
            block = max(
                (b for b, r in zip(layout.blocks, layout.block_role) if r == role), key=lambda b: b.area
            )
            p = np.asarray(shapely.point_on_surface(block).coords[0])
            if how == "market":  # not under the market hall: on the square, 6 m in from its edge
                ring = shapely.buffer(block, -6.0).exterior
                p = np.asarray(ring.interpolate(0.1, normalized=True).coords[0])
        elif how == "bridge":
            bridges = segments.geometry[segments.pont]
            line = bridges[int(np.argmin(shapely.distance(bridges, Point(target))))]
            p = np.asarray(line.interpolate(0.5, normalized=True).coords[0])
        elif how == "street":
            p = on_street(segments, buildings_tree, target, side_m=4.0)
        else:
            p = np.asarray(target)
            if len(buildings_tree.query(Point(p), predicate="intersects")):
                p = on_street(segments, buildings_tree, target, side_m=4.0)
        out.append((sid, name, env, (float(p[0]), float(p[1]))))
    return out


def reference_temperature(hours_since_start: np.ndarray) -> np.ndarray:
    """Reference (rural edge) air temperature, °C: a sine rise from the minimum at 06:30 to the
    maximum at 16:30, an exponential-like fall in the night, per day of :data:`DAYS`."""
    out = np.empty_like(hours_since_start)
    for k, h in enumerate(hours_since_start):
        day = min(int(h // 24), len(DAYS) - 1)
        hod = h - 24 * day
        tmin, tmax = DAYS[day]
        if 6.5 <= hod <= 16.5:
            out[k] = tmin + (tmax - tmin) * 0.5 * (1 - np.cos(np.pi * (hod - 6.5) / 10.0))
        else:
            if hod > 16.5:
                tnext = DAYS[min(day + 1, len(DAYS) - 1)][0] + (1.0 if day == len(DAYS) - 1 else 0.0)
                x = (hod - 16.5) / 14.0
                t0 = tmax
            else:  # before dawn: still falling from yesterday's maximum
                prev = DAYS[max(day - 1, 0)]
                tnext, t0 = tmin, (prev[1] if day > 0 else tmax - 2.5)
                x = (hod + 7.5) / 14.0
            out[k] = tnext + (t0 - tnext) * (1 - x) ** 1.6
    return out


def air_temperature_rows(stations):
    """(header, rows) of the long table time, station, temp_c; readings missing on purpose."""
    rng = make_rng("air-temperature")
    times = times_10min()
    hours = np.arange(len(times)) / 6.0
    ref = reference_temperature(hours)
    hod = local_hours(times)
    night = (0.5 + 0.5 * np.cos(2 * np.pi * (hod - 3.0) / 24.0)) ** 1.8  # 1 around 03:00, 0 around 15:00
    gap_start = START + timedelta(days=1, hours=2)
    rows = []
    series = {}
    for sid, _, env, _ in stations:
        a_night, a_day = UHI[env]
        a_night += rng.uniform(-0.4, 0.4) if env != "reference" else 0.0
        noise = np.zeros(len(times))
        e = rng.normal(0.0, 0.12, len(times))
        for i in range(1, len(times)):
            noise[i] = 0.85 * noise[i - 1] + e[i]
        series[sid] = ref + a_day + (a_night - a_day) * night + noise + rng.uniform(-0.15, 0.15)
    missing = rng.random((len(times), len(stations))) < 0.003
    for i, t in enumerate(times):
        for j, (sid, *_rest) in enumerate(stations):
            if sid == GAP_STATION and gap_start <= t < gap_start + timedelta(hours=3):
                continue  # a 3-hour outage: no rows at all
            value = "" if missing[i, j] else f"{series[sid][i]:.1f}"
            rows.append((iso(t), sid, value))
    return ("time", "station", "temp_c"), rows


def station_rows(stations):
    lon, lat = local_to_lonlat([s[3][0] for s in stations], [s[3][1] for s in stations])
    rows = [(s[0], s[1], f"{x:.6f}", f"{y:.6f}", s[2]) for s, x, y in zip(stations, lon, lat)]
    return ("station", "name", "lon", "lat", "environment"), rows


# -- noise sensors ----------------------------------------------------------------------------------

#: share of the daily traffic in each hour (urban street, weekday), 00 h … 23 h
TRAFFIC_PROFILE = np.array(
    [
        0.9,
        0.55,
        0.4,
        0.35,
        0.45,
        1.2,
        3.4,
        6.6,
        7.4,
        5.9,
        5.2,
        5.4,
        5.6,
        5.5,
        5.5,
        5.8,
        6.6,
        7.6,
        7.7,
        6.2,
        4.5,
        3.3,
        2.4,
        1.6,
    ]
)


def lden_of(times, laeq_db) -> float:
    """Lden of a series of 10-min LAeq (day 6–18 h, evening 18–22 h +5 dB, night 22–6 h +10 dB)."""
    hod = local_hours(times)
    e = 10 ** (np.asarray(laeq_db) / 10)
    day = e[(hod >= 6) & (hod < 18)].mean()
    evening = e[(hod >= 18) & (hod < 22)].mean()
    night = e[(hod >= 22) | (hod < 6)].mean()
    return float(10 * np.log10((12 * day + 4 * evening * 10**0.5 + 8 * night * 10) / 24))


def noise_sensor_rows(sensors, lden_at):
    """(header, rows): time, sensor, laeq_db, x, y (EPSG:2154 m). Each sensor's Lden over the three
    days matches the map at its place; the courtyard sensor varies less and hears occasional bursts."""
    rng = make_rng("noise-sensors")
    times = times_10min()
    hod = local_hours(times)
    profile = np.interp(hod, np.arange(24) + 0.5, TRAFFIC_PROFILE, period=24)
    rows_by_sensor = {}
    for sid, kind, (u, v) in sensors:
        shape = 10 * np.log10(profile / TRAFFIC_PROFILE.mean())
        if kind == "courtyard":
            shape = 0.45 * shape + 3.0 * (rng.random(len(times)) < 0.04)  # voices, a door, a delivery
            sigma = 1.3
        else:
            sigma = 0.8
        e = rng.normal(0.0, sigma, len(times))
        jitter = np.zeros(len(times))
        for i in range(1, len(times)):
            jitter[i] = 0.5 * jitter[i - 1] + e[i]
        laeq = shape + jitter
        laeq = laeq + (lden_at((u, v)) - lden_of(times, laeq))
        rows_by_sensor[sid] = (np.round(laeq, 1), u + X0_M, v + Y0_M)
    rows = []
    for i, t in enumerate(times):
        for sid, _, _ in sensors:
            laeq, x, y = rows_by_sensor[sid]
            rows.append((iso(t), sid, f"{laeq[i]:.1f}", f"{x:.2f}", f"{y:.2f}"))
    return ("time", "sensor", "laeq_db", "x", "y"), rows


# -- bike counters ----------------------------------------------------------------------------------

BIKE_PROFILE = np.array(
    [
        0.35,
        0.18,
        0.1,
        0.08,
        0.15,
        0.6,
        2.2,
        6.5,
        11.0,
        5.8,
        3.4,
        3.6,
        4.6,
        4.4,
        3.6,
        3.9,
        6.0,
        9.0,
        10.2,
        6.2,
        3.9,
        2.6,
        1.7,
        0.9,
    ]
)

#: (id, name, target local u/v, daily total on a mild weekday)
COUNTERS = [
    ("V1", "Pont central", (700.0, 440.0), 3100),
    ("V2", "Pont de l'avenue de la Gare", (1000.0, 440.0), 2300),
    ("V3", "Quai nord", (500.0, 500.0), 1900),
    ("V4", "Avenue sud", (450.0, 200.0), 1200),
    ("V5", "Parvis de la Gare", (1140.0, 240.0), 950),
]


def place_counters(segments):
    out = []
    for cid, name, target, total in COUNTERS:
        geoms = segments.geometry
        line = geoms[int(np.argmin(shapely.distance(geoms, Point(target))))]
        p = np.asarray(line.interpolate(line.project(Point(target))).coords[0])
        out.append((cid, name, (float(p[0]), float(p[1])), total))
    return out


def bike_rows(counters):
    """(header, rows): time (hourly), counter, bikes (int). Tuesday–Thursday; the hottest
    afternoons keep some cyclists home."""
    rng = make_rng("bike-counters")
    times = [START + timedelta(hours=h) for h in range(72)]
    share = BIKE_PROFILE / BIKE_PROFILE.sum()
    heat = np.array(
        [1.0 if not (13 <= t.hour <= 17) else (0.92, 0.86, 0.8)[k // 24] for k, t in enumerate(times)]
    )
    day_factor = np.repeat([1.0, 0.97, 0.93], 24)
    rows = []
    counts = {}
    for cid, _, _, total in counters:
        lam = total * share[[t.hour for t in times]] * heat * day_factor * rng.uniform(0.95, 1.05)
        counts[cid] = rng.poisson(lam)
    for k, t in enumerate(times):
        for cid, *_ in counters:
            rows.append((iso(t), cid, str(int(counts[cid][k]))))
    return ("time", "counter", "bikes"), rows


def counters_geojson(counters) -> str:
    lon, lat = local_to_lonlat([c[2][0] for c in counters], [c[2][1] for c in counters])
    features = [
        {
            "type": "Feature",
            "properties": {"counter": c[0], "name": c[1]},
            "geometry": {"type": "Point", "coordinates": [round(float(x), 6), round(float(y), 6)]},
        }
        for c, x, y in zip(counters, lon, lat)
    ]
    return (
        json.dumps(
            {"type": "FeatureCollection", "name": "bike_counters", "features": features},
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )


def write_csv(path: Path, header, rows) -> None:
    """UTF-8, comma, LF line ends, empty cell = missing."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
