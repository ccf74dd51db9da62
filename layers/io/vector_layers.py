"""The layers of a vector source (a GeoPackage, a zip of shapefiles...) and what each holds.

:func:`list_layers` names them, :func:`vector_info` says what one holds without reading its
features (kind detection), :func:`choose_layer` picks the one to read.
"""

from __future__ import annotations

import json
import warnings as pywarnings
from pathlib import Path

from layers.core.errors import InputError
from layers.io.shapefile import choose_zip_member, zip_shapefiles
from layers.io.vector_source import PARQUET_SUFFIXES, TEXT_SUFFIXES, beyond_gdal_limit, check_file, gdal_error


def list_layers(path: str | Path) -> list[tuple[str, str | None]]:
    """``(name, geometry type or None)`` of every layer of a GeoPackage / zip / other GDAL source."""
    path = Path(path)
    check_file(path)
    if path.suffix.lower() in TEXT_SUFFIXES | PARQUET_SUFFIXES:
        return [(path.stem, None)]
    if path.suffix.lower() == ".json":
        from layers.io.opendatasoft import is_opendatasoft_json

        if is_opendatasoft_json(path):
            return [(path.stem, None)]
    if path.suffix.lower() == ".zip":
        return [(Path(name).stem, "Shapefile") for name in zip_shapefiles(path)]
    import pyogrio

    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            layers = pyogrio.list_layers(str(path))
    except Exception as exc:  # noqa: BLE001 - any GDAL failure is one message for a user
        raise gdal_error(path, exc) from None
    return [(str(name), None if gtype in (None, "") else str(gtype)) for name, gtype in layers]


def vector_info(path: str | Path, *, layer: str | None = None) -> dict[str, object]:
    """Cheap metadata of a vector file without reading its features (for kind detection).

    Returns ``target`` (what GDAL opens: the path, or ``/vsizip/...`` for a zipped shapefile),
    ``layer``, ``geometry_type`` (e.g. ``"Polygon"``, ``""`` when unknown), ``fields`` and
    ``features``. Raises :class:`InputError` like :func:`read_vector`.
    """
    path = Path(path)
    check_file(path)
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        import pyarrow.parquet as pq

        try:
            parquet = pq.ParquetFile(path)
            geo = json.loads((parquet.schema_arrow.metadata or {})[b"geo"])
        except Exception:  # noqa: BLE001 - not Parquet, or no GeoParquet metadata
            raise InputError(path, "is not readable as GeoParquet (a Parquet file with geometry)") from None
        types = geo["columns"][geo["primary_column"]].get("geometry_types") or []
        return {
            "target": str(path),
            "layer": None,
            "geometry_type": types[0] if len(set(types)) == 1 else "",
            "fields": [n for n in parquet.schema_arrow.names if n not in geo["columns"]],
            "features": parquet.metadata.num_rows,
        }
    if suffix == ".json":
        from layers.io.opendatasoft import is_opendatasoft_json, read_opendatasoft_json

        if is_opendatasoft_json(path):  # an API dump is small enough to read whole
            frame = read_opendatasoft_json(path, [])
            types = frame.geometry.geom_type.dropna().unique()
            return {
                "target": str(path),
                "layer": None,
                "geometry_type": types[0] if len(types) == 1 else "",
                "fields": [str(c) for c in frame.columns if c != frame.geometry.name],
                "features": len(frame),
            }
    import pyogrio

    if suffix == ".zip":
        inner = choose_zip_member(path, layer, [])
        target, layer = f"/vsizip/{path}/{inner}", None
    else:
        target, layer = str(path), choose_layer(path, layer, [])
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            info = pyogrio.read_info(target, layer=layer)
    except Exception as exc:  # noqa: BLE001
        if not beyond_gdal_limit(path, exc):
            raise gdal_error(path, exc) from None
        from layers.io.geojson_text import read_geojson_text

        frame = read_geojson_text(path, [])
        types = frame.geometry.geom_type.dropna().unique()
        info = {
            "geometry_type": types[0] if len(types) == 1 else "",
            "features": len(frame),
            "fields": [c for c in frame.columns if c != frame.geometry.name],
        }
    fields = [str(f) for f in info.get("fields", [])]
    geometry_type = info.get("geometry_type") or ""
    if suffix in TEXT_SUFFIXES and not geometry_type:
        from layers.io.opendatasoft import geometry_columns

        shape, point = geometry_columns(fields)  # an Opendatasoft export: geometry as text columns
        if shape is not None or point is not None:
            geometry_type = "Unknown" if shape is not None else "Point"
            fields = [f for f in fields if f not in (shape, point)]
    return {
        "target": target,
        "layer": layer,
        "geometry_type": geometry_type,
        "fields": fields,
        "features": info.get("features", 0),
    }


def choose_layer(path: Path, layer: str | None, notes: list[str]) -> str | None:
    """The layer to read: ``layer`` if given (checked), else the first layer with geometry."""
    import pyogrio

    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")  # e.g. "M geometry types are not supported"
            layers = pyogrio.list_layers(str(path))
    except Exception as exc:  # noqa: BLE001
        if beyond_gdal_limit(path, exc):
            return None
        raise gdal_error(path, exc) from None
    names = [str(name) for name, _ in layers]
    with_geometry = [str(name) for name, gtype in layers if gtype not in (None, "")]
    if layer is not None:
        if layer not in names:
            raise InputError(
                path, f"has no layer {layer!r}", hint=f"its layers are: {', '.join(names) or 'none'}"
            )
        return layer
    if len(names) <= 1:
        return names[0] if names else None
    if not with_geometry:
        raise InputError(path, f"has no layer with geometry (layers: {', '.join(names)})")
    if len(with_geometry) > 1:
        notes.append(
            f"{path.name} has {len(with_geometry)} layers with geometry ({', '.join(with_geometry[:6])}); "
            f"read {with_geometry[0]!r} (choose another with the layer option)"
        )
    return with_geometry[0]
