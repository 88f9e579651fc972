"""Exact numbers in and out of the scenario editor.

Scenarios store exact values ("7/20", `Params.as_dict(exact=True)`), never floats.  An instructor may
type "0.35", "7/20" or the full-width "０．３５" a Japanese keyboard produces, and sees a stored value the
way they would have typed it: a decimal when it has one, a fraction otherwise.
"""

from __future__ import annotations

import unicodedata
from fractions import Fraction
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from games.crisis.params import UnreadableValue, to_fraction


def display_number(value: Any) -> str:
    """A stored exact value as an instructor would type it: 7/20 -> "0.35", 1/3 stays "1/3"."""
    if value is None or value == "":
        return ""
    x = to_fraction(value)
    den = x.denominator
    twos = fives = 0
    while den % 2 == 0:
        den, twos = den // 2, twos + 1
    while den % 5 == 0:
        den, fives = den // 5, fives + 1
    if den != 1:
        return f"{x.numerator}/{x.denominator}"
    places = max(twos, fives)
    if places == 0:
        return str(x.numerator)
    digits = str(abs(x.numerator) * 10**places // x.denominator).rjust(places + 1, "0")
    return f"{'-' if x < 0 else ''}{digits[:-places]}.{digits[-places:]}"


def parse_number(raw: str) -> Fraction:
    """What an instructor typed, as an exact Fraction: decimals, "n/d", full-width digits, spaces."""
    text = unicodedata.normalize("NFKC", raw).strip().replace("−", "-").replace(" ", "")
    return to_fraction(text)


class ExactNumberField(forms.CharField):
    """A text input for an exact number: "0.35", "7/20" and "３/２０" are all 7/20."""

    default_error_messages = {"invalid": _("Enter a number such as 0.35 or 7/20.")}

    def __init__(self, **kwargs: Any):
        # No max_length: its validator would run on the Fraction; `to_fraction` refuses over 64 characters.
        attrs = {
            "inputmode": "decimal",
            "autocomplete": "off",
            "spellcheck": "false",
            "size": 8,
            "maxlength": 64,
        }
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Fraction | int) and not isinstance(value, bool):
            return display_number(value)
        return value

    def to_python(self, value: Any) -> Fraction | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_number(text)
        except UnreadableValue:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
