// node --test: the play page's state rules (frontend/static/js/play/state.js) and the socket's backoff.
import assert from "node:assert/strict";
import { test } from "node:test";

import { PlayState, roundKey } from "../../frontend/static/js/play/state.js";
import { backoffDelay } from "../../frontend/static/js/shared/socket.js";

function view(number, seq, node = "alliance") {
  return { class: { status: "running" }, round: { number: number, seq: seq, node: node } };
}

function counter() {
  let n = 0;
  return () => "move-" + ++n;
}

test("a state older than the one shown is ignored: the page never goes back", () => {
  const state = new PlayState(counter());
  assert.equal(state.accept({ seq: 10, view: view(1, 2) }), null);
  assert.equal(state.accept({ seq: 9, view: view(1, 1) }), undefined);
  assert.equal(state.seq, 10);
  assert.equal(state.view.round.seq, 2);
  const shown = state.view;
  assert.equal(state.accept({ seq: 10, view: view(1, 2) }), shown); // the same seq again is shown again
  assert.equal(state.accept({ seq: 11, view: view(1, 3) }).round.seq, 2);
});

test("a move carries a fresh move_id and the seq acted on; one at a time", () => {
  const state = new PlayState(counter());
  assert.equal(state.move("alliance"), null); // nothing to play in yet
  state.accept({ seq: 5, view: view(1, 0) });
  assert.deepEqual(state.move("alliance"), { type: "move", action: "alliance", move_id: "move-1", seq: 5 });
  assert.equal(state.move("no_alliance"), null);
  assert.equal(state.pending.action, "alliance");
});

test("a pending move is sent again with the same move_id until the round moves on", () => {
  const state = new PlayState(counter());
  state.accept({ seq: 5, view: view(1, 0) });
  const frame = state.move("alliance");
  assert.equal(state.retry(), frame);
  state.accept({ seq: 6, view: view(1, 0) }); // a class change: the same decision is still open
  assert.equal(state.retry(), frame);
  state.accept({ seq: 7, view: view(1, 1, "challenge") }); // the move was applied
  assert.equal(state.retry(), null);
});

test("errors about another tab's move are not this page's; an error about ours ends it", () => {
  const state = new PlayState(counter());
  state.accept({ seq: 5, view: view(1, 0) });
  const frame = state.move("alliance");
  assert.equal(state.refused({ type: "error", code: "stale", ref: "someone-else" }), false);
  assert.equal(state.retry(), frame);
  assert.equal(state.refused({ type: "error", code: "stale", ref: frame.move_id }), true);
  assert.equal(state.pending, null);
  assert.equal(state.refused({ type: "error", code: "rate_limited", ref: null }), true);
});

test("the round key names the round and its seq", () => {
  assert.equal(roundKey(view(2, 3)), "2:3");
  assert.equal(roundKey({ class: {} }), "");
  assert.equal(roundKey(null), "");
});

test("reconnection waits between half and all of a doubling ceiling, at most 30 s", () => {
  assert.equal(backoffDelay(0, undefined, 0), 250);
  assert.equal(backoffDelay(0, undefined, 1), 500);
  assert.equal(backoffDelay(3, undefined, 0.5), 3000);
  assert.equal(backoffDelay(20, undefined, 1), 30000);
  assert.equal(backoffDelay(20, undefined, 0), 15000);
});

test("an unanswered move is sent again, same move_id, after 3 s, then 6, 12, 15 s, six times at most", () => {
  const state = new PlayState(counter());
  state.accept({ seq: 1, view: view(1, 0) });
  const frame = state.move("alliance", 0);
  assert.equal(state.due(2999), null);
  const times = [];
  for (let now = 0; now <= 120000; now += 250) if (state.due(now)) times.push(now);
  assert.deepEqual(times, [3000, 9000, 21000, 36000, 51000, 66000]);
  assert.equal(state.retry(), frame); // still pending: a reconnect sends it once more
  state.accept({ seq: 2, view: view(1, 1) }); // answered
  assert.equal(state.due(200000), null);
});

test("a busy refusal keeps the move and sends it again in a second; any other ends it", () => {
  const state = new PlayState(counter());
  state.accept({ seq: 1, view: view(1, 0) });
  const frame = state.move("alliance", 0);
  assert.equal(state.refused({ code: "unavailable", ref: frame.move_id }, 500), true);
  assert.equal(state.due(1499), null);
  assert.equal(state.due(1500), frame);
  assert.equal(state.refused({ code: "illegal_action", ref: frame.move_id }, 1600), true);
  assert.equal(state.pending, null);
});
