"""CRSs written as a WKT that names no EPSG code, recognised when they are a known one.

IGN's own tools write Lambert-93 as ``PROJCS["EPSG:2154", GEOGCS["unknown", DATUM["unnamed",
SPHEROID["unretrievable - using WGS84", ...]]], ...]``: the very projection, but PROJ cannot match
it to EPSG:2154 (``to_epsg()`` is None), so a scene in Lambert-93 would warp such an orthophoto
pixel by pixel onto itself. :func:`recognised` compares the projection method, its parameters and
the ellipsoid's size with the EPSG code the WKT names and with France's usual projected CRSs
(Lambert-93, the nine conic conformal zones CC42-CC50); a match is that EPSG CRS.
"""

from __future__ import annotations

import re
from functools import cache

from pyproj import CRS

#: France's projected CRSs tried when the WKT names no code (Lambert-93, CC42 to CC50)
FRENCH_CODES = (2154, *range(3942, 3951))
#: ellipsoids equal to a metre on the axis (GRS 80 and WGS 84 differ by 0.1 mm)
AXIS_TOLERANCE_M = 1.0


@cache
def _epsg(code: int) -> CRS:
    return CRS.from_epsg(code)


def _same_projection(a: CRS, b: CRS) -> bool:
    op_a, op_b = a.coordinate_operation, b.coordinate_operation
    if op_a is None or op_b is None or op_a.method_name != op_b.method_name:
        return False
    params_a = {p.name: (p.value, p.unit_name) for p in op_a.params}
    params_b = {p.name: (p.value, p.unit_name) for p in op_b.params}
    if params_a.keys() != params_b.keys():
        return False
    for name, (value, unit) in params_a.items():
        other, other_unit = params_b[name]
        if unit != other_unit:
            return False
        if isinstance(value, str) or isinstance(other, str):
            if value != other:
                return False
        elif abs(value - other) > 1e-9 * max(1.0, abs(value)):
            return False
    ell_a, ell_b = a.ellipsoid, b.ellipsoid
    return (
        ell_a is not None
        and ell_b is not None
        and abs(ell_a.semi_major_metre - ell_b.semi_major_metre) <= AXIS_TOLERANCE_M
        and abs(ell_a.semi_minor_metre - ell_b.semi_minor_metre) <= AXIS_TOLERANCE_M
    )


def recognised(crs: CRS) -> CRS | None:
    """The EPSG CRS that ``crs`` (projected, with no EPSG code of its own) is; ``None`` when it
    has a code already, is not projected, or matches none."""
    if not crs.is_projected or crs.to_epsg() is not None:
        return None
    named = re.fullmatch(r"\s*EPSG:(\d{4,5})\s*", crs.name or "")
    codes = ([int(named.group(1))] if named else []) + list(FRENCH_CODES)
    for code in dict.fromkeys(codes):
        try:
            candidate = _epsg(code)
        except Exception:  # noqa: BLE001 - a code PROJ does not know is simply no match
            continue
        if _same_projection(crs, candidate):
            return candidate
    return None
