// The round's result (`data-outcome`: the spec's §5 primary label; `data-tone`: held, failed or abandoned,
// the server's mapping), the one sentence that is the lesson (why the US's reputation moved), the path
// taken (the tree), the student's own payoff beside what theory expected, their points so far, when the
// next round comes (or that the instructor starts it), and the debrief once the instructor releases it.

import { clock, fill, num, percent, score } from "../../shared/format.js";
import { byId, h, show } from "../../shared/dom.js";
import { ROLES, T, pick, roleName, root } from "../context.js";
import { reputationLesson } from "../lesson.js";
import { claimText } from "../theory.js";
import { renderTree } from "../tree.js";

export function outcomeSentence(outcome) {
  const sentences = T.outcome_sentences || {};
  return sentences[outcome.label + "/" + outcome.qualifier] || sentences[outcome.label] ||
    pick("outcomes", outcome.label);
}

export function nextRoundText(cls, you) {
  if (cls.status === "finished" || (cls.round && cls.rounds && cls.round >= cls.rounds)) {
    return cls.status === "finished" ? T.class_over : T.last_round;
  }
  const parts = [];
  if (cls.next_round_at) {
    const seconds = (Date.parse(cls.next_round_at) - Date.now()) / 1000;
    parts.push(seconds > 0 ? fill(T.next_round_in, { time: clock(seconds) }) : T.next_round_soon);
  } else if (cls.status === "running" && cls.pace === "instructor") {
    parts.push(T.waiting_instructor);
  } else if (cls.status === "running") {
    parts.push(T.others_playing);
  }
  parts.push(you.next_role ? fill(T.next_role, { role: roleName(you.next_role) }) : T.next_role_unknown);
  return parts.join(" ");
}

// The "next round in m:ss" line counts down with the clock.
export function renderNextRound(view) {
  const round = view && view.round;
  const next = byId("result-next");
  if (round && round.outcome && next) next.textContent = nextRoundText(view["class"] || {}, view.you || {});
}

export function renderResult(cls, you, round) {
  const box = byId("play-result");
  const outcome = round.outcome || null;
  box.dataset.outcome = outcome ? outcome.label : "";
  show(box, !!outcome);
  if (!outcome) return;
  box.dataset.tone = outcome.tone || "";
  byId("result-eyebrow").textContent = T.result_title;
  byId("result-title").textContent = outcomeSentence(outcome);
  renderPayoff(outcome, you, round);
  renderLesson(round);
  renderTheory(round);
  renderTree(round, you.role, "result-tree");
  byId("result-payoff-note").textContent = round.debrief ? "" : T.payoff_private;
  const next = byId("result-next");
  next.dataset.pace = cls.pace || "";
  next.textContent = nextRoundText(cls, you);
  renderDebrief(cls, you, round);
}

// The student's payoff, what theory expected for their role (the reference), and their points so far.
function renderPayoff(outcome, you, round) {
  const mine = outcome.payoffs && you.role in outcome.payoffs ? outcome.payoffs[you.role] : null;
  if (mine !== null) {
    byId("result-payoff").replaceChildren(h("strong", { text: fill(T.your_payoff, { payoff: num(mine) }) }),
      " (" + fill(T.points, { points: score(mine) }) + ")");
  } else {
    byId("result-payoff").replaceChildren();
  }
  const expected = round.expected_payoff;
  byId("result-reference").textContent = typeof expected === "number" ? fill(T.payoff_reference,
    { expected: num(expected), points: score(expected), role: roleName(you.role) }) : "";
  byId("result-total").textContent = typeof you.points === "number"
    ? fill(T.total_points, { points: score(you.points) }) : "";
}

