"""Editing the planned project in the 3D view: drawing footprints, selecting a planned building and
dragging its handles, demolishing existing buildings (:class:`desktop.planning.tools.PlanTools`).

The tools only read the mouse and keys and call :mod:`layers.plan.edits`; every change is a session
command (:class:`layers.session.plan_commands.EditPlan`), so Ctrl+Z undoes it.
"""
