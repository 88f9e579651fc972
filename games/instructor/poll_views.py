"""The dashboard's poll controls: open a "predict before the reveal" question, close it (staff only, POST
with CSRF). Like the class controls (`views.control`): one service call each, back to the dashboard with
a message, or `{"ok", "message"}` (the refusal's status, 4xx) with `Accept: application/json`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from games.instructor.access import class_or_404, staff_only
from games.instructor.views import _answer
from games.play import services
from games.vocabulary.polls import QUESTIONS


@staff_only
@require_POST
def open_poll(request: HttpRequest, code: str) -> HttpResponse:
    class_session = class_or_404(code)
    question = request.POST.get("question", "")
    try:
        services.open_poll(class_session.code, question)
    except services.PollError as exc:
        return _answer(request, class_session, False, exc.text(), exc.status)
    message = _("Poll open: “%(question)s” Students answer on their phones.")
    return _answer(request, class_session, True, message % {"question": QUESTIONS[question].text})


@staff_only
@require_POST
def close_poll(request: HttpRequest, code: str) -> HttpResponse:
    class_session = class_or_404(code)
    try:
        services.close_poll(class_session.code)
    except services.PollError as exc:
        return _answer(request, class_session, False, exc.text(), exc.status)
    return _answer(request, class_session, True, _("Poll closed: its answers are kept."))
