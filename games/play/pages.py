"""The student's pages and the HTTP half of the player protocol: `GET /` (the join form), `POST /join`,
`POST /api/join` and `GET /play/` (DESIGN.md).

Both joins call `services.join_class` and bind the browser's session to the participant
(`games.play.identity`); the websocket then authenticates by that session cookie. Failed attempts are
rate-limited per client address (docs/live-play.md, "Protocol boundary").
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from games.crisis import game
from games.models import Participant, Scenario
from games.play import identity, protocol, services
from games.play.round_state import params_of_round, stage_plan
from games.play.services import JoinError
from games.play.strings import play_strings
from games.vocabulary import join_code

logger = logging.getLogger(__name__)

MAX_API_BODY = 4096
WS_URL = "/ws/play/"

CODE_MAX_LENGTH = join_code.TYPED_MAX_LENGTH
FIELD_LIMITS = {"code_max_length": CODE_MAX_LENGTH, "name_max_length": services.MAX_NAME_LENGTH}


def clean_code(raw: str) -> str:
    """A class code as typed or linked, normalised (its validity is the service's to check)."""
    return join_code.normalise(raw[:CODE_MAX_LENGTH])


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The join page; `?code=ABC123` (the QR code's link) fills in the class code."""
    code = clean_code(request.GET.get("code", ""))
    return render(request, "join.html", {"code": code, **FIELD_LIMITS})


# --------------------------------------------------------------------------------------------------
# Who is asking, and how often they failed
# --------------------------------------------------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with TRUSTED_PROXY_HOPS = n > 0 the n-th X-Forwarded-For entry from the right
    (each trusted proxy appends the address it saw; anything further left could be forged)."""
    hops = settings.TRUSTED_PROXY_HOPS
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-hops] if len(forwarded) >= hops else remote


def _limit() -> tuple[int, int]:
    attempts, seconds = protocol.parse_rate(settings.JOIN_RATE_LIMIT)
    return int(attempts), max(int(seconds), 1)


def _failure_key(address: str, seconds: int) -> str:
    return f"join-failures:{int(time.time() // seconds)}:{address}"


def too_many_failures(address: str) -> bool:
    attempts, seconds = _limit()
    if attempts <= 0:
        return False
    try:
        return (cache.get(_failure_key(address, seconds)) or 0) >= attempts
    except Exception:  # the cache is down: let people join rather than lock everyone out
        logger.warning("join rate limit unavailable", exc_info=True)
        return False


def record_failure(address: str) -> None:
    attempts, seconds = _limit()
    if attempts <= 0:
        return
    key = _failure_key(address, seconds)
    try:
        cache.add(key, 0, seconds + 1)
        cache.incr(key)
    except Exception:
        logger.warning("join rate limit unavailable", exc_info=True)


def attempt_join(request: HttpRequest, fields: Callable[[], tuple[Any, Any]]) -> Participant:
    """Join (or rejoin) with the `(code, name)` that `fields` reads, and bind the session to the
    participant. Every refusal is a `JoinError`; all but the rate limit's own count as failures."""
    address = client_address(request)
    if too_many_failures(address):
        raise JoinError(code="rate_limited", status=429)
    token = identity.browser_token(request.session)
    try:
        code, name = fields()
        participant = services.join_class(code, name, token)
    except JoinError:
        record_failure(address)
        raise
    identity.bind(request.session, participant, token)
    return participant


def message_for(exc: JoinError) -> str:
    return exc.text()


# --------------------------------------------------------------------------------------------------
# A busy database (SQLite's write lock held past its timeout) is a moment to wait, not a server error
# --------------------------------------------------------------------------------------------------
BUSY_RETRY_AFTER = 2  # seconds, the Retry-After of a 503
BUSY_SIGNS = ("database is locked", "database table is locked", "database is busy")


def is_busy(exc: OperationalError) -> bool:
    """The database refused because another writer held its lock for longer than the lock wait."""
    text = str(exc).lower()
    return any(sign in text for sign in BUSY_SIGNS)


def join_or_busy(request: HttpRequest, fields: Callable[[], tuple[Any, Any]]) -> Participant:
    """`attempt_join`, where a busy database (after SQLite's own lock wait, SQLITE_TIMEOUT) becomes a
    `JoinError` with status 503, which the client may retry, instead of a server error."""
    try:
        return attempt_join(request, fields)
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        logger.warning("join refused with 503: the database is busy (%s)", exc)
        raise JoinError(code="busy", status=503) from exc


# --------------------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------------------


@require_POST
def join(request: HttpRequest) -> HttpResponse:
    """The join page's form (CSRF-protected): on success to `/play/`, else the form again with why."""
    code, name = request.POST.get("code", ""), request.POST.get("name", "")
    try:
        join_or_busy(request, lambda: (clean_code(code), name))  # as typed on a phone: spaces dropped
    except JoinError as exc:
        context = {
            "code": code.strip()[:CODE_MAX_LENGTH],
            "name": name[: services.MAX_NAME_LENGTH],
            **FIELD_LIMITS,
            "error": message_for(exc),
            "error_field": "name" if exc.code == "bad_name" else "code",
        }
        return render(request, "join.html", context, status=exc.status)
    return redirect("/play/")


@csrf_exempt  # headless clients have no CSRF token; requiring application/json keeps forms out
@require_POST
def api_join(request: HttpRequest) -> JsonResponse:
    """`{"code", "name"}` -> 201 `{"participant", "ws_url"}` with the session cookie, or an error."""
    try:
        participant = join_or_busy(request, lambda: _fields(request))
    except JoinError as exc:
        response = JsonResponse({"error": {"code": exc.code, "message": message_for(exc)}}, status=exc.status)
        if exc.status == 429:
            response["Retry-After"] = str(_limit()[1])
        elif exc.status == 503:
            response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response
    return JsonResponse({"participant": str(participant.pk), "ws_url": WS_URL}, status=201)


def _fields(request: HttpRequest) -> tuple[Any, Any]:
    """`code` and `name` of the JSON object in the body (the service checks their types and values)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = MAX_API_BODY + 1
    body = b"" if declared > MAX_API_BODY else request.read(MAX_API_BODY + 1)
    if declared > MAX_API_BODY or len(body) > MAX_API_BODY:
        raise JoinError(code="bad_request", status=400)
    content_type = request.content_type or ""
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise JoinError(code="bad_request", status=400)
    try:
        data = json.loads(body, parse_constant=protocol.reject_constant)
    except (ValueError, RecursionError):
        raise JoinError(code="bad_json", status=400) from None
    if not isinstance(data, dict):
        raise JoinError(code="bad_request", status=400)
    return data.get("code"), data.get("name")


@require_safe
def play(request: HttpRequest) -> HttpResponse:
    """The student's page; it talks to `/ws/play/`. Visitors who have not joined go to the join page."""
    participant = identity.current_participant(request.session)
    if participant is None:
        return redirect("/")
    context = {
        "code": participant.class_session.code,
        "name": participant.name,
        "ws_url": WS_URL,
        "strings": play_strings(),
        "data": play_data(participant),
    }
    return render(request, "play.html", context)


def play_data(participant: Participant) -> dict[str, Any]:
    """What the play page's script needs besides its strings and the frames, so that it copies none of it:
    the roles in their order, the game's spine for the parameters of the class's current round, and for
    each scenario of the class's stage plan its name in the page's language and its spine (a class may
    switch scenarios: `view.class.scenario` names the one in force), and the websocket close codes."""
    class_session = participant.class_session
    return {
        "roles": list(game.ROLES),
        "spine": game.spine(params_of_round(class_session, class_session.current_round)),
        "scenarios": _scenarios(class_session),
        "close_codes": protocol.close_codes(),
    }


def _scenarios(class_session: Any) -> dict[str, dict[str, Any]]:
    """Each scenario of the class's stage plan by slug: its name in the active language and its spine."""
    plan = stage_plan(class_session)
    names = {s.pk: s.name for s in Scenario.objects.filter(pk__in=[stage.scenario_id for stage in plan])}
    return {
        stage.slug: {
            "name": names.get(stage.scenario_id, stage.slug),
            "spine": game.spine(params_of_round(class_session, stage.first_round)),
        }
        for stage in plan
    }


# --------------------------------------------------------------------------------------------------
# "Predict before the reveal" polls
# --------------------------------------------------------------------------------------------------
MAX_POLL_BODY = 1024


@require_POST
def poll_answer(request: HttpRequest) -> JsonResponse:
    """A student's yes/no to the open poll (session cookie + CSRF): `{"poll": id, "answer": "yes"|"no"}`
    as JSON (or the same fields form-encoded) -> `{"ok": true, "poll", "answer"}`; answering again changes
    the answer while the poll is open. Refusals: `{"error": {"code", "message"}}` with 400, 403, 404, 409."""
    try:
        participant = identity.current_participant(request.session)
        if participant is None:
            raise services.PollError(code="not_joined", status=403)
        poll_id, answer = _poll_fields(request)
        saved = services.answer_poll(participant.pk, poll_id, answer)
    except services.PollError as exc:
        return JsonResponse({"error": {"code": exc.code, "message": exc.text()}}, status=exc.status)
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        response = JsonResponse(
            {"error": {"code": "busy", "message": message_for(JoinError(code="busy"))}}, status=503
        )
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response
    return JsonResponse({"ok": True, "poll": saved.poll_id, "answer": saved.answer})


def _poll_fields(request: HttpRequest) -> tuple[Any, Any]:
    """`poll` (an id) and `answer` from a JSON body or a form; the service checks the answer."""
    content_type = request.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        body = request.read(MAX_POLL_BODY + 1)
        if len(body) > MAX_POLL_BODY:
            raise services.PollError(code="bad_request", status=400)
        try:
            data = json.loads(body, parse_constant=protocol.reject_constant)
        except (ValueError, RecursionError):
            raise services.PollError(code="bad_request", status=400) from None
        if not isinstance(data, dict):
            raise services.PollError(code="bad_request", status=400)
        poll, answer = data.get("poll"), data.get("answer")
    else:
        poll, answer = request.POST.get("poll"), request.POST.get("answer")
    if isinstance(poll, bool) or not isinstance(poll, (int, str)):
        raise services.PollError(code="bad_request", status=400)
    try:
        poll_id = int(poll)
    except ValueError:
        raise services.PollError(code="bad_request", status=400) from None
    if not 0 < poll_id < 2**63:
        raise services.PollError(code="not_found", status=404)
    return poll_id, answer
