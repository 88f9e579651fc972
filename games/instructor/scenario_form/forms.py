"""The scenario editor's forms: the engine checks the parameters, and each of its errors lands, in the
instructor's language, on the field it names.

`ScenarioForm` is the admin's scenario editor; `ParamsForm` reads only the parameters, for the live
preview (`params_from_data`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from games.crisis.params import FieldError, InvalidParams, Params
from games.instructor.scenario_form.exact_numbers import display_number
from games.instructor.scenario_form.fields import initial_values, param_form_fields
from games.instructor.scenario_form.specs import PARAM_NAMES, symbol
from games.models import Scenario
from games.vocabulary import param_errors


def localise(error: FieldError) -> str:
    """An engine error in the active language, with numbers and names written as the editor's fields
    show them ("0.35" or "1/3", "β")."""
    return param_errors.message(error, number=display_number, name=symbol)


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
        fields = (
            "slug",
            "name_en",
            "name_ja",
            "teaching_note_en",
            "teaching_note_ja",
            "questions_en",
            "questions_ja",
            "decision_seconds",
        )
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
