"""Web pages that show Maquette's exports in a browser, offline: the CesiumJS viewer of a 3D Tiles
folder (:mod:`layers.web.viewer_page`) and the copy of the CesiumJS build it needs
(:mod:`layers.web.cesium_build`). No Qt, no VTK."""
