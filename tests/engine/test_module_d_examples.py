"""Module D, the cooperative-security layer (crisis-model.md §9): parameters, the worked examples D1-D4 of
§9.8 and the workload table of §9.5 as exact test vectors, the module switched off or without effect, the
game's new nodes, views, bots and reputation."""

from __future__ import annotations

import dataclasses
import json
import random
from fractions import Fraction as F

import pytest

from games.crisis import analysis, bots, game, reputation, views
from games.crisis.params import InvalidParams, Params
from games.crisis.solver import Benchmark, ModuleD, Solution, benchmark_json, solve, solve_core

D1 = Params(arf=True)
D2 = Params(arf=True, dphi1=F(7, 10), betaD=F(1, 10), psi=F(1))
D3 = Params(arf=True, dphi1=F(7, 10), betaD=F(1, 10), psi=F(0))
D4 = Params(arf=True, tripwire=True)


def stage_of(params: Params) -> ModuleD:
    stage = solve(params).module_d
    assert stage is not None
    return stage


def path_of(s: Solution) -> dict[tuple, F]:
    out: dict[tuple, F] = {}
    for e in s.path:
        out[(e.theta, e.alliance, e.terminal)] = out.get((e.theta, e.alliance, e.terminal), F(0)) + e.prob
    return out


def prob(s: Solution, pred) -> F:
    return sum((e.prob for e in s.path if pred(e)), F(0))


def alliance_probability(s: Solution) -> F:
    return s.core.pi * s.selected.x_R + (1 - s.core.pi) * s.selected.x_N


def stage0_table(stage: ModuleD) -> dict[tuple[int, int], tuple[F, F]]:
    return {e: stage.payoffs(e) for e in stage.subgames}


def vd_N0(s: Solution) -> F:
    """VD_D(N, e, 0) = w_N - U_N(a=0, mu=0)."""
    return s.core.wN - s.crisis.us_value_at("N", 0, F(0))


# ----- parameters (§9.2) ------------------------------------------------------------------------------


def test_defaults_and_derived_quantities() -> None:
    P = Params()
    assert (P.arf, P.phi0, P.dphi1, P.dphiC, P.psi) == (False, 0, F(1, 2), F(1, 5), F(1, 2))
    assert (P.kappa1, P.kappaC, P.betaD) == (F(1, 50), F(1, 50), F(1, 20))
    core = D1.core(False, (1, 1))
    assert (core.phi(0), core.phi(1), core.betaD) == (F(7, 20), F(7, 10), F(1, 20))
    assert (core.japan_shift, core.challenger_shift) == (F(1, 50), F(1, 50))
    assert D1.core() == D1.core(False, (0, 0)) and D1.core().phi(1) == 0
    assert Params().core(False, (1, 1)) == Params().core()  # e is ignored without the module


@pytest.mark.parametrize(
    ("values", "field", "code", "fragment"),
    [
        ({"phi0": 1}, "phi0", "zero_to_below_one", "at least 0 and less than 1"),
        ({"phi0": -0.1}, "phi0", "zero_to_below_one", "at least 0 and less than 1"),
        ({"dphi1": -0.1}, "dphi1", "zero_or_greater", "0 or greater"),
        ({"dphiC": -0.1}, "dphiC", "zero_or_greater", "0 or greater"),
        ({"psi": 1.5}, "psi", "between_zero_and_one", "between 0 and 1"),
        ({"kappa1": 0}, "kappa1", "greater_than_zero", "greater than 0"),
        ({"kappaC": 0}, "kappaC", "greater_than_zero", "greater than 0"),
        ({"betaD": 0.2}, "betaD", "between_zero_and_bound", "between 0 and beta (0.1)"),
        ({"betaD": -0.01}, "betaD", "between_zero_and_bound", "between 0 and beta (0.1)"),
        ({"phi0": 0.3, "dphi1": 0.5}, "dphi1", "phi_total_below_one", "phi0 + dphi1 + dphiC"),
        ({"arf": "on"}, "arf", "not_a_boolean", "true or false"),
    ],
)
def test_invalid_module_d_parameters_name_the_field_and_the_range(values, field, code, fragment) -> None:
    with pytest.raises(InvalidParams) as caught:
        Params.from_mapping({"arf": True, **values})
    errors = {e.field: e for e in caught.value.errors}
    assert field in errors, errors
    assert errors[field].code == code and fragment in errors[field].message, errors


