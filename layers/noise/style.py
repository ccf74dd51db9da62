"""Display options of a noise map (kind ``noise``).

The colours are those of NF S 31-130 and cannot be changed (a noise map shown in another scale is
not a noise map any more). What can: whether the walls of the buildings are coloured by the level
in front of them, the limit value their report counts, and whether the no-data pixels along the
buildings are filled on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from layers.core.style import LayerStyle


@dataclass(frozen=True)
class NoiseStyle(LayerStyle):
    """The options of a noise map.

    Attributes
    ----------
    facades
        ``True``: the map and the buildings' façades coloured by the level in front of them;
        ``"only"``: the façades alone; ``False`` (or ``None``, as older projects wrote it): the map
        only (see :mod:`layers.noise.exposure`).
    facade_limit_db
        The limit value of the façade report, dB(A); ``None``: 68 for Lden, 62 for Ln (French
        road-traffic limits).
    fill_gaps
        Show the no-data pixels that touch a level with their loudest neighbour's level (strategic
        maps leave the pixels in buildings empty; the gaps would show as slivers along the
        walls). The model, the probe and the inspector keep the file's own no data.
    """

    facades: bool | Literal["only"] | None = False
    facade_limit_db: float | None = None
    fill_gaps: bool = True

    rebuild_fields: ClassVar[frozenset[str]] = frozenset({"facades", "facade_limit_db", "fill_gaps"})

    @property
    def shows_facades(self) -> bool:
        """The façades are computed and drawn."""
        return bool(self.facades)

    @property
    def shows_map(self) -> bool:
        """The map itself is drawn (not only its façades)."""
        return self.facades != "only"
