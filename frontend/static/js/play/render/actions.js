// Whose turn it is, and the student's action buttons (each with `data-action`, its number key and the
// consequence line), kept while nothing changed so that the focus stays on them.

import { fill } from "../../shared/format.js";
import { byId, h, show } from "../../shared/dom.js";
import { T, pick, playerName, roleName } from "../context.js";
import { quotes } from "./quotes.js";

// The keyboard hint is for laptops (a pointer and room); it follows the window's size.
export const wideWithPointer = window.matchMedia("(hover: hover) and (min-width: 40rem)");

let actionsKey = null;

// `moves`: {key: the round key of the view shown, pending: the move sent and not answered, play(action)}.
export function renderTurn(round, role, moves) {
  const panel = byId("play-turn");
  const over = !!round.outcome;
  show(panel, !over);
  if (over) {
    actionsKey = null;
    return;
  }
  // My turn, even while the class is paused (the server then lists no actions).
  const mine = (round.actions || []).length > 0 || round.to_move === role;
  panel.classList.toggle("is-mine", mine);
  const reminder = byId("turn-reminder");
  const usType = mine && round.private && round.private.us_type;
  reminder.textContent = usType ? T.private_keys.us_type + ": " + pick("types", usType) : "";
  show(reminder, !!usType);
  if (mine) {
    byId("turn-title").textContent = T.your_decision;
    byId("turn-prompt").textContent = T.prompts[round.node] || T.your_turn;
  } else if (round.to_move) {
    byId("turn-title").textContent = T.waiting_title;
    const who = roleName(round.to_move) + " (" + playerName(round, round.to_move) + ")";
    byId("turn-prompt").replaceChildren(fill(T.waiting_for, { role: who }),
      h("span", { class: "turn-node", text: pick("nodes", round.node) }));
  } else {
    byId("turn-title").textContent = T.waiting_title;
    byId("turn-prompt").textContent = pick("nodes", round.node);
  }
  renderActions(round, moves, false);
}

export function renderActions(round, moves, force) {
  const box = byId("play-actions");
  const actions = (round && !round.outcome && round.actions) || [];
  const pending = moves.pending;
  const key = moves.key + "|" + actions.join(",") + "|" + (pending ? pending.action : "");
  if (!force && key === actionsKey) return; // keep the buttons (and the focus on them)
  actionsKey = key;
  const focused = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.action : null;
  box.replaceChildren();
  const values = round ? quotes(round) : {};
  actions.forEach((action, index) => {
    const note = T.consequences[consequenceKey(round, action)] || T.consequences[action] || "";
    const sending = pending && pending.action === action;
    box.appendChild(h("button", {
      type: "button", class: "action" + (sending ? " is-sending" : ""), "data-action": action,
      "aria-keyshortcuts": String(index + 1), disabled: !!pending,
      onclick: () => moves.play(action),
    },
    h("span", { class: "action-key", "aria-hidden": "true", text: String(index + 1) }),
    h("span", { class: "action-text" },
      h("span", { class: "action-label", text: sending ? T.sending : pick("actions", action) }),
      h("span", { class: "action-note", text: fill(note, values) }))));
  });
  const hint = byId("turn-hint");
  hint.textContent = T.keys_hint;
  show(hint, actions.length > 0 && !pending && wideWithPointer.matches);
  if (focused) {
    const again = box.querySelector('[data-action="' + focused + '"]');
    if (again && !again.disabled) again.focus({ preventScroll: true });
  }
}

// Which consequence line an action has here: abandoning an ally, a challenge the forum may defuse (Module
// D: the Challenger's cost β_D), and whose confidence-building measures (each side pays its own κ).
function consequenceKey(round, action) {
  const pub = (round && round.public) || {};
  if (action === "stay_out" && pub.alliance === 1) return "stay_out_allied";
  if (action === "challenge" && pub.arf && typeof pub.arf === "object") return "challenge_arf";
  if (action === "cbm") return round.node;
  return action;
}

// Number keys 1, 2, ... choose the actions in their order on screen.
export function listenForNumberKeys() {
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const index = "123456789".indexOf(event.key);
    if (index < 0) return;
    const button = byId("play-actions").querySelectorAll("button[data-action]")[index];
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });
}
