"""`round_benchmark`, the one cached benchmark that live play and the debrief both judge a round by, solves
the same game as `solve(params.with_round_prior(prior))` (it only skips re-checking valid parameters)."""

from __future__ import annotations

from fractions import Fraction as F

from hypothesis import given
from hypothesis import strategies as st

from games.crisis.solver import round_benchmark, solve
from tests.engine.test_module_d_properties import arf_scenarios
from tests.engine.test_properties import SETTINGS, grid, scenarios

PRIORS = st.one_of(grid(1, 19), st.just(F(755840909, 1000000000)))


def assert_same(params, prior) -> None:
    cached, direct = round_benchmark(params, prior), solve(params.with_round_prior(prior))
    assert cached.params == direct.params and cached.arm == direct.arm and cached.arf == direct.arf
    assert cached.solutions == direct.solutions


@SETTINGS
@given(scenarios(), PRIORS)
def test_the_cached_round_benchmark_is_the_solved_one(params, prior):
    assert_same(params, prior)


@SETTINGS
@given(arf_scenarios(), PRIORS)
def test_the_cached_round_benchmark_is_the_solved_one_with_module_d(params, prior):
    assert_same(params, prior)


def test_a_round_benchmark_is_computed_once_per_parameters_and_prior():
    from games.crisis.params import Params

    params = Params(tripwire=True)
    assert round_benchmark(params, F(3, 10)) is round_benchmark(params, F(3, 10))
