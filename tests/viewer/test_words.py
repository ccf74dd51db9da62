"""The scene's own words (legends, "no reading") follow the interface language."""

from __future__ import annotations

from types import SimpleNamespace

from viewer.labels import KNOWN_FIELDS, field_title
from viewer.visuals.heat import QUANTITY_TITLES as HEAT_TITLES
from viewer.visuals.heat import heat_title
from viewer.visuals.sensors import PER, QUANTITY_TITLES, legend_title
from viewer.words import FRENCH, say


def test_every_english_word_of_the_scene_has_its_french():
    english = (
        set(KNOWN_FIELDS.values())
        | set(QUANTITY_TITLES.values())
        | set(HEAT_TITLES.values())
        | set(PER.values())
        | {"no reading", "typical day", "Noise"}
    )
    assert english <= set(FRENCH), english - set(FRENCH)


def test_say_gives_french_or_keeps_the_english():
    assert say("no reading", "fr") == "pas de mesure"
    assert say("no reading", "en") == "no reading"
    assert say("a word nobody knows", "fr") == "a word nobody knows"


def test_field_titles_in_both_languages():
    assert field_title("HAUTEUR", "m") == "Hauteur (m)"
    assert field_title("hauteur", "m", "en") == "Height (m)"
    assert field_title("tmja", "véhicules/jour", "en") == "Average daily traffic (véhicules/jour)"
    assert field_title("my_field", None, "en") == "My field"


def test_sensor_legends_in_both_languages():
    bikes = SimpleNamespace(quantity="bicycle count", unit="/h", name="Compteurs", cycle_s=86400)
    assert legend_title(bikes, "moyenne horaire") == "Vélos par heure – journée type – moyenne horaire"
    assert legend_title(bikes, None, "en") == "Bicycles per hour – typical day"
    odd = SimpleNamespace(quantity="ozone", unit="/week", name="O3", cycle_s=None)
    assert (
        legend_title(odd, None, "fr") == "Ozone par week"
        and legend_title(odd, None, "en") == "Ozone per week"
    )


def test_heat_legends_in_both_languages():
    assert heat_title("surface temperature", "°C") == "Température de surface (°C)"
    assert heat_title("surface temperature", "°C", "en") == "Surface temperature (°C)"
    assert heat_title("albedo", None, "en") == "Albedo (°C)"
