// Crisis Table: the minimal student client of the player protocol (DESIGN.md). No build step.
// It renders each `state` frame, sends moves with a fresh move_id and the seq it acted on, and reconnects
// with exponential backoff, asking for the state again (`sync`) after every reconnect.
(function () {
  "use strict";

  var root = document.getElementById("play");
  if (!root) return;
  var T = JSON.parse(document.getElementById("play-strings").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var board = $("play-board");

  var socket = null;
  var opened = false;      // has any socket of this page opened yet (then the next open is a reconnect)
  var attempts = 0;        // failed connection attempts in a row (the backoff grows with them)
  var seq = -1;            // seq of the state shown
  var view = null;         // the view shown
  var pingTimer = null;
  var retryTimer = null;

  function text(template, params) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (match, name) {
      return params && name in params ? String(params[name]) : match;
    });
  }
  function label(group, value) {
    return (T[group] && T[group][value]) || value;
  }
  function moveId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function show(el, on) { el.hidden = !on; }

  // ----- connection ---------------------------------------------------------------------------------
  function connect() {
    retryTimer = null;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + root.dataset.wsUrl);
    socket.addEventListener("open", function () {
      var reconnect = opened;
      opened = true;
      attempts = 0;
      $("play-connection").textContent = T.connected;
      if (reconnect) send({ type: "sync" });  // updates may have been missed while away
      clearInterval(pingTimer);
      pingTimer = setInterval(function () { send({ type: "ping" }); }, 25000);
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "state") onState(frame);
      else if (frame.type === "error") onError(frame);
    });
    socket.addEventListener("close", function (event) {
      clearInterval(pingTimer);
      socket = null;
      if (event.code === 4401) {  // the session has no participant (any more): join again
        $("play-connection").textContent = T.left;
        window.location.assign("/");
        return;
      }
      $("play-connection").textContent = T.reconnecting;
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    if (retryTimer) return;
    var delay = Math.min(30000, 500 * Math.pow(2, attempts));
    attempts += 1;
    retryTimer = setTimeout(connect, delay / 2 + Math.random() * delay / 2);  // jitter spreads a class
  }

  function reconnectNow() {
    if (socket || !retryTimer) return;
    clearTimeout(retryTimer);
    connect();
  }
  window.addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") reconnectNow();
  });

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  // ----- frames -------------------------------------------------------------------------------------
  function onState(frame) {
    if (frame.seq < seq) return;  // never go back to an older view
    seq = frame.seq;
    view = frame.view;
    show($("play-error"), false);
    render();
  }

  function onError(frame) {
    var el = $("play-error");
    el.textContent = (T.errors && T.errors[frame.code]) || frame.message;
    show(el, true);
    setButtonsDisabled(false);
  }

  function play(action) {
    if (send({ type: "move", action: action, move_id: moveId(), seq: seq })) setButtonsDisabled(true);
  }

  // ----- rendering ----------------------------------------------------------------------------------
  function render() {
    var cls = view["class"] || {};
    var you = view.you || {};
    var round = view.round || null;

    $("play-status").textContent = label("status", cls.status);
    $("play-round").textContent = cls.round ? text(T.round_of, { round: cls.round, rounds: cls.rounds }) : (
      view.lobby ? text(T.joined, { joined: view.lobby.joined }) : "");

    board.dataset.role = you.role || "";
    board.dataset.node = round ? round.node : "";
    $("play-role").textContent = you.role
      ? T.your_role + ": " + label("roles", you.role) + (you.group ? " · " + text(T.group, { group: you.group }) : "")
      : (cls.status === "lobby" ? "" : T.no_seat);

    renderPrivate(round);
    $("play-node").textContent = round ? label("nodes", round.node) : "";
    renderTurn(round);
    renderActions(round);
    renderOutcome(round, cls);
    renderHistory(round);
    tick();
  }

  function renderPrivate(round) {
    var list = $("play-private");
    list.replaceChildren();
    show($("play-private-box"), !!round);
    if (!round) return;
    var keys = Object.keys(round["private"] || {});
    if (!keys.length) {
      var none = document.createElement("dd");
      none.textContent = T.no_private;
      list.appendChild(none);
    }
    keys.forEach(function (key) {
      var term = document.createElement("dt");
      var value = document.createElement("dd");
      var raw = round["private"][key];
      term.textContent = label("private_keys", key);
      term.dataset.key = key;
      value.textContent = typeof raw === "string" ? label("types", raw) : String(raw);
      list.appendChild(term);
      list.appendChild(value);
    });
  }

  function renderTurn(round) {
    var turn = "";
    if (round && round.actions && round.actions.length) turn = T.your_turn;
    else if (round && round.to_move) turn = text(T.waiting_for, { role: label("roles", round.to_move) });
    $("play-turn").textContent = turn;
  }

  function renderActions(round) {
    var box = $("play-actions");
    box.replaceChildren();
    ((round && round.actions) || []).forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "primary";
      button.dataset.action = action;
      button.textContent = label("actions", action);
      button.addEventListener("click", function () { play(action); });
      box.appendChild(button);
    });
  }

  function setButtonsDisabled(disabled) {
    Array.prototype.forEach.call($("play-actions").querySelectorAll("button"), function (b) {
      b.disabled = disabled;
    });
  }

  function renderOutcome(round, cls) {
    var el = $("play-outcome");
    var outcome = round && round.outcome;
    el.dataset.outcome = outcome ? outcome.label : "";
    show(el, !!outcome);
    if (!outcome) return;
    var parts = [T.outcome + ": " + label("outcomes", outcome.label)];
    var role = view.you && view.you.role;
    if (outcome.payoffs && role && role in outcome.payoffs) {
      parts.push(text(T.your_payoff, { payoff: Number(outcome.payoffs[role]).toFixed(2) }));
    }
    if (cls.next_round_at) parts.push(T.next_round);
    el.textContent = parts.join(" · ");
  }

  function renderHistory(round) {
    var list = $("play-history");
    list.replaceChildren();
    ((round && round.history) || []).forEach(function (move) {
      var item = document.createElement("li");
      item.textContent = (move.role ? label("roles", move.role) + ": " : "") + label("actions", move.action) +
        (move.auto ? " " + T.auto : "");
      list.appendChild(item);
    });
  }

  // ----- countdown ----------------------------------------------------------------------------------
  function tick() {
    var el = $("play-countdown");
    var deadline = view && view.round && view.round.deadline;
    el.dataset.deadline = deadline || "";
    show(el, !!deadline);
    if (!deadline) return;
    var seconds = Math.max(0, Math.round((Date.parse(deadline) - Date.now()) / 1000));
    el.textContent = text(T.time_left, { seconds: seconds });
  }
  setInterval(tick, 500);

  connect();
})();
