"""Module D's debrief (crisis-model.md §9.9): the DEF label, the new flags on the benchmark paths of D1-D4,
flags off the path, and the per-round report items."""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest

from games.crisis import debrief, game
from games.crisis.game import State
from games.crisis.params import Params
from games.crisis.solver import solve

D1 = Params(arf=True)
D2 = Params(arf=True, dphi1=F(7, 10), betaD=F(1, 10), psi=F(1))
D3 = Params(arf=True, dphi1=F(7, 10), betaD=F(1, 10), psi=F(0))
D4 = Params(arf=True, tripwire=True)

STAGE0 = {
    (0, 0): ["no_cbm", "no_cbm"],
    (0, 1): ["no_cbm", "cbm"],
    (1, 0): ["cbm", "no_cbm"],
    (1, 1): ["cbm", "cbm"],
}
CRISIS = {
    "SQ": ["status_quo"],
    "CON": ["challenge", "concede"],
    "DEF": ["challenge", "resist"],
    "WD": ["challenge", "resist", "withdraw"],
    "WAR_I": ["challenge", "resist", "attack", "intervene"],
    "WAR_S": ["challenge", "resist", "attack", "stay_out"],
}


def round_of(params: Params, e: tuple[int, int], theta: str, a: int, terminal: str) -> State:
    """A finished round with that ending; the seed is searched so that the ARF draw fits the ending."""
    moves = STAGE0[e] + ["alliance" if a else "no_alliance"] + CRISIS[terminal]
    for seed in range(200):
        try:
            state = game.replay(params, None, theta, seed, moves)
        except game.IllegalMove:  # the ARF defused the stand-off before the Challenger could attack
            continue
        if game.is_terminal(state) and state.result == terminal:
            return state
    raise AssertionError(f"no seed gives {terminal}")


def classify(params: Params, e: tuple[int, int], theta: str, a: int, terminal: str) -> debrief.Debrief:
    return debrief.classify(round_of(params, e, theta, a, terminal), solve(params))


def test_def_primary_label() -> None:
    assert debrief.primary_label("DEF", 1) == ("PREVENTIVE_DIPLOMACY_SUCCEEDED", "alliance_backed")
    assert debrief.primary_label("DEF", 0) == ("PREVENTIVE_DIPLOMACY_SUCCEEDED", "unbacked")


# ----- §9.9's on-path labels --------------------------------------------------------------------------------

D1_ROUND = {"CBM_JAPAN", "CBM_CHALLENGER", "ARF_REPLACES_ALLIANCE", "WEDGE"}
D4_ROUND = {"CBM_JAPAN", "ARF_REPLACES_ALLIANCE"}

ON_PATH = [
    # scenario, e, theta, a, terminal, label, qualifier, flags (besides the round's)
    ("D1", (1, 1), "R", 1, "SQ", "GENERAL_DETERRENCE_HELD", "with_alliance", {"COSTLY_SIGNAL_PAID"}),
    ("D1", (1, 1), "N", 0, "DEF", "PREVENTIVE_DIPLOMACY_SUCCEEDED", "unbacked", {"ARF_EMBOLDENED"}),
    (
        "D1",
        (1, 1),
        "N",
        0,
        "WAR_S",
        "DETERRENCE_FAILED_WAR_JAPAN_ALONE",
        None,
        {"UNINSURED_FAILURE", "ARF_EMBOLDENED"},  # no alliance: no insurance layer was tested
    ),
    ("D2", (1, 0), "R", 0, "SQ", "GENERAL_DETERRENCE_HELD", "without_alliance", {"ARF_DETERRENCE"}),
    ("D2", (1, 0), "N", 0, "SQ", "GENERAL_DETERRENCE_HELD", "without_alliance", {"ARF_DETERRENCE"}),
    (
        "D3",
        (1, 0),
        "R",
        1,
        "SQ",
        "GENERAL_DETERRENCE_HELD",
        "with_alliance",
        {"ARF_DETERRENCE", "ALLIANCE_ENABLES_ARF"},  # pooling (E2): the alliance signals nothing
    ),
    (
        "D3",
        (1, 0),
        "N",
        1,
        "SQ",
        "GENERAL_DETERRENCE_HELD",
        "with_alliance",
        {"ARF_DETERRENCE", "ALLIANCE_ENABLES_ARF", "BLUFF_UNTESTED"},
    ),
    ("D4", (1, 0), "R", 1, "SQ", "GENERAL_DETERRENCE_HELD", "with_alliance", {"COSTLY_SIGNAL_PAID"}),
    ("D4", (1, 0), "N", 0, "DEF", "PREVENTIVE_DIPLOMACY_SUCCEEDED", "unbacked", {"ARF_EMBOLDENED"}),
    (
        "D4",
        (1, 0),
        "N",
        0,
        "WAR_S",
        "DETERRENCE_FAILED_WAR_JAPAN_ALONE",
        None,
        {"UNINSURED_FAILURE", "ARF_EMBOLDENED"},  # no alliance: no insurance layer was tested
    ),
]
SCENARIOS = {
    "D1": (D1, D1_ROUND),
    "D2": (D2, {"CBM_JAPAN", "ARF_REPLACES_ALLIANCE"}),
    "D3": (D3, {"CBM_JAPAN"}),
    "D4": (D4, D4_ROUND),
}


