"""Trees of a city's inventory: instanced 3D trees sized by their attributes, casting shadows."""

from layers.core.kinds import Kind

KIND = Kind(
    name="trees",
    layer="layers.trees.layer:TreesLayer",
    header="layers.trees.detect:sniff_header",
    features="layers.trees.detect:sniff_features",
)
