"""The scenario editor: one form field per parameter of crisis-model.md, with its meaning and valid range.

Instructors are not programmers, so every `Params` field gets its own input, grouped the way the model
is taught (the dispute, the military balance, the alliance, private information...), labelled in words,
and checked by the engine itself: `Params.from_mapping` decides what is valid, and each of its
`FieldError`s is attached to the field it names.  Numbers are exact: "0.35", "7/20" and the full-width
"０．３５" a Japanese keyboard may type all mean 7/20, and the scenario stores "7/20"
(`Params.as_dict(exact=True)`), never a float.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django import forms
from django.utils.functional import Promise, lazy
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from games.crisis.params import AllianceType, FieldError, InvalidParams, Params, to_fraction
from games.models import Scenario

BOOL, NUMBER, OPTIONAL_NUMBER, CHOICE = "bool", "number", "optional", "choice"


@dataclass(frozen=True)
class ParamSpec:
    """How one parameter is presented: words for its label and meaning, and its valid range.

    The range is written in the model's notation (language-neutral); the words are translated.
    """

    name: str
    label: Promise
    meaning: Promise
    valid: str
    kind: str = NUMBER
    symbol: str = ""


def spec(name: str, label: Promise, meaning: Promise, valid: str, kind: str = NUMBER, symbol: str = ""):
    return ParamSpec(name, label, meaning, valid, kind, symbol or name)


# Every field of `Params`, in the order of the fieldsets below (tests check that none is missing).
PARAMS: tuple[ParamSpec, ...] = (
    # The dispute
    spec(
        "sigma",
        _("Challenger's discontent with the status quo"),
        _(
            "Security-dilemma pressure: the Challenger's payoff when nothing happens is −σ. The higher it "
            "is, the more a challenge tempts the Challenger."
        ),
        "σ ≥ 0",
        symbol="σ",
    ),
    spec(
        "beta",
        _("Challenger's cost of backing down"),
        _("The audience cost the Challenger pays if it withdraws after Japan resists."),
        "β > 0",
        symbol="β",
    ),
    # Military balance and war costs
    spec(
        "p",
        _("Japan's chance of winning alone"),
        _("Probability that Japan wins a war it fights alone."),
        "0 < p < 1",
    ),
    spec(
        "p2",
        _("Japan's chance of winning with the US"),
        _("Probability that Japan's side wins when the US fights too."),
        "p ≤ p′ ≤ 1",
        symbol="p′",
    ),
    spec(
        "c1",
        _("Japan's war cost, fighting alone"),
        _("What a war costs Japan when it fights alone (the disputed good is worth 1)."),
        "c1 > 0",
    ),
    spec(
        "c1a",
        _("Japan's war cost with the US fighting"),
        _("Japan's war cost when the US fights beside it (the burden is shared)."),
        "c1′ ≥ 0",
        symbol="c1′",
    ),
    spec(
        "cC",
        _("Challenger's war cost against Japan alone"),
        _("What a war against Japan alone costs the Challenger."),
        "cC > 0",
    ),
    spec(
        "cCa",
        _("Challenger's war cost against the coalition"),
        _(
            "What a war against Japan and the US together costs the Challenger. US entry must hurt the "
            "Challenger: p′ + cC′ > p + cC."
        ),
        "cC′ ≥ 0 (≥ cC recommended)",
        symbol="cC′",
    ),
    spec("c2", _("US cost of fighting"), _("What intervening in the war costs the US."), "c2 > 0"),
    # The alliance and its costs
    spec(
        "k",
        _("US peacetime cost of the alliance"),
        _(
            "What the US pays up front to sign and keep the alliance (bases, exercises): sunk, whatever "
            "happens later."
        ),
        "k > 0",
    ),
    spec(
        "r",
        _("US cost of abandoning its ally"),
        _("The audience and reputation cost the US pays if it stays out of the war after allying."),
        "r ≥ 0",
    ),
    spec(
        "tripwire",
        _("Tripwire forces"),
        _(
            "The alliance stations US forces in Japan: abandoning Japan costs τ more, and the alliance "
            "costs the US kT and Japan k1T more."
        ),
        "",
        kind=BOOL,
    ),
    spec(
        "tau",
        _("Tripwire: extra cost of abandoning"),
        _("Added to r when tripwire forces are attacked."),
        "τ ≥ 0",
        symbol="τ",
    ),
    spec(
        "kT",
        _("Tripwire: extra US peacetime cost"),
        _("Added to k for stationing the tripwire forces."),
        "kT ≥ 0",
    ),
    spec(
        "k1",
        _("Japan's political cost of the alliance"),
        _("What hosting the alliance costs Japan (bases, protest)."),
        "k1 ≥ 0",
    ),
    spec(
        "k1T",
        _("Tripwire: Japan's extra cost"),
        _("Japan's extra cost of hosting tripwire bases."),
        "k1T ≥ 0",
    ),
    spec(
        "alliance_type",
        _("Alliance type"),
        _(
            'What the US\'s "alliance" stands for, or which other treaty is in force before the crisis '
            "begins."
        ),
        "",
        kind=CHOICE,
    ),
    spec(
        "lambda_E",
        _("Entente: cost factor"),
        _("With an entente (a consultation pact), the costs K, R and K1 are multiplied by this factor."),
        "λE ≥ 0",
        symbol="λE",
    ),
    spec(
        "delta_O",
        _("Offensive ally: shift in the balance"),
        _("With an offensive ally of the Challenger, p and p′ fall by this much (to no less than 0.01)."),
        "δO ≥ 0",
        symbol="δO",
    ),
    spec(
        "r_N",
        _("Neutrality pact: US cost of intervening"),
        _("With a US–Challenger neutrality pact the US cannot ally, and pays this if it intervenes."),
        "rN ≥ 0",
        symbol="rN",
    ),
    spec(
        "v_NA",
        _("Non-aggression pact: Challenger's extra war cost"),
        _(
            "With a Challenger–Japan non-aggression pact, attacking Japan costs the Challenger this much "
            "more."
        ),
        "vNA ≥ 0",
        symbol="vNA",
    ),
    # Private information and reputation
    spec(
        "wR",
        _("Resolute US: value of Japan's security"),
        _("How much a resolute US values Japan keeping the good."),
        "wR > wN",
    ),
    spec(
        "wN",
        _("Non-resolute US: value of Japan's security"),
        _("How much a non-resolute US values Japan keeping the good."),
        "0 ≤ wN < wR",
    ),
    spec(
        "pi",
        _("US reputation"),
        _(
            "The public probability that the US is resolute, before anything happens. Only the US player "
            "knows the truth."
        ),
        "0 < π < 1",
        symbol="π",
    ),
    spec(
        "eta",
        _("Chance of a new US administration"),
        _("Between rounds the US type is drawn again from the base reputation with this probability."),
        "0 ≤ η ≤ 1",
        symbol="η",
    ),
    spec(
        "pi0",
        _("Base reputation"),
        _("The reputation a new administration is drawn from. Leave it empty to use π."),
        "0 < π0 < 1",
        kind=OPTIONAL_NUMBER,
        symbol="π0",
    ),
    spec(
        "eps",
        _("Belief updating: error rate"),
        _("How often players are assumed to err when the reputation is updated between rounds."),
        "0 ≤ ε ≤ 1",
        symbol="ε",
    ),
    spec(
        "lam",
        _("Belief updating: how errors favour better moves"),
        _("The logit precision λ of those errors; 0 makes every error equally likely."),
        "λ ≥ 0",
        symbol="λ",
    ),
    # Module A
    spec(
        "module_a",
        _("Module A: Japan may arm"),
        _("Japan first decides, in public, whether to arm."),
        "",
        kind=BOOL,
    ),
    spec(
        "p_arm", _("Armed Japan's chance of winning alone"), _("Replaces p when Japan arms."), "0 < p_arm < 1"
    ),
    spec(
        "p2_arm",
        _("Armed Japan's chance of winning with the US"),
        _("Replaces p′ when Japan arms."),
        "p_arm ≤ p2_arm ≤ 1",
    ),
    spec(
        "arm_cost", _("Cost of arming"), _("Subtracted from every payoff of an armed Japan."), "arm_cost ≥ 0"
    ),
    spec(
        "sd_arm",
        _("Security dilemma of arming"),
        _("Added to σ when Japan arms: the Challenger finds the status quo harder to bear."),
        "sd_arm ≥ 0",
    ),
    # Module C
    spec(
        "module_c",
        _("Module C: the Challenger's cost type"),
        _(
            "The Challenger learns whether it is determined or hesitant only when it must decide whether "
            "to attack."
        ),
        "",
        kind=BOOL,
    ),
    spec(
        "q",
        _("Chance that the Challenger is determined"),
        _("A determined Challenger has the war costs cC and cC′ above."),
        "0 < q < 1",
    ),
    spec(
        "cC_H",
        _("Hesitant Challenger's war cost against Japan alone"),
        _("Used instead of cC when the Challenger is hesitant."),
        "cC_H > 0",
    ),
    spec(
        "cCa_H",
        _("Hesitant Challenger's war cost against the coalition"),
        _("Used instead of cC′ when the Challenger is hesitant."),
        "cCa_H ≥ 0",
    ),
    # Module D
    spec(
        "arf",
        _("Module D: the cooperative-security layer (ARF)"),
        _(
            "Before the crisis Japan and the Challenger may adopt confidence-building measures; once Japan "
            "resists, preventive diplomacy may defuse the stand-off without force."
        ),
        "",
        kind=BOOL,
    ),
    spec(
        "phi0",
        _("Preventive diplomacy: base success chance"),
        _(
            "Probability that preventive diplomacy defuses a stand-off, with an "
            "alliance behind it and no CBMs."
        ),
        "0 ≤ φ0 < 1",
        symbol="φ0",
    ),
    spec(
        "dphi1",
        _("Added by Japan's confidence-building measures"),
        _("How much Japan's CBMs raise that probability. φ0 + Δφ1 + ΔφC must stay below 1."),
        "Δφ1 ≥ 0",
        symbol="Δφ1",
    ),
    spec(
        "dphiC",
        _("Added by the Challenger's confidence-building measures"),
        _("How much the Challenger's CBMs raise it; 0 removes the Challenger's CBM decision."),
        "ΔφC ≥ 0",
        symbol="ΔφC",
    ),
    spec(
        "psi",
        _("Share of the ARF's effect kept without an alliance"),
        _(
            "The insurance factor: how much of its effectiveness preventive "
            "diplomacy keeps when no alliance backs it."
        ),
        "0 ≤ ψ ≤ 1",
        symbol="ψ",
    ),
    spec(
        "kappa1",
        _("Japan's cost of CBMs"),
        _("What confidence-building measures cost Japan."),
        "κ1 > 0",
        symbol="κ1",
    ),
    spec(
        "kappaC",
        _("Challenger's cost of CBMs"),
        _("What confidence-building measures cost the Challenger."),
        "κC > 0",
        symbol="κC",
    ),
    spec(
        "betaD",
        _("Challenger's face cost when diplomacy defuses its challenge"),
        _("What the Challenger loses when preventive diplomacy ends its challenge: no more than β."),
        "0 ≤ βD ≤ β",
        symbol="βD",
    ),
)
SPECS = {s.name: s for s in PARAMS}
PARAM_NAMES = tuple(s.name for s in PARAMS)

ALLIANCE_TYPE_CHOICES = [
    (AllianceType.DEFENCE_PACT.value, _("Defence pact (US–Japan)")),
    (AllianceType.ENTENTE.value, _("Entente: consultation only (US–Japan)")),
    (AllianceType.OFFENSIVE.value, _("The Challenger has an offensive ally")),
    (AllianceType.NON_AGGRESSION.value, _("Non-aggression pact (Challenger–Japan)")),
    (AllianceType.NEUTRALITY.value, _("Neutrality pact (US–Challenger): no alliance possible")),
]

# (title, description, fields, collapsed) in the order the editor shows them.
PARAM_FIELDSETS: tuple[tuple[Promise, Promise, tuple[str, ...], bool], ...] = (
    (
        _("The dispute"),
        _("Japan holds a good worth 1 that the Challenger wants. All payoffs are in units of that good."),
        ("sigma", "beta"),
        False,
    ),
    (
        _("Military balance and war costs"),
        _("Who wins a war, and what it costs each side, with and without the US."),
        ("p", "p2", "c1", "c1a", "cC", "cCa", "c2"),
        False,
    ),
    (
        _("The alliance and its costs"),
        _("What the US pays to ally, what breaking the alliance costs it, and what kind of treaty it is."),
        (
            "k",
            "r",
            "tripwire",
            "tau",
            "kT",
            "k1",
            "k1T",
            "alliance_type",
            "lambda_E",
            "delta_O",
            "r_N",
            "v_NA",
        ),
        False,
    ),
    (
        _("Private information and reputation"),
        _(
            "Only the US player knows whether the US is resolute. Reputation "
            "carries over from round to round."
        ),
        ("wR", "wN", "pi", "eta", "pi0", "eps", "lam"),
        False,
    ),
    (
        _("Module A: Japan's armament"),
        _("Optional: Japan may arm before the US decides on the alliance."),
        ("module_a", "p_arm", "p2_arm", "arm_cost", "sd_arm"),
        True,
    ),
    (
        _("Module C: the Challenger's type"),
        _("Optional: the Challenger may turn out to be hesitant once forces are mobilised."),
        ("module_c", "q", "cC_H", "cCa_H"),
        True,
    ),
    (
        _("Module D: the cooperative-security layer (ARF)"),
        _(
            "Optional: confidence-building measures and preventive diplomacy (the ASEAN Regional Forum) "
            "beneath the alliance. It cannot be combined with Module C."
        ),
        ("arf", "phi0", "dphi1", "dphiC", "psi", "kappa1", "kappaC", "betaD"),
        True,
    ),
)


# --------------------------------------------------------------------------------------------------
# Exact numbers in and out
# --------------------------------------------------------------------------------------------------


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
        except (TypeError, ValueError, ZeroDivisionError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


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
    except (TypeError, ValueError, ZeroDivisionError):
        return str(value)


# --------------------------------------------------------------------------------------------------
# The engine's messages, in the instructor's language
# --------------------------------------------------------------------------------------------------

_MUST_BE = re.compile(r"^must be (?P<rule>.+); got (?P<value>\S+)$")
_RULES = {
    "at least 0 and less than 1": _("at least 0 and less than 1"),
    "between 0 and 1 (exclusive)": _("between 0 and 1 (exclusive)"),
    "between 0 and 1": _("between 0 and 1"),
    "greater than 0": _("greater than 0"),
    "0 or greater": _("0 or greater"),
}
_RULES_WITH_VALUE = (
    (re.compile(r"^between p \((?P<x>\S+)\) and 1$"), _("between p (%(value)s) and 1")),
    (re.compile(r"^between p_arm \((?P<x>\S+)\) and 1$"), _("between p_arm (%(value)s) and 1")),
    (re.compile(r"^between 0 and beta \((?P<x>\S+)\)$"), _("between 0 and beta (%(value)s)")),
    (
        re.compile(r"^at least 0 and less than wR \((?P<x>\S+)\)$"),
        _("at least 0 and less than wR (%(value)s)"),
    ),
)
_ENTRY = re.compile(
    r"^US entry must (?P<what>hurt the Challenger|help Japan|hurt the hesitant Challenger)"
    r"(?P<armed> with Japan armed)?: need (?P<rest>.*)$"
)
_ENTRY_MESSAGES = {
    ("hurt the Challenger", False): _("US entry must hurt the Challenger: need %(condition)s"),
    ("hurt the Challenger", True): _(
        "US entry must hurt the Challenger with Japan armed: need %(condition)s"
    ),
    ("help Japan", False): _("US entry must help Japan: need %(condition)s"),
    ("help Japan", True): _("US entry must help Japan with Japan armed: need %(condition)s"),
    ("hurt the hesitant Challenger", False): _(
        "US entry must hurt the hesitant Challenger: need %(condition)s"
    ),
    ("hurt the hesitant Challenger", True): _(
        "US entry must hurt the hesitant Challenger with Japan armed: need %(condition)s"
    ),
}


_WHOLE = (
    (
        re.compile(
            r"^phi0 \+ dphi1 \+ dphiC \(the ARF's success probability with both sides' CBMs\) must be less "
            r"than 1; got (?P<value>\S+)$"
        ),
        _(
            "phi0 + dphi1 + dphiC (the ARF's success probability with both sides' CBMs) must be less than 1; "
            "got %(value)s"
        ),
    ),
    (
        re.compile(r"^Module D \(the ARF\) cannot be combined with Module C .*$"),
        _(
            "Module D (the ARF) cannot be combined with Module C (the Challenger's cost type): that "
            "combination is not solved; switch one of them off"
        ),
    ),
)


def localise(error: FieldError) -> str:
    """The engine's message for a bad field, translated when we know its shape (verbatim otherwise).

    In English the result is exactly the engine's text."""
    message = error.message
    match = _MUST_BE.match(message)
    if match:
        rule = _rule(match["rule"])
        if rule is not None:
            return gettext("must be %(rule)s; got %(value)s") % {"rule": rule, "value": match["value"]}
    match = _ENTRY.match(message)
    if match:
        template = _ENTRY_MESSAGES[(match["what"], bool(match["armed"]))]
        return str(template) % {"condition": match["rest"]}
    for pattern, template in _WHOLE:
        match = pattern.match(message)
        if match:
            return str(template) % match.groupdict() if match.groupdict() else str(template)
    return message