def test_module_d_ranges_apply_only_when_the_module_is_on() -> None:
    assert Params(betaD=F(1, 5), phi0=F(9, 10)).errors() == []


def test_module_c_plus_d_is_rejected() -> None:
    with pytest.raises(InvalidParams) as caught:
        Params.from_mapping({"arf": True, "module_c": True})
    (error,) = caught.value.errors
    assert (error.field, error.code) == ("arf", "arf_with_module_c")
    assert "Module C" in error.message and "not solved" in error.message
    with pytest.raises(InvalidParams):
        solve(Params(arf=True, module_c=True))


def test_storage_round_trip_includes_module_d() -> None:
    P = Params(
        arf=True,
        phi0=F(1, 10),
        dphi1=F(2, 5),
        dphiC=F(1, 10),
        psi=F(1, 3),
        kappa1=F(1, 30),
        kappaC=F(1, 40),
        betaD=F(1, 25),
    )
    stored = P.as_dict(exact=True)
    assert stored["arf"] is True and stored["psi"] == "1/3" and stored["betaD"] == "1/25"
    assert Params.from_mapping(stored) == P
    off_but_set = Params(dphi1=F(7, 10))  # module off, a non-default value: still stored
    assert off_but_set.as_dict(exact=True)["dphi1"] == "7/10"
    assert Params.from_mapping(off_but_set.as_dict(exact=True)) == off_but_set


def test_module_off_keeps_the_stored_keys() -> None:
    keys = set(Params().as_dict(exact=True))
    assert not keys & {"arf", "phi0", "dphi1", "dphiC", "psi", "kappa1", "kappaC", "betaD"}
    assert Params.from_mapping(Params().as_dict(exact=True)) == Params()


# ----- Example D1 (§9.8) --------------------------------------------------------------------------------

D1_TABLE = [
    # e, (phi_0, phi_1), rho_R_D(.,0), (rho_W_D(.,0), rho_W_D(.,1)), selected, variant, x_N, y1, (U_R, U_N),
    # (EU^J, EU^C)
    (
        (0, 0),
        (0, 0),
        F(1, 11),
        (F(4, 5), F(4, 5)),
        "E5",
        "",
        F(1, 4),
        F(15, 26),
        (F(307, 520), 0),
        (F(311, 832), F(3, 8)),
    ),
    (
        (0, 1),
        (F(1, 10), F(1, 5)),
        F(-1, 9),
        (F(178, 225), F(39, 50)),
        "E5",
        "D",
        F(11, 39),
        F(3, 16),
        (F(313, 400), F(111, 1000)),
        (F(17753, 31200), F(109, 780)),
    ),
    (
        (1, 0),
        (F(1, 4), F(1, 2)),
        F(-17, 33),
        (F(58, 75), F(18, 25)),
        "E5",
        "D",
        F(7, 18),
        F(3, 52),
        (F(1741, 2080), F(57, 400)),
        (F(258917, 374400), F(319, 2880)),
    ),
    (
        (1, 1),
        (F(7, 20), F(7, 10)),
        F(-127, 143),
        (F(246, 325), F(46, 75)),
        "E1",
        "",
        0,
        0,
        (F(17, 20), F(327, 2000)),
        (F(491, 800), F(107, 800)),
    ),
]


