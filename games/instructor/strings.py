"""Words the dashboard's and the projector's scripts show, in the visitor's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from games.vocabulary import labels


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