def _rule(text: str) -> str | None:
    if text in _RULES:
        return str(_RULES[text])
    for pattern, template in _RULES_WITH_VALUE:
        match = pattern.match(text)
        if match:
            return str(template) % {"value": match["x"]}
    return None


# --------------------------------------------------------------------------------------------------
# Forms
# --------------------------------------------------------------------------------------------------


class ParamsFormMixin:
    """Builds `Params` from the parameter fields and attaches the engine's errors to them."""

    params: Params | None = None

    def clean_parameters(self) -> Params | None:
        data = self.cleaned_data  # type: ignore[attr-defined]
        # Fields that could not even be read already say why; the engine checks the others (with the
        # defaults standing in for the unreadable ones), so that every problem shows at once.
        unread = {name for name in PARAM_NAMES if name in self.errors}  # type: ignore[attr-defined]
        mapping = {name: data.get(name) for name in PARAM_NAMES if name not in unread}
        try:
            params = Params.from_mapping(mapping)
        except InvalidParams as exc:
            for error in exc.errors:
                if error.field not in unread:
                    field = error.field if error.field in PARAM_NAMES else None
                    self.add_error(field, localise(error))  # type: ignore[attr-defined]
            return None
        self.params = None if unread else params
        return self.params


class _ParamsFormBase(ParamsFormMixin, forms.Form):
    """Only the parameters: what `/instructor/predict/` reads from the editor's form."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.clean_parameters()
        return cleaned


ParamsForm = type("ParamsForm", (_ParamsFormBase,), param_form_fields())


class _ScenarioFormBase(ParamsFormMixin, forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ("slug", "name_en", "name_ja", "teaching_note_en", "teaching_note_ja", "decision_seconds")
        help_texts = {
            "slug": _("A short name for links and commands, e.g. tripwire (letters, digits, hyphens)."),
            "teaching_note_en": _("What the scenario shows and what theory predicts, for instructors."),
            "teaching_note_ja": _("The same note in Japanese."),
            "decision_seconds": _(
                "Time each student has for a decision. When it runs out, the server plays the move "
                "theory predicts for that player (drawing at random when theory mixes) and marks it as "
                "a timeout. A class can override this."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, value in initial_values(self.instance.params).items():
            self.initial.setdefault(name, value)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        params = self.clean_parameters()
        # Invalid parameters leave the defaults on the (unsaved) instance, so that the model's own check
        # does not repeat the errors already attached to the parameter fields.
        self.instance.params = params.as_dict(exact=True) if params is not None else {}
        return cleaned


ScenarioForm = type("ScenarioForm", (_ScenarioFormBase,), {**param_form_fields(), "__module__": __name__})


def params_from_data(data: Any) -> tuple[Params | None, forms.Form]:
    """Validate posted editor data: (Params, form) when valid, (None, form with errors) otherwise."""
    form = ParamsForm(data)
    if form.is_valid() and form.params is not None:
        return form.params, form
    return None, form


def changed_parameters(params: Params) -> list[str]:
    """Names of the parameters that differ from the spec's defaults (for summaries)."""
    default = Params()
    return [f.name for f in dataclasses.fields(Params) if getattr(params, f.name) != getattr(default, f.name)]
