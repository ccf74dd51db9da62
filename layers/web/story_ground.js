// The story page's ground and what lies on it: a plain ground around the city, each step's draped
// pictures (basemap, noise map, heat...) and its lines, polygons and points (land use, streets,
// transit, sensors). All are CesiumJS primitives made on the page's own thread (asynchronous: false),
// not the globe's tiles or clamped geometry: those are made by CesiumJS's web workers, which a page
// opened from the disk (file://) cannot start, and waiting for them was most of the first step's
// load. The ground is flat at the ellipsoid, where layers/web/story_page.py seats the buildings; each
// kind lies a few decimetres above the one below, so that none flickers through another.
// Written by layers/web/page_shell.py before story.js, which calls window.maquetteGround.
window.maquetteGround = function (viewer, config) {
  "use strict";
  // radians (~1.3 km): a rectangle's flat pieces stay within 3 cm of the curved ground
  const GRANULARITY = 0.0002;
  // metres above the ground: each picture (in the order of config.overlays), then the vectors
  // (the pictures' stack stays within a metre, however many there are)
  const PICTURE_LIFT = 0.2;
  const PICTURE_STEP = Math.min(0.1, 1.0 / Math.max((config.overlays || []).length, 1));
  const vectorLift = PICTURE_LIFT + PICTURE_STEP * ((config.overlays || []).length + 1);
  const LIFT = { polygons: vectorLift, lines: vectorLift + 0.2, points: vectorLift + 0.4 };
  const scene = viewer.scene;
  const pictures = {};  // overlay id → Cesium.Primitive (made when first shown)
  const vectors = {};  // vector overlay id → list of primitives (made when first shown)
  let pending = 0;  // pictures and vector files being read
  let failure = null;

  function rectangle(degrees) {
    return Cesium.Rectangle.fromDegrees(degrees[0], degrees[1], degrees[2], degrees[3]);
  }

  // at most 256 pieces a side, however large the rectangle (a region's ground: pieces of a few km,
  // whose middle lies a metre or two under the curved ground, unseen from that far)
  function granularity(area) {
    return Math.max(GRANULARITY, Math.max(area.width, area.height) / 256);
  }

  // the ground, in the app's ground colour, unlit (lit by a high sun it washed out to white)
  if (config.ground) {
    scene.primitives.add(
      new Cesium.Primitive({
        geometryInstances: new Cesium.GeometryInstance({
          geometry: new Cesium.RectangleGeometry({
            rectangle: rectangle(config.ground),
            granularity: granularity(rectangle(config.ground)),
            height: 0,
            vertexFormat: Cesium.MaterialAppearance.MaterialSupport.BASIC.vertexFormat,
          }),
        }),
        appearance: new Cesium.MaterialAppearance({
          material: Cesium.Material.fromType("Color", {
            color: Cesium.Color.fromCssColorString(config.groundColour),
          }),
          materialSupport: Cesium.MaterialAppearance.MaterialSupport.BASIC,
          flat: true,
          translucent: false,
          faceForward: true,
        }),
        asynchronous: false,
      }),
    );
  }

  function read(promise) {
    pending += 1;
    return promise
      .catch(function (error) {
        failure = String(error && error.message ? error.message : error);
        return null;
      })
      .finally(function () {
        pending -= 1;
        scene.requestRender();
      });
  }

  // a draped picture: unlit, as the app draws it (a night step's noise map keeps the legend's
  // colours); classes and values with crisp texels, smooth fields filtered
  function picture(entry, index, image) {
    const filter = entry.crisp ? "NEAREST" : "LINEAR";
    const primitive = new Cesium.Primitive({
      geometryInstances: new Cesium.GeometryInstance({
        geometry: new Cesium.RectangleGeometry({
          rectangle: rectangle(entry.rectangle),
          granularity: granularity(rectangle(entry.rectangle)),
          height: PICTURE_LIFT + PICTURE_STEP * index,
          vertexFormat: Cesium.MaterialAppearance.MaterialSupport.TEXTURED.vertexFormat,
        }),
      }),
      appearance: new Cesium.MaterialAppearance({
        material: new Cesium.Material({
          fabric: { type: "Image", uniforms: { image: image, color: new Cesium.Color(1, 1, 1, 1) } },
          minificationFilter: Cesium.TextureMinificationFilter[filter],
          magnificationFilter: Cesium.TextureMagnificationFilter[filter],
        }),
        materialSupport: Cesium.MaterialAppearance.MaterialSupport.TEXTURED,
        flat: true,
        translucent: true,
        faceForward: true,
      }),
      asynchronous: false,
      show: false,
    });
    scene.primitives.add(primitive);
    return primitive;
  }

  function showPictures(step, bundled) {
    const wanted = {};
    for (const item of step.overlays || []) {
      wanted[item.id] = item.opacity;
    }
    (config.overlays || []).forEach(function (entry, index) {
      const opacity = wanted[entry.id];
      const made = pictures[entry.id];
      if (made === undefined) {
        if (opacity === undefined) {
          return;
        }
        pictures[entry.id] = null;  // being read
        const url = bundled && bundled[entry.image] ? bundled[entry.image] : entry.image;
        read(
          Cesium.Resource.fetchImage({ url: url }).then(function (image) {
            pictures[entry.id] = picture(entry, index, image);
            showPictures(currentStep, bundled);
          }),
        );
        return;
      }
      if (made !== null) {
        made.show = opacity !== undefined;
        made.appearance.material.uniforms.color.alpha = opacity === undefined ? 1.0 : opacity;
      }
    });
    scene.requestRender();
  }

  // -- lines, polygons, points: each feature in the app's colour (its "colour" property) -------
  function positions(coordinates, height) {
    const flat = [];
    for (const point of coordinates) {
      flat.push(point[0], point[1], height);
    }
    return Cesium.Cartesian3.fromDegreesArrayHeights(flat);
  }

  function parts(geometry, single, multi) {
    if (!geometry) {
      return [];
    }
    if (geometry.type === single) {
      return [geometry.coordinates];
    }
    if (geometry.type === multi) {
      return geometry.coordinates;
    }
    if (geometry.type === "GeometryCollection") {
      return geometry.geometries.flatMap(function (part) {
        return parts(part, single, multi);
      });
    }
    return [];
  }

  function instance(geometry, colour) {
    // made here, so that a degenerate feature (no area, one point) is left out alone
    const made = geometry && geometry.constructor.createGeometry(geometry);
    if (!made) {
      return null;
    }
    return new Cesium.GeometryInstance({
      geometry: made,
      attributes: { color: Cesium.ColorGeometryInstanceAttribute.fromColor(colour) },
    });
  }

  function vectorPrimitives(entry, document) {
    const polygons = [];
    const lines = [];
    const points = new Cesium.PointPrimitiveCollection();
    for (const feature of document.features || []) {
      const colour = Cesium.Color.fromCssColorString(feature.properties.colour);
      const shaded = colour.withAlpha(entry.opacity);
      for (const rings of parts(feature.geometry, "Polygon", "MultiPolygon")) {
        const hierarchy = new Cesium.PolygonHierarchy(
          positions(rings[0].slice(0, -1), LIFT.polygons),
          rings.slice(1).map(function (ring) {
            return new Cesium.PolygonHierarchy(positions(ring.slice(0, -1), LIFT.polygons));
          }),
        );
        polygons.push(
          instance(
            new Cesium.PolygonGeometry({
              polygonHierarchy: hierarchy,
              perPositionHeight: true,
              vertexFormat: Cesium.PerInstanceColorAppearance.FLAT_VERTEX_FORMAT,
            }),
            shaded,
          ),
        );
      }
      for (const line of parts(feature.geometry, "LineString", "MultiLineString")) {
        if (line.length < 2) {
          continue;
        }
        lines.push(
          instance(
            new Cesium.PolylineGeometry({
              positions: positions(line, LIFT.lines),
              width: 4,
              arcType: Cesium.ArcType.NONE,
              vertexFormat: Cesium.PolylineColorAppearance.VERTEX_FORMAT,
            }),
            shaded,
          ),
        );
      }
      for (const point of parts(feature.geometry, "Point", "MultiPoint")) {
        points.add({
          position: Cesium.Cartesian3.fromDegrees(point[0], point[1], LIFT.points),
          color: colour,
          pixelSize: 8,
          outlineColor: Cesium.Color.WHITE,
          outlineWidth: 2,
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
        });
      }
    }
    const made = [points];
    made.drawn = points.length;  // the features drawn (tests and the status read it)
    const kept = { polygons: polygons.filter(Boolean), lines: lines.filter(Boolean) };
    if (kept.polygons.length) {
      made.push(
        new Cesium.Primitive({
          geometryInstances: kept.polygons,
          appearance: new Cesium.PerInstanceColorAppearance({ flat: true, translucent: entry.opacity < 1 }),
          asynchronous: false,
        }),
      );
    }
    if (kept.lines.length) {
      made.push(
        new Cesium.Primitive({
          geometryInstances: kept.lines,
          appearance: new Cesium.PolylineColorAppearance({ translucent: entry.opacity < 1 }),
          asynchronous: false,
        }),
      );
    }
    made.drawn += kept.polygons.length + kept.lines.length;
    for (const primitive of made) {
      scene.primitives.add(primitive);
    }
    return made;
  }

  function showVectors(step, bundled) {
    const wanted = step.vectors || [];
    for (const entry of config.vectors || []) {
      const shown = wanted.includes(entry.id);
      const made = vectors[entry.id];
      if (made === undefined && shown) {
        vectors[entry.id] = null;  // being read
        const url = bundled && bundled[entry.url] ? bundled[entry.url] : entry.url;
        read(
          Cesium.Resource.fetchJson({ url: url }).then(function (document) {
            vectors[entry.id] = vectorPrimitives(entry, document);
            showVectors(currentStep, bundled);
          }),
        );
      } else if (made) {
        for (const primitive of made) {
          primitive.show = shown;
        }
      }
    }
    scene.requestRender();
  }

  let currentStep = {};
  return {
    // show what ``step`` shows (``bundled``: path → data: URI, a page opened from the disk)
    show: function (step, bundled) {
      currentStep = step;
      showPictures(step, bundled);
      showVectors(step, bundled);
    },
    // every picture and file of the shown step read and made
    ready: function () {
      return pending === 0;
    },
    // the reason the last picture or file could not be read, or null
    failure: function () {
      return failure;
    },
    // what is on the ground now: [[overlay id, opacity]] of the pictures shown, [[vector overlay
    // id, features drawn]] of the vectors shown
    shown: function () {
      const found = { pictures: [], vectors: [] };
      for (const [id, made] of Object.entries(pictures)) {
        if (made && made.show) {
          found.pictures.push([Number(id), made.appearance.material.uniforms.color.alpha]);
        }
      }
      for (const [id, made] of Object.entries(vectors)) {
        if (made && made[0].show) {
          found.vectors.push([Number(id), made.drawn]);
        }
      }
      return found;
    },
  };
};
