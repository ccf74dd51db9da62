"""The main window's jobs, one small controller each; :class:`desktop.main_window.MainWindow`
builds the widgets and wires these together.

* :mod:`.workspace`: what the window shows now (project, scene, 3D view, session model).
* :mod:`.tasks`: background work with the status bar's progress and Cancel.
* :mod:`.messages`: the message boxes for bad input and unexpected errors.
* :mod:`.questions`: questions about data (outside the project's folder, missing, without a CRS,
  sensors without positions).
* :mod:`.files`: opening, adding, saving, autosaving.
* :mod:`.camera`: camera flights, named views.
* :mod:`.picking`: the mouse over the 3D view (pick, coordinates, wheel), search results.
* :mod:`.mediation`: presentation, story, comments, before / after.

Controllers receive what they need explicitly (widgets, the workspace, other controllers); none
imports the main window, and each depends only on those listed before it.
"""
