// Everything that tells the student about the page itself rather than the game: the connection pill,
// the banner (connection lost, class paused), short notices, errors, and the screen-reader announcements.

import { fill } from "../../shared/format.js";
import { byId, show } from "../../shared/dom.js";
import { T } from "../context.js";

export function renderConnection(status) {
  byId("play-connection").dataset.state = status;
  byId("play-connection-text").textContent = T[status] || status;
}

// `socket`: the ReconnectingSocket (its status, whether it ever opened, when it retries).
export function renderBanner(socket, view) {
  const status = socket.status;
  const banner = byId("play-banner");
  const lost = (status === "reconnecting" || status === "offline") && socket.opened;
  const paused = view && view["class"] && view["class"].status === "paused";
  if (lost) {
    const seconds = Math.max(1, Math.ceil((socket.retryAt - Date.now()) / 1000));
    byId("play-banner-text").textContent = status === "offline" && navigator.onLine === false
      ? T.offline_detail : fill(T.reconnect_in, { seconds: seconds });
    banner.dataset.kind = "connection";
  } else if (paused) {
    byId("play-banner-text").textContent = T.paused_banner;
    banner.dataset.kind = "paused";
  }
  show(byId("play-retry"), lost && !socket.socket);
  show(banner, lost || paused);
}

// The banner counts down to the next reconnection attempt while it shows.
export function connectionBannerShown() {
  const banner = byId("play-banner");
  return !banner.hidden && banner.dataset.kind === "connection";
}

let noticeTimer = null;
let noticeKind = null;

// A notice that goes away by itself after a while (`fade`), or stays until hidden; `kind` lets the caller
// hide only its own.
export function showNotice(message, fade, kind) {
  const box = byId("play-notice");
  box.textContent = message;
  box.hidden = false;
  noticeKind = kind || null;
  clearTimeout(noticeTimer);
  if (fade) noticeTimer = setTimeout(hideNotice, 8000);
}

export function hideNotice(kind) {
  if (kind && noticeKind !== kind) return;
  byId("play-notice").hidden = true;
  noticeKind = null;
}

export function showError(message) {
  const box = byId("play-error");
  box.textContent = message;
  box.hidden = false;
}

export function hideError() {
  byId("play-error").hidden = true;
}

// Said by screen readers (a polite live region); emptied first so that the same words are said again.
export function announce(message) {
  const live = byId("play-live");
  live.textContent = "";
  setTimeout(() => { live.textContent = message; }, 50);
}
