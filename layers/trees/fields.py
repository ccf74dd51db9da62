"""The fields of a tree inventory as French cities publish them, and their placeholders.

(pandas is imported where it is used: detection reads :data:`TREE_FIELDS` without it.)

Each attribute has a list of field names, compared without case: Montpellier (``HAUTEUR_M``,
``CIRCONF_CM``, ``BOTANIQUE``), Paris (``hauteurenm``, ``circonferenceencm``, ``libellefrancais``,
``genre``, ``espece``), Bordeaux, Nantes, Lyon, Rennes (``hauteur``, ``hauteur_m``,
``circonference``, ``diametre_couronne``, ``diametre_houppier``, ``essence``, ``genre_bota``...)
and English names (``height``, ``crown_diameter``, ``species``).

Placeholders are missing values: ``"."``, ``"-"``, empty texts, 0, negative numbers and absurd ones
(a tree above :data:`MAX_HEIGHT_M`), and the 1900-01-01 / 1700-01-01 dates some inventories write
for "unknown".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

#: height in metres
HEIGHT_FIELDS = (
    "hauteur_m",
    "hauteurenm",
    "hauteur_en_m",
    "hauteur",
    "haut_m",
    "hauteur_arbre",
    "height_m",
    "height",
    "tree_height",
)
#: trunk circumference in centimetres (at 1.30 m)
CIRCUMFERENCE_FIELDS = (
    "circonf_cm",
    "circonferenceencm",
    "circonference_en_cm",
    "circonference_cm",
    "circonference",
    "circonf",
    "circumference_cm",
    "circumference",
)
#: crown diameter in metres
CROWN_FIELDS = (
    "diametre_couronne",
    "diametre_houppier",
    "diametre_couronne_m",
    "diametre_houppier_m",
    "diam_couronne",
    "diam_houppier",
    "houppier",
    "couronne",
    "crown_diameter",
    "crown_diameter_m",
    "crown_m",
)
#: the species as one text (scientific names first)
SPECIES_FIELDS = (
    "botanique",
    "nom_latin",
    "essence",
    "espece_latin",
    "species",
    "libellefrancais",
    "nom_vernaculaire",
    "vernaculai",
    "usuel",
    "espece",
)
#: the genus alone (Paris ``genre``, Lyon ``genre_bota``)
GENUS_FIELDS = ("genre", "genre_bota", "genus")
#: the epithet alone, written after the genus (Paris ``espece``)
EPITHET_FIELDS = ("espece", "species_epithet")

#: names of the fields that say a points file is a tree inventory (detection)
TREE_FIELDS = frozenset(
    name
    for names in (
        HEIGHT_FIELDS[:3],
        CIRCUMFERENCE_FIELDS,
        CROWN_FIELDS,
        ("botanique", "essence", "genre_bota"),
    )
    for name in names
)

#: above this a height is a typing error, not a tree (metres; France's tallest are about 60 m)
MAX_HEIGHT_M = 60.0
#: above this a trunk circumference is a typing error (centimetres)
MAX_CIRCUMFERENCE_CM = 1500.0
#: above this a crown diameter is a typing error (metres)
MAX_CROWN_M = 40.0
#: texts that mean "unknown"
PLACEHOLDER_TEXTS = frozenset({"", ".", "-", "?", "/", "0", "nc", "n/a", "na", "inconnu", "non renseigné"})


def find_field(columns: Iterable[object], names: Sequence[str]) -> str | None:
    """The first column of ``columns`` named like one of ``names`` (in their order), case ignored;
    a prefix before a dot is ignored too (``fields.hauteurenm`` of a flattened Opendatasoft dump),
    then a dataset's prefix before an underscore (``arbres_hauteurenm`` of Paris' remarkable trees,
    whose records join two datasets)."""
    columns = list(columns)
    by_lower: dict[str, str] = {}
    for column in columns:
        by_lower.setdefault(str(column).lower(), str(column))
    for column in columns:
        by_lower.setdefault(str(column).lower().rsplit(".", 1)[-1], str(column))
    for column in columns:
        by_lower.setdefault(_unprefixed(column), str(column))
    for name in names:
        if name in by_lower:
            return by_lower[name]
    return None


def is_tree_inventory(fields: Iterable[object]) -> bool:
    """Whether ``fields`` hold a field only tree inventories have."""
    return any(
        str(f).lower().rsplit(".", 1)[-1] in TREE_FIELDS or _unprefixed(f) in TREE_FIELDS for f in fields
    )


def _unprefixed(column: object) -> str:
    """``column`` lower-cased without a dot's prefix nor the word before its first underscore."""
    return str(column).lower().rsplit(".", 1)[-1].split("_", 1)[-1]


