// The story page's buildings coloured by an attribute (height, usage...) at the steps that colour
// them so in the app: each building in the colour the app gives it, read from styles/<n>.json (the
// buildings' ids as their tiles carry them, and per colouring a palette and each building's place
// in it; written by layers/web/story_page.py). A step without a colouring shows the tiles' own plain
// colour. Written by layers/web/page_shell.py before story.js, which calls
// window.maquetteBuildingStyles.
window.maquetteBuildingStyles = function (config) {
  "use strict";
  const documents = {};  // page layer key → { rows: Map(id → row), colours: [[Cesium.Color]], index }
  let pending = 0;
  let failure = null;

  let latest = null;  // the last step shown, shown again once a colouring is read

  function load(key, bundled) {
    const url = config.buildingStyles[key];
    const source = bundled && bundled[url] ? bundled[url] : url;
    documents[key] = null;  // being read
    pending += 1;
    Cesium.Resource.fetchJson({ url: source })
      .then(function (document) {
        const rows = new Map();
        document.ids.forEach(function (id, row) {
          rows.set(id, row);
        });
        documents[key] = {
          rows: rows,
          styles: document.styles.map(function (style) {
            return {
              colours: style.palette.map(function (hex) {
                return Cesium.Color.fromCssColorString(hex);
              }),
              index: style.index,
            };
          }),
        };
        if (latest !== null) {
          show(latest.step, latest.tilesets, latest.bundled);
        }
      })
      .catch(function (error) {
        failure = String(error && error.message ? error.message : error);
      })
      .finally(function () {
        pending -= 1;
      });
  }

  // a style that gives each building its colour in colouring ``which`` of ``document``; buildings
  // the colouring does not know keep white (their plain colour under the REPLACE blend is not used)
  function styleOf(document, which) {
    const colouring = document.styles[which];
    const style = new Cesium.Cesium3DTileStyle();
    style.color = {
      evaluateColor: function (feature, result) {
        const row = document.rows.get(String(feature.getProperty("id")));
        const colour = row === undefined ? Cesium.Color.WHITE : colouring.colours[colouring.index[row]];
        return Cesium.Color.clone(colour, result);
      },
    };
    return style;
  }

  // colour ``tilesets`` (page layer key → Cesium3DTileset) as ``step`` does; ``bundled``: path →
  // data: URI (a page opened from the disk)
  function show(step, tilesets, bundled) {
    latest = { step: step, tilesets: tilesets, bundled: bundled };
    const wanted = step.buildingStyles || {};
    for (const key of Object.keys(tilesets)) {
      const tileset = tilesets[key];
      const which = wanted[key];
      if (which === undefined) {
        if (tileset.style !== undefined) {
          tileset.style = undefined;
          tileset.colorBlendMode = Cesium.Cesium3DTileColorBlendMode.HIGHLIGHT;
        }
        continue;
      }
      const document = documents[key];
      if (document === undefined) {
        load(key, bundled);
        continue;
      }
      if (document === null) {
        continue;  // being read: shown once read
      }
      tileset.colorBlendMode = Cesium.Cesium3DTileColorBlendMode.REPLACE;
      tileset.style = styleOf(document, which);
    }
  }

  return {
    show: show,
    // every colouring the shown step needs read
    ready: function () {
      return pending === 0;
    },
    failure: function () {
      return failure;
    },
  };
};
