"""Which common CRS could a file without one be in? (Offered to the user, never applied silently.)

Metric coordinates alone do not say their CRS: 1 841 000 / 5 175 000 reads as RGF93 / CC46 in Lyon
but also as ETRS89 / LAEA somewhere in the Atlantic; 92 000 / 437 000 is Rotterdam in RD New but a
plain local grid could say the same. :func:`crs_candidates` lists the common European systems whose
area of use holds the coordinates, so an error message or the GUI's CRS chooser can propose them;
the user decides.
"""

from __future__ import annotations

from pyproj import CRS

from layers.core import crs as crs_util

#: codes offered in the CRS chooser and tried by :func:`crs_candidates`, with a label for people
COMMON_CRS: tuple[tuple[str, str], ...] = (
    ("EPSG:2154", "RGF93 / Lambert-93 (France)"),
    *((f"EPSG:{3900 + zone}", f"RGF93 / CC{zone} (France, zone conique {zone})") for zone in range(42, 51)),
    ("EPSG:27572", "NTF (Paris) / Lambert zone II étendu"),
    ("EPSG:4326", "WGS 84 (longitude, latitude)"),
    ("EPSG:4171", "RGF93 (longitude, latitude)"),
    ("EPSG:32630", "WGS 84 / UTM 30N"),
    ("EPSG:32631", "WGS 84 / UTM 31N"),
    ("EPSG:32632", "WGS 84 / UTM 32N"),
    ("EPSG:25830", "ETRS89 / UTM 30N"),
    ("EPSG:25831", "ETRS89 / UTM 31N"),
    ("EPSG:25832", "ETRS89 / UTM 32N"),
    ("EPSG:28992", "Amersfoort / RD New (Pays-Bas)"),
    ("EPSG:31370", "Belge 1972 / Lambert belge 72"),
    ("EPSG:2056", "CH1903+ / LV95 (Suisse)"),
    ("EPSG:3035", "ETRS89 / LAEA Europe"),
    ("EPSG:2975", "RGR92 / UTM 40S (La Réunion)"),
    ("EPSG:5490", "RGAF09 / UTM 20N (Antilles)"),
)


def crs_candidates(bounds: tuple[float, float, float, float]) -> list[str]:
    """Codes of :data:`COMMON_CRS` whose area of use holds ``bounds`` (x / y in that CRS), in the
    order of :data:`COMMON_CRS` (French systems first). Degrees give ``["EPSG:4326"]``."""
    if crs_util.looks_like_degrees(bounds):
        return ["EPSG:4326"]
    found = []
    for code, _ in COMMON_CRS:
        crs = CRS.from_user_input(code)
        if crs.is_geographic:
            continue
        if crs_util.plausible_in(crs, bounds, margin=0.0):
            found.append(code)
    return found


def describe_candidates(codes: list[str]) -> str:
    """``EPSG:3946 (RGF93 / CC46 ...) or EPSG:3035 (...)`` for a message."""
    labels = dict(COMMON_CRS)
    return " or ".join(f"{code} ({labels.get(code, code)})" for code in codes)
