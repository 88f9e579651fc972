"""Migration 0005: ready scenarios for Module D's worked examples D1-D4 (crisis-model.md §9.8), stored
exactly, whose teaching notes (as migration 0008 rewrote them) claim the stage-0 choices and the equilibrium
the solver selects."""

from __future__ import annotations

import importlib
import re
from fractions import Fraction

import pytest

from games.crisis.params import Params
from games.crisis.solver import solve
from games.models import Scenario

pytestmark = pytest.mark.django_db

library = importlib.import_module("games.migrations.0005_module_d_examples")
notes = importlib.import_module("games.migrations.0008_teaching_notes_and_questions")
SLUGS = [entry["slug"] for entry in library.EXAMPLES]
CLAIM = re.compile(r"(?<![A-Za-z0-9])E([1-5])(?![0-9])")
# "Predicted stage 0: Japan adopts confidence-building measures; the Challenger does too." (or "does not")
STAGE0_EN = re.compile(
    r"Predicted stage 0: Japan (adopts|does not adopt) confidence-building measures; "
    r"the Challenger (does too|adopts them|does not)\."
)
STAGE0_JA = re.compile(
    r"予測される第0段階：日本は信頼醸成措置を(とり|とらず)、挑戦国(もとる|はとる|はとらない)。"
)
ADOPTS = {"adopts", "does too", "adopts them", "とり", "もとる", "はとる"}

# The examples as §9.8 states them, and what it says theory predicts: (stage-0 e, selected equilibrium).
EXAMPLES = {
    "arf-d1-both-build-confidence": (Params(arf=True), (1, 1), "E1"),
    "arf-d2-forum-replaces-alliance": (
        Params(arf=True, dphi1=Fraction(7, 10), betaD=Fraction(1, 10), psi=Fraction(1)),
        (1, 0),
        "E3",
    ),
    "arf-d3-forum-needs-alliance": (
        Params(arf=True, dphi1=Fraction(7, 10), betaD=Fraction(1, 10), psi=Fraction(0)),
        (1, 0),
        "E2",
    ),
    "arf-d4-tripwire-wedge": (Params(arf=True, tripwire=True), (1, 0), "E1"),
}


def stage0(note: str, pattern: re.Pattern[str]) -> tuple[int, int]:
    match = pattern.search(note)
    assert match, note
    return (int(match.group(1) in ADOPTS), int(match.group(2) in ADOPTS))


def test_the_migration_adds_one_scenario_per_example() -> None:
    assert sorted(SLUGS) == sorted(EXAMPLES)
    assert Scenario.objects.filter(slug__in=SLUGS).count() == len(EXAMPLES)


@pytest.mark.parametrize("slug", list(EXAMPLES))
def test_parameters_are_the_examples_stored_exactly(slug: str) -> None:
    scenario = Scenario.objects.get(slug=slug)
    params, _, _ = EXAMPLES[slug]
    assert scenario.engine_params() == params
    assert scenario.params == params.as_dict(exact=True)
    assert all(isinstance(v, (str, bool)) or v is None for v in scenario.params.values())
    assert scenario.decision_seconds == 90


@pytest.mark.parametrize("slug", list(EXAMPLES))
def test_each_note_claims_what_the_solver_predicts(slug: str) -> None:
    scenario = Scenario.objects.get(slug=slug)
    _, e, name = EXAMPLES[slug]
    benchmark = solve(scenario.engine_params())
    assert benchmark.module_d is not None
    assert (benchmark.module_d.e, benchmark.main.selected.name) == (e, name)
    for note, pattern in (
        (scenario.teaching_note_en, STAGE0_EN),
        (scenario.teaching_note_ja, STAGE0_JA),
    ):
        assert {f"E{n}" for n in CLAIM.findall(note)} == {name}, note
        assert stage0(note, pattern) == e, note
    assert scenario.name_en and scenario.name_ja


def test_the_frozen_parameters_are_the_spec_defaults_with_module_d_on() -> None:
    assert library.D1 == Params(arf=True).as_dict(exact=True)


def test_the_migration_leaves_an_instructors_own_scenario_alone() -> None:
    from django.apps import apps

    slug = SLUGS[0]
    Scenario.objects.filter(slug=slug).update(name_en="My own ARF", params={"arf": True})
    library.add_examples(apps, None)
    mine = Scenario.objects.get(slug=slug)
    assert (mine.name_en, mine.params) == ("My own ARF", {"arf": True})


def test_the_migration_can_be_reversed_and_applied_again() -> None:
    from django.apps import apps

    notes.restore(apps, None)  # 0008 first, as migrating back does
    library.remove_examples(apps, None)
    assert not Scenario.objects.filter(slug__in=SLUGS).exists()
    library.add_examples(apps, None)
    assert Scenario.objects.filter(slug__in=SLUGS).count() == len(SLUGS)
