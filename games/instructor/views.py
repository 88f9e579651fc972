"""The instructor's pages: live dashboard, projector, class creation, controls, and the prediction preview.

Staff only (DESIGN.md): anonymous visitors, students included (they have a session but no account), are
sent to the login page; signed-in users without staff rights get 403; the JSON endpoints answer 403 JSON.
Views stay thin: every state change is one call to `games.play.services`, whose refusals (`ServiceError`)
become messages; reading is done by `games.instructor.feeds` and `games.instructor.prediction`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from games.instructor import classroom, feeds, prediction
from games.instructor.access import class_or_404, staff_only
from games.instructor.forms import NewClassForm, create_from_form, initial_values
from games.instructor.strings import page_strings, projector_strings
from games.models import ClassSession, Round, Scenario
from games.play import protocol, services
from wargame import network

# --------------------------------------------------------------------------------------------------
# Join link and QR code
# --------------------------------------------------------------------------------------------------


def join_base(request: HttpRequest) -> str:
    """Where students open the game: PUBLIC_URL when set; in classroom mode, this machine's LAN address
    in place of a loopback host the instructor happens to use; else the address of this request."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL
    host, port = split_domain_port(request.get_host())
    if settings.CLASSROOM and settings.LAN_ADDRESS and network.is_local_only(host):
        return f"{request.scheme}://{settings.LAN_ADDRESS}{':' + port if port else ''}"
    return f"{request.scheme}://{request.get_host()}"


def join_url(request: HttpRequest, code: str) -> str:
    return f"{join_base(request)}/?code={code}"


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


def join_context(request: HttpRequest, class_session: ClassSession) -> dict[str, Any]:
    """The join link, its QR code and the sentence around the host; a warning when phones cannot open it."""
    url = join_url(request, class_session.code)
    address = urlsplit(url).netloc
    host = format_html('<strong class="proj-host">{}</strong>', address)
    # Word order differs between languages, so the host goes inside the translated sentence.
    instruction = mark_safe(escape(_("Open %(host)s and enter this code:")) % {"host": host})
    warning = ""
    if network.is_local_only(urlsplit(url).hostname or ""):
        warning = _(
            "%(host)s is this computer's own address: phones cannot open it. To let the class join, stop "
            "the server and start it with “make classroom” on the room's network."
        ) % {"host": address}
    return {
        "join_url": url,
        "join_instruction": instruction,
        "join_warning": warning,
        "qr": qr_svg(url, _("QR code of the join link")),
    }


# --------------------------------------------------------------------------------------------------
# Prediction preview (the scenario editor calls it as the instructor types)
# --------------------------------------------------------------------------------------------------


@staff_only(json=True)
@require_POST
def predict(request: HttpRequest) -> JsonResponse:
    """The editor's parameters (form-encoded, as the admin form posts them) -> the rendered prediction."""
    context = prediction.prediction_for_data(request.POST)
    body: dict[str, Any] = {"valid": context["valid"], "html": prediction.render_prediction(request, context)}
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


@staff_only
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    classes = list(ClassSession.objects.select_related("scenario").order_by("-created")[:100])
    finished = sum(c.status == ClassSession.Status.FINISHED for c in classes)  # the Compare form needs two
    context = {"classes": classes, "comparable": finished >= 2, "library": scenario_library()}
    return render(request, "instructor/index.html", context)


def scenario_library() -> list[dict[str, Any]]:
    """The scenarios by kind (teaching scenarios, then historical cases), for the index's library."""
    scenarios = list(Scenario.objects.order_by("kind", "name_en"))
    return [
        {"kind": kind, "label": label, "scenarios": [s for s in scenarios if s.kind == kind]}
        for kind, label in Scenario.Kind.choices
        if any(s.kind == kind for s in scenarios)
    ]


