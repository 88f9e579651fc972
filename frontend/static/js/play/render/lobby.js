// The lobby: who has joined and how the class will start; also a student without a seat this round,
// and the end of the class (with the debrief's link once released).

import { fill } from "../../shared/format.js";
import { byId, h, show } from "../../shared/dom.js";
import { ROLES, T, roleName, root } from "../context.js";

export function renderLobby(view) {
  const cls = view["class"] || {};
  const you = view.you || {};
  const lobby = view.lobby || null;
  const [title, status] = lobbyHeading(cls, lobby);
  byId("lobby-title").textContent = title;
  byId("lobby-status").textContent = status;
  byId("lobby-count").textContent = lobby ? fill(T.lobby_joined, { joined: lobby.joined }) : "";
  show(byId("lobby-count"), !!lobby);
  renderNames(lobby, you);
  renderRoles(cls);
}

function lobbyHeading(cls, lobby) {
  if (cls.status === "lobby") {
    if (!(lobby && lobby.autostart)) return [T.lobby_title, T.lobby_waiting_instructor];
    const left = Math.max(0, lobby.autostart - lobby.joined);
    return [T.lobby_title, left > 0 ? fill(T.lobby_autostart, { autostart: lobby.autostart, left: left })
      : T.lobby_autostart_now];
  }
  if (cls.status === "finished") return [T.class_over, ""];
  return [T.status[cls.status] || "", T.no_seat];
}

function renderNames(lobby, you) {
  const names = byId("lobby-names");
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
}

function renderRoles(cls) {
  const roles = byId("lobby-roles");
  const intro = byId("lobby-roles-intro");
  roles.replaceChildren();
  if (cls.status !== "finished") {
    intro.textContent = T.lobby_roles;
    for (const role of ROLES) {
      roles.appendChild(h("li", { class: "role-item role-" + role },
        h("strong", { text: roleName(role) }), h("span", { text: T.role_taglines[role] })));
    }
  } else {
    intro.textContent = "";
    if (cls.debrief_released) {
      roles.appendChild(h("li", { class: "debrief-link-item" },
        h("a", { class: "button-link", href: root.dataset.debriefUrl, text: T.debrief_link })));
    }
  }
  show(intro, cls.status !== "finished");
}
