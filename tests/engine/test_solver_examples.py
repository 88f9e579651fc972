"""The worked examples of crisis-model.md (§1.4, §3.3, §3.4, §3.7, §3.9) as exact test vectors."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from games.crisis.crisis import Crisis
from games.crisis.params import AllianceType, Params
from games.crisis.solver import Solution, bargaining_range, benchmark_json, solve


def path_of(s: Solution) -> dict[tuple, F]:
    out: dict[tuple, F] = {}
    for e in s.path:
        key = (
            (e.theta, e.alliance, e.ctype, e.terminal)
            if s.core.module_c
            else (e.theta, e.alliance, e.terminal)
        )
        out[key] = out.get(key, F(0)) + e.prob
    return out


def prob(s: Solution, pred) -> F:
    return sum((e.prob for e in s.path if pred(e)), F(0))


def vd(cr: Crisis, theta: str, mu: F) -> F:
    """VD_theta(mu) = w_theta - U_theta(outcome(mu), a=0)."""
    return cr.core.w(theta) - cr.us_value_at(theta, 0, mu)


EX1 = Params()


class TestExample1Baseline:
    s = solve(EX1).main
    cr = s.crisis

    def test_derived_quantities(self):
        c = self.s.core
        assert (c.DC, c.D1, c.g("R"), c.g("N"), c.R, c.K, c.K1) == (
            F(5, 8),
            F(11, 20),
            F(1, 4),
            F(-13, 200),
            F(1, 20),
            F(3, 20),
            F(1, 20),
        )
        assert self.s.hands_tied is False

    def test_thresholds(self):
        t = self.s.thresholds
        assert (t.rho_A, t.rho_W, t.rho_R, t.rho_star) == (F(24, 25), F(4, 5), F(1, 11), F(4, 5))

    def test_values_of_deterrence(self):
        cr, pi = self.cr, EX1.pi
        assert cr.continuation(0, F(0)).resist is False  # outcome(0) = CON
        assert (vd(cr, "R", F(0)), vd(cr, "N", F(0))) == (F(1), F(3, 10))
        assert (vd(cr, "R", pi), vd(cr, "N", pi)) == (F(9, 20), F(21, 100))

    def test_selected_is_semi_separating(self):
        c = self.s.selected
        assert (c.name, c.x_R, c.x_N, c.mu0, c.mu1, c.y1) == ("E5", 1, F(1, 4), 0, F(4, 5), F(15, 26))
        assert (c.U_R, c.U_N) == (F(307, 520), 0)

    def test_other_pbe_is_e3_and_survives_ic(self):
        others = {c.name: c for c in self.s.candidates if c is not self.s.selected}
        assert set(others) == {"E3"}
        assert others["E3"].ic and (others["E3"].U_R, others["E3"].U_N) == (F(11, 20), F(9, 100))

    def test_path(self):
        assert path_of(self.s) == {
            ("N", 0, "CON"): F(3, 8),
            ("N", 1, "SQ"): F(11, 208),
            ("N", 1, "WAR_S"): F(15, 208),
            ("R", 1, "SQ"): F(11, 52),
            ("R", 1, "WAR_I"): F(15, 52),
        }

    def test_aggregates(self):
        s = self.s
        assert prob(s, lambda e: e.alliance == 1) == F(5, 8)
        assert prob(s, lambda e: e.terminal.startswith("WAR")) == F(75, 208)
        abandoned = prob(s, lambda e: e.alliance == 1 and e.terminal == "WAR_S")
        tested = prob(s, lambda e: e.alliance == 1 and e.terminal.startswith("WAR"))
        assert abandoned == F(15, 208)
        assert 1 - abandoned / tested == F(4, 5)

    def test_closed_form_aggregates_of_e5(self):
        pi, rho_W, Y = EX1.pi, self.s.thresholds.rho_W, self.s.selected.y1
        assert prob(self.s, lambda e: e.alliance == 1) == pi / rho_W
        assert prob(self.s, lambda e: e.alliance == 1 and e.terminal == "SQ") == (pi / rho_W) * (1 - Y)
        assert prob(self.s, lambda e: e.terminal == "WAR_S" and e.alliance) == pi * (1 - rho_W) * Y / rho_W

    def test_expected_payoffs(self):
        e = self.s.expected_payoffs
        assert (e.us, e.challenger, e.japan) == (F(307, 1040), F(3, 8), F(311, 832))

    def test_complete_information_has_no_war(self):
        ci = self.s.complete_info
        assert ci["R"]["alliance"] == 0 and ci["R"]["terminals"] == {"SQ": 1}
        assert ci["N"]["alliance"] == 0 and ci["N"]["terminals"] == {"CON": 1}

    def test_bargaining_ranges(self):
        core = self.s.core
        assert bargaining_range(core, F(0)) == (F(-5, 100), F(50, 100))
        assert bargaining_range(core, F(4, 5)) == (F(39, 100), F(1))
        assert bargaining_range(core, F(1)) == (F(50, 100), F(1125, 1000))

    def test_benchmark_behaviour(self):
        s = self.s
        assert s.behaviour("alliance", theta="N") == {"alliance": F(1, 4), "no_alliance": F(3, 4)}
        assert s.behaviour("challenge", alliance=1) == {"challenge": F(15, 26), "status_quo": F(11, 26)}
        assert s.behaviour("challenge", alliance=0)["challenge"] == 1
        assert s.behaviour("response", alliance=0)["concede"] == 1
        assert s.behaviour("response", alliance=1)["resist"] == 1
        assert s.behaviour("attack", alliance=0)["attack"] == 1  # the Challenger would attack
        assert s.behaviour("intervention", alliance=1, theta="N")["stay_out"] == 1
        assert s.behaviour("intervention", alliance=0, theta="R")["intervene"] == 1

    def test_assumptions_hold_and_benchmark_is_exact(self):
        assert self.s.assumptions == {"S1": True, "S2": True, "S3": True, "S4": True}
        assert self.s.approximate is False


def test_example2_tripwire_ties_hands_and_both_types_ally():
    s = solve(Params(tripwire=True)).main
    c = s.core
    assert (c.K, c.R, c.K1) == (F(1, 5), F(3, 20), F(1, 10))
    assert c.g("N") + c.R == F(17, 200) and s.hands_tied
    assert (s.selected.name, s.selected.x_R, s.selected.x_N) == ("E2", 1, 1)
    assert (s.selected.U_R, s.selected.U_N) == (F(4, 5), F(1, 10))
    assert path_of(s) == {("R", 1, "SQ"): F(1, 2), ("N", 1, "SQ"): F(1, 2)}
    e = s.expected_payoffs
    assert (e.us, e.challenger, e.japan) == (F(9, 20), 0, F(9, 10))
    # Off the path: if the Challenger attacked anyway, the non-resolute US would intervene (entrapment).
    assert s.behaviour("intervention", alliance=1, theta="N")["intervene"] == 1


def test_example3_expensive_alliance_separates():
    s = solve(Params(k=F(35, 100))).main
    cr = s.crisis
    assert vd(cr, "N", F(1, 2)) < s.core.K < vd(cr, "R", F(1, 2))
    e3 = next(c for c in s.candidates if c.name == "E3")
    assert e3.ic is False
    assert (s.selected.name, s.selected.U_R, s.selected.U_N) == ("E1", F(13, 20), 0)
    assert path_of(s) == {("R", 1, "SQ"): F(1, 2), ("N", 0, "CON"): F(1, 2)}
    e = s.expected_payoffs
    assert (e.us, e.challenger, e.japan) == (F(13, 40), F(1, 2), F(19, 40))


def test_example4_strong_reputation_deters_without_alliance():
    s = solve(Params(pi=F(85, 100))).main
    assert (s.selected.name, s.selected.U_R, s.selected.U_N) == ("E3", 1, F(3, 10))
    assert {c.name for c in s.candidates} == {"E3", "E2"}
    assert prob(s, lambda e: e.terminal == "SQ" and e.alliance == 0) == 1
    e = s.expected_payoffs
    assert (e.us, e.challenger, e.japan) == (F(179, 200), 0, 1)


def test_example5_very_expensive_alliance_gives_ad_hoc_war():
    s = solve(Params(k=F(60, 100))).main
    assert (s.selected.name, s.selected.U_R, s.selected.U_N) == ("E3", F(11, 20), F(9, 100))
    assert path_of(s) == {("R", 0, "WAR_I"): F(1, 2), ("N", 0, "WAR_S"): F(1, 2)}
    e = s.expected_payoffs
    assert (e.us, e.challenger, e.japan) == (F(8, 25), F(3, 16), F(9, 40))


def test_example6_module_a_japan_arms():
    b = solve(Params(module_a=True))
    assert b.arm is True
    s = b.main
    c = s.core
    assert (c.p, c.p2, c.sigma, c.DC, c.D1) == (F(45, 100), F(8, 10), F(1, 10), F(21, 40), F(9, 20))
    t = s.thresholds
    assert (t.rho_A, t.rho_W, t.rho_R, t.rho_star) == (F(22, 21), F(6, 7), F(-2, 9), F(6, 7))
    assert (c.g("R"), c.g("N"), s.hands_tied) == (F(3, 20), F(-19, 200), False)
    assert vd(s.crisis, "N", F(0)) == F(33, 200) and vd(s.crisis, "R", F(0)) == F(2, 5)
    sel = s.selected
    assert (sel.name, sel.x_N, sel.y1, sel.U_R, sel.U_N) == ("E5", F(1, 6), F(3, 43), F(707, 860), F(27, 200))
    assert path_of(s) == {
        ("N", 0, "WAR_S"): F(5, 12),
        ("N", 1, "SQ"): F(10, 129),
        ("N", 1, "WAR_S"): F(1, 172),
        ("R", 1, "SQ"): F(20, 43),
        ("R", 1, "WAR_I"): F(3, 86),
    }
    e = s.expected_payoffs
    assert (e.us, e.challenger, e.japan) == (F(8231, 17200), F(7, 80), F(4901, 10320))
    assert b.solution(False).expected_payoffs.japan == F(311, 832)
    assert b.arming_behaviour() == {"arm": 1, "no_arm": 0}


def test_example7_module_c_immediate_deterrence_on_the_path():
    s = solve(Params(module_c=True)).main
    t = s.thresholds
    assert (t.rho_A_L, t.rho_A_H, t.rho_W_star) == (F(24, 25), F(14, 25), F(16, 25))
    sel = s.selected
    assert (sel.name, sel.variant, sel.x_R, sel.x_N, sel.mu1, sel.z_H) == (
        "E5",
        "A",
        1,
        F(11, 14),
        F(14, 25),
        F(2, 13),
    )
    assert (sel.U_R, sel.U_N) == (F(307, 520), 0)
    assert path_of(s) == {
        ("N", 0, None, "CON"): F(3, 28),
        ("N", 1, "H", "WAR_S"): F(11, 364),
        ("N", 1, "H", "WD"): F(121, 728),
        ("N", 1, "L", "WAR_S"): F(11, 56),
        ("R", 1, "H", "WAR_I"): F(1, 26),
        ("R", 1, "H", "WD"): F(11, 52),
        ("R", 1, "L", "WAR_I"): F(1, 4),
    }
    assert prob(s, lambda e: e.terminal == "WD") == F(275, 728)
    e = s.expected_payoffs
    assert (e.us, e.challenger, e.japan) == (F(307, 1040), F(29, 224), F(1357, 2912))
    assert s.behaviour("attack", alliance=1, ctype="H") == {"attack": F(2, 13), "withdraw": F(11, 13)}
    assert s.behaviour("attack", alliance=1, ctype="L")["attack"] == 1


ALLIANCE_TYPE_TABLE = [
    # type, rho*, selected, Pr(N allies), y*, Pr(challenge), Pr(war)
    (AllianceType.DEFENCE_PACT, F(4, 5), "E5", F(1, 4), F(15, 26), F(153, 208), F(75, 208)),
    (AllianceType.ENTENTE, F(4, 5), "E3", F(0), None, F(1), F(1)),
    (AllianceType.OFFENSIVE, F(24, 25), "E5", F(1, 24), F(15, 29), F(521, 696), F(125, 464)),
    (AllianceType.NON_AGGRESSION, F(18, 25), "E5", F(7, 18), F(15, 26), F(661, 936), F(125, 312)),
    (AllianceType.NEUTRALITY, None, "E3", F(0), None, F(1), F(0)),
]


@pytest.mark.parametrize(
    ("kind", "rho_star", "name", "x_N", "y1", "p_challenge", "p_war"), ALLIANCE_TYPE_TABLE
)
def test_alliance_types_table(kind, rho_star, name, x_N, y1, p_challenge, p_war):
    s = solve(Params(alliance_type=kind)).main
    if rho_star is not None:
        assert s.thresholds.rho_star == rho_star
    assert (s.selected.name, s.selected.x_N) == (name, x_N)
    if y1 is not None:
        assert s.selected.y1 == y1
    assert prob(s, lambda e: e.terminal != "SQ") == p_challenge
    assert prob(s, lambda e: e.terminal.startswith("WAR")) == p_war


def test_entente_keeps_the_logit_pbe_as_a_candidate():
    """§6.4 Mismatch 1: the rule picks E3; pygambit's logit limit is the other PBE, E2 (U_R = 41/80)."""
    s = solve(Params(alliance_type=AllianceType.ENTENTE)).main
    e2 = next(c for c in s.candidates if c.name == "E2")
    assert e2.ic and e2.U_R == F(41, 80)


