"""What theory says at one decision, as numbers the pages turn into sentences.

Every sentence that states what theory predicts or why something happened (the board, the result card, the
debriefs, the prediction panel, the projector) is chosen from one of these, never from an inequality of its
own: the benchmark's probability at the mover's information set, whether the mover is indifferent there,
the mover's expected payoff of each action, the Challenger's belief, the intervention probability it
implies, whether the treaty ties the US's hands, where the status quo lies in the bargaining range, the
forum's chances (Module D) and the stage-0 choices (Modules A and D). A probability of 0 or 1 is a
prediction; anything between is a mix, and the sentence must say so and give the probability.

Scenario-level reasons (the prediction panel's) come from `reputation` and `belief_threshold`: what the
Challenger does at the public reputation without an alliance, and the least belief from which a challenge
no longer pays, both read off the solver's continuation of the crisis.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from . import game
from .analysis import action_values, behaviour_at, solution_at
from .crisis import Continuation
from .game import State
from .solver import Benchmark, Solution, bargaining_range

ZERO, ONE = Fraction(0), Fraction(1)
BEFORE_RESIST = ("challenge", "response")  # nodes before Nature's draws that follow `resist`


class Tendency(StrEnum):
    NEVER = "never"  # probability 0
    SOMETIMES = "sometimes"  # strictly between 0 and 1: the benchmark mixes
    ALWAYS = "always"  # probability 1


def tendency(probability: Fraction) -> Tendency:
    if probability == ZERO:
        return Tendency.NEVER
    if probability == ONE:
        return Tendency.ALWAYS
    return Tendency.SOMETIMES


@dataclass(frozen=True)
class Expectation:
    """The benchmark at one information set: the probability of the node's first action (`challenge`,
    `resist`, `attack`, `intervene`, `alliance`, `arm`, `cbm`), whether the mover is indifferent between its
    two actions (then any mix is a best reply, and the benchmark's is what makes the others' play rational)
    and the mover's expected payoff of each action, every later move by the benchmark."""

    node: str
    role: str
    action: str
    probability: Fraction
    indifferent: bool
    values: Mapping[str, Fraction] = dataclasses.field(default_factory=dict, compare=False)

    @property
    def tendency(self) -> Tendency:
        return tendency(self.probability)

    @property
    def other(self) -> str:
        """The node's second action (`status_quo`, `concede`, `withdraw`, `stay_out`, ...)."""
        return game.ACTIONS[self.node][1]


class RangePosition(StrEnum):
    INSIDE = "inside"  # the status quo lies strictly inside the bargaining range
    BOUNDARY = "boundary"  # on its upper edge: at the status quo the Challenger's war value is 0
    OUTSIDE = "outside"  # beyond it: a war is worth more than 0 to the Challenger


@dataclass(frozen=True)
class Deterrence:
    """General deterrence after the alliance decision `alliance`: the Challenger's belief that the US is
    resolute, the intervention probability it implies, where the status quo (x = 1) lies in the core
    game's bargaining range [low, high] at that probability, and what the benchmark expects the Challenger
    to do. `challenge` is the verdict; the range position is only part of the reason (σ, Module D's forum,
    Module C's types and indifference at the boundary decide the rest)."""

    alliance: int
    belief: Fraction
    rho: Fraction
    hands_tied: bool
    status_quo: RangePosition
    challenge: Expectation
    low: Fraction = ZERO
    high: Fraction = ZERO


@dataclass(frozen=True)
class Response:
    """Japan's decision after a challenge: the benchmark's verdict, its low end of the bargaining range
    (Japan's war value at rho, before costs already paid), the chance the Challenger attacks a resisting
    Japan (over its types, as Japan sees it) and the chance preventive diplomacy defuses the stand-off."""

    alliance: int
    rho: Fraction
    japan_end: Fraction
    resist: Expectation
    attack: Fraction
    forum: Fraction

    @property
    def end_below_zero(self) -> bool:
        return self.japan_end < 0


@dataclass(frozen=True)
class Intervention:
    """The US's decision once the Challenger attacked: its net gain from intervening (g + aR, minus r_N
    under a neutrality pact), whether the treaty ties its hands, and the benchmark's verdict."""

    theta: str
    alliance: int
    margin: Fraction
    hands_tied: bool
    intervene: Expectation


