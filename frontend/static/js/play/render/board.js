// Renders a whole view: the bar (round, role chip), then the lobby or the board, whose `data-node` and
// `data-role` name the current node and the viewer's role. `before` is the view shown until now: what
// changed since is announced (the student's turn, the outcome).

import { fill, score } from "../../shared/format.js";
import { byId, show } from "../../shared/dom.js";
import { DATA, T, baseTitle, now, roleName, scenarioData } from "../context.js";
import { renderTurn } from "./actions.js";
import { announce } from "./alerts.js";
import { renderMovedFor } from "./moved.js";
import { alertTurn } from "./turn-alerts.js";
import { renderArf } from "./arf.js";
import { renderRoleCard } from "./briefing.js";
import { renderHistory } from "./history.js";
import { renderLobby } from "./lobby.js";
import { renderPublic } from "./public.js";
import { outcomeSentence, renderResult } from "./result.js";
import { renderTree } from "../tree.js";

// `moves`: what the action buttons need (see actions.js).
export function render(view, before, moves) {
  const cls = view["class"] || {};
  const you = view.you || {};
  const round = view.round || null;
  const seated = !!(round && you.role);
  const board = byId("play-board");

  byId("play-round").textContent = cls.round ? fill(T.round_of, { round: cls.round, rounds: cls.rounds }) : "";
  renderScenario(cls, before);
  board.dataset.role = you.role || "";
  const chip = byId("play-role-chip");
  chip.textContent = you.role ? roleName(you.role) : "";
  chip.className = "role-chip small" + (you.role ? " role-" + you.role : "");
  show(chip, !!(you.role && round));
  board.dataset.node = round ? round.node : "";
  show(byId("play-lobby"), !seated);
  show(board, seated);
  show(byId("play-points"), false);
  if (!seated) show(byId("play-moved"), false);
  if (!seated) renderLobby(view);
  else renderBoard(cls, you, round, before, moves);
}

// A class that switches scenarios (ClassStage) names the one in force in the bar, and says so when it
// changes; a class of one scenario shows nothing.
function renderScenario(cls, before) {
  now.scenario = cls.scenario || null;
  const several = Object.keys(DATA.scenarios || {}).length > 1;
  const current = scenarioData();
  const holder = byId("play-scenario");
  holder.textContent = several && current && cls.round ? fill(T.scenario_now, { name: current.name }) : "";
  const was = (before && before["class"]) || null;
  const notice = byId("play-scenario-changed");
  if (several && current && was && was.scenario && was.scenario !== cls.scenario) {
    notice.textContent = fill(T.scenario_changed, { name: current.name });
    show(notice, true); // until the next round
    announce(notice.textContent);
  } else if (was && was.round !== cls.round) {
    show(notice, false);
  }
}

function renderBoard(cls, you, round, before, moves) {
  renderRoleCard(you, round);
  renderTurn(round, you.role, moves);
  renderResult(cls, you, round);
  renderPublic(round);
  renderArf(round);
  show(byId("play-tree"), !round.outcome); // once the round is over the result card shows the path taken
  if (!round.outcome) renderTree(round, you.role);
  renderHistory(round, you, before);
  renderMovedFor(round, you, before);
  renderPoints(you);

  const mine = (round.actions || []).length > 0;
  document.title = (mine ? "● " + T.your_decision + " · " : "") + baseTitle;
  const beforeRound = before && before.round;
  const turnKey = (r) => (r && (r.actions || []).length ? r.number + ":" + r.node : null);
  if (mine && turnKey(round) !== turnKey(beforeRound)) {
    announce(T.your_turn + " " + (T.prompts[round.node] || ""));
    alertTurn();
  }
  const ended = round.outcome && !(beforeRound && beforeRound.outcome && beforeRound.number === round.number);
  if (ended) announce(outcomeSentence(round.outcome));
}

// The running score in the bar: the sum of the student's payoffs so far, in points.
function renderPoints(you) {
  const points = byId("play-points");
  const known = typeof you.points === "number" && !!you.role;
  points.textContent = known ? fill(T.points_short, { points: score(you.points) }) : "";
  points.title = known ? fill(T.total_points, { points: score(you.points) }) : "";
  show(points, known);
}
