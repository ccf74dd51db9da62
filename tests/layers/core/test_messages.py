"""The model's notes and errors in the interface's language: the catalogue and numbers per language."""

from __future__ import annotations

from layers.core.errors import InputError
from layers.core.messages import FRENCH, error_line, word
from layers.core.numbers import number, plain_numbers_in

DEFAULTED = (
    "46 buildings had no usable height in hauteur (missing, zero, negative or above 1000 m) and were "
    "given 9.5 m (id=BATI0000048, ...)"
)


def test_a_note_is_worded_in_french_with_its_parts_and_french_numbers():
    assert word(DEFAULTED, "fr") == (
        "46 bâtiments sans hauteur utilisable dans hauteur (absente, nulle, négative ou au-dessus de "
        "1000 m) ont reçu 9,5 m (id=BATI0000048, ...)"
    )
    assert word("12345 readings share a time and a sensor with another one: averaged", "fr").startswith(
        "12\u202f345 mesures"
    )


def test_english_is_the_model_text_and_unknown_notes_fall_back_to_it():
    assert word(DEFAULTED, "en") == DEFAULTED
    assert word("a note nobody catalogued", "fr") == "a note nobody catalogued"
    assert word("", "fr") == ""


def test_every_french_entry_keeps_the_parts_of_its_english():
    import re

    for english, french in FRENCH.items():
        assert sorted(re.findall(r"\{(\w+)\}", english)) == sorted(re.findall(r"\{(\w+)\}", french)), english


def test_an_input_error_line_in_both_languages():
    error = InputError(
        "/data/BATIMENT.shp",
        "the shapefile's .dbf attribute table is missing",
        hint="a shapefile needs its .shp, .shx and .dbf side by side",
    )
    assert error_line(error, "en") == error.one_line()
    assert error_line(error, "fr") == (
        "/data/BATIMENT.shp : la table attributaire .dbf du shapefile manque "
        "(un shapefile a besoin de ses .shp, .shx et .dbf côte à côte)"
    )
    odd = InputError("/data/x.csv", "something new", field="HAUTEUR")
    assert error_line(odd, "fr") == "/data/x.csv : champ 'HAUTEUR' : something new"


def test_numbers_per_language():
    assert number(1234.5, "fr") == "1\u202f234,5" and number(1234.5, "en") == "1,234.5"
    assert number(4607, "fr") == "4\u202f607" and number(4607, "en") == "4,607"
    assert number(0.25, "fr", 1) == "0,2" or number(0.25, "fr", 1) == "0,3"
    assert plain_numbers_in("37.0", "fr") == "37,0" and plain_numbers_in("2015", "fr") == "2015"
    assert plain_numbers_in("id=B1.2", "fr") == "id=B1.2" and plain_numbers_in("37.0", "en") == "37.0"
