// Sentences about theory: the server sends each as a claim (`{claim: code, name: number, ...}`, from
// games/crisis/claims.py) and the strings hold one translated template per code (games/vocabulary/theory.py).
// This module only picks the template and fills in the numbers: probabilities as percentages, the rest as
// decimals (the names in PERCENT_VALUES, as games/vocabulary/theory.py says). Pure: node --test checks it.

import { fill, num, percent } from "../shared/format.js";

export const PERCENT_VALUES = new Set(["p", "phi0", "phi1"]);

// The claim's numbers formatted by their names.
export function claimValues(claim) {
  const values = {};
  for (const [name, value] of Object.entries(claim || {})) {
    if (name !== "claim") values[name] = PERCENT_VALUES.has(name) ? percent(value) : num(value);
  }
  return values;
}

// The claim in words ("" when the strings have no template for its code).
export function claimText(templates, claim) {
  const template = templates && claim ? templates[claim.claim] : null;
  return template ? fill(template, claimValues(claim)) : "";
}
