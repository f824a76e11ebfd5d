// Run with: node --test kith/assets/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { matchOptions, moveActive, normalise, statusText } from "./organisation-picker.js";

const organisations = [
  "Another fictional group",
  "Brixton Men's Shed",
  "Café Ünity Stockwell",
  "Kennington Kindness Collective",
  "Stockwell Neighbours (fictional)",
  "The Stockwell Allotment Society",
].map((text, index) => ({ value: String(index), text }));

const names = (found) => found.map((option) => option.text);

test("case, accents and punctuation do not matter", () => {
  assert.equal(normalise("  Café  Ünity!  "), "cafe unity");
  assert.equal(normalise("MEN\u2019S shed"), "mens shed");
  assert.deepEqual(names(matchOptions(organisations, "cafe unity")), ["Café Ünity Stockwell"]);
  assert.deepEqual(names(matchOptions(organisations, "men's")), ["Brixton Men's Shed"]);
});

test("a name that starts with what was typed comes first, then a word that does, then anywhere", () => {
  assert.deepEqual(names(matchOptions(organisations, "stock")), [
    "Stockwell Neighbours (fictional)",
    "Café Ünity Stockwell",
    "The Stockwell Allotment Society",
  ]);
  assert.deepEqual(names(matchOptions(organisations, "ion")), ["Another fictional group", "Stockwell Neighbours (fictional)"]);
});

test("every typed word must be in the name, in any order", () => {
  assert.deepEqual(names(matchOptions(organisations, "society stockwell")), ["The Stockwell Allotment Society"]);
  assert.deepEqual(names(matchOptions(organisations, "stockwell kennington")), []);
});

test("nothing typed matches nothing, and the list is cut to the limit", () => {
  assert.deepEqual(matchOptions(organisations, "   "), []);
  assert.equal(matchOptions(organisations, "e", 2).length, 2);
});

test("arrow keys wrap around the list; Home and End go to its ends", () => {
  assert.equal(moveActive(-1, 3, "ArrowDown"), 0);
  assert.equal(moveActive(2, 3, "ArrowDown"), 0);
  assert.equal(moveActive(0, 3, "ArrowUp"), 2);
  assert.equal(moveActive(-1, 3, "ArrowUp"), 2);
  assert.equal(moveActive(1, 3, "Home"), 0);
  assert.equal(moveActive(1, 3, "End"), 2);
  assert.equal(moveActive(1, 0, "ArrowDown"), -1);
});

test("the status says how many match, and what to do when none do", () => {
  assert.equal(statusText(1, 1), "1 organisation matches.");
  assert.equal(statusText(3, 3), "3 organisations match.");
  assert.equal(statusText(30, 45), "45 organisations match. The first 30 are shown: type more to narrow them.");
  assert.equal(statusText(0, 0), "No organisation matches. Check the name, or enter a new organisation below.");
});
