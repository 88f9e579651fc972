"""The words of "predict before the reveal" polls: one table, keyed by the engine's question codes
(`games.crisis.polls.QUESTIONS`; tests/test_polls.py checks the keys match), and the two answers.

Each question has the sentence students answer (`text`), what the projector calls the rounds where its
condition arose (`among`: "allied groups") and what it calls the event (`event`: "challenged").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Question:
    text: Promise  # "Will the Challenger challenge an allied Japan?"
    among: Promise  # the groups where the condition arose: "groups where the US allied"
    event: Promise  # the event, as the projector's result names it: "the Challenger challenged"


QUESTIONS: dict[str, Question] = {
    "challenge_allied": Question(
        _("Will the Challenger challenge an allied Japan?"),
        _("groups where the US allied"),
        _("the Challenger challenged"),
    ),
    "challenge_unallied": Question(
        _("Will the Challenger challenge a Japan without an ally?"),
        _("groups where the US did not ally"),
        _("the Challenger challenged"),
    ),
    "japan_resists": Question(
        _("Will Japan resist if challenged?"),
        _("groups where the Challenger challenged"),
        _("Japan resisted"),
    ),
    "challenger_attacks": Question(
        _("Will the Challenger attack if Japan resists?"),
        _("groups where Japan resisted"),
        _("the Challenger attacked"),
    ),
    "us_intervenes": Question(
        _("Will the US intervene if Japan is attacked?"),
        _("groups where Japan was attacked"),
        _("the US intervened"),
    ),
}

ANSWERS: dict[str, Promise] = {
    "yes": pgettext_lazy("poll answer", "Yes"),
    "no": pgettext_lazy("poll answer", "No"),
}


def question_forms() -> dict[str, dict[str, str]]:
    """Every question's words in the active language, for a page's string table."""
    return {
        code: {"text": str(q.text), "among": str(q.among), "event": str(q.event)}
        for code, q in QUESTIONS.items()
    }


def strings() -> dict[str, Any]:
    """The poll words a page needs (questions and answers), in the active language."""
    return {"questions": question_forms(), "answers": {code: str(text) for code, text in ANSWERS.items()}}
