"""One form field per parameter of the catalogue: its label, its help text (meaning, valid range and
default) and its initial value from a stored scenario."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise, lazy
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from games.crisis.params import InvalidParams, Params, UnreadableValue
from games.instructor.scenario_form.exact_numbers import ExactNumberField, display_number
from games.instructor.scenario_form.specs import (
    ALLIANCE_TYPE_CHOICES,
    BOOL,
    CHOICE,
    OPTIONAL_NUMBER,
    PARAMS,
    ParamSpec,
)


def _escaped(text: Any) -> SafeString:
    return conditional_escape(str(text))


# The admin renders help texts unescaped (`|safe`), and ours contain "<" and ">": escape them, lazily, so
# that they are still translated when shown.
escaped_lazy = lazy(_escaped, SafeString)


def _help(s: ParamSpec) -> Promise:
    return escaped_lazy(_help_text(s))


def _help_text(s: ParamSpec) -> Promise:
    default = getattr(Params(), s.name)
    if s.kind == BOOL:
        return format_lazy("{} ({}: {})", s.meaning, _("Default"), _("on") if default else _("off"))
    if s.kind == CHOICE:
        return s.meaning
    shown = display_number(default) if default is not None else _("empty")
    return format_lazy("{} {}: {} · {}: {}", s.meaning, _("Valid"), s.valid, _("Default"), shown)


def make_param_field(s: ParamSpec) -> forms.Field:
    label = format_lazy("{} ({})", s.label, s.symbol)
    if s.kind == BOOL:
        return forms.BooleanField(label=label, required=False, help_text=_help(s))
    if s.kind == CHOICE:
        return forms.ChoiceField(label=label, choices=ALLIANCE_TYPE_CHOICES, help_text=_help(s))
    return ExactNumberField(label=label, required=s.kind != OPTIONAL_NUMBER, help_text=_help(s))


def param_form_fields() -> dict[str, forms.Field]:
    return {s.name: make_param_field(s) for s in PARAMS}


def initial_values(params: Any) -> dict[str, Any]:
    """Form initial values from stored parameters (missing ones take the defaults)."""
    stored = params if isinstance(params, dict) else {}
    try:
        values = Params.from_mapping(stored)
    except InvalidParams:  # a broken stored scenario: show what was stored; the engine will say what is wrong
        values = None
    defaults = Params()
    out: dict[str, Any] = {}
    for s in PARAMS:
        value = (
            getattr(values, s.name) if values is not None else stored.get(s.name, getattr(defaults, s.name))
        )
        if s.kind == BOOL:
            out[s.name] = bool(value)
        elif s.kind == CHOICE:
            out[s.name] = getattr(value, "value", value)
        else:
            out[s.name] = _display_or_raw(value)
    return out


def _display_or_raw(value: Any) -> str:
    try:
        return display_number(value)
    except UnreadableValue:
        return str(value)
