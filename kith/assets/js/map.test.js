// Run with: node --test kith/assets/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { markerIconOptions, readMarkers, searchPoint } from "./map.js";

const page = (json) => ({
  getElementById: (id) => (id === "results-map-data" && json !== null ? { textContent: json } : null),
});

test("markers come from the JSON script tag, skipping any without coordinates", () => {
  const json = JSON.stringify([
    { lat: 51.46, lng: -0.11, name: "Cafe", url: "/services/1/" },
    { lat: null, lng: -0.11, name: "Nowhere", url: "/services/2/" },
  ]);
  assert.deepEqual(readMarkers(page(json)), [
    { lat: 51.46, lng: -0.11, name: "Cafe", url: "/services/1/" },
  ]);
});

test("no data or broken data means no markers, so no map", () => {
  assert.deepEqual(readMarkers(page(null)), []);
  assert.deepEqual(readMarkers(page("{not json")), []);
});

test("marker images come from the page's URLs, hashed or not, never from Leaflet's guess", () => {
  const options = markerIconOptions({
    markerIcon: "/static/vendor/leaflet/images/marker-icon.0123456789ab.png",
    markerIcon2x: "/static/vendor/leaflet/images/marker-icon-2x.0123456789ab.png",
    markerShadow: "/static/vendor/leaflet/images/marker-shadow.0123456789ab.png",
  });
  assert.equal(options.iconUrl, "/static/vendor/leaflet/images/marker-icon.0123456789ab.png");
  assert.equal(options.iconRetinaUrl, "/static/vendor/leaflet/images/marker-icon-2x.0123456789ab.png");
  assert.equal(options.shadowUrl, "/static/vendor/leaflet/images/marker-shadow.0123456789ab.png");
  assert.deepEqual(options.iconSize, [25, 41]);
  assert.deepEqual(options.iconAnchor, [12, 41]);
  assert.equal(markerIconOptions({}), null);
});

test("the place searched from is read from the page, when it gives one", () => {
  assert.deepEqual(searchPoint({ centreLat: "51.485", centreLng: "-0.115" }), [51.485, -0.115]);
  assert.equal(searchPoint({}), null);
  assert.equal(searchPoint({ centreLat: "north", centreLng: "-0.115" }), null);
});
