"""The discussion that ends each debrief: questions about what this class did (from the class report),
about one round (from its report), about a student's own decisions, and the scenario's own questions.
The words and the rule for asking each question are `games.vocabulary.discussion`'s; this module reads
the reports (pure: no ORM)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from games.crisis.params import Params
from games.debrief import text
from games.vocabulary import labels, numbers
from games.vocabulary.discussion import (
    ClassFacts,
    Question,
    class_questions,
    round_questions,
    scenario_questions,
)


def class_facts(report: Mapping[str, Any]) -> ClassFacts:
    """The class's finished rounds by alliance decision and terminal, from a class report's summary (the
    outcomes by condition: staff and students both have them)."""
    scenario = report["scenario"]
    return ClassFacts.from_outcomes(
        report["by_condition"], alliance_type=scenario["alliance_type"], tripwire=scenario["tripwire"]
    )


def class_discussion(report: Mapping[str, Any], scenario: str) -> dict[str, list[dict[str, str]]]:
    """The class debrief's discussion: questions about this class's rounds, then the scenario's own
    (`scenario`: its questions, one a line)."""
    return {
        "class": [q.as_dict() for q in class_questions(class_facts(report))],
        "scenario": [q.as_dict() for q in scenario_questions(scenario)],
    }


def round_discussion(
    data: Mapping[str, Any], params: Params, scenario: str
) -> dict[str, list[dict[str, str]]]:
    """A round debrief's discussion: questions about the round, from its report
    (`round_report.round_debrief`) and the class's parameters (the treaty's type, the cost of abandoning an
    ally), then the scenario's own (`scenario`: one a line)."""
    return {
        "round": _round_questions(data, params),
        "scenario": [q.as_dict() for q in scenario_questions(scenario)],
    }


def _round_questions(data: Mapping[str, Any], params: Params) -> list[dict[str, str]]:
    if not data.get("finished") or not data.get("outcome"):
        return []
    flags = data.get("flags") or []
    amounts = {"R": numbers.as_points(params.core(bool(data.get("armed"))).R)}
    for flag in flags:
        if "K" in flag:
            amounts["K"] = numbers.as_points(flag["K"])
    questions = round_questions(
        data["outcome"], (f["name"] for f in flags), params.alliance_type.value, amounts
    )
    return [q.as_dict() for q in questions]


def student_discussion(
    report: Mapping[str, Any], mine: list[dict[str, Any]], scenario: str
) -> dict[str, list[dict[str, str]]]:
    """The student debrief's discussion: one question about the student's own decisions, then the class's
    and the scenario's (`mine`: `class_analysis.student_debrief`)."""
    return {"you": [q.as_dict() for q in _your_question(mine)], **class_discussion(report, scenario)}


def _your_question(mine: list[dict[str, Any]]) -> list[Question]:
    """About the student's first decision off the benchmark, or about all of them matching it."""
    decisions = [(r, d) for r in mine for d in r["decisions"] if d.get("kind") == "move"]
    if not decisions:
        return []
    off = next(((r, d) for r, d in decisions if d.get("deviation")), None)
    if off is None:
        return [
            Question(
                "you",
                _(
                    "Each of your decisions was one theory gives a place to: did you reason as the model "
                    "does, or did it turn out that way?"
                ),
            )
        ]
    r, d = off
    values = {
        "round": r["round"],
        "node": text.infoset({"node": d["node"], **text.infoset_context(d["infoset"])}),
        "chose": labels.action_label(d["action"]),
        "predicted": text.predicted(d["probs"]),
    }
    return [
        Question(
            "you",
            _(
                "In round %(round)s, at %(node)s, you chose “%(chose)s” where theory predicted "
                "“%(predicted)s”: what did you expect the other players to do?"
            )
            % values,
        )
    ]
