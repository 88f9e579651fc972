"""The instructor's pages: live dashboard, projector, class creation, controls, and the prediction preview.

Staff only (DESIGN.md): anonymous visitors, students included (they have a session but no account), are
sent to the login page; signed-in users without staff rights get 403; the JSON endpoints answer 403 JSON.
Views stay thin: every state change is one call to `games.services`, whose refusals (`ServiceError`)
become messages; reading is done by `games.snapshots` and `games.prediction`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from games import labels, prediction, services, snapshots
from games.crisis.bots import STRATEGIES
from games.crisis.params import InvalidParams
from games.models import ClassSession, Round, Scenario
from games.scenario_forms import SPECS, localise, params_from_data

View = Callable[..., HttpResponse]


# --------------------------------------------------------------------------------------------------
# Access
# --------------------------------------------------------------------------------------------------


def is_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def staff_only(view: View | None = None, *, json: bool = False) -> Any:
    """Pages: anonymous -> login, signed in without staff -> 403.  JSON endpoints: 403 JSON to both."""

    def decorate(func: View) -> View:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if is_staff(request):
                return func(request, *args, **kwargs)
            if json:
                error = {"code": "forbidden", "message": _("Only instructors (staff) may use this.")}
                return JsonResponse({"error": error}, status=403)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            raise PermissionDenied

        return wrapper

    return decorate(view) if view is not None else decorate


def class_or_404(code: str) -> ClassSession:
    return get_object_or_404(ClassSession.objects.select_related("scenario"), code=code.upper())


# --------------------------------------------------------------------------------------------------
# Words the pages' scripts show (one place, in the visitor's language)
# --------------------------------------------------------------------------------------------------


def node_labels() -> dict[str, str]:
    return {
        "arming": _("Japan decides whether to arm"),
        "cbm_japan": _("Japan decides on confidence-building measures"),
        "cbm_challenger": _("The Challenger decides on confidence-building measures"),
        "alliance": _("The United States decides on the alliance"),
        "challenge": _("The Challenger decides whether to challenge"),
        "response": _("Japan responds to the challenge"),
        "preventive_diplomacy": _("Preventive diplomacy"),
        "attack": _("The Challenger decides whether to attack"),
        "intervention": _("The United States decides whether to intervene"),
        "end": _("The crisis is over"),
    }


def page_strings() -> dict[str, Any]:
    return {
        "status": {
            "lobby": _("Lobby: students are joining"),
            "running": _("Running"),
            "paused": _("Paused"),
            "finished": _("Finished"),
        },
        "roles": labels.role_names(),
        "nodes": node_labels(),
        "actions": {
            "alliance": _("alliance"),
            "no_alliance": _("no alliance"),
            "status_quo": _("status quo"),
            "challenge": _("challenge"),
            "concede": _("concede"),
            "resist": _("resist"),
            "withdraw": _("withdraw"),
            "attack": _("attack"),
            "intervene": _("intervene"),
            "stay_out": _("stay out"),
            "arm": _("arm"),
            "no_arm": _("do not arm"),
            "cbm": _("confidence-building measures"),
            "no_cbm": _("no confidence-building measures"),
            "defused": _("defused"),
            "failed": _("failed"),
        },
        "outcomes": labels.outcome_labels(),
        "qualifiers": labels.qualifier_labels(),
        "us_types": {"resolute": _("resolute"), "non_resolute": _("not resolute")},
        "challenger_types": {"determined": _("determined"), "hesitant": _("hesitant")},
        "bot": _("bot"),
        "connected": _("connected"),
        "disconnected": _("disconnected"),
        "never_connected": _("not connected yet"),
        "waiting": _("waiting for a seat"),
        "none": _("none"),
        "advance": _("Play the timeout default now"),
        "review": _("Review this round step by step"),
        "advance_label": _("Advance group %(group)s"),
        "round_of": _("Round %(round)s of %(rounds)s"),
        "not_started": _("Not started yet: %(rounds)s rounds"),
        "groups_finished": _("%(done)s of %(groups)s groups finished this round"),
        "joined": _("%(joined)s students have joined"),
        "joined_one": _("1 student has joined"),
        "connected_count": _("connected: %(connected)s · bots: %(bots)s"),
        "seconds": _("%(seconds)s s"),
        "paused_left": _("paused, %(seconds)s s left"),
        "overdue": _("due now"),
        "auto": _("automatic"),
        "next_round": _("Next round in %(seconds)s s"),
        "live": _("Live"),
        "offline": _("Reconnecting…"),
        "group": _("Group %(group)s"),
        "no_rounds": _("No round has started yet."),
    }


# --------------------------------------------------------------------------------------------------
# Join link and QR code
# --------------------------------------------------------------------------------------------------


def join_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(f"/?code={code}")


_SVG_SIZE = re.compile(r'\s(width|height)="[^"]*"')


def qr_svg(url: str, label: str) -> SafeString:
    """An inline SVG QR code of `url` that scales with its container (dark on white, in any theme)."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    svg = code.make_image(image_factory=qrcode.image.svg.SvgPathFillImage).to_string(encoding="unicode")
    svg = _SVG_SIZE.sub("", svg.split("?>", 1)[-1], count=2)
    attributes = format_html(' class="qr" role="img" aria-label="{}" focusable="false"', label)
    return mark_safe(svg.replace("<svg", f"<svg{attributes}", 1))