@pytest.mark.parametrize(
    ("name", "e", "theta", "a", "terminal", "label", "qualifier", "flags"),
    ON_PATH,
    ids=[f"{row[0]}-{row[2]}-{row[3]}-{row[4]}" for row in ON_PATH],
)
def test_on_path_labels_and_flags(name, e, theta, a, terminal, label, qualifier, flags) -> None:
    params, round_flags = SCENARIOS[name]
    bench = solve(params)
    assert bench.module_d is not None and bench.module_d.e == e
    on_path = {(x.theta, x.alliance, x.terminal) for x in bench.main.path}
    assert (theta, a, terminal) in on_path
    result = classify(params, e, theta, a, terminal)
    assert (result.terminal, result.label, result.qualifier) == (terminal, label, qualifier)
    assert set(result.flag_names) == flags | round_flags, result.flag_names
    assert result.benchmark == bench.main.selected.name


def test_the_on_path_table_covers_every_benchmark_path() -> None:
    for name, (params, _) in SCENARIOS.items():
        bench = solve(params)
        listed = {(t, a, x) for n, _e, t, a, x, *_ in ON_PATH if n == name}
        assert {(x.theta, x.alliance, x.terminal) for x in bench.main.path} == listed, name


def test_cbm_flags_report_the_costs() -> None:
    result = classify(D1, (1, 1), "R", 1, "SQ")
    amounts = {f.name: f.as_dict() for f in result.flags if f.name.startswith("CBM")}
    assert amounts == {
        "CBM_JAPAN": {"name": "CBM_JAPAN", "kappa1": 0.02},
        "CBM_CHALLENGER": {"name": "CBM_CHALLENGER", "kappaC": 0.02},
    }


# ----- flags off the benchmark path -----------------------------------------------------------------------


def test_insurance_paid_out_when_the_alliance_copes_with_the_failure() -> None:
    result = classify(D1, (1, 1), "R", 1, "WAR_I")
    assert result.label == "DETERRENCE_FAILED_WAR_US_INTERVENED" and result.qualifier == "alliance_honored"
    assert {"ARF_FAILED", "INSURANCE_PAID_OUT"} <= set(result.flag_names)
    assert not result.has("UNINSURED_FAILURE")
    # the resolute ally is deterrent: challenging it was strictly worse for the Challenger
    assert ("challenger", "challenge") in [
        (f.player, f.node) for f in result.flags if f.name == "OFF_BENCHMARK"
    ]
    abandoned = classify(D1, (1, 1), "N", 1, "WAR_S")
    assert {"ARF_FAILED", "UNINSURED_FAILURE", "BLUFF_CALLED"} <= set(abandoned.flag_names)
    assert abandoned.label == "ABANDONMENT"


def test_alliance_backed_def_in_the_e5d_subgame() -> None:
    """D1 subgame (1,0) is E5-D: a tested alliance may be defused (path (R,1,DEF) 3/208); psi = 1/2 < 1."""
    result = classify(D1, (1, 0), "R", 1, "DEF")
    assert (result.label, result.qualifier) == ("PREVENTIVE_DIPLOMACY_SUCCEEDED", "alliance_backed")
    assert {"ALLIANCE_ENABLES_ARF", "CBM_JAPAN", "COSTLY_SIGNAL_PAID", "MULTIPLE_EQUILIBRIA"} <= set(
        result.flag_names
    )
    assert (result.mu, result.rho) == (F(18, 25), F(18, 25))
    # Japan deviated at stage 0 only in the Challenger's eyes: e = (1, 0) is Japan's benchmark choice
    # but the Challenger's benchmark reply to cbm is cbm, so its no_cbm is flagged.
    off = [(f.player, f.node) for f in result.flags if f.name == "OFF_BENCHMARK"]
    assert off == [("challenger", "cbm_challenger")]
    assert not classify(D2, (1, 0), "R", 1, "DEF").has("ALLIANCE_ENABLES_ARF")  # psi = 1


