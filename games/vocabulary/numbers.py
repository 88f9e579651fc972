"""How numbers are written: for people (the pages, the charts, the scenario preview, the templates through
`games.templatetags.debrief_format`) and for machines (the exports' cells, the charts' data attributes).

For people a missing value is a dash (–) and a negative one takes a real minus sign (−); for machines a
missing value is empty and the text is plain ASCII that parses back. Framework-free: the exports use it.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

DASH = "–"
MINUS = "−"


def missing(value: Any) -> bool:
    """No value: None, or the empty string a template passes for a missing variable."""
    return value is None or value == ""


def with_minus(text: str) -> str:
    """A number's text with a real minus sign; a zero rounded from below has none ("-0.00" -> "0.00")."""
    if text.startswith("-") and float(text) == 0:
        return text[1:]
    return text.replace("-", MINUS)


# --------------------------------------------------------------------------------------------------
# For people
# --------------------------------------------------------------------------------------------------


def decimal(value: Fraction | float | int | None) -> str:
    """An exact number as the course writes it: 1 -> "1", 0.8 -> "0.80", 15/26 -> "0.577", -2/9 -> "−0.222"
    (whole numbers as they are, hundredths with two decimals, anything else with three)."""
    if missing(value):
        return DASH
    x = Fraction(str(value)) if isinstance(value, float) else Fraction(value)  # a float as it reads
    if x.denominator == 1:
        text = str(x.numerator)
    elif (x * 100).denominator == 1:
        text = f"{float(x):.2f}"
    else:
        text = f"{float(x):.3f}"
    return with_minus(text)


def probability(value: Any, digits: int = 3) -> str:
    """A probability or a belief, trailing zeros dropped: 0.5769 -> "0.577", 0.5 -> "0.5"."""
    if missing(value):
        return DASH
    return f"{float(value):.{int(digits)}f}".rstrip("0").rstrip(".") or "0"


def tree_probability(value: float | None) -> str:
    """A probability on a game-tree edge, as short as it gets: 1, 0, .577 (empty if there is none)."""
    if value is None:
        return ""
    if value in (0, 1):
        return f"{value:.0f}"
    return f"{value:.3f}".rstrip("0").lstrip("0") or "0"


def rounded(value: Any, digits: int) -> str:
    """A number to a fixed number of decimals, as a chart's tick shows it: -0.25 -> "−0.25"."""
    return DASH if missing(value) else with_minus(f"{float(value):.{int(digits)}f}")


def percent_figure(value: Any, digits: int = 0) -> str:
    """A share as a number of percent, without the sign: 0.577 -> "58"."""
    if missing(value):
        return DASH
    return f"{float(value) * 100:.{int(digits)}f}"


def percent(value: Any, digits: int = 0) -> str:
    """A share in percent: 0.577 -> "58 %"."""
    return DASH if missing(value) else f"{percent_figure(value, digits)} %"


def signed_percent(value: Any) -> str:
    """A relative change: -0.28 -> "−28 %", 0.47 -> "+47 %", 0 -> "±0 %"."""
    if missing(value):
        return DASH
    number = float(value) * 100
    sign = "+" if number > 0 else MINUS if number < 0 else "±"
    return f"{sign}{abs(number):.0f} %"


def points(value: Any) -> str:
    """A number already in points, to one decimal at most: 40.0 -> "40", -12.5 -> "−12.5"."""
    if missing(value):
        return DASH
    return with_minus(f"{float(value):.1f}".removesuffix(".0"))


def as_points(value: Any) -> str:
    """A payoff in units of the good, as points (x 100): 0.4 -> "40", -0.125 -> "−12.5"."""
    return DASH if missing(value) else points(float(value) * 100)


def short(value: Any) -> str:
    """A parameter quoted in a sentence, as few digits as it needs: 0.30 -> "0.3", 2 -> "2"."""
    return DASH if missing(value) else with_minus(f"{float(value):g}")


# --------------------------------------------------------------------------------------------------
# For machines
# --------------------------------------------------------------------------------------------------


def exact_float(value: Any) -> str:
    """A cell of an export: the float's shortest text that reads back to it exactly; empty if none."""
    return "" if value is None else repr(float(value))


def significant(value: Any) -> str | None:
    """A data attribute of a chart: six significant digits (None, so that the attribute is left out)."""
    return None if value is None else f"{float(value):.6g}"


def fixed(value: Any, digits: int) -> str:
    """A cell of an export with a fixed number of decimals: 12.5 -> "12.50"; empty if there is none."""
    return "" if value is None else f"{float(value):.{int(digits)}f}"