def numbers(column: pd.Series | None, n: int, maximum: float) -> np.ndarray:
    """(n,) float64 of ``column`` with placeholders as NaN: texts without a number (``"."``),
    zero, negative values and values above ``maximum``; a class written as text (``"10 à 15 m"``)
    is the middle of its bounds. A missing column gives all NaN."""
    import pandas as pd

    if column is None:
        return np.full(n, np.nan)
    column = column.reset_index(drop=True)
    if column.dtype == object or pd.api.types.is_string_dtype(column):
        text = column.astype("string").str.strip().str.replace(",", ".", regex=False)
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        # a class written as text ("10 à 15 m", "5-10m", "moins de 5 m"): the middle of its bounds
        classes = text.str.extractall(r"(\d+(?:\.\d+)?)")[0].astype(float).groupby(level=0).mean()
        in_class = np.isnan(values) & np.isin(np.arange(n), classes.index.to_numpy())
        if in_class.any():
            values[in_class] = classes.reindex(np.flatnonzero(in_class)).to_numpy(dtype=float)
    else:
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.where((values > 0) & (values <= maximum), values, np.nan)


def texts(column: pd.Series | None, n: int) -> np.ndarray:
    """(n,) object array of stripped texts, ``None`` for nulls and placeholders (``"."``)."""

    if column is None:
        return np.full(n, None, dtype=object)
    text = column.astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    known = text.notna() & ~text.str.lower().isin(PLACEHOLDER_TEXTS)
    out = np.array(text.astype(object).where(text.notna(), None), dtype=object)
    out[~known.to_numpy(dtype=bool, na_value=False)] = None
    return out


def species_of(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(n,) species names and (n,) genera (capitalised, e.g. ``"Platanus"``), ``None`` where unknown.

    The species is the first species field with a text; a Paris-style pair (``genre`` +
    ``espece``) is joined. The genus is the genus field, else the first word of a scientific name.
    """
    import pandas as pd

    n = len(frame)
    species = np.full(n, None, dtype=object)
    genus_field = find_field(frame.columns, GENUS_FIELDS)
    genus = texts(frame[genus_field] if genus_field else None, n)
    epithet_field = find_field(frame.columns, EPITHET_FIELDS)
    if genus_field and epithet_field:
        epithet = texts(frame[epithet_field], n)
        joined = [f"{g} {e}" if g and e else g for g, e in zip(genus, epithet)]
        species = np.asarray(joined, dtype=object)
    for name in SPECIES_FIELDS:
        field = find_field(frame.columns, (name,))
        if field is None or field == epithet_field:
            continue
        values = texts(frame[field], n)
        species = np.where(pd.isna(species), values, species)
    first_word = np.asarray(
        [s.split(" ")[0].capitalize() if isinstance(s, str) else None for s in species], dtype=object
    )
    genus = np.asarray([g.capitalize() if isinstance(g, str) else None for g in genus], dtype=object)
    return species, np.where(pd.isna(genus), first_word, genus)


#: dates on or before this year are an inventory's "unknown" (1900-01-01, 1700-01-01)
PLACEHOLDER_YEAR = 1900
#: the same dates written as text (``1900-01-01``, ``1700-01-01T00:09:21+00:00``)
PLACEHOLDER_DATE_TEXT = r"^(1[0-8]\d\d|1900)-01-01"


def without_placeholders(frame: Any, skip: str) -> tuple[Any, int]:
    """``frame`` with placeholder texts (``"."``) and placeholder dates (year ≤ 1900) as missing,
    so that the inspector shows nothing rather than a false value; and how many cells changed.
    ``skip``: the geometry column."""
    import pandas as pd

    frame = frame.copy()
    changed = 0
    for column in frame.columns:
        series = frame[column]
        if column == skip:
            continue
        if pd.api.types.is_datetime64_any_dtype(series):
            fake = series.notna() & (series.dt.year <= PLACEHOLDER_YEAR)
            if fake.any():
                frame[column] = series.mask(fake)
                changed += int(fake.sum())
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            text = series.astype("string").str.strip()
            fake = text.notna() & (text.isin([".", "-", "?", "/"]) | text.str.match(PLACEHOLDER_DATE_TEXT))
            fake = fake.to_numpy(dtype=bool, na_value=False)
            fake = fake | np.asarray(
                [isinstance(v, (date, datetime)) and v.year <= PLACEHOLDER_YEAR for v in series], dtype=bool
            )
            if fake.any():
                frame[column] = series.mask(fake)
                changed += int(fake.sum())
    return frame, changed
