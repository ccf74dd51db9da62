"""Maquette's model: reading urban data, CRS handling, meshes as numpy arrays, the clock, the project.

Nothing in this package imports Qt, VTK or PyVista, so all of it runs and is tested without a
display. Geometry is kept in real projected coordinates (metres, the scene CRS) as float64; the
viewer subtracts the scene origin before anything reaches VTK.
"""

from layers.core.safety import offline_environment as _offline_environment

_offline_environment()  # before any GDAL / PROJ use: no network driver, no /vsicurl/, no PROJ CDN


def _version() -> str:
    """Maquette's version: ``pyproject.toml`` in a source checkout, else the installed metadata.

    ``pyproject.toml`` is the single source; an installed (or frozen) Maquette carries it in its
    distribution metadata, which ``importlib.metadata`` reads.
    """
    from pathlib import Path

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except (OSError, ValueError):
            project = {}
        if project.get("name") == "maquette" and project.get("version"):
            return str(project["version"])
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("maquette")
    except PackageNotFoundError:
        return "0+unknown"


__version__ = _version()
