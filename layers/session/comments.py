"""Comments gathered in the room: a category, a short text, optionally a group, a place on the model.

Never a personal name by default: the form asks for a group ("riverains", "parents d'élèves"...),
not for a person. Positions are in scene CRS metres; exports add WGS84.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import CRS

from layers.core import crs as crs_util
from layers.io.atomic import atomic_write_text, replacing

#: category id → French label, the words shown to the room
CATEGORIES = {"concern": "Inquiétude", "idea": "Idée", "question": "Question"}
MAX_TEXT = 500


@dataclass
class Comment:
    """One comment pinned on the model (x, y, z in scene CRS metres)."""

    category: str
    text: str
    x: float
    y: float
    z: float = 0.0
    group: str = ""
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown comment category {self.category!r} (expected {', '.join(CATEGORIES)})")
        self.text = " ".join(str(self.text).split())[:MAX_TEXT]
        self.group = " ".join(str(self.group or "").split())[:80]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Comment:
        known = {"category", "text", "x", "y", "z", "group", "created", "id"}
        comment = cls(
            category=str(data.get("category", "")),
            text=str(data.get("text", "")),
            x=float(data["x"]),
            y=float(data["y"]),
            z=float(data.get("z", 0.0)),
            group=str(data.get("group") or ""),
            created=str(data.get("created") or datetime.now(UTC).isoformat(timespec="seconds")),
            id=str(data.get("id") or uuid.uuid4().hex[:12]),
        )
        comment.extra = {k: v for k, v in data.items() if k not in known}
        return comment

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        return {**extra, **data}


def comments_from_project(items: list[Any] | None) -> list[Comment]:
    """The project's ``annotations`` that are comments (other annotation kinds are left alone)."""
    comments = []
    for item in items or []:
        if (
            isinstance(item, dict)
            and isinstance(item.get("category"), str)
            and item["category"] in CATEGORIES
        ):
            try:
                comments.append(Comment.from_dict(item))
            except (KeyError, TypeError, ValueError):
                continue
    return comments


def merge_into_annotations(items: list[Any] | None, comments: list[Comment]) -> list[Any]:
    """``annotations`` with its comments replaced by ``comments`` (other entries kept, in place)."""
    others = [
        item for item in (items or []) if not (isinstance(item, dict) and item.get("category") in CATEGORIES)
    ]
    return others + [c.to_dict() for c in comments]


def comment_rows(comments: list[Comment], scene_crs: CRS) -> list[dict[str, Any]]:
    x = np.array([c.x for c in comments], dtype=np.float64)
    y = np.array([c.y for c in comments], dtype=np.float64)
    lon, lat = crs_util.to_wgs84(scene_crs, x, y) if comments else (x, y)
    rows = []
    for comment, lo, la in zip(comments, lon, lat):
        rows.append(
            {
                "id": comment.id,
                "categorie": CATEGORIES[comment.category],
                "category": comment.category,
                "texte": comment.text,
                "groupe": comment.group,
                "cree_le": comment.created,
                "x": round(comment.x, 2),
                "y": round(comment.y, 2),
                "z": round(comment.z, 2),
                "crs": crs_util.label(scene_crs),
                "lon": round(float(lo), 7),
                "lat": round(float(la), 7),
            }
        )
    return rows


def export_csv(comments: list[Comment], scene_crs: CRS, path: str | Path) -> Path:
    """Write the comments as CSV (UTF-8 with BOM so spreadsheets read accents; ``;`` separated)."""
    path = Path(path)
    rows = comment_rows(comments, scene_crs)
    buffer = io.StringIO()
    fields = ["id", "categorie", "category", "texte", "groupe", "cree_le", "x", "y", "z", "crs", "lon", "lat"]
    writer = csv.DictWriter(buffer, fieldnames=fields, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(path, "\ufeff" + buffer.getvalue(), make_folder=False)
    return path


def export_geojson(comments: list[Comment], scene_crs: CRS, path: str | Path) -> Path:
    """Write the comments as GeoJSON (RFC 7946: WGS84 geometry; scene CRS coordinates as properties)."""
    path = Path(path)
    features = []
    for row in comment_rows(comments, scene_crs):
        properties = {k: v for k, v in row.items() if k not in {"lon", "lat"}}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                "properties": properties,
            }
        )
    atomic_write_text(
        path,
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1),
        make_folder=False,
    )
    return path


def export_geopackage(comments: list[Comment], scene_crs: CRS, path: str | Path) -> Path:
    """Write the comments as a GeoPackage layer ``commentaires`` (points in the scene CRS, z in
    metres above the ground reference), replacing the file."""
    import geopandas as gpd
    import shapely

    path = Path(path)
    rows = comment_rows(comments, scene_crs)
    geometry = list(shapely.points([[c.x, c.y, c.z] for c in comments])) if comments else []
    frame = gpd.GeoDataFrame(rows, geometry=geometry, crs=scene_crs)
    with replacing(path, quiet=True) as temp:
        frame.to_file(temp, driver="GPKG", layer="commentaires")
    return path


#: how comments are written, by suffix
COMMENT_WRITERS = {
    ".geojson": export_geojson,
    ".json": export_geojson,
    ".gpkg": export_geopackage,
    ".csv": export_csv,
}


def export_comments(comments: list[Comment], scene_crs: CRS | None, path: str | Path) -> Path:
    """Write the comments in the format ``path``'s suffix names (GeoJSON, GeoPackage or CSV),
    whole or not at all (:mod:`layers.io.atomic`: :class:`layers.core.errors.OutputError` naming
    the cause when it cannot be written, the previous file kept)."""
    from layers.core.errors import InputError

    path = Path(path)
    writer = COMMENT_WRITERS.get(path.suffix.lower())
    if writer is None:
        raise InputError(path, "comments are written as GeoJSON (.geojson), GeoPackage (.gpkg) or CSV (.csv)")
    if scene_crs is None:
        raise InputError(None, "the scene has no coordinate reference system to place comments in")
    return writer(comments, scene_crs, path)
