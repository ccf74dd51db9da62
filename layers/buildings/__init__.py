"""Building footprints extruded by their height, and 3D city models (CityJSON, CityGML)."""

from layers.core.kinds import Kind

KIND = Kind(
    name="buildings",
    layer="layers.buildings.layer:BuildingsLayer",
    variants=("layers.buildings.citymodel:CityModelLayer",),
    header="layers.buildings.detect:sniff_header",
    features="layers.buildings.detect:sniff_features",
)
