"""The sun as the view tells it: the position now, the day's times, one line of words, its colour.

:class:`SunState` is what :class:`viewer.shadows.SunLighting` keeps after each clock move and what
the clock line and the sun panel show; :func:`sun_color` tints the sun light.
"""

from __future__ import annotations

from dataclasses import dataclass

from layers.sun.position import SunPosition, SunTimes


@dataclass
class SunState:
    """What the sun panel shows: the position now, the day's times, and a note; ``no_shadows``
    says why the sun casts no shadow now (below the horizon, the polar night), ``None`` when it does."""

    position: SunPosition
    times: SunTimes
    note: str | None = None
    no_shadows: str | None = None

    @property
    def night(self) -> bool:
        return not self.position.is_up

    def summary(self, language: str = "fr") -> str:
        """One line: azimuth and elevation (or night), sunrise and sunset, local times."""
        tz = self.position.time.tzinfo
        rise = self.times.sunrise.astimezone(tz).strftime("%H:%M") if self.times.sunrise else None
        sets = self.times.sunset.astimezone(tz).strftime("%H:%M") if self.times.sunset else None
        fr = language == "fr"
        if self.night:
            if rise is None:
                return (
                    "Nuit polaire : le soleil ne se lève pas ce jour"
                    if fr
                    else "Polar night: no sunrise today"
                )
            when = (
                rise
                if self.position.time < self.times.transit
                else (rise + (" (demain)" if fr else " (tomorrow)"))
            )
            below = -self.position.elevation_deg
            return (
                f"Nuit : soleil couché, {below:.0f}° sous l'horizon · lever {when}"
                if fr
                else f"Night: the sun is down, {below:.0f}° below the horizon · sunrise {when}"
            )
        az = self.position.azimuth_deg
        elevation = self.position.elevation_deg
        line = (
            f"Soleil : azimut {az:.0f}° ({compass(az, language)}), hauteur {elevation:.0f}°"
            if fr
            else f"Sun: azimuth {az:.0f}° ({compass(az, language)}), elevation {elevation:.0f}°"
        )
        if rise and sets:
            line += f" · lever {rise}, coucher {sets}" if fr else f" · sunrise {rise}, sunset {sets}"
        elif self.times.polar == "day":
            line += " · soleil de minuit" if fr else " · midnight sun"
        return line


def compass(azimuth_deg: float, language: str = "fr") -> str:
    """The 8-point compass name of an azimuth (N, NE, E, SE, S, SO/SW, O/W, NO/NW)."""
    names = (
        ("N", "NE", "E", "SE", "S", "SO", "O", "NO")
        if language == "fr"
        else ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
    )
    return names[int(((azimuth_deg % 360) + 22.5) // 45) % 8]


def sun_color(elevation_deg: float) -> tuple[float, float, float]:
    """RGB 0..1 of the sun light: warm near the horizon, white when high."""
    warmth = max(0.0, min(1.0, (20.0 - elevation_deg) / 20.0))
    return (1.0, 1.0 - 0.18 * warmth, 1.0 - 0.38 * warmth)
