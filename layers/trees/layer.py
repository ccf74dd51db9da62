"""Trees of a city's inventory: points with a height, a crown and a trunk, casting shadows.

:class:`TreesLayer` reads any points file (:func:`layers.io.read_vector`: shapefile, GeoJSON, an
Opendatasoft export...), finds its fields (:mod:`layers.trees.fields`) and sizes every tree,
defaults counted (:mod:`layers.trees.sizes`). Its crowns cast shadows
(:class:`~layers.core.base.CastsShadows`): a 12-sided prism per crown, from the bottom of the
crown to the top of the tree (the trunk is too thin to matter and is left out).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from layers.core.area import Area
from layers.core.base import Bounds, Layer
from layers.io import read_vector
from layers.trees import fields as tf
from layers.trees.sizes import SizeDefaults, crown_base_m, tree_sizes
from layers.trees.style import TreesStyle
from layers.vector.attributes import jsonable
from layers.vector.options import saved_options

#: sides of the polygon standing for a crown in the shadow studies
CROWN_SIDES = 12
#: why a feature of the file is not a tree shown (the keys of ``dropped_reasons``)
NO_GEOMETRY = "no geometry"
NOT_A_POINT = "not a point"
#: credit line of the inventories read (shown in the attribution; "" when the producer is unknown)
MONTPELLIER_ATTRIBUTION = "Ville de Montpellier"
PARIS_ATTRIBUTION = "Ville de Paris"


class TreesLayer(Layer[TreesStyle]):
    """Trees as points in the scene CRS with their sizes.

    Attributes
    ----------
    frame
        GeoDataFrame of the trees shown (Points, :attr:`crs` metres after :meth:`reproject`); its
        source attributes and ``feature_index`` (the tree's position in the file).
    height_m, crown_m, trunk_m
        (n,) height of the tree, diameter of its crown and of its trunk, metres.
    crown_base_m
        (n,) height of the bottom of the crown above the ground, metres.
    species, genus
        (n,) texts (``None`` where the inventory does not say).
    stats
        What loading kept, defaulted and dropped (:class:`~layers.core.base.HasStats`).
    """

    kind = "trees"
    style_class = TreesStyle

    def __init__(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        height_m: np.ndarray,
        crown_m: np.ndarray,
        *,
        trunk_m: np.ndarray | None = None,
        species: np.ndarray | None = None,
        genus: np.ndarray | None = None,
        source: str | Path | None = None,
        crs: CRS | None = None,
    ) -> None:
        super().__init__(name, source=source, crs=crs if crs is not None else frame.crs)
        n = len(frame)
        self.frame: gpd.GeoDataFrame = frame
        self.height_m = np.asarray(height_m, float)
        self.crown_m = np.asarray(crown_m, float)
        self.trunk_m = np.asarray(trunk_m, float) if trunk_m is not None else self.height_m / 40.0
        self.crown_base_m = crown_base_m(self.height_m, self.crown_m)
        self.species = species if species is not None else np.full(n, None, dtype=object)
        self.genus = genus if genus is not None else np.full(n, None, dtype=object)
        self.stats: dict[str, Any] = {
            "features_in": n,
            "dropped": 0,
            "dropped_reasons": {},
            "repaired": 0,
            "heights_defaulted": 0,
            "crowns_defaulted": 0,
        }

    @classmethod
    def from_points(
        cls, name: str, xy: np.ndarray, height_m: np.ndarray, crown_m: np.ndarray, crs: CRS
    ) -> TreesLayer:
        """Trees built in code: (n, 2) points in ``crs`` with their heights and crowns (m)."""
        frame = gpd.GeoDataFrame(geometry=shapely.points(np.asarray(xy, float)), crs=crs)
        return cls(name, frame, height_m, crown_m, crs=crs)

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        name: str | None = None,
        crs: object | None = None,
        layer: str | None = None,
        area: Area | None = None,
        **options: Any,
    ) -> TreesLayer:
        """Read the trees of ``path`` (any points file), only those within ``area`` if given."""
        path = Path(path)
        data = read_vector(path, layer=layer, crs=crs, encoding=options.get("encoding"), area=area)
        frame = data.frame.copy()
        frame.insert(0, "feature_index", frame.index.to_numpy(dtype=np.int64))
        frame = frame.reset_index(drop=True)
        geoms = np.asarray(frame.geometry.values, dtype=object)
        missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
        types = shapely.get_type_id(geoms)
        multi = ~missing & (types == 4)
        if multi.any():  # a tree written as a multi-point of one point (or a few: its first)
            geoms[multi] = shapely.get_geometry(geoms[multi], 0)
        keep = ~missing & np.isin(shapely.get_type_id(geoms), (0,))
        reasons: dict[str, int] = {str(k): len(v) for k, v in data.skipped.items() if len(v)}
        if missing.any():
            reasons[NO_GEOMETRY] = reasons.get(NO_GEOMETRY, 0) + int(missing.sum())
        if (~missing & ~keep).any():
            reasons[NOT_A_POINT] = int((~missing & ~keep).sum())
        frame = frame.set_geometry(shapely.force_2d(geoms), crs=data.crs)[keep].reset_index(drop=True)
        frame, placeholders = tf.without_placeholders(frame, str(frame.geometry.name))
        n = len(frame)
        height = tf.numbers(_column(frame, tf.HEIGHT_FIELDS), n, tf.MAX_HEIGHT_M)
        crown = tf.numbers(_column(frame, tf.CROWN_FIELDS), n, tf.MAX_CROWN_M)
        circumference = tf.numbers(_column(frame, tf.CIRCUMFERENCE_FIELDS), n, tf.MAX_CIRCUMFERENCE_CM)
        species, genus = tf.species_of(frame)
        sizes = tree_sizes(height, crown, circumference, genus)
        self = cls(
            name or path.stem,
            frame,
            sizes.height_m,
            sizes.crown_m,
            trunk_m=sizes.trunk_m,
            species=species,
            genus=genus,
            source=path,
            crs=data.crs,
        )
        features_in = max(data.features_read, len(data.frame) + sum(len(v) for v in data.skipped.values()))
        self.stats.update(_stats(features_in, n, reasons, int(multi.sum()), sizes.defaults))
        self.stats["placeholders"] = placeholders
        if data.outside:
            self.stats["outside_area"] = data.outside
        self.warnings.extend(data.warnings)
        self.warnings.extend(_notes(sizes.defaults, reasons))
        self.attribution = _attribution(path)
        self.options = saved_options(crs=crs, layer=layer, **options)
        self.apply_style(options.get("style") or {})
        return self

    # -- geometry --------------------------------------------------------------------------
    def points(self) -> np.ndarray:
        """(n, 2) positions of the trees in :attr:`crs`."""
        return shapely.get_coordinates(np.asarray(self.frame.geometry.values, dtype=object))

    def shadow_prisms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each crown as a :data:`CROWN_SIDES`-sided polygon of its diameter, from the bottom of the
        crown to the top of the tree, metres above the ground (:class:`~layers.core.base.CastsShadows`).
        Trunks are left out: 20 to 60 cm wide, their shadow is a thin line beside the crown's."""
        if not len(self.frame):
            return np.empty(0, dtype=object), np.empty(0), np.empty(0)
        crowns = shapely.buffer(
            np.asarray(self.frame.geometry.values, dtype=object),
            self.crown_m / 2.0,
            quad_segs=CROWN_SIDES // 4,
        )
        return np.asarray(crowns, dtype=object), self.crown_base_m.copy(), self.height_m.copy()

    def bounds(self) -> Bounds:
        xmin, ymin, xmax, ymax = (float(v) for v in self.frame.total_bounds)
        return xmin, ymin, xmax, ymax

    def reproject(self, crs: CRS) -> None:
        self.frame = self.frame.to_crs(crs)
        self.crs = crs

    # -- description -------------------------------------------------------------------------
    def feature_count(self) -> int:
        return len(self.frame)

    def attributes(self, index: int) -> dict[str, object]:
        """The source attributes of tree ``index`` (placeholders included, as written) and its sizes."""
        index = int(index)
        row = self.frame.iloc[index]
        geometry_column = str(self.frame.geometry.name)
        out = {str(k): jsonable(v) for k, v in row.items() if k != geometry_column}
        out["height_m"] = round(float(self.height_m[index]), 2)
        out["crown_diameter_m"] = round(float(self.crown_m[index]), 2)
        if self.species[index]:
            out["species"] = self.species[index]
        return out

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        for key in ("features_in", "dropped", "dropped_reasons", "heights_defaulted", "crowns_defaulted"):
            info[key] = self.stats.get(key)
        info["defaults"] = self.stats.get("defaults", {})
        if len(self.height_m):
            info["height_range_m"] = [
                round(float(self.height_m.min()), 2),
                round(float(self.height_m.max()), 2),
            ]
        info["fields"] = [
            str(c) for c in self.frame.columns if c not in ("feature_index", self.frame.geometry.name)
        ]
        return info


def _column(frame: gpd.GeoDataFrame, names: tuple[str, ...]) -> Any:
    found = tf.find_field(frame.columns, names)
    return frame[found] if found is not None else None


def _stats(
    features_in: int, shown: int, reasons: dict[str, int], repaired: int, defaults: SizeDefaults
) -> dict[str, Any]:
    return {
        "features_in": features_in,
        "features": shown,
        "dropped": sum(reasons.values()),
        "dropped_reasons": reasons,
        "repaired": repaired,
        "heights_defaulted": defaults.heights_defaulted,
        "crowns_defaulted": defaults.crowns_defaulted,
        "defaults": {"height": dict(defaults.height), "crown": dict(defaults.crown)},
    }


def _notes(defaults: SizeDefaults, reasons: dict[str, int]) -> list[str]:
    """What loading defaulted and left out, in user words (English; French in layers.core.messages)."""
    notes = [f"{_trees(count)} without height: {rule}" for rule, count in defaults.height.items()]
    notes += [f"{_trees(count)} without crown diameter: {rule}" for rule, count in defaults.crown.items()]
    notes += [f"{count} features left out: {reason}" for reason, count in reasons.items()]
    return notes


def _trees(count: int) -> str:
    return "1 tree" if count == 1 else f"{count} trees"


def _attribution(path: Path) -> str | None:
    name = path.name.lower()
    if "montpellier" in str(path).lower() or name.startswith("villemtp"):
        return MONTPELLIER_ATTRIBUTION
    if "paris" in str(path).lower():
        return PARIS_ATTRIBUTION
    return None
