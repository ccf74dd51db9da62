// Maquette's offline viewer of a 3D Tiles folder: CesiumJS over a plain ground, no request outside
// this folder (no Cesium ion, no imagery, no terrain server, no font). The words come from the page's
// configuration (#maquette-config), written in one language by layers/web/viewer_page.py.
// When the first view's tiles are drawn, document.body.dataset.ready is "1" (tests wait for it).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("maquette-config").textContent);
  const words = config.words;
  const status = document.getElementById("maquette-status");
  const panel = document.getElementById("maquette-feature");
  const numbers = new Intl.NumberFormat(config.locale, { maximumFractionDigits: 1 });

  function say(text) {
    status.textContent = text;
  }

  function fail(reason) {
    say(words.failed + " (" + reason + ")");
    document.body.dataset.ready = "error";
  }

  // the shared offline set-up (offline_viewer.js); here, the picked building is marked. No globe:
  // the ground is the page's own (story_ground.js), made without CesiumJS's web workers, which a
  // page opened from the disk cannot start
  const viewer = window.maquetteOfflineViewer("maquette-globe", config.groundColour, {
    selectionIndicator: true,
    globe: false,
    skyAtmosphere: false,
  });
  viewer.scene.backgroundColor = Cesium.Color.fromCssColorString(config.skyColour);
  window.maquette = { viewer: viewer, tileset: null };

  // opened from the disk, no fetch of this folder's files is allowed, scripts are: the tiles are
  // read from their copy as data: URIs (maquette-tiles.js), when the export wrote one
  const offDisk = window.location.protocol === "file:";
  function tilesetUrl() {
    if (!offDisk) {
      return Promise.resolve(config.tileset);
    }
    return new Promise(function (resolve, reject) {
      if (!config.tilesScript) {
        reject(new Error(config.tileset));
        return;
      }
      const script = document.createElement("script");
      script.src = config.tilesScript;
      script.onload = function () {
        resolve(window.MAQUETTE_TILES[config.tileset]);
      };
      script.onerror = reject;
      document.head.append(script);
    });
  }

  // a plain ground around the buildings: three times the tileset's radius each way
  function groundUnder(tileset) {
    const sphere = tileset.boundingSphere;
    const centre = Cesium.Cartographic.fromCartesian(sphere.center);
    const reach = Math.max(3 * sphere.radius, 2000) / 6378137;  // radians on the ellipsoid
    const east = reach / Math.max(Math.cos(centre.latitude), 0.1);
    const rectangle = new Cesium.Rectangle(
      centre.longitude - east, centre.latitude - reach, centre.longitude + east, centre.latitude + reach,
    );
    const degrees = [rectangle.west, rectangle.south, rectangle.east, rectangle.north].map(Cesium.Math.toDegrees);
    window.maquetteGround(viewer, { ground: degrees, groundColour: config.groundColour });
    // lit by a late morning's sun of midsummer where the buildings are (not by the reader's own
    // clock, which may be night there)
    const solarMorning = 10 - Cesium.Math.toDegrees(centre.longitude) / 15;  // hours, UTC
    viewer.clock.shouldAnimate = false;
    viewer.clock.currentTime = Cesium.JulianDate.addSeconds(
      Cesium.JulianDate.fromIso8601("2025-06-21T00:00:00Z"), solarMorning * 3600, new Cesium.JulianDate(),
    );
  }

  function describe(feature) {
    panel.replaceChildren();
    if (!(feature instanceof Cesium.Cesium3DTileFeature)) {
      panel.hidden = true;
      return;
    }
    const heading = document.createElement("h2");
    heading.textContent = words.building;
    const table = document.createElement("dl");
    for (const name of feature.getPropertyIds()) {
      const value = feature.getProperty(name);
      if (value === undefined || value === null || typeof value === "object") {
        continue;
      }
      const label = document.createElement("dt");
      label.textContent = words.properties[name] || name;
      const shown = document.createElement("dd");
      shown.dataset.property = name;
      if (typeof value === "number") {
        const unit = config.units[name];
        shown.textContent = numbers.format(value) + (unit ? "\u00a0" + unit : "");
      } else {
        shown.textContent = String(value);
      }
      table.append(label, shown);
    }
    panel.append(heading, table);
    panel.hidden = false;
  }

  // the picked building drawn in the highlight colour, its own colour given back when another is picked
  const highlight = Cesium.Color.fromCssColorString(config.highlightColour);
  let selected = null;
  let selectedColour = null;
  function select(feature) {
    if (selected !== null) {
      try {
        selected.color = selectedColour;
      } catch (error) {
        // its tile was unloaded meanwhile: nothing to give back
      }
    }
    selected = null;
    if (feature instanceof Cesium.Cesium3DTileFeature) {
      selected = feature;
      selectedColour = Cesium.Color.clone(feature.color);
      feature.color = highlight;
    }
  }

  new Cesium.ScreenSpaceEventHandler(viewer.scene.canvas).setInputAction(function (click) {
    const picked = viewer.scene.pick(click.position);
    viewer.selectedEntity = undefined;
    select(picked);
    describe(picked);
    viewer.scene.requestRender();
  }, Cesium.ScreenSpaceEventType.LEFT_CLICK);

  // CesiumJS writes the link to the data credits in English: the page's language instead
  for (const link of document.querySelectorAll(".cesium-credit-expand-link")) {
    link.textContent = words.attribution;
  }

  function whenDrawn(tileset) {
    // ready once the camera is over the tileset and every tile that view needs is loaded and drawn
    const scene = viewer.scene;
    const mark = function () {
      const removeListener = scene.postRender.addEventListener(function () {
        removeListener();
        document.body.dataset.ready = "1";
        document.body.dataset.loadMs = String(Math.round(performance.now()));
        say("");
      });
      scene.requestRender();
    };
    if (tileset.tilesLoaded) {
      mark();
    } else {
      const removeLoaded = tileset.allTilesLoaded.addEventListener(function () {
        removeLoaded();
        mark();
      });
      scene.requestRender();
    }
  }

  say(words.loading);
  tilesetUrl()
    .then(function (url) {
      return Cesium.Cesium3DTileset.fromUrl(url, { environmentMapOptions: { enabled: false } });
    })
    .then(function (tileset) {
      window.maquette.tileset = tileset;
      tileset.tileFailed.addEventListener(function (error) {
        fail(String(error.message));
      });
      // a picked building takes most of the highlight colour (multiplied, blue on orange would be dark)
      tileset.colorBlendMode = Cesium.Cesium3DTileColorBlendMode.MIX;
      tileset.colorBlendAmount = 0.85;
      viewer.scene.primitives.add(tileset);
      groundUnder(tileset);
      // seen from the south, 35 degrees down, from about 2.5 times the tileset's radius
      const offset = new Cesium.HeadingPitchRange(
        0.0,
        Cesium.Math.toRadians(-35.0),
        tileset.boundingSphere.radius * 2.5,
      );
      return viewer.flyTo(tileset, { duration: config.flightSeconds, offset: offset }).then(function () {
        whenDrawn(tileset);
      });
    })
    .catch(function (error) {
      if (offDisk) {
        document.getElementById("maquette-file").hidden = false;
      }
      fail(String(error && error.message ? error.message : error));
    });
})();
