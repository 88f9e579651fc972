"""The engine's parameter errors in the reader's language: one message per error code.

`games.crisis.params` names a broken rule by a code and hands over the numbers and parameter names the
sentence needs (`FieldError.code`, `FieldError.params`), as Django's `ValidationError(code=, params=)`
does; its own English sentence is for the command line.  Pages word the code here.  How numbers and
parameter names are written is the page's choice, so `message` takes both formatters: the scenario
editor shows 7/20 as "0.35" and beta as "β", as its fields do.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from games.crisis.params import ErrorParam, FieldError

# Every code of `games.crisis.params.ERROR_MESSAGES` (tests/test_param_errors.py checks that none is
# missing and that the placeholders match).  Formulas use the editor's symbols (p′ for p2, cC′ for cCa).
MESSAGES: dict[str, Promise] = {
    # Reading the input
    "not_an_object": _("must be an object of parameter names to values"),
    "unknown_parameter": _("unknown parameter"),
    "not_a_boolean": _("must be true or false"),
    "not_a_choice": _("must be one of %(choices)s"),
    "not_a_number": _("must be a number such as 0.3 or 3/10"),
    "not_finite": _("must be a finite number"),
    # Ranges
    "greater_than_zero": _("must be greater than 0; got %(value)s"),
    "zero_or_greater": _("must be 0 or greater; got %(value)s"),
    "between_zero_and_one": _("must be between 0 and 1; got %(value)s"),
    "between_zero_and_one_exclusive": _("must be between 0 and 1 (exclusive); got %(value)s"),
    "zero_to_below_one": _("must be at least 0 and less than 1; got %(value)s"),
    "between_bound_and_one": _("must be between %(bound)s (%(bound_value)s) and 1; got %(value)s"),
    "zero_to_below_bound": _("must be at least 0 and less than %(bound)s (%(bound_value)s); got %(value)s"),
    "between_zero_and_bound": _("must be between 0 and %(bound)s (%(bound_value)s); got %(value)s"),
    # Module D
    "phi_total_below_one": _(
        "φ0 + Δφ1 + ΔφC (the ARF's success probability with both sides' CBMs) must be less than 1; "
        "got %(value)s"
    ),
    "arf_with_module_c": _(
        "Module D (the ARF) cannot be combined with Module C (the Challenger's cost type): the model is "
        "not solved for both at once; switch one of them off"
    ),
    # US entry must hurt the Challenger and help Japan
    "entry_hurts_challenger": _(
        "US entry must hurt the Challenger: need (p′ + cC′) − (p + cC) > 0; got %(value)s"
    ),
    "entry_hurts_challenger_armed": _(
        "US entry must hurt the Challenger with Japan armed: with armed Japan's chances as p and p′, need "
        "(p′ + cC′) − (p + cC) > 0; got %(value)s"
    ),
    "entry_helps_japan": _("US entry must help Japan: need (p′ − c1′) − (p − c1) > 0; got %(value)s"),
    "entry_helps_japan_armed": _(
        "US entry must help Japan with Japan armed: with armed Japan's chances as p and p′, need "
        "(p′ − c1′) − (p − c1) > 0; got %(value)s"
    ),
    "entry_hurts_hesitant_challenger": _(
        "US entry must hurt the hesitant Challenger: need (p′ + cCa_H) − (p + cC_H) > 0; got %(value)s"
    ),
    "entry_hurts_hesitant_challenger_armed": _(
        "US entry must hurt the hesitant Challenger with Japan armed: with armed Japan's chances as p and "
        "p′, need (p′ + cCa_H) − (p + cC_H) > 0; got %(value)s"
    ),
}


def message(error: FieldError, number: Callable[[Fraction], str], name: Callable[[str], str]) -> str:
    """The error in the active language, its numbers and parameter names written by the caller's
    formatters."""
    values = {key: _shown(value, number, name) for key, value in error.params.items()}
    return str(MESSAGES[error.code]) % values


def _shown(value: ErrorParam, number: Callable[[Fraction], str], name: Callable[[str], str]) -> str:
    if isinstance(value, str):
        return name(value)
    if isinstance(value, tuple):
        return ", ".join(value)
    return number(value)
