"""A tree's size from what its inventory says, and the defaults when it says nothing.

Every tree gets a height, a crown diameter and a trunk diameter, metres. What the file gives is
used when it is plausible (:mod:`layers.trees.fields` turns placeholders into missing values);
otherwise, in this order:

* **height**: from the trunk circumference by size class (:data:`HEIGHT_BY_CIRCUMFERENCE`), else the
  usual height of its genus in French streets (:data:`GENUS_HEIGHT_M`), else
  :data:`DEFAULT_HEIGHT_M` (8 m, a street tree);
* **crown diameter**: the height times the crown ratio of its genus (:data:`GENUS_CROWN_RATIO`:
  columnar poplars and cypresses narrow, umbrella pines wide), else :data:`CROWN_RATIO` (0.6).
  Crown width grows about in proportion to height for urban broadleaves: McPherson et al., *Urban
  Tree Database and Allometric Equations* (USDA PSW-GTR-253, 2016) give crown diameter / height
  between 0.5 and 0.8 for the common street genera at maturity;
* **trunk diameter**: circumference / π, else height / 40 (drawing only: a trunk casts a shadow too
  thin to matter beside its crown, so the shadow studies leave it out).

The crown is drawn and casts its shadow as a solid from :func:`crown_base_m` to the top: as deep as
it is wide, at least half the tree's height and at most 80 % of it (a 10 m tree with a 6 m crown:
from 4 m to 10 m). Each default is counted in :class:`SizeDefaults`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: a street tree whose inventory says nothing of its size, metres
DEFAULT_HEIGHT_M = 8.0
#: crown diameter / height when neither is measured and the genus is not in the table
CROWN_RATIO = 0.6
#: (upper bound of the trunk circumference class in cm, height in metres)
HEIGHT_BY_CIRCUMFERENCE: tuple[tuple[float, float], ...] = (
    (30.0, 5.0),
    (60.0, 7.0),
    (100.0, 10.0),
    (150.0, 13.0),
    (250.0, 17.0),
    (float("inf"), 21.0),
)
#: usual height of a grown tree in French streets and parks, metres, by genus
GENUS_HEIGHT_M: dict[str, float] = {
    "Platanus": 20.0,
    "Populus": 20.0,
    "Aesculus": 15.0,
    "Tilia": 15.0,
    "Quercus": 15.0,
    "Fraxinus": 15.0,
    "Celtis": 14.0,
    "Ulmus": 14.0,
    "Pinus": 14.0,
    "Cedrus": 18.0,
    "Cupressus": 12.0,
    "Liquidambar": 14.0,
    "Ginkgo": 14.0,
    "Sophora": 12.0,
    "Styphnolobium": 12.0,
    "Robinia": 12.0,
    "Acer": 12.0,
    "Betula": 12.0,
    "Carpinus": 11.0,
    "Ostrya": 10.0,
    "Catalpa": 9.0,
    "Melia": 9.0,
    "Koelreuteria": 8.0,
    "Pyrus": 8.0,
    "Morus": 8.0,
    "Magnolia": 8.0,
    "Prunus": 7.0,
    "Albizia": 7.0,
    "Malus": 6.0,
    "Olea": 6.0,
    "Cercis": 6.0,
    "Lagerstroemia": 5.0,
}
#: crown diameter / height of genera far from :data:`CROWN_RATIO`
GENUS_CROWN_RATIO: dict[str, float] = {
    "Populus": 0.35,
    "Cupressus": 0.3,
    "Pinus": 0.8,
    "Cedrus": 0.7,
    "Catalpa": 0.9,
    "Albizia": 1.0,
    "Melia": 0.8,
    "Celtis": 0.7,
    "Platanus": 0.7,
}
#: the crown is at least this share of the tree's height deep, and at most :data:`MAX_CROWN_SHARE`
MIN_CROWN_SHARE = 0.5
MAX_CROWN_SHARE = 0.8


@dataclass
class SizeDefaults:
    """How many trees got each default, by the rule that gave it (English, for ``stats``)."""

    height: dict[str, int] = field(default_factory=dict)
    crown: dict[str, int] = field(default_factory=dict)

    @property
    def heights_defaulted(self) -> int:
        return sum(self.height.values())

    @property
    def crowns_defaulted(self) -> int:
        return sum(self.crown.values())


@dataclass
class TreeSizes:
    """(n,) sizes in metres, and the defaults used to fill them."""

    height_m: np.ndarray
    crown_m: np.ndarray
    trunk_m: np.ndarray
    defaults: SizeDefaults


def height_class_m(circumference_cm: np.ndarray) -> np.ndarray:
    """(n,) height (m) of the size class of each trunk circumference (cm); NaN where NaN."""
    circumference_cm = np.asarray(circumference_cm, float)
    bounds = np.array([b for b, _ in HEIGHT_BY_CIRCUMFERENCE])
    heights = np.array([h for _, h in HEIGHT_BY_CIRCUMFERENCE])
    index = np.searchsorted(bounds, np.nan_to_num(circumference_cm, nan=0.0), side="left")
    return np.where(np.isfinite(circumference_cm), heights[np.minimum(index, len(heights) - 1)], np.nan)


def tree_sizes(
    height_m: np.ndarray, crown_m: np.ndarray, circumference_cm: np.ndarray, genus: np.ndarray
) -> TreeSizes:
    """Every tree's height, crown and trunk diameters (m), defaults filled in and counted.

    Inputs are (n,) with NaN (or ``None`` for ``genus``) where the inventory says nothing."""
    height = np.asarray(height_m, float).copy()
    crown = np.asarray(crown_m, float).copy()
    circumference = np.asarray(circumference_cm, float)
    defaults = SizeDefaults()
    missing = ~np.isfinite(height)
    by_class = missing & np.isfinite(circumference)
    if by_class.any():
        height[by_class] = height_class_m(circumference[by_class])
        defaults.height["from the trunk circumference's size class"] = int(by_class.sum())
    genus_height = np.array([GENUS_HEIGHT_M.get(g, np.nan) if g else np.nan for g in genus], float)
    by_genus = ~np.isfinite(height) & np.isfinite(genus_height)
    if by_genus.any():
        height[by_genus] = genus_height[by_genus]
        defaults.height["the usual height of its genus"] = int(by_genus.sum())
    plain = ~np.isfinite(height)
    if plain.any():
        height[plain] = DEFAULT_HEIGHT_M
        defaults.height[f"{DEFAULT_HEIGHT_M:g} m, the default for a street tree"] = int(plain.sum())
    ratio = np.array([GENUS_CROWN_RATIO.get(g, CROWN_RATIO) if g else CROWN_RATIO for g in genus], float)
    no_crown = ~np.isfinite(crown)
    if no_crown.any():
        crown[no_crown] = height[no_crown] * ratio[no_crown]
        defaults.crown[f"from its height (× {CROWN_RATIO:g}, or its genus' ratio)"] = int(no_crown.sum())
    trunk = np.where(np.isfinite(circumference), circumference / 100.0 / np.pi, height / 40.0)
    return TreeSizes(height, crown, np.minimum(trunk, crown / 2), defaults)


def crown_base_m(height_m: np.ndarray, crown_m: np.ndarray) -> np.ndarray:
    """(n,) height (m above the ground) of the bottom of each crown: the crown is as deep as it is
    wide, between :data:`MIN_CROWN_SHARE` and :data:`MAX_CROWN_SHARE` of the tree's height."""
    height_m = np.asarray(height_m, float)
    depth = np.clip(np.asarray(crown_m, float), MIN_CROWN_SHARE * height_m, MAX_CROWN_SHARE * height_m)
    return height_m - depth
