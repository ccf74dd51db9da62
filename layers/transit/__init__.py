"""Public transport from a GTFS feed: stops, routes and vehicles at the clock time."""

from layers.core.kinds import Kind

KIND = Kind(
    name="transit",
    layer="layers.transit.layer:TransitLayer",
    header="layers.transit.detect:sniff_header",
)
