"""Pins: points with a label, one per line of a ``*.pins`` file (``x y label``, metres, EPSG:2154)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import CRS

from layers.core import crs as crs_util
from layers.core.base import Bounds, Layer
from layers.core.errors import InputError
from layers.core.style import LayerStyle


@dataclass(frozen=True)
class PinsStyle(LayerStyle):
    color: str = "#d62728"
    radius_m: float = 6.0


class PinsLayer(Layer[PinsStyle]):
    kind = "pins"
    style_class = PinsStyle

    def __init__(self, name: str, xy: np.ndarray, labels: list[str], **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.xy = xy
        self.labels = labels

    @classmethod
    def load(
        cls, path: str | Path, *, name: str | None = None, crs: object | None = None, **options: Any
    ) -> PinsLayer:
        path = Path(path)
        rows = [
            line.split(maxsplit=2) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        try:
            xy = np.array([[float(r[0]), float(r[1])] for r in rows], dtype=np.float64)
        except (ValueError, IndexError):
            raise InputError(path, "each line should be: x y label") from None
        labels = [r[2] if len(r) > 2 else "" for r in rows]
        layer = cls(
            name or path.stem,
            xy,
            labels,
            source=path,
            crs=crs_util.parse_crs(crs or "EPSG:2154"),
            style=options.get("style"),
        )
        return layer

    def bounds(self) -> Bounds:
        (xmin, ymin), (xmax, ymax) = self.xy.min(axis=0), self.xy.max(axis=0)
        return float(xmin), float(ymin), float(xmax), float(ymax)

    def reproject(self, crs: CRS) -> None:
        x, y = crs_util.transformer(self.crs, crs).transform(self.xy[:, 0], self.xy[:, 1])
        self.xy = np.column_stack([x, y])
        self.crs = crs

    def feature_count(self) -> int:
        return len(self.xy)

    def attributes(self, index: int) -> dict[str, Any]:
        return {"label": self.labels[index]}
