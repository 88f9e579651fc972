// What the play page received from the server besides the frames: the translated strings
// (`play-strings`, games/play/strings.py) and the page data (`play-data`, games/play/pages.py): the roles,
// the game's spine for this class (games/crisis/game.py `spine`) and the websocket close codes.

import { byId, readJson } from "../shared/dom.js";

export const root = byId("play");
export const T = readJson("play-strings") || {};
export const DATA = readJson("play-data") || {};
export const ROLES = DATA.roles || [];
export const baseTitle = document.title;

// The translation of `key` in the string table `group`, or the key itself when there is none.
export function pick(group, key) {
  return (T[group] && T[group][key]) || key;
}

export function roleName(role) {
  return pick("roles", role);
}

// The name of whoever holds `role`'s seat this round, marked when a bot plays it.
export function playerName(round, role) {
  const seat = round && round.players && round.players[role];
  return seat ? seat.name + (seat.bot ? " (" + T.bot_marker + ")" : "") : "";
}
