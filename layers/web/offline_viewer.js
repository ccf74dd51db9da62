// Shared by Maquette's web pages (the story page and the 3D Tiles viewer page): CesiumJS on a plain
// globe that asks for nothing outside the page's folder (no Cesium ion, no imagery, no terrain
// server, no star or sun images), drawn only when something changes. Written at the top of each
// page's script by layers/web/page_shell.py; each page adds its own options.
window.maquetteOfflineViewer = function (container, groundColour, options) {
  "use strict";
  Cesium.Ion.defaultAccessToken = "";  // never Cesium ion: nothing below asks for it
  const viewer = new Cesium.Viewer(
    container,
    Object.assign(
      {
        baseLayer: false,  // no imagery: a plain ground colour
        terrainProvider: new Cesium.EllipsoidTerrainProvider(),
        baseLayerPicker: false,
        geocoder: false,
        homeButton: false,
        sceneModePicker: false,
        navigationHelpButton: false,
        fullscreenButton: false,
        animation: false,
        timeline: false,
        infoBox: false,  // its buttons speak English: the pages show their own panels
        selectionIndicator: false,
        skyBox: false,  // no star textures (and no sun or moon images)
        requestRenderMode: true,  // draws when something changes: quiet on a laptop
        maximumRenderTimeChange: Infinity,
        contextOptions: { webgl: { preserveDrawingBuffer: true } },
      },
      options || {},
    ),
  );
  if (viewer.scene.globe) {  // a page may draw its own ground instead (globe: false)
    viewer.scene.globe.baseColor = Cesium.Color.fromCssColorString(groundColour);
    viewer.scene.globe.showGroundAtmosphere = false;
  }
  return viewer;
};
