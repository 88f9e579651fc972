// Crisis Table: the student's page, a client of the player protocol (DESIGN.md). Native ES modules, no
// build step, no library. It renders each `state` frame (the server holds the truth: a refresh resumes
// exactly where the student was), sends moves with a fresh move_id and the seq it acted on, and keeps
// the socket connected, asking for the state again (`sync`) after every reconnect. Strings, the game's
// shape and every number come from the server. Decisions: docs/student-ui.md.

import { byId } from "../shared/dom.js";
import { ReconnectingSocket } from "../shared/socket.js";
import { DATA, T, root } from "./context.js";
import { PlayState, roundKey } from "./state.js";
import { listenForNumberKeys, renderActions, wideWithPointer } from "./render/actions.js";
import {
  connectionBannerShown, hideError, hideNotice, renderBanner, renderConnection, showError, showNotice,
} from "./render/alerts.js";
import { render } from "./render/board.js";
import { renderPoll } from "./render/poll.js";
import { renderCountdown } from "./render/countdown.js";
import { renderNextRound } from "./render/result.js";
import { setUpTurnAlerts } from "./render/turn-alerts.js";

// Refusals that mean "a second tab or a slow network": the fresh state follows, so no alarm.
const QUIET_ERRORS = ["stale", "not_your_turn", "illegal_action"];
const TICK_MS = 250;

const state = new PlayState();
const socket = new ReconnectingSocket(root.dataset.wsUrl, {
  closeCodes: DATA.close_codes,
  onStatus: (status) => {
    renderConnection(status);
    renderBanner(socket, state.view);
  },
  onOpen: (reconnected) => {
    hideNotice("not_connected");
    if (reconnected) socket.send({ type: "sync" }); // updates may have been missed while away
    const again = state.retry();
    if (again) socket.send(again); // same move_id: applied at most once, whatever happened before
  },
  onFrame: (frame) => {
    if (frame.type === "state") onState(frame);
    else if (frame.type === "error") onError(frame);
  },
  onGone: () => { // the session has no participant (any more): join again
    showNotice(T.left, false);
    window.location.assign("/");
  },
});

// What the action buttons need to know and do.
function moves() {
  return { key: roundKey(state.view), pending: state.pending, play: play };
}

function onState(frame) {
  const before = state.accept(frame);
  if (before === undefined) return; // never go back to an older view
  hideError();
  render(state.view, before, moves());
  renderPoll(state.view);
  renderBanner(socket, state.view);
  tick();
}

function onError(frame) {
  if (!state.refused(frame)) return; // about a move another tab of this student sent
  const message = (T.errors && T.errors[frame.code]) || frame.message;
  if (QUIET_ERRORS.includes(frame.code)) showNotice(message, true);
  else showError(message);
  renderActions(state.view && state.view.round, moves(), true);
}

function play(action) {
  const frame = state.move(action);
  if (!frame) return;
  if (!socket.send(frame)) showNotice(T.not_connected, false, "not_connected");
  renderActions(state.view.round, moves(), true);
  byId("turn-title").focus({ preventScroll: true }); // the buttons go away: keep keyboard users in place
}

function tick() {
  const again = state.due();
  if (again) socket.send(again); // no state answered it: the same move_id again (applied at most once)
  renderCountdown(state.view);
  renderNextRound(state.view);
  if (connectionBannerShown()) renderBanner(socket, state.view);
}

byId("play-retry").addEventListener("click", () => socket.reconnectNow());
wideWithPointer.addEventListener("change", () => {
  if (state.view) renderActions(state.view.round, moves(), true);
});
listenForNumberKeys();
setUpTurnAlerts();
setInterval(tick, TICK_MS);
socket.start();
