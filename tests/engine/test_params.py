"""Parameters (§1): defaults, exact parsing at the boundary, validity constraints with clear errors."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from games.crisis.params import AllianceType, InvalidParams, Params, to_fraction


def errors_of(**values) -> dict[str, str]:
    with pytest.raises(InvalidParams) as caught:
        Params.from_mapping(values)
    return {e.field: e.message for e in caught.value.errors}


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
    with pytest.raises((TypeError, ValueError)):
        to_fraction(raw)


@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        ({"p": 1.2}, "p", "between 0 and 1"),
        ({"p": 0}, "p", "between 0 and 1"),
        ({"p2": 0.2}, "p2", "between p (0.3) and 1"),
        ({"pi": 1}, "pi", "between 0 and 1"),
        ({"beta": 0}, "beta", "greater than 0"),
        ({"k": 0}, "k", "greater than 0"),
        ({"c2": -0.1}, "c2", "greater than 0"),
        ({"wN": 1.5}, "wN", "less than wR (1)"),
        ({"r": -0.01}, "r", "0 or greater"),
        ({"cCa": 0, "p2": 0.3, "cC": 0.2}, "cCa", "US entry must hurt the Challenger"),
        ({"p2": 0.3, "c1a": 0.5}, "p2", "US entry must help Japan"),
        ({"alliance_type": "alliance_of_doom"}, "alliance_type", "must be one of"),
        ({"tripwire": "yes"}, "tripwire", "true or false"),
        ({"surprise": 1}, "surprise", "unknown parameter"),
        ({"module_c": True, "q": 1}, "q", "between 0 and 1"),
        ({"module_a": True, "p_arm": 0.9, "p2_arm": 0.8}, "p2_arm", "between p_arm (0.9) and 1"),
    ],
)
def test_invalid_parameters_name_the_field_and_the_valid_range(values, field, fragment):
    errors = errors_of(**values)
    assert field in errors
    assert fragment in errors[field]


def test_every_bad_field_is_reported_at_once():
    errors = errors_of(p=2, beta=0, k=-1)
    assert set(errors) >= {"p", "beta", "k"}


def test_parameters_must_be_an_object():
    with pytest.raises(InvalidParams) as caught:
        Params.from_mapping([1, 2])  # type: ignore[arg-type]
    assert caught.value.errors[0].field == "params"


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
