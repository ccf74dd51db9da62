"""The scan of ``maquette new``: what each file of a folder of downloads is.

:func:`scan` walks the folders and files named (symbolic links to folders are not followed, so a
link loop never hangs it; hidden files and folders are skipped; a shapefile's sidecars ``.shx``,
``.dbf``, ``.prj``, ``.cpg``, ``.aux.xml``... are part of their ``.shp``, not files of their own),
recognises each file with the kind detection (:func:`layers.core.detect.detect_kind`), looks into
zips through their directory only (:func:`layers.core.safety.check_archive`: nothing is unpacked)
and takes a multi-layer GeoPackage layer by layer (a BD TOPO GeoPackage holds dozens of themes).

A file that is not used is kept with the reason, in words: nothing is dropped silently.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from layers.core.errors import Cancelled, InputError
from layers.io.osm import is_osm_path, osm_name
from layers.session.new_themes import Role, kind_for_layer, role_of

#: what belongs to another file beside it (a shapefile's, a raster's); never a file of its own
SIDECAR_SUFFIXES = frozenset(
    {".shx", ".dbf", ".prj", ".cpg", ".sbn", ".sbx", ".qix", ".fix", ".qmd", ".ovr", ".tfw", ".jgw", ".wld"}
)
#: sidecars named by a double suffix (``x.tif.aux.xml``, ``x.shp.xml``)
SIDECAR_ENDINGS = (".aux.xml", ".shp.xml", ".tif.xml", ".msk")
#: documents that come with downloads (a README, metadata, a licence): said as such when they are
#: not data a kind reads
DOCUMENT_SUFFIXES = frozenset(
    {".txt", ".md", ".pdf", ".xml", ".html", ".htm", ".doc", ".docx", ".odt", ".rtf"}
)
DOCUMENT = "a document that comes with the data (not data itself)"
#: multi-layer sources taken layer by layer
MULTI_LAYER_SUFFIXES = frozenset({".gpkg", ".sqlite", ".gdb"})


@dataclass
class Found:
    """One file (or one layer of a multi-layer file) the scan met.

    ``kind`` is ``None`` for a file that is not used; ``reason`` then says why, in words."""

    path: Path
    layer: str | None = None
    kind: str | None = None
    role: Role = "other"
    reason: str | None = None
    #: the theme of an extract holding every theme (OpenStreetMap) this layer shows
    topo_theme: str | None = None

    @property
    def label(self) -> str:
        """``file``, ``file › layer`` or ``file › theme``, as the report names it."""
        inner = self.layer or self.topo_theme
        return f"{self.path.name} › {inner}" if inner else self.path.name

    @property
    def theme(self) -> str:
        """The name that says what the data is: the GeoPackage layer or the extract's theme, else
        the file's stem."""
        if self.topo_theme:
            return f"{osm_name(self.path)} {self.topo_theme}"
        return self.layer or self.path.stem


def is_sidecar(path: Path, siblings: set[str]) -> bool:
    """True for a file that belongs to another one beside it (``siblings``: lower-case names)."""
    name = path.name.lower()
    if name.endswith(SIDECAR_ENDINGS):
        return True
    suffix = path.suffix.lower()
    if suffix not in SIDECAR_SUFFIXES:
        return False
    if suffix == ".dbf":  # a .dbf alone is a table of its own
        return f"{path.stem.lower()}.shp" in siblings
    return True


def walk(paths: Sequence[str | Path]) -> Iterator[Path]:
    """Every file under ``paths`` in name order (folders walked, hidden entries and sidecars left
    out, symbolic links to folders not followed, each real file once)."""
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for folder, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                siblings = {f.lower() for f in files}
                # files before links to them: a link is the same data met twice, never in its place
                for name in sorted(files, key=lambda n: (os.path.islink(os.path.join(folder, n)), n)):
                    child = Path(folder) / name
                    if name.startswith(".") or is_sidecar(child, siblings):
                        continue
                    real = os.path.realpath(child)
                    if real not in seen:
                        seen.add(real)
                        yield child
        else:
            real = os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                yield path


def scan(
    paths: Sequence[str | Path],
    *,
    progress: Callable[[float, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Found]:
    """What each file under ``paths`` is (see the module docstring); :class:`InputError` for a
    path named that does not exist, :class:`Cancelled` once ``cancelled()``."""
    for raw in paths:
        if not Path(raw).exists():
            raise InputError(
                raw, "no such file or folder", hint="name the folder of your downloads, or its files"
            )
    files = list(walk(paths))
    found: list[Found] = []
    for i, path in enumerate(files):
        if cancelled is not None and cancelled():
            raise Cancelled()
        if progress is not None:
            progress(i / max(len(files), 1), path.name)
        found.extend(recognise(path))
    return found


def recognise(path: Path) -> list[Found]:
    """What ``path`` is: one :class:`Found` per layer used, or one saying why it is not used."""
    from layers.core.detect import detect_kind

    if path.name.lower().endswith(".maquette.json"):
        return [Found(path, reason="a project file (open it, it is not data of a new model)")]
    try:
        kind = detect_kind(path)
    except InputError as exc:
        if path.suffix.lower() in DOCUMENT_SUFFIXES:  # a README, a metadata sheet beside the data
            return [Found(path, reason=DOCUMENT)]
        return [Found(path, reason=exc.message)]
    except OSError as exc:
        return [Found(path, reason=f"cannot be read: {exc.strerror or exc}")]
    if is_osm_path(path):
        return _osm_layers(path)
    if path.suffix.lower() in MULTI_LAYER_SUFFIXES or path.suffix.lower() == ".zip":
        layers = _layers_of(path)
        if len(layers) > 1:
            return [Found(path, name, kind_for_layer(name, kind), role_of(name, kind)) for name in layers]
    return [Found(path, None, kind_for_layer(path.stem, kind), role_of(path.stem, kind))]


def _osm_layers(path: Path) -> list[Found]:
    """An OpenStreetMap extract: its buildings and one topographic layer per theme it holds."""
    from layers.session.file_layers import layer_choices

    try:
        choices = layer_choices(path)
    except InputError as exc:
        return [Found(path, reason=exc.message)]
    found = [Found(path, None, c.kind, c.role, topo_theme=c.theme) for c in choices]
    return found or [Found(path, reason="holds no buildings nor map features Maquette draws")]


def _layers_of(path: Path) -> list[str]:
    """The layer names of a GeoPackage or zip of shapefiles (``[]`` when they cannot be listed)."""
    from layers.io.vector_layers import list_layers

    try:
        return [name for name, _ in list_layers(path)]
    except InputError:
        return []
