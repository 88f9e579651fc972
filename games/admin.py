"""The Django admin, for instructors: the scenario editor (with "What theory predicts") and the classes.

The scenario form shows every parameter of crisis-model.md as its own field
(games/instructor/scenario_form.py), and the change page renders the benchmark beside it, recomputed as
the instructor types (the page's script posts the form to `/instructor/predict/`). Classes are opened
and run from the instructor pages (`/instructor/`), which call the services; the admin lists them
read-only with links there, so nothing in the admin writes a live class behind the services' back.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from games.crisis.params import InvalidParams
from games.instructor import prediction
from games.instructor.scenario_form.forms import ScenarioForm
from games.instructor.scenario_form.specs import PARAM_FIELDSETS, PARAM_NAMES
from games.models import ClassSession, ClassStage, LectureFigure, Scenario

admin.site.site_header = _("Crisis Table: instructor")
admin.site.site_title = _("Crisis Table")
admin.site.index_title = _("Scenarios and classes")
admin.site.site_url = "/instructor/"  # "View site": the instructor pages, not the student join page


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    form = ScenarioForm
    save_as = True  # "Save as new": tune a copy without touching the original
    save_on_top = True
    list_display = (
        "name_en",
        "name_ja",
        "slug",
        "kind",
        "predicted",
        "decision_seconds",
        "updated",
        "open_class",
    )
    list_filter = ("kind",)
    search_fields = ("slug", "name_en", "name_ja", "teaching_note_en", "teaching_note_ja", "context_en")
    readonly_fields = ("students_see", "created", "updated")
    prepopulated_fields = {"slug": ("name_en",)}

    def get_fieldsets(self, request: HttpRequest, obj: Scenario | None = None) -> list[tuple[Any, dict]]:
        about = (
            _("Names and kind"),
            {
                "fields": ("name_en", "name_ja", "slug", "kind"),
                "description": _(
                    "A teaching scenario shows one point of the lecture; a historical case maps a real "
                    "crisis onto the model. Students see the name."
                ),
            },
        )
        case_notes = (
            _("The case"),
            {
                "fields": (
                    "context_en",
                    "context_ja",
                    "omits_en",
                    "omits_ja",
                    "judgement_en",
                    "judgement_ja",
                ),
                "description": _(
                    "For a historical case: one paragraph of history, what the model leaves out, and which "
                    "numbers are judgement rather than data, in both languages."
                ),
                # Folded for a teaching scenario, which usually has no case notes.
                "classes": () if obj is None or obj.kind == Scenario.Kind.HISTORICAL else ("collapse",),
            },
        )
        teaching = (
            _("Teaching note and questions"),
            {
                "fields": ("teaching_note_en", "teaching_note_ja", "questions_en", "questions_ja"),
                "description": _(
                    "What the scenario shows and what theory predicts, for instructors, and the discussion "
                    "questions the debriefs end with, in both languages."
                ),
            },
        )
        switched_on = {
            name for name in ("module_a", "module_c", "arf") if obj and (obj.params or {}).get(name)
        }
        params = [
            (
                title,
                {
                    "fields": fields,
                    "description": description,
                    # A module's fieldset starts folded, unless this scenario uses the module.
                    "classes": ("collapse",) if collapsed and fields[0] not in switched_on else (),
                },
            )
            for title, description, fields, collapsed in PARAM_FIELDSETS
        ]
        timing = (
            _("Time limits and timeout defaults"),
            {
                "fields": ("decision_seconds",),
                "description": _(
                    "If a student does not decide in time, the server plays for them the move theory "
                    "predicts (the benchmark), and the log marks it as a timeout."
                ),
            },
        )
        shown = (_("What students are shown"), {"fields": ("students_see",)})
        record = (_("Record"), {"fields": ("created", "updated"), "classes": ("collapse",)})
        return [about, case_notes, teaching, *params, timing, shown, record]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "kind":
            field.required = False  # a form posted without it keeps the kind (a new one: teaching scenario)
        return field

    # ----- list columns -----
    @admin.display(description=_("theory predicts"))
    def predicted(self, obj: Scenario) -> str:
        try:
            result = prediction.predict(obj.engine_params())
        except InvalidParams:
            return str(_("invalid parameters"))
        return result["title"] if result["valid"] else "–"

    @admin.display(description=_("class"))
    def open_class(self, obj: Scenario) -> str:
        url = reverse("instructor:new_class") + f"?scenario={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Open a class"))

    @admin.display(description=_("What each role sees"))
    def students_see(self, obj: Scenario | None = None) -> str:
        lines = [
            _("Every student sees all the parameters above and the US's public reputation."),
            _(
                "The US player alone also sees whether the US is resolute, and what "
                "Japan's security is worth to it."
            ),
            _("In Module C the Challenger learns its own type when it must decide whether to attack."),
            _("Nobody sees another role's private information until you release the debrief."),
            _(
                "Whether students also see the belief theory predicts after the alliance decision is "
                "chosen when you open a class (off by default)."
            ),
        ]
        return format_html(
            '<ul class="ct-plain-list">{}</ul>',
            format_html_join("", "<li>{}</li>", ((line,) for line in lines)),
        )

    # ----- the prediction beside the form -----
    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Scenario | None = None,
    ) -> HttpResponse:
        form = context["adminform"].form
        if form.is_bound:
            result = prediction.prediction_for_data(form.data)
        else:
            result = prediction.prediction_for_data(
                {
                    name: form.initial.get(name, "")
                    for name in PARAM_NAMES
                    if form.initial.get(name) is not False
                }
            )
        context.update(
            prediction=result,
            prediction_html=prediction.render_prediction(request, result),
            predict_url=reverse("instructor:predict"),
            param_names=" ".join(PARAM_NAMES),
            open_class_url=(reverse("instructor:new_class") + f"?scenario={obj.pk}") if obj else "",
        )
        return super().render_change_form(request, context, add, change, form_url, obj)


class ClassStageInline(admin.TabularInline):
    """The class's scenario switches ("from round N play scenario X"), read-only like the class: stages are
    set when the class is opened (the new-class form or `create_class --then`)."""

    model = ClassStage
    fields = ("first_round", "scenario", "fresh_reputation")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ClassSession)
class ClassSessionAdmin(admin.ModelAdmin):
    """Read-only list of classes with links to their live pages; opening one happens on /instructor/."""

    inlines = (ClassStageInline,)

    list_display = ("code", "scenario", "status", "progress", "participants_count", "created", "links")
    list_filter = ("status", "scenario")
    search_fields = ("code", "scenario__slug", "scenario__name_en", "scenario__name_ja")
    list_select_related = ("scenario",)
    date_hierarchy = "created"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # state changes go through the services (the dashboard's controls)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the event log is append-only and is the record of what happened

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        return HttpResponseRedirect(reverse("instructor:new_class"))

    @admin.display(description=_("round"))
    def progress(self, obj: ClassSession) -> str:
        return f"{obj.current_round} / {obj.rounds}"

    @admin.display(description=_("students"))
    def participants_count(self, obj: ClassSession) -> int:
        return obj.participants.filter(is_bot=False).count()

    @admin.display(description=_("live pages"))
    def links(self, obj: ClassSession) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("instructor:dashboard", args=[obj.code]),
            _("Dashboard"),
            reverse("instructor:projector", args=[obj.code]),
            _("Projector"),
        )


@admin.register(LectureFigure)
class LectureFigureAdmin(admin.ModelAdmin):
    """The lecture's figures (Leeds's rates, the share of commitments broken) that the debriefs show beside
    the class's own results, with the citation the instructor vouches for."""

    list_display = ("key", "value", "verified", "updated")
    list_editable = ("value", "verified")
    list_filter = ("verified",)
    search_fields = ("key", "citation")
    fieldsets = (
        (
            None,
            {
                "fields": ("key", "value", "citation", "verified", "updated"),
                "description": _(
                    "The class debrief and the students' debrief show these figures beside the class's own "
                    "results, with their citation; a figure not yet checked against its source is marked "
                    "with an asterisk."
                ),
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: LectureFigure | None = None) -> tuple[str, ...]:
        # The key ties a figure to what the debrief measures: it is fixed once the figure exists.
        return ("key", "updated") if obj else ("updated",)
