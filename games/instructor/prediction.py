""" "What theory predicts" for a scenario, in plain words (the scenario editor and its live preview).

The engine (`games.crisis.solver.solve`) computes the benchmark of crisis-model.md §3; this module only
reads its `Solution` and says what it means: the selected equilibrium by name and in a sentence, its
path, the expected payoffs, the thresholds that matter with how far the parameters are from them, the
standard assumptions S1-S4, the other equilibria and the complete-information benchmark.  Everything
here is presentation: no rule of the game is decided outside the engine.

Numbers are shown rounded (two or three decimals) for people, and carried exactly ("4/5") in `exact`
fields and data attributes for tests and for anyone who wants the fraction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from games.crisis import claims
from games.crisis.analysis import solution_at
from games.crisis.debrief import outcome_key, primary_label
from games.crisis.params import Params
from games.crisis.solver import Benchmark, Candidate, Solution, solve
from games.instructor.scenario_form.forms import params_from_data
from games.instructor.scenario_form.specs import SPECS
from games.vocabulary import labels, theory
from games.vocabulary.numbers import DASH
from games.vocabulary.numbers import decimal as num

logger = logging.getLogger(__name__)

ZERO, ONE = Fraction(0), Fraction(1)


@dataclass(frozen=True)
class Number:
    """A shown number with its exact value (for a title attribute and for tests)."""

    text: str
    exact: str

    @classmethod
    def of(cls, x: Fraction | None) -> Number:
        return cls(num(x), "" if x is None else str(Fraction(x)))

    def __str__(self) -> str:
        return self.text


def join(sentences: list[str]) -> str:
    """Sentences in a row: separated by a space, except in Japanese, which needs none."""
    language = get_language() or "en"
    return ("" if language.startswith("ja") else " ").join(sentences)


def outcome_text(terminal: str, alliance: int) -> str:
    return labels.outcome_name(outcome_key(*primary_label(terminal, alliance)))


# --------------------------------------------------------------------------------------------------
# The equilibrium in words
# --------------------------------------------------------------------------------------------------


def title(candidate: Candidate, *, alliance_allowed: bool = True) -> str:
    name = candidate.name
    if not alliance_allowed:
        return _("E3 no alliance: the neutrality pact rules the alliance out")
    if name == "E1":
        return _("E1 separating: only a resolute US allies")
    if name == "E2":
        return _("E2 pooling on alliance: both US types ally")
    if name == "E3":
        return _("E3 no alliance: neither US type allies")
    if name == "E4":
        return _("E4 reverse separating: only a non-resolute US allies")
    return _("E5 semi-separating: the non-resolute US bluffs with probability %(x)s") % {
        "x": num(candidate.x_N)
    }


def continuation_sentences(bench: Benchmark, a: int) -> list[theory.Sentence]:
    """What the Challenger, Japan and the US do after alliance decision a in the selected equilibrium, each
    verdict chosen by the engine's claim at that decision (mixing and indifference said as such)."""
    at_challenge = claims.after_alliance(bench, a)
    assert at_challenge is not None  # summary() asks only for decisions the US can take
    d = claims.deterrence(bench, at_challenge)
    out: list[claims.Claim | theory.Sentence] = [claims.verdict(d.challenge)]
    if not d.challenge.probability:
        return _worded(out)
    r = claims.response(bench, claims.decision_state(at_challenge, "response"))
    out.append(claims.verdict(r.resist))
    if not r.resist.probability:
        return _worded(out)
    if r.forum:
        out.append(claims.Claim("forum_chance", {"p": r.forum}))
    s = solution_at(bench, at_challenge)
    if s.core.module_c:
        cont = s.continuation(a)
        text = _(
            "A determined Challenger attacks with probability %(l)s, a hesitant one with probability %(h)s."
        ) % {"l": num(cont.attack["L"]), "h": num(cont.attack["H"])}
        out.append(theory.Sentence("attack_types", text))
        attack = max(cont.attack.values())
    else:
        at_attack = claims.expectation(bench, claims.decision_state(at_challenge, "attack"))
        out.append(claims.verdict(at_attack))
        attack = at_attack.probability
    if attack > 0:
        out.append(theory.Sentence("intervention_types", _intervention_sentence(s, a)))
    return _worded(out)