def test_unnecessary_alliance_uses_rho_star_d_without_the_alliance() -> None:
    """D2 (1,0): rho(0, pi) = 1/2 >= rho*_D(e,0) = 32/75 (the core's rho* = 4/5 would not flag it)."""
    result = classify(D2, (1, 0), "R", 1, "SQ")
    assert result.has("UNNECESSARY_ALLIANCE") and result.has("ARF_DETERRENCE")
    assert ("us", "alliance") in [(f.player, f.node) for f in result.flags if f.name == "OFF_BENCHMARK"]
    assert not classify(D1, (1, 1), "R", 1, "SQ").has("UNNECESSARY_ALLIANCE")


def test_off_benchmark_at_stage_zero() -> None:
    result = classify(D1, (0, 1), "R", 1, "SQ")
    off = [(f.player, f.node) for f in result.flags if f.name == "OFF_BENCHMARK"]
    # Japan's no_cbm is off the path; the Challenger's reply cbm to it is strictly worse (109/780 < 3/8)
    assert off[:2] == [("japan", "cbm_japan"), ("challenger", "cbm_challenger")]
    students_only_us = debrief.classify(round_of(D1, (0, 1), "R", 1, "SQ"), solve(D1), students=("us",))
    assert not students_only_us.has("OFF_BENCHMARK")


def test_a_strictly_worse_reply_at_stage_zero_is_flagged() -> None:
    """D2 after Japan's cbm: the Challenger's cbm gives -1/50 < 0 (no_cbm)."""
    result = classify(D2, (1, 1), "R", 0, "SQ")
    off = [(f.player, f.node) for f in result.flags if f.name == "OFF_BENCHMARK"]
    assert off == [("challenger", "cbm_challenger")]
    assert result.has("CBM_CHALLENGER") and not result.has("WEDGE")


# ----- the per-round report -------------------------------------------------------------------------------


def test_report_items() -> None:
    result = classify(D1, (1, 1), "N", 0, "WAR_S")
    report = result.arf
    assert report is not None
    assert (report.e, report.benchmark_e, report.eC_reply) == ((1, 1), (1, 1), (0, 1))
    assert report.preventive_diplomacy == "failed"
    assert report.phi == (F(7, 20), F(7, 10))
    assert report.rho_R_D == (F(-127, 143), F(-137, 33)) and report.rho_W_D == (F(246, 325), F(46, 75))
    assert {e: (j, c) for e, j, c, _ in report.stage0} == {
        (0, 0): (F(311, 832), F(3, 8)),
        (0, 1): (F(17753, 31200), F(109, 780)),
        (1, 0): (F(258917, 374400), F(319, 2880)),
        (1, 1): (F(491, 800), F(107, 800)),
    }
    core_ex1 = solve(Params()).main  # the counterfactual "no cooperative-security layer"
    assert report.no_arf.path == core_ex1.path and report.no_arf.selected == core_ex1.selected
    assert result.path == solve(D1).main.path
    assert {"DEF", "WAR_S"} == set(result.complete_info["N"]["terminals"])
    data = result.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["arf"]["phi"] == {"a0": 0.35, "a1": 0.7} and data["arf"]["stage0"][3]["selected"] == "E1"
    assert data["arf"]["no_arf"]["selected"] == "E5"
    assert (
        "arf"
        not in debrief.classify(
            game.replay(Params(), None, "R", 0, ["no_alliance", "status_quo"]), solve(Params())
        ).as_dict()
    )


def test_played_subgame_is_reported_when_play_leaves_the_benchmark_at_stage_zero() -> None:
    result = classify(D1, (0, 0), "N", 0, "CON")
    assert result.arf is not None and result.arf.e == (0, 0) and result.arf.phi == (0, 0)
    assert result.benchmark == "E5" and result.path == solve(D1).module_d.solution((0, 0)).path  # type: ignore[union-attr]
    assert not result.has("CBM_JAPAN") and result.has("WEDGE")  # the round flags describe the benchmark


def test_a_bare_solution_is_completed_to_the_whole_benchmark() -> None:
    state = round_of(D1, (1, 1), "N", 0, "DEF")
    assert debrief.classify(state, solve(D1).main) == debrief.classify(state, solve(D1))