@dataclass(frozen=True)
class Forum:
    """Module D: the chance that preventive diplomacy defuses a stand-off without and with an alliance, in
    the subgame of the CBM choices made (`e`)."""

    e: tuple[int, int]
    without_alliance: Fraction
    with_alliance: Fraction


@dataclass(frozen=True)
class Reputation:
    """What the public reputation does on its own: the Challenger's challenge probability after no alliance
    at belief `prior` (the crisis's continuation, nothing signalled), and, with Module D, whether that
    holds without the forum too (`without_forum`; None without Module D)."""

    prior: Fraction
    rho: Fraction
    challenge: Fraction
    without_forum: Fraction | None


# ----- states -------------------------------------------------------------------------------------------


def decision_state(state: State, node: str) -> State:
    """The round's subgame at `node` (its arming, CBM and alliance choices as played), as a state that reached
    it without Nature's later draws: for the numbers that hold at that decision whatever came after."""
    if state.alliance is None:
        raise ValueError("the crisis decisions follow the alliance decision")
    ctype = None if node in BEFORE_RESIST else state.ctype
    history = tuple(m for m in state.history if m.node in (*game.CBM_NODES, "arming", "alliance"))
    return dataclasses.replace(state, node=node, ctype=ctype, result=None, history=history)


def at_node(state: State, node: str) -> State | None:
    """The round as it stood when it reached `node` (None if it never did), rebuilt from its history."""
    actions = [move.action for move in state.history if move.auto is None]
    current = game.new_round(state.params, prior=state.prior, us_type=state.theta, seed=state.seed)
    for action in actions:
        if current.node == node:
            return current
        current = game.apply(current, action)
    return current if current.node == node else None


def challenge_state(state: State, alliance: int | None = None) -> State | None:
    """The challenge decision of `state`'s round, or of the same subgame after alliance decision
    `alliance` (for "what if the US had not allied"); None before the alliance decision is made."""
    at_challenge = at_node(state, "challenge")
    if alliance is None or at_challenge is None:
        return at_challenge
    if at_challenge.alliance == alliance:
        return at_challenge
    at_alliance = at_node(state, "alliance")
    assert at_alliance is not None  # the challenge node follows the alliance node
    return game.apply(at_alliance, "alliance" if alliance else "no_alliance")


def benchmark_root(bench: Benchmark, theta: str = "R") -> State:
    """A round of the benchmark's subgame at its alliance decision (at the challenge decision, no alliance,
    under a neutrality pact): stage 0 (Module A's arming, Module D's CBMs) as the benchmark plays it."""
    params = bench.params
    state = game.new_round(params, prior=params.pi, us_type=theta, seed="benchmark")
    while state.node in ("arming", *game.CBM_NODES):
        first, second = game.ACTIONS[state.node]
        state = game.apply(state, first if _stage_zero_behaviour(bench, state)[first] else second)
    return state


def after_alliance(bench: Benchmark, alliance: int) -> State | None:
    """The benchmark subgame's challenge decision after alliance decision `alliance` (None if the US cannot
    take it: no alliance option under a neutrality pact)."""
    root = benchmark_root(bench)
    if root.node == "challenge":
        return root if alliance == root.alliance else None
    return game.apply(root, "alliance" if alliance else "no_alliance")


# ----- expectations -------------------------------------------------------------------------------------


def expectation(solution: Solution | Benchmark, state: State) -> Expectation:
    """What the benchmark expects at the mover's information set containing `state`: any decision node (a
    stage-0 one needs the whole `Benchmark`)."""
    node = state.node
    if node == "arming" or node in game.CBM_NODES:
        if not isinstance(solution, Benchmark):
            raise ValueError(f"stage 0 ({node}) is the whole Benchmark's")
        return _stage_zero_expectation(solution, state)
    sub = solution_at(solution, state)
    probabilities = behaviour_at(state, sub.behaviour)
    belief = sub.belief(state.alliance) if state.alliance is not None else state.prior
    values = action_values(state, sub.behaviour, belief)
    return _expectation(state, probabilities, values)


def _expectation(state: State, probabilities: Mapping[str, Fraction], values: Mapping[str, Fraction]
                 ) -> Expectation:
    first = game.ACTIONS[state.node][0]
    return Expectation(
        node=state.node,
        role=game.MOVER[state.node],
        action=first,
        probability=probabilities[first],
        indifferent=len(set(values.values())) == 1,
        values=dict(values),
    )


