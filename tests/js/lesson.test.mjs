// node --test: what a round's result teaches (frontend/static/js/play/lesson.js): why the US's reputation
// moved, and which of a student's decisions the server made for them.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  movedForIndex, movedForMe, reputationCause, reputationChange, reputationLesson,
} from "../../frontend/static/js/play/lesson.js";

function round(history, alliance, extra = {}) {
  return { history: history, public: { alliance: alliance }, ...extra };
}

const ALLIED_WAR = [
  { node: "alliance", role: "us", action: "alliance" },
  { node: "challenge", role: "challenger", action: "challenge" },
  { node: "response", role: "japan", action: "resist" },
  { node: "attack", role: "challenger", action: "attack" },
];

test("the reputation moves on the US's last decision, read in the light of the alliance", () => {
  assert.equal(reputationCause(round([...ALLIED_WAR, { node: "intervention", role: "us", action: "stay_out" }], 1)),
    "abandoned");
  assert.equal(reputationCause(round([{ node: "alliance", role: "us", action: "no_alliance" },
    { node: "intervention", role: "us", action: "stay_out" }], 0)), "stayed_out");
  assert.equal(reputationCause(round([...ALLIED_WAR, { node: "intervention", role: "us", action: "intervene" }], 1)),
    "fought");
  assert.equal(reputationCause(round(ALLIED_WAR.slice(0, 2), 1)), "allied");
  assert.equal(reputationCause(round([{ node: "alliance", role: "us", action: "no_alliance" }], 0)), "no_alliance");
  assert.equal(reputationCause(round([{ node: "alliance", action: "no_alliance", auto: "neutrality_pact" }], 0)), null);
});

test("a change under half a percentage point is shown as no change", () => {
  assert.equal(reputationChange(0.5, 0.07), "fell");
  assert.equal(reputationChange(0.5, 0.94), "rose");
  assert.equal(reputationChange(0.5, 0.503), "same");
});

test("the lesson needs the round over and its update known", () => {
  const history = [...ALLIED_WAR, { node: "intervention", role: "us", action: "stay_out" }];
  const over = round(history, 1, { outcome: { label: "ABANDONMENT" }, reputation: { before: 0.5, pi_next: 0.07 } });
  assert.deepEqual(reputationLesson(over), { cause: "abandoned", change: "fell", before: 0.5, after: 0.07 });
  assert.equal(reputationLesson({ ...over, outcome: null }), null);
  assert.equal(reputationLesson({ ...over, reputation: null }), null);
});

test("the moves made for a student carry the action the history shows", () => {
  const r = round(ALLIED_WAR, 1, { moved_for: [{ node: "response", role: "japan", by: "timeout" },
    { node: "alliance", role: "us", by: "instructor" }] });
  assert.deepEqual(movedForMe(r, "japan"), [{ node: "response", role: "japan", by: "timeout", action: "resist" }]);
  assert.deepEqual(movedForMe(r, "challenger"), []);
  assert.deepEqual(movedForIndex(r), { "response:japan": "timeout", "alliance:us": "instructor" });
  assert.deepEqual(movedForMe(null, "japan"), []);
});
