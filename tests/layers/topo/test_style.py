"""layers.topo.style: the typed style of reference-map features, as a project keeps it."""

from __future__ import annotations

import pytest

from layers.core.style import StyleError
from layers.topo.style import TopoStyle


def test_round_trip_and_defaults():
    style = TopoStyle.from_dict({"widths": "wide", "casing": False, "color": "#2a2"})
    assert style == TopoStyle(widths="wide", casing=False, color="#2a2")
    assert TopoStyle.from_dict(style.to_dict()) == style
    assert style.width_factor == 2.0 and TopoStyle().width_factor == 1.0
    assert TopoStyle().to_dict() == {}


@pytest.mark.parametrize(
    ("written", "key"),
    [({"widths": "huge"}, "widths"), ({"casing": "perhaps"}, "casing"), ({"color": "not a colour"}, "color")],
)
def test_a_bad_value_names_its_key(written, key):
    with pytest.raises(StyleError) as error:
        TopoStyle.from_dict(written)
    assert error.value.field == key


def test_unknown_keys_survive():
    style = TopoStyle.from_dict({"widths": "wide", "labels": True})
    assert style.extra == {"labels": True} and style.to_dict() == {"labels": True, "widths": "wide"}
