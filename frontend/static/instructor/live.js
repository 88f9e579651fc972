/* Crisis Table, instructor pages: what the dashboard and the projector share (an ES module).
   - follow(): the staff socket /ws/instructor/<code>/ (js/shared/socket.js: reconnects with jittered
     backoff, pings after a silence). Every `class_changed` frame means "refetch the snapshot"; the frames
     carry no data. It also refetches every 10 s (presence changes send no frame, and pub/sub delivery is
     at most once), and after every (re)connection.
   - Snapshot fetching is throttled: one request in flight, at most one queued behind it.
   - The close codes that end the page's following come from the page data (`close-codes`).
   - fmt("Round %(round)s", {round: 2}) fills the translated strings the page received. */
import { ReconnectingSocket } from "../js/shared/socket.js";

// The socket's states as the instructor pages name them.
const STATUS = { connecting: "connecting", connected: "live", reconnecting: "offline", offline: "offline" };

export function fmt(template, values) {
  return String(template).replace(/%\((\w+)\)s/g, function (_, key) {
    return values && values[key] !== undefined ? values[key] : "";
  });
}

export function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (key) {
    var value = attrs[key];
    if (value === null || value === undefined || value === false) { return; }
    if (key === "text") { node.textContent = value; }
    else if (key === "className") { node.className = value; }
    else { node.setAttribute(key, value === true ? "" : value); }
  });
  (children || []).forEach(function (child) {
    if (child === null || child === undefined) { return; }
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  });
  return node;
}

export function readJson(id) {
  var node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

export function secondsLeft(iso, now) {
  return Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000));
}

export function follow(options) {
  var latestSnapshot = null;
  var inFlight = false;
  var queued = false;
  var offset = 0; // server clock minus this browser's clock, in ms
  var stopped = false;
  var closeCodes = readJson("close-codes") || { fatal: [] };
  var socket = null;

  function stop(status) {
    stopped = true;
    options.onStatus(status);
    socket.stop();
  }

  function refresh() {
    if (inFlight) { queued = true; return; }
    inFlight = true;
    var asked = Date.now();
    fetch(options.snapshotUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 403) { stop("forbidden"); throw new Error("403"); }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (snapshot) {
        var answered = Date.now();
        if (snapshot.server_time) {
          offset = Date.parse(snapshot.server_time) - (asked + answered) / 2;
        }
        latestSnapshot = snapshot;
        options.onSnapshot(snapshot);
      })
      .catch(function () { /* the next frame or the periodic refresh tries again */ })
      .then(function () {
        inFlight = false;
        if (queued) { queued = false; window.setTimeout(refresh, 250); }
      });
  }

  socket = new ReconnectingSocket(options.wsPath, {
    closeCodes: closeCodes,
    onStatus: function (status) { if (!stopped) { options.onStatus(STATUS[status] || status); } },
    onOpen: refresh, // anything missed while disconnected
    onFrame: function (frame) { if (frame.type === "class_changed") { refresh(); } },
    onGone: function (code) { stop(code === closeCodes.forbidden ? "forbidden" : "gone"); }
  });

  window.setInterval(function () { if (!stopped && !document.hidden) { refresh(); } }, 10000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });

  if (options.initial) {
    latestSnapshot = options.initial;
    if (options.initial.server_time) { offset = Date.parse(options.initial.server_time) - Date.now(); }
    options.onSnapshot(options.initial);
  }
  socket.start();
  return {
    refresh: refresh,
    now: function () { return Date.now() + offset; },
    snapshot: function () { return latestSnapshot; }
  };
}
