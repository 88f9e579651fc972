/* Crisis Table: the instructor's live dashboard (/instructor/classes/<code>/).
   Renders the staff snapshot (groups, seats, turns, countdowns, history, outcomes, who is connected) and
   re-renders it whenever live.js fetches a new one. Names come from students: they are only ever set as
   text (textContent), never as HTML. Stable hooks for tests: data-group, data-node, data-outcome,
   data-deadline, data-control. */
import * as L from "./live.js";

(function () {
  "use strict";
  var fmt = L.fmt;
  var el = L.el;
  var root = document.getElementById("dashboard");
  if (!root) { return; }
  var S = L.readJson("dashboard-strings");
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var ROLES = ["japan", "us", "challenger"];
  var ENABLED = { start: ["lobby"], pause: ["running"], resume: ["paused"], end: ["lobby", "running", "paused"],
    release: ["running", "paused", "finished"] };
  var MESSAGE_SECONDS = { success: 10, info: 10, warning: 30, error: 30 };
  var live = null;
  var nextRoundAt = null;

  function q(selector) { return root.querySelector(selector); }

  function seatStatus(seat) {
    if (seat.bot) { return el("span", { className: "ins-badge ins-badge-bot", text: S.bot }); }
    return el("span", {
      className: "ins-badge " + (seat.connected ? "ins-badge-on" : "ins-badge-off"),
      "data-connected": seat.connected ? "true" : "false",
      text: seat.connected ? S.connected : (seat.seen ? S.disconnected : S.never_connected)
    });
  }

  function personStatus(person) {
    if (person.bot) { return S.bot; }
    if (person.connected) { return S.connected; }
    return person.seen ? S.disconnected : S.never_connected;
  }

  function renderHeader(c) {
    root.dataset.status = c.status;
    nextRoundAt = c.status === "running" ? c.next_round_at : null;
    var badge = q("[data-class-status]");
    badge.dataset.classStatus = c.status;
    badge.className = "ins-status ins-status-" + c.status;
    badge.textContent = S.status[c.status] || c.status;
    q("[data-round-text]").textContent = c.round ? fmt(S.round_of, { round: c.round, rounds: c.rounds }) : "";
    var bar = q("[data-progress]");
    bar.value = c.progress.fraction;
    var text = c.round ? fmt(S.round_of, { round: c.round, rounds: c.rounds }) : fmt(S.not_started, { rounds: c.rounds });
    if (c.progress.groups) {
      text += " · " + fmt(S.groups_finished, { done: c.progress.groups_finished, groups: c.progress.groups });
    }
    q("[data-progress-text]").textContent = text;
    q("[data-people-text]").textContent = (c.joined === 1 ? S.joined_one : fmt(S.joined, { joined: c.joined })) + " · " +
      fmt(S.connected_count, { connected: c.connected, bots: c.bots });
    q("[data-lobby-note]").hidden = c.status !== "lobby";
    Object.keys(ENABLED).forEach(function (name) {
      var button = q('[data-control="' + name + '"]');
      if (button) { button.disabled = ENABLED[name].indexOf(c.status) === -1; }
    });
    var release = q('[data-control="release"]');
    if (release) { release.disabled = release.disabled || !!c.debrief_released; }
    renderPace(c);
  }

  // "Next round" once every group has finished a round and rounds are left; "+30 s" while the next round
  // is counting down; a line when the class waits for the instructor.
  function renderPace(c) {
    var roundOver = c.status === "running" && c.progress.groups > 0 &&
      c.progress.groups_finished === c.progress.groups && c.round < c.rounds;
    var counting = c.status === "running" && !!c.next_round_at;
    q('[data-control="next_round"]').disabled = !roundOver;
    q('[data-control="extend"]').disabled = !counting;
    q(".ins-pace-row").dataset.pace = c.pace;
    var note = q("[data-pace-note]");
    note.dataset.waiting = roundOver && !counting ? "true" : "false";
    note.textContent = roundOver && !counting ? S.waiting_for_you : (counting ? S.extend_note : "");
  }

  // The page's messages (a control's answer) go once read: they would be stale after the next change.
  function fadeMessages() {
    document.querySelectorAll("[data-message]").forEach(function (item) {
      var seconds = MESSAGE_SECONDS[item.dataset.message] || 10;
      window.setTimeout(function () {
        var list = item.parentNode;
        item.remove();
        if (list && !list.children.length) { list.remove(); }
      }, seconds * 1000);
    });
  }

  function renderBars(list, counts) {
    list.textContent = "";
    var keys = Object.keys(counts);
    var max = Math.max.apply(null, keys.map(function (k) { return counts[k] || 0; }).concat([1]));
    keys.forEach(function (key) {
      var count = counts[key] || 0;
      var bar = el("span", { className: "ins-bar", "aria-hidden": "true" });
      bar.style.width = (100 * count / max) + "%";
      list.appendChild(el("li", { "data-outcome": key, "data-tone": S.tones[key], "data-count": String(count) }, [
        el("span", { className: "ins-bar-label", text: S.outcomes[key] || key }),
        el("span", { className: "ins-bar-track" }, [bar]),
        el("span", { className: "ins-bar-count", text: String(count) })
      ]));
    });
  }

  // The moves so far; a move the server made for a student is marked with who made it.
  function historyList(round) {
    var list = el("ol", { className: "ins-history" });
    var movedFor = {};
    (round.moved_for || []).forEach(function (entry) { movedFor[entry.node + ":" + entry.role] = entry.by; });
    round.history.forEach(function (move) {
      var who = move.role ? (S.roles[move.role] || move.role) : S.auto;
      var by = move.role ? movedFor[move.node + ":" + move.role] : null;
      list.appendChild(el("li", { "data-node": move.node, "data-action": move.action, "data-moved-by": by }, [
        who + ": " + (S.actions[move.action] || move.action),
        by ? el("span", { className: "ins-moved-by", text: " (" + S.moved_by[by] + ")" }) : null
      ]));
    });
    return list;
  }

  function countdown(round) {
    if (round.deadline) {
      return el("span", { className: "ins-countdown", "data-deadline": round.deadline });
    }
    if (round.paused_remaining !== null && round.paused_remaining !== undefined) {
      return el("span", { className: "ins-countdown",
        text: fmt(S.paused_left, { seconds: Math.max(0, Math.ceil(round.paused_remaining)) }) });
    }
    return null;
  }

  function advanceForm(group, round, status) {
    if (status !== "running" || round.status !== "playing") { return null; }
    var form = el("form", { method: "post", action: root.dataset.advanceUrl.replace("/rounds/0/", "/rounds/" + round.id + "/") }, [
      el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: csrf }),
      el("button", { type: "submit", className: "ins-button ins-button-small", "data-control": "advance",
        "data-round": String(round.id), "aria-label": fmt(S.advance_named, { action: S.advance, group: group.number }), text: S.advance })
    ]);
    return form;
  }

  function groupCard(group, status) {
    var round = group.round;
    var card = el("article", { className: "ins-group", "data-group": String(group.number),
      "data-node": round ? round.node : "", "data-outcome": round && round.outcome ? round.outcome.label : "",
      "data-tone": round && round.outcome ? S.tones[round.outcome.label] : null,
      "data-us-type": group.us_type, "aria-labelledby": "group-" + group.number });
    card.appendChild(el("header", { className: "ins-group-head" }, [
      el("h3", { id: "group-" + group.number, text: fmt(S.group, { group: group.number }) }),
      el("span", { className: "ins-badge ins-badge-private", "data-private": "us_type",
        text: S.roles.us + ": " + (S.us_types[round ? round.us_type : group.us_type] || "") })
    ]));
    if (!round) {
      card.appendChild(el("p", { className: "help", text: S.no_rounds }));
      return card;
    }
    var seats = el("ul", { className: "ins-seats" });
    ROLES.forEach(function (role) {
      var seat = round.players[role];
      seats.appendChild(el("li", { "data-role": role, className: round.to_move === role ? "ins-turn" : null,
        "aria-current": round.to_move === role ? "step" : null }, [
        el("span", { className: "ins-seat-role", text: S.roles[role] }), " ",
        el("span", { className: "ins-seat-name", text: seat.name }), " ", seatStatus(seat)
      ]));
    });
    card.appendChild(seats);
    var nodeLine = el("p", { className: "ins-node", "data-node": round.node, text: S.nodes[round.node] || round.node });
    var timer = countdown(round);
    if (timer) { nodeLine.appendChild(document.createTextNode(" · ")); nodeLine.appendChild(timer); }
    card.appendChild(nodeLine);
    if (round.challenger_type) {
      card.appendChild(el("p", { className: "help", "data-private": "challenger_type",
        text: S.roles.challenger + ": " + (S.challenger_types[round.challenger_type] || "") }));
    }
    if (round.history.length) { card.appendChild(historyList(round)); }
    if (round.outcome) {
      var label = S.outcomes[round.outcome.label] || round.outcome.label;
      if (round.outcome.qualifier) { label += " (" + (S.qualifiers[round.outcome.qualifier] || round.outcome.qualifier) + ")"; }
      card.appendChild(el("p", { className: "ins-outcome", "data-outcome": round.outcome.label,
        "data-tone": S.tones[round.outcome.label], text: label }));
    }
    var form = advanceForm(group, round, status);
    if (form) { card.appendChild(form); }
    if (round.status === "finished") {
      card.appendChild(el("p", {}, [el("a", { href: root.dataset.roundUrl.replace("/rounds/0/", "/rounds/" + round.id + "/"),
        "data-link": "round", text: S.review })]));
    }
    return card;
  }

  function renderGroups(snapshot) {
    var box = q("[data-groups]");
    var focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.round : null;
    box.textContent = "";
    if (!snapshot.groups.length) {
      box.appendChild(el("p", { className: "help", text: S.no_rounds }));
    }
    snapshot.groups.forEach(function (group) { box.appendChild(groupCard(group, snapshot.class.status)); });
    if (focused) {
      var again = box.querySelector('[data-round="' + focused + '"]');
      if (again) { again.focus(); }
    }
  }

  function renderPeople(people) {
    var body = q("[data-people]");
    body.textContent = "";
    people.forEach(function (person) {
      body.appendChild(el("tr", { "data-participant": person.id, "data-bot": person.bot ? "true" : "false",
        "data-connected": person.connected ? "true" : "false" }, [
        el("td", { text: person.name }),
        el("td", { text: personStatus(person) }),
        el("td", { text: person.group ? String(person.group) : "–" }),
        el("td", { text: person.role ? S.roles[person.role] : S.waiting })
      ]));
    });
  }

  function tick() {
    if (!live) { return; }
    var now = live.now();
    root.querySelectorAll("[data-deadline]").forEach(function (node) {
      var left = L.secondsLeft(node.dataset.deadline, now);
      node.textContent = left > 0 ? fmt(S.seconds, { seconds: left }) : S.overdue;
      node.classList.toggle("ins-countdown-low", left <= 10);
    });
    q("[data-next-round]").textContent = nextRoundAt
      ? "· " + fmt(S.next_round, { seconds: L.secondsLeft(nextRoundAt, now) }) : "";
  }

  // "Predict before the reveal": the questions still to ask this round, Open / Close, the live tally.
  function renderPolls(data, status) {
    var P = S.poll;
    if (!data) { return; }
    var select = q("[data-poll-question]");
    var chosen = select.value;
    select.textContent = "";
    data.available.forEach(function (code) {
      select.appendChild(el("option", { value: code, text: P.questions[code].text }));
    });
    if (data.available.indexOf(chosen) !== -1) { select.value = chosen; }
    var polling = status === "running" || status === "paused";
    q('[data-control="poll-open"]').disabled = !polling || data.open !== null || !data.available.length;
    select.disabled = !data.available.length;
    q('[data-control="poll-close"]').disabled = data.open === null;
    var list = q("[data-polls]");
    list.textContent = "";
    if (!data.polls.length) { list.appendChild(el("li", { className: "help", text: P.none_yet })); }
    data.polls.forEach(function (poll) {
      list.appendChild(el("li", { "data-poll": String(poll.id), "data-question": poll.question,
        "data-status": poll.status, "data-answers": String(poll.answers) }, [
        el("strong", { text: P.questions[poll.question].text }), " ",
        el("span", { className: "ins-badge", text: P[poll.status] || poll.status }), " ",
        el("span", { "data-tally": "", text: fmt(P.answered, { count: poll.answers }) + " · " +
          fmt(P.tally, { yes: poll.predicted.yes, no: poll.predicted.no }) })
      ]));
    });
  }

  function render(snapshot) {
    renderHeader(snapshot.class);
    renderPolls(snapshot.polls, snapshot.class.status);
    renderBars(q('[data-outcomes="current"]'), snapshot.outcomes.current);
    renderBars(q('[data-outcomes="all"]'), snapshot.outcomes.all);
    renderGroups(snapshot);
    renderPeople(snapshot.participants);
    tick();
  }

  function showConnection(state) {
    var node = q("[data-connection]");
    node.dataset.connection = state;
    node.textContent = state === "live" ? S.live : S.offline;
  }

  root.addEventListener("submit", function (event) {
    var message = event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  live = L.follow({
    wsPath: root.dataset.wsPath,
    snapshotUrl: root.dataset.snapshotUrl,
    initial: L.readJson("dashboard-snapshot"),
    onSnapshot: render,
    onStatus: showConnection
  });
  tick();
  fadeMessages();
  window.setInterval(tick, 1000);
})();
