"""The area of a new model: a commune found among the downloads, a box, or the data's extent.

- :func:`commune_area`: ``--commune NAME|INSEE`` finds the outline in a commune layer among the
  inputs (BD TOPO's ``COMMUNE`` theme: fields ``NOM`` / ``nom`` / ``nom_officiel`` and
  ``INSEE_COM`` / ``code_insee``); accents, case, hyphens and apostrophes are ignored; several
  matches are refused with the list of them.
- :func:`bbox_area`: ``--bbox xmin,ymin,xmax,ymax`` in ``--bbox-crs``, else in degrees when the
  numbers look like degrees, else in the data's CRS.
- :func:`extent_area`: neither: the union of the data's extents, refused past
  :data:`MAX_EXTENT_KM2` (a département's files would make a model nobody can look at).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.area import Area
from layers.core.errors import InputError
from layers.session.new_scan import Found
from layers.session.new_themes import theme_key

#: the largest extent taken without ``--commune`` or ``--bbox``, km² (a large commune: Arles is 759)
MAX_EXTENT_KM2 = 800.0
#: theme names of a commune layer (normalised)
COMMUNE_THEMES = frozenset({"commune", "communes", "commune_associee_ou_deleguee"})
NAME_FIELDS = ("NOM", "nom", "nom_officiel", "NOM_OFFICIEL", "NOM_COM", "nom_com", "nom_commune")
CODE_FIELDS = ("INSEE_COM", "code_insee", "CODE_INSEE", "insee_com", "INSEE", "insee")
_HINT_AREA = "name the place: --commune NAME|INSEE or --bbox xmin,ymin,xmax,ymax"


def plain(text: str) -> str:
    """``text`` as compared: accents, case, hyphens, apostrophes and spaces folded
    (``"Saint-Étienne"`` and ``"saint etienne"`` are the same)."""
    return theme_key(text).replace("_", " ")


def commune_area(found: Sequence[Found], query: str) -> Area:
    """The outline of the commune ``query`` (a name or an INSEE code) from a commune layer among
    ``found``; :class:`InputError` when there is none, when no commune matches, or when several do."""
    from layers.io.vector_file import read_vector

    layers = [f for f in found if f.kind is not None and theme_key(f.theme) in COMMUNE_THEMES]
    if not layers:
        raise InputError(
            None,
            f"--commune {query}: no commune layer among the files (BD TOPO's COMMUNE theme)",
            hint="add the COMMUNE theme of BD TOPO, or give the area as --bbox xmin,ymin,xmax,ymax",
        )
    wanted = plain(query.strip())
    by_code = query.strip().upper().replace(" ", "")
    known: list[str] = []
    for layer in layers:
        data = read_vector(layer.path, layer=layer.layer)
        frame = data.frame
        names = next((c for c in NAME_FIELDS if c in frame.columns), None)
        codes = next((c for c in CODE_FIELDS if c in frame.columns), None)
        if names is None and codes is None:
            continue
        hits = []
        for i in range(len(frame)):
            name = str(frame[names].iloc[i]) if names else ""
            code = str(frame[codes].iloc[i]) if codes else ""
            known.append(f"{name} ({code})" if code else name)
            if (code and code.upper() == by_code) or (name and plain(name) == wanted):
                hits.append((name, code, frame.geometry.iloc[i]))
        if len(hits) > 1:
            listed = ", ".join(f"{n} ({c})" for n, c, _ in hits[:12])
            raise InputError(
                layer.path,
                f"{len(hits)} communes are called {query!r}: {listed}",
                hint="give its INSEE code: --commune CODE",
            )
        if hits:
            name, code, outline = hits[0]
            import shapely

            outline = shapely.make_valid(shapely.force_2d(outline))
            return Area(outline, data.crs, name=name or None, code=code or None)
    sample = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
    raise InputError(
        layers[0].path,
        f"no commune {query!r} in it (it holds {len(known):,}: {sample})",
        hint="check the spelling or give the INSEE code; or give the area as --bbox",
    )


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``"xmin,ymin,xmax,ymax"`` as four numbers; :class:`InputError` otherwise."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise InputError(None, f"--bbox {text!r}: expected four numbers xmin,ymin,xmax,ymax")
    xmin, ymin, xmax, ymax = values
    if not (xmin < xmax and ymin < ymax):
        raise InputError(None, f"--bbox {text!r}: the box is empty (expected xmin < xmax and ymin < ymax)")
    return xmin, ymin, xmax, ymax


def bbox_area(text: str, crs: str | None, data_crs: CRS | None) -> Area:
    """The box ``text`` in ``crs``, else in degrees when it looks like degrees, else in ``data_crs``."""
    bounds = parse_bbox(text)
    if crs is not None:
        try:
            chosen = crs_util.parse_crs(crs)
        except (InputError, ValueError):
            raise InputError(None, f"--bbox-crs {crs!r} is not a CRS (e.g. EPSG:2154)") from None
    elif crs_util.looks_like_degrees(bounds):
        chosen = CRS.from_epsg(4326)
    elif data_crs is not None:
        chosen = data_crs
    else:
        raise InputError(
            None, f"--bbox {text!r}: in which CRS?", hint="add --bbox-crs EPSG:2154 (for example)"
        )
    return Area.from_bbox(bounds, chosen)


def extent_area(found: Sequence[Found], scene_crs: CRS) -> Area:
    """The union of the extents of ``found`` (in ``scene_crs``, metres) as a box; refused past
    :data:`MAX_EXTENT_KM2`, and when no extent can be read."""
    boxes = [b for b in (_extent(f, scene_crs) for f in found if f.kind is not None) if b is not None]
    if not boxes:
        raise InputError(None, "the extent of the data cannot be read", hint=_HINT_AREA)
    xmin = min(b[0] for b in boxes)
    ymin = min(b[1] for b in boxes)
    xmax = max(b[2] for b in boxes)
    ymax = max(b[3] for b in boxes)
    if xmax - xmin < 1 or ymax - ymin < 1:  # a single point: 100 m around it
        xmin, ymin, xmax, ymax = xmin - 50, ymin - 50, xmax + 50, ymax + 50
    km2 = (xmax - xmin) * (ymax - ymin) / 1e6
    if km2 > MAX_EXTENT_KM2:
        raise InputError(
            None,
            f"the files cover {km2:,.0f} km² ({(xmax - xmin) / 1000:,.0f} × {(ymax - ymin) / 1000:,.0f} km), "
            f"more than a model of one place (at most {MAX_EXTENT_KM2:,.0f} km²)",
            hint=_HINT_AREA,
        )
    return Area.from_bbox((xmin, ymin, xmax, ymax), scene_crs)


def source_crs_and_extent(item: Found) -> tuple[CRS | None, tuple[float, float, float, float] | None]:
    """The CRS a file declares and its extent in it, read from its headers (no features)."""
    try:
        if item.path.suffix.lower() in {".tif", ".tiff", ".jp2", ".vrt", ".asc", ".img"}:
            import rasterio

            with rasterio.open(item.path) as ds:
                crs = crs_util.normalise(CRS.from_wkt(ds.crs.to_wkt())) if ds.crs else None
                return crs, tuple(float(v) for v in ds.bounds)  # type: ignore[return-value]
        import pyogrio

        from layers.io.osm import is_osm_path
        from layers.io.vector_layers import vector_info

        if is_osm_path(item.path):
            return _osm_extent(item.path)
        target = str(vector_info(item.path, layer=item.layer)["target"])
        layer = item.layer if not target.startswith("/vsizip/") else None
        info = pyogrio.read_info(target, layer=layer, force_total_bounds=True)
        crs = crs_util.normalise(CRS.from_user_input(info["crs"])) if info.get("crs") else None
        bounds = info.get("total_bounds")
        return crs, (tuple(float(v) for v in bounds) if bounds is not None else None)  # type: ignore[return-value]
    except Exception:  # noqa: BLE001 - a header that cannot be read gives no extent; opening says why
        return None, None


def _osm_extent(path: Path) -> tuple[CRS | None, tuple[float, float, float, float] | None]:
    """An OpenStreetMap extract's degrees and the box of its ways and areas (its nodes alone are
    not drawn)."""
    import pyogrio

    boxes = []
    for layer in ("lines", "multipolygons"):
        bounds = pyogrio.read_info(str(path), layer=layer, force_total_bounds=True).get("total_bounds")
        if bounds is not None and all(math.isfinite(float(v)) for v in bounds):
            boxes.append([float(v) for v in bounds])
    if not boxes:
        return CRS.from_epsg(4326), None
    xmin, ymin = min(b[0] for b in boxes), min(b[1] for b in boxes)
    xmax, ymax = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return CRS.from_epsg(4326), (xmin, ymin, xmax, ymax)


def _extent(item: Found, scene_crs: CRS) -> tuple[float, float, float, float] | None:
    crs, bounds = source_crs_and_extent(item)
    if bounds is None or not all(math.isfinite(v) for v in bounds):
        return None
    if crs is None:
        crs = CRS.from_epsg(4326) if crs_util.looks_like_degrees(bounds) else scene_crs
    try:
        return Area.from_bbox(bounds, crs).in_crs(scene_crs).bounds
    except ValueError:
        return None


def data_crs(found: Sequence[Found]) -> CRS | None:
    """The CRS of the first file of ``found`` that declares one."""
    for item in found:
        if item.kind is not None:
            crs, _ = source_crs_and_extent(item)
            if crs is not None:
                return crs
    return None


#: Web Mercator (tiles' CRS): metres on the map, not on the ground (×1.45 in France)
_WEB_MERCATOR = frozenset({3857, 900913, 3785})
#: longitudes and latitudes of metropolitan France and Corsica (Lambert-93's domain)
_FRANCE = (-5.5, 41.0, 10.0, 51.5)


def scene_crs_for(found: Sequence[Found], *, near: Area | None = None) -> CRS:
    """The scene CRS of a new model: the data's own when it is metric and projected, else
    Lambert-93 for places in France, else the UTM zone of the place."""
    first = data_crs(found)
    if first is not None and crs_util.is_metric_projected(first) and first.to_epsg() not in _WEB_MERCATOR:
        return crs_util.horizontal(first)
    centre = None
    if near is not None:
        box = near.in_crs(CRS.from_epsg(4326)).bounds
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    else:
        for item in found:
            if item.kind is None:
                continue
            crs, bounds = source_crs_and_extent(item)
            if bounds is not None and (crs is None or crs.is_geographic):
                centre = ((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2)
                break
    if centre is None:
        return CRS.from_epsg(2154)
    lon, lat = centre
    if _FRANCE[0] <= lon <= _FRANCE[2] and _FRANCE[1] <= lat <= _FRANCE[3]:
        return CRS.from_epsg(2154)
    return crs_util.utm_for(lon, lat)
