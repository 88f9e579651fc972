// The role card: who the student plays, its private information (the lock), and the briefing.

import { fill, num } from "../../shared/format.js";
import { byId, h, s, show } from "../../shared/dom.js";
import { T, pick, roleName } from "../context.js";
import { quotes } from "./quotes.js";

let briefingKey = null;

export function renderRoleCard(you, round) {
  const role = you.role;
  byId("play-rolecard").className = "rolecard role-" + role;
  byId("role-eyebrow").textContent = T.you_play + (you.group ? " · " + fill(T.group, { group: you.group }) : "");
  byId("role-name").textContent = roleName(role);
  byId("role-tagline").textContent = T.role_taglines[role] || "";

  renderPrivate(round, role);

  const key = round.number + ":" + role;
  if (briefingKey !== key) { // a new round or role: the briefing opens where there is room for it
    briefingKey = key;
    byId("briefing-summary").textContent = T.briefing_title;
    byId("play-briefing").open = window.matchMedia("(min-width: 60rem)").matches;
  }
  renderBriefing(round, role);
}

function renderPrivate(round, role) {
  const box = byId("play-private");
  box.replaceChildren();
  const priv = round.private || {};
  const pub = round.public || {};
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
  const icon = s("svg", { viewBox: "0 0 16 16", width: "14", height: "14", "aria-hidden": "true", class: "icon" });
  icon.appendChild(s("rect", { x: "3", y: "7", width: "10", height: "8", rx: "1.5" }));
  icon.appendChild(s("path", { d: "M5 7V5a3 3 0 0 1 6 0v2", fill: "none", "stroke-width": "1.8" }));
  return icon;
}

function renderBriefing(round, role) {
  const body = byId("briefing-body");
  body.replaceChildren();
  const values = quotes(round);
  for (const [heading, paragraphs] of briefingSections(round, role)) {
    body.appendChild(h("h3", { text: heading }));
    for (const text of paragraphs) if (text) body.appendChild(h("p", { text: fill(text, values) }));
  }
}

// [heading, [paragraph templates]] of the role's briefing; null paragraphs are left out.
function briefingSections(round, role) {
  const B = (T.briefing && T.briefing[role]) || {};
  const H = T.briefing_headings;
  const pub = round.public || {};
  const eff = pub.effective || {};
  const priv = round.private || {};
  if (role === "japan") {
    return [[H.who, [B.who]], [H.want, [B.want]], [H.know_public, [B.know]],
      [H.choices, [pub.module_a ? B.arming : null, B.choices]]];
  }
  if (role === "us") {
    const know = [];
    if (priv.us_type === "resolute") know.push(B.know_resolute);
    else if (priv.us_type === "non_resolute") {
      know.push(B.know_non_resolute);
      // The non-resolute type's hands are tied exactly when the alliance makes it intervene (§3.2: h).
      if (eff.alliance_allowed !== false) know.push(eff.hands_tied ? B.tied : B.not_tied);
    }
    know.push(B.g_meaning);
    return [[H.who, [B.who]], [H.want, [B.want]], [H.know, know],
      [H.choices, [eff.alliance_allowed === false ? B.neutrality : B.choices]]];
  }
  if (role === "challenger") {
    return [[H.who, [B.who]], [H.want, [B.want, eff.sigma > 0 ? B.sigma : null]],
      [pub.module_c ? H.know : H.know_public, [B.know, pub.module_c ? B.module_c : null]],
      [H.choices, [B.choices]]];
  }
  return [];
}