@pytest.mark.parametrize(
    ("e", "phi", "rho_R_D0", "rho_W_D", "name", "variant", "x_N", "y1", "U", "EU"),
    D1_TABLE,
    ids=[str(row[0]) for row in D1_TABLE],
)
def test_example_d1_subgame_table(e, phi, rho_R_D0, rho_W_D, name, variant, x_N, y1, U, EU) -> None:
    stage = stage_of(D1)
    s = stage.solution(e)
    t = s.thresholds
    assert t.phi == phi and t.rho_R_D is not None and t.rho_R_D[0] == rho_R_D0 and t.rho_W_D == rho_W_D
    sel = s.selected
    assert (sel.name, sel.variant, sel.x_R, sel.x_N, sel.y1) == (name, variant, 1, x_N, y1)
    assert (sel.U_R, sel.U_N) == U
    assert stage.payoffs(e) == EU
    assert s.approximate is False


def test_example_d1_stage_zero_and_benchmark() -> None:
    bench = solve(D1)
    stage = bench.module_d
    assert stage is not None and (stage.e, stage.eC_reply, stage.challenger_moves) == ((1, 1), (0, 1), True)
    assert bench.main is stage.main is stage.solution((1, 1)) and bench.solution(False) is bench.main
    assert bench.solution(False, (1, 0)) is stage.solution((1, 0))
    assert bench.cbm_behaviour("cbm_japan") == {"cbm": 1, "no_cbm": 0}
    assert bench.cbm_behaviour("cbm_challenger", e1=0) == {"cbm": 0, "no_cbm": 1}
    assert bench.cbm_behaviour("cbm_challenger", e1=1) == {"cbm": 1, "no_cbm": 0}
    assert stage.cbm_values("cbm_japan") == {"cbm": F(491, 800), "no_cbm": F(311, 832)}
    assert stage.cbm_values("cbm_challenger", 1) == {"cbm": F(107, 800), "no_cbm": F(319, 2880)}
    s = bench.main
    assert s.thresholds.rho_R_D == (F(-127, 143), F(-137, 33))
    assert vd_N0(s) == F(273, 2000) < s.core.K == F(3, 20) < s.core.wR - s.crisis.us_value_at("R", 0, F(1, 2))
    assert s.core.wR - s.crisis.us_value_at("R", 0, F(1, 2)) == F(117, 400)
    assert path_of(s) == {("R", 1, "SQ"): F(1, 2), ("N", 0, "DEF"): F(7, 40), ("N", 0, "WAR_S"): F(13, 40)}
    e = s.expected_payoffs
    assert (e.us, e.challenger, e.japan) == (F(2027, 4000), F(107, 800), F(491, 800))
    # Compared with core Example 1 (§9.8's table)
    assert alliance_probability(s) == F(1, 2) and prob(s, lambda x: x.terminal == "CON") == 0
    assert prob(s, lambda x: x.terminal.startswith("WAR")) == F(13, 40)
    assert prob(s, lambda x: x.terminal == "WAR_I") == 0 and prob(s, lambda x: x.alliance == 1) == F(1, 2)


def test_example_d1_e5d_test_vector_in_subgame_1_0() -> None:
    s = stage_of(D1).solution((1, 0))
    sel = s.selected
    assert sel.mu1 == F(18, 25) == s.thresholds.rho_W_D[1]  # type: ignore[index]
    assert sel.y1 * (1 - s.core.phi(1)) == F(3, 104)  # Y_D
    assert path_of(s) == {
        ("N", 0, "DEF"): F(11, 144),
        ("N", 0, "WAR_S"): F(11, 48),
        ("N", 1, "DEF"): F(7, 1248),
        ("N", 1, "SQ"): F(343, 1872),
        ("N", 1, "WAR_S"): F(7, 1248),
        ("R", 1, "DEF"): F(3, 208),
        ("R", 1, "SQ"): F(49, 104),
        ("R", 1, "WAR_I"): F(3, 208),
    }
    assert alliance_probability(s) == F(25, 36) and s.expected_payoffs.us == F(10187, 20800)
    assert s.behaviour("challenge", alliance=1) == {"challenge": F(3, 52), "status_quo": F(49, 52)}
    assert s.behaviour("preventive_diplomacy", alliance=1) == {"defused": F(1, 2), "failed": F(1, 2)}
    assert s.behaviour("preventive_diplomacy", alliance=0) == {"defused": F(1, 4), "failed": F(3, 4)}


# ----- Examples D2-D4 -------------------------------------------------------------------------------------


