// Public information: the belief in US resolve, the probability ρ of US intervention it implies, the
// bargaining ranges at ρ = 0, now and 1 (crisis-model.md §3.3), what theory says about the crisis, and the
// facts of the scenario. Every number and every verdict is the server's (`public.theory`,
// games/crisis/views.py): this module only draws them and words the claims by their codes (../theory.js).

import { fill, num, percent } from "../../shared/format.js";
import { byId, h, s } from "../../shared/dom.js";
import { T, pick } from "../context.js";
import { claimText } from "../theory.js";

export function renderPublic(round) {
  const pub = round.public || {};
  const theory = pub.theory || {};
  byId("public-title").textContent = T.public_title;
  renderBelief(pub, theory);
  renderRanges(theory);
  byId("public-facts").replaceChildren(...facts(round, pub).filter(Boolean).map((f) => h("li", { text: f })));
}

// The meter: the Challenger's belief before the alliance decision (the reputation) and after it by the
// benchmark; when the class hides the benchmark belief, the reputation from before the decision, said so.
function renderBelief(pub, theory) {
  const decided = pub.alliance === 0 || pub.alliance === 1;
  const hidden = theory.belief_kind === "hidden";
  const mu = theory.belief;
  const label = hidden ? T.belief_hidden_label : T.belief_label;
  const help = hidden ? T.belief_hidden_help : theory.belief_kind === "benchmark" ? T.belief_benchmark
    : T.belief_help;
  const hasRho = typeof theory.rho === "number";
  byId("public-belief").replaceChildren(...[
    h("div", { class: "belief-head" },
      h("span", { class: "belief-label", id: "belief-label", text: label }),
      h("strong", { class: "belief-value", text: percent(mu) })),
    h("div", { class: "meter", role: "meter", "aria-labelledby": "belief-label", "aria-valuemin": "0",
      "aria-valuemax": "100", "aria-valuenow": String(Math.round(mu * 100)), "aria-valuetext": percent(mu) },
    h("span", { class: "meter-fill", style: "width:" + (mu * 100).toFixed(1) + "%" })),
    h("p", { class: "help", "data-belief-kind": theory.belief_kind || "", text: help }),
    hasRho ? h("p", { class: "rho-line" }, T.rho_label + " = ", h("strong", { text: num(theory.rho) }), " · ",
      decided ? (pub.alliance ? T.rho_alliance : T.rho_no_alliance) : T.rho_undecided) : null,
  ].filter(Boolean));
}

function renderRanges(theory) {
  const ranges = theory.ranges || {};
  const hasRho = typeof theory.rho === "number";
  const rho = num(theory.rho);
  byId("range-caption").replaceChildren(h("strong", { text: T.range_title }), " ",
    h("span", { text: hasRho ? fill(T.range_caption, { rho: rho }) : T.range_caption_hidden }));
  byId("range-svg").replaceChildren(drawRanges([
    { range: ranges.alone, label: T.range_alone },
    { range: ranges.now, label: fill(T.range_now, { rho: rho }), now: true },
    { range: ranges.certain, label: T.range_us },
  ].filter((row) => row.range)));
  byId("range-legend").replaceChildren(
    h("li", {}, h("span", { class: "swatch swatch-japan", "aria-hidden": "true" }), T.range_japan_cost),
    h("li", {}, h("span", { class: "swatch swatch-challenger", "aria-hidden": "true" }), T.range_challenger_cost),
    h("li", {}, h("span", { class: "swatch swatch-p", "aria-hidden": "true" }), T.range_p),
    h("li", {}, h("span", { class: "swatch swatch-sq", "aria-hidden": "true" }), T.range_sq),
  );
  const parts = [];
  const deal = theory.deal;
  if (deal) parts.push(h("span", { text: fill(T.range_deal, { low: num(deal.low), high: num(deal.high) }) }));
  // What theory says: the server's verdicts and their reasons, each worded by its claim's code.
  for (const claim of theory.claims || []) {
    const text = claimText(T.theory, claim);
    if (text) parts.push(h("span", { class: "claim", "data-claim": claim.claim, text: text }));
  }
  byId("range-text").replaceChildren(...parts.flatMap((part, i) => (i ? [" ", part] : [part])));
}

function facts(round, pub) {
  const list = [pick("alliance_types", pub.alliance_type)];
  if (pub.tripwire) list.push(T.tripwire);
  if (pub.module_a && (pub.armed === true || pub.armed === false) && round.node !== "arming") {
    list.push(pub.armed ? T.armed_yes : T.armed_no);
  }
  if (pub.alliance === 1) list.push(T.alliance_yes);
  else if (pub.alliance === 0) list.push(T.alliance_no);
  return list;
}

// The ranges as bars on Japan's share x (Japan's war cost, then the Challenger's, either side of the
// expected result of war p), with the status quo x = 1 marked and an axis wide enough for all of them.
function drawRanges(rows) {
  const W = 300, X0 = 8, X1 = 292, TOP = 26, ROW = 40;
  let lo = 0, hi = 1;
  for (const row of rows) { lo = Math.min(lo, row.range.low); hi = Math.max(hi, row.range.high); }
  lo = Math.max(-1, Math.floor((lo - 0.05) * 10) / 10);
  hi = Math.min(2, Math.ceil((hi + 0.05) * 10) / 10);
  const x = (v) => X0 + (v - lo) / (hi - lo) * (X1 - X0);
  const axisY = TOP + rows.length * ROW + 2;
  const svg = s("svg", { viewBox: "0 0 " + W + " " + (axisY + 34), class: "range-chart", role: "img",
    "aria-labelledby": "range-caption range-text", preserveAspectRatio: "xMidYMid meet" });
  const sq = x(1);
  svg.appendChild(s("line", { x1: sq, x2: sq, y1: 16, y2: axisY, class: "sq-line" }));
  svg.appendChild(s("text", { x: sq - 4, y: 12, "text-anchor": "end", class: "sq-label" }, T.range_sq));
  rows.forEach((row, i) => svg.appendChild(rangeRow(row, TOP + i * ROW, x, X0)));
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

function rangeRow(row, y, x, labelX) {
  const r = row.range;
  const g = s("g", { class: "range-row" + (row.now ? " is-now" : "") });
  const text = s("text", { x: labelX, y: y + 8, class: "range-row-label" }, row.label + " ");
  text.appendChild(s("tspan", { class: "range-row-values" }, "[" + num(r.low) + ", " + num(r.high) + "]"));
  g.appendChild(text);
  const barY = y + 13, barH = row.now ? 16 : 11;
  g.appendChild(s("rect", { x: x(r.low), y: barY, width: Math.max(0, x(r.p) - x(r.low)), height: barH,
    class: "bar-japan", rx: 2 }));
  g.appendChild(s("rect", { x: x(r.p), y: barY, width: Math.max(0, x(r.high) - x(r.p)), height: barH,
    class: "bar-challenger", rx: 2 }));
  g.appendChild(s("line", { x1: x(r.p), x2: x(r.p), y1: barY - 3, y2: barY + barH + 3, class: "p-mark" }));
  return g;
}
