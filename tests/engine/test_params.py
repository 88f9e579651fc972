"""Parameters (§1): defaults, exact parsing at the boundary, validity constraints with clear errors."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from games.crisis.params import (
    ERROR_MESSAGES,
    AllianceType,
    FieldError,
    InvalidParams,
    Params,
    UnreadableValue,
    to_fraction,
)


def errors_of(**values) -> dict[str, str]:
    return {e.field: e.message for e in field_errors(values)}


def field_errors(values) -> list[FieldError]:
    with pytest.raises(InvalidParams) as caught:
        Params.from_mapping(values)
    return caught.value.errors


def test_defaults_are_example_one():
    P = Params()
    assert (P.p, P.p2, P.c1, P.c1a, P.cC, P.cCa) == (F(3, 10), F(3, 4), F(7, 20), F(1, 4), F(1, 5), F(3, 8))
    assert (P.beta, P.sigma, P.c2, P.wR, P.wN, P.pi, P.k, P.r) == (
        F(1, 10),
        0,
        F(1, 5),
        1,
        F(3, 10),
        F(1, 2),
        F(3, 20),
        F(1, 20),
    )
    assert P.errors() == []


def test_floats_are_read_through_their_decimal_text():
    P = Params.from_mapping({"c1": 0.35, "k": "3/20", "pi": "0.5", "tripwire": True})
    assert (P.c1, P.k, P.pi, P.tripwire) == (F(7, 20), F(3, 20), F(1, 2), True)


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), None, True, [], "abc", "1/0", "x" * 100])
def test_non_numbers_are_refused(raw):
    with pytest.raises(UnreadableValue) as caught:
        to_fraction(raw)
    assert caught.value.code in ("not_a_number", "not_finite")
    assert isinstance(caught.value, ValueError)


# One input that breaks each rule: (values, field, code, params, a fragment of the English message).
# tests/test_param_errors.py words every one of these in the pages' languages.
BROKEN = [
    ({"p": 1.2}, "p", "between_zero_and_one_exclusive", {"value": F(6, 5)}, "between 0 and 1"),
    ({"p": 0}, "p", "between_zero_and_one_exclusive", {"value": 0}, "between 0 and 1"),
    (
        {"p2": 0.2},
        "p2",
        "between_bound_and_one",
        {"value": F(1, 5), "bound": "p", "bound_value": F(3, 10)},
        "between p (0.3) and 1",
    ),
    ({"pi": 1}, "pi", "between_zero_and_one_exclusive", {"value": 1}, "between 0 and 1"),
    ({"beta": 0}, "beta", "greater_than_zero", {"value": 0}, "greater than 0"),
    ({"k": 0}, "k", "greater_than_zero", {"value": 0}, "greater than 0"),
    ({"c2": -0.1}, "c2", "greater_than_zero", {"value": F(-1, 10)}, "greater than 0"),
    (
        {"wN": 1.5},
        "wN",
        "zero_to_below_bound",
        {"value": F(3, 2), "bound": "wR", "bound_value": 1},
        "less than wR (1)",
    ),
    ({"r": -0.01}, "r", "zero_or_greater", {"value": F(-1, 100)}, "0 or greater"),
    ({"eta": 2}, "eta", "between_zero_and_one", {"value": 2}, "between 0 and 1"),
    (
        {"cCa": 0, "p2": 0.3, "cC": 0.2},
        "cCa",
        "entry_hurts_challenger",
        {"value": F(-1, 5)},
        "US entry must hurt the Challenger",
    ),
    ({"p2": 0.3, "c1a": 0.5}, "p2", "entry_helps_japan", {"value": F(-3, 20)}, "US entry must help Japan"),
    (
        {"module_a": True, "p2_arm": 0.6, "c1a": 0.5},
        "p2_arm",
        "entry_helps_japan_armed",
        {"value": 0},
        "with Japan armed",
    ),
    (
        {"module_a": True, "p_arm": 0.5, "p2_arm": 0.5, "cCa": 0.2},
        "cCa",
        "entry_hurts_challenger_armed",
        {"value": 0},
        "with Japan armed",
    ),
    (
        {"module_c": True, "cC_H": 0.5, "cCa_H": 0},
        "cCa_H",
        "entry_hurts_hesitant_challenger",
        {"value": F(-1, 20)},
        "hesitant Challenger",
    ),
    (
        {"module_c": True, "module_a": True, "cC_H": 0.7, "cCa_H": 0.3},
        "cCa_H",
        "entry_hurts_hesitant_challenger_armed",
        {"value": F(-1, 20)},
        "hesitant Challenger with Japan armed",
    ),
    (
        {"alliance_type": "alliance_of_doom"},
        "alliance_type",
        "not_a_choice",
        {"choices": tuple(t.value for t in AllianceType)},
        "must be one of defence_pact, entente",
    ),
    ({"tripwire": "yes"}, "tripwire", "not_a_boolean", {}, "true or false"),
    ({"c1": "lots"}, "c1", "not_a_number", {}, "a number such as 0.3"),
    ({"c1": float("inf")}, "c1", "not_finite", {}, "finite"),
    ({"surprise": 1}, "surprise", "unknown_parameter", {}, "unknown parameter"),
    ({"module_c": True, "q": 1}, "q", "between_zero_and_one_exclusive", {"value": 1}, "between 0 and 1"),
    (
        {"module_a": True, "p_arm": 0.9, "p2_arm": 0.8},
        "p2_arm",
        "between_bound_and_one",
        {"value": F(4, 5), "bound": "p_arm", "bound_value": F(9, 10)},
        "between p_arm (0.9) and 1",
    ),
    ({"arf": True, "phi0": 1}, "phi0", "zero_to_below_one", {"value": 1}, "less than 1"),
    (
        {"arf": True, "betaD": 0.2},
        "betaD",
        "between_zero_and_bound",
        {"value": F(1, 5), "bound": "beta", "bound_value": F(1, 10)},
        "between 0 and beta (0.1)",
    ),
    (
        {"arf": True, "phi0": 0.3, "dphi1": 0.5},
        "dphi1",
        "phi_total_below_one",
        {"value": 1},
        "phi0 + dphi1 + dphiC",
    ),
    ({"arf": True, "module_c": True}, "arf", "arf_with_module_c", {}, "Module C"),
]


@pytest.mark.parametrize(("values", "field", "code", "params", "fragment"), BROKEN)
def test_invalid_parameters_name_the_field_the_rule_and_its_numbers(values, field, code, params, fragment):
    errors = {e.field: e for e in field_errors(values)}
    assert field in errors, errors
    assert (errors[field].code, dict(errors[field].params)) == (code, params)
    assert fragment in errors[field].message


def test_every_error_code_is_raised_by_some_input_above():
    raised = {code for _, _, code, _, _ in BROKEN} | {"not_an_object"}
    assert raised == set(ERROR_MESSAGES)


def test_an_error_has_a_known_code_and_keeps_its_english_message():
    with pytest.raises(ValueError, match="unknown parameter error code"):
        FieldError("p", "too_big")
    error = FieldError(
        "p2", "between_bound_and_one", {"value": F(1, 3), "bound": "p", "bound_value": F(1, 2)}
    )
    assert error.message == "must be between p (0.5) and 1; got 0.333333"
    assert error.as_dict() == {"field": "p2", "code": "between_bound_and_one", "message": error.message}


def test_every_bad_field_is_reported_at_once():
    errors = errors_of(p=2, beta=0, k=-1)
    assert set(errors) >= {"p", "beta", "k"}


def test_parameters_must_be_an_object():
    with pytest.raises(InvalidParams) as caught:
        Params.from_mapping([1, 2])  # type: ignore[arg-type]
    assert (caught.value.errors[0].field, caught.value.errors[0].code) == ("params", "not_an_object")


def test_exact_round_trip_through_storage():
    P = Params(tripwire=True, alliance_type=AllianceType.ENTENTE, c1=F(1, 3))
    assert Params.from_mapping(P.as_dict(exact=True)) == P


def test_standard_assumptions_are_reported_not_enforced():
    from games.crisis.solver import solve

    P = Params.from_mapping({"wN": 0.9})  # g_N >= 0: S1 fails, yet the scenario is valid
    s = solve(P).main
    assert s.assumptions["S1"] is False and s.approximate is True


def test_tripwire_and_alliance_types_change_the_effective_core():
    assert Params(tripwire=True).core().K == F(1, 5)
    entente = Params(alliance_type=AllianceType.ENTENTE).core()
    assert (entente.K, entente.R, entente.K1) == (F(3, 80), F(1, 80), F(1, 80))
    offensive = Params(alliance_type=AllianceType.OFFENSIVE).core()
    assert (offensive.p, offensive.p2) == (F(1, 5), F(13, 20))
    nap = Params(alliance_type=AllianceType.NON_AGGRESSION).core()
    assert (nap.cC, nap.cCa) == (F(1, 4), F(17, 40))
    neutral = Params(alliance_type=AllianceType.NEUTRALITY).core()
    assert neutral.alliance_allowed is False and neutral.rN == F(3, 10)
    armed = Params(module_a=True).core(armed=True)
    assert (armed.p, armed.p2, armed.sigma, armed.japan_shift) == (F(9, 20), F(4, 5), F(1, 10), F(1, 10))


def test_parameters_pickled_into_another_process_still_find_their_cache_entries() -> None:
    """The hash is cached on the instance; a pickle must not carry it to a process whose strings hash
    differently (PYTHONHASHSEED), or a cache keyed by parameters would miss and dicts would misbehave."""
    import os
    import pickle
    import subprocess
    import sys
    from pathlib import Path

    params = Params(alliance_type=AllianceType.NEUTRALITY, module_a=True)
    hash(params)  # caches it here
    check = (
        "import pickle, sys\n"
        "from games.crisis.params import AllianceType, Params\n"
        "loaded = pickle.loads(sys.stdin.buffer.read())\n"
        "fresh = Params(alliance_type=AllianceType.NEUTRALITY, module_a=True)\n"
        "print(loaded == fresh and {fresh: 1}.get(loaded) == 1)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", check],
        input=pickle.dumps(params),
        capture_output=True,
        cwd=root,
        env={**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(root)},
        check=True,
    )
    assert done.stdout.decode().strip() == "True", done.stderr.decode()


def test_a_treaty_type_given_as_text_is_the_treaty_type():
    """A string equals its StrEnum member and hashes alike: without the conversion the solver's caches
    served one's benchmark for the other, and the engine's checks read "neutrality" as a defence pact."""
    from games.crisis.params import AllianceType
    from games.crisis.solver import round_benchmark

    as_text = Params(alliance_type="neutrality")
    assert as_text.alliance_type is AllianceType.NEUTRALITY and not as_text.core().alliance_allowed
    prior = as_text.pi
    assert round_benchmark(as_text, prior).main.belief(0) == prior
