"""The engine's parameter errors in the pages' words: every code has a message in English and Japanese,
with the engine's placeholders, and the numbers and names written as the scenario editor writes them."""

from __future__ import annotations

import re
from fractions import Fraction as F

import pytest
from django.utils import translation

from games.crisis.params import ERROR_MESSAGES, FieldError, InvalidParams, Params
from games.instructor.scenario_form.forms import localise
from games.vocabulary.param_errors import MESSAGES
from tests.engine.test_params import BROKEN

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(str(text)))


def test_every_code_the_engine_can_raise_has_a_message() -> None:
    assert set(MESSAGES) == set(ERROR_MESSAGES)


@pytest.mark.parametrize("code", sorted(ERROR_MESSAGES))
def test_each_message_takes_the_engines_placeholders_in_both_languages(code: str) -> None:
    expected = placeholders(ERROR_MESSAGES[code])
    with translation.override("en"):
        assert placeholders(MESSAGES[code]) == expected
    with translation.override("ja"):
        japanese = str(MESSAGES[code])
    assert JAPANESE.search(japanese), f"{code} is not translated: {japanese}"
    assert placeholders(japanese) == expected


@pytest.mark.parametrize(("values", "field", "code", "params", "fragment"), BROKEN)
def test_every_engine_error_reads_in_japanese(values, field, code, params, fragment) -> None:
    with pytest.raises(InvalidParams) as caught:
        Params.from_mapping(values)
    (error,) = [e for e in caught.value.errors if e.field == field]
    with translation.override("ja"):
        text = localise(error)
    assert JAPANESE.search(text) and "%(" not in text, text
    assert not re.search(r"\b(must|got|need|between|greater)\b", text), text


def test_numbers_are_exact_and_names_are_the_editors_symbols() -> None:
    error = FieldError(
        "betaD", "between_zero_and_bound", {"value": F(1, 3), "bound": "beta", "bound_value": F(1, 10)}
    )
    with translation.override("en"):
        assert localise(error) == "must be between 0 and β (0.1); got 1/3"
    with translation.override("ja"):
        assert localise(error) == "0 以上、β（= 0.1）以下の値にしてください（入力値：1/3）。"
    assert error.message == "must be between 0 and beta (0.1); got 0.333333"  # the engine's own English


def test_the_allowed_choices_are_listed() -> None:
    with pytest.raises(InvalidParams) as caught:
        Params.from_mapping({"alliance_type": "alliance_of_doom"})
    with translation.override("ja"):
        text = localise(caught.value.errors[0])
    assert text == "defence_pact, entente, offensive, neutrality, non_aggression のいずれかにしてください。"


def test_v2_reads_as_a_sentence_with_the_models_condition() -> None:
    error = FieldError("cCa", "entry_hurts_challenger", {"value": F(-1, 5)})
    with translation.override("ja"):
        assert localise(error) == (
            "米国の参戦は挑戦国に不利でなければなりません。(p′ + cC′) − (p + cC) > 0 が必要ですが、"
            "現在は -0.2 です。"
        )
