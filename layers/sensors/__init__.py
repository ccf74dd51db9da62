"""Time series at places: counters, loggers, stations (tables, FIWARE, SensorThings)."""

from layers.core.kinds import Kind

KIND = Kind(
    name="sensors",
    layer="layers.sensors.layer:SensorLayer",
    header="layers.sensors.detect:sniff_header",
    features="layers.sensors.detect:sniff_features",
)
