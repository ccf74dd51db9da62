"""The tiled store: a whole region's buildings prepared once (``maquette prepare``), read by tile.

A store is a folder (see :mod:`layers.store.layout`): GeoParquet 1.1 files of footprints with
heights, sorted along a Hilbert curve and cut into square tiles (:mod:`layers.store.grid`), merged
blocks for far views (:mod:`layers.store.lod`), an index of tiles and ``store.json``.
:mod:`layers.store.prepare` writes it on Dask (a local cluster or an existing one),
:mod:`layers.store.reader` reads it (``open_store``).

Importing this package imports nothing heavy (no Dask, pandas or geopandas): each module imports
what it uses.
"""
