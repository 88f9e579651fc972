"""Number formats of the debrief pages: shares as percentages, payoffs as points (x100), probabilities."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()

DASH = "–"


@register.filter
def pct(value: Any, digits: int = 0) -> str:
    """0.577 -> "58 %" (None -> "–")."""
    if value is None or value == "":
        return DASH
    return f"{float(value) * 100:.{int(digits)}f} %"


@register.filter
def signed_pct(value: Any) -> str:
    """A relative change: -0.28 -> "−28 %", 0.47 -> "+47 %"."""
    if value is None or value == "":
        return DASH
    number = float(value) * 100
    return f"{'+' if number > 0 else '−' if number < 0 else '±'}{abs(number):.0f} %"


@register.filter
def as_points(value: Any) -> str:
    """A payoff in units of the good as points: 0.4 -> "40", -0.125 -> "−12.5"."""
    if value is None or value == "":
        return DASH
    return points(float(value) * 100)


@register.filter
def points(value: Any) -> str:
    """A number already in points: 40.0 -> "40", -12.5 -> "−12.5"."""
    if value is None or value == "":
        return DASH
    text = f"{float(value):.1f}".removesuffix(".0")
    return "0" if text == "-0" else text.replace("-", "−")


@register.filter
def num(value: Any, digits: int = 3) -> str:
    """A probability or belief: 0.5769 -> "0.577"."""
    if value is None or value == "":
        return DASH
    return f"{float(value):.{int(digits)}f}".rstrip("0").rstrip(".") or "0"


@register.filter
def get(mapping: Mapping[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)