def test_example_d2_effective_arf_makes_the_alliance_unnecessary() -> None:
    stage = stage_of(D2)
    assert (stage.e, stage.eC_reply) == ((1, 0), (0, 0))
    s = stage.main
    t = s.thresholds
    assert t.phi == (F(7, 10), F(7, 10)) and t.rho_W_D == (F(32, 75), F(32, 75))
    assert (s.selected.name, s.selected.x_R, s.selected.x_N, s.selected.U_R, s.selected.U_N) == (
        "E3",
        0,
        0,
        1,
        F(3, 10),
    )
    assert path_of(s) == {("R", 0, "SQ"): F(1, 2), ("N", 0, "SQ"): F(1, 2)}
    e = s.expected_payoffs
    assert (e.us, e.challenger, e.japan) == (F(13, 20), 0, F(49, 50))
    assert stage0_table(stage) == {
        (0, 0): (F(311, 832), F(3, 8)),
        (0, 1): (F(32157, 49400), F(11, 100)),
        (1, 0): (F(49, 50), 0),
        (1, 1): (F(49, 50), F(-1, 50)),
    }


def test_example_d3_the_same_arf_works_only_with_the_alliance() -> None:
    stage = stage_of(D3)
    assert (stage.e, stage.eC_reply) == ((1, 0), (0, 0))
    s = stage.main
    t = s.thresholds
    assert t.phi == (0, F(7, 10)) and t.rho_W_D == (F(4, 5), F(32, 75))  # D0': m_1 <= pi < m_0
    assert s.core.K < vd_N0(s) == F(3, 10)
    assert (s.selected.name, s.selected.x_R, s.selected.x_N, s.selected.mu1) == ("E2", 1, 1, F(1, 2))
    assert (s.selected.U_R, s.selected.U_N) == (F(17, 20), F(3, 20))
    # the deterred challenge would be worth (7/10)(-1/10) + (3/10) V_C(1/2) = -11/800 < 0
    assert F(7, 10) * F(-1, 10) + F(3, 10) * s.crisis.war_value_challenger("L", F(1, 2)) == F(-11, 800)
    assert path_of(s) == {("R", 1, "SQ"): F(1, 2), ("N", 1, "SQ"): F(1, 2)}
    e = s.expected_payoffs
    assert (e.us, e.challenger, e.japan) == (F(1, 2), 0, F(93, 100))
    assert stage0_table(stage) == {
        (0, 0): (F(311, 832), F(3, 8)),
        (0, 1): (F(761, 1976), F(153, 475)),
        (1, 0): (F(93, 100), 0),
        (1, 1): (F(93, 100), F(-1, 50)),
    }


def test_example_d4_wedge_threat_and_pre_emptive_cbms() -> None:
    stage = stage_of(D4)
    assert (stage.e, stage.eC_reply) == ((1, 0), (1, 0))
    names = {e: stage.solution(e).selected.name for e in stage.subgames}
    assert names == {(0, 0): "E2", (0, 1): "E1", (1, 0): "E1", (1, 1): "E1"}
    assert [vd_N0(stage.solution(e)) for e in ((0, 0), (0, 1), (1, 0), (1, 1))] == [
        F(3, 10),
        F(189, 1000),
        F(63, 400),
        F(273, 2000),
    ]
    assert stage.solution((0, 1)).thresholds.rho_R_D[0] == F(-1, 9)  # type: ignore[index]
    assert stage0_table(stage) == {
        (0, 0): (F(9, 10), 0),
        (0, 1): (F(191, 400), F(81, 400)),
        (1, 0): (F(429, 800), F(29, 160)),
        (1, 1): (F(471, 800), F(107, 800)),
    }
    s = stage.main
    assert path_of(s) == {("R", 1, "SQ"): F(1, 2), ("N", 0, "DEF"): F(1, 8), ("N", 0, "WAR_S"): F(3, 8)}
    assert (s.selected.U_R, s.selected.U_N) == (F(4, 5), F(57, 400))
    e = s.expected_payoffs
    assert (e.us, e.challenger, e.japan) == (F(377, 800), F(29, 160), F(429, 800))


