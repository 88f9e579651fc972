// A websocket that stays connected: it reconnects with exponential backoff and jitter, pings after a
// silence and replaces a socket that stopped answering (a phone that slept, a dead Wi-Fi), reconnects at
// once when the device comes back online or the page becomes visible, and tells its owner each time it
// is open again so that the owner can ask for what it missed. Close codes come from the server's page
// data (games/play/protocol.py): after a `fatal` one it stops for good; after `flood` it comes back slower.
//
//   const socket = new ReconnectingSocket("/ws/play/", {closeCodes, onOpen, onFrame, onStatus, onGone});
//   socket.start(); socket.send({type: "sync"});

const DEFAULT_TIMING = {
  firstDelay: 500, // ms: the ceiling of the first retry; it doubles with every failed attempt...
  maxDelay: 30000, // ...up to this
  floodPenalty: 3, // attempts added after a `flood` close: come back 8 times slower
  pingAfter: 20000, // ms of silence before a ping
  pongWithin: 10000, // ms a ping may wait for an answer before the socket counts as dead
  watchEvery: 2500, // ms between two looks at the socket
};

export class ReconnectingSocket {
  constructor(path, options) {
    this.path = path;
    this.closeCodes = options.closeCodes || { fatal: [] };
    this.onOpen = options.onOpen || (() => {});
    this.onFrame = options.onFrame || (() => {});
    this.onStatus = options.onStatus || (() => {});
    this.onGone = options.onGone || (() => {});
    this.timing = { ...DEFAULT_TIMING, ...(options.timing || {}) };
    this.socket = null;
    this.opened = false; // has a socket ever opened (a later open is a reconnection)
    this.gone = false; // closed with a fatal code: never again
    this.attempts = 0;
    this.retryTimer = null;
    this.retryAt = 0;
    this.lastHeard = 0;
    this.pingSentAt = 0;
    this.status = "connecting";
  }

  start() {
    setInterval(() => this.watch(), this.timing.watchEvery);
    window.addEventListener("online", () => this.reconnectNow());
    window.addEventListener("offline", () => { if (!this.socket) this.setStatus("offline"); });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.reconnectNow();
    });
    this.connect();
  }

  // True when the frame went out; false while disconnected (the owner keeps it to send again on open).
  send(frame) {
    const socket = this.socket;
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  // For good: close the socket and never connect again (the page learnt it may not, e.g. from a 403).
  stop() {
    this.gone = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      try { socket.close(); } catch (e) { /* already closing */ }
    }
  }

  // Skip the wait: connect now, unless a socket is open or connecting, or the server sent us away.
  reconnectNow() {
    if (this.socket || this.gone) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  }

  setStatus(status) {
    this.status = status;
    this.onStatus(status);
  }

  connect() {
    this.retryTimer = null;
    if (this.gone) return;
    this.setStatus(this.opened ? "reconnecting" : "connecting");
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    let socket;
    try {
      socket = new WebSocket(scheme + window.location.host + this.path);
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", () => this.opening(socket));
    socket.addEventListener("message", (event) => this.receive(socket, event));
    socket.addEventListener("close", (event) => this.closed(socket, event));
  }

  opening(socket) {
    if (this.socket !== socket) return;
    const reconnected = this.opened;
    this.opened = true;
    this.attempts = 0;
    this.heard();
    this.setStatus("connected");
    this.onOpen(reconnected);
  }

  receive(socket, event) {
    if (this.socket !== socket) return;
    this.heard();
    let frame;
    try { frame = JSON.parse(event.data); } catch (e) { return; }
    this.onFrame(frame);
  }

  closed(socket, event) {
    if (this.socket !== socket) return;
    this.socket = null;
    if ((this.closeCodes.fatal || []).includes(event.code)) {
      this.gone = true;
      this.setStatus("offline");
      this.onGone(event.code);
      return;
    }
    if (event.code === this.closeCodes.flood) this.attempts += this.timing.floodPenalty;
    this.scheduleReconnect();
  }

  heard() {
    this.lastHeard = Date.now();
    this.pingSentAt = 0;
  }

  // A ping after a silence; no answer in time means the socket is dead: drop it and connect anew.
  watch() {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const now = Date.now();
    if (this.pingSentAt && now - this.pingSentAt > this.timing.pongWithin) {
      this.drop();
    } else if (!this.pingSentAt && now - this.lastHeard > this.timing.pingAfter) {
      this.pingSentAt = now;
      this.send({ type: "ping" });
    }
  }

  drop() {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      try { socket.close(); } catch (e) { /* already closing */ }
    }
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.retryTimer || this.gone) return;
    const delay = backoffDelay(this.attempts, this.timing, Math.random());
    this.attempts += 1;
    this.retryAt = Date.now() + delay;
    this.retryTimer = setTimeout(() => this.connect(), delay);
    this.setStatus(navigator.onLine === false ? "offline" : "reconnecting");
  }
}

// "Equal jitter": between half and all of the ceiling, so a lecture hall does not reconnect at once.
export function backoffDelay(attempts, timing = DEFAULT_TIMING, random = Math.random()) {
  const ceiling = Math.min(timing.maxDelay, timing.firstDelay * Math.pow(2, attempts));
  return ceiling / 2 + random * ceiling / 2;
}
