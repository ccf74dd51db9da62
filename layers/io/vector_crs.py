"""The CRS rules of vector files: which CRS a file's features are in, or a clear error.

In order: the CRS the user gives (it overrides a missing or wrong one), the CRS the file declares,
or EPSG:4326 when the coordinates are plainly degrees (with a warning). Anything else is an
:class:`~layers.core.errors.InputError` asking the user to choose a CRS (:func:`missing_crs`, with
the common CRSs the coordinates would fit), as is a declaration contradicted by the coordinates
(longitudes / latitudes labelled Lambert-93).
"""

from __future__ import annotations

from pathlib import Path

from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.errors import CRSMissing, InputError
from layers.io.crs_guess import crs_candidates, describe_candidates


def _fmt_bounds(bounds: tuple[float, float, float, float]) -> str:
    return "(" + ", ".join(f"{v:.6g}" for v in bounds) + ")"


def resolve_crs(
    path: Path,
    declared: CRS | None,
    given: object | None,
    bounds: tuple[float, float, float, float],
    notes: list[str],
    *,
    declared_is_default: bool = False,
) -> CRS:
    """Apply the CRS rules of the module docstring; raise :class:`InputError` when unsafe."""
    if given is not None:
        try:
            chosen = crs_util.parse_crs(given)
        except ValueError:
            raise InputError(
                path, f"{given!r} is not a coordinate reference system", hint="expected e.g. EPSG:2154"
            ) from None
        if declared is not None and not declared_is_default and not declared.equals(chosen):
            notes.append(
                f"{path.name}: declared CRS {crs_util.label(declared)} replaced by {crs_util.label(chosen)}"
            )
        check_fits(path, chosen, bounds, notes, given=True)
        return chosen
    if declared is not None and declared_is_default and not crs_util.looks_like_degrees(bounds):
        declared = None  # a GeoJSON / GeoParquet without CRS whose coordinates are not degrees
    if declared is not None:
        check_fits(path, declared, bounds, notes, given=False)
        return declared
    if crs_util.looks_like_degrees(bounds):
        notes.append(
            f"{path.name} declares no CRS; its coordinates look like degrees, read as EPSG:4326 (WGS 84)"
        )
        return crs_util.WGS84
    raise missing_crs(path, bounds)


def missing_crs(
    path: Path, bounds: tuple[float, float, float, float], what: str = "the file has no CRS"
) -> CRSMissing:
    """The :class:`CRSMissing` error for a file without CRS, naming the common CRSs that would fit."""
    candidates = crs_candidates(bounds)
    example = candidates[0] if candidates else "EPSG:2154"
    hint = f"pass --crs on the command line (e.g. --crs {example}) or choose the CRS when opening it"
    if candidates:
        hint += (
            f"; the coordinates would fit {describe_candidates(candidates[:3])}, "
            "which Maquette cannot confirm"
        )
    return CRSMissing(
        path,
        f"{what} and its coordinates {_fmt_bounds(bounds)} are not degrees",
        candidates=candidates,
        hint=hint,
    )


def check_fits(
    path: Path, crs: CRS, bounds: tuple[float, float, float, float], notes: list[str], *, given: bool
) -> None:
    """Raise when the coordinates contradict ``crs``; warn when they fall outside its area of use."""
    which = "the CRS given" if given else "the declared CRS"
    horizontal = crs_util.horizontal(crs)
    label = crs_util.label(crs)
    if horizontal.is_geographic:
        xmin, ymin, xmax, ymax = bounds
        if (
            not crs_util.looks_like_degrees(bounds)
            and -360 <= xmin <= xmax <= 360
            and -180 <= ymin <= ymax <= 180
        ):
            raise InputError(
                path,
                f"{which} {label} is in degrees but the coordinates {_fmt_bounds(bounds)} go beyond "
                "longitude ±180° or latitude ±90°: no place on Earth",
                hint="fix those coordinates, or pass the file's real CRS with --crs",
            )
        if not crs_util.looks_like_degrees(bounds):
            raise InputError(
                path,
                f"{which} {label} is in degrees but the coordinates "
                f"{_fmt_bounds(bounds)} are not longitudes / latitudes",
                hint="pass the right one with --crs (e.g. --crs EPSG:2154)",
            )
        return
    if crs_util.beyond_earth(horizontal, bounds):
        raise InputError(
            path,
            f"the coordinates {_fmt_bounds(bounds)} reach beyond 10⁸ m from the origin of {which} "
            f"{label}: no place on Earth",
            hint="check the file's CRS: pass the right one with --crs",
        )
    if crs_util.looks_like_degrees(bounds) and not crs_util.plausible_in(horizontal, bounds):
        raise InputError(
            path,
            f"{which} {label} is projected but the coordinates {_fmt_bounds(bounds)} look like degrees",
            hint="if they are longitudes / latitudes, pass --crs EPSG:4326",
        )
    if not crs_util.plausible_in(horizontal, bounds, margin=1.0):
        notes.append(
            f"{path.name}: the coordinates {_fmt_bounds(bounds)} "
            f"fall outside the area of use of {label}; check its CRS"
        )