def _stage_zero_behaviour(bench: Benchmark, state: State) -> dict[str, Fraction]:
    if state.node == "arming":
        return bench.arming_behaviour()
    return bench.cbm_behaviour(state.node, armed=bool(state.armed), e1=state.e1)


def _stage_zero_values(bench: Benchmark, state: State) -> dict[str, Fraction]:
    """The mover's expected payoff of each stage-0 action, later stage-0 replies and subgames at the
    benchmark (Japan's arming: the two arming choices' benchmarks)."""
    if state.node == "arming":
        return {"arm": bench.solutions[True].expected_payoffs.japan,
                "no_arm": bench.solutions[False].expected_payoffs.japan}
    assert bench.arf is not None
    return bench.arf[bool(state.armed)].cbm_values(state.node, state.e1)


def _stage_zero_expectation(bench: Benchmark, state: State) -> Expectation:
    return _expectation(state, _stage_zero_behaviour(bench, state), _stage_zero_values(bench, state))


# ----- the decisions of the crisis ------------------------------------------------------------------------


def deterrence(solution: Solution | Benchmark, state: State) -> Deterrence:
    """General deterrence at `state`, a round at its challenge decision (see `challenge_state`)."""
    if state.node != "challenge" or state.alliance is None:
        raise ValueError("general deterrence is judged at the challenge decision")
    sub = solution_at(solution, state)
    a = state.alliance
    rho = sub.rho(a)
    low, high = bargaining_range(sub.core, rho)
    position = RangePosition.BOUNDARY if high == ONE else RangePosition.INSIDE if high > ONE else None
    return Deterrence(
        alliance=a,
        belief=sub.belief(a),
        rho=rho,
        hands_tied=bool(sub.hands_tied and a),
        status_quo=position or RangePosition.OUTSIDE,
        challenge=expectation(solution, state),
        low=low,
        high=high,
    )


def response(solution: Solution | Benchmark, state: State) -> Response:
    """Japan's decision at `state`, a round at its response decision (see `decision_state`)."""
    if state.node != "response" or state.alliance is None:
        raise ValueError("Japan's response is judged at the response decision")
    sub = solution_at(solution, state)
    a = state.alliance
    rho = sub.rho(a)
    low, _high = bargaining_range(sub.core, rho)
    return Response(
        alliance=a,
        rho=rho,
        japan_end=low,
        resist=expectation(solution, state),
        attack=attack_share(sub, a),
        forum=sub.core.phi(a),
    )


def attack_share(solution: Solution, alliance: int) -> Fraction:
    """The benchmark's chance that the Challenger attacks a resisting Japan (after the forum failed), as
    those who do not know its type see it: its types weighted by their probabilities (Module C)."""
    core = solution.core
    shares = {"L": core.q, "H": 1 - core.q} if core.module_c else {"L": ONE}
    return sum((weight * solution.behaviour("attack", alliance=alliance, ctype=t)["attack"]
                for t, weight in shares.items()), ZERO)


def intervention(solution: Solution | Benchmark, state: State) -> Intervention:
    """The US's decision at `state`, a round at its intervention decision."""
    if state.node != "intervention" or state.alliance is None:
        raise ValueError("the US's intervention is judged at the intervention decision")
    sub = solution_at(solution, state)
    core, a = sub.core, state.alliance
    return Intervention(
        theta=state.theta,
        alliance=a,
        margin=core.g(state.theta) - core.rN + a * core.R,
        hands_tied=bool(sub.hands_tied and a),
        intervene=expectation(solution, state),
    )


def forum(solution: Solution | Benchmark, state: State) -> Forum | None:
    """Module D's chances in the subgame `state` is in, once both CBM decisions are made (None before, and
    without the module)."""
    if not state.params.arf or state.cbm is None:
        return None
    core = solution_at(solution, state).core
    return Forum(e=state.cbm, without_alliance=core.phi(0), with_alliance=core.phi(1))


# ----- the scenario's reasons (the prediction panel) -----------------------------------------------------


