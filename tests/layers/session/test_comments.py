"""Comments: validation, project round trip, exports with scene CRS and WGS84 coordinates."""

from __future__ import annotations

import csv
import json

import pytest
from pyproj import CRS

from layers.session.comments import (
    Comment,
    comments_from_project,
    export_csv,
    export_geojson,
    merge_into_annotations,
)

L93 = CRS.from_epsg(2154)


def test_category_is_checked_and_text_tidied():
    with pytest.raises(ValueError, match="category"):
        Comment("rant", "x", 0, 0)
    comment = Comment("idea", "  Un   banc\n ici  ", 351_900, 6_789_300, group=" riverains ")
    assert comment.text == "Un banc ici" and comment.group == "riverains"


def test_round_trip_keeps_other_annotations():
    other = {"kind": "arrow", "from": [0, 0]}
    comments = [Comment("question", "Et la nuit ?", 351_900, 6_789_300)]
    annotations = merge_into_annotations([other], comments)
    assert annotations[0] == other
    (back,) = comments_from_project(annotations)
    assert back.to_dict() == comments[0].to_dict()


def test_exports(tmp_path):
    comments = [Comment("concern", "Trop de bruit, l'été", 351_900.0, 6_789_300.0, group="parents d'élèves")]
    geo = json.loads(export_geojson(comments, L93, tmp_path / "c.geojson").read_text(encoding="utf-8"))
    (feature,) = geo["features"]
    lon, lat = feature["geometry"]["coordinates"]
    assert -1.8 < lon < -1.5 and 48.0 < lat < 48.2
    assert feature["properties"]["x"] == 351_900.0 and feature["properties"]["crs"] == "EPSG:2154"
    assert feature["properties"]["categorie"] == "Inquiétude"
    text = tmp_path / "c.csv"
    export_csv(comments, L93, text)
    rows = list(csv.DictReader(text.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0]["texte"] == "Trop de bruit, l'été" and rows[0]["groupe"] == "parents d'élèves"
    assert float(rows[0]["lat"]) == pytest.approx(lat)
