"""The scenario library of migration 0004: one scenario per worked example of crisis-model.md §3.7 and one
per alliance type of §1.4, ready to use, each with a teaching note in both languages whose claimed
equilibrium is the one the solver selects."""

from __future__ import annotations

import importlib
import re
from fractions import Fraction

import pytest

from games.crisis.params import AllianceType, Params
from games.crisis.solver import solve
from games.models import Scenario

pytestmark = pytest.mark.django_db

library = importlib.import_module("games.migrations.0004_scenario_library")
notes = importlib.import_module("games.migrations.0008_teaching_notes_and_questions")
SLUGS = [entry["slug"] for entry in library.LIBRARY]
CLAIM = re.compile(r"(?<![A-Za-z0-9])E([1-5])(?![0-9])")

# What §3.7 and §1.4 say each scenario shows (the solver must agree, and so must the notes).
EXPECTED = {
    "baseline": "E5",
    "tripwire": "E2",
    "expensive-alliance": "E1",
    "strong-reputation": "E3",
    "very-expensive-alliance": "E3",
    "japan-arms": "E5",
    "hesitant-challenger": "E5",
    "entente": "E3",
    "offensive-ally": "E5",
    "non-aggression-pact": "E5",
    "neutrality-pact": "E3",
    "cooperative-security": "E1",  # Module D, Example D1: both sides adopt CBMs, then E1 in subgame (1,1)
}


def claimed(note: str) -> set[str]:
    return {f"E{n}" for n in CLAIM.findall(note)}


@pytest.mark.parametrize("slug", list(EXPECTED))
def test_each_note_claims_the_equilibrium_the_solver_selects(slug: str) -> None:
    scenario = Scenario.objects.get(slug=slug)
    selected = solve(scenario.engine_params()).main.selected.name
    assert selected == EXPECTED[slug]
    assert claimed(scenario.teaching_note_en) == {selected}, scenario.teaching_note_en
    assert claimed(scenario.teaching_note_ja) == {selected}, scenario.teaching_note_ja
    assert scenario.name_en and scenario.name_ja
    assert scenario.decision_seconds == 90


@pytest.mark.parametrize("slug", SLUGS)
def test_library_scenarios_are_the_baseline_plus_their_changes(slug: str) -> None:
    scenario = Scenario.objects.get(slug=slug)
    entry = next(e for e in library.LIBRARY if e["slug"] == slug)
    assert scenario.params == {**Params().as_dict(exact=True), **entry["changes"]}
    assert scenario.params == scenario.engine_params().as_dict(exact=True)  # stored exactly, all valid


def test_the_library_frozen_defaults_are_the_spec_defaults() -> None:
    assert library.BASE == Params().as_dict(exact=True)


def test_there_is_one_scenario_per_worked_example_and_alliance_type() -> None:
    params = {s.slug: s.engine_params() for s in Scenario.objects.filter(slug__in=EXPECTED)}
    assert len(params) == len(EXPECTED)
    assert Scenario.objects.filter(slug="baseline").count() == 1
    examples = {
        "tripwire": Params(tripwire=True),
        "expensive-alliance": Params(k=Fraction(7, 20)),
        "strong-reputation": Params(pi=Fraction(17, 20)),
        "very-expensive-alliance": Params(k=Fraction(3, 5)),
        "japan-arms": Params(module_a=True),
        "hesitant-challenger": Params(module_c=True),
    }
    for slug, expected in examples.items():
        assert params[slug] == expected, slug
    types = {p.alliance_type for p in params.values()}
    assert types == set(AllianceType)


def test_the_baseline_notes_name_its_equilibrium_by_what_it_means() -> None:
    baseline = Scenario.objects.get(slug="baseline")
    assert "Theory predicts a semi-separating equilibrium (E5)" in baseline.teaching_note_en
    assert "準分離均衡（E5）" in baseline.teaching_note_ja
    assert baseline.params == Params().as_dict(exact=True)


def test_the_migration_leaves_an_instructors_own_scenario_alone() -> None:
    from django.apps import apps

    Scenario.objects.filter(slug="tripwire").update(name_en="My own tripwire", params={"tripwire": True})
    library.add_library(apps, None)
    mine = Scenario.objects.get(slug="tripwire")
    assert (mine.name_en, mine.params) == ("My own tripwire", {"tripwire": True})


def test_the_migration_can_be_reversed_and_applied_again() -> None:
    from django.apps import apps

    notes.restore(apps, None)  # 0008 first, as migrating back does
    assert "Theory predicts E5" in Scenario.objects.get(slug="baseline").teaching_note_en
    library.remove_library(apps, None)
    assert not Scenario.objects.filter(slug__in=SLUGS).exists()
    assert "Theory predicts a semi-separating" in Scenario.objects.get(slug="baseline").teaching_note_en
    library.add_library(apps, None)
    assert Scenario.objects.filter(slug__in=SLUGS).count() == len(SLUGS)
    assert "E5" in Scenario.objects.get(slug="baseline").teaching_note_en
    notes.rewrite(apps, None)
    assert Scenario.objects.get(slug="baseline").teaching_note_en == notes.NEW["baseline"]["teaching_note_en"]
