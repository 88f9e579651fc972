/* Crisis Table, instructor pages: what the dashboard and the projector share.
   - follow(): the staff socket /ws/instructor/<code>/. Every `class_changed` frame means "refetch the
     snapshot"; the frames carry no data. Reconnects with jittered backoff, pings every 25 s, and also
     refetches every 10 s (presence changes send no frame, and pub/sub delivery is at most once).
   - Snapshot fetching is throttled: one request in flight, at most one queued behind it.
   - fmt("Round %(round)s", {round: 2}) fills the translated strings the page received. */
(function () {
  "use strict";

  function fmt(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (_, key) {
      return values && values[key] !== undefined ? values[key] : "";
    });
  }

  function el(tag, attrs, children) {
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

  function follow(options) {
    var latestSnapshot = null;
    var inFlight = false;
    var queued = false;
    var offset = 0; // server clock minus this browser's clock, in ms
    var attempt = 0;
    var socket = null;
    var stopped = false;

    function refresh() {
      if (inFlight) { queued = true; return; }
      inFlight = true;
      var asked = Date.now();
      fetch(options.snapshotUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (response.status === 403) { options.onStatus("forbidden"); stopped = true; throw new Error("403"); }
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

    function connect() {
      if (stopped) { return; }
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + window.location.host + options.wsPath);
      options.onStatus("connecting");
      socket.onopen = function () {
        attempt = 0;
        options.onStatus("live");
        refresh(); // anything missed while disconnected
      };
      socket.onmessage = function (event) {
        var frame;
        try { frame = JSON.parse(event.data); } catch (e) { return; }
        if (frame.type === "class_changed") { refresh(); }
      };
      socket.onclose = function (event) {
        if (event.code === 4403) { options.onStatus("forbidden"); stopped = true; return; }
        if (event.code === 4404) { options.onStatus("gone"); stopped = true; return; }
        options.onStatus("offline");
        var delay = Math.min(30000, 500 * Math.pow(2, attempt++)) * (0.5 + Math.random() / 2);
        window.setTimeout(connect, delay);
      };
    }

    window.setInterval(function () {
      if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify({ type: "ping" })); }
    }, 25000);
    window.setInterval(function () { if (!stopped && !document.hidden) { refresh(); } }, 10000);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });

    if (options.initial) {
      latestSnapshot = options.initial;
      if (options.initial.server_time) { offset = Date.parse(options.initial.server_time) - Date.now(); }
      options.onSnapshot(options.initial);
    }
    connect();
    return {
      refresh: refresh,
      now: function () { return Date.now() + offset; },
      snapshot: function () { return latestSnapshot; }
    };
  }

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function secondsLeft(iso, now) {
    return Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000));
  }

  window.CrisisLive = { fmt: fmt, el: el, follow: follow, readJson: readJson, secondsLeft: secondsLeft };
})();