// The one sentence that is the lesson: how the US's reputation moved, and on which of its decisions.
function renderLesson(round) {
  const lesson = reputationLesson(round);
  const box = byId("result-lesson");
  box.dataset.reputation = lesson ? lesson.change : "";
  show(box, !!lesson);
  if (!lesson) return;
  byId("result-lesson-text").textContent = fill(T.reputation[lesson.change], {
    before: percent(lesson.before), after: percent(lesson.after), cause: T.reputation_causes[lesson.cause],
  });
  byId("result-lesson-help").textContent = T.reputation_help;
}

// What theory says about the round, each sentence chosen by the server's claim (never computed here): the
// released debrief's view where there is one, else the public view's.
function renderTheory(round) {
  const released = round.debrief && round.debrief.view && round.debrief.view.public;
  const theory = (released && released.theory) || (round.public && round.public.theory) || {};
  const sentences = [];
  for (const claim of theory.claims || []) {
    const text = claimText(T.theory, claim);
    if (text) sentences.push(h("span", { class: "claim", "data-claim": claim.claim, text: text }));
  }
  const box = byId("result-theory");
  box.replaceChildren(...sentences.flatMap((part, i) => (i ? [" ", part] : [part])));
  show(box, sentences.length > 0);
}

function renderDebrief(cls, you, round) {
  const box = byId("result-debrief");
  box.replaceChildren();
  const d = round.debrief;
  if (!d && !cls.debrief_released) {
    box.appendChild(h("p", { class: "help", text: T.debrief_waiting }));
    show(box, true);
    return;
  }
  box.appendChild(h("h3", { text: T.debrief_title }));
  if (d) box.append(...debriefParts(d, you));
  if (cls.debrief_released) {
    box.appendChild(h("a", { class: "button-link", href: root.dataset.debriefUrl, text: T.debrief_link }));
  }
  show(box, true);
}

// The released debrief: the types revealed, everyone's payoffs, the flags explained, the bargaining range
// and the benchmark's equilibrium.
function debriefParts(d, you) {
  const parts = [];
  const types = d.types || {};
  const revealed = [];
  if (types.us) {
    revealed.push(fill(T.debrief_us_was, { type: pick("types", types.us === "R" ? "resolute" : "non_resolute") }));
  }
  if (types.challenger) {
    revealed.push(fill(T.debrief_challenger_was,
      { type: pick("types", types.challenger === "L" ? "determined" : "hesitant") }));
  }
  if (revealed.length) {
    parts.push(h("p", { class: "debrief-revealed" }, h("strong", { text: T.debrief_revealed + ": " }),
      revealed.join(" ")));
  }
  if (d.payoffs) {
    parts.push(h("p", { class: "debrief-sub", text: T.debrief_payoffs }));
    parts.push(h("ul", { class: "debrief-payoffs" }, ROLES.filter((r) => r in d.payoffs).map((r) =>
      h("li", { class: "role-" + r + (r === you.role ? " is-you" : "") },
        h("span", { text: roleName(r) + (r === you.role ? " (" + T.you_marker + ")" : "") }),
        h("strong", { text: num(d.payoffs[r]) })))));
  }
  const flags = (d.flags || []).filter((f) => T.flags[f.name]);
  if (flags.length) {
    parts.push(h("p", { class: "debrief-sub", text: T.debrief_flags }));
    parts.push(h("ul", { class: "debrief-flags" }, flags.map((f) => h("li", {
      "data-flag": f.name,
      text: fill(T.flags[f.name], {
        K: num(f.K), K1: num(f.K1), player: f.player ? roleName(f.player) : "",
        node: f.node ? pick("questions", f.node) : "",
      }),
    }))));
  }
  const range = d.bargaining_range;
  if (range) {
    parts.push(h("p", { class: "help", text: fill(T.debrief_range,
      { rho: num(range.rho), low: num(range.low), high: num(range.high) }) }));
  }
  if (d.benchmark && d.benchmark.selected) {
    parts.push(h("p", { class: "help", text: fill(T.debrief_benchmark, { name: d.benchmark.selected }) }));
  }
  return parts;
}
