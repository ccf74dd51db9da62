"""Explicit quadtree tiling of buildings for 3D Tiles, refined by addition.

Each building is written exactly once. A tile holding more than ``max_per_tile`` buildings keeps the
``keep_per_parent`` largest of them (footprint area × height: the landmarks and the skyline) and
hands the others to its four quadrants (by footprint centre), down to leaves of at most
``max_per_tile`` buildings. With ``refine: "ADD"`` a client shows a parent's buildings and adds its
children's as the camera comes closer: far views show the big buildings first, no geometry is
duplicated, and every building is pickable at every distance where it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: deepest level of the tree (identical centres cannot be split further)
MAX_LEVEL = 24


@dataclass
class TileNode:
    """One tile: its quadrant (``cell``: xmin, ymin, xmax, ymax in the source CRS, metres), the rows
    of the buildings it holds, its children, and its key (``"0"``, ``"0-2"``, ``"0-2-1"``...)."""

    key: str
    level: int
    cell: tuple[float, float, float, float]
    rows: np.ndarray
    children: list[TileNode] = field(default_factory=list)

    def walk(self) -> list[TileNode]:
        """This tile and every tile below it, parents before children."""
        out, stack = [], [self]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out

    @property
    def size_m(self) -> float:
        """The width of the quadrant, metres."""
        return max(self.cell[2] - self.cell[0], self.cell[3] - self.cell[1])


def quadtree(
    centres: np.ndarray,
    importance: np.ndarray,
    *,
    max_per_tile: int = 2000,
    keep_per_parent: int | None = None,
) -> TileNode:
    """The tile tree of buildings whose footprint centres are ``centres`` ((n, 2) metres);
    ``importance`` (n,) orders who stays in a parent (larger first)."""
    if max_per_tile < 1:
        raise ValueError("max_per_tile must be at least 1")
    keep = max(1, max_per_tile // 4) if keep_per_parent is None else keep_per_parent
    centres = np.asarray(centres, np.float64)
    importance = np.asarray(importance, np.float64)
    xmin, ymin = centres.min(axis=0) if len(centres) else (0.0, 0.0)
    xmax, ymax = centres.max(axis=0) if len(centres) else (0.0, 0.0)
    side = max(xmax - xmin, ymax - ymin, 1.0)
    root = TileNode("0", 0, (float(xmin), float(ymin), float(xmin + side), float(ymin + side)), np.arange(0))
    pending = [(root, np.arange(len(centres)))]
    while pending:
        node, rows = pending.pop()
        if len(rows) <= max_per_tile or node.level >= MAX_LEVEL:
            node.rows = rows
            continue
        order = np.argsort(-importance[rows], kind="stable")
        node.rows = np.sort(rows[order[:keep]])
        rest = rows[order[keep:]]
        x0, y0, x1, y1 = node.cell
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        east = centres[rest, 0] >= mx
        north = centres[rest, 1] >= my
        quadrant = east.astype(np.int8) + 2 * north.astype(np.int8)
        cells = ((x0, y0, mx, my), (mx, y0, x1, my), (x0, my, mx, y1), (mx, my, x1, y1))
        for q in range(4):
            chosen = np.sort(rest[quadrant == q])
            if len(chosen):
                child = TileNode(f"{node.key}-{q}", node.level + 1, cells[q], np.arange(0))
                node.children.append(child)
                pending.append((child, chosen))
    return root
