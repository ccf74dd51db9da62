"""The BD TOPO theme table: v2 and v3 names, any case, to the topographic frame's themes."""

from __future__ import annotations

import pytest

from layers.topo.themes import THEMES, bdtopo_theme


def test_contract_names() -> None:
    assert set(THEMES) == {
        "road", "rail", "water", "vegetation", "hedge", "sport", "cemetery", "construction", "activity"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "theme"),
    [
        ("batiment", "buildings"),
        ("BATIMENT", "buildings"),
        ("troncon_de_route", "road"),
        ("TRONCON_DE_ROUTE", "road"),
        ("troncon_de_voie_ferree", "rail"),
        ("surface_hydrographique", "water"),
        ("plan_d_eau", "water"),
        ("reservoir", "water"),
        ("troncon_hydrographique", "water"),
        ("zone_de_vegetation", "vegetation"),
        ("haie", "hedge"),
        ("terrain_de_sport", "sport"),
        ("cimetiere", "cemetery"),
        ("construction_surfacique", "construction"),
        ("construction_lineaire", "construction"),
        ("equipement_de_transport", "activity"),
        ("zone_d_activite_ou_d_interet", "activity"),
        ("commune", "commune"),
        ("COMMUNE", "commune"),
        ("ROUTE", "road"),
        ("SURFACE_EAU", "water"),
        ("ZONE_VEGETATION", "vegetation"),
        ("BATI_INDIFFERENCIE", "buildings"),
        ("BATI_REMARQUABLE", "buildings"),
        ("BATI_INDUSTRIEL", "buildings"),
        ("VOIE_FERREE", "rail"),
        ("TERRAIN_SPORT", "sport"),
        ("CIMETIERE", "cemetery"),
        ("Cimetière", "cemetery"),
        ("bdtopo.troncon_de_route", "road"),
        ("BDTOPO_BATIMENT", "buildings"),
    ],
)
def test_known_names(name: str, theme: str) -> None:
    assert bdtopo_theme(name) == theme


@pytest.mark.parametrize("name", ["lden_2022", "my_route", "trees", "", "ligne_commune"])
def test_other_names(name: str) -> None:
    assert bdtopo_theme(name) is None
