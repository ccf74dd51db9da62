"""Readers turning files into data frames with a checked CRS (no layer logic here).

The vector reader (GeoPandas) is imported when first asked for, so that importing a light reader of
this package (``layers.io.tables`` for sniffing a file's kind) does not import GeoPandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layers.io.vector_file import VectorData, list_layers, read_vector

__all__ = ["VectorData", "list_layers", "read_vector"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from layers.io import vector_file

        return getattr(vector_file, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
