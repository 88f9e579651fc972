"""Opening a class: the instructor's form, and the service call that turns it into a class."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from games.crisis.bots import STRATEGIES
from games.crisis.params import InvalidParams
from games.instructor.scenario_form.forms import localise
from games.models import ClassSession, Scenario
from games.play import services
from games.vocabulary import join_code

BOT_STRATEGY_LABELS = {
    "equilibrium": gettext_lazy("Play what theory predicts"),
    "hawkish": gettext_lazy("Hawkish: always escalate"),
    "dovish": gettext_lazy("Dovish: always back down"),
    "random": gettext_lazy("Random"),
}


def code_rule() -> dict[str, str]:
    """The join-code rule in words ("4 to 12 letters and digits"), for the sentences that state it."""
    limits = {"min": join_code.MIN_LENGTH, "max": join_code.MAX_LENGTH}
    return {"rule": _("%(min)s to %(max)s letters and digits") % limits}


MAX_SWITCHES = 3  # switches of scenario an instructor can plan in the form (the command takes any number)


class NewClassForm(forms.Form):
    """What an instructor chooses when opening a class (the services apply the defaults and checks)."""

    scenario = forms.ModelChoiceField(Scenario.objects.all(), label=gettext_lazy("Scenario"))
    rounds = forms.IntegerField(label=gettext_lazy("Rounds"), min_value=1, max_value=50, initial=3)
    matching = forms.ChoiceField(
        label=gettext_lazy("Groups and roles"),
        choices=ClassSession.Matching.choices,
        initial=ClassSession.Matching.FIXED_ROTATING,
        help_text=gettext_lazy("Fixed groups let every student play every role in three rounds."),
    )
    decision_seconds = forms.IntegerField(
        label=gettext_lazy("Seconds per decision"),
        min_value=1,
        max_value=3600,
        required=False,
        help_text=gettext_lazy(
            "Leave empty to use the scenario's. When time runs out the server plays the move theory predicts."
        ),
    )
    bots_fill = forms.BooleanField(
        label=gettext_lazy("Bots fill empty seats"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Without bots, students left over wait for the next round."),
    )
    bot_strategy = forms.ChoiceField(
        label=gettext_lazy("How bots play"),
        choices=[(s, BOT_STRATEGY_LABELS[s]) for s in STRATEGIES],
        initial="equilibrium",
    )
    autostart = forms.IntegerField(
        label=gettext_lazy("Start by itself with this many students"),
        min_value=1,
        required=False,
        help_text=gettext_lazy(
            "Leave empty to start it yourself. A class that starts by itself also moves from round to "
            "round by itself, unless its pace is “Wait for me”."
        ),
    )
    max_students = forms.IntegerField(
        label=gettext_lazy("Maximum number of students"), min_value=1, max_value=5000, initial=300
    )
    pace = forms.ChoiceField(
        label=gettext_lazy("Pace"),
        choices=[
            (ClassSession.Pace.AUTOMATIC, gettext_lazy("Automatic: the next round starts by itself")),
            (ClassSession.Pace.INSTRUCTOR, gettext_lazy("Wait for me: I start each next round")),
        ],
        initial=ClassSession.Pace.AUTOMATIC,
        required=False,  # a form posted without it (a script) gets the automatic pace
        help_text=gettext_lazy(
            "Automatic: the next round starts by itself once each result has been shown for the seconds "
            "below, whether you started the class or it started by itself. Wait for me: the result stays "
            "up until you press “Next round” on the dashboard, so the class can discuss it."
        ),
    )
    result_seconds = forms.IntegerField(
        label=gettext_lazy("Seconds each result is shown"),
        min_value=0,
        max_value=600,
        initial=10,
        help_text=gettext_lazy(
            "With the automatic pace, before the next round starts; “+30 s” on the dashboard gives a "
            "result more time."
        ),
    )
    show_benchmark_belief = forms.BooleanField(
        label=gettext_lazy("Show students the benchmark belief"),
        required=False,
        help_text=gettext_lazy(
            "After the alliance decision, students see the belief theory predicts. Off by "
            "default, so that students infer it themselves."
        ),
    )
    code = forms.CharField(
        label=gettext_lazy("Join code"),
        max_length=join_code.TYPED_MAX_LENGTH,
        required=False,
        help_text=lazy(lambda: _("Leave empty for a random code (%(rule)s otherwise).") % code_rule(), str)(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = scenario_choices(self.fields["scenario"])
        for n in range(1, MAX_SWITCHES + 1):  # "from round N play scenario X" (ClassStage), optional
            self.fields[f"then_{n}_round"] = forms.IntegerField(
                label=gettext_lazy("From round"), min_value=2, max_value=50, required=False
            )
            self.fields[f"then_{n}_scenario"] = forms.ModelChoiceField(
                Scenario.objects.all(), label=gettext_lazy("play the scenario"), required=False
            )
            self.fields[f"then_{n}_scenario"].choices = scenario_choices(self.fields[f"then_{n}_scenario"])
            self.fields[f"then_{n}_fresh"] = forms.BooleanField(
                label=gettext_lazy("Reputation starts afresh"), required=False, initial=True
            )

    @property
    def switch_field_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith("then_")]

    @property
    def switches(self) -> list[dict[str, Any]]:
        """The switch rows' bound fields, for the template: one row per possible switch."""
        return [
            {part: self[f"then_{n}_{part}"] for part in ("round", "scenario", "fresh")} | {"number": n}
            for n in range(1, MAX_SWITCHES + 1)
        ]

    def clean(self) -> dict[str, Any]:
        """The switches filled in become `stages` (services.StageSpec), checked as the service checks them;
        each problem is shown at its switch."""
        cleaned = super().clean()
        specs, rows = [], []
        for n in range(1, MAX_SWITCHES + 1):
            number, scenario = cleaned.pop(f"then_{n}_round", None), cleaned.pop(f"then_{n}_scenario", None)
            fresh = cleaned.pop(f"then_{n}_fresh", False)
            if number is None and scenario is None:
                continue
            if number is None or scenario is None:
                missing = f"then_{n}_round" if number is None else f"then_{n}_scenario"
                self.add_error(missing, _("Give both the round and the scenario of this switch."))
                continue
            specs.append(services.StageSpec(scenario, number, fresh_reputation=fresh))
            rows.append(n)
        problems = services.stage_errors(cleaned.get("rounds") or 50, specs)
        for n, errors in zip(rows, problems, strict=True):
            for error in errors:
                self.add_error(
                    f"then_{n}_scenario" if error.code == "stage_params" else f"then_{n}_round", error
                )
        cleaned["stages"] = specs
        return cleaned

    def clean_pace(self) -> str:
        return self.cleaned_data.get("pace") or ClassSession.Pace.AUTOMATIC

    def clean_code(self) -> str:
        """The code as typed, normalised; it must follow the join-code rule and be free."""
        code = join_code.normalise(self.cleaned_data.get("code") or "")
        if code and not join_code.is_valid(code):
            raise ValidationError(_("A join code is %(rule)s.") % code_rule())
        if code and ClassSession.objects.filter(code=code).exists():
            raise ValidationError(_("A class with this code already exists."))
        return code


