// Run with: node --test kith/assets/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readMarkers } from "./map.js";

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
