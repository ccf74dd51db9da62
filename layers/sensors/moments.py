"""Named moments of a replay: the hottest night, the morning rush hour...

A mediator jumps to the moments that tell the story. :func:`suggest_moments` computes them from
the sensor layers of a scene (vectorised over the hourly level when there is one):

* temperatures: the hottest night (the night with the highest mean minimum over the sensors,
  at its coolest hour), the hottest afternoon (the highest mean), and the strongest heat island
  (the widest spread between the warmest and the coolest sensors);
* counts: the morning and evening rush hours (the highest totals between 6 and 10 h, 16 and 20 h
  local time) and the busiest day;
* noise: the loudest hour and the quietest night.

A suggested moment is named by a language-neutral key (``"hottest_night"``); :data:`SUGGESTED`
holds its words in English and French and :meth:`Moment.title` gives them in the interface's
language ("Nuit la plus chaude" / "Hottest night"). A keyed table rather than the English patterns
of :mod:`layers.core.messages`: these names are a fixed set with no variable part, and a user's own
moment (free text, in whatever language it was typed) must never be translated.

User moments are saved in the project document under the ``moments`` key, a list of
``{"name": ..., "time": ISO 8601}`` (unknown keys of each entry survive).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from layers.core import timeutil

if TYPE_CHECKING:
    from layers.sensors.layer import SensorLayer

NS_PER_S = 1_000_000_000


class MomentName(NamedTuple):
    """How a suggested moment is called, in English and in French."""

    english: str
    french: str


#: suggested moment key → its name in each language
SUGGESTED: dict[str, MomentName] = {
    "hottest_night": MomentName("Hottest night", "Nuit la plus chaude"),
    "hottest_afternoon": MomentName("Hottest afternoon", "Après-midi le plus chaud"),
    "strongest_heat_island": MomentName("Strongest heat island", "Îlot de chaleur le plus marqué"),
    "morning_rush_hour": MomentName("Morning rush hour", "Heure de pointe du matin"),
    "evening_rush_hour": MomentName("Evening rush hour", "Heure de pointe du soir"),
    "busiest_day": MomentName("Busiest day", "Journée la plus chargée"),
    "loudest_moment": MomentName("Loudest moment", "Moment le plus bruyant"),
    "quietest_night": MomentName("Quietest night", "Nuit la plus calme"),
}


@dataclass
class Moment:
    """A named time. ``suggested`` moments are computed and their ``name`` is a key of
    :data:`SUGGESTED`; the others were named by a user (``name`` is their text)."""

    name: str
    time: datetime
    suggested: bool = False
    layer: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def title(self, language: str = "fr") -> str:
        """The name people read: a suggestion's words in ``language`` ("fr" or "en"), a user's
        moment as it was typed."""
        words = SUGGESTED.get(self.name) if self.suggested else None
        if words is None:
            return self.name
        return words.french if language == "fr" else words.english

    def to_json(self) -> dict[str, Any]:
        return {**self.extra, "name": self.name, "time": self.time.isoformat()}


# -- project ----------------------------------------------------------------------------------------
def project_moments(project: Any, timezone: str | None = None) -> list[Moment]:
    """The user moments saved in ``project.data["moments"]`` (entries that cannot be read are
    skipped, never raised)."""
    entries = (getattr(project, "data", None) or {}).get("moments") or []
    moments = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("time"):
            continue
        try:
            when = timeutil.parse_time(str(entry["time"]), timezone or getattr(project, "timezone", None))
        except ValueError:
            continue
        extra = {k: v for k, v in entry.items() if k not in ("name", "time")}
        moments.append(Moment(str(entry["name"]), when, False, extra=extra))
    return moments


def set_project_moments(project: Any, moments: list[Moment]) -> None:
    """Write the user moments (not the suggested ones) into ``project.data["moments"]``."""
    project.data["moments"] = [m.to_json() for m in moments if not m.suggested]


# -- suggestions ------------------------------------------------------------------------------------
def suggest_moments(layers: list[Any], timezone: str) -> list[Moment]:
    """Moments worth a jump, computed from the sensor layers with dates among ``layers`` (in time
    order)."""
    from layers.sensors.layer import SensorLayer  # the layer's module is not on the start-up path

    found: list[Moment] = []
    for layer in layers:
        if not isinstance(layer, SensorLayer) or layer.cycle_s or len(layer.times_ns) < 3:
            continue
        times, values = _hourly(layer)
        if values.shape[1] == 0 or not np.isfinite(values).any():
            continue
        local = pd.DatetimeIndex(times.astype("datetime64[ns]"), tz="UTC").tz_convert(timeutil.zone(timezone))
        unit = layer.unit or ""
        if unit in ("°C", "K"):
            found += _temperature(layer, local, values, unit)
        elif layer.is_count:
            found += _counts(layer, local, values)
        elif unit == "dB(A)":
            found += _noise(layer, local, values)
    found.sort(key=lambda m: m.time)
    return found


def _hourly(layer: SensorLayer) -> tuple[np.ndarray, np.ndarray]:
    """Hourly means (M,) times and (M, S) values: the layer's hourly level, or its readings when
    they are hourly or coarser."""
    for level in layer.levels:
        if level.step_s == 3600.0:
            return level.start_ns, level.mean
    return layer.times_ns, layer.values


def _moment(layer: SensorLayer, name: str, t_ns: int, local: pd.DatetimeIndex) -> Moment:
    return Moment(name, timeutil.from_ns(int(t_ns), str(local.tz)), True, layer=layer.name)


def _nanmean_rows(values: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rows without any reading: NaN
        return np.nanmean(values, axis=1)


def _temperature(layer: SensorLayer, local: pd.DatetimeIndex, values: np.ndarray, unit: str) -> list[Moment]:
    out: list[Moment] = []
    mean = _nanmean_rows(values)
    ok = np.isfinite(mean)
    if not ok.any():
        return out
    times = local.as_unit("ns").asi8
    hours = local.hour.to_numpy()
    # a night belongs to the evening it starts: 20:00 .. 07:59 next morning
    night_of = (local - pd.Timedelta(hours=12)).normalize()
    in_night = (hours >= 20) | (hours < 8)
    if unit == "°C" and (ok & in_night).sum() >= 6:
        frame = pd.DataFrame({"night": night_of[in_night], "mean": mean[in_night], "t": times[in_night]})
        frame = frame[np.isfinite(frame["mean"])]
        # only whole nights: a night cut by the end of the series has no real minimum
        size = frame.groupby("night")["mean"].transform("size")
        frame = frame[size >= 0.7 * size.max()]
        if frame["night"].nunique() >= 1:
            minima = frame.loc[frame.groupby("night")["mean"].idxmin()]
            best = minima.loc[minima["mean"].idxmax()]
            out.append(_moment(layer, "hottest_night", best["t"], local))
    if unit == "°C":
        day = ok & (hours >= 12) & (hours <= 18)
        if day.any():
            i = np.flatnonzero(day)[np.nanargmax(mean[day])]
            out.append(_moment(layer, "hottest_afternoon", times[i], local))
    if values.shape[1] >= 3:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            spread = np.nanpercentile(values, 90, axis=1) - np.nanpercentile(values, 10, axis=1)
        if np.isfinite(spread).any():
            out.append(_moment(layer, "strongest_heat_island", times[int(np.nanargmax(spread))], local))
    return out


def _counts(layer: SensorLayer, local: pd.DatetimeIndex, values: np.ndarray) -> list[Moment]:
    out: list[Moment] = []
    total = np.nansum(values, axis=1)
    total[~np.isfinite(values).any(axis=1)] = np.nan
    times = local.as_unit("ns").asi8
    hours = local.hour.to_numpy()
    step_s = float(np.median(np.diff(times))) / NS_PER_S if len(times) > 1 else 3600.0
    if step_s <= 3600:
        for name, low, high in (("morning_rush_hour", 6, 10), ("evening_rush_hour", 16, 20)):
            window = (hours >= low) & (hours < high) & np.isfinite(total)
            if window.any():
                i = np.flatnonzero(window)[np.nanargmax(total[window])]
                out.append(_moment(layer, name, times[i], local))
    days = local.normalize()
    frame = pd.DataFrame({"day": days, "total": total, "t": times}).dropna(subset=["total"])
    if frame["day"].nunique() >= 2:
        sums = frame.groupby("day")["total"].sum()
        best = sums.index[int(np.argmax(sums.to_numpy()))]  # the local midnight of the busiest day
        noon = best + pd.Timedelta(hours=12)
        out.append(Moment("busiest_day", noon.to_pydatetime(), True, layer=layer.name))
    return out


def _noise(layer: SensorLayer, local: pd.DatetimeIndex, values: np.ndarray) -> list[Moment]:
    out: list[Moment] = []
    mean = _nanmean_rows(values)
    if not np.isfinite(mean).any():
        return out
    times = local.as_unit("ns").asi8
    out.append(_moment(layer, "loudest_moment", times[int(np.nanargmax(mean))], local))
    hours = local.hour.to_numpy()
    night = ((hours >= 22) | (hours < 6)) & np.isfinite(mean)
    if night.any():
        i = np.flatnonzero(night)[np.nanargmin(mean[night])]
        out.append(_moment(layer, "quietest_night", times[i], local))
    return out
