"""Canopy: a LiDAR height model (MNH / DHM / CHM: surface − terrain) as vegetation in 3D, casting shadows."""

from layers.core.kinds import Kind

KIND = Kind(
    name="canopy",
    layer="layers.canopy.layer:CanopyLayer",
    header="layers.canopy.detect:sniff_header",
)
