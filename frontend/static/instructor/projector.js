/* Crisis Table: the projector view (/instructor/classes/<code>/projector/), shown to the whole class.
   Lobby: the join code and QR code, large, with how many have joined. Afterwards: the round, the class's
   progress, how many groups are at which decision, and the outcomes so far. Its data (projector.json)
   holds only counts: nothing here can reveal a player's private information. */
import * as L from "./live.js";

(function () {
  "use strict";
  var fmt = L.fmt;
  var el = L.el;
  var root = document.getElementById("projector");
  if (!root) { return; }
  var S = L.readJson("projector-strings");

  function q(selector) { return root.querySelector(selector); }

  function bars(list, rows) {
    list.textContent = "";
    var max = Math.max.apply(null, rows.map(function (row) { return row.count; }).concat([1]));
    rows.forEach(function (row) {
      var bar = el("span", { className: "ins-bar", "aria-hidden": "true" });
      bar.style.width = (100 * row.count / max) + "%";
      var attrs = { "data-count": String(row.count) };
      attrs[row.kind] = row.key;
      list.appendChild(el("li", attrs, [
        el("span", { className: "ins-bar-label", text: row.label }),
        el("span", { className: "ins-bar-track" }, [bar]),
        el("span", { className: "ins-bar-count", text: String(row.count) })
      ]));
    });
  }

  function render(snapshot) {
    var c = snapshot.class;
    root.dataset.status = c.status;
    nextRoundAt = c.status === "running" ? c.next_round_at : null;
    var lobby = c.status === "lobby";
    q('[data-view="lobby"]').hidden = !lobby;
    q('[data-view="live"]').hidden = lobby;
    q("[data-joined]").textContent = (c.joined === 1 ? S.joined_one : fmt(S.joined, { joined: c.joined }));
    q("[data-round-text]").textContent = c.round ? fmt(S.round_of, { round: c.round, rounds: c.rounds })
      : fmt(S.not_started, { rounds: c.rounds });
    q("[data-status-text]").textContent = S.status[c.status] || c.status;
    q("[data-progress]").value = c.progress.fraction;
    q("[data-progress-text]").textContent = c.progress.groups
      ? fmt(S.groups_finished, { done: c.progress.groups_finished, groups: c.progress.groups }) : "";
    bars(q("[data-nodes]"), snapshot.nodes.map(function (row) {
      return { kind: "data-node", key: row.node, label: S.nodes[row.node] || row.node, count: row.count };
    }));
    var keys = Object.keys(snapshot.outcomes.all);
    bars(q('[data-outcomes="all"]'), keys.map(function (key) {
      return { kind: "data-outcome", key: key, label: S.outcomes[key] || key, count: snapshot.outcomes.all[key] || 0 };
    }));
    q("[data-outcomes-current]").textContent = keys
      .filter(function (key) { return snapshot.outcomes.current[key]; })
      .map(function (key) { return S.outcomes[key] + " " + snapshot.outcomes.current[key]; })
      .join(" · ") || "–";
  }

  var nextRoundAt = null;
  var live = null;

  function tick() {
    var node = q("[data-next-round]");
    node.textContent = nextRoundAt && live ? fmt(S.next_round, { seconds: L.secondsLeft(nextRoundAt, live.now()) }) : "";
  }

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
