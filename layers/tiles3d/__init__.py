"""3D Tiles 1.1 export of buildings: glTF tiles with per-building metadata, tileset.json, ECEF placement.

:func:`layers.tiles3d.writer.write_tileset` is the entry point; :mod:`.frames` places tiles on the
Earth, :mod:`.tiling` cuts the buildings into a quadtree, :mod:`.content` writes one tile's glb.
No VTK: the model side only.
"""
