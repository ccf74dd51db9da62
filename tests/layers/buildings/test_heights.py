"""layers.buildings.heights: finding the height field and turning it into metres, row by row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from layers.buildings.heights import find_height_field, height_candidates, resolve_heights
from layers.vector.attributes import numeric_values


def test_find_height_field_prefers_metres_over_storeys():
    assert find_height_field(["ID", "NB_ETAGES", "HAUTEUR"]) == "HAUTEUR"
    assert find_height_field(["building:levels", "name"]) == "building:levels"
    assert find_height_field(["Z_MIN_SOL", "Z_MAX_TOIT"]) == "Z_MAX_TOIT"
    assert find_height_field(["name", "usage"]) is None


def test_height_candidates_order_and_kinds():
    found = height_candidates(["Z_MAX_TOIT", "NB_ETAGES", "Z_MIN_SOL", "HAUTEUR"])
    assert found == [("HAUTEUR", None, 1.0), ("NB_ETAGES", None, 3.0), ("Z_MAX_TOIT", "Z_MIN_SOL", 1.0)]


def test_numeric_values_parses_text():
    values = numeric_values(pd.Series(["12,5", "9 m", "", None, "3;4", "7"]))
    np.testing.assert_array_equal(values[[0, 1, 5]], [12.5, 9.0, 7.0])
    assert np.isnan(values[[2, 3, 4]]).all()


def test_fallback_chain_and_sources():
    frame = pd.DataFrame(
        {
            "HAUTEUR": [10.0, np.nan, np.nan, -2.0, 5000.0],
            "NB_ETAGES": [2, 4, np.nan, np.nan, 0],
            "Z_MAX_TOIT": [np.nan, np.nan, 215.0, np.nan, np.nan],
            "Z_MIN_SOL": [200.0, 200.0, 200.0, 200.0, np.nan],
        }
    )
    heights = resolve_heights(frame)
    np.testing.assert_allclose(heights.height_m, [10.0, 12.0, 15.0, 9.0, 9.0])
    assert list(heights.source) == [
        "HAUTEUR",
        "NB_ETAGES × 3 m",
        "Z_MAX_TOIT − Z_MIN_SOL",
        "default 9 m",
        "default 9 m",
    ]
    assert heights.field == "HAUTEUR"
    assert heights.defaulted.tolist() == [False, False, False, True, True]


def test_explicit_field_uses_only_that_field():
    frame = pd.DataFrame({"HAUTEUR": [10.0, np.nan], "NB_ETAGES": [2, 4]})
    heights = resolve_heights(frame, field="NB_ETAGES", default_height_m=6)
    np.testing.assert_allclose(heights.height_m, [6.0, 12.0])
    heights = resolve_heights(frame, field="HAUTEUR", default_height_m=6)
    np.testing.assert_allclose(heights.height_m, [10.0, 6.0])
    with pytest.raises(LookupError, match="'hauteur_totale'.*HAUTEUR, NB_ETAGES"):
        resolve_heights(frame, field="hauteur_totale")


def test_no_height_field_gives_default_everywhere():
    heights = resolve_heights(pd.DataFrame({"name": ["a", "b"]}))
    assert heights.field is None
    assert heights.defaulted.all()
    np.testing.assert_allclose(heights.height_m, 9.0)


def test_bases_from_min_height():
    frame = pd.DataFrame({"hauteur": [9.0, 12.0, 6.0, 6.0], "hauteur_mi": [3.0, np.nan, 6.0, -1.0]})
    heights = resolve_heights(frame)
    assert heights.base_field == "hauteur_mi"
    np.testing.assert_allclose(heights.base_m, [3.0, 0.0, 0.0, 0.0])
    assert heights.base_ignored.tolist() == [False, False, True, False]


def test_min_level_is_storeys():
    frame = pd.DataFrame({"building:levels": ["5", "3"], "building:min_level": ["2", None]})
    heights = resolve_heights(frame)
    np.testing.assert_allclose(heights.height_m, [15.0, 9.0])
    np.testing.assert_allclose(heights.base_m, [6.0, 0.0])