def reputation(solution: Solution) -> Reputation:
    """What the public reputation does without an alliance: the crisis's continuation at rho(0, prior)."""
    core, crisis = solution.core, solution.crisis
    rho = crisis.rho(0, core.pi)
    challenge = crisis.continuation(0, rho).challenge
    without_forum = None
    if core.arf:
        attack = rho < crisis.rho_A
        resist = not attack or rho >= crisis.rho_R
        without_forum = ONE if (not resist or (attack and rho < crisis.rho_W)) else ZERO
    return Reputation(prior=core.pi, rho=rho, challenge=challenge, without_forum=without_forum)


def _belief_grid(solution: Solution) -> list[Fraction]:
    """Every belief at which a continuation can change, and the midpoints between them, in [0, 1]."""
    points = sorted({x for x in solution.crisis.critical_points() if ZERO <= x <= ONE} | {ZERO, ONE})
    return sorted({*points, *((x + y) / 2 for x, y in itertools.pairwise(points))})


def challenged_at(solution: Solution, alliance: int, belief: Fraction) -> Fraction:
    """The crisis's continuation after alliance decision `alliance` at belief `belief`: the challenge
    probability of backward induction, without any equilibrium's mixing."""
    crisis = solution.crisis
    return crisis.continuation(alliance, crisis.rho(alliance, belief)).challenge


def belief_threshold(solution: Solution, alliance: int) -> Fraction | None:
    """The least belief from which a challenge no longer pays after alliance decision `alliance` (the
    Challenger is at most indifferent there and at every higher belief); None if it pays even at belief 1."""
    grid = _belief_grid(solution)
    return _least_from(grid, lambda belief: challenged_at(solution, alliance, belief) == ZERO)


def _least_from(grid: list[Fraction], holds: Callable[[Fraction], bool]) -> Fraction | None:
    """The least point of the (sorted) grid from which `holds` is true at every point; None if not at the
    last one."""
    start = None
    for point in reversed(grid):
        if not holds(point):
            break
        start = point
    return start


def rho_threshold(
    solution: Solution, alliance: int, settled: Callable[[Continuation], bool]
) -> Fraction | None:
    """The least chance of US intervention from which `settled` holds of the crisis's continuation after
    alliance decision `alliance` at every higher chance; None if it fails even at certainty."""
    crisis = solution.crisis
    return _least_from(_belief_grid(solution), lambda rho: settled(crisis.continuation(alliance, rho)))


def resists(continuation: Continuation) -> bool:
    return continuation.resist_share == ONE


def backs_down(ctype: str) -> Callable[[Continuation], bool]:
    """Whether a Challenger of type `ctype` withdraws from a resisting Japan in a continuation."""
    return lambda continuation: continuation.attack[ctype] == ZERO


# ----- claims: the codes and numbers a sentence is chosen by ---------------------------------------------

VERDICT_KEYS = {"challenge": "challenge", "response": "resist", "attack": "attack"}


@dataclass(frozen=True)
class Claim:
    """One sentence's claim: its code (which sentence) and the exact numbers it gives."""

    code: str
    values: Mapping[str, Fraction] = dataclasses.field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {"claim": self.code, **{key: float(value) for key, value in self.values.items()}}


def kind(expectation: Expectation) -> str:
    """never / always (a prediction), mixed (the benchmark mixes), indifferent (it mixes between actions the
    mover values equally), tie_first / tie_second (indifferent, the benchmark's tie-break picks one)."""
    p = expectation.probability
    if expectation.indifferent:
        return "indifferent" if ZERO < p < ONE else ("tie_first" if p == ONE else "tie_second")
    return {Tendency.NEVER: "never", Tendency.ALWAYS: "always", Tendency.SOMETIMES: "mixed"}[tendency(p)]


def verdict(expectation: Expectation) -> Claim:
    """What the benchmark expects the mover to do, e.g. `challenge_indifferent` with p = 15/26."""
    return Claim(f"{VERDICT_KEYS[expectation.node]}_{kind(expectation)}", {"p": expectation.probability})


def values_claim(expectation: Expectation) -> Claim:
    """The mover's expected payoff of each action, keyed by action: the reason behind its verdict."""
    return Claim(f"{VERDICT_KEYS[expectation.node]}_values", dict(expectation.values))


def deterrence_claims(d: Deterrence) -> list[Claim]:
    """The verdict on general deterrence, then its reasons: tied hands, the status quo's place in the
    bargaining range, the Challenger's expected payoffs."""
    out = [verdict(d.challenge)]
    if d.hands_tied:
        out.append(Claim("hands_tied"))
    out.append(Claim(f"range_{d.status_quo}", {"rho": d.rho, "low": d.low, "high": d.high}))
    out.append(values_claim(d.challenge))
    return out


