"""Band labels of French noise maps → (low_db, high_db)."""

from __future__ import annotations

import numpy as np
import pytest

from layers.noise.bands import (
    band_labels,
    format_band,
    indicator_in_text,
    limits_db,
    normalise_indicator,
    parse_band,
    parse_labels,
)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        # END reporting codes (Bordeaux agglomeration)
        ("Lden5559", (55.0, 60.0)),
        ("Lden6064", (60.0, 65.0)),
        ("Lden7074", (70.0, 75.0)),
        ("LdenGreaterThan75", (75.0, None)),
        ("Lnight5054", (50.0, 55.0)),
        ("LnightGreaterThan70", (70.0, None)),
        ("LdenSmallerThan55", (None, 55.0)),
        ("Lnight6570", (65.0, 70.0)),
        # integer intervals (Bordeaux roads over the limit)
        ("[62,66]", (62.0, 67.0)),
        ("[67,71]", (67.0, 72.0)),
        (">=72", (72.0, None)),
        # legends and NoiseModelling ISOLABEL
        ("55-60", (55.0, 60.0)),
        ("55 - 59", (55.0, 60.0)),
        ("55 à 60 dB(A)", (55.0, 60.0)),
        ("de 55 à 60 dB(A)", (55.0, 60.0)),
        ("55–60 dB(A)", (55.0, 60.0)),
        ("entre 60 et 65 dB", (60.0, 65.0)),
        ("[55;60[", (55.0, 60.0)),
        ("> 75", (75.0, None)),
        ("75+", (75.0, None)),
        ("< 45", (None, 45.0)),
        ("plus de 75 dB(A)", (75.0, None)),
        ("supérieur à 70 dB(A)", (70.0, None)),
        ("Lden 55-60", (55.0, 60.0)),
        ("LN 50-55", (50.0, 55.0)),
        ("Zone > 68 dB(A)", (68.0, None)),
        # CNIG LEGENDE codes without context: 68 / 62 / 73 are limit values (type C)
        ("68", (68.0, None)),
        ("62", (62.0, None)),
        ("73", (73.0, None)),
        ("55", (55.0, 60.0)),
        ("75", (75.0, None)),
        (60, (60.0, 65.0)),
    ],
)
def test_parse_band(label, expected):
    assert parse_band(label) == expected


def test_cnig_codes_follow_the_map_type_and_indicator():
    # type C: the code is the limit value exceeded (rail Ln 65 is not the 65-70 zone)
    assert parse_band("65", map_type="C", indicator="Ln") == (65.0, None)
    assert parse_band("68", map_type="C") == (68.0, None)
    # type A: 5 dB zones, the top code is open (75 for Lden, 70 for Ln)
    assert parse_band("70", map_type="A", indicator="Lden") == (70.0, 75.0)
    assert parse_band("70", map_type="A", indicator="Ln") == (70.0, None)
    assert parse_band("50", map_type="A", indicator="Ln") == (50.0, 55.0)


@pytest.mark.parametrize("label", ["", "hello", "Lden", "60-55", "abc55", None, float("nan"), "12"])
def test_not_a_band(label):
    with pytest.raises(ValueError):
        parse_band(label)


def test_parse_labels_is_vectorised_and_flags_failures():
    low, high, ok = parse_labels(["Lden5559", None, "bad", "Lden5559", "LdenGreaterThan75"])
    assert ok.tolist() == [True, False, False, True, True]
    assert low[[0, 3, 4]].tolist() == [55.0, 55.0, 75.0]
    assert np.isnan(high[4]) and high[0] == 60.0
    assert np.isnan(low[1]) and np.isnan(low[2])


def test_numeric_limits_treat_placeholders_as_open_ends():
    lows = limits_db([55, "60", None, 0, -99, "x"])
    highs = limits_db([60, 65.0, 55, 200, 999, 45])
    assert np.isnan(lows[[2, 3, 4, 5]]).all() and lows[:2].tolist() == [55.0, 60.0]
    assert highs[[0, 1, 2, 5]].tolist() == [60.0, 65.0, 55.0, 45.0] and np.isnan(highs[[3, 4]]).all()


def test_labels_are_formatted_for_the_legend():
    assert format_band(55.0, 60.0) == "55-60 dB(A)"
    assert format_band(75.0, float("nan")) == "> 75 dB(A)"
    assert format_band(None, 45) == "< 45 dB(A)"
    labels = band_labels(np.array([55.0, 68.0, 55.0]), np.array([60.0, np.nan, 60.0]))
    assert labels.tolist() == ["55-60 dB(A)", "> 68 dB(A)", "55-60 dB(A)"]
    assert band_labels(np.array([]), np.array([])).tolist() == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("LD", "Lden"),
        ("LN", "Ln"),
        ("Lden", "Lden"),
        ("lnight", "Ln"),
        ("Lnuit", "Ln"),
        ("LAeq", None),
        (None, None),
    ],
)
def test_normalise_indicator(value, expected):
    assert normalise_indicator(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NoiseContours_railwaysInAgglomeration_Lden", "Lden"),
        ("route_depassement_de_seuil_Lnight", "Ln"),
        ("N_BRUIT_ZBRD_INFRA_R_C_LN_S_033", "Ln"),
        ("N_BRUIT_ZBRD_INFRA_R_C_LD_S_033", "Lden"),
        ("noise_lden_isophones", "Lden"),
        ("Lnight5054", "Ln"),
        ("buildings", None),
    ],
)
def test_indicator_in_text(text, expected):
    assert indicator_in_text(text) == expected
