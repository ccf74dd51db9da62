"""layers.streets.style: the typed style of streets, as a project keeps it."""

from __future__ import annotations

import pytest

from layers.core.style import StyleError
from layers.streets.style import FLOW_CMAP, StreetsStyle


def test_round_trip_and_defaults():
    written = {"cmap": "viridis", "clim": [0, 20000], "color": "#555555", "counters": "Compteurs vélo"}
    style = StreetsStyle.from_dict(written)
    assert style.clim == (0.0, 20000.0) and style.counters == "Compteurs vélo" and not style.counters_off
    assert StreetsStyle.from_dict(style.to_dict()) == style
    assert style.to_dict() == {**written, "clim": [0.0, 20000.0]}
    assert StreetsStyle().cmap == FLOW_CMAP and StreetsStyle().counters == "auto"
    assert StreetsStyle().to_dict() == {}
    assert StreetsStyle(counters="none").counters_off and StreetsStyle(counters="").counters_off


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ({"clim": [0]}, "clim"),
        ({"cmap": 2}, "cmap"),
        ({"counters": False}, "counters"),
        ({"color": None}, "color"),
    ],
)
def test_a_bad_value_names_its_key(written, key):
    with pytest.raises(StyleError) as error:
        StreetsStyle.from_dict(written)
    assert error.value.field == key


def test_unknown_keys_survive():
    style = StreetsStyle.from_dict({"width": 3, "counters": "none"})
    assert style.extra == {"width": 3} and style.to_dict() == {"width": 3, "counters": "none"}
