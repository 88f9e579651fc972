"""The game tree of crisis-model.md §2 (+ Module A arming, Module C type draw): order, legality, payoffs."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from fractions import Fraction as F

import pytest

from games.crisis import game
from games.crisis.game import IllegalMove, State
from games.crisis.params import AllianceType, Params

DEFAULT = Params()


def all_lines(state: State, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], State]]:
    """Every complete action sequence from `state` with its terminal state."""
    if game.is_terminal(state):
        yield prefix, state
        return
    for action in game.legal_actions(state):
        yield from all_lines(game.apply(state, action), (*prefix, action))


def play(params: Params, actions: list[str], *, us_type: str = "R", seed: int = 0) -> State:
    return game.replay(params, None, us_type, seed, actions)


# ----- tree order and legality --------------------------------------------------------------------

def test_full_crisis_visits_the_nodes_in_the_spec_order() -> None:
    state = game.new_round(DEFAULT, us_type="N", seed=3)
    seen = []
    for action in ["alliance", "challenge", "resist", "attack", "stay_out"]:
        seen.append((state.node, game.to_move(state)))
        state = game.apply(state, action)
    assert seen == [("alliance", "us"), ("challenge", "challenger"), ("response", "japan"),
                    ("attack", "challenger"), ("intervention", "us")]
    assert state.node == "end" and game.to_move(state) is None and game.is_terminal(state)
    assert game.terminal(state) == "WAR_S" and game.legal_actions(state) == ()


@pytest.mark.parametrize(("node", "actions"), [
    ("alliance", ("alliance", "no_alliance")),
    ("challenge", ("challenge", "status_quo")),
    ("response", ("resist", "concede")),
    ("attack", ("attack", "withdraw")),
    ("intervention", ("intervene", "stay_out")),
])
def test_legal_actions_at_every_node(node: str, actions: tuple[str, ...]) -> None:
    state = game.new_round(DEFAULT, seed=0)
    for action in ["alliance", "challenge", "resist", "attack"]:
        if state.node == node:
            break
        state = game.apply(state, action)
    assert state.node == node
    assert game.legal_actions(state) == actions


def test_the_tree_has_five_terminals_per_type_and_alliance_decision() -> None:
    lines = {}
    for theta in ("R", "N"):
        for moves, end in all_lines(game.new_round(DEFAULT, us_type=theta, seed=0)):
            lines[(theta, end.alliance, end.result)] = moves
    assert len(lines) == 20
    assert lines[("R", 1, "WD")] == ("alliance", "challenge", "resist", "withdraw")
    assert lines[("N", 0, "SQ")] == ("no_alliance", "status_quo")


def test_apply_returns_a_new_state_and_leaves_the_old_one_alone() -> None:
    state = game.new_round(DEFAULT, seed=11)
    snapshot = dataclasses.replace(state)
    after = game.apply(state, "alliance", role="us")
    assert after is not state and after != state
    assert state == snapshot and state.node == "alliance" and state.alliance is None and state.history == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.node = "end"  # type: ignore[misc]


def test_wrong_action_is_illegal() -> None:
    state = game.new_round(DEFAULT, seed=0)
    with pytest.raises(IllegalMove) as err:
        game.apply(state, "attack")
    assert err.value.code == "illegal_action"
    with pytest.raises(IllegalMove) as err:
        game.apply(state, "")
    assert err.value.code == "illegal_action"


@pytest.mark.parametrize("role", ["japan", "challenger", "instructor"])
def test_wrong_role_is_not_your_turn(role: str) -> None:
    state = game.new_round(DEFAULT, seed=0)
    with pytest.raises(IllegalMove) as err:
        game.apply(state, "alliance", role=role)
    assert err.value.code == "not_your_turn"
    assert game.apply(state, "alliance", role="us").node == "challenge"


def test_no_move_after_the_end() -> None:
    state = play(DEFAULT, ["no_alliance", "status_quo"])
    assert game.terminal(state) == "SQ"
    for role in (None, "us", "challenger"):
        with pytest.raises(IllegalMove) as err:
            game.apply(state, "challenge", role=role)
        assert err.value.code == "illegal_action"


def test_terminal_of_a_running_round_is_an_error() -> None:
    with pytest.raises(ValueError, match="not over"):
        game.terminal(game.new_round(DEFAULT, seed=0))


def test_illegal_move_carries_code_and_message() -> None:
    error = IllegalMove("not_your_turn", "it is the us's turn")
    assert error.code == "not_your_turn" and "us's turn" in error.message and "not_your_turn" in str(error)


# ----- payoffs: all 20 terminals against §2.3 written out independently ----------------------------

def spec_payoffs(P: Params, terminal: str, a: int, theta: str) -> tuple[F, F, F]:
    """§2.3 from the raw parameters (K, R, K1 of §1.1 recomputed here, no engine helper)."""
    K = P.k + (P.kT if P.tripwire else 0)
    R = P.r + (P.tau if P.tripwire else 0)
    K1 = P.k1 + (P.k1T if P.tripwire else 0)
    w = P.wR if theta == "R" else P.wN
    table = {
        "SQ": (w - a * K, -P.sigma, 1 - a * K1),
        "CON": (0 - a * K, F(1), 0 - a * K1),
        "WD": (w - a * K, -P.sigma - P.beta, 1 - a * K1),
        "WAR_I": (P.p2 * w - P.c2 - a * K, 1 - P.p2 - P.cCa, P.p2 - P.c1a - a * K1),
        "WAR_S": (P.p * w - a * R - a * K, 1 - P.p - P.cC, P.p - P.c1 - a * K1),
    }
    return table[terminal]


@pytest.mark.parametrize("params", [
    DEFAULT,
    Params(tripwire=True),
    Params(p=F(2, 5), p2=F(9, 10), c1=F(1, 5), c1a=F(1, 10), cC=F(3, 10), cCa=F(1, 2), beta=F(1, 20),
           sigma=F(1, 10), c2=F(1, 4), wR=F(6, 5), wN=F(1, 5), k=F(1, 10), r=F(1, 8), k1=F(1, 40)),
], ids=["default", "tripwire", "other"])
def test_all_twenty_terminal_payoffs_match_the_spec(params: Params) -> None:
    checked = set()
    for theta in ("R", "N"):
        for _moves, end in all_lines(game.new_round(params, us_type=theta, seed=0)):
            expected = spec_payoffs(params, end.result, end.alliance, theta)
            got = game.payoffs(end)
            assert (got["us"], got["challenger"], got["japan"]) == expected
            assert all(isinstance(v, F) for v in got.values())
            checked.add((theta, end.alliance, end.result))
    assert len(checked) == 20


def test_payoffs_of_a_running_round_are_an_error() -> None:
    with pytest.raises(ValueError):
        game.payoffs(game.new_round(DEFAULT, seed=0))


# ----- Nature: seeded, reproducible draws --------------------------------------------------------------

def test_us_type_draw_is_reproducible_and_follows_the_prior() -> None:
    draws = [game.new_round(DEFAULT, seed=s).theta for s in range(2000)]
    assert draws == [game.new_round(DEFAULT, seed=s).theta for s in range(2000)]
    assert 0.45 < draws.count("R") / 2000 < 0.55
    skewed = [game.new_round(DEFAULT, prior=F(9, 10), seed=s).theta for s in range(2000)]
    assert 0.87 < skewed.count("R") / 2000 < 0.93


def test_string_seeds_work_and_differ() -> None:
    thetas = {game.new_round(DEFAULT, seed=f"class-ABC:group-{g}:round-1").theta for g in range(40)}
    assert thetas == {"R", "N"}


def test_given_us_type_overrides_the_draw_and_prior_is_explicit() -> None:
    for seed in range(20):
        state = game.new_round(DEFAULT, prior=F(1, 5), us_type="N", seed=seed)
        assert state.theta == "N" and state.prior == F(1, 5) and state.core.pi == F(1, 5)
    assert game.new_round(DEFAULT, seed=0).prior == DEFAULT.pi


@pytest.mark.parametrize(("kwargs", "message"), [({"prior": F(0)}, "prior"), ({"prior": F(1)}, "prior"),
                                                  ({"us_type": "X"}, "us_type")])
def test_bad_round_arguments_are_rejected(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        game.new_round(DEFAULT, seed=0, **kwargs)


def test_state_keeps_the_seed_not_a_generator() -> None:
    state = game.new_round(DEFAULT, seed=42)
    assert {f.name for f in dataclasses.fields(state)} == {
        "params", "prior", "seed", "theta", "node", "armed", "alliance", "ctype", "history", "result"}
    assert state.seed == 42


# ----- replay ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("params", [DEFAULT, Params(module_a=True), Params(module_c=True),
                                    Params(alliance_type=AllianceType.NEUTRALITY),
                                    Params(module_a=True, module_c=True,
                                           alliance_type=AllianceType.NEUTRALITY)],
                         ids=["core", "A", "C", "neutrality", "A+C+neutrality"])
def test_replay_reproduces_every_live_state(params: Params) -> None:
    for seed in range(4):
        root = game.new_round(params, prior=F(2, 5), seed=seed)
        for moves, end in all_lines(root):
            again = game.replay(params, F(2, 5), root.theta, seed, moves)
            assert again == end and hash(again) == hash(end)
            assert end.moves == moves
            assert game.history_from_dicts(game.public_history(end)) == end.history


def test_replay_rejects_an_illegal_log() -> None:
    with pytest.raises(IllegalMove):
        game.replay(DEFAULT, None, "R", 0, ["alliance", "resist"])


# ----- history -----------------------------------------------------------------------------------------

def test_history_entries_are_small_public_dicts() -> None:
    state = play(DEFAULT, ["alliance", "challenge", "concede"])
    assert game.public_history(state) == [
        {"node": "alliance", "role": "us", "action": "alliance"},
        {"node": "challenge", "role": "challenger", "action": "challenge"},
        {"node": "response", "role": "japan", "action": "concede"},
    ]


# ----- alliance types: neutrality skips the alliance node ------------------------------------------------

NEUTRAL = Params(alliance_type=AllianceType.NEUTRALITY)


def test_neutrality_pact_skips_the_alliance_node_publicly() -> None:
    state = game.new_round(NEUTRAL, seed=0)
    assert state.node == "challenge" and state.alliance == 0 and game.to_move(state) == "challenger"
    assert game.public_history(state) == [
        {"node": "alliance", "role": None, "action": "no_alliance", "auto": "neutrality_pact"}]
    assert state.moves == ()
    with pytest.raises(IllegalMove):
        game.apply(state, "alliance")


def test_neutrality_intervention_costs_r_N() -> None:
    end = game.replay(NEUTRAL, None, "R", 0, ["challenge", "resist", "attack", "intervene"])
    assert game.payoffs(end)["us"] == NEUTRAL.p2 * NEUTRAL.wR - NEUTRAL.c2 - NEUTRAL.r_N
    lines = [moves for moves, _ in all_lines(game.new_round(NEUTRAL, seed=0))]
    assert len(lines) == 5


# ----- Module A: Japan's armament ---------------------------------------------------------------------

ARMING = Params(module_a=True)


def test_module_a_starts_with_japans_public_arming_decision() -> None:
    state = game.new_round(ARMING, seed=0)
    assert state.node == "arming" and game.to_move(state) == "japan" and state.armed is None
    assert game.legal_actions(state) == ("arm", "no_arm")
    with pytest.raises(IllegalMove) as err:
        game.apply(state, "arm", role="us")
    assert err.value.code == "not_your_turn"
    armed = game.apply(state, "arm", role="japan")
    assert armed.armed is True and armed.node == "alliance"
    assert game.public_history(armed) == [{"node": "arming", "role": "japan", "action": "arm"}]
    assert game.apply(state, "no_arm").armed is False


def test_module_a_arming_changes_p_and_costs_japan_arm_cost() -> None:
    P = ARMING
    for theta in ("R", "N"):
        for moves, end in all_lines(game.new_round(P, us_type=theta, seed=0)):
            got = game.payoffs(end)
            if moves[0] == "no_arm":
                expected = spec_payoffs(P, end.result, end.alliance, theta)
                assert (got["us"], got["challenger"], got["japan"]) == expected
                continue
            armed = P.replace(p=P.p_arm, p2=P.p2_arm, sigma=P.sigma + P.sd_arm)
            us, ch, jp = spec_payoffs(armed, end.result, end.alliance, theta)
            assert (got["us"], got["challenger"], got["japan"]) == (us, ch, jp - P.arm_cost)


def test_module_a_with_neutrality_skips_alliance_after_arming() -> None:
    P = Params(module_a=True, alliance_type=AllianceType.NEUTRALITY)
    state = game.apply(game.new_round(P, seed=0), "no_arm")
    assert state.node == "challenge" and state.alliance == 0
    assert [e["node"] for e in game.public_history(state)] == ["arming", "alliance"]


# ----- Module C: the Challenger's type ------------------------------------------------------------------

MODULE_C = Params(module_c=True)


def test_module_c_type_is_drawn_right_after_resist_and_kept_out_of_the_history() -> None:
    state = game.new_round(MODULE_C, seed=5)
    for action in ["alliance", "challenge"]:
        state = game.apply(state, action)
        assert state.ctype is None
    state = game.apply(state, "resist")
    assert state.ctype in ("L", "H") and state.node == "attack"
    assert all("ctype" not in e and e["action"] not in ("L", "H") for e in game.public_history(state))
    assert game.replay(MODULE_C, None, state.theta, 5, state.moves).ctype == state.ctype


def test_module_c_concession_draws_no_type() -> None:
    assert play(MODULE_C, ["alliance", "challenge", "concede"]).ctype is None
    assert play(DEFAULT, ["alliance", "challenge", "resist"]).ctype is None


def test_module_c_draw_is_seeded_and_follows_q() -> None:
    P = MODULE_C.replace(q=F(3, 10))

    def draw(seed: int) -> str | None:
        return play(P, ["no_alliance", "challenge", "resist"], seed=seed).ctype

    draws = [draw(s) for s in range(1500)]
    assert draws == [draw(s) for s in range(1500)]
    assert 0.25 < draws.count("L") / 1500 < 0.35


def test_module_c_war_payoffs_use_the_challengers_own_costs() -> None:
    P = MODULE_C
    seeds = {}
    for seed in range(40):
        end = play(P, ["alliance", "challenge", "resist", "attack", "intervene"], seed=seed)
        seeds.setdefault(end.ctype, end)
    low, high = seeds["L"], seeds["H"]
    assert game.payoffs(low)["challenger"] == 1 - P.p2 - P.cCa
    assert game.payoffs(high)["challenger"] == 1 - P.p2 - P.cCa_H
    assert game.payoffs(low)["us"] == game.payoffs(high)["us"]
