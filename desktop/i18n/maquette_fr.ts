<?xml version='1.0' encoding='UTF-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name />
    <message>
        <source>Automatic</source>
        <extracomment>(label, matplotlib colormap name or None for the quantity's own)</extracomment>
        <translation>Automatique</translation>
    </message>
    <message>
        <source>Blue → red (turbo)</source>
        <translation>Bleu → rouge (turbo)</translation>
    </message>
    <message>
        <source>Blue → red, pale middle</source>
        <translation>Bleu → rouge, milieu pâle</translation>
    </message>
    <message>
        <source>Yellow → blue (counts)</source>
        <translation>Jaune → bleu (comptages)</translation>
    </message>
    <message>
        <source>Viridis</source>
        <translation>Viridis</translation>
    </message>
    <message>
        <source>Magma (noise)</source>
        <translation>Magma (bruit)</translation>
    </message>
    <message>
        <source>1 min/s</source>
        <extracomment>(label, simulated seconds per real second)</extracomment>
        <translation>1 min/s</translation>
    </message>
    <message>
        <source>10 min/s</source>
        <translation>10 min/s</translation>
    </message>
    <message>
        <source>1 h/s</source>
        <translation>1 h/s</translation>
    </message>
    <message>
        <source>6 h/s</source>
        <translation>6 h/s</translation>
    </message>
    <message>
        <source>1 day/s</source>
        <translation>1 jour/s</translation>
    </message>
    <message>
        <source>1 week/s</source>
        <translation>1 semaine/s</translation>
    </message>
    <message>
        <source>Moments…</source>
        <extracomment>target interval between animation frames, milliseconds zones offered by the zone menu (the scene's own is always listed first)</extracomment>
        <translation>Moments…</translation>
    </message>
    <message>
        <source>buildings</source>
        <extracomment>kind → its name in the list (translated where shown)</extracomment>
        <translation>bâtiments</translation>
    </message>
    <message>
        <source>areas</source>
        <translation>surfaces</translation>
    </message>
    <message>
        <source>streets</source>
        <translation>voirie</translation>
    </message>
    <message>
        <source>noise</source>
        <translation>bruit</translation>
    </message>
    <message>
        <source>heat</source>
        <translation>chaleur</translation>
    </message>
    <message>
        <source>raster</source>
        <translation>raster</translation>
    </message>
    <message>
        <source>terrain</source>
        <translation>relief</translation>
    </message>
    <message>
        <source>sensors</source>
        <translation>capteurs</translation>
    </message>
    <message>
        <source>transit</source>
        <translation>transports</translation>
    </message>
    <message>
        <source>sunlight</source>
        <translation>ensoleillement</translation>
    </message>
    <message>
        <source>basemap</source>
        <translation>fond de plan</translation>
    </message>
<message>
        <source>map</source>
        <translation>carte</translation>
    </message>
    <message>
        <source>canopy</source>
        <translation>canopée</translation>
    </message>
    <message>
        <source>trees</source>
        <translation>arbres</translation>
    </message>
    <message>
        <source>prepared buildings</source>
        <translation>bâtiments préparés</translation>
    </message>
    </context>
<context>
    <name>BuildingsControls</name>
    <message>
        <source>Every feature of the file is shown.</source>
        <extracomment>categories listed in the filter at most</extracomment>
        <translation>Tous les objets du fichier sont affichés.</translation>
    </message>
    <message>
        <source>Uniform colour</source>
        <translation>Couleur unie</translation>
    </message>
    <message>
        <source>{} (categories)</source>
        <translation>{} (catégories)</translation>
    </message>
    <message>
        <source>Attribute that colours the buildings (with a legend)</source>
        <translation>Attribut qui colore les bâtiments (avec une légende)</translation>
    </message>
    <message>
        <source>Colour by</source>
        <translation>Colorer selon</translation>
    </message>
    <message>
        <source>No filter</source>
        <translation>Aucun filtre</translation>
    </message>
    <message>
        <source>Show only the buildings whose attribute is in a range or among chosen categories</source>
        <translation>N'afficher que les bâtiments dont l'attribut est dans un intervalle ou parmi des catégories choisies</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filtre</translation>
    </message>
    <message>
        <source>From / to</source>
        <translation>De / à</translation>
    </message>
    <message>
        <source>Hide the others</source>
        <translation>Masquer les autres</translation>
    </message>
    <message>
        <source>Grey out the others</source>
        <translation>Griser les autres</translation>
    </message>
    <message>
        <source>Filtered out</source>
        <translation>Bâtiments exclus</translation>
    </message>
    <message>
        <source>min {}</source>
        <translation>min {}</translation>
    </message>
    <message>
        <source>max {}</source>
        <translation>max {}</translation>
    </message>
    <message>
        <source>{shown} of {total} buildings pass: {what}</source>
        <translation>{shown} bâtiments sur {total} retenus : {what}</translation>
    </message>
    <message>
        <source>{} shown</source>
        <translation>{} affichés</translation>
    </message>
    <message>
        <source>{} left out</source>
        <translation>{} laissés de côté</translation>
    </message>
    <message>
        <source>left out, {reason}: {count}</source>
        <translation>laissés de côté, {reason} : {count}</translation>
    </message>
    <message>
        <source>{} repaired</source>
        <translation>{} réparés</translation>
    </message>
    <message>
        <source>repaired: {}</source>
        <translation>réparés : {}</translation>
    </message>
    <message>
        <source>{} heights defaulted</source>
        <translation>{} hauteurs par défaut</translation>
    </message>
    <message>
        <source>heights defaulted: {}</source>
        <translation>hauteurs par défaut : {}</translation>
    </message>
    <message>
        <source>{shown} of {total} shown</source>
        <translation>{shown} sur {total} affichés</translation>
    </message>
</context>
<context>
    <name>BurnInBox</name>
    <message>
        <source>Burned in</source>
        <translation>Incrustations</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Legends of the visible layers</source>
        <translation>Légendes des couches visibles</translation>
    </message>
    <message>
        <source>Scale bar</source>
        <translation>Échelle</translation>
    </message>
    <message>
        <source>North arrow</source>
        <translation>Flèche du nord</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>Date et heure</translation>
    </message>
    <message>
        <source>Credits</source>
        <translation>Sources</translation>
    </message>
    <message>
        <source>Source : … (the data sources shown)</source>
        <translation>Source : … (les sources des données affichées)</translation>
    </message>
    <message>
        <source>Story captions</source>
        <translation>Légendes du récit</translation>
    </message>
    <message>
        <source>Pinned comments ({})</source>
        <translation>Commentaires épinglés ({})</translation>
    </message>
</context>
<context>
    <name>CRSDialog</name>
    <message>
        <source>Coordinate reference system</source>
        <translation>Système de coordonnées</translation>
    </message>
    <message>
        <source>this file</source>
        <translation>ce fichier</translation>
    </message>
    <message>
        <source>{name} does not say in which coordinate reference system (CRS) its coordinates are. Choose it, or type a code such as EPSG:2154.</source>
        <translation>{name} ne dit pas dans quel système de coordonnées (SCR) sont ses coordonnées. Choisissez-le, ou tapez un code comme EPSG:2154.</translation>
    </message>
    <message>
        <source>fits the coordinates</source>
        <translation>correspond aux coordonnées</translation>
    </message>
    <message>
        <source>{} is not a CRS (expected e.g. EPSG:2154)</source>
        <translation>{} n'est pas un système de coordonnées (attendu : par exemple EPSG:2154)</translation>
    </message>
</context>
<context>
    <name>CameraController</name>
    <message>
        <source>View {}</source>
        <extracomment>interval between the frames of a flight, ms</extracomment>
        <translation>Vue {}</translation>
    </message>
    <message>
        <source>Save view</source>
        <translation>Enregistrer la vue</translation>
    </message>
    <message>
        <source>Name of the view:</source>
        <translation>Nom de la vue :</translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <source>Click a sensor in the 3D view to chart its readings.</source>
        <extracomment>at most this many sensors at once (the oldest selected is dropped) a series is drawn from an aggregated level beyond this many readings</extracomment>
        <translation>Cliquez sur un capteur dans la vue 3D pour tracer ses mesures.</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>Remove every series from the chart</source>
        <translation>Retirer toutes les séries du graphique</translation>
    </message>
    <message>
        <source>sensor(s)</source>
        <translation>capteur(s)</translation>
    </message>
</context>
<context>
    <name>CommentForm</name>
    <message>
        <source>What does the participant say?</source>
        <translation>Que dit le participant ?</translation>
    </message>
    <message>
        <source>Concern</source>
        <translation>Inquiétude</translation>
    </message>
    <message>
        <source>Idea</source>
        <translation>Idée</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <source>In a few words</source>
        <translation>En quelques mots</translation>
    </message>
    <message>
        <source>Group (optional: residents, parents, shopkeepers…) — no personal names</source>
        <translation>Groupe (facultatif : riverains, parents, commerçants…) — pas de nom de personne</translation>
    </message>
    <message>
        <source>Pin the comment</source>
        <translation>Épingler le commentaire</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Type a few words first</source>
        <translation>Écrivez d'abord quelques mots</translation>
    </message>
</context>
<context>
    <name>CommentsPanel</name>
    <message>
        <source>Add a comment (C)</source>
        <translation>Ajouter un commentaire (C)</translation>
    </message>
    <message>
        <source>Then click on the model where the participant points</source>
        <translation>Puis cliquez sur la maquette à l'endroit que montre le participant</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <source>GeoJSON or CSV, with scene and WGS84 coordinates</source>
        <translation>GeoJSON ou CSV, avec les coordonnées de la scène et en WGS84</translation>
    </message>
</context>
<context>
    <name>DataQuestions</name>
    <message>
        <source>{} and {} other files</source>
        <translation>{} et {} autres fichiers</translation>
    </message>
    <message>
        <source>Data from another place</source>
        <translation>Données d’un autre lieu</translation>
    </message>
    <message>
        <source>« {name} » lies {km} km from « {other} », already open.

Places this far apart are best seen in scenes of their own: one scene holding both is mostly empty ground between them, and it needs far more memory. Open it in its own scene (the scene open now is closed), or add it to this scene?</source>
        <translation>« {name} » se trouve à {km} km de « {other} », déjà ouvert.

Des lieux aussi éloignés se regardent mieux chacun dans sa propre scène : une scène qui contient les deux est surtout faite du vide qui les sépare, et elle demande bien plus de mémoire. L’ouvrir dans sa propre scène (la scène ouverte sera fermée), ou l’ajouter à cette scène ?</translation>
    </message>
    <message>
        <source>Open in its own scene</source>
        <translation>Ouvrir dans sa propre scène</translation>
    </message>
    <message>
        <source>Add to this scene</source>
        <translation>Ajouter à cette scène</translation>
    </message>
    <message>
        <source>Locate « {} »</source>
        <extracomment>file-name patterns offered for a sensors locations file project path → the outside files the user accepted in this session</extracomment>
        <translation>Retrouver « {} »</translation>
    </message>
    <message>
        <source>Sensors without positions</source>
        <translation>Capteurs sans position</translation>
    </message>
    <message>
        <source>« {name} » does not say where its sensors are ({hint}).

Choose a locations file (a table with lon/lat or x/y columns, or a point file) holding their ids?</source>
        <translation>« {name} » ne dit pas où sont ses capteurs ({hint}).

Choisir un fichier de positions (un tableau avec des colonnes lon/lat ou x/y, ou un fichier de points) qui contient leurs identifiants ?</translation>
    </message>
    <message>
        <source>Locations of the sensors</source>
        <translation>Positions des capteurs</translation>
    </message>
    <message>
        <source>Tables and points</source>
        <translation>Tableaux et points</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>Tous les fichiers</translation>
    </message>
</context>
<context>
    <name>ExportImageDialog</name>
    <message>
        <source>Export image</source>
        <extracomment>(label, (width, height), dpi written in the file) tiles drawn between two events while exporting (pixels a side): about a second each on a CPU</extracomment>
        <translation>Exporter une image</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Personnalisée</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>Annuler l'export</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>{} × {} px ({} Mpx)</source>
        <translation>{} × {} px ({} Mpx)</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>Export impossible</translation>
    </message>
    <message>
        <source>Image saved: {}</source>
        <translation>Image enregistrée : {}</translation>
    </message>
<message>
        <source>Both moments side by side</source>
        <translation>Les deux moments côte à côte</translation>
    </message>
    <message>
        <source>The two halves of the split view, each at its time, in one picture</source>
        <translation>Les deux moitiés de la vue partagée, chacune à son heure, dans une seule image</translation>
    </message>
    </context>
<context>
    <name>ExportMenu</name>
    <message>
        <source>E&amp;xport</source>
        <translation>E&amp;xporter</translation>
    </message>
    <message>
        <source>Image…</source>
        <translation>Image…</translation>
    </message>
    <message>
        <source>Video…</source>
        <translation>Vidéo…</translation>
    </message>
    <message>
        <source>3D model…</source>
        <translation>Modèle 3D…</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Données</translation>
    </message>
    <message>
        <source>Nothing to export: open data first.</source>
        <translation>Rien à exporter : ouvrez d'abord des données.</translation>
    </message>
    <message>
        <source>Export 3D model</source>
        <translation>Exporter le modèle 3D</translation>
    </message>
    <message>
        <source>Nothing visible to export.</source>
        <translation>Rien de visible à exporter.</translation>
    </message>
    <message>
        <source>Writing the 3D model…</source>
        <translation>Écriture du modèle 3D…</translation>
    </message>
    <message>
        <source>Exporting the 3D model…</source>
        <translation>Export du modèle 3D…</translation>
    </message>
    <message>
        <source>(nothing to export in the visible layers)</source>
        <translation>(rien à exporter dans les couches visibles)</translation>
    </message>
    <message>
        <source>Export data</source>
        <translation>Exporter des données</translation>
    </message>
    <message>
        <source>Writing {}…</source>
        <translation>Écriture de {}…</translation>
    </message>
    <message>
        <source>Exporting {}…</source>
        <translation>Export de {}…</translation>
    </message>
    <message>
        <source>Written: {}</source>
        <translation>Écrit : {}</translation>
    </message>
<message>
        <source>3D Tiles for the web…</source>
        <translation>3D Tiles pour le web…</translation>
    </message>
    <message>
        <source>Export 3D Tiles: an empty folder, or an earlier export</source>
        <translation>Exporter en 3D Tiles : un dossier vide, ou un export précédent</translation>
    </message>
    <message>
        <source>No visible buildings to export as 3D Tiles.</source>
        <translation>Aucun bâtiment visible à exporter en 3D Tiles.</translation>
    </message>
    <message>
        <source>Writing the 3D Tiles…</source>
        <translation>Écriture des 3D Tiles…</translation>
    </message>
    <message>
        <source>Exporting 3D Tiles…</source>
        <translation>Export des 3D Tiles…</translation>
    </message>
    <message>
        <source>Story as web page…</source>
        <translation>Récit en page web…</translation>
    </message>
    <message>
        <source>The story has no steps to publish.</source>
        <translation>Le récit n'a aucune étape à publier.</translation>
    </message>
    <message>
        <source>Story as web page: an empty folder, or an earlier one</source>
        <translation>Récit en page web : un dossier vide, ou une page précédente</translation>
    </message>
    <message>
        <source>Written: {} (too large to open from the disk: put the folder on a web host)</source>
        <translation>Écrit : {} (trop lourd pour s'ouvrir depuis le disque : mettez le dossier sur un hébergement web)</translation>
    </message>
    <message>
        <source>Writing the story page…</source>
        <translation>Écriture de la page du récit…</translation>
    </message>
    <message>
        <source>Exporting the story page…</source>
        <translation>Export de la page du récit…</translation>
    </message>
    </context>
<context>
    <name>ExportVideoDialog</name>
    <message>
        <source>Export video</source>
        <translation>Exporter une vidéo</translation>
    </message>
    <message>
        <source>Time replay</source>
        <translation>Rejeu dans le temps</translation>
    </message>
    <message>
        <source>The story ({} steps)</source>
        <translation>Le récit ({} étapes)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Démarrer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Au</translation>
    </message>
    <message>
        <source>Video length</source>
        <translation>Durée de la vidéo</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>Images par seconde</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>Export impossible</translation>
    </message>
    <message>
        <source>Frame {} of {} — about {:.0f} s left</source>
        <translation>Image {} sur {} — encore {:.0f} s environ</translation>
    </message>
    <message>
        <source>{} frames, {} s of video, written to {}</source>
        <translation>{} images, {} s de vidéo, enregistrées dans {}</translation>
    </message>
    <message>
        <source>Video saved: {}</source>
        <translation>Vidéo enregistrée : {}</translation>
    </message>
    <message>
        <source>Cancelled; the partial file was deleted.</source>
        <translation>Annulé ; le fichier incomplet a été supprimé.</translation>
    </message>
</context>
<context>
    <name>FilesController</name>
    <message>
        <source>The last camera of the project could not be read: not restored.</source>
        <translation>La dernière caméra du projet n'a pas pu être lue : elle n'est pas rétablie.</translation>
    </message>
    <message>
        <source>the sample city</source>
        <extracomment>file-name patterns of File &gt; Open (the dialog's filter names are translated where it opens)</extracomment>
        <translation>la ville exemple</translation>
    </message>
    <message>
        <source>Opening {}…</source>
        <translation>Ouverture de {}…</translation>
    </message>
    <message>
        <source>Reading {}…</source>
        <translation>Lecture de {}…</translation>
    </message>
    <message>
        <source>The story could not be read</source>
        <translation>Le récit n'a pas pu être lu</translation>
    </message>
    <message>
        <source>The views could not be read</source>
        <translation>Les vues n’ont pas pu être lues</translation>
    </message>
    <message>
        <source>Unsaved work recovered</source>
        <translation>Travail non enregistré récupéré</translation>
    </message>
    <message>
        <source>Maquette was closed without saving this project. Its state autosaved at {} was restored ({} comments). Save the project to keep it.</source>
        <translation>Maquette a été fermée sans enregistrer ce projet. Son état sauvegardé automatiquement à {} a été restauré ({} commentaires). Enregistrez le projet pour le garder.</translation>
    </message>
    <message>
        <source>Some layers could not be opened</source>
        <translation>Certaines couches n'ont pas pu être ouvertes</translation>
    </message>
    <message>
        <source>{} layers open.</source>
        <translation>{} couches ouvertes.</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Données</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>Tous les fichiers</translation>
    </message>
    <message>
        <source>Maquette project</source>
        <translation>Projet Maquette</translation>
    </message>
    <message>
        <source>Open data</source>
        <translation>Ouvrir des données</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>Ouvrir un projet</translation>
    </message>
    <message>
        <source>Save project</source>
        <translation>Enregistrer le projet</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>Enregistrement impossible</translation>
    </message>
    <message>
        <source>Saved {}</source>
        <translation>Enregistré : {}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message>
        <source>Save the current project before closing it?</source>
        <translation>Enregistrer le projet actuel avant de le fermer ?</translation>
    </message>
    <message>
        <source>Autosave failed: {}</source>
        <translation>Échec de l'enregistrement automatique : {}</translation>
    </message>
</context>
<context>
    <name>HeatControls</name>
    <message>
        <source>Diverging colours centred on {centre} °C, from {low} to {high} °C</source>
        <translation>Couleurs divergentes centrées sur {centre} °C, de {low} à {high} °C</translation>
    </message>
    <message>
        <source>Air temperature</source>
        <translation>Température de l'air</translation>
    </message>
    <message>
        <source>Heat island (difference to the reference)</source>
        <translation>Îlot de chaleur (écart à la référence)</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Afficher</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <source>The logger the heat island intensity is measured against (a rural or park site)</source>
        <translation>L'enregistreur par rapport auquel l'îlot de chaleur est mesuré (un site rural ou un parc)</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Référence</translation>
    </message>
    <message>
        <source>Show the loggers</source>
        <translation>Afficher les enregistreurs</translation>
    </message>
</context>
<context>
    <name>InspectorPanel</name>
    <message>
        <source>Click a building, a sensor or a stop to see its attributes.</source>
        <translation>Cliquez sur un bâtiment, un capteur ou un arrêt pour voir ses attributs.</translation>
    </message>
    <message>
        <source>Attribute</source>
        <translation>Attribut</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
</context>
<context>
    <name>LayerControls</name>
    <message>
        <source>Opacity of the layer</source>
        <translation>Opacité de la couche</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>Opacité</translation>
    </message>
    <message>
        <source>features</source>
        <translation>objets</translation>
    </message>
</context>
<context>
    <name>LayerPanel</name>
    <message>
        <source>Select a layer to see its options.</source>
        <translation>Sélectionnez une couche pour voir ses réglages.</translation>
    </message>
    <message>
        <source>planned</source>
        <translation>projet</translation>
    </message>
    <message>
        <source>Zoom to layer</source>
        <translation>Zoomer sur la couche</translation>
    </message>
    <message>
        <source>Remove layer</source>
        <translation>Retirer la couche</translation>
    </message>
    <message>
        <source>Mark as planned project</source>
        <translation>Marquer comme projet</translation>
    </message>
    <message>
        <source>Planned buildings: the sunlight study compares before / after</source>
        <translation>Bâtiments projetés : l'étude d'ensoleillement compare avant / après</translation>
    </message>
</context>
<context>
    <name>LegendPanel</name>
    <message>
        <source>The visible layers have no legend.</source>
        <translation>Les couches visibles n'ont pas de légende.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Map (2D)</source>
        <translation>Carte (2D)</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>Guide d'utilisation</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Couches</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Inspecteur</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>Légende</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Chronologie</translation>
    </message>
    <message>
        <source>Chart</source>
        <translation>Graphique</translation>
    </message>
    <message>
        <source>Cancel</source>
        <extracomment>the export dialog open now (kept alive while it is open)</extracomment>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Story</source>
        <translation>Récit</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Vues</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>Commentaires</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>Open data…</source>
        <translation>Ouvrir des données…</translation>
    </message>
    <message>
        <source>Open project…</source>
        <translation>Ouvrir un projet…</translation>
    </message>
    <message>
        <source>Open the sample city</source>
        <translation>Ouvrir la ville exemple</translation>
    </message>
    <message>
        <source>Save project</source>
        <translation>Enregistrer le projet</translation>
    </message>
    <message>
        <source>Save project as…</source>
        <translation>Enregistrer le projet sous…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>Whole scene</source>
        <translation>Toute la scène</translation>
    </message>
    <message>
        <source>Search a building…</source>
        <translation>Chercher un bâtiment…</translation>
    </message>
    <message>
        <source>Save current view…</source>
        <translation>Enregistrer la vue actuelle…</translation>
    </message>
    <message>
        <source>Go to view</source>
        <translation>Aller à la vue</translation>
    </message>
    <message>
        <source>&amp;Time</source>
        <translation>&amp;Temps</translation>
    </message>
    <message>
        <source>Play / pause</source>
        <translation>Lecture / pause</translation>
    </message>
    <message>
        <source>Step forward</source>
        <translation>Pas suivant</translation>
    </message>
    <message>
        <source>Step back</source>
        <translation>Pas précédent</translation>
    </message>
    <message>
        <source>&amp;Presentation</source>
        <translation>&amp;Présentation</translation>
    </message>
    <message>
        <source>Present the story</source>
        <translation>Présenter le récit</translation>
    </message>
    <message>
        <source>Present from the selected step</source>
        <translation>Présenter à partir de l'étape choisie</translation>
    </message>
    <message>
        <source>Audience screen</source>
        <translation>Écran du public</translation>
    </message>
    <message>
        <source>Add a comment</source>
        <translation>Ajouter un commentaire</translation>
    </message>
    <message>
        <source>Export comments…</source>
        <translation>Exporter les commentaires…</translation>
    </message>
    <message>
        <source>Before / after: swipe</source>
        <translation>Avant / après : volet</translation>
    </message>
    <message>
        <source>Before / after: switch</source>
        <translation>Avant / après : bascule</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;ide</translation>
    </message>
    <message>
        <source>About Maquette</source>
        <translation>À propos de Maquette</translation>
    </message>
    <message>
        <source>Interface language</source>
        <translation>Langue de l'interface</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>Celle du système</translation>
    </message>
    <message>
        <source>The interface will change language when Maquette starts again.</source>
        <translation>L'interface changera de langue au prochain démarrage de Maquette.</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Sans titre</translation>
    </message>
<message>
        <source>New model from open data…</source>
        <translation>Nouvelle maquette à partir de données ouvertes…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Rétablir</translation>
    </message>
    <message>
        <source>Undo {}</source>
        <translation>Annuler : {}</translation>
    </message>
    <message>
        <source>Redo {}</source>
        <translation>Rétablir : {}</translation>
    </message>
    <message>
        <source>Compare two moments</source>
        <translation>Comparer deux moments</translation>
    </message>
    </context>
<context>
    <name>MediationController</name>
    <message>
        <source>Step view</source>
        <extracomment>a comment is flown to from this far, metres the swipe bar is grabbed this close to it, pixels</extracomment>
        <translation>Vue de l'étape</translation>
    </message>
    <message>
        <source>Step {}</source>
        <translation>Étape {}</translation>
    </message>
    <message>
        <source>Automatic (the projector when there are two screens)</source>
        <translation>Automatique (le projecteur quand il y a deux écrans)</translation>
    </message>
    <message>
        <source>Click on the model where the participant points (Esc cancels).</source>
        <translation>Cliquez sur la maquette à l'endroit que montre le participant (Échap annule).</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Commentaire</translation>
    </message>
    <message>
        <source>Export comments</source>
        <translation>Exporter les commentaires</translation>
    </message>
    <message>
        <source>There is no comment to export yet.</source>
        <translation>Il n'y a pas encore de commentaire à exporter.</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>Export impossible</translation>
    </message>
    <message>
        <source>{} comments exported to {}</source>
        <translation>{} commentaires exportés dans {}</translation>
    </message>
    <message>
        <source>Before / after needs the existing buildings and a proposed project layer.</source>
        <translation>Avant / après demande les bâtiments existants et une couche de projet.</translation>
    </message>
    <message>
        <source>Drag the white bar to compare; Ctrl+B again to stop.</source>
        <translation>Faites glisser la barre blanche pour comparer ; Ctrl+B à nouveau pour arrêter.</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>{} files could not be opened:</source>
        <extracomment>what a message box lists at most</extracomment>
        <translation>{} fichiers n'ont pas pu être ouverts :</translation>
    </message>
    <message>
        <source>… and {} more</source>
        <translation>… et {} autres</translation>
    </message>
    <message>
        <source>Cannot open this data</source>
        <translation>Impossible d'ouvrir ces données</translation>
    </message>
    <message>
        <source>Nothing was changed in the current scene. Each line names the file, what is wrong with it and, in brackets, what to do.</source>
        <translation>Rien n'a changé dans la scène actuelle. Chaque ligne nomme le fichier, ce qui ne va pas et, entre parenthèses, quoi faire.</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>Erreur inattendue</translation>
    </message>
    <message>
        <source>Your work is still here. Please report this error with the details below.</source>
        <translation>Votre travail est toujours là. Merci de signaler cette erreur avec les détails ci-dessous.</translation>
    </message>
    <message>
        <source>Cannot write the file</source>
        <translation>Écriture du fichier impossible</translation>
    </message>
</context>
<context>
    <name>MissingDataBox</name>
    <message>
        <source>Data not found</source>
        <translation>Données introuvables</translation>
    </message>
    <message>
        <source>The data of the layer « {} » is missing:
{}</source>
        <translation>Les données de la couche « {} » sont introuvables :
{}</translation>
    </message>
    <message>
        <source>Data unreadable</source>
        <translation>Données illisibles</translation>
    </message>
    <message>
        <source>The data of the layer « {} » cannot be read:
{}
{}</source>
        <translation>Les données de la couche « {} » ne peuvent pas être lues :
{}
{}</translation>
    </message>
    <message>
        <source>It may be damaged, cut short or not a data file. Locate a good copy (the project will point at it), remove the layer from the project, or skip it for now (the layer stays in the project).</source>
        <translation>Le fichier est peut-être abîmé, tronqué ou n'est pas un fichier de données. Indiquez une bonne copie (le projet pointera vers elle), retirez la couche du projet, ou passez pour l'instant (la couche reste dans le projet).</translation>
    </message>
    <message>
        <source> ({} more missing layers after this one)</source>
        <translation> ({} autres couches manquantes après celle-ci)</translation>
    </message>
    <message>
        <source>It may have been moved, renamed or deleted. Locate it (the project will point at its new place), remove the layer from the project, or skip it for now (the layer stays in the project).</source>
        <translation>Le fichier a peut-être été déplacé, renommé ou supprimé. Retrouvez-le (le projet pointera vers son nouvel emplacement), retirez la couche du projet, ou passez-la pour l'instant (la couche reste dans le projet).</translation>
    </message>
    <message>
        <source>Locate…</source>
        <translation>Retrouver…</translation>
    </message>
    <message>
        <source>Remove layer</source>
        <translation>Retirer la couche</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Passer</translation>
    </message>
</context>
<context>
    <name>CanopyControls</name>
    <message>
        <source>Pixels at least this high above the ground are trees and shrubs; lower ones are left out</source>
        <translation>Les pixels au moins à cette hauteur au-dessus du sol sont des arbres et des arbustes ; les plus bas sont laissés de côté</translation>
    </message>
    <message>
        <source>Vegetation from</source>
        <translation>Végétation à partir de</translation>
    </message>
    <message>
        <source>{area} m² of trees and shrubs ({pixels} pixels)</source>
        <translation>{area} m² d'arbres et d'arbustes ({pixels} pixels)</translation>
    </message>
    <message>
        <source>left out, {reason}: {count}</source>
        <translation>laissés de côté, {reason} : {count}</translation>
    </message>
</context>
<context>
    <name>NoiseControls</name>
    <message>
        <source>{indicator} in dB(A), colours of {palette}</source>
        <extracomment>façades style values: none, map and façades, façades only</extracomment>
        <translation>{indicator} en dB(A), couleurs {palette}</translation>
    </message>
    <message>
        <source>Map only</source>
        <translation>Carte seule</translation>
    </message>
    <message>
        <source>Map and façades</source>
        <translation>Carte et façades</translation>
    </message>
    <message>
        <source>Façades only</source>
        <translation>Façades seules</translation>
    </message>
    <message>
        <source>Colour the building walls by the level in front of them</source>
        <translation>Colorer les murs des bâtiments selon le niveau devant eux</translation>
    </message>
    <message>
        <source>Façades</source>
        <translation>Façades</translation>
    </message>
    <message>
        <source>Limit value: the share of façade above it is reported per building (68 Lden, 62 Ln for roads)</source>
        <translation>Valeur limite : la part de façade au-dessus est donnée par bâtiment (68 Lden, 62 Ln pour les routes)</translation>
    </message>
    <message>
        <source>Limit value</source>
        <translation>Valeur limite</translation>
    </message>
    <message>
        <source>Choose façades to see the share of façade above the limit value per building (inspector, colour by).</source>
        <translation>Choisissez les façades pour voir la part de façade au-dessus de la valeur limite par bâtiment (inspecteur, colorer selon).</translation>
    </message>
    <message>
        <source>{name}: {share} % of façade area above {limit} dB(A) {indicator}; {count} buildings concerned</source>
        <translation>{name} : {share} % de la surface de façade au-dessus de {limit} dB(A) {indicator} ; {count} bâtiments concernés</translation>
    </message>
    <message>
        <source>No buildings layer in the scene.</source>
        <translation>Aucune couche de bâtiments dans la scène.</translation>
    </message>
</context>
<context>
    <name>OutsideFolderBox</name>
    <message>
        <source>Data outside the project's folder</source>
        <translation>Données hors du dossier du projet</translation>
    </message>
    <message>
        <source>The project {} reads data outside its folder:
{}</source>
        <translation>Le projet {} lit des données hors de son dossier :
{}</translation>
    </message>
    <message>
        <source>Open these files only if you know where the project comes from. Your answer is remembered for this project until Maquette closes.</source>
        <translation>N'ouvrez ces fichiers que si vous savez d'où vient le projet. Votre réponse est retenue pour ce projet jusqu'à la fermeture de Maquette.</translation>
    </message>
    <message>
        <source>Open them</source>
        <translation>Les ouvrir</translation>
    </message>
    <message>
        <source>Skip these layers</source>
        <translation>Passer ces couches</translation>
    </message>
</context>
<context>
    <name>Presentation</name>
    <message>
        <source>The story has no step yet: add steps in the Story panel.</source>
        <translation>Le récit n'a pas encore d'étape : ajoutez des étapes dans le panneau Récit.</translation>
    </message>
    <message>
        <source>This step names layers that are not open: {}</source>
        <translation>Cette étape cite des couches qui ne sont pas ouvertes : {}</translation>
    </message>
</context>
<context>
    <name>PresenterConsole</name>
    <message>
        <source>Presenter — Maquette</source>
        <extracomment>how big captions and legends are drawn on the projector</extracomment>
        <translation>Présentateur — Maquette</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ Précédente</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Suivante ▶</translation>
    </message>
    <message>
        <source>Blank</source>
        <translation>Écran noir</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Commentaire</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>(end of the story)</source>
        <translation>(fin du récit)</translation>
    </message>
    <message>
        <source>Next: {}</source>
        <translation>Ensuite : {}</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Search a building: identifier or name (Nom: …)</source>
        <translation>Chercher un bâtiment : identifiant ou nom (Nom: …)</translation>
    </message>
    <message>
        <source>No building found.</source>
        <translation>Aucun bâtiment trouvé.</translation>
    </message>
    <message>
        <source>{} found</source>
        <translation>{} trouvé(s)</translation>
    </message>
</context>
<context>
    <name>SensorsControls</name>
    <message>
        <source>a reading every {}</source>
        <translation>une mesure toutes les {}</translation>
    </message>
    <message>
        <source>A typical day (hours without dates): it replays on whatever day the clock shows.</source>
        <translation>Une journée type (des heures sans date) : elle se rejoue quel que soit le jour affiché par l'horloge.</translation>
    </message>
    <message>
        <source>Fast replays (1 day/s and more) show the {}.</source>
        <translation>Les rejeux rapides (1 jour/s et plus) montrent les {}.</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>Couleurs</translation>
    </message>
    <message>
        <source>Fixed range</source>
        <translation>Plage fixe</translation>
    </message>
    <message>
        <source>Keep the same colours from one data set to another (e.g. 20 → 40 °C); otherwise 2 % – 98 % of the readings</source>
        <translation>Garder les mêmes couleurs d'un jeu de données à l'autre (par ex. 20 → 40 °C) ; sinon 2 % – 98 % des mesures</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>Plage</translation>
    </message>
    <message>
        <source>A reading older than this is shown as « no reading » (grey); older than one step, it fades</source>
        <translation>Une mesure plus ancienne est montrée « sans mesure » (gris) ; plus ancienne qu'un pas, elle s'estompe</translation>
    </message>
    <message>
        <source>Keep a reading</source>
        <translation>Garder une mesure</translation>
    </message>
</context>
<context>
    <name>StoryPanel</name>
    <message>
        <source>Add step</source>
        <extracomment>(label, simulated seconds per real second) for replays</extracomment>
        <translation>Ajouter une étape</translation>
    </message>
    <message>
        <source>A new step showing what is on screen now</source>
        <translation>Une nouvelle étape qui montre ce qui est à l'écran</translation>
    </message>
    <message>
        <source>Update from screen</source>
        <translation>Reprendre l'écran</translation>
    </message>
    <message>
        <source>The selected step takes the current view, layers and time</source>
        <translation>L'étape choisie prend la vue, les couches et l'heure actuelles</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <source>Show this step here</source>
        <translation>Montrer cette étape ici</translation>
    </message>
    <message>
        <source>Present from here</source>
        <translation>Présenter d'ici</translation>
    </message>
    <message>
        <source>Start the presentation at this step (F5 starts at the first)</source>
        <translation>Commencer la présentation à cette étape (F5 commence à la première)</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Monter</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Descendre</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Delete the selected step</source>
        <translation>Supprimer l'étape choisie</translation>
    </message>
    <message>
        <source>Title shown to the audience</source>
        <translation>Titre montré au public</translation>
    </message>
    <message>
        <source>Two or three short lines for the audience</source>
        <translation>Deux ou trois lignes courtes pour le public</translation>
    </message>
    <message>
        <source>Notes for the presenter (never shown on the big screen)</source>
        <translation>Notes pour le présentateur (jamais montrées sur le grand écran)</translation>
    </message>
    <message>
        <source>Replay time</source>
        <translation>Rejouer le temps</translation>
    </message>
    <message>
        <source>The clock runs by itself while the step is shown</source>
        <translation>L'horloge avance seule pendant que l'étape est montrée</translation>
    </message>
    <message>
        <source>{} h</source>
        <translation>{} h</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>Légende</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>View</source>
        <translation>Vue</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Replay speed</source>
        <translation>Vitesse du rejeu</translation>
    </message>
    <message>
        <source>(untitled step)</source>
        <translation>(étape sans titre)</translation>
    </message>
    <message>
        <source>(keep the camera)</source>
        <translation>(garder la caméra)</translation>
    </message>
    <message>
        <source>Camera stored in the step</source>
        <translation>Caméra enregistrée dans l'étape</translation>
    </message>
    <message>
        <source>{} (missing view)</source>
        <translation>{} (vue manquante)</translation>
    </message>
</context>
<context>
    <name>StreetsControls</name>
    <message>
        <source>Width and colour: {field} ({unit})</source>
        <translation>Largeur et couleur : {field} ({unit})</translation>
    </message>
    <message>
        <source>Traffic per direction ({}): one ribbon each way, on the right of its direction</source>
        <translation>Trafic par sens ({}) : un ruban par sens, à droite de sa direction</translation>
    </message>
    <message>
        <source>{} one-way streets (arrows)</source>
        <translation>{} rues à sens unique (flèches)</translation>
    </message>
    <message>
        <source>Automatic (visible counters)</source>
        <translation>Automatique (compteurs visibles)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <source>Counters within 40 m of a street colour its piece by their count at the clock time</source>
        <translation>Les compteurs à moins de 40 m d'une rue colorent son tronçon selon leur comptage à l'heure de l'horloge</translation>
    </message>
    <message>
        <source>Counts at the clock time</source>
        <translation>Comptages à l'heure de l'horloge</translation>
    </message>
</context>
<context>
    <name>SunPanel</name>
    <message>
        <source>Sun and shadows</source>
        <translation>Soleil et ombres</translation>
    </message>
    <message>
        <source>Light the city with the real sun of the time shown, with cast shadows</source>
        <translation>Éclairer la ville par le vrai soleil de l'heure affichée, avec les ombres portées</translation>
    </message>
    <message>
        <source>Shadows on façades (experimental)</source>
        <translation>Ombres sur les façades (expérimental)</translation>
    </message>
    <message>
        <source>Shadows of neighbouring buildings on roofs and walls (VTK shadow maps): slower, and faded at the scale of the whole city</source>
        <translation>Ombres des bâtiments voisins sur les toits et les murs (cartes d'ombre VTK) : plus lent, et atténuées à l'échelle de la ville</translation>
    </message>
    <message>
        <source>When this is ticked, the sun follows the clock.</source>
        <translation>Le soleil suit l'horloge quand l'option est cochée.</translation>
    </message>
    <message>
        <source>Day to study (the clock keeps its time of day)</source>
        <translation>Jour à étudier (l'heure de l'horloge est gardée)</translation>
    </message>
    <message>
        <source>Go</source>
        <translation>Aller</translation>
    </message>
    <message>
        <source>21 June</source>
        <translation>21 juin</translation>
    </message>
    <message>
        <source>Summer solstice: the highest sun, the shortest shadows</source>
        <translation>Solstice d'été : le soleil le plus haut, les ombres les plus courtes</translation>
    </message>
    <message>
        <source>21 Dec.</source>
        <translation>21 déc.</translation>
    </message>
    <message>
        <source>Winter solstice: the lowest sun, the longest shadows</source>
        <translation>Solstice d'hiver : le soleil le plus bas, les ombres les plus longues</translation>
    </message>
    <message>
        <source>Sunlight over the day…</source>
        <translation>Ensoleillement du jour…</translation>
    </message>
    <message>
        <source>Hours of sun on the ground over the day, and what a planned project takes away</source>
        <translation>Heures de soleil au sol sur la journée, et ce qu'un projet en retire</translation>
    </message>
</context>
<context>
    <name>SunlightDialog</name>
    <message>
        <source>Sunlight</source>
        <translation>Ensoleillement</translation>
    </message>
    <message>
        <source>Hours of direct sun on the ground over the day, before and after the planned project: {}.</source>
        <translation>Heures de soleil direct au sol sur la journée, avant et après le projet : {}.</translation>
    </message>
    <message>
        <source>Hours of direct sun on the ground over the day. To compare before / after a project, mark its buildings layer as planned (right click in the layer panel).</source>
        <translation>Heures de soleil direct au sol sur la journée. Pour comparer avant / après un projet, marquez sa couche de bâtiments comme projet (clic droit dans le panneau des couches).</translation>
    </message>
    <message>
        <source>{} min</source>
        <translation>{} min</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>automatique</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>Calculer</translation>
    </message>
    <message>
        <source>Cancel the computation</source>
        <translation>Annuler le calcul</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Jour</translation>
    </message>
    <message>
        <source>Time step</source>
        <translation>Pas de temps</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Résolution</translation>
    </message>
    <message>
        <source>Computation cancelled.</source>
        <translation>Calcul annulé.</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Calcul en cours…</translation>
    </message>
    <message>
        <source>Files saved in: {}</source>
        <translation>Fichiers enregistrés dans : {}</translation>
    </message>
    <message>
        <source>Folder where the study's GeoTIFF files are written</source>
        <translation>Dossier où les fichiers GeoTIFF de l'étude sont enregistrés</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Save in</source>
        <translation>Enregistrer dans</translation>
    </message>
    <message>
        <source>On {day}, the ground looked at gets {mean} of direct sun on average (at most {most}); the buildings are too far apart for one study.</source>
        <translation>Le {day}, le sol regardé reçoit en moyenne {mean} de soleil direct (au plus {most}) ; les bâtiments sont trop éloignés pour une seule étude.</translation>
    </message>
    <message>
        <source>Save the study in</source>
        <translation>Enregistrer l'étude dans</translation>
    </message>
    <message>
        <source>Unexpected error: {}</source>
        <translation>Erreur inattendue : {}</translation>
    </message>
    <message>
        <source>On {day}, the sun does not rise at this latitude (polar night): no shadow, no hour of sun.</source>
        <translation>Le {day}, le soleil ne se lève pas à cette latitude (nuit polaire) : aucune ombre, aucune heure de soleil.</translation>
    </message>
    <message>
        <source>On {day}, the project takes at least 1 h of sun from {loss_1h} and at least 2 h from {loss_2h} of ground (largest loss: {largest}), within {margin} m of the project.</source>
        <translation>Le {day}, le projet retire au moins 1 h de soleil à {loss_1h} et au moins 2 h à {loss_2h} de sol (perte la plus forte : {largest}), dans un rayon de {margin} m autour du projet.</translation>
    </message>
    <message>
        <source>On {day}, the ground gets {mean} of direct sun on average (at most {most}).</source>
        <translation>Le {day}, le sol reçoit en moyenne {mean} de soleil direct (au plus {most}).</translation>
    </message>
    <message>
        <source>Midnight sun: it does not set that day.</source>
        <translation>Soleil de minuit : il ne se couche pas ce jour-là.</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <source>Cancelled.</source>
        <extracomment>work(progress, cancelled) -&gt; result, run off the GUI thread (see :mod:`desktop.workers`)</extracomment>
        <translation>Annulé.</translation>
    </message>
</context>
<context>
    <name>TimelinePanel</name>
    <message>
        <source>Play / pause (Space)</source>
        <extracomment>language of the long date ("mardi 1 juillet 2025" / "Tuesday 1 July 2025") what the moment list shows: the user's moments, then the suggested ones</extracomment>
        <translation>Lecture / pause (Espace)</translation>
    </message>
    <message>
        <source>One step back</source>
        <translation>Un pas en arrière</translation>
    </message>
    <message>
        <source>One step forward</source>
        <translation>Un pas en avant</translation>
    </message>
    <message>
        <source>Drag to move the clock</source>
        <translation>Faites glisser pour déplacer l'horloge</translation>
    </message>
    <message>
        <source>Replay speed: simulated time per second (fast replays show hourly or daily means)</source>
        <translation>Vitesse du rejeu : temps simulé par seconde (les rejeux rapides montrent des moyennes horaires ou journalières)</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>En boucle</translation>
    </message>
    <message>
        <source>Go to a date and time (in the time zone shown on the right)</source>
        <translation>Aller à une date et une heure (dans le fuseau horaire affiché à droite)</translation>
    </message>
    <message>
        <source>Jump to a named moment: suggestions from the data, and yours</source>
        <translation>Aller à un moment nommé : suggestions tirées des données, et les vôtres</translation>
    </message>
    <message>
        <source>Name…</source>
        <translation>Nommer…</translation>
    </message>
    <message>
        <source>Name the current moment (saved in the project)</source>
        <translation>Nommer le moment actuel (enregistré dans le projet)</translation>
    </message>
    <message>
        <source>Times are shown in this zone, summer time included. Times written without an offset in a file are read in the layer's zone (Europe/Paris unless its timezone option says otherwise).</source>
        <translation>Les heures sont affichées dans ce fuseau, heure d'été comprise. Les heures écrites sans décalage dans un fichier sont lues dans le fuseau de la couche (Europe/Paris sauf si son option timezone dit autre chose).</translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation>Vitesse :</translation>
    </message>
    <message>
        <source>Go to:</source>
        <translation>Aller à :</translation>
    </message>
    <message>
        <source>No time series in the scene</source>
        <translation>Aucune série temporelle dans la scène</translation>
    </message>
    <message>
        <source>Suggested from {}</source>
        <translation>Suggéré d'après {}</translation>
    </message>
    <message>
        <source>Name this moment</source>
        <translation>Nommer ce moment</translation>
    </message>
    <message>
        <source>Name (e.g. « Hottest night »):</source>
        <translation>Nom (par ex. « Nuit la plus chaude ») :</translation>
    </message>
    <message>
        <source>Other zone…</source>
        <translation>Autre fuseau…</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Fuseau horaire</translation>
    </message>
    <message>
        <source>IANA name (e.g. Europe/Paris, America/Cayenne):</source>
        <translation>Nom IANA (par ex. Europe/Paris, America/Cayenne) :</translation>
    </message>
</context>
<context>
    <name>TransitControls</name>
    <message>
        <source>{routes} routes, {stops} stops, {trips} trips</source>
        <translation>{routes} lignes, {stops} arrêts, {trips} courses</translation>
    </message>
    <message>
        <source>Service from {} to {}</source>
        <translation>Service du {} au {}</translation>
    </message>
    <message>
        <source>Typical day: {}</source>
        <translation>Journée type : {}</translation>
    </message>
    <message>
        <source>Click a stop: departures per route in the clock's hour.</source>
        <translation>Cliquez sur un arrêt : départs par ligne dans l'heure de l'horloge.</translation>
    </message>
    <message>
        <source>No shapes.txt: vehicles go straight from stop to stop.</source>
        <translation>Pas de shapes.txt : les véhicules vont en ligne droite d'arrêt en arrêt.</translation>
    </message>
</context>
<context>
    <name>TopoControls</name>
    <message>
        <source>Real width</source>
        <translation>Largeur réelle</translation>
    </message>
    <message>
        <source>Twice as wide</source>
        <translation>Deux fois plus large</translation>
    </message>
    <message>
        <source>Line widths</source>
        <translation>Largeur des lignes</translation>
    </message>
    <message>
        <source>Road edges</source>
        <translation>Bords des routes</translation>
    </message>
</context>
<context>
    <name>VectorControls</name>
    <message>
        <source>Uniform colour</source>
        <translation>Couleur unie</translation>
    </message>
    <message>
        <source>Colour by</source>
        <translation>Colorer selon</translation>
    </message>
</context>
<context>
    <name>ViewsPanel</name>
    <message>
        <source>Add current view</source>
        <translation>Ajouter la vue actuelle</translation>
    </message>
    <message>
        <source>Save the camera as it is now as a named view</source>
        <translation>Enregistrer la caméra telle qu'elle est comme vue nommée</translation>
    </message>
    <message>
        <source>Go</source>
        <translation>Aller</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Monter</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Descendre</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Renommer</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Rename view</source>
        <translation>Renommer la vue</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nom :</translation>
    </message>
</context>
<context>
    <name>panel</name>
    <message>
        <source>Sun</source>
        <translation>Soleil</translation>
    </message>
</context>
<context>
    <name>Qt</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Voir dans :</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>&amp;Type de fichier :</translation>
    </message>
</context>
<context>
    <name>TreesControls</name>
    <message>
        <source>Heights from {low} to {high} m; {count} sized by default</source>
        <translation>Hauteurs de {low} à {high} m ; {count} dimensionnés par défaut</translation>
    </message>
    <message>
        <source>Show the trunks</source>
        <translation>Afficher les troncs</translation>
    </message>
    <message>
        <source>Crowns alone draw faster on very large inventories</source>
        <translation>Les houppiers seuls s'affichent plus vite pour les très grands inventaires</translation>
    </message>
</context>
<context>
    <name>NewModelDialog</name>
    <message>
        <source>New model from open data</source>
        <translation>Nouvelle maquette à partir de données ouvertes</translation>
    </message>
    <message>
        <source>Choose the folder of your downloads (BD TOPO, LiDAR HD, orthophotos, trees...). Maquette recognises each file, keeps what lies in the commune or the box, and writes a project.</source>
        <translation>Choisissez le dossier de vos téléchargements (BD TOPO, LiDAR HD, orthophotos, arbres…). Maquette reconnaît chaque fichier, garde ce qui se trouve dans la commune ou le rectangle, et écrit un projet.</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>Dossier…</translation>
    </message>
    <message>
        <source>Files…</source>
        <translation>Fichiers…</translation>
    </message>
    <message>
        <source>All the data</source>
        <translation>Toutes les données</translation>
    </message>
    <message>
        <source>A commune (name or INSEE code)</source>
        <translation>Une commune (nom ou code INSEE)</translation>
    </message>
    <message>
        <source>A box (xmin, ymin, xmax, ymax)</source>
        <translation>Un rectangle (xmin, ymin, xmax, ymax)</translation>
    </message>
    <message>
        <source>CRS of the box (default: degrees, else the data's)</source>
        <translation>Système de coordonnées du rectangle (par défaut : degrés, sinon celui des données)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Données</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projet</translation>
    </message>
    <message>
        <source>Make the model</source>
        <translation>Faire la maquette</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Folder of the downloads</source>
        <translation>Dossier des téléchargements</translation>
    </message>
    <message>
        <source>Files of the model</source>
        <translation>Fichiers de la maquette</translation>
    </message>
    <message>
        <source>Project to write</source>
        <translation>Projet à écrire</translation>
    </message>
    <message>
        <source>Maquette project</source>
        <translation>Projet Maquette</translation>
    </message>
    <message>
        <source>Choose the folder or the files of the model.</source>
        <translation>Choisissez le dossier ou les fichiers de la maquette.</translation>
    </message>
    <message>
        <source>Choose the project to write.</source>
        <translation>Choisissez le projet à écrire.</translation>
    </message>
    <message>
        <source>Type the name or the INSEE code of the commune.</source>
        <translation>Tapez le nom ou le code INSEE de la commune.</translation>
    </message>
    <message>
        <source>Type the box: xmin, ymin, xmax, ymax.</source>
        <translation>Tapez le rectangle : xmin, ymin, xmax, ymax.</translation>
    </message>
    <message>
        <source>Making the model…</source>
        <translation>Construction de la maquette…</translation>
    </message>
</context>
<context>
    <name>NewModelReport</name>
    <message>
        <source>New model</source>
        <translation>Nouvelle maquette</translation>
    </message>
    <message>
        <source>Open the model</source>
        <translation>Ouvrir la maquette</translation>
    </message>
    <message>
        <source>Project: {}</source>
        <translation>Projet : {}</translation>
    </message>
    <message>
        <source>Area: {}</source>
        <translation>Emprise : {}</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>Couches :</translation>
    </message>
    <message>
        <source>{file}: {features_in} features, {shown} shown</source>
        <translation>{file} : {features_in} objets, {shown} affichés</translation>
    </message>
    <message>
        <source>{count} dropped: {why}</source>
        <translation>{count} écartés : {why}</translation>
    </message>
    <message>
        <source>(hidden)</source>
        <translation>(masquée)</translation>
    </message>
    <message>
        <source>Files not used:</source>
        <translation>Fichiers non utilisés :</translation>
    </message>
    <message>
        <source>{count} outside the area, not read</source>
        <translation>{count} hors de l'emprise, non lus</translation>
    </message>
    <message>
        <source>{file}: {why}</source>
        <translation>{file} : {why}</translation>
    </message>
<message>
        <source>{file}: {features_in} pixels, {shown} shown</source>
        <translation>{file} : {features_in} pixels, {shown} affichés</translation>
    </message>
    </context>
<context>
    <name>ThemesDialog</name>
    <message>
        <source>Themes to open</source>
        <translation>Thèmes à ouvrir</translation>
    </message>
    <message>
        <source>{name} holds {count} themes of a map. Tick those to open. To keep only one commune of a department's file, use File › New model from open data…</source>
        <translation>{name} contient {count} thèmes d'une carte. Cochez ceux à ouvrir. Pour ne garder qu'une commune du fichier d'un département, utilisez Fichier › Nouvelle maquette à partir de données ouvertes…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    </context>
<context>
    <name>PlanPanel</name>
    <message>
        <source>Swipe</source>
        <translation>Balayer</translation>
    </message>
    <message>
        <source>The variant shown and the one before it, on either side of a bar (Ctrl+B stops)</source>
        <translation>La variante affichée et la précédente, de part et d'autre d'une barre (Ctrl+B arrête)</translation>
    </message>
    <message>
        <source>{} on the left, {} on the right: drag the white bar; Ctrl+B to stop.</source>
        <translation>{} à gauche, {} à droite : faites glisser la barre blanche ; Ctrl+B pour arrêter.</translation>
    </message>
    <message>
        <source>Footprints of the variant shown…</source>
        <translation>Emprises de la variante affichée…</translation>
    </message>
    <message>
        <source>3D model of the variant shown…</source>
        <translation>Modèle 3D de la variante affichée…</translation>
    </message>
    <message>
        <source>Figures of the variants (CSV)…</source>
        <translation>Chiffres des variantes (CSV)…</translation>
    </message>
    <message>
        <source>Export the planned project</source>
        <translation>Exporter le projet</translation>
    </message>
    <message>
        <source>Export the figures</source>
        <translation>Exporter les chiffres</translation>
    </message>
    <message>
        <source>This step shows a variant the planned project does not have: {}</source>
        <translation>Cette étape montre une variante que le projet n'a pas : {}</translation>
    </message>
    <message>
        <source> (variant {})</source>
        <translation> (variante {})</translation>
    </message>
    <message>
        <source>Variants side by side</source>
        <translation>Variantes côte à côte</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Save as CSV…</source>
        <translation>Enregistrer en CSV…</translation>
    </message>
    <message>
        <source>Save the figures</source>
        <translation>Enregistrer les chiffres</translation>
    </message>
    <message>
        <source>Study day: {}</source>
        <translation>Jour étudié : {}</translation>
    </message>
    <message>
        <source>No planned project yet: start one, then draw its buildings.</source>
        <translation>Pas encore de projet : commencez-en un, puis dessinez ses bâtiments.</translation>
    </message>
    <message>
        <source>Start a planned project</source>
        <translation>Commencer un projet</translation>
    </message>
    <message>
        <source>Selected building</source>
        <translation>Bâtiment sélectionné</translation>
    </message>
    <message>
        <source>Height of the walls (drag; Ctrl+Z undoes the whole drag)</source>
        <translation>Hauteur des murs (glisser ; Ctrl+Z annule tout le glissé)</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>Hauteur</translation>
    </message>
    <message>
        <source>Storeys</source>
        <translation>Niveaux</translation>
    </message>
    <message>
        <source>Storey height</source>
        <translation>Hauteur d'étage</translation>
    </message>
    <message>
        <source>Roof</source>
        <translation>Toit</translation>
    </message>
    <message>
        <source>Roof pitch</source>
        <translation>Pente du toit</translation>
    </message>
    <message>
        <source>Click a planned building in the view to shape it.</source>
        <translation>Cliquez sur un bâtiment du projet dans la vue pour le modeler.</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Variantes</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nouvelle</translation>
    </message>
    <message>
        <source>A copy of the variant shown, to change</source>
        <translation>Une copie de la variante affichée, à modifier</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Renommer…</translation>
    </message>
    <message>
        <source>Compare…</source>
        <translation>Comparer…</translation>
    </message>
    <message>
        <source>The figures of the variants side by side</source>
        <translation>Les chiffres des variantes côte à côte</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>Chiffres</translation>
    </message>
    <message>
        <source>The day the sun lost around the project is computed for</source>
        <translation>Le jour pour lequel le soleil perdu autour du projet est calculé</translation>
    </message>
    <message>
        <source>Study day</source>
        <translation>Jour étudié</translation>
    </message>
    <message>
        <source>Planned project</source>
        <translation>Projet</translation>
    </message>
    <message>
        <source>change the height</source>
        <translation>changer la hauteur</translation>
    </message>
    <message>
        <source>change the storeys</source>
        <translation>changer le nombre de niveaux</translation>
    </message>
    <message>
        <source>change the storey height</source>
        <translation>changer la hauteur d'étage</translation>
    </message>
    <message>
        <source>change the roof</source>
        <translation>changer le toit</translation>
    </message>
    <message>
        <source>Flat</source>
        <translation>Plat</translation>
    </message>
    <message>
        <source>Gable</source>
        <translation>Deux pans</translation>
    </message>
    <message>
        <source>Hip</source>
        <translation>Quatre pans</translation>
    </message>
    <message>
        <source>new variant</source>
        <translation>nouvelle variante</translation>
    </message>
    <message>
        <source>Rename the variant</source>
        <translation>Renommer la variante</translation>
    </message>
    <message>
        <source>rename the variant</source>
        <translation>renommer la variante</translation>
    </message>
    <message>
        <source>change the study day</source>
        <translation>changer le jour étudié</translation>
    </message>
    <message>
        <source>start a planned project</source>
        <translation>commencer un projet</translation>
    </message>
    <message>
        <source>A variant needs a name no other variant has.</source>
        <translation>Une variante a besoin d'un nom qu'aucune autre ne porte.</translation>
    </message>
    <message>
        <source>delete the variant</source>
        <translation>supprimer la variante</translation>
    </message>
    <message>
        <source>show another variant</source>
        <translation>afficher une autre variante</translation>
    </message>
    <message>
        <source>{} and {} more (edits apply to all)</source>
        <translation>{} et {} autres (les changements s'appliquent à tous)</translation>
    </message>
    <message>
        <source>Variant {}: computed in {} s</source>
        <translation>Variante {} : calculée en {} s</translation>
    </message>
    <message>
        <source>The figures could not be computed: {}</source>
        <translation>Les chiffres n'ont pas pu être calculés : {}</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projet</translation>
    </message>
    </context>
<context>
    <name>PlanningController</name>
    <message>
        <source>Pla&amp;n</source>
        <translation>Pro&amp;jet urbain</translation>
    </message>
    <message>
        <source>New planned project</source>
        <translation>Nouveau projet urbain</translation>
    </message>
    <message>
        <source>Edit this planned layer</source>
        <translation>Modifier cette couche de projet</translation>
    </message>
    <message>
        <source>Make the buildings of the planned layer editable</source>
        <translation>Rendre modifiables les bâtiments de la couche de projet</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Projet urbain</translation>
    </message>
    <message>
        <source>start a planned project</source>
        <translation>commencer un projet urbain</translation>
    </message>
    <message>
        <source>edit the planned layer</source>
        <translation>modifier la couche de projet</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>Dessiner</translation>
    </message>
    <message>
        <source>Draw a building: click its corners on the ground (D)</source>
        <translation>Dessiner un bâtiment : cliquer ses angles au sol (D)</translation>
    </message>
    <message>
        <source>Select</source>
        <translation>Sélectionner</translation>
    </message>
    <message>
        <source>Select a planned building and drag its handles (S)</source>
        <translation>Sélectionner un bâtiment projeté et tirer ses poignées (S)</translation>
    </message>
    <message>
        <source>Demolish</source>
        <translation>Démolir</translation>
    </message>
    <message>
        <source>Click existing buildings to demolish them (X)</source>
        <translation>Cliquer des bâtiments existants pour les démolir (X)</translation>
    </message>
    <message>
        <source>Delete the selected planned building (Del)</source>
        <translation>Supprimer le bâtiment projeté sélectionné (Suppr)</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Dupliquer</translation>
    </message>
    <message>
        <source>Duplicate the selected planned building (Ctrl+D)</source>
        <translation>Dupliquer le bâtiment projeté sélectionné (Ctrl+D)</translation>
    </message>
    </context>
<context>
    <name>PlanTools</name>
    <message>
        <source>These corners make no simple footprint (its sides cross): Backspace removes the last one</source>
        <translation>Ces angles ne font pas une emprise simple (ses côtés se croisent) : Retour arrière enlève le dernier</translation>
    </message>
    <message>
        <source>Click the corners of the building on the ground; Enter, a double click or a click on the first corner closes it; Backspace removes the last corner; Esc cancels</source>
        <translation>Cliquez les angles du bâtiment au sol ; Entrée, un double clic ou un clic sur le premier angle le ferme ; Retour arrière enlève le dernier angle ; Échap annule</translation>
    </message>
    <message>
        <source>Click a planned building; drag its centre or its body to move it, the round handle to turn it, a corner to resize it; Esc during a drag puts it back</source>
        <translation>Cliquez un bâtiment projeté ; tirez son centre ou son volume pour le déplacer, la poignée ronde pour le tourner, un angle pour le redimensionner ; Échap pendant le geste le remet en place</translation>
    </message>
    <message>
        <source>Click an existing building to demolish it, or where it stood to put it back</source>
        <translation>Cliquez un bâtiment existant pour le démolir, ou là où il était pour le remettre</translation>
    </message>
    <message>
        <source>draw a building</source>
        <translation>dessiner un bâtiment</translation>
    </message>
    <message>
        <source>delete a building</source>
        <translation>supprimer un bâtiment</translation>
    </message>
    <message>
        <source>duplicate a building</source>
        <translation>dupliquer un bâtiment</translation>
    </message>
    <message>
        <source>demolish a building</source>
        <translation>démolir un bâtiment</translation>
    </message>
    <message>
        <source>keep a building</source>
        <translation>conserver un bâtiment</translation>
    </message>
    <message>
        <source>move a building</source>
        <translation>déplacer un bâtiment</translation>
    </message>
    <message>
        <source>rotate a building</source>
        <translation>tourner un bâtiment</translation>
    </message>
    <message>
        <source>resize a building</source>
        <translation>redimensionner un bâtiment</translation>
    </message>
    <message>
        <source>corner</source>
        <translation>angle</translation>
    </message>
    <message>
        <source>wall</source>
        <translation>mur</translation>
    </message>
    <message>
        <source>right angle</source>
        <translation>angle droit</translation>
    </message>
    <message>
        <source>in line</source>
        <translation>alignement</translation>
    </message>
    </context>
<context>
    <name>RecentFiles</name>
    <message>
        <source>Open recent</source>
        <translation>Fichiers récents</translation>
    </message>
    <message>
        <source>project</source>
        <translation>projet</translation>
    </message>
    <message>
        <source>data</source>
        <translation>données</translation>
    </message>
    <message>
        <source>{} (missing)</source>
        <translation>{} (introuvable)</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>Aucun fichier récent</translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>Vider la liste</translation>
    </message>
</context>
<context>
    <name>GuideWindow</name>
    <message>
        <source>Maquette user guide</source>
        <translation>Guide d'utilisation de Maquette</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Commande</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Fenêtre</translation>
    </message>
    <message>
        <source>Tools on the 3D view</source>
        <translation>Outils de la vue 3D</translation>
    </message>
    <message>
        <source>End the current tool, or cancel what it draws</source>
        <translation>Quitter l'outil en cours, ou annuler ce qu'il trace</translation>
    </message>
    <message>
        <source>Draw: remove the last corner</source>
        <translation>Dessiner : retirer le dernier coin</translation>
    </message>
    <message>
        <source>Draw: finish the footprint</source>
        <translation>Dessiner : terminer l'emprise</translation>
    </message>
    <message>
        <source>Move the camera: drag; zoom: the wheel</source>
        <translation>Déplacer la caméra : glisser ; zoomer : la molette</translation>
    </message>
    <message>
        <source>Mouse</source>
        <translation>Souris</translation>
    </message>
    <message>
        <source>While presenting</source>
        <translation>Pendant la présentation</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>Étape suivante</translation>
    </message>
    <message>
        <source>Previous step</source>
        <translation>Étape précédente</translation>
    </message>
    <message>
        <source>Blank screen</source>
        <translation>Écran noir</translation>
    </message>
    <message>
        <source>Add a comment</source>
        <translation>Ajouter un commentaire</translation>
    </message>
    <message>
        <source>First step, last step</source>
        <translation>Première étape, dernière étape</translation>
    </message>
    <message>
        <source>Stop presenting</source>
        <translation>Arrêter la présentation</translation>
    </message>
</context>
<context>
    <name>MeasureTool</name>
    <message>
        <source>Click two points: the distance between them</source>
        <translation>Cliquez deux points : la distance entre eux</translation>
    </message>
    <message>
        <source>Click the points of a path; Enter, a double click or Esc ends it</source>
        <translation>Cliquez les points d'un parcours ; Entrée, un double clic ou Échap le termine</translation>
    </message>
    <message>
        <source>Click the corners of an area; Enter, a double click or Esc ends it</source>
        <translation>Cliquez les sommets d'une surface ; Entrée, un double clic ou Échap la termine</translation>
    </message>
    <message>
        <source>Click a building's roof (its height) or a point of its facade</source>
        <translation>Cliquez le toit d'un bâtiment (sa hauteur) ou un point de sa façade</translation>
    </message>
    <message>
        <source>Not a building: click a building's roof or facade</source>
        <translation>Ce n'est pas un bâtiment : cliquez le toit ou la façade d'un bâtiment</translation>
    </message>
    <message>
        <source>Building height (ground to roof): {h}</source>
        <translation>Hauteur du bâtiment (du sol au toit) : {h}</translation>
    </message>
    <message>
        <source>Height of the point above the building's ground: {h}</source>
        <translation>Hauteur du point au-dessus du sol du bâtiment : {h}</translation>
    </message>
    <message>
        <source>Distance {d} · along the ground {g} · height difference {z}</source>
        <translation>Distance {d} · au sol {g} · dénivelé {z}</translation>
    </message>
    <message>
        <source>Path {g} along the ground · {d} in 3D</source>
        <translation>Parcours {g} au sol · {d} en 3D</translation>
    </message>
    <message>
        <source>Area {a}</source>
        <translation>Surface {a}</translation>
    </message>
    </context>
<context>
    <name>MeasurePanel</name>
    <message>
        <source>Measure</source>
        <translation>Mesurer</translation>
    </message>
    <message>
        <source>Measure distances, paths, areas and heights on the 3D view (M)</source>
        <translation>Mesurer distances, parcours, surfaces et hauteurs sur la vue 3D (M)</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>Distance</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Parcours</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Surface</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>Hauteur</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Copy the result and its CRS</source>
        <translation>Copier le résultat et son système de coordonnées</translation>
    </message>
    <message>
        <source>Coordinates in {crs}</source>
        <translation>Coordonnées en {crs}</translation>
    </message>
    </context>
<context>
    <name>AttributeTablePanel</name>
    <message>
        <source>Attribute table</source>
        <translation>Table attributaire</translation>
    </message>
    <message>
        <source>Select by rectangle</source>
        <translation>Sélection par rectangle</translation>
    </message>
    <message>
        <source>Export selection</source>
        <translation>Exporter la sélection</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg);;GeoJSON (*.geojson);;CSV (*.csv)</source>
        <translation>GeoPackage (*.gpkg);;GeoJSON (*.geojson);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>Only the filtered features</source>
        <translation>Seulement les entités filtrées</translation>
    </message>
    <message>
        <source>Rows kept by the layer's attribute filter (in its options)</source>
        <translation>Lignes gardées par le filtre attributaire de la couche (dans ses options)</translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation>Filtrer…</translation>
    </message>
    <message>
        <source>Set the layer's attribute filter in its options</source>
        <translation>Régler le filtre attributaire de la couche dans ses options</translation>
    </message>
    <message>
        <source>Zoom to selection</source>
        <translation>Zoomer sur la sélection</translation>
    </message>
    <message>
        <source>Clear selection</source>
        <translation>Vider la sélection</translation>
    </message>
    <message>
        <source>Export selection…</source>
        <translation>Exporter la sélection…</translation>
    </message>
    <message>
        <source>{selected} selected · {shown} of {total} rows</source>
        <translation>Sélection : {selected} · {shown} lignes sur {total}</translation>
    </message>
</context>
<context>
    <name>CompareBar</name>
    <message>
        <source>Time of the left half (the timeline moves it too)</source>
        <translation>Heure de la moitié gauche (la frise chronologique la déplace aussi)</translation>
    </message>
    <message>
        <source>Time of the right half</source>
        <translation>Heure de la moitié droite</translation>
    </message>
    <message>
        <source>Morning / evening</source>
        <translation>Matin / soir</translation>
    </message>
    <message>
        <source>8:00 on the left, 18:00 on the right, the same day</source>
        <translation>8 h à gauche, 18 h à droite, le même jour</translation>
    </message>
    <message>
        <source>Summer / winter solstice</source>
        <translation>Solstice d'été / d'hiver</translation>
    </message>
    <message>
        <source>21 June on the left, 21 December on the right, the same hour (between 10:00 and 16:00)</source>
        <translation>21 juin à gauche, 21 décembre à droite, à la même heure (entre 10 h et 16 h)</translation>
    </message>
    <message>
        <source>End the comparison</source>
        <translation>Terminer la comparaison</translation>
    </message>
    <message>
        <source>Back to one view (Esc)</source>
        <translation>Revenir à une seule vue (Échap)</translation>
    </message>
    <message>
        <source>Left:</source>
        <translation>Gauche :</translation>
    </message>
    <message>
        <source>Right:</source>
        <translation>Droite :</translation>
    </message>
</context>
<context>
    <name>StreamedControls</name>
    <message>
        <source>Applied to each tile as it loads.</source>
        <translation>Appliqué à chaque tuile à son chargement.</translation>
    </message>
    </context>
</TS>
