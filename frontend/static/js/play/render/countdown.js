// The decision's countdown (`data-deadline`, the server's ISO time): a bar and m:ss, "paused" while the
// class is, and a spoken warning ten seconds before the student's own deadline.

import { clock, fill } from "../../shared/format.js";
import { byId, show } from "../../shared/dom.js";
import { T } from "../context.js";
import { announce } from "./alerts.js";

const URGENT_SECONDS = 10;
let warnedFor = null;

export function renderCountdown(view) {
  const countdown = byId("play-countdown");
  const round = view && view.round;
  const cls = (view && view["class"]) || {};
  const deadline = (round && !round.outcome && round.deadline) || "";
  countdown.dataset.deadline = deadline;
  const text = countdown.querySelector(".countdown-text");
  const bar = countdown.querySelector(".countdown-fill");
  if (cls.status === "paused" && round && !round.outcome) {
    const left = round.paused_remaining;
    text.textContent = typeof left === "number" ? fill(T.paused_left, { time: clock(left) }) : T.paused;
    countdown.dataset.state = "paused";
    show(countdown, true);
  } else if (deadline) {
    const remaining = (Date.parse(deadline) - Date.now()) / 1000;
    const total = deadlineTotal(deadline, remaining);
    text.textContent = remaining > 0 ? fill(T.time_left, { time: clock(remaining) }) : T.time_up;
    bar.style.transform = "scaleX(" + Math.max(0, Math.min(1, remaining / total)).toFixed(3) + ")";
    countdown.dataset.state = remaining <= URGENT_SECONDS ? "urgent" : "running";
    show(countdown, true);
    const mine = round.actions && round.actions.length;
    if (mine && remaining <= URGENT_SECONDS && remaining > 0 && warnedFor !== deadline) {
      warnedFor = deadline;
      announce(T.ten_seconds);
    }
  } else {
    show(countdown, false);
  }
}

// Total time of a deadline, from when this page first saw it (kept over a refresh): the bar's 100 %.
function deadlineTotal(deadline, remaining) {
  const key = "ct-deadline:" + deadline;
  let total = Number(sessionStorage.getItem(key) || 0);
  if (!total) {
    total = Math.max(remaining, 1);
    try { sessionStorage.setItem(key, String(total)); } catch (e) { /* private mode */ }
  }
  return total;
}
