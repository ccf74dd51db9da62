"""Readers turning files into data frames with a checked CRS (no layer logic here)."""

from layers.io.vector_file import VectorData, list_layers, read_vector

__all__ = ["VectorData", "list_layers", "read_vector"]
