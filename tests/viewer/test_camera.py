"""The camera's depth range: a far-off city in the scene must not cut the one in view."""

from __future__ import annotations

import pytest
from vtkmodules.vtkFiltersSources import vtkCubeSource
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkRenderer

from viewer.camera import FAR_FLOOR_M, FAR_IN_DISTANCES, fit_clipping_range


def block(renderer: vtkRenderer, x: float, y: float, size: float = 100.0) -> None:
    cube = vtkCubeSource()
    cube.SetBounds(x, x + size, y, y + size, 0, 30)
    mapper = vtkPolyDataMapper()
    mapper.SetInputConnection(cube.GetOutputPort())
    actor = vtkActor()
    actor.SetMapper(mapper)
    renderer.AddActor(actor)


def looking_at_the_first_city(renderer: vtkRenderer) -> None:
    camera = renderer.GetActiveCamera()
    camera.SetFocalPoint(50, 50, 0)
    camera.SetPosition(50, -1_000, 800)  # 1.3 km away, looking down at 40°
    camera.SetViewUp(0, 0, 1)


def test_a_city_500_km_away_does_not_move_the_near_plane():
    renderer = vtkRenderer()
    block(renderer, 0, 0)
    looking_at_the_first_city(renderer)
    fit_clipping_range(renderer)
    alone = renderer.GetActiveCamera().GetClippingRange()
    block(renderer, 500_000, 300_000)  # Lyon, seen from Rennes
    fit_clipping_range(renderer)
    near, far = renderer.GetActiveCamera().GetClippingRange()
    camera = renderer.GetActiveCamera()
    assert far == pytest.approx(max(camera.GetDistance() * FAR_IN_DISTANCES, FAR_FLOOR_M))
    assert near <= max(alone[0], FAR_FLOOR_M * 0.001)  # the city in view (1 km away) is drawn whole
    assert near < 1_000


def test_a_view_of_both_cities_keeps_them_both():
    renderer = vtkRenderer()
    block(renderer, 0, 0)
    block(renderer, 500_000, 300_000)
    camera = renderer.GetActiveCamera()
    camera.SetFocalPoint(250_000, 150_000, 0)
    camera.SetPosition(250_000, 150_000, 900_000)
    fit_clipping_range(renderer)
    near, far = camera.GetClippingRange()
    assert near < 900_000 - 30 and far > 900_000