def test_example_d4_without_the_challenger_option_is_core_example_2() -> None:
    stage = stage_of(D4.replace(dphiC=F(0)))
    assert (stage.e, stage.eC_reply, stage.challenger_moves) == ((0, 0), (0, 0), False)
    assert set(stage.subgames) == {(0, 0), (1, 0)}
    assert stage.cbm_values("cbm_japan") == {"cbm": F(429, 800), "no_cbm": F(9, 10)}
    core_ex2 = solve(Params(tripwire=True)).main
    assert path_of(stage.main) == path_of(core_ex2)
    assert stage.main.expected_payoffs == core_ex2.expected_payoffs


# ----- the workload proposition (§9.5) -------------------------------------------------------------------

WORKLOAD = [
    # phi_1, m, sigma*_D, y*_D, Pr(DEF | alliance), Pr(war | alliance), Pr(alliance), Pr(war), U_R, U_N, name
    (
        F(2, 5),
        F(56, 75),
        F(19, 56),
        F(3, 26),
        F(3, 65),
        F(9, 130),
        F(75, 112),
        F(4523, 14560),
        F(2129, 2600),
        F(33, 250),
        "E5",
    ),
    (
        F(1, 2),
        F(18, 25),
        F(7, 18),
        F(9, 65),
        F(9, 130),
        F(9, 130),
        F(25, 36),
        F(1369, 4680),
        F(2129, 2600),
        F(33, 250),
        "E5",
    ),
    (
        F(2, 3),
        F(16, 25),
        F(9, 16),
        F(27, 130),
        F(9, 65),
        F(9, 130),
        F(25, 32),
        F(953, 4160),
        F(2129, 2600),
        F(33, 250),
        "E5",
    ),
    (F(4, 5), F(12, 25), 1, 0, 0, 0, 1, 0, F(17, 20), F(3, 20), "E2"),
]


@pytest.mark.parametrize(
    ("phi1", "m", "x_N", "y1", "p_def", "p_war_a", "p_a", "p_war", "U_R", "U_N", "name"),
    WORKLOAD,
    ids=[str(row[0]) for row in WORKLOAD],
)
def test_workload_proposition_table(phi1, m, x_N, y1, p_def, p_war_a, p_a, p_war, U_R, U_N, name) -> None:
    """Subgame (1,0) with phi_0 = psi * dphi1 held at 1/5.  dphiC = 0 keeps phi0 + dphi1 + dphiC < 1 in the
    last row; it does not enter subgame (1,0)."""
    P = Params(arf=True, dphi1=phi1, psi=F(1, 5) / phi1, dphiC=F(0))
    s = solve_core(P.core(False, (1, 0)))
    assert (s.core.phi(0), s.core.phi(1)) == (F(1, 5), phi1)
    assert s.thresholds.rho_W_D[1] == m  # type: ignore[index]
    sel = s.selected
    assert (sel.name, sel.x_N, sel.U_R, sel.U_N) == (name, x_N, U_R, U_N)
    allied = alliance_probability(s)
    assert allied == p_a
    assert prob(s, lambda e: e.alliance == 1 and e.terminal == "DEF") / allied == p_def
    assert prob(s, lambda e: e.alliance == 1 and e.terminal.startswith("WAR")) / allied == p_war_a
    assert prob(s, lambda e: e.terminal.startswith("WAR")) == p_war
    if name == "E5":
        assert sel.y1 == y1 and sel.mu1 == m
    else:
        assert prob(s, lambda e: e.terminal != "SQ") == 0


# ----- module off, and on without effect ------------------------------------------------------------------

CORE_EXAMPLES = [
    Params(),
    Params(tripwire=True),
    Params(k=F(7, 20)),
    Params(pi=F(17, 20)),
    Params(k=F(3, 5)),
    Params(module_a=True),
]