def _worded(items: list[claims.Claim | theory.Sentence]) -> list[theory.Sentence]:
    return [item if isinstance(item, theory.Sentence) else theory.sentence(item) for item in items]


def _intervention_sentence(s: Solution, a: int) -> str:
    by_r, by_n = s.crisis.intervene[("R", a)], s.crisis.intervene[("N", a)]
    if by_r and by_n:
        return _("Either US type intervenes.")
    if by_r:
        return _("A resolute US intervenes; a non-resolute US stays out.")
    if by_n:
        return _("Only a non-resolute US intervenes.")
    return _("Neither US type intervenes.")


def summary(bench: Benchmark) -> list[dict[str, Any]]:
    """One entry per alliance decision that happens on the path: who takes it and what follows."""
    sel = bench.main.selected
    out = []
    for a in (1, 0):
        takes = {"R": sel.x_R if a else 1 - sel.x_R, "N": sel.x_N if a else 1 - sel.x_N}
        if not any(takes.values()):
            continue
        head = _("After an alliance") if a else _("Without an alliance")
        sentences = continuation_sentences(bench, a)
        out.append(
            {
                "alliance": a,
                "head": head,
                "who": _who(takes, a),
                "sentences": sentences,
                "text": join([x.text for x in sentences]),
            }
        )
    return out


def _who(takes: dict[str, Fraction], a: int) -> str:
    r, n = takes["R"], takes["N"]
    if r == 1 and n == 1:
        return _("(both US types)")
    if r == 1 and n == 0:
        return _("(a resolute US)")
    if r == 0 and n == 1:
        return _("(a non-resolute US)")
    if r == 1:
        return _("(a resolute US, and a non-resolute US with probability %(n)s)") % {"n": num(n)}
    if r == 0:
        return _("(a non-resolute US, with probability %(n)s)") % {"n": num(n)}
    if n == 0:
        return _("(a resolute US, with probability %(r)s)") % {"r": num(r)}
    return _("(a resolute US with probability %(r)s, a non-resolute one with probability %(n)s)") % {
        "r": num(r),
        "n": num(n),
    }


# --------------------------------------------------------------------------------------------------
# Why: the thresholds that matter, in sentences
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Values:
    """The quantities the thresholds table shows (exact)."""

    cost: Fraction  # K
    abandon: Fraction  # R
    hands_margin: Fraction
    rho_w: Fraction
    pi: Fraction
    vd_n0: Fraction
    vd_npi: Fraction
    vd_r0: Fraction
    vd_rpi: Fraction

    @classmethod
    def of(cls, s: Solution) -> Values:
        core, cr = s.core, s.crisis

        def vd(theta: str, mu: Fraction) -> Fraction:
            return claims.value_of_deterrence(s, theta, mu)

        return cls(
            cost=core.K,
            abandon=core.R,
            hands_margin=core.g("N") - core.rN + core.R,
            rho_w=cr.rho_W_D[1] if core.arf else cr.rho_W_star,  # what an alliance must reach
            pi=core.pi,
            vd_n0=vd("N", ZERO),
            vd_npi=vd("N", core.pi),
            vd_r0=vd("R", ZERO),
            vd_rpi=vd("R", core.pi),
        )


def reasons(s: Solution) -> list[theory.Sentence]:
    """Why the selected equilibrium: the engine's claims about the scenario (`claims.scenario_reasons`)."""
    return theory.sentences(claims.scenario_reasons(s))


def _rho_w_symbol(s: Solution) -> str:
    return "ρ_W*" if s.core.module_c else "ρ_W"


