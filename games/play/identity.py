"""How a browser's session binds to its participant (docs/live-play.md, "Protocol boundary").

A join stores three things in the server-side Django session:

* `browser`: a random token made on the first successful join and kept for the session's life. It is
  what `services.join_class` recognises the browser by (`Participant.session_key`), so joining again
  from the same browser returns the same participant, even after Django rotated the session key (as
  logging in to the admin in the same browser does).
* `participant`: the participant the play page and `/ws/play/` act for (the class joined last).
* `classes`: the participant of every class this browser joined, by class code.

Nothing here trusts the client beyond the session cookie: the session data lives in the database.

Sockets read the session through `auth_middleware_stack` (wargame/asgi.py): channels' own stack, except
that a database outage while reading the session does not fail the handshake (the ASGI server would
answer 500, which a browser sees only as 1006); the consumer accepts and closes with 1013 instead.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from typing import Any

from channels.auth import AuthMiddleware
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.contrib.auth.models import AnonymousUser
from django.db import Error as DatabaseError

from games.models import Participant

logger = logging.getLogger(__name__)

BROWSER = "browser"
PARTICIPANT = "participant"
CLASSES = "classes"
# Set in a socket's scope when the database could not be read to authenticate it.
AUTH_UNAVAILABLE = "auth_unavailable"


def browser_token(session: Any) -> str:
    """The browser's token, or a fresh one (stored by `bind` only once a join succeeds)."""
    token = session.get(BROWSER)
    return token if isinstance(token, str) and token else secrets.token_urlsafe(24)


def bind(session: Any, participant: Participant, token: str) -> None:
    classes = dict(session.get(CLASSES) or {})
    classes[participant.class_session.code] = str(participant.pk)
    session[BROWSER] = token
    session[PARTICIPANT] = str(participant.pk)
    session[CLASSES] = classes
    if session.session_key is None:
        session.save()


def participant_id(session: Any) -> str | None:
    """The participant id the session holds, if it is a well-formed one (no database access but the
    session's own load)."""
    if session is None:
        return None
    value = session.get(PARTICIPANT)
    try:
        return str(uuid.UUID(value)) if isinstance(value, str) else None
    except ValueError:
        return None


def current_participant(session: Any) -> Participant | None:
    """The session's participant if it still exists (a deleted class takes its students with it)."""
    pid = participant_id(session)
    if pid is None:
        return None
    return Participant.objects.select_related("class_session").filter(pk=pid, is_bot=False).first()


class OutageTolerantAuthMiddleware(AuthMiddleware):
    """`scope["user"]` from the session, as channels' AuthMiddleware does; when the database is down the
    user is anonymous and `scope[AUTH_UNAVAILABLE]` is true, so the consumer can say "try later"."""

    async def resolve_scope(self, scope: dict[str, Any]) -> None:
        try:
            await super().resolve_scope(scope)
        except DatabaseError:
            logger.warning("database unavailable while authenticating a socket", exc_info=True)
            scope["user"]._wrapped = AnonymousUser()
            scope[AUTH_UNAVAILABLE] = True


def auth_middleware_stack(inner: Any) -> Any:
    """channels.auth.AuthMiddlewareStack with `OutageTolerantAuthMiddleware`."""
    return CookieMiddleware(SessionMiddleware(OutageTolerantAuthMiddleware(inner)))
