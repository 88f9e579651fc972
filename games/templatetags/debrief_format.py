"""Number filters of the debrief pages (`{% load debrief_format %}`): shares as percentages, payoffs as
points, probabilities. Each is the one writer of that form in `games.vocabulary.numbers`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from games.vocabulary import numbers

register = template.Library()


@register.filter
def pct(value: Any, digits: int = 0) -> str:
    """0.577 -> "58 %" (None -> "–")."""
    return numbers.percent(value, digits)


@register.filter
def signed_pct(value: Any) -> str:
    """A relative change: -0.28 -> "−28 %", 0.47 -> "+47 %"."""
    return numbers.signed_percent(value)


@register.filter
def as_points(value: Any) -> str:
    """A payoff in units of the good as points: 0.4 -> "40", -0.125 -> "−12.5"."""
    return numbers.as_points(value)


@register.filter
def points(value: Any) -> str:
    """A number already in points: 40.0 -> "40", -12.5 -> "−12.5"."""
    return numbers.points(value)


@register.filter
def num(value: Any, digits: int = 3) -> str:
    """A probability or belief: 0.5769 -> "0.577"."""
    return numbers.probability(value, digits)


@register.filter
def get(mapping: Mapping[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)
