/* Crisis Table: the projector view (/instructor/classes/<code>/projector/), shown to the whole class.
   Four moments, one at a time (`data-moment` on the root):
   - lobby: the join code and QR code, large, with how many have joined;
   - playing: the round, the current decision's countdown, where the groups are, the outcomes so far;
   - between: the round just played (held / failed / abandoned, beside theory) and the students' choices
     at each decision beside theory, until the next round starts (or the instructor starts it);
   - end: the class's summary, the way to the debrief, the discussion questions, and on request each
     role's leaders. No QR code: nobody joins any more.
   Its data (projector.json) holds only counts until the instructor asks for the leaderboard. */
import * as L from "./live.js";
import { percent, renderChoices, renderLeaderboard, renderQuestions, renderTones, toneLine } from "./projector-summary.js";

(function () {
  "use strict";
  var fmt = L.fmt;
  var el = L.el;
  var root = document.getElementById("projector");
  if (!root) { return; }
  var S = L.readJson("projector-strings");
  var QUESTIONS = 3; // what a projected slide can hold beside the rest
  var live = null;
  var clock = { deadline: null, paused: null, nextRoundAt: null };
  var leaderboardShown = false;

  function q(selector) { return root.querySelector(selector); }

  function viewOf(snapshot) {
    var c = snapshot["class"];
    if (c.status === "lobby") { return "lobby"; }
    if (c.status === "finished") { return "end"; }
    return snapshot.round_summary ? "between" : "playing";
  }

  function bars(list, rows) {
    list.textContent = "";
    var max = Math.max.apply(null, rows.map(function (row) { return row.count; }).concat([1]));
    rows.forEach(function (row) {
      var bar = el("span", { className: "ins-bar", "aria-hidden": "true" });
      bar.style.width = (100 * row.count / max) + "%";
      var attrs = { "data-count": String(row.count), "data-tone": row.tone || null };
      attrs[row.kind] = row.key;
      list.appendChild(el("li", attrs, [
        el("span", { className: "ins-bar-label", text: row.label }),
        el("span", { className: "ins-bar-track" }, [bar]),
        el("span", { className: "ins-bar-count", text: String(row.count) })
      ]));
    });
  }

  function renderHeader(c, view) {
    root.dataset.status = c.status;
    root.dataset.moment = view;
    q('[data-view="lobby"]').hidden = view !== "lobby";
    q('[data-view="live"]').hidden = view === "lobby";
    q("[data-corner]").hidden = view === "end";
    q("[data-joined]").textContent = (c.joined === 1 ? S.joined_one : fmt(S.joined, { joined: c.joined }));
    q("[data-round-text]").textContent = c.round ? fmt(S.round_of, { round: c.round, rounds: c.rounds })
      : fmt(S.not_started, { rounds: c.rounds });
    q("[data-status-text]").textContent = S.status[c.status] || c.status;
    q("[data-progress]").value = c.progress.fraction;
    q("[data-progress-text]").textContent = c.progress.groups && view !== "end"
      ? fmt(S.groups_finished, { done: c.progress.groups_finished, groups: c.progress.groups }) : "";
    clock.deadline = view === "playing" && c.status === "running" ? c.deadline : null;
    clock.paused = c.status === "paused" ? c.paused_remaining : null;
    clock.nextRoundAt = c.status === "running" ? c.next_round_at : null;
    clock.waiting = view === "between" && c.pace === "instructor" && !c.next_round_at && c.round < c.rounds;
  }

  function renderPlaying(snapshot) {
    bars(q("[data-nodes]"), snapshot.nodes.map(function (row) {
      return { kind: "data-node", key: row.node, label: S.nodes[row.node] || row.node, count: row.count };
    }));
    var all = snapshot.outcomes.all;
    var happened = Object.keys(all).filter(function (key) { return all[key]; });
    var tones = { held: 0, failed: 0, abandoned: 0 };
    happened.forEach(function (key) { tones[S.tones[key]] += all[key]; });
    renderTones(q('[data-tones="all"]'), tones, S);
    bars(q('[data-outcomes="all"]'), happened.map(function (key) {
      return { kind: "data-outcome", key: key, tone: S.tones[key], label: S.outcomes[key] || key, count: all[key] };
    }));
    q("[data-outcomes-current]").textContent = Object.keys(snapshot.outcomes.current)
      .filter(function (key) { return snapshot.outcomes.current[key]; })
      .map(function (key) { return S.outcomes[key] + " " + snapshot.outcomes.current[key]; })
      .join(" · ") || "–";
  }

  function renderSummary(snapshot, view) {
    var end = view === "end";
    var summary = end ? snapshot.class_summary : snapshot.round_summary;
    var box = q('[data-part="summary"]');
    box.dataset.summary = end ? "class" : "round";
    q("[data-summary-title]").textContent = end ? S.class_summary_title
      : fmt(S.round_summary_title, { round: summary.round });
    renderTones(q('[data-tones="summary"]'), summary.tones, S);
    q("[data-summary-line]").textContent = toneLine(summary, end ? S.class_line : S.round_line, S);
    q("[data-summary-theory]").textContent = fmt(S.theory_expected, { held: percent(summary.theory.held) });
    q("[data-choices-title]").textContent = S.choices_title;
    q("[data-choices-note]").textContent = summary.choices.length ? S.students_only : S.no_choices;
    renderChoices(q("[data-choices]"), summary.choices, S);
    var polled = snapshot.polls && snapshot.polls.polls.length ? 1 : 0; // a poll's box takes a question's room
    var asked = end && renderQuestions(q("[data-questions]"), snapshot.discussion, QUESTIONS - polled);
    q("[data-questions-title]").textContent = S.questions_title;
    q("[data-questions-box]").hidden = !asked;
    q("[data-end-links]").hidden = !end;
    q("[data-debrief-link]").textContent = S.debrief_link;
    renderLeaderboardToggle(end);
  }

  function renderLeaderboardToggle(end) {
    var button = q('[data-control="leaderboard"]');
    var shown = end && leaderboardShown;
    button.textContent = shown ? S.hide_leaderboard : S.show_leaderboard;
    button.setAttribute("aria-pressed", shown ? "true" : "false");
    q("[data-leaderboard-title]").textContent = S.leaderboard_title;
    q("[data-leaderboard-box]").hidden = !shown;
    q("[data-choices-box]").hidden = shown;
  }

  // The current round's polls: the count while answers come in, the reveal once the round is over.
  function renderPolls(data, view) {
    var P = S.poll;
    var box = q("[data-poll-box]");
    var polls = data && view !== "lobby" ? data.polls : [];
    box.hidden = !polls.length;
    var list = q("[data-polls]");
    list.textContent = "";
    if (!polls.length) { return; }
    q("[data-poll-title]").textContent = P.title;
    polls.forEach(function (poll) {
      var words = P.questions[poll.question];
      var item = el("article", { className: "proj-poll-item", "data-poll": String(poll.id),
        "data-question": poll.question, "data-status": poll.status,
        "data-revealed": poll.revealed ? "true" : "false", "data-answers": String(poll.answers) }, [
        el("h3", { className: "proj-poll-question", text: words.text })
      ]);
      if (!poll.revealed) {
        item.appendChild(el("p", { className: "proj-poll-count", "data-poll-count": String(poll.answers),
          text: fmt(P.answered, { count: poll.answers }) }));
        item.appendChild(el("p", { className: "proj-note", text: P.waiting }));
      } else {
        item.appendChild(reveal(poll, words, P));
      }
      list.appendChild(item);
    });
  }

  function reveal(poll, words, P) {
    var h = poll.happened;
    var n = poll.predicted.yes + poll.predicted.no;
    var rows = [
      { key: "predicted", label: P.predicted, share: n ? poll.predicted.yes / n : null,
        note: fmt(P.tally, { yes: poll.predicted.yes, no: poll.predicted.no }) },
      { key: "happened", label: P.happened, share: h.share,
        note: h.reached ? fmt(P.happened_line, { event: words.event, occurred: h.occurred, reached: h.reached,
          among: words.among }) : fmt(P.happened_none, { among: words.among }) },
      { key: "theory", label: P.theory, share: h.theory,
        note: h.theory_condition === 0 ? fmt(P.theory_never, { share: percent(h.theory) }) : "" }
    ];
    var list = el("ul", { className: "ins-bars proj-bars proj-poll-bars" });
    rows.forEach(function (row) {
      var bar = el("span", { className: "ins-bar", "aria-hidden": "true" });
      bar.style.width = (row.share === null || row.share === undefined ? 0 : 100 * row.share) + "%";
      list.appendChild(el("li", { "data-poll-row": row.key,
        "data-share": row.share === null || row.share === undefined ? "" : String(row.share) }, [
        el("span", { className: "ins-bar-label", text: row.label }),
        el("span", { className: "ins-bar-track" }, [bar]),
        el("span", { className: "ins-bar-count", text: row.share === null || row.share === undefined ? "–" : percent(row.share) }),
        row.note ? el("span", { className: "proj-poll-note", text: row.note }) : null
      ]));
    });
    return list;
  }

  function render(snapshot) {
    var view = viewOf(snapshot);
    renderPolls(snapshot.polls, view);
    renderHeader(snapshot["class"], view);
    q('[data-part="playing"]').hidden = view !== "playing";
    q('[data-part="summary"]').hidden = view !== "between" && view !== "end";
    if (view === "playing") { renderPlaying(snapshot); }
    if (view === "between" || view === "end") { renderSummary(snapshot, view); }
    if (snapshot.leaderboard) { renderLeaderboard(q("[data-leaderboard]"), snapshot.leaderboard, S); }
    tick();
  }

  // The leaderboard holds names: fetched only when the instructor asks for it.
  function toggleLeaderboard() {
    leaderboardShown = !leaderboardShown;
    renderLeaderboardToggle(true);
    if (!leaderboardShown) { return; }
    fetch(root.dataset.snapshotUrl + "?leaderboard=1", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (snapshot) { if (snapshot) { render(snapshot); } })
      .catch(function () { /* the button can be pressed again */ });
  }

  function clockText(now) {
    if (clock.paused !== null && clock.paused !== undefined) {
      return fmt(S.paused_left, { time: clockFormat(clock.paused) });
    }
    if (clock.deadline) { return fmt(S.decision_left, { time: clockFormat(L.secondsLeft(clock.deadline, now)) }); }
    return "";
  }

  function clockFormat(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function tick() {
    if (!live) { return; }
    var now = live.now();
    var text = clockText(now);
    var node = q("[data-clock]");
    node.textContent = text;
    node.hidden = !text;
    node.classList.toggle("is-urgent", !!clock.deadline && L.secondsLeft(clock.deadline, now) <= 10);
    q("[data-next-round]").textContent = clock.nextRoundAt
      ? fmt(S.next_round, { seconds: L.secondsLeft(clock.nextRoundAt, now) })
      : (clock.waiting ? S.waiting_instructor : "");
  }

  q('[data-control="leaderboard"]').addEventListener("click", toggleLeaderboard);
  live = L.follow({
    wsPath: root.dataset.wsPath,
    snapshotUrl: root.dataset.snapshotUrl,
    initial: L.readJson("projector-snapshot"),
    onSnapshot: render,
    onStatus: function () {}
  });
  tick();
  window.setInterval(tick, 1000);
})();
