"""The Scenario model and the `baseline` scenario its data migration creates."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from games.crisis.params import Params
from games.models import Scenario, default_params

pytestmark = pytest.mark.django_db


def test_baseline_holds_the_spec_default_parameters_exactly(baseline_scenario: Any) -> None:
    assert baseline_scenario.params == Params().as_dict(exact=True)
    assert baseline_scenario.params["c1"] == "7/20"
    assert baseline_scenario.engine_params() == Params()


def test_baseline_is_presented_in_both_languages(baseline_scenario: Any) -> None:
    assert baseline_scenario.name_en == "Baseline: defence pact"
    assert baseline_scenario.name_ja == "基準シナリオ：防御同盟"
    assert baseline_scenario.teaching_note_en
    assert baseline_scenario.teaching_note_ja
    assert baseline_scenario.decision_seconds == 90
    with translation.override("ja"):
        assert str(baseline_scenario) == "基準シナリオ：防御同盟"
    with translation.override("en"):
        assert str(baseline_scenario) == "Baseline: defence pact"


def make(**fields: Any) -> Scenario:
    return Scenario(slug="test", name_en="Test", name_ja="テスト", **fields)


def test_new_scenarios_start_from_the_defaults() -> None:
    assert make().params == default_params() == Params().as_dict(exact=True)


def test_clean_accepts_partial_parameters() -> None:
    scenario = make(params={"tripwire": True, "p": "0.3"})
    scenario.full_clean()
    assert scenario.engine_params() == Params(tripwire=True)


def test_clean_names_every_bad_field() -> None:
    scenario = make(params={"p": 1.5, "beta": 0, "nonsense": 1})
    with pytest.raises(ValidationError) as raised:
        scenario.full_clean()
    messages = raised.value.message_dict["params"]
    assert any(message.startswith("nonsense:") for message in messages)
    scenario.params = {"p": 0, "beta": 0}
    with pytest.raises(ValidationError) as raised:
        scenario.full_clean()
    fields = sorted(message.split(":")[0] for message in raised.value.message_dict["params"])
    assert fields == ["beta", "p"]


def test_clean_refuses_params_that_are_not_an_object() -> None:
    with pytest.raises(ValidationError) as raised:
        make(params=[1, 2]).full_clean()
    assert "params" in raised.value.message_dict


def test_decision_seconds_must_be_positive() -> None:
    with pytest.raises(ValidationError) as raised:
        make(decision_seconds=0).full_clean()
    assert "decision_seconds" in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        make(decision_seconds=0).save()


def test_slug_is_unique(baseline_scenario: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Scenario.objects.create(slug="baseline", name_en="Again", name_ja="再び")
