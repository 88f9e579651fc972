// Tells the student when the server made one of their decisions for them: the timeout, a stand-in bot
// (they were away) or their instructor (moving a stalled group on). A notice above the decision panel says
// which move was played, stays up for the rest of the round, and is announced to screen readers when new.

import { fill } from "../../shared/format.js";
import { byId, show } from "../../shared/dom.js";
import { T, pick } from "../context.js";
import { announce } from "./alerts.js";
import { movedForMe } from "../lesson.js";

export function renderMovedFor(round, you, before) {
  const box = byId("play-moved");
  const mine = movedForMe(round, you.role);
  const last = mine[mine.length - 1];
  box.dataset.movedBy = last ? last.by : "";
  box.dataset.node = last ? last.node : "";
  show(box, !!last);
  if (!last) return;
  const text = fill(T.moved_for[last.by] || T.moved_for.timeout, { action: pick("actions", last.action) });
  byId("play-moved-text").textContent = text;
  const sameRound = before && before.round && before.round.number === round.number;
  const seen = sameRound ? movedForMe(before.round, you.role).length : 0;
  if (mine.length > seen) announce(text);
}