# --------------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------------


def threshold_rows(s: Solution) -> list[dict[str, Any]]:
    t, v = s.thresholds, Values.of(s)
    rows = [
        ("π", _("public reputation: the probability that the US is resolute"), v.pi),
        (_rho_w_symbol(s), _("chance of US intervention from which a challenge stops paying"), v.rho_w),
        ("ρ_A", _("chance of US intervention at which a resisted Challenger backs down"), t.rho_A),
        ("ρ_R", _("chance of US intervention Japan needs to resist"), t.rho_R),
        ("ρ*", _("general deterrence holds when the chance of US intervention is at least this"), t.rho_star),
    ]
    if s.core.module_c:
        rows += [
            ("ρ_A^L", _("as ρ_A, for a determined Challenger"), t.rho_A_L),
            ("ρ_A^H", _("as ρ_A, for a hesitant Challenger"), t.rho_A_H),
        ]
    if s.core.arf:
        rows[1] = ("ρ_W", _("chance of US intervention from which a challenge stops paying"), t.rho_W)
        rows += [
            ("φ_0", _("chance that preventive diplomacy defuses a stand-off, without an alliance"), t.phi[0]),
            ("φ_1", _("chance that preventive diplomacy defuses a stand-off, with an alliance"), t.phi[1]),
            ("ρ_W^D(0)", _("as ρ_W, with the ARF and no alliance"), t.rho_W_D[0]),
            ("ρ_W^D(1)", _("as ρ_W, with the ARF and an alliance"), t.rho_W_D[1]),
            ("ρ_R^D(0)", _("as ρ_R, with the ARF and no alliance"), t.rho_R_D[0]),
            ("ρ_R^D(1)", _("as ρ_R, with the ARF and an alliance"), t.rho_R_D[1]),
        ]
    if s.core.alliance_allowed:
        rows += [
            ("K", _("US peacetime cost of the alliance (k, plus kT with a tripwire)"), v.cost),
            ("R", _("US cost of abandoning its ally (r, plus τ with a tripwire)"), v.abandon),
            (
                "g_N + R",
                _("an allied non-resolute US's net gain from intervening (≥ 0: hands tied)"),
                v.hands_margin,
            ),
            ("VD_N(0)", _("value of deterrence to a non-resolute US seen as non-resolute"), v.vd_n0),
            ("VD_N(π)", _("value of deterrence to a non-resolute US at the public reputation"), v.vd_npi),
            ("VD_R(π)", _("value of deterrence to a resolute US at the public reputation"), v.vd_rpi),
            ("VD_R(0)", _("value of deterrence to a resolute US seen as non-resolute"), v.vd_r0),
        ]
    return [{"symbol": sym, "meaning": meaning, "value": Number.of(x)} for sym, meaning, x in rows]


def path_rows(s: Solution) -> list[dict[str, Any]]:
    return [
        {
            "theta": e.theta,
            "us_type": labels.type_name(e.theta),
            "alliance": e.alliance,
            "alliance_text": _("yes") if e.alliance else _("no"),
            "ctype": labels.type_name(e.ctype) or DASH,
            "terminal": e.terminal,
            "label": primary_label(e.terminal, e.alliance)[0],
            "outcome": outcome_text(e.terminal, e.alliance),
            "prob": Number.of(e.prob),
        }
        for e in s.path
    ]


def aggregate_rows(s: Solution) -> list[dict[str, Any]]:
    def total(test) -> Fraction:
        return sum((e.prob for e in s.path if test(e)), ZERO)

    rows = [
        (_("alliance formed"), total(lambda e: e.alliance == 1)),
        (_("challenge"), total(lambda e: e.terminal != "SQ")),
        (labels.terminal_name("CON"), total(lambda e: e.terminal == "CON")),
        (_("war"), total(lambda e: e.terminal in ("WAR_I", "WAR_S"))),
        (
            _("abandonment (allied US stays out of the war)"),
            total(lambda e: e.alliance and e.terminal == "WAR_S"),
        ),
    ]
    if s.core.module_c:
        rows.insert(
            3, (_("immediate deterrence (the Challenger withdraws)"), total(lambda e: e.terminal == "WD"))
        )
    if s.core.arf:
        rows.insert(3, (_("defused by preventive diplomacy"), total(lambda e: e.terminal == "DEF")))
    return [{"label": label, "value": Number.of(x)} for label, x in rows]


