// Maquette's story page: the steps of a story over the buildings in CesiumJS, offline (no request
// outside this folder). The steps, words and layers come from #story-config, written in one language
// by layers/web/story_page.py. Navigation: the buttons, the step list, the keys (←/→, Home/End,
// Page Up/Down) and a swipe on the panel. Each step flies the camera, sets the clock (the sun's
// light) and shows its buildings layers. When a step's view is drawn with all its tiles,
// document.body.dataset.settled is its index (and dataset.ready "1" after the first: tests wait).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("story-config").textContent);
  const words = config.words;
  const steps = config.steps;
  const $ = function (id) {
    return document.getElementById(id);
  };
  const status = $("story-status");
  const clockWords = new Intl.DateTimeFormat(config.locale, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: config.timezone,
  });
  let current = -1;
  let generation = 0;  // a newer step cancels the wait for the older one's tiles

  function say(text) {
    status.textContent = text;
  }

  // opened from the disk: no fetch of this folder's files is allowed, scripts are; the tiles are
  // read from story-tiles.js (data: URIs), loaded only then
  const offDisk = window.location.protocol === "file:";
  function tilesBundle() {
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = config.tilesScript;
      script.onload = function () {
        resolve(window.MAQUETTE_TILES);
      };
      script.onerror = reject;
      document.head.append(script);
    });
  }

  // -- the 3D view ---------------------------------------------------------------------------
  let viewer = null;
  const tilesets = {};  // layer key → Cesium3DTileset once loaded
  let ground = null;  // the ground, the draped pictures and the vectors (story_ground.js)
  let styles = null;  // the buildings coloured by an attribute at some steps (story_styles.js)
  let bundled = null;  // opened from the disk: path → data: URI (story-tiles.js)
  // CesiumJS is read after the captions and the navigation are shown and working (its script is
  // most of the page's weight): the reader can start reading while the 3D view is made
  function loadCesium() {
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = config.cesiumScript;
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error(config.cesiumScript));
      };
      document.head.append(script);
    });
  }

  // after the next frame is painted (the captions on screen before CesiumJS's script is parsed)
  function afterPaint() {
    return new Promise(function (resolve) {
      window.requestAnimationFrame(function () {
        window.setTimeout(resolve, 0);
      });
    });
  }

  function startViewer() {
    // the shared offline set-up (offline_viewer.js), with less to draw on a CPU renderer: no sky
    // atmosphere (the sky is not seen from the story's views), no multisampling; no globe: the
    // ground is the page's own (story_ground.js), made without CesiumJS's web workers
    viewer = window.maquetteOfflineViewer("story-globe", config.groundColour, {
      skyAtmosphere: false,
      msaaSamples: 1,
      globe: false,
    });
    const scene = viewer.scene;
    scene.backgroundColor = Cesium.Color.fromCssColorString(config.skyColour);
    ground = window.maquetteGround(viewer, config);
    styles = window.maquetteBuildingStyles(config);
    scene.fog.enabled = false;
    scene.postProcessStages.fxaa.enabled = false;
    scene.highDynamicRange = false;
    viewer.clock.shouldAnimate = false;
    window.maquette.viewer = viewer;
    window.maquette.ground = ground;
    window.maquette.styles = styles;
    // the first frame of the globe drawn: its time since the navigation (bench/publish.py reads it)
    const firstFrame = scene.postRender.addEventListener(function () {
      firstFrame();
      document.body.dataset.globeMs = String(Math.round(performance.now()));
    });
    for (const link of document.querySelectorAll(".cesium-credit-expand-link")) {
      link.textContent = words.credits;
    }
  }
  window.maquette = { viewer: viewer, tilesets: tilesets, go: go };

  function fail(reason) {
    say(words.failed + " (" + reason + ")");
    document.body.dataset.ready = "error";
  }

  function setFieldOfView(step) {
    const camera = step.camera;
    if (!viewer || !camera) {
      return;
    }
    // the app's angle is vertical; CesiumJS's is the wider side's
    const canvas = viewer.scene.canvas;
    const aspect = canvas.clientWidth / Math.max(canvas.clientHeight, 1);
    const vertical = Cesium.Math.toRadians(camera.fov_deg);
    viewer.camera.frustum.fov = aspect > 1 ? 2 * Math.atan(Math.tan(vertical / 2) * aspect) : vertical;
  }

  function allLoaded() {
    return config.layers.every(function (layer) {
      const tileset = tilesets[layer.key];
      return tileset !== undefined && (!tileset.show || tileset.tilesLoaded);
    });
  }

  function settleWhenDrawn(index, mine) {
    // the step's tiles loaded and drawn: mark it (polling: requestRenderMode draws only when asked)
    // (a tileset just shown still says tilesLoaded until a frame has asked for its tiles: two frames
    // are drawn before its word is taken)
    const scene = viewer.scene;
    const firstFrame = scene.frameState.frameNumber;
    const check = function () {
      if (mine !== generation) {
        return;
      }
      if (scene.frameState.frameNumber < firstFrame + 2 || !allLoaded() || !ground.ready() || !styles.ready()) {
        scene.requestRender();
        window.setTimeout(check, 200);  // not faster: each check draws a frame, which delays the tiles
        return;
      }
      const failure = ground.failure() || styles.failure();
      if (failure !== null) {
        fail(failure);
        return;
      }
      const remove = scene.postRender.addEventListener(function () {
        remove();
        if (mine !== generation) {
          return;
        }
        document.body.dataset.settled = String(index);
        if (document.body.dataset.ready !== "1") {
          document.body.dataset.ready = "1";
          document.body.dataset.loadMs = String(Math.round(performance.now()));
        }
        say("");
      });
      scene.requestRender();
    };
    check();
  }

  // a step without a view of its own keeps the camera where it is, as in the app; where there is
  // none yet (the first step) or the reader asks to go back, the city is framed from the south,
  // looking down obliquely
  function frameCity(animate) {
    const spheres = Object.values(tilesets)
      .filter(function (tileset) {
        return tileset.show;
      })
      .map(function (tileset) {
        return tileset.boundingSphere;
      });
    if (!spheres.length) {
      return false;
    }
    const sphere = Cesium.BoundingSphere.fromBoundingSpheres(spheres);
    const camera = viewer.camera;
    const before = {
      destination: Cesium.Cartesian3.clone(camera.positionWC),
      orientation: { heading: camera.heading, pitch: camera.pitch, roll: camera.roll },
    };
    // the part of the view the panel leaves free: on its right on a wide screen, above it on a phone
    const canvas = viewer.scene.canvas;
    const panel = $("story-panel").getBoundingClientRect();
    const beside = panel.bottom > 0.8 * canvas.clientHeight && panel.top < 0.2 * canvas.clientHeight;
    const freeWidth = beside ? canvas.clientWidth - panel.right : canvas.clientWidth;
    const freeHeight = beside ? canvas.clientHeight : panel.top;
    // the sphere seen within the free part's narrower side (1.4: a flat city seen obliquely fills
    // less of the picture than its bounding sphere)
    const tangent = (Math.tan(camera.frustum.fovy / 2) / canvas.clientHeight) * Math.max(Math.min(freeWidth, freeHeight), 100);
    const range = sphere.radius / (1.4 * tangent);
    camera.viewBoundingSphere(sphere, new Cesium.HeadingPitchRange(0, Cesium.Math.toRadians(-40), range));
    camera.lookAtTransform(Cesium.Matrix4.IDENTITY);
    // then shifted sideways (or down) so that the city sits in the middle of the free part
    const metresPerPixel = (2 * range * Math.tan(camera.frustum.fovy / 2)) / canvas.clientHeight;
    if (beside) {
      camera.moveLeft((metresPerPixel * panel.right) / 2);
    } else {
      camera.moveDown((metresPerPixel * (canvas.clientHeight - panel.top)) / 2);
    }
    if (animate) {
      const after = {
        destination: Cesium.Cartesian3.clone(camera.positionWC),
        orientation: { heading: camera.heading, pitch: camera.pitch, roll: camera.roll },
      };
      camera.setView(before);
      camera.flyTo(Object.assign(after, { duration: config.flightSeconds }));
    }
    return true;
  }

  function moveCamera(step, index, animate, mine, frame) {
    if (!viewer) {
      return;
    }
    for (const layer of config.layers) {
      const tileset = tilesets[layer.key];
      if (tileset !== undefined) {
        tileset.show = Boolean(step.layers[layer.key]);
      }
    }
    if (!offDisk || bundled !== null) {  // from the disk, the pictures come with story-tiles.js
      ground.show(step, bundled);
      styles.show(step, tilesets, bundled);
    }
    if (step.time) {
      viewer.clock.currentTime = Cesium.JulianDate.fromIso8601(step.time);
    }
    setFieldOfView(step);
    const camera = step.camera;
    if (!camera) {
      if (frame) {
        frameCity(animate);
      }
      settleWhenDrawn(index, mine);
      return;
    }
    const target = {
      destination: new Cesium.Cartesian3(camera.destination[0], camera.destination[1], camera.destination[2]),
      orientation: { heading: camera.heading, pitch: camera.pitch, roll: camera.roll },
    };
    if (!animate) {
      viewer.camera.setView(target);
      settleWhenDrawn(index, mine);
      return;
    }
    viewer.camera.flyTo(
      Object.assign(target, {
        duration: config.flightSeconds,
        complete: function () {
          settleWhenDrawn(index, mine);
        },
        cancel: function () {
          settleWhenDrawn(index, mine);
        },
      }),
    );
    viewer.scene.requestRender();
  }

  // -- the caption, the list, the legend ------------------------------------------------------
  // the step's clock time, or the time range it replays in the app ("2 juillet 2025, 07:30–09:00")
  function clockText(step) {
    if (!step.time) {
      return "";
    }
    const start = new Date(step.time);
    if (step.until && clockWords.formatRange) {
      return clockWords.formatRange(start, new Date(step.until));
    }
    return clockWords.format(start);
  }

  function showCaption(step, index) {
    $("story-position").textContent = words.position
      .replace("{n}", String(index + 1))
      .replace("{total}", String(steps.length));
    $("story-step-title").textContent = step.title;
    const text = $("story-step-text");
    text.replaceChildren();
    for (const line of step.text.split("\n")) {
      if (line.trim()) {
        const paragraph = document.createElement("p");
        paragraph.textContent = line;
        text.append(paragraph);
      }
    }
    $("story-time").textContent = clockText(step);
    for (const button of document.querySelectorAll("#story-list button")) {
      if (Number(button.dataset.step) === index) {
        button.setAttribute("aria-current", "step");
      } else {
        button.removeAttribute("aria-current");
      }
    }
    $("story-previous").disabled = index === 0;
    $("story-next").disabled = index === steps.length - 1;
    const legend = $("story-legend-items");
    legend.replaceChildren();
    for (const layer of config.layers) {
      // a layer coloured by an attribute is explained by its own legend (with the overlays')
      if (!step.layers[layer.key] || (step.buildingStyles || {})[layer.key] !== undefined) {
        continue;
      }
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "story-swatch";
      swatch.style.background = layer.colour;
      item.append(swatch, document.createTextNode(layer.name));
      if (layer.planned) {
        item.className = "story-planned";
      }
      legend.append(item);
    }
    for (const item of step.legends || []) {
      legend.append(overlayLegend(item));
    }
    $("story-legend").hidden = legend.childElementCount === 0;
  }

  // an overlay's legend as the app's legend column draws it: classes with swatches, or a ramp
  // with its ticks; the title names the quantity and its unit
  function overlayLegend(item) {
    const box = document.createElement("li");
    box.className = "story-overlay-legend";
    const title = document.createElement("p");
    title.className = "story-legend-title";
    title.textContent = item.title;
    box.append(title);
    if (item.entries.length) {
      const list = document.createElement("ul");
      for (const [colour, label] of item.entries) {
        const row = document.createElement("li");
        const swatch = document.createElement("span");
        swatch.className = "story-swatch";
        swatch.style.background = colour;
        row.append(swatch, document.createTextNode(label));
        list.append(row);
      }
      box.append(list);
    }
    if (item.ramp.length) {
      const ramp = document.createElement("div");
      ramp.className = "story-ramp";
      ramp.style.background = "linear-gradient(to right, " + item.ramp.join(", ") + ")";
      const ticks = document.createElement("div");
      ticks.className = "story-ticks";
      for (const [position, label] of item.ticks) {
        const tick = document.createElement("span");
        tick.style.left = (100 * position).toFixed(2) + "%";
        tick.textContent = label;
        ticks.append(tick);
      }
      box.append(ramp, ticks);
    }
    return box;
  }

  function go(index, animate) {
    index = Math.max(0, Math.min(steps.length - 1, index));
    if (index === current && animate !== false) {
      return;
    }
    current = index;
    generation += 1;
    $("story-back").hidden = true;
    document.body.dataset.step = String(index);
    const step = steps[index];
    showCaption(step, index);
    moveCamera(step, index, animate !== false, generation);
  }

  // -- navigation ---------------------------------------------------------------------------
  $("story-previous").addEventListener("click", function () {
    go(current - 1);
  });
  $("story-next").addEventListener("click", function () {
    go(current + 1);
  });
  // the text folded away (on a phone, the view behind it), and back
  const fold = $("story-fold");
  fold.addEventListener("click", function () {
    const folded = $("story-panel").classList.toggle("story-folded");
    fold.setAttribute("aria-expanded", String(!folded));
    fold.textContent = folded ? fold.dataset.unfold : fold.dataset.fold;
  });
  // the reader turned or zoomed the view: offer the way back to the step's own view
  const back = $("story-back");
  for (const kind of ["pointerdown", "wheel", "touchstart"]) {
    $("story-globe").addEventListener(
      kind,
      function () {
        back.hidden = false;
      },
      { passive: true },
    );
  }
  back.addEventListener("click", function () {
    back.hidden = true;
    generation += 1;
    moveCamera(steps[current], current, true, generation, true);
  });
  for (const button of document.querySelectorAll("#story-list button")) {
    button.addEventListener("click", function () {
      go(Number(button.dataset.step));
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    const moves = {
      ArrowRight: current + 1,
      PageDown: current + 1,
      ArrowLeft: current - 1,
      PageUp: current - 1,
      Home: 0,
      End: steps.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      go(moves[event.key]);
    }
  });
  // a swipe on the panel (the globe keeps its own drag and pinch for the camera)
  let touchX = null;
  const panel = $("story-panel");
  panel.addEventListener(
    "touchstart",
    function (event) {
      touchX = event.changedTouches[0].clientX;
    },
    { passive: true },
  );
  panel.addEventListener("touchend", function (event) {
    if (touchX === null) {
      return;
    }
    const dx = event.changedTouches[0].clientX - touchX;
    touchX = null;
    if (Math.abs(dx) > 50) {
      go(dx < 0 ? current + 1 : current - 1);
    }
  });

  // -- start: the first step at once, the tiles loaded meanwhile --------------------------------
  go(0, false);
  say(words.loading);
  afterPaint()
    .then(loadCesium)
    .then(function () {
      startViewer();
      moveCamera(steps[current], current, false, generation);
      return offDisk ? tilesBundle() : null;
    })
    .then(function (bundle) {
      bundled = bundle;
      ground.show(steps[current], bundled);
      return Promise.all(
        config.layers.map(function (layer) {
          return loadTileset(layer, bundle ? bundle[layer.tileset] : layer.tileset);
        }),
      );
    })
    .then(function () {
      generation += 1;
      styles.show(steps[current], tilesets, bundled);
      if (!steps[current].camera) {
        frameCity(false);
      }
      settleWhenDrawn(current, generation);
    })
    .catch(function (error) {
      if (offDisk) {
        $("story-file").hidden = false;
      }
      fail(String(error && error.message ? error.message : error));
    });

  function loadTileset(layer, url) {
    // no dynamic environment map: lighting the buildings by a sky rendered into cube maps costs
    // half a second of shader compiling on a CPU renderer, for a sky these views barely show
    return Cesium.Cesium3DTileset.fromUrl(url, { environmentMapOptions: { enabled: false } }).then(function (tileset) {
      tileset.tileFailed.addEventListener(function (error) {
        fail(String(error.message));
      });
      tileset.show = Boolean(steps[current].layers[layer.key]);
      viewer.scene.primitives.add(tileset);
      tilesets[layer.key] = tileset;
    });
  }
})();