def join_context(request: HttpRequest, cls: ClassSession) -> dict[str, Any]:
    url = join_url(request, cls.code)
    host = format_html('<strong class="proj-host">{}</strong>', request.get_host())
    # Word order differs between languages, so the host goes inside the translated sentence.
    instruction = mark_safe(escape(_("Open %(host)s and enter this code:")) % {"host": host})
    return {
        "join_url": url,
        "join_instruction": instruction,
        "qr": qr_svg(url, _("QR code of the join link")),
    }


# --------------------------------------------------------------------------------------------------
# Prediction preview (the scenario editor calls it as the instructor types)
# --------------------------------------------------------------------------------------------------


def prediction_for_data(data: Any) -> dict[str, Any]:
    params, form = params_from_data(data)
    if params is not None:
        return prediction.predict(params)
    errors = []
    for field, messages_ in form.errors.items():
        spec = SPECS.get(field)
        label = str(form.fields[field].label) if field in form.fields else ""
        for message in messages_:
            errors.append({"field": field if spec else "", "label": label, "message": message})
    return {"valid": False, "errors": errors}


def render_prediction(request: HttpRequest, context: dict[str, Any]) -> str:
    return render_to_string("instructor/_prediction.html", {"prediction": context}, request=request)


@staff_only(json=True)
@require_POST
def predict(request: HttpRequest) -> JsonResponse:
    """The editor's parameters (form-encoded, as the admin form posts them) -> the rendered prediction."""
    context = prediction_for_data(request.POST)
    body: dict[str, Any] = {"valid": context["valid"], "html": render_prediction(request, context)}
    if context["valid"]:
        body["equilibrium"] = context["name"]
    else:
        body["errors"] = {}
        for error in context.get("errors", []):
            body["errors"].setdefault(error["field"] or "__all__", []).append(error["message"])
    return JsonResponse(body)


# --------------------------------------------------------------------------------------------------
# Classes: list and creation
# --------------------------------------------------------------------------------------------------


BOT_STRATEGY_LABELS = {
    "equilibrium": gettext_lazy("Play what theory predicts"),
    "hawkish": gettext_lazy("Hawkish: always escalate"),
    "dovish": gettext_lazy("Dovish: always back down"),
    "random": gettext_lazy("Random"),
}


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
            "Leave empty to start it yourself. A class that starts by itself also moves "
            "from round to round by itself."
        ),
    )
    max_students = forms.IntegerField(
        label=gettext_lazy("Maximum number of students"), min_value=1, max_value=5000, initial=300
    )
    result_seconds = forms.IntegerField(
        label=gettext_lazy("Seconds each result is shown"),
        min_value=0,
        max_value=600,
        initial=10,
    )
    show_benchmark_belief = forms.BooleanField(
        label=gettext_lazy("Show students the benchmark belief"),
        required=False,
        help_text=gettext_lazy(
            "After the alliance decision, students see the belief theory predicts. Off by "
            "default, so that students infer it themselves."
        ),
    )
    code = forms.RegexField(
        label=gettext_lazy("Join code"),
        regex=r"^[A-Za-z0-9]{4,12}$",
        required=False,
        help_text=gettext_lazy("Leave empty for a random code (4 to 12 letters and digits otherwise)."),
    )

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").upper()
        if code and ClassSession.objects.filter(code=code).exists():
            raise ValidationError(_("A class with this code already exists."))
        return code


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


@staff_only
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    classes = ClassSession.objects.select_related("scenario").order_by("-created")[:100]
    return render(request, "instructor/index.html", {"classes": classes})


def initial_scenario(value: str) -> Scenario | None:
    """`?scenario=` as a primary key (the admin's link) or a slug; the baseline otherwise."""
    if value.isdigit():
        return Scenario.objects.filter(pk=int(value)).first()
    return Scenario.objects.filter(slug=value or "baseline").first()


