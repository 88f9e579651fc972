// The game tree as a spine of decisions, top to bottom, with the branches that end the round leading to
// the terminals on the right. Its shape is the server's (`play-data`'s `spine`, games/crisis/game.py
// `spine`: the steps this class's rounds can pass, each with its mover and edges); the round's history
// marks the path taken and `data-tree-node` / `data-terminal` name every part.

import { fill } from "../shared/format.js";
import { byId, s } from "../shared/dom.js";
import { DATA, T, pick, playerName, scenarioData } from "./context.js";

const W = 320, CX = 20, TX = 42, CHIP_X = 180, CHIP_W = 138, ROW = 64, TOP = 24;

// Draws the tree into the element `holderId`: the board's own card during a round, the result card (the
// path the round took) once it is over.
export function renderTree(round, role, holderId = "tree-svg") {
  byId("tree-title").textContent = T.tree_title;
  const holder = byId(holderId);
  const spine = (scenarioData() || {}).spine || DATA.spine || [];
  holder.replaceChildren(drawTree(round, role, spine));
  fitTexts(holder);
}

function drawTree(round, role, spine) {
  const taken = {};
  for (const move of round.history || []) taken[move.node] = move;
  const nodes = spine.map((step) => step.node);
  const endIndex = round.outcome
    ? nodes.reduce((last, node, i) => (taken[node] ? i : last), -1) : nodes.indexOf(round.node);
  const height = TOP + (spine.length - 1) * ROW + 34;
  const label = fill(T.tree_label, { node: pick("nodes", round.outcome ? "end" : round.node) });
  const svg = s("svg", { viewBox: "0 0 " + W + " " + height, class: "tree-chart", role: "img", "aria-label": label });
  svg.appendChild(s("title", {}, label));
  spine.forEach((step, i) => {
    const move = taken[step.node];
    const current = !round.outcome && step.node === round.node;
    const state = current ? "current" : move ? "past" : (i > endIndex ? "future" : "skipped");
    const group = s("g", { class: "t-node is-" + state + (step.mover ? " role-" + step.mover : " chance"),
      "data-tree-node": step.node });
    const cy = TOP + i * ROW;
    if (i < spine.length - 1) drawEdgeDown(group, step, move, cy);
    drawExits(group, step, move, cy);
    drawDecision(group, step, move, cy, current, round, role);
    svg.appendChild(group);
  });
  return svg;
}

// The edge to the next step, labelled with the action(s) that lead there (the one taken, once taken).
function drawEdgeDown(group, step, move, cy) {
  const onward = step.edges.filter((edge) => !edge.terminal).map((edge) => edge.action);
  const continued = !!move && onward.includes(move.action);
  group.appendChild(s("line", { x1: CX, x2: CX, y1: cy + 14, y2: cy + ROW - 14,
    class: "t-edge" + (continued ? " is-taken" : "") }));
  const text = onward.length > 1 && move ? pick("edges", move.action)
    : onward.map((action) => pick("edges", action)).join(" / ");
  group.appendChild(s("text", { x: CX + 10, y: cy + ROW / 2 + 8, class: "t-edge-label" + (continued ? " is-taken" : "") },
    text));
}

// The edges that end the round, each to its terminal's chip.
function drawExits(group, step, move, cy) {
  const exits = step.edges.filter((edge) => edge.terminal);
  exits.forEach((edge, k) => {
    const chipY = exits.length === 1 ? cy : cy + (k === 0 ? -15 : 15);
    const hit = !!move && move.action === edge.action;
    const path = "M " + (CHIP_X - 28) + " " + cy + " C " + (CHIP_X - 14) + " " + cy + ", " +
      (CHIP_X - 14) + " " + chipY + ", " + CHIP_X + " " + chipY;
    group.appendChild(s("path", { d: path, class: "t-exit" + (hit ? " is-taken" : "") }));
    const chip = s("g", { class: "t-terminal" + (hit ? " is-reached" : ""), "data-terminal": edge.terminal });
    chip.appendChild(s("rect", { x: CHIP_X, y: chipY - 12, width: CHIP_W, height: 24, rx: 12 }));
    chip.appendChild(s("text", { x: CHIP_X + CHIP_W / 2, y: chipY + 4, "text-anchor": "middle",
      "data-fit": String(CHIP_W - 10) }, pick("terminals", edge.terminal)));
    group.appendChild(chip);
  });
}

// The decision itself: a circle with the mover's initial ("?" for Nature), the question, and who plays it.
function drawDecision(group, step, move, cy, current, round, role) {
  if (current) group.appendChild(s("circle", { cx: CX, cy: cy, r: 19, class: "t-halo" }));
  group.appendChild(s("circle", { cx: CX, cy: cy, r: 13, class: "t-dot" }));
  group.appendChild(s("text", { x: CX, y: cy + 4, "text-anchor": "middle", class: "t-initial" },
    step.mover ? pick("role_initials", step.mover) : "?"));
  const room = String(CHIP_X - 30 - TX);
  group.appendChild(s("text", { x: TX, y: cy - 1, class: "t-question", "data-fit": room }, pick("questions", step.node)));
  // The circle's letter and colour name the role; the line below says who plays it.
  let who = step.mover === role ? T.you_marker : step.mover ? playerName(round, step.mover) : "";
  if (!step.mover && move) who = pick("auto_events", move.action);
  group.appendChild(s("text", { x: TX, y: cy + 14, class: "t-who", "data-fit": room }, who));
}

// Shorten the texts that do not fit their room (names can be long), with an ellipsis.
function fitTexts(holder) {
  holder.querySelectorAll("text[data-fit]").forEach((text) => {
    const room = Number(text.dataset.fit);
    if (!text.getComputedTextLength) return;
    let content = text.textContent;
    let guard = 0;
    while (content.length > 2 && text.getComputedTextLength() > room && guard < 80) {
      content = content.slice(0, -1);
      text.textContent = content.trimEnd() + "…";
      guard += 1;
    }
  });
}
