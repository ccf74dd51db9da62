"""Street lines, their width and colour by daily traffic (per direction when the data says it)."""

from layers.core.kinds import Kind

KIND = Kind(
    name="streets",
    layer="layers.streets.layer:StreetsLayer",
    features="layers.streets.detect:sniff_features",
)