@pytest.mark.parametrize("params", CORE_EXAMPLES, ids=["ex1", "ex2", "ex3", "ex4", "ex5", "ex6"])
def test_zero_effectiveness_reproduces_the_core_benchmark(params: Params) -> None:
    core = solve(params)
    bench = solve(params.replace(arf=True, phi0=F(0), dphi1=F(0), dphiC=F(0)))
    assert bench.arm == core.arm
    for armed, stage in (bench.arf or {}).items():
        assert stage.e == (0, 0) and stage.eC_reply == (0, 0)
        ours, theirs = stage.main, core.solution(armed)
        assert ours.selected.name == theirs.selected.name and ours.selected.variant == theirs.selected.variant
        for attr in ("x_R", "x_N", "mu0", "mu1", "y1", "U_R", "U_N", "ic"):
            assert getattr(ours.selected, attr) == getattr(theirs.selected, attr), attr
        assert ours.path == theirs.path and ours.expected_payoffs == theirs.expected_payoffs
        assert [c.name for c in ours.candidates] == [c.name for c in theirs.candidates]
        assert ours.complete_info == theirs.complete_info


def test_module_off_benchmark_has_no_stage_zero() -> None:
    bench = solve(Params())
    assert bench.arf is None and bench.module_d is None and "module_d" not in benchmark_json(bench)
    assert bench.main.thresholds.phi is None and bench.main.thresholds.rho_W_D is None
    with pytest.raises(ValueError):
        bench.cbm_behaviour("cbm_japan")


# ----- Module A + D, complete information, JSON -----------------------------------------------------------


def test_module_a_plus_d_solves_stage_zero_per_arming_choice() -> None:
    P = Params(arf=True, module_a=True)
    bench = solve(P)
    assert bench.arf is not None and set(bench.arf) == {False, True}
    for armed, stage in bench.arf.items():
        assert stage.main is bench.solution(armed)
        assert stage.main.core.japan_shift == (P.arm_cost if armed else 0) + stage.e[0] * P.kappa1
    japan = {armed: bench.solution(armed).expected_payoffs.japan for armed in (False, True)}
    assert bench.arm == (japan[True] > japan[False])
    assert bench.module_d is bench.arf[bool(bench.arm)]
    out = benchmark_json(bench)
    assert set(out["module_a"]["module_d"]) == {"arm", "no_arm"} and out["module_d"]["e"] == list(
        bench.module_d.e
    )


def test_complete_information_uses_outcome_d() -> None:
    """§9.10: a known type allies iff strictly better, under outcome_D."""
    d1 = stage_of(D1).main.complete_info
    assert d1["R"]["alliance"] == 0 and d1["R"]["terminals"] == {"SQ": 1}
    assert d1["N"]["alliance"] == 0 and d1["N"]["terminals"] == {"DEF": F(7, 20), "WAR_S": F(13, 20)}
    # D3 (psi = 0): a known non-resolute US allies only to switch the ARF to full strength.  Unallied, Japan
    # concedes (rho = 0 < rho_R = 1/11): U_N = 0; allied, the stand-off is defused w.p. 7/10:
    # (7/10)(3/10 - 3/20) + (3/10)(9/100 - 1/20 - 3/20) = 9/125 > 0.
    d3 = stage_of(D3).main.complete_info
    assert d3["N"]["alliance"] == 1 and d3["N"]["terminals"] == {"DEF": F(7, 10), "WAR_S": F(3, 10)}
    assert d3["N"]["payoffs"].us == F(9, 125)


def test_benchmark_json_module_d_block() -> None:
    out = benchmark_json(solve(D1))
    assert json.loads(json.dumps(out)) == out
    md = out["module_d"]
    assert md["e"] == [1, 1] and md["eC_reply"] == [0, 1]
    assert md["phi"] == {"a0": pytest.approx(0.35), "a1": pytest.approx(0.7)}
    assert md["thresholds"]["rho_R_D"] == pytest.approx([-127 / 143, -137 / 33])
    assert md["thresholds"]["rho_W_D"] == pytest.approx([246 / 325, 46 / 75])
    assert [sub["e"] for sub in md["subgames"]] == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert [sub["selected"]["name"] for sub in md["subgames"]] == ["E5", "E5", "E5", "E1"]
    assert md["subgames"][2]["selected"]["variant"] == "D"
    assert md["subgames"][3]["expected_payoffs"]["japan"] == pytest.approx(491 / 800)
    assert out["selected"]["name"] == "E1" and "DEF" in {e["terminal"] for e in out["path"]}
    assert out["expected_payoffs"]["challenger"] == pytest.approx(107 / 800)
    assert out["params"]["arf"] is True


