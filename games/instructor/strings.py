"""Words the dashboard's and the projector's scripts show, in the visitor's language; the game's names
come from `games.vocabulary.labels`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from games.vocabulary import labels, polls, tones


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
        "tones": tones.all_tones(),
        "moved_by": moved_by(),
        "waiting_for_you": _(
            "Every group has finished this round: the class waits for you. Press “Next round” when the "
            "discussion is over."
        ),
        "extend_note": _("“+30 s” shows this result 30 seconds longer."),
        "advance_named": _("%(action)s (group %(group)s)"),  # the button's name holds its visible words
        "poll": poll_words(),
    }


def poll_words() -> dict[str, Any]:
    """A "predict before the reveal" poll on the dashboard (the live tally) and the projector (the count,
    then the predictions beside what happened and theory)."""
    return {
        **polls.strings(),
        "title": _("Predict before the reveal"),
        "open": _("open"),
        "closed": _("closed"),
        "answered": _("%(count)s answered"),
        "tally": _("%(yes)s yes · %(no)s no"),
        "none_yet": _("No poll this round yet."),
        "all_asked": _("Every question has been asked this round."),
        "waiting": _("Predictions are shown with the round's result."),
        "predicted": _("Predicted yes"),
        "happened": _("Happened"),
        "theory": _("Theory"),
        "happened_line": _("%(event)s in %(occurred)s of %(reached)s %(among)s."),
        "happened_none": _("No group reached this question (%(among)s: 0)."),
        "theory_never": _("Theory expects this situation never to arise; had it arisen: %(share)s."),
    }


def moved_by() -> dict[str, str]:
    """Who made a seated student's decision for them, as a group card marks it."""
    return {
        "timeout": _("played by the timeout"),
        "standin": _("played by a stand-in bot"),
        "instructor": _("played by you (timeout default)"),
    }


def projector_teaching() -> dict[str, Any]:
    """What the projector says between rounds and at the end."""
    return {
        "tones": tones.all_tones(),
        "tone_names": {
            tones.HELD: _("deterrence held"),
            tones.FAILED: _("deterrence failed"),
            tones.ABANDONED: _("ally abandoned"),
        },
        "decision_left": _("Decision time left: %(time)s"),
        "paused_left": _("Paused: %(time)s left"),
        "waiting_instructor": _("Waiting for the instructor to start the next round"),
        "round_summary_title": _("Round %(round)s: what the groups did"),
        "class_summary_title": _("The class at the end"),
        "round_line": _("Groups this round: %(n)s. Deterrence held in %(held)s"),
        "class_line": _("Rounds played: %(n)s. Deterrence held in %(held)s"),
        "failed_in": _(", failed in %(failed)s"),
        "abandoned_in": _(", and the ally was abandoned in %(abandoned)s"),
        "line_end": _("."),
        "theory_expected": _("Theory expected deterrence to hold in %(held)s of rounds."),
        "choices_title": _("Choices at each decision, beside theory"),
        "students_only": _(
            "Students' own decisions only (no bots or timeouts); the black mark is theory's probability."
        ),
        "no_choices": _("No student made a decision this round (bots and timeouts played)."),
        "theory": _("theory %(share)s"),
        "questions_title": _("For discussion"),
        "debrief_link": _("Open the class debrief"),
        "show_leaderboard": _("Show the leaderboard"),
        "hide_leaderboard": _("Hide the leaderboard"),
        "leaderboard_title": _("Points by role (each role on its own scale)"),
        "points": _("%(points)s points"),
        "nobody": labels.NOBODY,
        "roles": labels.forms(labels.ROLES, "name"),
        "actions": labels.forms(labels.ACTIONS, "label"),
        "questions": labels.forms(labels.NODES, "question"),
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
    return {**{key: strings[key] for key in keys}, **projector_teaching(), "poll": strings["poll"]}
