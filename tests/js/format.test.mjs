// node --test: the number, percentage and clock formats of frontend/static/js/shared/format.js.
import assert from "node:assert/strict";
import { test } from "node:test";

import { chance, clock, fill, num, percent, points, score } from "../../frontend/static/js/shared/format.js";

test("fill puts the named values in and leaves unknown names alone", () => {
  assert.equal(fill("Round %(round)s of %(rounds)s", { round: 2, rounds: 3 }), "Round 2 of 3");
  assert.equal(fill("%(missing)s and %(zero)s", { zero: 0 }), "%(missing)s and 0");
  assert.equal(fill(undefined, {}), "");
});

test("num writes numbers as the course does: two or three decimals and a true minus", () => {
  assert.equal(num(0.3), "0.30");
  assert.equal(num(0.375), "0.375");
  assert.equal(num(1.125), "1.125");
  assert.equal(num(-0.05), "−0.05");
  assert.equal(num(0), "0.00");
  assert.equal(num(-0.0001), "0.00"); // no minus on a value that rounds to zero
  assert.equal(num(null), "–");
  assert.equal(num(undefined), "–");
  assert.equal(num("x"), "–");
});

test("percentages, percentage points and chances", () => {
  assert.equal(percent(0.5), "50%");
  assert.equal(percent(0.8), "80%");
  assert.equal(points(0.35), "35");
  assert.equal(points(0.175), "17.5");
  assert.equal(chance(0.025), "2.5%");
  assert.equal(chance(0.7), "70%");
});

test("scores in hundredths with a true minus", () => {
  assert.equal(score(-0.26), "−26");
  assert.equal(score(0.5), "50");
});

test("clocks round up to whole seconds and never go below 0:00", () => {
  assert.equal(clock(42.4), "0:43");
  assert.equal(clock(60), "1:00");
  assert.equal(clock(125), "2:05");
  assert.equal(clock(-3), "0:00");
});
