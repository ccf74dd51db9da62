"""The Measure tool on the 3D view (View › Measure, M): distances, paths, areas and heights picked
with the mouse, in float64 scene CRS metres (``layers/measure/``, ``viewer/measure_points.py``)."""
