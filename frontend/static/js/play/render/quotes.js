// The values the briefing and the actions' consequence lines quote, formatted, by the names of their
// `%(name)s` placeholders (games/play/strings.py). Every one is a number the server sent: the round's
// effective parameters, the student's own private numbers and what theory gives (`public.theory`: the
// payoff a concession leaves after the costs already paid, the points the forum's chance gains).

import { num, percent, points } from "../../shared/format.js";

export function quotes(round) {
  const pub = round.public || {};
  const eff = pub.effective || {};
  const theory = pub.theory || {};
  const wins = theory.challenger_wins || {};
  const priv = round.private || {};
  const costs = theory.consequences || {};
  const arf = theory.arf || {};
  const adds = (side, key) => (arf[side] ? points(arf[side][key]) : "–");
  return {
    concede: num(costs.concede), betaD: num(pub.betaD), kappa1: num(pub.kappa1), kappaC: num(pub.kappaC),
    japan_adds: adds("japan_adds", "allied"), japan_adds_alone: adds("japan_adds", "alone"),
    challenger_adds: adds("challenger_adds", "allied"), challenger_adds_alone: adds("challenger_adds", "alone"),
    p: num(eff.p), p2: num(eff.p2), c1: num(eff.c1), c1a: num(eff.c1a), cC: num(eff.cC), cCa: num(eff.cCa),
    beta: num(eff.beta), sigma: num(eff.sigma), c2: num(eff.c2), K: num(eff.K), R: num(eff.R),
    K1: num(eff.K1), rN: num(eff.rN), pi: percent(pub.belief), cC_H: num(eff.cC_H), cCa_H: num(eff.cCa_H),
    p_arm: num(pub.p_arm), p2_arm: num(pub.p2_arm), arm_cost: num(pub.arm_cost),
    w: num(priv.w), g: num(priv.g), gR: num(theory.g_N_allied),
    win_alone: num(wins.alone), win_coalition: num(wins.coalition),
  };
}
