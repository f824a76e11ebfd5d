// Run with: node --test kith/assets/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { coarse } from "./locate.js";

test("coordinates are rounded to three decimal places before they reach a URL", () => {
  assert.equal(coarse(51.465512345), "51.466");
  assert.equal(coarse(-0.115049876), "-0.115");
  assert.equal(coarse(51), "51.000");
});
