"""Measuring the scene: distances along the ground and in 3D, path lengths, planar areas and heights.

Pure geometry on float64 points in the scene CRS (projected, metres); no Qt, no VTK. The window's
Measure tool (``desktop/measure/``) picks the points and shows the
:class:`~layers.measure.result.Measurement`.
"""
