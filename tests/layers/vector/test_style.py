"""layers.vector.style: the typed style of flat features, as a project keeps it."""

from __future__ import annotations

import pytest

from layers.core.style import StyleError
from layers.vector.style import PLAIN_COLOR, VectorStyle


def test_round_trip_and_defaults():
    style = VectorStyle.from_dict({"color_by": "type", "color": "#2a2"})
    assert style == VectorStyle(color_by="type", color="#2a2")
    assert VectorStyle.from_dict(style.to_dict()) == style
    assert style.to_dict() == {"color_by": "type", "color": "#2a2"}
    assert VectorStyle().color == PLAIN_COLOR and VectorStyle().to_dict() == {}
    assert VectorStyle.from_dict({"color_by": None}).color_by is None


@pytest.mark.parametrize(("written", "key"), [({"color_by": 1}, "color_by"), ({"color": None}, "color")])
def test_a_bad_value_names_its_key(written, key):
    with pytest.raises(StyleError) as error:
        VectorStyle.from_dict(written)
    assert error.value.field == key


def test_unknown_keys_survive():
    style = VectorStyle.from_dict({"color": "#2a2", "width": 3})
    assert style.extra == {"width": 3} and style.to_dict() == {"width": 3, "color": "#2a2"}
