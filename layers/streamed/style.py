"""Display options of a streamed store (kind ``streamed``): the buildings kind's colours, and the
memory the loaded tiles may take."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from layers.buildings.style import DEFAULT_CMAP, BuildingsFilter
from layers.core.style import LayerStyle

#: the memory loaded tiles may take by default (MB)
DEFAULT_MEMORY_MB = 600.0


@dataclass(frozen=True, kw_only=True)
class StreamedStyle(LayerStyle):
    """How streamed buildings are drawn.

    Attributes
    ----------
    color_by
        ``"height_m"``: coloured by height through ``cmap`` over ``clim`` (default: the store's
        height range on round numbers); ``"usage"``: by usage, the buildings kind's categorical
        palette over the usages of the whole store; ``None``: one plain colour.
    cmap, clim, color
        As the buildings kind's (:class:`layers.buildings.style.BuildingsStyle`).
    memory_mb
        Megabytes the loaded tiles may take (their numpy arrays); the least recently shown tiles
        are dropped beyond it.
    filter
        Which buildings are shown, as the buildings kind's (:class:`BuildingsFilter` on
        ``height_m`` or ``usage``), applied to each tile as it is drawn.
    """

    color_by: Literal["height_m", "usage"] | None = None
    cmap: str = DEFAULT_CMAP
    clim: tuple[float, float] | None = None
    color: str | None = None
    memory_mb: float = DEFAULT_MEMORY_MB
    filter: BuildingsFilter = field(default_factory=BuildingsFilter)

    rebuild_fields: ClassVar[frozenset[str]] = frozenset({"color_by", "cmap", "clim", "color", "filter"})
