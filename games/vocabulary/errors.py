"""Every refusal a person reads, by its code: one table per boundary that speaks to people.

* `JOIN`: the join page and `POST /api/join` (DESIGN.md's join errors);
* `PLAY`: the player socket's `error` frames and the board (the protocol's error codes);
* `INSTRUCTOR`: the class controls on the dashboard and the staff-only pages and feeds;
* `POLL`: "predict before the reveal" polls (the dashboard's poll controls and `POST /play/poll/`).

The services raise a code (and the values its message needs, e.g. `max_length`); the boundary words it
here, in the visitor's language. Socket frames have no visitor language: they are worded in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

JOIN: dict[str, Promise] = {
    "bad_code": _("Enter the class code your instructor gave you."),
    "bad_name": _("Enter a display name of at most %(max_length)s characters, without control characters."),
    "not_found": _("There is no class with that code."),
    "closed": _("This class has ended."),
    "full": _("This class is full."),
    "busy": _("The server is busy. Wait a moment and try again."),
    "rate_limited": _("Too many attempts. Wait a minute and try again."),
    "bad_json": _("The request body is not valid JSON."),
    "bad_request": _('Send a JSON object {"code": ..., "name": ...} of at most 4 KiB as application/json.'),
}

PLAY: dict[str, Promise] = {
    "bad_json": _("The server could not read that message."),
    "bad_message": _("The server could not understand that message."),
    "not_seated": _("You do not have a seat in this round."),
    "not_your_turn": _("It is not your turn."),
    "illegal_action": _("That action is not allowed now."),
    "stale": _(
        "That move was not played: the crisis had already moved on (perhaps in another tab). "
        "Here is the current state."
    ),
    "rate_limited": _("Too many messages; slow down."),
    "unavailable": _("The server is busy; try again in a moment."),
}

INSTRUCTOR: dict[str, Promise] = {
    "already_started": _("This class has already started."),
    "empty": _("Nobody has joined yet, and bots may not fill the seats."),
    "not_running": _("This class is not running."),
    "not_paused": _("Only a paused class can be resumed."),
    "round_not_over": _("Some groups are still playing this round."),
    "last_round": _("The last round has been played: there is no next round."),
    "no_countdown": _("No next round is counting down."),
    "already_ended": _("This class has already ended."),
    "not_finished": _("Only a finished class can give up its code."),
    "forbidden": _("Only instructors (staff) may use this."),
}

POLL: dict[str, Promise] = {
    "bad_request": _('Send a JSON object {"poll": ..., "answer": "yes" or "no"} as application/json.'),
    "bad_question": _("There is no such poll question."),
    "bad_answer": _("Answer yes or no."),
    "not_joined": _("Join the class first."),
    "not_found": _("There is no such poll in your class."),
    "not_running": _("Polls can be opened only while a round is being played."),
    "already_open": _("Another poll is open: close it first."),
    "already_asked": _("This question has already been asked this round."),
    "no_open_poll": _("No poll is open."),
    "closed": _("This poll is closed."),
    "round_over": _("Your group's round is over: predictions are taken before the result."),
}

UNKNOWN = _("The server could not do that.")


def message(table: Mapping[str, Promise], code: str, params: Mapping[str, Any] | None = None) -> str:
    """The refusal `code` of `table` in the active language, its placeholders filled from `params`."""
    text = str(table.get(code, UNKNOWN))
    return text % dict(params) if params else text


def in_english(table: Mapping[str, Promise], code: str, params: Mapping[str, Any] | None = None) -> str:
    """The refusal as a socket frame words it, whoever's language is active."""
    with translation.override("en"):
        return message(table, code, params)