def payoff_rows(s: Solution) -> list[dict[str, Any]]:
    p, sel = s.expected_payoffs, s.selected
    return [
        {"label": _("United States (before its type is known)"), "value": Number.of(p.us)},
        {"label": _("United States, if resolute (U_R)"), "value": Number.of(sel.U_R)},
        {"label": _("United States, if not resolute (U_N)"), "value": Number.of(sel.U_N)},
        {"label": labels.role_name("challenger"), "value": Number.of(p.challenger)},
        {"label": labels.role_name("japan"), "value": Number.of(p.japan)},
    ]


def assumption_rows(s: Solution) -> list[dict[str, Any]]:
    texts = {
        "S1": _(
            "A resolute US intervenes even without a treaty; a non-resolute one does not (g_R ≥ 0 > g_N)."
        ),
        "S2": _(
            "Whenever a war is worth starting against a resisting Japan, Japan is "
            "willing to resist (ρ_R ≤ ρ_W)."
        ),
        "S3": _("Japan cannot deter alone, and certain US intervention would deter (0 < ρ_W ≤ 1)."),
        "S4": _("Without tied hands, the non-resolute US's bluff can be made worth its while (Y ≤ 1)."),
    }
    return [{"code": code, "text": texts[code], "ok": bool(ok)} for code, ok in s.assumptions.items()]


def other_rows(s: Solution) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "title": title(c, alliance_allowed=s.core.alliance_allowed),
            "ic": c.ic,
            "U_R": Number.of(c.U_R),
            "U_N": Number.of(c.U_N),
        }
        for c in s.candidates
        if c != s.selected
    ]


def complete_info_rows(s: Solution) -> list[dict[str, Any]]:
    rows = []
    for theta in ("R", "N"):
        info = s.complete_info[theta]
        a = info["alliance"]
        outcomes = "; ".join(
            f"{outcome_text(term, a)} {num(prob)}" for term, prob in info["terminals"].items() if prob
        )
        pay = info["payoffs"]
        rows.append(
            {
                "theta": theta,
                "us_type": labels.type_name(theta),
                "alliance_text": _("allies") if a else _("does not ally"),
                "outcomes": outcomes,
                "us": Number.of(pay.us),
                "challenger": Number.of(pay.challenger),
                "japan": Number.of(pay.japan),
            }
        )
    return rows


# --------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------


def module_d_context(bench: Any) -> dict[str, Any] | None:
    """Module D's stage 0 in words: who adopts confidence-building measures, and why (§9.6)."""
    stage = bench.module_d
    if stage is None:
        return None
    e1, e_c = stage.e
    with_cbm = stage.payoffs((1, stage.eC_reply[1]))[0]
    without = stage.payoffs((0, stage.eC_reply[0]))[0]
    values = {"yes": num(with_cbm), "no": num(without)}
    sentences = [
        (
            _(
                "Japan adopts confidence-building measures: its expected payoff is "
                "%(yes)s with them and %(no)s without."
            )
            if e1
            else _(
                "Japan does not adopt confidence-building measures: its expected payoff is %(yes)s with "
                "them and %(no)s without."
            )
        )
        % values
    ]
    if stage.challenger_moves:
        reply = {"yes": num(stage.payoffs((e1, 1))[1]), "no": num(stage.payoffs((e1, 0))[1])}
        sentences.append(
            (
                _("The Challenger then adopts them too (its expected payoff %(yes)s against %(no)s).")
                if e_c
                else _(
                    "The Challenger then does not adopt them (its expected payoff %(yes)s against %(no)s)."
                )
            )
            % reply
        )
    else:
        sentences.append(_("The Challenger has no decision on confidence-building measures (ΔφC = 0)."))
    return {"e": f"{e1},{e_c}", "text": join(sentences), "rows": stage_zero_rows(stage)}