def scenario_choices(field: forms.ModelChoiceField) -> list[tuple[Any, Any]]:
    """The field's scenarios with the historical cases apart, as an option group of their own."""
    scenarios = list(field.queryset)
    groups = [
        (label, [(s.pk, field.label_from_instance(s)) for s in scenarios if s.kind == kind])
        for kind, label in (
            (Scenario.Kind.TEACHING, gettext_lazy("Teaching scenarios")),
            (Scenario.Kind.HISTORICAL, gettext_lazy("Historical cases")),
        )
    ]
    groups = [(label, options) for label, options in groups if options]
    blank = [("", field.empty_label)] if field.empty_label is not None else []
    if len(groups) < 2:  # one kind only: no groups
        return blank + [option for _label, options in groups for option in options]
    return blank + groups


def create_from_form(form: NewClassForm, user: Any) -> ClassSession | None:
    """Open the class through the service; its refusals become form errors."""
    data = dict(form.cleaned_data)
    scenario = data.pop("scenario")
    options = {k: v for k, v in data.items() if v is not None and k not in ("rounds", "code", "autostart")}
    try:
        return services.create_class(
            scenario,
            rounds=data["rounds"],
            code=data["code"] or None,
            autostart=data["autostart"],
            created_by=user,
            **options,
        )
    except InvalidParams as exc:
        for error in exc.errors:
            form.add_error("scenario", f"{error.field}: {localise(error)}")
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    return None


# The settings a class opened "like this one" copies (the join code is new, the scenario the same).
COPIED_SETTINGS = (
    "rounds",
    "matching",
    "decision_seconds",
    "bots_fill",
    "bot_strategy",
    "autostart",
    "max_students",
    "pace",
    "result_seconds",
    "show_benchmark_belief",
)


def initial_values(scenario: str, like: str) -> dict[str, Any]:
    """The form's first values: those of the class `like` names (its code), else the scenario `scenario`
    names with the defaults."""
    model = ClassSession.objects.select_related("scenario").filter(code=join_code.normalise(like)).first()
    if like and model is not None:
        return {
            "scenario": model.scenario,
            **{name: getattr(model, name) for name in COPIED_SETTINGS},
            **stage_values(model),
        }
    return {"scenario": initial_scenario(scenario)}


def stage_values(model: ClassSession) -> dict[str, Any]:
    """The class's scenario switches as the form's `then_<n>_*` values (its stages, in order)."""
    values: dict[str, Any] = {}
    for n, stage in enumerate(model.stages.select_related("scenario")[:MAX_SWITCHES], start=1):
        values |= {f"then_{n}_round": stage.first_round, f"then_{n}_scenario": stage.scenario}
        values[f"then_{n}_fresh"] = stage.fresh_reputation
    return values


def initial_scenario(value: str) -> Scenario | None:
    """`?scenario=` as a primary key (the admin's link) or a slug; the baseline otherwise."""
    if value.isdigit():
        return Scenario.objects.filter(pk=int(value)).first()
    return Scenario.objects.filter(slug=value or "baseline").first()