@staff_only
def new_class(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = NewClassForm(request.POST)
        if form.is_valid():
            class_session = create_from_form(form, request.user)
            if class_session is not None:
                messages.success(
                    request,
                    _("Class %(code)s is open: students can join now.") % {"code": class_session.code},
                )
                return redirect("instructor:dashboard", code=class_session.code)
    else:
        form = NewClassForm(
            initial=initial_values(request.GET.get("scenario", ""), request.GET.get("like", ""))
        )
    return render(request, "instructor/new_class.html", {"form": form, "like": request.GET.get("like", "")})


# --------------------------------------------------------------------------------------------------
# The live dashboard and the projector
# --------------------------------------------------------------------------------------------------


def socket_path(class_session: ClassSession) -> str:
    return f"/ws/instructor/{class_session.code}/"


def live_page_context(request: HttpRequest, class_session: ClassSession, feed: str) -> dict[str, Any]:
    """What the dashboard and the projector share: the class, the staff socket, its close codes, the JSON
    feed the page refetches (`feed`, a URL name) and the join link with its QR code."""
    return {
        "class_session": class_session,
        "ws_path": socket_path(class_session),
        "close_codes": protocol.close_codes(),
        "snapshot_url": reverse(feed, args=[class_session.code]),
        **join_context(request, class_session),
    }


@staff_only
@require_safe
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    class_session = class_or_404(code)
    context = live_page_context(request, class_session, "instructor:snapshot")
    context.update(snapshot=feeds.dashboard_snapshot(class_session), strings=page_strings())
    context["stage_plan"] = stage_plan_rows(class_session)
    return render(request, "instructor/dashboard.html", context)


def stage_plan_rows(class_session: ClassSession) -> list[dict[str, Any]]:
    """The class's scenarios in round order when it switches scenarios (ClassStage), the one in force now
    marked; [] for a class of one scenario."""
    stages = list(class_session.stages.select_related("scenario").order_by("first_round"))
    if not stages:
        return []
    starts = [
        (1, class_session.scenario, False),
        *((s.first_round, s.scenario, s.fresh_reputation) for s in stages),
    ]
    now = max(class_session.current_round, 1)
    rows = []
    for i, (first, scenario, fresh) in enumerate(starts):
        last = starts[i + 1][0] - 1 if i + 1 < len(starts) else class_session.rounds
        rows.append(
            {
                "first": first,
                "last": last,
                "scenario": scenario,
                "fresh": fresh,
                "current": first <= now <= last,
            }
        )
    return rows


@staff_only(json=True)
@require_safe
def snapshot(request: HttpRequest, code: str) -> JsonResponse:
    return JsonResponse(feeds.dashboard_snapshot(class_or_404(code)))


@staff_only
@require_safe
def projector(request: HttpRequest, code: str) -> HttpResponse:
    class_session = class_or_404(code)
    context = live_page_context(request, class_session, "instructor:projector_snapshot")
    context.update(
        snapshot=classroom.projector_feed(class_session),
        strings=projector_strings(),
        debrief_url=reverse("debrief:class", args=[class_session.code]),
    )
    return render(request, "instructor/projector.html", context)


@staff_only(json=True)
@require_safe
def projector_snapshot(request: HttpRequest, code: str) -> JsonResponse:
    """The projector's data; with `?leaderboard=1`, once the class has ended, each role's leaders (names)."""
    with_leaderboard = request.GET.get("leaderboard") == "1"
    return JsonResponse(classroom.projector_feed(class_or_404(code), with_leaderboard=with_leaderboard))


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
    "next_round": (services.next_round_now, lambda: _("The next round has started.")),
    "extend": (services.extend_result, lambda: _("30 more seconds on the result.")),
}


def _answer(
    request: HttpRequest, class_session: ClassSession, ok: bool, message: str, status: int = 200
) -> HttpResponse:
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": ok, "message": message}, status=status if not ok else 200)
    (messages.success if ok else messages.error)(request, message)
    return redirect("instructor:dashboard", code=class_session.code)


@staff_only
@require_POST
def control(request: HttpRequest, code: str, action: str) -> HttpResponse:
    class_session = class_or_404(code)
    if action not in CONTROLS:
        return _answer(request, class_session, False, _("Unknown control."), 404)
    function, success = CONTROLS[action]
    try:
        function(class_session.code)
    except services.ServiceError as exc:
        return _answer(request, class_session, False, exc.text(), exc.status)
    return _answer(request, class_session, True, success())


@staff_only
@require_POST
def advance(request: HttpRequest, code: str, round_id: int) -> HttpResponse:
    class_session = class_or_404(code)
    rnd = get_object_or_404(Round.objects.select_related("group"), pk=round_id, class_session=class_session)
    if services.force_timeout(rnd.pk):
        message = _("Group %(group)s: the pending decision was played by its timeout default.")
        return _answer(request, class_session, True, message % {"group": rnd.group.number})
    message = _("Group %(group)s has nothing to advance (its round is over, or the class is not running).")
    return _answer(request, class_session, False, message % {"group": rnd.group.number}, 409)