# ----- the game: nodes, the chance step, replay ---------------------------------------------------------


def test_stage_zero_nodes_come_first_and_are_public() -> None:
    state = game.new_round(D1, seed=0)
    assert (state.node, game.to_move(state), game.legal_actions(state)) == (
        "cbm_japan",
        "japan",
        ("cbm", "no_cbm"),
    )
    assert state.e1 is None and state.cbm is None
    state = game.apply(state, "cbm", role="japan")
    assert (state.node, game.to_move(state), state.e1, state.eC) == ("cbm_challenger", "challenger", 1, None)
    state = game.apply(state, "no_cbm", role="challenger")
    assert (state.node, state.cbm) == ("alliance", (1, 0))
    assert game.public_history(state) == [
        {"node": "cbm_japan", "role": "japan", "action": "cbm"},
        {"node": "cbm_challenger", "role": "challenger", "action": "no_cbm"},
    ]
    public = views.view_for(state, "challenger")["public"]
    assert public["cbm"] == {"japan": 1, "challenger": 0}
    assert public["arf"] == {"phi_if_allied": 0.5, "phi_if_not_allied": 0.25}
    before = views.view_for(game.new_round(D1, seed=0), "japan")["public"]
    assert before["arf"] == {"phi_if_allied": None, "phi_if_not_allied": None}
    assert before["cbm"] == {"japan": None, "challenger": None}
    assert "arf" not in views.view_for(game.new_round(Params(), seed=0), "japan")["public"]


def test_challenger_node_is_skipped_without_its_option_and_arming_comes_first() -> None:
    state = game.apply(game.new_round(D1.replace(dphiC=F(0)), seed=0), "no_cbm")
    assert state.node == "alliance" and state.cbm == (0, 0)
    armed = game.new_round(D1.replace(module_a=True), seed=0)
    assert armed.node == "arming"
    assert game.apply(armed, "arm").node == "cbm_japan"


def test_preventive_diplomacy_is_a_seeded_public_chance_step() -> None:
    outcomes = {}
    for seed in range(40):
        state = game.replay(D1, None, "N", seed, ["cbm", "cbm", "no_alliance", "challenge", "resist"])
        event = game.public_history(state)[-1]
        assert event == {
            "node": "preventive_diplomacy",
            "role": None,
            "action": state.arf_draw,
            "auto": "arf",
        }
        if state.arf_draw == "defused":
            assert (state.node, state.result) == ("end", "DEF")
            assert game.payoffs(state) == {
                "us": F(3, 10),
                "challenger": F(-1, 20) - F(1, 50),
                "japan": 1 - F(1, 50),
            }
        else:
            assert state.node == "attack" and game.to_move(state) == "challenger"
        assert state.moves == ("cbm", "cbm", "no_alliance", "challenge", "resist")
        assert game.replay(D1, None, "N", seed, state.moves) == state
        outcomes[seed] = state.arf_draw
    assert set(outcomes.values()) == {"defused", "failed"}


def test_def_payoffs_and_cbm_costs_everywhere() -> None:
    core = D1.core(False, (1, 1))
    for theta in ("R", "N"):
        for a in (0, 1):
            assert core.payoffs("DEF", a, theta) == (
                core.w(theta) - a * core.K,
                -F(1, 20) - F(1, 50),
                1 - a * core.K1 - F(1, 50),
            )
            plain = Params().core().payoffs("WAR_S", a, theta)
            assert core.payoffs("WAR_S", a, theta) == (plain[0], plain[1] - F(1, 50), plain[2] - F(1, 50))
    with pytest.raises(ValueError):
        Params().core().payoffs("DEF", 0, "R")


