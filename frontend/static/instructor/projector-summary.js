/* Crisis Table, the projector's teaching parts (an ES module): the tones of the outcomes (held, failed,
   abandoned: one colour each, the same on every page, from the server's mapping), the sentence that counts
   them, the students' choices at each decision beside theory, the discussion questions and the leaderboard.
   Every number is the server's (projector.json); this module only draws. */
import { el, fmt } from "./live.js";

export var TONES = ["held", "failed", "abandoned"];

export function percent(x) {
  return x === null || x === undefined ? "–" : Math.round(Number(x) * 100) + "%";
}

// Three tiles, one per tone: the count and the tone's name.
export function renderTones(list, counts, S) {
  list.textContent = "";
  TONES.forEach(function (tone) {
    list.appendChild(el("li", { "data-tone": tone, "data-count": String(counts[tone] || 0) }, [
      el("strong", { className: "proj-tone-count", text: String(counts[tone] || 0) }),
      el("span", { className: "proj-tone-name", text: S.tone_names[tone] })
    ]));
  });
}

// "Groups this round: 3. Deterrence held in 2, failed in 1." (`start`: the sentence's beginning).
export function toneLine(summary, start, S) {
  var t = summary.tones;
  var text = fmt(start, { held: t.held, n: summary.n });
  if (t.failed) { text += fmt(S.failed_in, { failed: t.failed }); }
  if (t.abandoned) { text += fmt(S.abandoned_in, { abandoned: t.abandoned }); }
  return text + S.line_end;
}

// Each decision students made, one row: the share who took its first action (the engine's order: the
// committing one, e.g. form the alliance, challenge, resist) as a bar, theory's probability as a mark on
// it and in words. Every decision has two actions, so the other one is the rest.
export function renderChoices(box, choices, S) {
  box.textContent = "";
  choices.forEach(function (row) {
    var a = row.actions[0];
    var bar = el("span", { className: "proj-choice-bar", "aria-hidden": "true" });
    bar.style.width = (100 * a.share) + "%";
    var mark = el("span", { className: "proj-choice-theory", "aria-hidden": "true" });
    mark.style.left = (100 * a.theory) + "%";
    box.appendChild(el("div", { className: "proj-choice role-" + row.role, "data-node": row.node, "data-n": String(row.n),
      "data-action": a.action, "data-share": String(a.share), "data-theory": String(a.theory) }, [
      el("span", { className: "proj-choice-question", text: S.questions[row.node] || row.node }),
      el("span", { className: "proj-choice-label", text: S.actions[a.action] || a.action }),
      el("span", { className: "proj-choice-track" }, [bar, mark]),
      el("span", { className: "proj-choice-value" }, [
        el("strong", { text: percent(a.share) }), " ",
        el("span", { className: "proj-choice-n", text: "(n = " + row.n + ")" }), " · ",
        el("span", { text: fmt(S.theory, { share: percent(a.theory) }) })
      ])
    ]));
  });
}

// The discussion questions the server sent (about this class first, then the scenario's), at most `limit`.
export function renderQuestions(list, discussion, limit) {
  var all = [].concat((discussion && discussion["class"]) || [], (discussion && discussion.scenario) || []);
  list.textContent = "";
  all.slice(0, limit).forEach(function (q) {
    list.appendChild(el("li", { "data-question": q.key, text: q.text }));
  });
  return all.length > 0;
}

// Each role's leaders by the points they earned in it.
export function renderLeaderboard(box, leaders, S) {
  box.textContent = "";
  ["japan", "us", "challenger"].forEach(function (role) {
    var rows = (leaders && leaders[role]) || [];
    box.appendChild(el("div", { className: "proj-leader role-" + role, "data-role": role }, [
      el("p", { className: "proj-leader-role", text: S.roles[role] }),
      el("ol", {}, rows.length ? rows.map(function (row) {
        return el("li", { "data-points": String(row.points) }, [
          el("span", { className: "proj-leader-name", text: row.name }),
          el("strong", { text: fmt(S.points, { points: String(row.points).replace("-", "−") }) })
        ]);
      }) : [el("li", { className: "proj-leader-none", text: S.nobody })])
    ]));
  });
}