def stage_zero_rows(stage: Any) -> list[dict[str, Any]]:
    """§9.6's stage-0 table: each confidence-building subgame e = (e1, eC) with the expected payoffs of
    Japan and the Challenger and the equilibrium played in it; `chosen` marks the benchmark's e."""
    rows = []
    for e, solution in sorted(stage.subgames.items()):
        japan, challenger = stage.payoffs(e)
        rows.append(
            {
                "e": f"{e[0]},{e[1]}",
                "who": labels.cbm_builders(e),
                "japan": num(japan),
                "challenger": num(challenger),
                "exact": {"japan": str(japan), "challenger": str(challenger)},
                "equilibrium": solution.selected.name,
                "chosen": tuple(e) == tuple(stage.e),
            }
        )
    return rows


def predict(params: Params) -> dict[str, Any]:
    """Everything the "What theory predicts" panel shows, for valid parameters."""
    try:
        bench = solve(params)
    except Exception:  # the solver is exact and total on valid input; never let a preview crash a page
        logger.exception("the solver failed on %s", params)
        return {"valid": False, "solver_failed": True}
    s = bench.main
    sel = s.selected
    module_a = None
    if bench.arm is not None:
        japan = {armed: bench.solutions[armed].expected_payoffs.japan for armed in (False, True)}
        values = {"arm": num(japan[True]), "no": num(japan[False])}
        sentence = (
            _("Japan arms: its expected payoff is %(arm)s if it arms and %(no)s if it does not.")
            if bench.arm
            else _("Japan does not arm: its expected payoff is %(arm)s if it arms and %(no)s if it does not.")
        )
        module_a = {"arm": bench.arm, "sentence": sentence % values}
    t = s.thresholds
    return {
        "valid": True,
        "module_d": module_d_context(bench),
        "name": sel.name,
        "title": title(sel, alliance_allowed=s.core.alliance_allowed),
        "summary": summary(bench),
        "module_a": module_a,
        "module_c": s.core.module_c,
        "reasons": reasons(s),
        "thresholds": threshold_rows(s),
        "path": path_rows(s),
        "aggregates": aggregate_rows(s),
        "payoffs": payoff_rows(s),
        "assumptions": assumption_rows(s),
        "approximate": s.approximate,
        "others": other_rows(s),
        "multiple": len(s.surviving) > 1,
        "complete_info": complete_info_rows(s),
        "exact": {
            "x_R": str(sel.x_R),
            "x_N": str(sel.x_N),
            "y1": str(sel.y1),
            "mu1": str(sel.mu1),
            "rho_W": str(s.crisis.rho_W_star),
            "rho_A": str(t.rho_A),
            "rho_R": str(t.rho_R),
            "rho_star": str(t.rho_star),
        },
    }


# --------------------------------------------------------------------------------------------------
# The editor's preview: form data in, the prediction (or the form's errors) out
# --------------------------------------------------------------------------------------------------


def prediction_for_data(data: Any) -> dict[str, Any]:
    params, form = params_from_data(data)
    if params is not None:
        return predict(params)
    errors = []
    for field, messages_ in form.errors.items():
        spec = SPECS.get(field)
        label = str(form.fields[field].label) if field in form.fields else ""
        for message in messages_:
            errors.append({"field": field if spec else "", "label": label, "message": message})
    return {"valid": False, "errors": errors}


def render_prediction(request: HttpRequest, context: dict[str, Any]) -> str:
    return render_to_string("instructor/_prediction.html", {"prediction": context}, request=request)
