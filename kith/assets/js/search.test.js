// Run with: node --test kith/assets/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { crisisBoxToFocus, isIncompleteDayAndTime } from "./search.js";

const form = ({ when, day = "", time = "" }) => ({
  querySelector: (selector) => {
    if (selector === "input[name=when]:checked") return when ? { value: when } : null;
    if (selector === "#day") return { value: day };
    if (selector === "#time") return { value: time };
    return null;
  },
});

test("a day-and-time search waits until both are chosen", () => {
  assert.equal(isIncompleteDayAndTime(form({ when: "at" })), true);
  assert.equal(isIncompleteDayAndTime(form({ when: "at", day: "wednesday" })), true);
  assert.equal(isIncompleteDayAndTime(form({ when: "at", day: "wednesday", time: "19:00" })), false);
});

test("other choices search at once", () => {
  assert.equal(isIncompleteDayAndTime(form({ when: "now" })), false);
  assert.equal(isIncompleteDayAndTime(form({ when: "any" })), false);
  assert.equal(isIncompleteDayAndTime(form({})), false);
});

const box = (hasOptions) => ({
  querySelector: (selector) =>
    selector === ".app-crisis-options" && hasOptions ? { className: "app-crisis-options" } : null,
});

test("crisis options that have just appeared take the focus", () => {
  const shown = box(true);
  assert.equal(crisisBoxToFocus(shown, false), shown);
});

test("crisis options already shown, or none, leave the focus alone", () => {
  assert.equal(crisisBoxToFocus(box(true), true), null);
  assert.equal(crisisBoxToFocus(box(false), false), null);
  assert.equal(crisisBoxToFocus(null, false), null);
});
