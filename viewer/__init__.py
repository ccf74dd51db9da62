"""Maquette's 3D view: layers turned into a VTK scene, through PyVista.

One actor (or a handful) per layer, never one per feature; scalars updated in place when the clock
moves; legends, scale bar, north arrow, clock and credits drawn in the scene itself so that the GUI,
``maquette render`` and exported videos show the same thing. No Qt here: the GUI hands its
``pyvistaqt.QtInteractor`` to :class:`viewer.scene_view.SceneView`, the command line an off-screen
``pyvista.Plotter``.
"""