def test_successors_split_the_chance_step() -> None:
    state = game.replay(D1, None, "R", 0, ["cbm", "no_cbm", "alliance", "challenge"])
    children = analysis.successors(state, "resist")
    assert [(c.node, c.result, w) for c, w in children] == [
        ("end", "DEF", F(1, 2)),
        ("attack", None, F(1, 2)),
    ]
    unbacked = game.replay(D1, None, "R", 0, ["no_cbm", "no_cbm", "alliance", "challenge"])
    assert [c.node for c, _ in analysis.successors(unbacked, "resist")] == ["attack"]  # phi = 0


# ----- bots, timeouts, reputation -------------------------------------------------------------------------


def test_bots_and_timeouts_at_the_stage_zero_nodes() -> None:
    bench = solve(D4)
    rng = random.Random(0)
    root = game.new_round(D4, seed=0)
    assert bots.timeout_action(root, bench, rng) == "cbm"
    after_no = game.apply(root, "no_cbm")
    assert bots.timeout_action(after_no, bench, rng) == "cbm"  # the wedge reply to no_cbm
    assert bots.timeout_action(game.apply(root, "cbm"), bench, rng) == "no_cbm"
    assert bots.choose("hawkish", root, "japan", None, rng) == "no_cbm"
    assert bots.choose("dovish", root, "japan", None, rng) == "cbm"
    with pytest.raises(ValueError):
        bots.benchmark_behaviour(root, bench.main)  # stage 0 needs the whole Benchmark


def test_equilibrium_bots_play_the_benchmark_subgame() -> None:
    bench = solve(D1)
    seen = set()
    for seed in range(30):
        rng = random.Random(seed)
        state = game.new_round(D1, seed=seed)
        while not game.is_terminal(state):
            state = game.apply(state, bots.choose("equilibrium", state, game.to_move(state), bench, rng))
        seen.add((state.theta, state.alliance, state.result))
        assert state.cbm == (1, 1)
    assert seen <= {("R", 1, "SQ"), ("N", 0, "DEF"), ("N", 0, "WAR_S")}
    assert ("N", 0, "DEF") in seen and ("N", 0, "WAR_S") in seen


def test_reputation_intervention_update_only_after_a_failed_arf_and_an_attack() -> None:
    bench: Benchmark = solve(D1)
    for seed in range(20):
        state = game.replay(D1, None, "N", seed, ["cbm", "no_cbm", "alliance", "challenge", "resist"])
        if state.arf_draw == "defused":
            update = reputation.round_update(D1, bench, state.history)
            assert update.mu_after_intervention is None
            break
    else:
        pytest.fail("no defused draw in 20 seeds")
    subgame = bench.solution(False, (1, 0))  # the subgame the history was played in
    assert update == reputation.round_update(D1, subgame, state.history)
    for seed in range(20):
        state = game.replay(D1, None, "N", seed, ["cbm", "no_cbm", "alliance", "challenge", "resist"])
        if state.arf_draw == "failed":
            end = game.apply(game.apply(state, "attack"), "stay_out")
            assert reputation.round_update(D1, bench, end.history).mu_after_intervention is not None
            break


def every_state(state: game.State):
    """Every state below `state`, both outcomes of the preventive-diplomacy step included."""
    yield state
    for action in game.legal_actions(state):
        for child, _ in analysis.successors(state, action):
            yield from every_state(child)


def test_views_are_json_ready_and_hide_the_us_type_everywhere() -> None:
    states = [s for theta in ("R", "N") for s in every_state(game.new_round(D1, us_type=theta, seed=0))]
    assert any(s.result == "DEF" for s in states)
    for state in states:
        for role in game.ROLES:
            view = views.view_for(state, role)
            assert json.loads(json.dumps(view)) == view
        full = views.instructor_view(state, solution=solve(D1))
        assert json.loads(json.dumps(full)) == full
        flipped = dataclasses.replace(state, theta="N" if state.theta == "R" else "R")
        assert views.view_for(state, "japan") == views.view_for(flipped, "japan")
