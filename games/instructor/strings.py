"""Words the dashboard's and the projector's scripts show, in the visitor's language; the game's names
come from `games.vocabulary.labels`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from games.vocabulary import labels


def page_strings() -> dict[str, Any]:
    return {
        "status": labels.forms(labels.CLASS_STATUS, "name"),
        "roles": labels.forms(labels.ROLES, "name"),
        "nodes": labels.forms(labels.NODES, "title"),
        "actions": {**labels.forms(labels.ACTIONS, "did"), **labels.forms(labels.CHANCE_ACTIONS, "did")},
        "outcomes": labels.forms(labels.OUTCOMES, "name"),
        "qualifiers": labels.qualifier_tags(),
        "us_types": labels.type_forms("name", role="us"),
        "challenger_types": labels.type_forms("name", role="challenger"),
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