def response_claims(r: Response) -> list[Claim]:
    """The verdict on Japan's response, then, where Japan's end of the range lies below 0, that fact and
    (when Japan still resists) Japan's expected payoffs, which say why."""
    out = [verdict(r.resist)]
    if r.end_below_zero:
        out.append(Claim("japan_end_below_zero", {"low": r.japan_end}))
        if r.resist.probability:
            out.append(values_claim(r.resist))
    return out


def round_claims(solution: Solution | Benchmark, state: State) -> list[Claim]:
    """What theory says about a round's crisis once the alliance decision is made, from public information
    (the subgame and the benchmark belief): general deterrence and Japan's response."""
    d = deterrence(solution, decision_state(state, "challenge"))
    r = response(solution, decision_state(state, "response"))
    return [*deterrence_claims(d), *response_claims(r)]


def complete_information_claim(solution: Solution, theta: str) -> Claim:
    """§3.4 for type `theta`: the probability of war had everyone known the type."""
    terminals = solution.complete_info[theta]["terminals"]
    war = sum((p for t, p in terminals.items() if t in ("WAR_I", "WAR_S")), ZERO)
    code = {Tendency.NEVER: "complete_no_war", Tendency.ALWAYS: "complete_war_always"}.get(
        tendency(war), "complete_war_sometimes")
    return Claim(code, {"p": war})


# ----- the scenario's claims (the prediction panel) --------------------------------------------------------


def reputation_claim(rep: Reputation) -> Claim:
    """Does the public reputation deter without an alliance (with Module D: with the forum's help only)?"""
    values = {"pi": rep.prior}
    if rep.challenge:
        return Claim("reputation_fails", values)
    if rep.without_forum:
        return Claim("reputation_and_forum_deter", values)
    return Claim("reputation_deters", values)


def hands_claim(solution: Solution) -> Claim | None:
    """Whether the treaty ties the US's hands, with g_N + R (- r_N): None when no alliance is possible."""
    core = solution.core
    if not core.alliance_allowed:
        return None
    values = {"margin": core.g("N") - core.rN + core.R, "R": core.R}
    return Claim("hands_tied_reason" if solution.hands_tied else "hands_free", values)


def signal_claim(solution: Solution) -> Claim | None:
    """What an alliance tells the Challenger in the selected equilibrium: a signal (the belief moves), nothing
    (both types ally), or, when no type allies, how an alliance would be read."""
    if not solution.core.alliance_allowed:
        return None
    sel = solution.selected
    values = {"pi": solution.core.pi, "belief": sel.mu1, "rho": solution.rho(1)}
    if sel.x_R == sel.x_N == ZERO:
        return Claim("alliance_off_path", values)
    if sel.x_R == sel.x_N:
        return Claim("alliance_pooling", values)
    return Claim("alliance_signal", values)


def threshold_claims(solution: Solution) -> list[Claim]:
    """Without tied hands, the belief from which a challenge no longer pays after an alliance; with
    Module D, how the forum's backing moves it. Nothing when the treaty ties hands: then the belief does not
    matter after an alliance."""
    core = solution.core
    if not core.alliance_allowed or solution.hands_tied:
        return []
    allied = belief_threshold(solution, 1)
    out = [_threshold_claim(allied, core.pi)]
    alone = belief_threshold(solution, 0)
    if core.arf and core.phi(1) != core.phi(0) and alone != allied:
        values = {"phi0": core.phi(0), "phi1": core.phi(1)}
        if alone is not None and allied is not None:
            out.append(Claim("forum_threshold", {**values, "m0": alone, "m1": allied}))
    return out


def _threshold_claim(threshold: Fraction | None, prior: Fraction) -> Claim:
    if threshold is None:
        return Claim("threshold_none", {"pi": prior})
    if threshold == ZERO:
        return Claim("threshold_zero", {"pi": prior})
    return Claim("threshold_belief", {"m": threshold, "pi": prior})


