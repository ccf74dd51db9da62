"""The sniffers of the trees kind: points with tree fields, or named after trees."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from layers.core.kinds import Claim
from layers.trees.fields import is_tree_inventory

if TYPE_CHECKING:
    from layers.io.probe import FileProbe

#: words of a file name that say trees (French and English)
TREE_WORDS = frozenset({"arbre", "arbres", "tree", "trees", "arbresalign", "arbo", "patrimoine_arbore"})


def named_after_trees(name: str) -> bool:
    """Whether a file name says it holds trees (``ArbresAlign``, ``arbres.json``, ``street_trees``;
    not ``streets``): its words, camel case split, compared whole."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return any(word in TREE_WORDS for word in re.split(r"[^a-z]+", spaced.lower()))


def sniff_header(probe: FileProbe) -> Claim | None:
    """A table (CSV, an Opendatasoft export) whose columns are a tree inventory's."""
    if probe.is_dir or "table" not in probe.families:
        return None
    return Claim.CONTENT if is_tree_inventory(probe.table_columns) else None


def sniff_features(probe: FileProbe) -> Claim | None:
    """Points with a tree field (height in ``hauteur_m``, ``circonf_cm``, ``botanique``...), or
    points in a file named after trees."""
    if "point" not in probe.geometry_type:
        return None
    if is_tree_inventory(probe.fields):
        return Claim.CONTENT
    return Claim.NAME if named_after_trees(probe.name) else None