@staff_only
def new_class(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = NewClassForm(request.POST)
        if form.is_valid():
            cls = create_from_form(form, request.user)
            if cls is not None:
                messages.success(
                    request, _("Class %(code)s is open: students can join now.") % {"code": cls.code}
                )
                return redirect("instructor:dashboard", code=cls.code)
    else:
        form = NewClassForm(initial={"scenario": initial_scenario(request.GET.get("scenario", ""))})
    return render(request, "instructor/new_class.html", {"form": form})


# --------------------------------------------------------------------------------------------------
# The live dashboard and the projector
# --------------------------------------------------------------------------------------------------


def socket_path(cls: ClassSession) -> str:
    return f"/ws/instructor/{cls.code}/"


@staff_only
@require_safe
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    cls = class_or_404(code)
    context = {
        "cls": cls,
        "snapshot": snapshots.dashboard_snapshot(cls),
        "strings": page_strings(),
        "ws_path": socket_path(cls),
        "snapshot_url": reverse("instructor:snapshot", args=[cls.code]),
        **join_context(request, cls),
    }
    return render(request, "instructor/dashboard.html", context)


@staff_only(json=True)
@require_safe
def snapshot(request: HttpRequest, code: str) -> JsonResponse:
    return JsonResponse(snapshots.dashboard_snapshot(class_or_404(code)))


@staff_only
@require_safe
def projector(request: HttpRequest, code: str) -> HttpResponse:
    cls = class_or_404(code)
    context = {
        "cls": cls,
        "snapshot": snapshots.projector_snapshot(cls),
        "strings": projector_strings(),
        "ws_path": socket_path(cls),
        "snapshot_url": reverse("instructor:projector_snapshot", args=[cls.code]),
        **join_context(request, cls),
    }
    return render(request, "instructor/projector.html", context)


def projector_strings() -> dict[str, Any]:
    keys = (
        "status",
        "nodes",
        "outcomes",
        "round_of",
        "not_started",
        "groups_finished",
        "joined",
        "live",
        "offline",
        "next_round",
    )
    strings = page_strings()
    return {key: strings[key] for key in keys}


@staff_only(json=True)
@require_safe
def projector_snapshot(request: HttpRequest, code: str) -> JsonResponse:
    return JsonResponse(snapshots.projector_snapshot(class_or_404(code)))


# --------------------------------------------------------------------------------------------------
# Controls: each a POST (CSRF) that calls one service function
# --------------------------------------------------------------------------------------------------


CONTROLS: dict[str, tuple[Callable[..., Any], Callable[[], str]]] = {
    "start": (services.start_class, lambda: _("Class started: round 1 is on.")),
    "pause": (services.pause_class, lambda: _("Class paused: every clock has stopped.")),
    "resume": (services.resume_class, lambda: _("Class resumed: each decision has the time it had left.")),
    "end": (services.end_class, lambda: _("Class ended.")),
    "release": (
        services.release_debrief,
        lambda: _("Debriefs released: students now see what happened and why."),
    ),
}


def service_message(exc: services.ServiceError) -> str:
    """The service's refusal in the instructor's language (its own message is English)."""
    known = {
        "already_started": _("This class has already started."),
        "empty": _("Nobody has joined yet, and bots may not fill the seats."),
        "not_running": _("Only a running class can be paused."),
        "not_paused": _("Only a paused class can be resumed."),
    }
    return known.get(exc.code, exc.message)


def _answer(
    request: HttpRequest, cls: ClassSession, ok: bool, message: str, status: int = 200
) -> HttpResponse:
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": ok, "message": message}, status=status if not ok else 200)
    (messages.success if ok else messages.error)(request, message)
    return redirect("instructor:dashboard", code=cls.code)


@staff_only
@require_POST
def control(request: HttpRequest, code: str, action: str) -> HttpResponse:
    cls = class_or_404(code)
    if action not in CONTROLS:
        return _answer(request, cls, False, _("Unknown control."), 404)
    if action == "end" and cls.status == ClassSession.Status.FINISHED:
        return _answer(request, cls, False, _("This class has already ended."), 409)
    function, success = CONTROLS[action]
    try:
        function(cls.code)
    except services.ServiceError as exc:
        return _answer(request, cls, False, service_message(exc), exc.status)
    return _answer(request, cls, True, success())


@staff_only
@require_POST
def advance(request: HttpRequest, code: str, round_id: int) -> HttpResponse:
    cls = class_or_404(code)
    rnd = get_object_or_404(Round.objects.select_related("group"), pk=round_id, class_session=cls)
    if services.advance_round(rnd.pk):
        message = _("Group %(group)s: the pending decision was played by its timeout default.")
        return _answer(request, cls, True, message % {"group": rnd.group.number})
    message = _("Group %(group)s has nothing to advance (its round is over, or the class is not running).")
    return _answer(request, cls, False, message % {"group": rnd.group.number}, 409)
