"""The scene's own words (legends, "no reading") follow the interface language."""

from __future__ import annotations

from types import SimpleNamespace

from viewer.labels import FIELDS, field_title, inspector_label
from viewer.visuals.heat import QUANTITY_TITLES as HEAT_TITLES
from viewer.visuals.heat import heat_title
from viewer.visuals.sensors import PER, QUANTITY_TITLES, legend_title
from viewer.words import FRENCH, say


def test_every_english_word_of_the_scene_has_its_french():
    english = (
        set(QUANTITY_TITLES.values())
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
    assert field_title("tmja", "vehicles/day", "en") == "Average daily traffic (vehicles/day)"
    assert field_title("tmja", "vehicles/day", "fr") == "Trafic moyen journalier (véhicules/jour)"
    assert field_title("facade_lden_over_68_pct", "", "en") == "Share of façade above 68 dB(A) Lden (%)"
    assert field_title("my_field", None, "en") == "My field"


def test_sensor_legends_in_both_languages():
    bikes = SimpleNamespace(quantity="bicycle count", unit="/h", name="Compteurs", cycle_s=86400)
    assert legend_title(bikes, "hourly mean") == "Vélos par heure – journée type – moyenne horaire"
    assert legend_title(bikes, None, "en") == "Bicycles per hour – typical day"
    assert legend_title(bikes, "daily mean", "en") == "Bicycles per hour – typical day – daily mean"
    odd = SimpleNamespace(quantity="ozone", unit="/week", name="O3", cycle_s=None)
    assert (
        legend_title(odd, None, "fr") == "Ozone par week"
        and legend_title(odd, None, "en") == "Ozone per week"
    )


def test_heat_legends_in_both_languages():
    assert heat_title("surface temperature", "°C") == "Température de surface (°C)"
    assert heat_title("surface temperature", "°C", "en") == "Surface temperature (°C)"
    assert heat_title("albedo", None, "en") == "Albedo (°C)"


def test_inspector_labels_name_known_fields_with_their_unit_and_keep_unknown_ones():
    assert inspector_label("facade_lden_over_68_pct", "fr") == "Part de façade au-dessus de 68 dB(A) Lden (%)"
    assert inspector_label("HAUTEUR", "en") == "Height (m)" and inspector_label("NB_ETAGES", "fr") == (
        "Nombre d'étages"
    )
    assert inspector_label("altitude_maximale_toit", "en") == "Highest roof altitude (m)"
    assert inspector_label("height_source", "en") == "Height taken from"
    assert inspector_label("my_field", "fr") == "my_field"


def test_every_field_is_named_in_both_languages():
    for field, label in FIELDS.items():
        assert field == field.lower() and label.english and label.french, field
        assert not any(ch in label.english for ch in "éèêàù"), label.english
