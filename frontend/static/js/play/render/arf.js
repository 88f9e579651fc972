// Module D, the two layers (crisis-model.md §9): the ARF's chances of defusing a stand-off with and without
// the alliance (`data-arf-layer`, `data-applies`), the CBM choices so far (`data-cbm-role`), and the
// preventive-diplomacy draw once made, as a banner (`data-arf-result`). `public.arf` is an object when the
// module is on, with the chances null until both CBM decisions are made; `public.theory.arf` holds the
// chances before any measure and what each side's measures add.

import { chance, fill, num, points } from "../../shared/format.js";
import { byId, h, show } from "../../shared/dom.js";
import { T, pick, roleName } from "../context.js";

function arfOn(pub) {
  return !!(pub && pub.arf && typeof pub.arf === "object");
}

function decided(pub) {
  return pub.alliance === 0 || pub.alliance === 1;
}

// Nature's preventive-diplomacy draw of this round, "defused" or "failed", once made.
function arfDraw(round) {
  const event = (round.history || []).find((m) => m.node === "preventive_diplomacy" && !m.role);
  return event ? event.action : null;
}

// The chance that applies: the alliance decision picks one of the two (null while undecided).
function appliedChance(pub) {
  if (!decided(pub)) return null;
  const value = pub.alliance ? pub.arf.phi_if_allied : pub.arf.phi_if_not_allied;
  return typeof value === "number" ? value : null;
}

export function renderArf(round) {
  const pub = round.public || {};
  const on = arfOn(pub);
  show(byId("play-arf"), on);
  renderArfBanner(round, on);
  if (!on) return;
  const A = T.arf;
  const set = typeof pub.arf.phi_if_allied === "number" && typeof pub.arf.phi_if_not_allied === "number";
  byId("play-arf").dataset.arfStage = set ? "set" : "pending";
  byId("arf-title").textContent = A.title;
  byId("arf-intro").textContent = A.intro;
  if (set) renderChances(pub, A);
  else renderPending(pub, A);
  renderCbmChoices(pub, A);
}

// After stage 0: both chances in words and as bars, the one that applies marked once the US has chosen.
function renderChances(pub, A) {
  const allied = pub.arf.phi_if_allied, alone = pub.arf.phi_if_not_allied;
  byId("arf-sentence").textContent = fill(A.chance_sentence, { allied: chance(allied), alone: chance(alone) });
  const rows = [["allied", A.with_alliance, allied, 1], ["not_allied", A.without_alliance, alone, 0]];
  byId("arf-layers").replaceChildren(...rows.map(([key, label, value, a]) => {
    const applies = decided(pub) && pub.alliance === a;
    return h("li", { class: "arf-layer" + (applies ? " is-applied" : ""), "data-arf-layer": key,
      "data-applies": applies ? "true" : "false", "data-chance": String(value) },
    h("span", { class: "arf-layer-label" }, label, applies ? h("span", { class: "arf-applies", text: A.applies }) : null),
    h("strong", { class: "arf-layer-value", text: chance(value) }),
    h("span", { class: "meter", "aria-hidden": "true" },
      h("span", { class: "meter-fill", style: "width:" + (value * 100).toFixed(1) + "%" })));
  }));
  byId("arf-note").textContent = decided(pub) ? (pub.alliance ? A.applies_alliance : A.applies_no_alliance)
    : A.undecided;
}

// During stage 0: the chances are not set yet; what they are without measures and what each side's add.
function renderPending(pub, A) {
  const stageZero = (pub.theory && pub.theory.arf) || {};
  const base = stageZero.without_measures || {};
  byId("arf-sentence").textContent = A.pending;
  byId("arf-layers").replaceChildren();
  const lines = [fill(A.base, { allied: chance(base.allied), alone: chance(base.alone) })];
  for (const [key, template] of [["japan_adds", A.adds_japan], ["challenger_adds", A.adds_challenger]]) {
    const adds = stageZero[key];
    if (adds) lines.push(fill(template, { allied: points(adds.allied), alone: points(adds.alone) }));
  }
  byId("arf-note").textContent = lines.join(" ");
}

function renderCbmChoices(pub, A) {
  const cbm = pub.cbm || {};
  byId("arf-cbm-title").textContent = A.cbm_title;
  const rows = [
    { role: "japan", choice: cbm.japan, cost: pub.kappa1, exists: true },
    { role: "challenger", choice: cbm.challenger, cost: pub.kappaC, exists: Number(pub.dphiC) > 0 },
  ];
  byId("arf-cbm").replaceChildren(...rows.map((row) => {
    const made = row.exists && (row.choice === 0 || row.choice === 1);
    return h("li", { "data-cbm-role": row.role, "data-cbm": made ? String(row.choice) : "" },
      h("span", { class: "role-chip small role-" + row.role, text: roleName(row.role) }),
      h("span", { text: cbmText(row, A) }));
  }));
}

function cbmText(row, A) {
  if (!row.exists) return A.cbm_none;
  if (row.choice === 1) return fill(A.cbm_yes, { cost: num(row.cost) });
  return row.choice === 0 ? A.cbm_no : A.cbm_pending;
}

// The draw, once made, as a banner above the decision: did preventive diplomacy defuse the stand-off?
function renderArfBanner(round, on) {
  const banner = byId("play-arf-banner");
  const draw = on ? arfDraw(round) : null;
  banner.dataset.arfResult = draw || "";
  show(banner, !!draw);
  if (!draw) return;
  const value = appliedChance(round.public);
  byId("arf-banner-eyebrow").textContent = pick("nodes", "preventive_diplomacy");
  byId("arf-banner-text").textContent = fill(T.arf.banner[draw] || draw, { chance: value === null ? "–" : chance(value) });
}
