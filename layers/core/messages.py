"""The model's words for people (layers' notes, the reasons of :class:`~layers.core.errors.InputError`),
in the interface's language.

The model writes English, and the command line prints it as it is. Each entry of :data:`FRENCH` is
the English pattern a message is made from, its variable parts named in braces (``{count}``), with
its French. :func:`word` finds the pattern a text was made from and writes the French, the numbers
the French way (``9,5``); a text no pattern matches comes back unchanged, in English (the fallback:
new notes show, untranslated, until they get an entry here).

The patterns cover what the window shows after opening the sample city and the real data the
project is tested on (``../shared/data``): notes in the layer panel and the most common reasons a
file cannot be opened.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .numbers import plain_numbers_in

if TYPE_CHECKING:
    from .errors import InputError

#: English pattern → French; ``{name}`` parts are copied across (numbers in the French way)
FRENCH: dict[str, str] = {
    # the planned project
    "Planned project": "Projet",
    # what Edit › Undo / Redo names (the labels of the session's commands)
    "edit the planned project": "modifier le projet",
    "add view": "ajouter une vue",
    "rename view": "renommer une vue",
    "move view": "déplacer une vue",
    "reorder views": "réordonner les vues",
    "delete view": "supprimer une vue",
    "add step": "ajouter une étape",
    "delete step": "supprimer une étape",
    "move step": "déplacer une étape",
    "edit step": "modifier une étape",
    "add comment": "ajouter un commentaire",
    "delete comment": "supprimer un commentaire",
    "name moment": "nommer un moment",
    "change": "modification",
    # measuring
    "an area needs at least three corners": "une surface demande au moins trois sommets",
    "sides {i} and {j} of the outline cross: no area can be measured": "les côtés {i} et {j} du contour "
    "se croisent : aucune surface ne peut être mesurée",
    # buildings
    "{count} buildings had no usable height in {field} (missing, zero, negative or above {limit} m) "
    "and were given {default} m ({examples})": "{count} bâtiments sans hauteur utilisable dans {field} "
    "(absente, nulle, négative ou au-dessus de {limit} m) ont reçu {default} m ({examples})",
    "{count} city objects that are not buildings were left out ({listed})": "{count} objets de la "
    "maquette qui ne sont pas des bâtiments ont été laissés de côté ({listed})",
    "cannot colour by {field}: no such field": "impossible de colorer selon {field} : ce champ n'existe pas",
    "no geometry": "sans géométrie",
    "unreadable geometry": "géométrie illisible",
    "not a polygon": "pas un polygone",
    "no area": "surface nulle",
    "not a building: {what}": "pas un bâtiment : {what}",
    "of another theme (another layer of this file)": "d'un autre thème (une autre couche de ce fichier)",
    "no height field found: every building is {height} m high (choose the field with the height_field "
    "option)": "aucun champ de hauteur : chaque bâtiment a {height} m de haut (choisissez le champ avec "
    "l'option height_field)",
    "a document that comes with the data (not data itself)": "un document qui accompagne les données "
    "(pas une donnée)",
    # OpenStreetMap extracts: why a feature is not drawn
    "under the ground (tunnel, layer below 0)": "sous terre (tunnel, niveau sous 0)",
    "coastline (a line: the sea is not drawn from it)": "trait de côte (une ligne : la mer n'en est "
    "pas tirée)",
    "coastline (drawn as the sea it bounds)": "trait de côte (dessiné comme la mer qu'il borde)",
    "not a map feature Maquette draws": "pas un élément de carte que Maquette dessine",
    "road area (roads are drawn as lines)": "surface de voirie (les routes sont dessinées en lignes)",
    "not built (proposed, abandoned or razed)": "non bâti (projeté, abandonné ou démoli)",
    "no geometry (members not in the extract)": "sans géométrie (membres absents de l'extrait)",
    "outline of a building drawn by its parts (building:part)": "contour d'un bâtiment dessiné par ses "
    "parties (building:part)",
    # reference-map themes (BD TOPO), shapefiles without their attribute table
    "{name}: the shapefile's .dbf attribute table is missing: read as geometry only (no attributes: "
    "heights, widths and names take their defaults)": "{name} : la table attributaire .dbf du shapefile "
    "manque : lu comme géométrie seule (sans attributs : hauteurs, largeurs et noms prennent leur "
    "valeur par défaut)",
    "points (not drawn as a theme of the map)": "points (non dessinés comme thème de la carte)",
    "polygon without area": "polygone sans surface",
    "empty geometry": "géométrie vide",
    "geometry collection (not drawn)": "collection de géométries (non dessinée)",
    "is not a theme of a reference map (BD TOPO)": "n'est pas un thème d'une carte de référence (BD TOPO)",
    "name the theme with the theme option: {themes}": "nommez le thème avec l'option theme : {themes}",
    "no such topographic theme": "ce thème topographique n'existe pas",
    # vector data
    "{count} invalid polygons repaired": "{count} polygones invalides réparés",
    "{name} has no .cpg file saying its text encoding: read as {encoding} (guessed from its bytes; "
    "give another with the encoding option if accents look wrong)": "{name} n'a pas de fichier .cpg "
    "qui dise son encodage : lu en {encoding} (deviné d'après ses octets ; donnez-en un autre avec "
    "l'option encoding si les accents sont faux)",
    "{name} declares no CRS; its coordinates look like degrees, read as EPSG:4326 (WGS 84)": "{name} "
    "ne déclare pas de système de coordonnées ; ses coordonnées ressemblent à des degrés, lues en "
    "EPSG:4326 (WGS 84)",
    "{name} contains polygon(s) with rings with invalid winding order. Autocorrecting them, but that "
    "shapefile should be corrected using ogr2ogr for example.": "{name} contient des polygones dont "
    "les anneaux tournent dans le mauvais sens : corrigés à la lecture (le fichier peut être réparé "
    "avec ogr2ogr, par exemple).",
    "columns {x}/{y} hold degrees: read as longitude/latitude (WGS84)": "les colonnes {x}/{y} "
    "contiennent des degrés : lues comme longitude/latitude (WGS84)",
    # trees
    "{count} trees without height: from the trunk circumference's size class": "{count} arbres sans "
    "hauteur : d'après la classe de circonférence de leur tronc",
    "{count} trees without height: the usual height of its genus": "{count} arbres sans hauteur : la "
    "hauteur habituelle de leur genre",
    "{count} trees without height: {default} m, the default for a street tree": "{count} arbres sans "
    "hauteur : {default} m, la valeur par défaut d'un arbre d'alignement",
    "{count} trees without crown diameter: from its height (× {ratio}, or its genus' ratio)": "{count} "
    "arbres sans diamètre de houppier : d'après leur hauteur (× {ratio}, ou le rapport de leur genre)",
    "1 tree without height: from the trunk circumference's size class": "1 arbre sans hauteur : "
    "d'après la classe de circonférence de son tronc",
    "1 tree without height: the usual height of its genus": "1 arbre sans hauteur : la hauteur "
    "habituelle de son genre",
    "1 tree without height: {default} m, the default for a street tree": "1 arbre sans hauteur : "
    "{default} m, la valeur par défaut d'un arbre d'alignement",
    "1 tree without crown diameter: from its height (× {ratio}, or its genus' ratio)": "1 arbre sans "
    "diamètre de houppier : d'après sa hauteur (× {ratio}, ou le rapport de son genre)",
    "{count} features left out: not a point": "{count} entités laissées de côté : pas un point",
    "{count} features left out: no geometry": "{count} entités laissées de côté : sans géométrie",
    # Opendatasoft exports, noise maps
    "{name}: {count} row was skipped: its geometry is unreadable ({listed})": "{name} : {count} ligne "
    "laissée de côté, sa géométrie est illisible ({listed})",
    "{name}: {count} rows were skipped: their geometry is unreadable ({listed})": "{name} : {count} "
    "lignes laissées de côté, leur géométrie est illisible ({listed})",
    "none of its rows has a readable geometry ({where})": "aucune de ses lignes n'a de géométrie "
    "lisible ({where})",
    "is neither GeoJSON nor an Opendatasoft JSON export{why}": "n'est ni du GeoJSON ni un export JSON "
    "Opendatasoft{why}",
    "{count} zones with a band not understood ({examples}) left out": "{count} zones dont la bande "
    "n'est pas comprise ({examples}) laissées de côté",
    "band not understood: {value}": "bande non comprise : {value}",
    'an Opendatasoft export writes geo_point_2d as "lat, lon" and geo_shape as GeoJSON': "un export "
    "Opendatasoft écrit geo_point_2d en « lat, lon » et geo_shape en GeoJSON",
    "is an Opendatasoft export without geometry (no geometry, geo_shape, geo_point_2d nor geom_x_y in "
    "its records)": "est un export Opendatasoft sans géométrie (ni geometry, ni geo_shape, ni "
    "geo_point_2d, ni geom_x_y dans ses enregistrements)",
    "export the dataset again with its geographic columns": "exportez de nouveau le jeu de données avec "
    "ses colonnes géographiques",
    # streets
    "no traffic field found (expected TMJA, AADF, trafic, debit...): streets drawn without flows": "aucun "
    "champ de trafic (TMJA, AADF, trafic, debit…) : rues dessinées sans flux",
    # LiDAR tiles and canopy
    "{count} tile(s) of {size} px in all read at 1/{factor} resolution ({pixel} m pixels)": "{count} "
    "dalle(s) de {size} px en tout lues à 1/{factor} de leur résolution (pixels de {pixel} m)",
    "tiles of different resolutions resampled to the finest ({res} m)": "dalles de résolutions "
    "différentes rééchantillonnées à la plus fine ({res} m)",
    "{count} tile(s) outside {area} left out": "{count} dalle(s) hors de {area} laissée(s) de côté",
    "nodata": "sans donnée",
    "ground (height below 0 m)": "sol (hauteur sous 0 m)",
    "low vegetation or ground (below the minimum height)": "végétation basse ou sol (sous la hauteur "
    "minimale)",
    "under a building": "sous un bâtiment",
    "flat like a roof (no building footprints)": "plat comme un toit (pas d'emprises de bâtiments)",
    # sensors
    "{count} readings share a time and a sensor with another one: averaged": "{count} mesures ont la "
    "même heure et le même capteur qu'une autre : moyennées",
    "names and missing positions taken from {file} (same folder), joined on {field}": "noms et "
    "positions manquantes pris dans {file} (même dossier), joints sur {field}",
    "locations taken from {file} (same folder), joined on {field}": "positions prises dans {file} "
    "(même dossier), jointes sur {field}",
    "{column} shown; other columns that could be shown: {others} (choose with value=...)": "{column} "
    "affiché ; autres colonnes possibles : {others} (à choisir avec value=…)",
    "a typical day (hours of the day, no dates): replayed on whatever day the clock shows": "une "
    "journée type (heures du jour, sans date) : rejouée le jour que montre l'horloge",
    # terrain, rasters
    "{count} spot heights (field {field}) interpolated onto a {step} m grid": "{count} points cotés "
    "(champ {field}) interpolés sur une grille de {step} m",
    "rendered colour image ({bands} bands, 8-bit): shown as an image overlay, its colours are not "
    "measurements": "image déjà colorée ({bands} bandes, 8 bits) : montrée comme une image, ses "
    "couleurs ne sont pas des mesures",
    # credit lines of the data
    "Source: {source}": "Source : {source}",
    "© OpenStreetMap contributors": "© les contributeurs d'OpenStreetMap",
    # reasons a file cannot be opened (InputError message, then its hint)
    "unknown file type {suffix}": "type de fichier inconnu {suffix}",
    "expected GeoJSON, Shapefile, GeoPackage, FlatGeobuf, GeoParquet, CSV, GeoTIFF, CityJSON, CityGML "
    "or a GTFS zip": "attendu : GeoJSON, Shapefile, GeoPackage, FlatGeobuf, GeoParquet, CSV, GeoTIFF, "
    "CityJSON, CityGML ou un zip GTFS",
    "the shapefile's .dbf attribute table is missing": "la table attributaire .dbf du shapefile manque",
    "a shapefile needs its .shp, .shx and .dbf side by side": "un shapefile a besoin de ses .shp, .shx "
    "et .dbf côte à côte",
    "is not readable as {format}": "n'est pas lisible comme {format}",
    "damaged file or wrong extension? open the original, or give the file its real extension": "fichier "
    "abîmé ou mauvaise extension ? ouvrez l'original, ou donnez au fichier sa vraie extension",
    "is the schema GDAL wrote beside {name}, not data": "est le schéma que GDAL a écrit à côté de "
    "{name}, pas des données",
    "open the .gml file": "ouvrez le fichier .gml",
    "has no geometry: no WKT column ({columns}) and no coordinate columns (lon/lat, x/y)": "n'a pas de "
    "géométrie : pas de colonne WKT ({columns}) ni de colonnes de coordonnées (lon/lat, x/y)",
    "its columns are: {columns}; a table of readings also needs a time column": "ses colonnes sont : "
    "{columns} ; une table de mesures a aussi besoin d'une colonne de temps",
    "the sensors have no coordinates": "les capteurs n'ont pas de coordonnées",
    "the file is empty": "le fichier est vide",
    "no such file": "ce fichier n'existe pas",
    # a new model from a folder of downloads (files not used, the area)
    "empty in {area}": "vide dans {area}",
    "the box {box} ({crs})": "le rectangle {box} ({crs})",
    "a project file (open it, it is not data of a new model)": "un fichier de projet (ouvrez-le : ce ne "
    "sont pas des données pour une nouvelle maquette)",
    "could not be opened": "n'a pas pu être ouvert",
    # a prepared store (layers/store: maquette prepare, opened in the view)
    "is not a Maquette store (no store.json)": "n'est pas un dossier préparé par Maquette (pas de "
    "store.json)",
    "prepare it with maquette prepare": "préparez-le avec maquette prepare",
    "is not a Maquette store (store.json of another kind)": "n'est pas un dossier préparé par Maquette "
    "(store.json d'un autre type)",
    "is an incomplete store (its preparation did not finish)": "est un dossier préparé incomplet (sa "
    "préparation ne s'est pas terminée)",
    "run the same maquette prepare again": "relancez la même commande maquette prepare",
    "is a store of version {version}, newer than this Maquette reads": "est un dossier préparé en "
    "version {version}, plus récente que ce que cette version de Maquette sait lire",
    "its store.json cannot be read ({detail})": "son store.json ne peut pas être lu ({detail})",
    "the store description has no {key}": "la description du dossier préparé n'a pas de {key}",
    "cannot read the store's tile index: {detail}": "l'index des tuiles du dossier préparé ne peut pas "
    "être lu : {detail}",
    "the tile index lacks {names}": "il manque à l'index des tuiles : {names}",
    # the 3D Tiles export (layers/tiles3d) and its folder
    "3D Tiles export needs buildings in a projected CRS in metres": "l'export 3D Tiles demande des "
    "bâtiments dans un système de coordonnées projeté, en mètres",
    "cannot write: it is a file, not a folder": "écriture impossible : c'est un fichier, pas un dossier",
    "cannot write: the folder is not empty and holds no {marker}": "écriture impossible : le dossier "
    "n'est pas vide et ne contient pas de {marker}",
    "cannot write there: it holds an input of the export": "écriture impossible : ce dossier contient "
    "une donnée de l'export",
    "no buildings to write": "aucun bâtiment à écrire",
    "the CesiumJS build was not found": "CesiumJS est introuvable",
    # the offline 3D Tiles viewer page (layers/web)
    "3D model (3D Tiles)": "Maquette 3D (3D Tiles)",
    "Click a building to see its data. Drag to turn, scroll to zoom.": "Cliquez sur un bâtiment pour "
    "voir ses données. Faites glisser pour tourner, la molette pour zoomer.",
    "Loading the buildings…": "Chargement des bâtiments…",
    "The buildings could not be loaded": "Les bâtiments n'ont pas pu être chargés",
    "Building": "Bâtiment",
    "Data attribution": "Sources des données",
    "Identifier": "Identifiant",
    "Height": "Hauteur",
    "Usage": "Usage",
    # the story as a web page (layers/web/story_page.py, maquette publish)
    "Previous": "Précédent",
    "Next": "Suivant",
    "Steps": "Étapes",
    "Step {n} of {total}": "Étape {n} sur {total}",
    "Legend": "Légende",
    "Credits": "Crédits",
    "Back to this step's view": "Revenir à la vue de l'étape",
    "Hide the text": "Masquer le texte",
    "Show the text": "Afficher le texte",
    "Keys ← and → go through the steps; drag to turn, pinch or scroll to zoom.": "Les touches ← et → "
    "font passer d'une étape à l'autre ; faites glisser pour tourner, pincez ou utilisez la molette "
    "pour zoomer.",
    "Open this page from a web host or a local server (python3 -m http.server in its folder): opened "
    "from the disk, the browser does not let it read its 3D files.": "Ouvrez cette page depuis un "
    "hébergement web ou un serveur local (python3 -m http.server dans son dossier) : ouverte depuis le "
    "disque, le navigateur l'empêche de lire ses fichiers 3D.",
    "3D view of the story": "Vue 3D du récit",
    "the project has no story to publish": "le projet n'a pas de récit à publier",
    "the story page needs a scene in a projected CRS in metres": "la page du récit demande une scène "
    "dans un système de coordonnées projeté en mètres",
    "the scene has no buildings to publish": "la scène n'a aucun bâtiment à publier",
    # what a click on a far block of a prepared store shows
    "merged block": "bloc fusionné",
    "built-up block of {cell} m": "bloc bâti de {cell} m",
}
#: the words around the parts of an :class:`InputError`'s line
FRENCH_PARTS = {"feature": "objet", "field": "champ"}


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """(compiled English pattern, French), the longest patterns first (the most specific)."""
    compiled = []
    for english, french in FRENCH.items():
        pieces = re.split(r"\{(\w+)\}", english)
        regex = "".join(
            re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>.+?)" for i, piece in enumerate(pieces)
        )
        compiled.append((re.compile(regex + r"\Z", re.DOTALL), french))
    return sorted(compiled, key=lambda pair: -len(pair[0].pattern))


def word(text: str, language: str = "fr") -> str:
    """``text`` (English, as the model wrote it) in ``language``; unchanged when English or when no
    pattern of the catalogue matches it."""
    if language != "fr" or not text:
        return text
    for pattern, french in _patterns():
        found = pattern.match(text)
        if found is not None:
            values = {name: plain_numbers_in(value, language) for name, value in found.groupdict().items()}
            return french.format(**values)
    return text


def error_line(error: InputError, language: str = "fr") -> str:
    """:meth:`InputError.one_line` in ``language``: the message and its hint through :func:`word`."""
    if language != "fr":
        return error.one_line()
    where = []
    if error.feature is not None:
        where.append(f"{FRENCH_PARTS['feature']} {error.feature}")
    if error.field is not None:
        where.append(f"{FRENCH_PARTS['field']} {error.field!r}")
    text = word(" ".join(error.message.rstrip(". ").split()), language)
    if where:
        text = ", ".join(where) + " : " + text
    if error.path is not None:
        text = f"{error.path} : {text}"
    if error.hint:
        text += f" ({word(' '.join(error.hint.split()), language)})"
    return text
