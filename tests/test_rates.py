"""The class debrief's immediate-deterrence rate is a share of the crises that reached the Challenger's
attack decision: rounds defused by preventive diplomacy, conceded or never challenged are not in its
denominator, in the class's count and in theory's alike."""

from __future__ import annotations

from fractions import Fraction

import pytest

from games.debrief import class_analysis
from tests.test_analytics_preventive_diplomacy import PLAN, constructed_log


@pytest.fixture(scope="module")
def report() -> class_analysis.ClassDebrief:
    return class_analysis.class_debrief(constructed_log(PLAN))


def attack_decided(r: class_analysis.RoundAnalysis) -> bool:
    """The round's log has the Challenger's attack decision (attack or withdraw)."""
    return any(d.node == "attack" for d in r.decisions)


def test_the_class_count_is_of_rounds_with_an_attack_decision(report: class_analysis.ClassDebrief) -> None:
    done = [r for r in report.rounds if r.finished]
    reached = [r for r in done if attack_decided(r)]
    assert [r.log.number for r in reached] == [2, 5, 6, 7]  # the failed draws; defused rounds are out
    rate = report.rates()["immediate_deterrence"]
    assert (rate["n"], rate["count"]) == (len(reached), sum(r.terminal == "WD" for r in reached)) == (4, 1)
    assert rate["rate"] == pytest.approx(1 / 4)


def test_theory_uses_the_same_denominator(report: class_analysis.ClassDebrief) -> None:
    """Theory: the benchmark's chance of WD over its chance of reaching the attack decision (WD, WAR_I,
    WAR_S), summed over the finished rounds, each at its own subgame's benchmark."""
    withdrew, reached = Fraction(0), Fraction(0)
    for r in report.rounds:
        if not r.finished:
            continue
        assert r.solution is not None
        path = r.solution.path  # the round's subgame at its prior: the solver's own path
        withdrew += sum((e.prob for e in path if e.terminal == "WD"), Fraction(0))
        reached += sum((e.prob for e in path if e.terminal in ("WD", "WAR_I", "WAR_S")), Fraction(0))
    theory = report.rates()["immediate_deterrence"]["theory"]
    assert theory == pytest.approx(float(withdrew / reached))
