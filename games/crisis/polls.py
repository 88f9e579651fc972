"""The events a "predict before the reveal" poll asks about, and what theory gives them (pure).

Each question is a yes/no prediction about one event of a round, given that its condition arose: "will the
Challenger challenge an allied Japan?" is the event *challenged* among the rounds where the US allied.
Both the class's outcome and theory's probability are read the same way, from a round's public result
(its alliance decision and its terminal):

* `occurred(code, alliance, terminal)`: None when the round never reached the question's condition, else
  whether the event happened;
* `theory(code, bench)`: the benchmark's P(event | condition) over its path of play (types, alliance,
  terminals, with their probabilities). Where theory expects the condition never to arise, the answer is
  what theory would have played had it arisen: the benchmark's behaviour at that decision, weighted by
  the path's distribution over what it does depend on (the alliance decision; the US's type for
  intervening), so that a question always has theory's number.

The question codes are the words' keys too (`games.vocabulary.polls`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from .claims import attack_share
from .solver import Benchmark, PathEntry, Solution

ZERO = Fraction(0)
CHALLENGED = frozenset({"CON", "WD", "WAR_I", "WAR_S", "DEF"})
RESISTED = frozenset({"WD", "WAR_I", "WAR_S", "DEF"})
ATTACKED = frozenset({"WAR_I", "WAR_S"})


@dataclass(frozen=True)
class PollEvent:
    """One question's condition and event over a round's (alliance decision, terminal), and the
    benchmark's probability of the event at the decision, given what the path fixes there."""

    condition: Callable[[int, str], bool]
    event: Callable[[int, str], bool]
    # P(event | condition) of the decision for one path entry (its type and alliance decision)
    counterfactual: Callable[[Solution, PathEntry], Fraction]


def _challenge(solution: Solution, entry: PathEntry) -> Fraction:
    return solution.behaviour("challenge", alliance=entry.alliance)["challenge"]


EVENTS: dict[str, PollEvent] = {
    "challenge_allied": PollEvent(
        condition=lambda a, terminal: a == 1,
        event=lambda a, terminal: terminal in CHALLENGED,
        counterfactual=lambda solution, entry: solution.behaviour("challenge", alliance=1)["challenge"],
    ),
    "challenge_unallied": PollEvent(
        condition=lambda a, terminal: a == 0,
        event=lambda a, terminal: terminal in CHALLENGED,
        counterfactual=lambda solution, entry: solution.behaviour("challenge", alliance=0)["challenge"],
    ),
    "japan_resists": PollEvent(
        condition=lambda a, terminal: terminal in CHALLENGED,
        event=lambda a, terminal: terminal in RESISTED,
        counterfactual=lambda solution, entry: solution.behaviour("response", alliance=entry.alliance)[
            "resist"
        ],
    ),
    "challenger_attacks": PollEvent(
        condition=lambda a, terminal: terminal in RESISTED,
        event=lambda a, terminal: terminal in ATTACKED,
        counterfactual=lambda solution, entry: (
            (1 - solution.core.phi(entry.alliance)) * attack_share(solution, entry.alliance)
        ),
    ),
    "us_intervenes": PollEvent(
        condition=lambda a, terminal: terminal in ATTACKED,
        event=lambda a, terminal: terminal == "WAR_I",
        counterfactual=lambda solution, entry: solution.behaviour(
            "intervention", alliance=entry.alliance, theta=entry.theta
        )["intervene"],
    ),
}

QUESTIONS: tuple[str, ...] = tuple(EVENTS)
ANSWERS: tuple[str, ...] = ("yes", "no")


def occurred(code: str, alliance: int, terminal: str) -> bool | None:
    """Whether a finished round's event happened (None: the round never reached the condition)."""
    spec = EVENTS[code]
    if not spec.condition(int(alliance), terminal):
        return None
    return spec.event(int(alliance), terminal)


def theory(code: str, bench: Benchmark) -> Fraction:
    """The benchmark's probability of the event given its condition (see the module's note)."""
    spec = EVENTS[code]
    solution = bench.main
    path = solution.path
    condition = sum((e.prob for e in path if spec.condition(e.alliance, e.terminal)), ZERO)
    if condition:
        both = sum(
            (
                e.prob
                for e in path
                if spec.condition(e.alliance, e.terminal) and spec.event(e.alliance, e.terminal)
            ),
            ZERO,
        )
        return both / condition
    total = sum((e.prob for e in path), ZERO)
    return sum((e.prob * spec.counterfactual(solution, e) for e in path), ZERO) / total


def condition_probability(code: str, bench: Benchmark) -> Fraction:
    """How likely the benchmark's path makes the question's condition (0: theory expects it never)."""
    spec = EVENTS[code]
    return sum((e.prob for e in bench.main.path if spec.condition(e.alliance, e.terminal)), ZERO)