def japan_claims(solution: Solution) -> list[Claim]:
    """The least chance of US intervention from which Japan resists a challenge, per alliance decision where
    they differ (Module D's forum), or once."""
    thresholds = {a: rho_threshold(solution, a, resists) for a in (0, 1)}
    if thresholds[0] == thresholds[1] or not solution.core.alliance_allowed:
        return [_rho_claim("japan", thresholds[0], None)]
    return [_rho_claim("japan", thresholds[a], a) for a in (0, 1)]


def challenger_claims(solution: Solution) -> list[Claim]:
    """The least chance of US intervention from which a Challenger backs down from a resisting Japan, per
    type (Module C)."""
    types = ("L", "H") if solution.core.module_c else ("L",)
    out = []
    for ctype in types:
        claim = _rho_claim("backs_down", rho_threshold(solution, 0, backs_down(ctype)), None)
        code = claim.code if not solution.core.module_c else f"{claim.code}_{ctype}"
        out.append(Claim(code, claim.values))
    return out


def _rho_claim(prefix: str, threshold: Fraction | None, alliance: int | None) -> Claim:
    suffix = "" if alliance is None else f"_a{alliance}"
    if threshold is None:
        return Claim(f"{prefix}_never{suffix}")
    if threshold == ZERO:
        return Claim(f"{prefix}_always{suffix}")
    return Claim(f"{prefix}_threshold{suffix}", {"rho": threshold})


def value_of_deterrence(solution: Solution, theta: str, belief: Fraction) -> Fraction:
    """VD_theta(belief) of §3.5: what type `theta` loses without an alliance when the Challenger holds
    `belief`, against the status quo it would keep if deterrence held."""
    return solution.core.w(theta) - solution.crisis.us_value_at(theta, 0, belief)


def cost_claims(solution: Solution) -> list[Claim]:
    """Why each US type allies or not in the selected equilibrium: its peacetime cost K against its value of
    deterrence (§3.5-§3.6)."""
    core, sel = solution.core, solution.selected
    values = {
        "K": core.K,
        "vdn": value_of_deterrence(solution, "N", ZERO),
        "vdr": value_of_deterrence(solution, "R", ZERO),
        "vdrpi": value_of_deterrence(solution, "R", core.pi),
    }
    if sel.name == "E5":
        return [Claim("cost_bluff", values), Claim("cost_bluff_partial")]
    if sel.name == "E1":
        return [Claim("cost_separating", values)]
    if sel.name == "E2":
        return [Claim("cost_pooling_tied" if solution.hands_tied else "cost_pooling", values)]
    if sel.name == "E3":
        return [_no_alliance_claim(solution, values)]
    return []


def _no_alliance_claim(solution: Solution, values: dict[str, Fraction]) -> Claim:
    if values["K"] >= values["vdrpi"]:
        return Claim("cost_none_expensive", values)
    e5 = next((c for c in solution.candidates if c.name == "E5"), None)
    if e5 is not None:
        return Claim("cost_none_challenged", {"u3": solution.selected.U_R, "u5": e5.U_R})
    return Claim("cost_none")


def neutrality_claims(solution: Solution) -> list[Claim]:
    """Under a US-Challenger neutrality pact: no alliance option, the cost r_N of intervening, and whether
    even a resolute US stays out."""
    core = solution.core
    out = [Claim("neutrality", {"r": core.rN})]
    if not solution.crisis.intervene[("R", 0)]:
        out.append(Claim("neutrality_no_help", {"g": core.g("R") - core.rN}))
    return out


def forum_claim(solution: Solution) -> Claim | None:
    """Module D: the forum's chances with and without an alliance in the solution's CBM subgame."""
    core = solution.core
    if not core.arf:
        return None
    return Claim("forum_chances", {"phi0": core.phi(0), "phi1": core.phi(1)})


def scenario_reasons(solution: Solution) -> list[Claim]:
    """The prediction panel's reasons, in order: the forum, reputation, the treaty (tied hands, what an
    alliance tells, the belief it must create), Japan, the Challenger, and why each US type allies."""
    out: list[Claim | None] = []
    if not solution.core.alliance_allowed:
        out += neutrality_claims(solution)
    out.append(forum_claim(solution))
    rep = reputation_claim(reputation(solution))
    out += [rep, hands_claim(solution), signal_claim(solution), *threshold_claims(solution)]
    out += [*japan_claims(solution), *challenger_claims(solution)]
    if solution.core.alliance_allowed and rep.code == "reputation_fails":
        out += cost_claims(solution)
    return [claim for claim in out if claim is not None]
