// What has happened this round, in order (a move the server made for a student marked with who made it:
// the timeout, a stand-in bot or the instructor), and a spoken summary of the other players' new moves.

import { byId, h } from "../../shared/dom.js";
import { T, pick, playerName, roleName } from "../context.js";
import { movedForIndex } from "../lesson.js";
import { announce } from "./alerts.js";

// An automatic public event: the neutrality pact by its cause, Module D's draw by its result.
function autoText(move) {
  return T.auto_events[move.auto] ? T.auto_events[move.auto] : pick("auto_events", move.action);
}

export function renderHistory(round, you, before) {
  byId("history-title").textContent = T.history_title;
  const list = byId("play-history");
  list.replaceChildren();
  const history = round.history || [];
  if (!history.length) list.appendChild(h("li", { class: "empty", text: T.history_empty }));
  const movedBy = movedForIndex(round);
  for (const move of history) {
    if (!move.role) {
      list.appendChild(h("li", { class: "auto", "data-auto": move.auto || "" }, autoText(move)));
      continue;
    }
    const who = move.role === you.role ? T.you_marker : playerName(round, move.role);
    const by = movedBy[move.node + ":" + move.role];
    list.appendChild(h("li", { "data-moved-by": by || null },
      h("span", { class: "role-chip small role-" + move.role, text: roleName(move.role) }),
      h("span", { class: "history-text" },
        h("span", { class: "history-who", text: who }), " ",
        h("span", { class: "history-did", text: pick("did", move.action) }),
        by ? h("span", { class: "history-moved", text: T.moved_marks[by] }) : null)));
  }
  announceNewMoves(round, you, before);
}

function announceNewMoves(round, you, before) {
  const history = round.history || [];
  const sameRound = before && before.round && before.round.number === round.number;
  const old = sameRound ? before.round.history || [] : null;
  if (!old || history.length <= old.length) return;
  const fresh = history.slice(old.length).filter((m) => !m.role || m.role !== you.role);
  if (fresh.length) {
    announce(fresh.map((m) => (m.role ? roleName(m.role) + ": " + pick("did", m.action) : autoText(m))).join(". "));
  }
}
