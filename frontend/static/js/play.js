// Crisis Table: the student's page, a client of the player protocol (DESIGN.md). No build step, no library.
// It renders each `state` frame (the server holds the truth: a refresh resumes exactly where the student
// was), sends moves with a fresh move_id and the seq it acted on, and reconnects with exponential backoff
// and jitter, asking for the state again (`sync`) after every reconnect. Every string comes translated from
// the page (`play-strings`, games/play_strings.py). Decisions: docs/student-ui.md.
(function () {
  "use strict";

  const root = document.getElementById("play");
  if (!root) return;
  const T = JSON.parse(document.getElementById("play-strings").textContent);
  const $ = (id) => document.getElementById(id);
  const board = $("play-board");
  const SVG = "http://www.w3.org/2000/svg";
  const ROLES = ["japan", "us", "challenger"];
  const baseTitle = document.title;

  // ----- small helpers ------------------------------------------------------------------------------
  function fill(template, params) {
    return String(template || "").replace(/%\((\w+)\)s/g, (match, name) =>
      params && params[name] !== undefined && params[name] !== null ? String(params[name]) : match);
  }
  function pick(group, key) {
    return (T[group] && T[group][key]) || key;
  }
  // Numbers as the course writes them: 0.30, 0.375, −0.05 (at most three decimals, at least two).
  function num(x) {
    if (x === null || x === undefined || Number.isNaN(Number(x))) return "–";
    const value = Number(x);
    let text = Math.abs(value).toFixed(3);
    if (text.endsWith("0")) text = text.slice(0, -1);
    return (value < -0.0005 ? "−" : "") + text;
  }
  function percent(x) {
    return Math.round(Number(x) * 100) + "%";
  }
  function clock(seconds) {
    const s = Math.max(0, Math.ceil(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  function s(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(key, value);
    }
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function show(node, on) {
    node.hidden = !on;
  }
  function moveId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function roleName(role) {
    return pick("roles", role);
  }
  function playerName(round, role) {
    const seat = round && round.players && round.players[role];
    return seat ? seat.name + (seat.bot ? " (" + T.bot_marker + ")" : "") : "";
  }

  // ----- the model's numbers (crisis-model.md §3.2, §3.3) -------------------------------------------
  // I_theta(a): the US type with value w intervenes iff (p2 - p) w - c2 (- r_N) + a R >= 0 (ties intervene).
  function intervenes(eff, w, a) {
    const net = (eff.p2 - eff.p) * w - eff.c2 - (eff.rN || 0) + (a ? eff.R : 0);
    return net >= -1e-9 ? 1 : 0;
  }
  // rho(a, mu) = mu I_R(a) + (1 - mu) I_N(a)
  function rhoOf(eff, a, mu) {
    return mu * intervenes(eff, eff.wR, a) + (1 - mu) * intervenes(eff, eff.wN, a);
  }
  // The bargaining range [p_rho - c1_rho, p_rho + cC_rho] at intervention probability rho.
  function rangeAt(eff, rho) {
    const p = eff.p + rho * (eff.p2 - eff.p);
    const c1 = eff.c1 + rho * (eff.c1a - eff.c1);
    const cC = eff.cC + rho * (eff.cCa - eff.cC);
    return { rho: rho, p: p, low: p - c1, high: p + cC };
  }
  // The belief and intervention probability the public information implies now.
  function publicRho(pub) {
    const eff = pub.effective || {};
    const decided = pub.alliance === 0 || pub.alliance === 1;
    const a = decided ? pub.alliance : 0;
    const benchmark = decided && typeof pub.benchmark_belief === "number";
    const mu = benchmark ? pub.benchmark_belief : pub.belief;
    return { a: a, decided: decided, mu: mu, benchmark: benchmark, rho: rhoOf(eff, a, mu), eff: eff };
  }
  // Values the briefing and the consequence lines quote.
  function numbers(round) {
    const pub = round.public || {};
    const eff = pub.effective || {};
    const priv = round.private || {};
    const g = typeof priv.g === "number" ? priv.g : null;
    return {
      p: num(eff.p), p2: num(eff.p2), c1: num(eff.c1), c1a: num(eff.c1a), cC: num(eff.cC), cCa: num(eff.cCa),
      beta: num(eff.beta), sigma: num(eff.sigma), c2: num(eff.c2), K: num(eff.K), R: num(eff.R),
      K1: num(eff.K1), rN: num(eff.rN), pi: percent(pub.belief), cC_H: num(eff.cC_H), cCa_H: num(eff.cCa_H),
      p_arm: num(pub.p_arm), p2_arm: num(pub.p2_arm), arm_cost: num(pub.arm_cost),
      w: num(priv.w), g: num(g), gR: g === null ? "–" : num(g - (eff.rN || 0) + eff.R),
      win_alone: num(1 - eff.p), win_coalition: num(1 - eff.p2),
    };
  }

  // ----- connection ---------------------------------------------------------------------------------
  const conn = {
    socket: null, opened: false, attempts: 0, retryTimer: null, retryAt: 0,
    lastHeard: 0, pingSentAt: 0, gone: false,
  };
  let seq = -1;        // seq of the state shown
  let view = null;     // the view shown
  let pending = null;  // the move sent and not yet answered: {frame, key, action}
  const sentMoves = new Set();  // move_ids this page sent

  function setConnection(state) {
    const pill = $("play-connection");
    pill.dataset.state = state;
    $("play-connection-text").textContent = T[state] || state;
    renderBanner();
  }

  function connect() {
    conn.retryTimer = null;
    if (conn.gone) return;
    setConnection(conn.opened ? "reconnecting" : "connecting");
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    let socket;
    try {
      socket = new WebSocket(scheme + window.location.host + root.dataset.wsUrl);
    } catch (e) {
      scheduleReconnect();
      return;
    }
    conn.socket = socket;
    socket.addEventListener("open", () => {
      if (conn.socket !== socket) return;
      const reconnect = conn.opened;
      conn.opened = true;
      conn.attempts = 0;
      conn.lastHeard = Date.now();
      conn.pingSentAt = 0;
      setConnection("connected");
      if (noticeKind === "not_connected") hideNotice();
      if (reconnect) send({ type: "sync" });  // updates may have been missed while away
      if (pending) send(pending.frame);  // same move_id: applied at most once, whatever happened before
    });
    socket.addEventListener("message", (event) => {
      if (conn.socket !== socket) return;
      conn.lastHeard = Date.now();
      conn.pingSentAt = 0;
      let frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "state") onState(frame);
      else if (frame.type === "error") onError(frame);
    });
    socket.addEventListener("close", (event) => {
      if (conn.socket !== socket) return;
      conn.socket = null;
      if (event.code === 4401) {  // the session has no participant (any more): join again
        conn.gone = true;
        setConnection("offline");
        showNotice(T.left, false);
        window.location.assign("/");
        return;
      }
      if (event.code === 1008) conn.attempts += 3;  // flooding: come back slower
      scheduleReconnect();
    });
  }

  // A socket that stopped answering (a phone that slept, a dead Wi-Fi) is dropped and replaced.
  function dropSocket() {
    const socket = conn.socket;
    conn.socket = null;
    if (socket) {
      try { socket.close(); } catch (e) { /* already closing */ }
    }
    scheduleReconnect();
  }

  function scheduleReconnect() {
    if (conn.retryTimer || conn.gone) return;
    const cap = Math.min(30000, 500 * Math.pow(2, conn.attempts));
    // "Equal jitter": between half and all of the ceiling, so a lecture hall does not reconnect at once.
    const delay = cap / 2 + Math.random() * cap / 2;
    conn.attempts += 1;
    conn.retryAt = Date.now() + delay;
    conn.retryTimer = setTimeout(connect, delay);
    setConnection(navigator.onLine === false ? "offline" : "reconnecting");
  }

  function reconnectNow() {
    if (conn.socket || conn.gone) return;
    clearTimeout(conn.retryTimer);
    conn.retryTimer = null;
    connect();
  }

  function send(frame) {
    const socket = conn.socket;
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  // Keepalive and a watchdog: a ping after 20 s of silence; no answer within 10 s means the socket is dead.
  setInterval(() => {
    const socket = conn.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const now = Date.now();
    if (conn.pingSentAt && now - conn.pingSentAt > 10000) {
      dropSocket();
    } else if (!conn.pingSentAt && now - conn.lastHeard > 20000) {
      conn.pingSentAt = now;
      send({ type: "ping" });
    }
  }, 2500);

  window.addEventListener("online", reconnectNow);
  window.addEventListener("offline", () => { if (!conn.socket) setConnection("offline"); });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") reconnectNow();
  });
  $("play-retry").addEventListener("click", reconnectNow);

  function renderBanner() {
    const state = $("play-connection").dataset.state;
    const banner = $("play-banner");
    const lost = (state === "reconnecting" || state === "offline") && conn.opened;
    const paused = view && view["class"] && view["class"].status === "paused";
    if (lost) {
      const seconds = Math.max(1, Math.ceil((conn.retryAt - Date.now()) / 1000));
      $("play-banner-text").textContent = state === "offline" && navigator.onLine === false
        ? T.offline_detail : fill(T.reconnect_in, { seconds: seconds });
      banner.dataset.kind = "connection";
    } else if (paused) {
      $("play-banner-text").textContent = T.paused_banner;
      banner.dataset.kind = "paused";
    }
    show($("play-retry"), lost && !conn.socket);
    show(banner, lost || paused);
  }

  // ----- frames -------------------------------------------------------------------------------------
  function roundKey(v) {
    const round = v && v.round;
    return round ? round.number + ":" + round.seq : "";
  }

  function onState(frame) {
    if (frame.seq < seq) return;  // never go back to an older view
    const before = view;
    seq = frame.seq;
    view = frame.view;
    if (pending && roundKey(view) !== pending.key) pending = null;  // the move was applied, or overtaken
    $("play-error").hidden = true;
    render(before);
  }

  function onError(frame) {
    // Errors reach every tab of this student; one about a move another tab sent is that tab's business.
    if (frame.ref && !sentMoves.has(frame.ref)) return;
    const message = (T.errors && T.errors[frame.code]) || frame.message;
    if (pending && (!frame.ref || frame.ref === pending.frame.move_id)) pending = null;
    if (["stale", "not_your_turn", "illegal_action"].includes(frame.code)) {
      showNotice(message, true);  // a second tab or a slow network: the fresh state follows; no alarm
    } else {
      const box = $("play-error");
      box.textContent = message;
      box.hidden = false;
    }
    renderActions(view && view.round, true);
  }

  let noticeTimer = null;
  let noticeKind = null;
  function showNotice(message, fade, kind) {
    const box = $("play-notice");
    box.textContent = message;
    box.hidden = false;
    noticeKind = kind || null;
    clearTimeout(noticeTimer);
    if (fade) noticeTimer = setTimeout(hideNotice, 8000);
  }
  function hideNotice() {
    $("play-notice").hidden = true;
    noticeKind = null;
  }

  function play(action) {
    if (pending || !view || !view.round) return;
    const frame = { type: "move", action: action, move_id: moveId(), seq: seq };
    pending = { frame: frame, key: roundKey(view), action: action };
    sentMoves.add(frame.move_id);
    if (!send(frame)) showNotice(T.not_connected, false, "not_connected");
    renderActions(view.round, true);
    $("turn-title").focus({ preventScroll: true });  // the buttons go away: keep keyboard users in place
  }

  // Number keys 1, 2, ... choose the actions in their order on screen.
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const index = "123456789".indexOf(event.key);
    if (index < 0) return;
    const buttons = $("play-actions").querySelectorAll("button[data-action]");
    const button = buttons[index];
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });

  // ----- rendering ----------------------------------------------------------------------------------
  function announce(message) {
    const live = $("play-live");
    live.textContent = "";
    setTimeout(() => { live.textContent = message; }, 50);
  }

  function render(before) {
    const cls = view["class"] || {};
    const you = view.you || {};
    const round = view.round || null;
    const seated = !!(round && you.role);

    $("play-round").textContent = cls.round ? fill(T.round_of, { round: cls.round, rounds: cls.rounds }) : "";
    board.dataset.role = you.role || "";
    const chip = $("play-role-chip");
    chip.textContent = you.role ? roleName(you.role) : "";
    chip.className = "role-chip small" + (you.role ? " role-" + you.role : "");
    show(chip, !!(you.role && round));
    board.dataset.node = round ? round.node : "";
    show($("play-lobby"), !seated);
    show(board, seated);
    if (!seated) renderLobby(cls, you);
    else renderBoard(cls, you, round, before);
    renderBanner();
    tick();
  }

  // The lobby, a student without a seat this round, or the end of the class.
  function renderLobby(cls, you) {
    const lobby = view.lobby || null;
    let title = T.status[cls.status] || "";
    let status = "";
    if (cls.status === "lobby") {
      title = T.lobby_title;
      if (lobby && lobby.autostart) {
        const left = Math.max(0, lobby.autostart - lobby.joined);
        status = left > 0 ? fill(T.lobby_autostart, { autostart: lobby.autostart, left: left })
          : T.lobby_autostart_now;
      } else {
        status = T.lobby_waiting_instructor;
      }
    } else if (cls.status === "finished") {
      title = T.class_over;
      status = "";
    } else {
      status = T.no_seat;
    }
    $("lobby-title").textContent = title;
    $("lobby-status").textContent = status;
    $("lobby-count").textContent = lobby ? fill(T.lobby_joined, { joined: lobby.joined }) : "";
    show($("lobby-count"), !!lobby);

    const names = $("lobby-names");
    names.replaceChildren();
    if (lobby && lobby.names) {
      let markedSelf = false;
      for (const name of lobby.names) {
        const self = !markedSelf && name === you.name;
        if (self) markedSelf = true;
        names.appendChild(h("li", { class: self ? "is-you" : null }, name,
          self ? h("span", { class: "you-tag", text: T.you_marker }) : null));
      }
      const more = lobby.joined - lobby.names.length;
      if (more > 0) names.appendChild(h("li", { class: "more", text: fill(T.lobby_more, { count: more }) }));
    }
    show(names, !!(lobby && lobby.names && lobby.names.length));

    const roles = $("lobby-roles");
    roles.replaceChildren();
    if (cls.status !== "finished") {
      $("lobby-roles-intro").textContent = T.lobby_roles;
      for (const role of ROLES) {
        roles.appendChild(h("li", { class: "role-item role-" + role },
          h("strong", { text: roleName(role) }), h("span", { text: T.role_taglines[role] })));
      }
    } else {
      $("lobby-roles-intro").textContent = "";
      if (cls.debrief_released) {
        roles.appendChild(h("li", { class: "debrief-link-item" },
          h("a", { class: "button-link", href: root.dataset.debriefUrl, text: T.debrief_link })));
      }
    }
    show($("lobby-roles-intro"), cls.status !== "finished");
  }

  function renderBoard(cls, you, round, before) {
    const role = you.role;
    const mine = (round.actions || []).length > 0;
    renderRoleCard(cls, you, round);
    renderTurn(cls, round, role);
    renderResult(cls, you, round);
    renderPublic(round);
    renderArf(round);
    renderTree(round, role);
    renderHistory(round, before);

    document.title = (mine ? "● " + T.your_decision + " · " : "") + baseTitle;
    const beforeRound = before && before.round;
    const turnKey = (r) => (r && (r.actions || []).length ? r.number + ":" + r.node : null);
    if (mine && turnKey(round) !== turnKey(beforeRound)) {
      announce(T.your_turn + " " + (T.prompts[round.node] || ""));
      if (navigator.vibrate) { try { navigator.vibrate(120); } catch (e) { /* not allowed */ } }
    }
    const ended = round.outcome && !(beforeRound && beforeRound.outcome && beforeRound.number === round.number);
    if (ended) announce(outcomeSentence(round.outcome));
  }

  // ----- role card, private information, briefing -----------------------------------------------
  let briefingKey = null;

  function renderRoleCard(cls, you, round) {
    const role = you.role;
    const card = $("play-rolecard");
    card.className = "rolecard role-" + role;
    $("role-eyebrow").textContent = T.you_play + (you.group ? " · " + fill(T.group, { group: you.group }) : "");
    $("role-name").textContent = roleName(role);
    $("role-tagline").textContent = T.role_taglines[role] || "";

    renderPrivate(round, role);

    const key = round.number + ":" + role;
    if (briefingKey !== key) {  // a new round or role: the briefing opens where there is room for it
      briefingKey = key;
      $("briefing-summary").textContent = T.briefing_title;
      $("play-briefing").open = window.matchMedia("(min-width: 60rem)").matches;
    }
    renderBriefing(round, role);
  }

  function renderPrivate(round, role) {
    const box = $("play-private");
    box.replaceChildren();
    const priv = round["private"] || {};
    const pub = round["public"] || {};
    const parts = [];
    for (const key of ["us_type", "challenger_type"]) {
      if (!priv[key]) continue;
      parts.push(h("p", { class: "secret-type", "data-private": key },
        h("span", { class: "secret-key", text: T.private_keys[key] + ": " }),
        h("strong", { text: pick("types", priv[key]) }), ". ",
        h("span", { class: "secret-meaning", text: pick("type_meanings", priv[key]) })));
    }
    if (!priv.challenger_type && role === "challenger" && pub.module_c && !round.outcome) {
      parts.push(h("p", { class: "secret-meaning", text: T.challenger_type_pending }));
    }
    const values = ["w", "g", "cC", "cCa"].filter((k) => typeof priv[k] === "number");
    if (values.length) {
      parts.push(h("p", { class: "secret-numbers" }, values.map((k, i) => [
        i ? " · " : null, h("abbr", { title: pick("private_keys", k), text: k }), " = ",
        h("strong", { text: num(priv[k]) })])));
    }
    if (parts.length) {
      box.appendChild(h("p", { class: "secret-title" }, lockIcon(), T.private_title));
      parts.forEach((part) => box.appendChild(part));
    }
    show(box, parts.length > 0);
  }

  function lockIcon() {
    const icon = s("svg", { viewBox: "0 0 16 16", width: "14", height: "14", "aria-hidden": "true",
      class: "icon" });
    icon.appendChild(s("rect", { x: "3", y: "7", width: "10", height: "8", rx: "1.5" }));
    icon.appendChild(s("path", { d: "M5 7V5a3 3 0 0 1 6 0v2", fill: "none", "stroke-width": "1.8" }));
    return icon;
  }

  function renderBriefing(round, role) {
    const body = $("briefing-body");
    body.replaceChildren();
    const B = (T.briefing && T.briefing[role]) || {};
    const n = numbers(round);
    const pub = round["public"] || {};
    const eff = pub.effective || {};
    const priv = round["private"] || {};
    const H = T.briefing_headings;
    const sections = [];
    if (role === "japan") {
      sections.push([H.who, [B.who]]);
      sections.push([H.want, [B.want]]);
      sections.push([H.know_public, [B.know]]);
      sections.push([H.choices, [pub.module_a ? B.arming : null, B.choices]]);
    } else if (role === "us") {
      const g = typeof priv.g === "number" ? priv.g : null;
      const tied = g !== null && g - (eff.rN || 0) + eff.R >= -1e-9;
      const know = [];
      if (priv.us_type === "resolute") know.push(B.know_resolute);
      else if (priv.us_type === "non_resolute") {
        know.push(B.know_non_resolute);
        if (eff.alliance_allowed !== false) know.push(tied ? B.tied : B.not_tied);
      }
      know.push(B.g_meaning);
      sections.push([H.who, [B.who]]);
      sections.push([H.want, [B.want]]);
      sections.push([H.know, know]);
      sections.push([H.choices, [eff.alliance_allowed === false ? B.neutrality : B.choices]]);
    } else if (role === "challenger") {
      sections.push([H.who, [B.who]]);
      sections.push([H.want, [B.want, eff.sigma > 0 ? B.sigma : null]]);
      sections.push([pub.module_c ? H.know : H.know_public, [B.know, pub.module_c ? B.module_c : null]]);
      sections.push([H.choices, [B.choices]]);
    }
    for (const [heading, paragraphs] of sections) {
      body.appendChild(h("h3", { text: heading }));
      for (const text of paragraphs) if (text) body.appendChild(h("p", { text: fill(text, n) }));
    }
  }

  // ----- whose turn, the actions, the countdown ----------------------------------------------------
  let actionsKey = null;

  function renderTurn(cls, round, role) {
    const panel = $("play-turn");
    const over = !!round.outcome;
    show(panel, !over);
    if (over) {
      actionsKey = null;
      return;
    }
    // My turn, even while the class is paused (the server then lists no actions).
    const mine = (round.actions || []).length > 0 || round.to_move === role;
    panel.classList.toggle("is-mine", mine);
    const reminder = $("turn-reminder");
    const usType = mine && round["private"] && round["private"].us_type;
    reminder.textContent = usType ? T.private_keys.us_type + ": " + pick("types", usType) : "";
    show(reminder, !!usType);
    if (mine) {
      $("turn-title").textContent = T.your_decision;
      $("turn-prompt").textContent = T.prompts[round.node] || T.your_turn;
    } else if (round.to_move) {
      $("turn-title").textContent = T.waiting_title;
      const who = roleName(round.to_move) + " (" + playerName(round, round.to_move) + ")";
      $("turn-prompt").replaceChildren(fill(T.waiting_for, { role: who }),
        h("span", { class: "turn-node", text: pick("nodes", round.node) }));
    } else {
      $("turn-title").textContent = T.waiting_title;
      $("turn-prompt").textContent = pick("nodes", round.node);
    }
    renderActions(round, false);
  }

  function renderActions(round, force) {
    const box = $("play-actions");
    const actions = (round && !round.outcome && round.actions) || [];
    const key = roundKey(view) + "|" + actions.join(",") + "|" + (pending ? pending.action : "");
    if (!force && key === actionsKey) return;  // keep the buttons (and the focus on them)
    actionsKey = key;
    const focused = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.action : null;
    box.replaceChildren();
    const n = round ? numbers(round) : {};
    const allied = !!(round && round["public"] && round["public"].alliance === 1);
    actions.forEach((action, index) => {
      let note = T.consequences[action === "stay_out" && allied ? "stay_out_allied" : action] || "";
      const sending = pending && pending.action === action;
      const button = h("button", {
        type: "button", class: "action" + (sending ? " is-sending" : ""), "data-action": action,
        "aria-keyshortcuts": String(index + 1), disabled: !!pending,
        onclick: () => play(action),
      },
      h("span", { class: "action-key", "aria-hidden": "true", text: String(index + 1) }),
      h("span", { class: "action-text" },
        h("span", { class: "action-label", text: sending ? T.sending : pick("actions", action) }),
        h("span", { class: "action-note", text: fill(note, n) })));
      box.appendChild(button);
    });
    const hint = $("turn-hint");
    hint.textContent = T.keys_hint;
    show(hint, actions.length > 0 && !pending && wideWithPointer.matches);
    if (focused) {
      const again = box.querySelector('[data-action="' + focused + '"]');
      if (again && !again.disabled) again.focus({ preventScroll: true });
    }
  }

  // The keyboard hint is for laptops (a pointer and room); it follows the window's size.
  const wideWithPointer = window.matchMedia("(hover: hover) and (min-width: 40rem)");
  wideWithPointer.addEventListener("change", () => { if (view) renderActions(view.round, true); });

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

  let warnedFor = null;
  function tick() {
    const countdown = $("play-countdown");
    const round = view && view.round;
    const cls = (view && view["class"]) || {};
    const deadline = (round && !round.outcome && round.deadline) || "";
    countdown.dataset.deadline = deadline;
    const text = countdown.querySelector(".countdown-text");
    const bar = countdown.querySelector(".countdown-fill");
    const paused = cls.status === "paused" && round && !round.outcome;
    if (paused) {
      const left = round.paused_remaining;
      text.textContent = typeof left === "number" ? fill(T.paused_left, { time: clock(left) }) : T.paused;
      countdown.dataset.state = "paused";
      show(countdown, true);
    } else if (deadline) {
      const remaining = (Date.parse(deadline) - Date.now()) / 1000;
      const total = deadlineTotal(deadline, remaining);
      text.textContent = remaining > 0 ? fill(T.time_left, { time: clock(remaining) }) : T.time_up;
      bar.style.transform = "scaleX(" + Math.max(0, Math.min(1, remaining / total)).toFixed(3) + ")";
      countdown.dataset.state = remaining <= 10 ? "urgent" : "running";
      show(countdown, true);
      const mine = round.actions && round.actions.length;
      if (mine && remaining <= 10 && remaining > 0 && warnedFor !== deadline) {
        warnedFor = deadline;
        announce(T.ten_seconds);
      }
    } else {
      show(countdown, false);
    }
    const next = $("result-next");
    if (round && round.outcome && next) next.textContent = nextRoundText(cls, view.you || {});
    if (!$("play-banner").hidden && $("play-banner").dataset.kind === "connection") renderBanner();
  }
  setInterval(tick, 250);

  // ----- the result of a round, and the debrief -------------------------------------------------
  function outcomeSentence(outcome) {
    const sentences = T.outcome_sentences || {};
    return sentences[outcome.label + "/" + outcome.qualifier] || sentences[outcome.label] ||
      pick("outcomes", outcome.label);
  }

  function outcomeTone(label) {
    if (/^(GENERAL|IMMEDIATE)_DETERRENCE_HELD|PREVENTIVE_DIPLOMACY_SUCCEEDED/.test(label)) return "held";
    if (label === "DETERRENCE_FAILED_JAPAN_CONCEDED") return "conceded";
    return "war";
  }

  function nextRoundText(cls, you) {
    const parts = [];
    if (cls.status === "finished" || (cls.round && cls.rounds && cls.round >= cls.rounds)) {
      parts.push(cls.status === "finished" ? T.class_over : T.last_round);
      return parts.join(" ");
    }
    if (cls.next_round_at) {
      const seconds = (Date.parse(cls.next_round_at) - Date.now()) / 1000;
      parts.push(seconds > 0 ? fill(T.next_round_in, { time: clock(seconds) }) : T.next_round_soon);
    } else if (cls.status === "running") {
      parts.push(T.others_playing);
    }
    parts.push(you.next_role ? fill(T.next_role, { role: roleName(you.next_role) }) : T.next_role_unknown);
    return parts.join(" ");
  }

  function renderResult(cls, you, round) {
    const box = $("play-result");
    const outcome = round.outcome || null;
    box.dataset.outcome = outcome ? outcome.label : "";
    show(box, !!outcome);
    if (!outcome) return;
    box.dataset.tone = outcomeTone(outcome.label);
    $("result-eyebrow").textContent = T.result_title;
    $("result-title").textContent = outcomeSentence(outcome);
    const mine = outcome.payoffs && you.role in outcome.payoffs ? outcome.payoffs[you.role] : null;
    if (mine !== null) {
      $("result-payoff").replaceChildren(h("strong", { text: fill(T.your_payoff, { payoff: num(mine) }) }),
        " (" + fill(T.points, { points: String(Math.round(mine * 100)).replace("-", "−") }) + ")");
    } else {
      $("result-payoff").replaceChildren();
    }
    $("result-payoff-note").textContent = round.debrief ? "" : T.payoff_private;
    $("result-next").textContent = nextRoundText(cls, you);
    renderDebrief(cls, you, round);
  }

  function renderDebrief(cls, you, round) {
    const box = $("result-debrief");
    box.replaceChildren();
    const d = round.debrief;
    if (!d && !cls.debrief_released) {
      box.appendChild(h("p", { class: "help", text: T.debrief_waiting }));
      show(box, true);
      return;
    }
    box.appendChild(h("h3", { text: T.debrief_title }));
    if (d) {
      const types = d.types || {};
      const revealed = [];
      if (types.us) {
        const usType = types.us === "R" ? "resolute" : "non_resolute";
        revealed.push(fill(T.debrief_us_was, { type: pick("types", usType) }));
      }
      if (types.challenger) {
        revealed.push(fill(T.debrief_challenger_was,
          { type: pick("types", types.challenger === "L" ? "determined" : "hesitant") }));
      }
      if (revealed.length) {
        box.appendChild(h("p", { class: "debrief-revealed" }, h("strong", { text: T.debrief_revealed + ": " }),
          revealed.join(" ")));
      }
      if (d.payoffs) {
        box.appendChild(h("p", { class: "debrief-sub", text: T.debrief_payoffs }));
        box.appendChild(h("ul", { class: "debrief-payoffs" }, ROLES.filter((r) => r in d.payoffs).map((r) =>
          h("li", { class: "role-" + r + (r === you.role ? " is-you" : "") },
            h("span", { text: roleName(r) + (r === you.role ? " (" + T.you_marker + ")" : "") }),
            h("strong", { text: num(d.payoffs[r]) })))));
      }
      const flags = (d.flags || []).filter((f) => T.flags[f.name]);
      if (flags.length) {
        box.appendChild(h("p", { class: "debrief-sub", text: T.debrief_flags }));
        box.appendChild(h("ul", { class: "debrief-flags" }, flags.map((f) => h("li", {
          "data-flag": f.name,
          text: fill(T.flags[f.name], {
            K: num(f.K), K1: num(f.K1), player: f.player ? roleName(f.player) : "",
            node: f.node ? pick("questions", f.node) : "",
          }),
        }))));
      }
      const range = d.bargaining_range;
      if (range) {
        box.appendChild(h("p", { class: "help", text: fill(T.debrief_range,
          { rho: num(range.rho), low: num(range.low), high: num(range.high) }) }));
      }
      if (d.benchmark && d.benchmark.selected) {
        const benchmark = fill(T.debrief_benchmark, { name: d.benchmark.selected });
        box.appendChild(h("p", { class: "help", text: benchmark }));
      }
    }
    if (cls.debrief_released) {
      box.appendChild(h("a", { class: "button-link", href: root.dataset.debriefUrl, text: T.debrief_link }));
    }
    show(box, true);
  }

  // ----- public information: belief, intervention probability, bargaining range -----------------
  function renderPublic(round) {
    const pub = round["public"] || {};
    const eff = pub.effective || {};
    $("public-title").textContent = T.public_title;
    const r = publicRho(pub);

    const belief = $("public-belief");
    belief.replaceChildren(...[
      h("div", { class: "belief-head" },
        h("span", { class: "belief-label", id: "belief-label", text: T.belief_label }),
        h("strong", { class: "belief-value", text: percent(r.mu) })),
      h("div", { class: "meter", role: "meter", "aria-labelledby": "belief-label", "aria-valuemin": "0",
        "aria-valuemax": "100", "aria-valuenow": String(Math.round(r.mu * 100)),
        "aria-valuetext": percent(r.mu) },
      h("span", { class: "meter-fill", style: "width:" + (r.mu * 100).toFixed(1) + "%" })),
      h("p", { class: "help", text: r.benchmark ? T.belief_benchmark : T.belief_help }),
      h("p", { class: "rho-line" }, T.rho_label + " = ", h("strong", { text: num(r.rho) }), " · ",
        r.decided ? (r.a ? T.rho_alliance : T.rho_no_alliance) : T.rho_undecided),
      eff.hands_tied && r.a === 1 ? h("p", { class: "help", text: T.hands_tied }) : null,
    ].filter(Boolean));

    $("range-caption").replaceChildren(h("strong", { text: T.range_title }), " ",
      h("span", { text: fill(T.range_caption, { rho: num(r.rho) }) }));
    const rows = [
      { range: rangeAt(eff, 0), label: T.range_alone },
      { range: rangeAt(eff, r.rho), label: fill(T.range_now, { rho: num(r.rho) }), now: true },
      { range: rangeAt(eff, 1), label: T.range_us },
    ];
    $("range-svg").replaceChildren(drawRange(rows));
    $("range-legend").replaceChildren(
      h("li", {}, h("span", { class: "swatch swatch-japan", "aria-hidden": "true" }), T.range_japan_cost),
      h("li", {}, h("span", { class: "swatch swatch-challenger", "aria-hidden": "true" }),
        T.range_challenger_cost),
      h("li", {}, h("span", { class: "swatch swatch-p", "aria-hidden": "true" }), T.range_p),
      h("li", {}, h("span", { class: "swatch swatch-sq", "aria-hidden": "true" }), T.range_sq),
    );
    const now = rows[1].range;
    const lines = [fill(T.range_deal, { low: num(Math.max(0, now.low)), high: num(Math.min(1, now.high)) })];
    lines.push(now.high >= 1 - 1e-9 ? T.range_sq_inside : T.range_sq_outside);
    if (now.low < 0) lines.push(T.range_concede);
    $("range-text").textContent = lines.join(" ");

    const facts = [pick("alliance_types", pub.alliance_type)];
    if (pub.tripwire) facts.push(T.tripwire);
    if (pub.module_a && (pub.armed === true || pub.armed === false) && round.node !== "arming") {
      facts.push(pub.armed ? T.armed_yes : T.armed_no);
    }
    if (pub.alliance === 1) facts.push(T.alliance_yes);
    else if (pub.alliance === 0) facts.push(T.alliance_no);
    $("public-facts").replaceChildren(...facts.filter(Boolean).map((f) => h("li", { text: f })));
  }

  // The bargaining range at rho = 0, now and 1 as bars on Japan's share x; the status quo x = 1 marked.
  function drawRange(rows) {
    const W = 300, X0 = 8, X1 = 292, TOP = 26, ROW = 40;
    let lo = 0, hi = 1;
    for (const row of rows) { lo = Math.min(lo, row.range.low); hi = Math.max(hi, row.range.high); }
    lo = Math.max(-1, Math.floor((lo - 0.05) * 10) / 10);
    hi = Math.min(2, Math.ceil((hi + 0.05) * 10) / 10);
    const x = (v) => X0 + (v - lo) / (hi - lo) * (X1 - X0);
    const axisY = TOP + rows.length * ROW + 2;
    const H = axisY + 34;
    const svg = s("svg", { viewBox: "0 0 " + W + " " + H, class: "range-chart", role: "img",
      "aria-labelledby": "range-caption range-text", preserveAspectRatio: "xMidYMid meet" });
    // status quo
    const sq = x(1);
    svg.appendChild(s("line", { x1: sq, x2: sq, y1: 16, y2: axisY, class: "sq-line" }));
    svg.appendChild(s("text", { x: sq - 4, y: 12, "text-anchor": "end", class: "sq-label" }, T.range_sq));
    rows.forEach((row, i) => {
      const y = TOP + i * ROW;
      const r = row.range;
      const g = s("g", { class: "range-row" + (row.now ? " is-now" : "") });
      const text = s("text", { x: X0, y: y + 8, class: "range-row-label" }, row.label + " ");
      text.appendChild(s("tspan", { class: "range-row-values" }, "[" + num(r.low) + ", " + num(r.high) + "]"));
      g.appendChild(text);
      const barY = y + 13, barH = row.now ? 16 : 11;
      g.appendChild(s("rect", { x: x(r.low), y: barY, width: Math.max(0, x(r.p) - x(r.low)), height: barH,
        class: "bar-japan", rx: 2 }));
      g.appendChild(s("rect", { x: x(r.p), y: barY, width: Math.max(0, x(r.high) - x(r.p)), height: barH,
        class: "bar-challenger", rx: 2 }));
      g.appendChild(s("line", { x1: x(r.p), x2: x(r.p), y1: barY - 3, y2: barY + barH + 3, class: "p-mark" }));
      svg.appendChild(g);
    });
    svg.appendChild(s("line", { x1: X0, x2: X1, y1: axisY, y2: axisY, class: "axis" }));
    for (const tick of [0, 0.5, 1]) {
      svg.appendChild(s("line", { x1: x(tick), x2: x(tick), y1: axisY, y2: axisY + 5, class: "axis" }));
      svg.appendChild(s("text", { x: x(tick), y: axisY + 16, "text-anchor": "middle", class: "axis-label" },
        String(tick)));
    }
    svg.appendChild(s("text", { x: (X0 + X1) / 2, y: axisY + 30, "text-anchor": "middle", class: "axis-title" },
      T.range_axis));
    return svg;
  }

  // ----- Module D: the two layers (crisis-model.md §9) ------------------------------------------------
  // `public.arf` is an object when the module is on: the ARF's chances of defusing a stand-off with and
  // without the alliance, null until both CBM decisions are made; `public.cbm` holds those decisions.
  function arfOn(pub) {
    return !!(pub && pub.arf && typeof pub.arf === "object");
  }
  // A probability as a percentage with at most one decimal (35%, 17.5%).
  function chance(x) {
    return points(x) + "%";
  }
  function points(x) {
    const value = Math.round(Number(x) * 1000) / 10;
    return Number.isInteger(value) ? String(value) : value.toFixed(1);
  }
  // Nature's preventive-diplomacy draw of this round, "defused" or "failed", once made.
  function arfDraw(round) {
    const event = (round.history || []).find((m) => m.node === "preventive_diplomacy" && !m.role);
    return event ? event.action : null;
  }
  // The chance that applies: the alliance decision picks one of the two (null while undecided).
  function appliedChance(pub) {
    if (pub.alliance !== 0 && pub.alliance !== 1) return null;
    const value = pub.alliance ? pub.arf.phi_if_allied : pub.arf.phi_if_not_allied;
    return typeof value === "number" ? value : null;
  }

  function renderArf(round) {
    const pub = round["public"] || {};
    const on = arfOn(pub);
    show($("play-arf"), on);
    renderArfBanner(round, on);
    if (!on) return;
    const A = T.arf;
    const set = typeof pub.arf.phi_if_allied === "number" && typeof pub.arf.phi_if_not_allied === "number";
    $("play-arf").dataset.arfStage = set ? "set" : "pending";
    $("arf-title").textContent = A.title;
    $("arf-intro").textContent = A.intro;
    if (set) renderArfChances(pub, A);
    else renderArfPending(pub, A);
    renderCbmChoices(pub, A);
  }

  // After stage 0: both chances in words and as bars, the one that applies marked once the US has chosen.
  function renderArfChances(pub, A) {
    const allied = pub.arf.phi_if_allied, alone = pub.arf.phi_if_not_allied;
    const decided = pub.alliance === 0 || pub.alliance === 1;
    $("arf-sentence").textContent = fill(A.chance_sentence, { allied: chance(allied), alone: chance(alone) });
    const rows = [["allied", A.with_alliance, allied, 1], ["not_allied", A.without_alliance, alone, 0]];
    $("arf-layers").replaceChildren(...rows.map(([key, label, value, a]) => {
      const applies = decided && pub.alliance === a;
      return h("li", { class: "arf-layer" + (applies ? " is-applied" : ""), "data-arf-layer": key,
        "data-applies": applies ? "true" : "false", "data-chance": String(value) },
      h("span", { class: "arf-layer-label" }, label,
        applies ? h("span", { class: "arf-applies", text: A.applies }) : null),
      h("strong", { class: "arf-layer-value", text: chance(value) }),
      h("span", { class: "meter", "aria-hidden": "true" },
        h("span", { class: "meter-fill", style: "width:" + (value * 100).toFixed(1) + "%" })));
    }));
    $("arf-note").textContent = decided ? (pub.alliance ? A.applies_alliance : A.applies_no_alliance)
      : A.undecided;
  }

  // During stage 0: the chances are not set yet; what each side's measures would add (from the parameters).
  function renderArfPending(pub, A) {
    const psi = Number(pub.psi), base = Number(pub.phi0 || 0);
    $("arf-sentence").textContent = A.pending;
    $("arf-layers").replaceChildren();
    const lines = [fill(A.base, { allied: chance(base), alone: chance(psi * base) })];
    lines.push(fill(A.adds_japan, { allied: points(pub.dphi1), alone: points(psi * pub.dphi1) }));
    if (Number(pub.dphiC) > 0) {
      lines.push(fill(A.adds_challenger, { allied: points(pub.dphiC), alone: points(psi * pub.dphiC) }));
    }
    $("arf-note").textContent = lines.join(" ");
  }

  function renderCbmChoices(pub, A) {
    const cbm = pub.cbm || {};
    $("arf-cbm-title").textContent = A.cbm_title;
    const rows = [
      { role: "japan", choice: cbm.japan, cost: pub.kappa1, exists: true },
      { role: "challenger", choice: cbm.challenger, cost: pub.kappaC, exists: Number(pub.dphiC) > 0 },
    ];
    $("arf-cbm").replaceChildren(...rows.map((row) => {
      const made = row.exists && (row.choice === 0 || row.choice === 1);
      return h("li", { "data-cbm-role": row.role, "data-cbm": made ? String(row.choice) : "" },
        h("span", { class: "role-chip small role-" + row.role, text: roleName(row.role) }),
        h("span", { text: cbmText(row, A) }));
    }));
  }
  function cbmText(row, A) {
    if (!row.exists) return A.cbm_none;
    if (row.choice === 1) return fill(A.cbm_yes, { cost: num(row.cost) });
    return row.choice === 0 ? A.cbm_no : A.cbm_pending;
  }

  // The draw, once made, as a banner above the decision: did preventive diplomacy defuse the stand-off?
  function renderArfBanner(round, on) {
    const banner = $("play-arf-banner");
    const draw = on ? arfDraw(round) : null;
    banner.dataset.arfResult = draw || "";
    show(banner, !!draw);
    if (!draw) return;
    const value = appliedChance(round["public"]);
    $("arf-banner-eyebrow").textContent = pick("nodes", "preventive_diplomacy");
    $("arf-banner-text").textContent = fill(T.arf.banner[draw] || draw,
      { chance: value === null ? "–" : chance(value) });
  }

  // ----- the game tree ------------------------------------------------------------------------------
  // The crisis of crisis-model.md §2 as a spine of decisions (top to bottom); the branches that end the
  // round lead to the terminals on the right. Optional stages appear when their module is on.
  const SPINE = {
    arming: { mover: "japan", pass: ["arm", "no_arm"] },
    cbm_japan: { mover: "japan", pass: ["cbm", "no_cbm"] },
    cbm_challenger: { mover: "challenger", pass: ["cbm", "no_cbm"] },
    alliance: { mover: "us", pass: ["alliance", "no_alliance"] },
    challenge: { mover: "challenger", go: "challenge", exits: [["status_quo", "SQ"]] },
    response: { mover: "japan", go: "resist", exits: [["concede", "CON"]] },
    preventive_diplomacy: { mover: null, go: "failed", exits: [["defused", "DEF"]] },
    attack: { mover: "challenger", go: "attack", exits: [["withdraw", "WD"]] },
    intervention: { mover: "us", exits: [["intervene", "WAR_I"], ["stay_out", "WAR_S"]] },
  };
  const ORDER = ["arming", "cbm_japan", "cbm_challenger", "alliance", "challenge", "response",
    "preventive_diplomacy", "attack", "intervention"];

  function spineOf(round) {
    const pub = round["public"] || {};
    const seen = (node) => node === round.node || (round.history || []).some((m) => m.node === node);
    const optional = {
      arming: !!pub.module_a,
      cbm_japan: !!pub.arf,
      cbm_challenger: !!pub.arf && Number(pub.dphiC || 0) > 0,
      preventive_diplomacy: !!pub.arf,
    };
    return ORDER.filter((node) => !(node in optional) || optional[node] || seen(node));
  }

  function renderTree(round, role) {
    $("tree-title").textContent = T.tree_title;
    const holder = $("tree-svg");
    holder.replaceChildren(drawTree(round, role));
    fitTexts(holder);
  }

  function drawTree(round, role) {
    const nodes = spineOf(round);
    const taken = {};
    for (const move of round.history || []) taken[move.node] = move;
    const endIndex = round.outcome
      ? nodes.reduce((last, node, i) => (taken[node] ? i : last), -1) : nodes.indexOf(round.node);
    const W = 320, CX = 20, TX = 42, CHIP_X = 180, CHIP_W = 138, ROW = 64, TOP = 24;
    const height = TOP + (nodes.length - 1) * ROW + 34;
    const label = fill(T.tree_label, { node: pick("nodes", round.outcome ? "end" : round.node) });
    const svg = s("svg", { viewBox: "0 0 " + W + " " + height, class: "tree-chart", role: "img",
      "aria-label": label });
    svg.appendChild(s("title", {}, label));

    nodes.forEach((node, i) => {
      const def = SPINE[node];
      const cy = TOP + i * ROW;
      const move = taken[node];
      const current = !round.outcome && node === round.node;
      const state = current ? "current" : move ? "past" : (i > endIndex ? "future" : "skipped");
      const group = s("g", { class: "t-node is-" + state + (def.mover ? " role-" + def.mover : " chance"),
        "data-tree-node": node });

      // the edge to the next decision
      if (i < nodes.length - 1) {
        const go = def.pass ? (move ? move.action : null) : def.go;
        const continued = !!move && (def.pass ? true : move.action === def.go);
        group.appendChild(s("line", { x1: CX, x2: CX, y1: cy + 14, y2: cy + ROW - 14,
          class: "t-edge" + (continued ? " is-taken" : "") }));
        const edgeText = def.pass
          ? (move ? pick("edges", move.action) : def.pass.map((a) => pick("edges", a)).join(" / "))
          : pick("edges", go);
        group.appendChild(s("text", { x: CX + 10, y: cy + ROW / 2 + 8,
          class: "t-edge-label" + (continued ? " is-taken" : "") }, edgeText));
      }
      // exits to terminals
      (def.exits || []).forEach(([action, term], k) => {
        const count = def.exits.length;
        const chipY = count === 1 ? cy : cy + (k === 0 ? -15 : 15);
        const hit = !!move && move.action === action;
        const path = "M " + (CHIP_X - 28) + " " + cy + " C " + (CHIP_X - 14) + " " + cy + ", " +
          (CHIP_X - 14) + " " + chipY + ", " + CHIP_X + " " + chipY;
        group.appendChild(s("path", { d: path, class: "t-exit" + (hit ? " is-taken" : "") }));
        const chip = s("g", { class: "t-terminal" + (hit ? " is-reached" : ""), "data-terminal": term });
        chip.appendChild(s("rect", { x: CHIP_X, y: chipY - 12, width: CHIP_W, height: 24, rx: 12 }));
        chip.appendChild(s("text", { x: CHIP_X + CHIP_W / 2, y: chipY + 4, "text-anchor": "middle",
          "data-fit": String(CHIP_W - 10) }, pick("terminals", term)));
        group.appendChild(chip);
      });
      // the decision itself
      if (current) group.appendChild(s("circle", { cx: CX, cy: cy, r: 19, class: "t-halo" }));
      group.appendChild(s("circle", { cx: CX, cy: cy, r: 13, class: "t-dot" }));
      group.appendChild(s("text", { x: CX, y: cy + 4, "text-anchor": "middle", class: "t-initial" },
        def.mover ? pick("role_initials", def.mover) : "?"));
      group.appendChild(s("text", { x: TX, y: cy - 1, class: "t-question",
        "data-fit": String(CHIP_X - 30 - TX) }, pick("questions", node)));
      // The circle's letter and colour name the role; the line below says who plays it.
      let who = def.mover === role ? T.you_marker : def.mover ? playerName(round, def.mover) : "";
      if (!def.mover && move) who = pick("auto_events", move.action);
      group.appendChild(s("text", { x: TX, y: cy + 14, class: "t-who", "data-fit": String(CHIP_X - 30 - TX) },
        who));
      svg.appendChild(group);
    });
    return svg;
  }

  // Shorten the texts that do not fit their room (names can be long), with an ellipsis.
  function fitTexts(holder) {
    holder.querySelectorAll("text[data-fit]").forEach((text) => {
      const room = Number(text.dataset.fit);
      if (!text.getComputedTextLength) return;
      let content = text.textContent;
      let guard = 0;
      while (content.length > 2 && text.getComputedTextLength() > room && guard < 80) {
        content = content.slice(0, -1);
        text.textContent = content.trimEnd() + "…";
        guard += 1;
      }
    });
  }

  // ----- what has happened --------------------------------------------------------------------------
  // An automatic public event: the neutrality pact by its cause, Module D's draw by its result.
  function autoText(move) {
    return T.auto_events[move.auto] ? T.auto_events[move.auto] : pick("auto_events", move.action);
  }

  function renderHistory(round, before) {
    $("history-title").textContent = T.history_title;
    const list = $("play-history");
    list.replaceChildren();
    const history = round.history || [];
    if (!history.length) list.appendChild(h("li", { class: "empty", text: T.history_empty }));
    history.forEach((move) => {
      if (!move.role) {
        list.appendChild(h("li", { class: "auto", "data-auto": move.auto || "" }, autoText(move)));
        return;
      }
      const who = move.role === (view.you || {}).role ? T.you_marker : playerName(round, move.role);
      list.appendChild(h("li", {},
        h("span", { class: "role-chip small role-" + move.role, text: roleName(move.role) }),
        h("span", { class: "history-text" },
          h("span", { class: "history-who", text: who }), " ",
          h("span", { class: "history-did", text: pick("did", move.action) }))));
    });
    // Announce other players' new moves.
    const sameRound = before && before.round && before.round.number === round.number;
    const old = sameRound ? before.round.history || [] : null;
    if (old && history.length > old.length) {
      const fresh = history.slice(old.length).filter((m) => !m.role || m.role !== (view.you || {}).role);
      if (fresh.length) {
        announce(fresh.map((m) => (m.role ? roleName(m.role) + ": " + pick("did", m.action) : autoText(m)))
          .join(". "));
      }
    }
  }

  connect();
})();
