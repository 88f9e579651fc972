// What the play page received from the server besides the frames: the translated strings
// (`play-strings`, games/play/strings.py) and the page data (`play-data`, games/play/pages.py): the roles,
// the game's spine for this class (games/crisis/game.py `spine`) and the websocket close codes.

import { byId, readJson } from "../shared/dom.js";
import { fill } from "../shared/format.js";

export const root = byId("play");
export const T = readJson("play-strings") || {};
export const DATA = readJson("play-data") || {};
export const ROLES = DATA.roles || [];
export const baseTitle = document.title;

// The scenario the class plays now (`view.class.scenario`, set as each view is rendered) and its part of
// `play-data`: its name and its spine (a class may switch scenarios between rounds).
export const now = { scenario: null };
export function scenarioData(slug = now.scenario) {
  return (DATA.scenarios && slug && DATA.scenarios[slug]) || null;
}

// The translation of `key` in the string table `group`, or the key itself when there is none.
export function pick(group, key) {
  return (T[group] && T[group][key]) || key;
}

export function roleName(role) {
  return pick("roles", role);
}

// The name of whoever holds `role`'s seat this round. A seat-filling bot is named "Bot N" by the server:
// it is shown in the page's language, and a bot with any other name is marked as one.
export function playerName(round, role) {
  const seat = round && round.players && round.players[role];
  if (!seat) return "";
  if (!seat.bot) return seat.name;
  const numbered = /^Bot (\d+)$/.exec(seat.name);
  return numbered ? fill(T.bot_name, { number: numbered[1] }) : seat.name + " (" + T.bot_marker + ")";
}
