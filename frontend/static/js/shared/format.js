// Numbers, percentages and clocks as the course writes them, and `%(name)s` templates filled in. Pure: no
// DOM, so `node --test` checks it (frontend/static/js/tests/).

// Fills Python-style `%(name)s` placeholders of a translated string; unknown names stay as they are.
export function fill(template, params) {
  return String(template || "").replace(/%\((\w+)\)s/g, (match, name) =>
    params && params[name] !== undefined && params[name] !== null ? String(params[name]) : match);
}

// 0.30, 0.375, −0.05: at most three decimals, at least two, a true minus sign; "–" for no number.
export function num(x) {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return "–";
  const value = Number(x);
  let text = Math.abs(value).toFixed(3);
  if (text.endsWith("0")) text = text.slice(0, -1);
  return (value < -0.0005 ? "−" : "") + text;
}

// A probability as a whole percentage: 0.5 -> "50%".
export function percent(x) {
  return Math.round(Number(x) * 100) + "%";
}

// A probability in percentage points with at most one decimal: 0.35 -> "35", 0.175 -> "17.5".
export function points(x) {
  const value = Math.round(Number(x) * 1000) / 10;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

// A probability as a percentage with at most one decimal: 0.175 -> "17.5%".
export function chance(x) {
  return points(x) + "%";
}

// A payoff on the scoreboard's scale (hundredths, a true minus sign): -0.26 -> "−26".
export function score(x) {
  return String(Math.round(Number(x) * 100)).replace("-", "−");
}

// Seconds left as m:ss, rounded up (a clock never shows 0:00 while time is left).
export function clock(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}