def test_neutrality_pact_removes_the_alliance_option():
    s = solve(Params(alliance_type=AllianceType.NEUTRALITY)).main
    assert s.core.alliance_allowed is False
    assert s.core.g("R") - s.core.rN == F(-1, 20)
    assert s.rho(0) == 0
    assert path_of(s) == {("R", 0, "CON"): F(1, 2), ("N", 0, "CON"): F(1, 2)}


def test_json_output_has_the_contract_shape():
    out = benchmark_json(solve(Params()))
    assert out["valid"] is True
    assert set(out["thresholds"]) >= {"rho_A", "rho_W", "rho_R", "rho_star"}
    assert set(out["selected"]) >= {"name", "x_R", "x_N", "mu0", "mu1", "y1", "U_R", "U_N"}
    assert all("IC" in c for c in out["candidates"])
    assert {tuple(sorted(e)) for e in out["path"]} == {("alliance", "prob", "terminal", "theta")}
    assert set(out["expected_payoffs"]) == {"us", "challenger", "japan"}
    assert out["selected"]["x_N"] == pytest.approx(0.25)
    assert out["params"]["p"] == pytest.approx(0.3) and out["approximate"] is False
    assert isinstance(out["hands_tied"], bool)


def test_json_output_with_module_a_reports_stage_zero():
    out = benchmark_json(solve(Params(module_a=True)))
    assert out["module_a"]["arm"] is True
    assert out["selected"]["x_N"] == pytest.approx(1 / 6)
    assert set(out["module_a"]["subgames"]) == {"arm", "no_arm"}
