// node --test: the play page words theory's claims only by their codes and fills in the server's numbers.
import assert from "node:assert/strict";
import { test } from "node:test";

import { claimText, claimValues } from "../../frontend/static/js/play/theory.js";

const TEMPLATES = {
  challenge_indifferent: "indifferent: challenges with probability %(p)s",
  range_boundary: "At ρ = %(rho)s the status quo lies on the edge of [%(low)s, %(high)s].",
};

test("a claim is worded by its code, probabilities in percent and the rest as decimals", () => {
  assert.equal(claimText(TEMPLATES, { claim: "challenge_indifferent", p: 15 / 26 }),
    "indifferent: challenges with probability 58%");
  assert.equal(claimText(TEMPLATES, { claim: "range_boundary", rho: 0.8, low: 0.39, high: 1 }),
    "At ρ = 0.80 the status quo lies on the edge of [0.39, 1.00].");
  assert.deepEqual(claimValues({ claim: "x", p: 0.5, low: -0.05 }), { p: "50%", low: "−0.05" });
});

test("a code the strings do not know gives no sentence", () => {
  assert.equal(claimText(TEMPLATES, { claim: "unknown", p: 1 }), "");
  assert.equal(claimText(null, { claim: "challenge_indifferent" }), "");
});
