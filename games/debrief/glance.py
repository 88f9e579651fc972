"""What a debrief shows at a glance: one strip per round a student played (held or failed, the path the
round took, their points), the outcome rows a scenario can reach (none for a module it does not use), and
the class's decisions counted in words that agree with their numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from games.vocabulary import labels, tones

MODULE_D_OUTCOMES = "PREVENTIVE_DIPLOMACY_SUCCEEDED"  # reached only through Module D's preventive diplomacy
ALLIANCE_KIND_ROWS = ("offensive", "neutrality")  # lecture rows about a kind of treaty


def tone_names() -> dict[str, str]:
    return {
        tones.HELD: _("Deterrence held"),
        tones.FAILED: _("Deterrence failed"),
        tones.ABANDONED: _("Ally abandoned"),
    }


def round_strip(entry: Mapping[str, Any], row: Mapping[str, Any], treaty: str | None) -> dict[str, Any]:
    """One round of a student (`class_analysis.student_debrief`'s entry, the report's round row): its
    tone, outcome, the moves in order (the student's own marked) and the student's points."""
    role = entry["role"]
    tone = tones.tone(row["outcome"]) or tones.FAILED
    path = [
        {
            "node": d["node"],
            "role": d["role"],
            "action": d["action"],
            "label": labels.action_label(d["action"]),
            "mine": d["role"] == role,
        }
        for d in row["decisions"]
    ]
    return {
        "tone": tone,
        "tone_label": tone_names()[tone],
        "outcome_label": labels.outcome_name(row["outcome"], treaty),
        "path": path,
        "points": row["payoffs"][role]["points"],
    }


def reachable_outcomes(rows: list[dict[str, Any]], scenario: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The outcome rows this scenario can reach: without Module D, none of preventive diplomacy's."""
    if scenario.get("module_d"):
        return rows
    return [row for row in rows if not row["key"].startswith(MODULE_D_OUTCOMES)]


def lecture_rows_that_apply(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lecture's findings this scenario speaks to: a kind of treaty it does not use is left out."""
    return [row for row in rows if row["key"] not in ALLIANCE_KIND_ROWS or row.get("applies")]


def decisions_in_words(events: Mapping[str, int]) -> str:
    """The class's decisions by who made them, each count with its own plural ("1 timeout", "2 timeouts")."""
    moves, bots, timeouts, standins = (events.get(kind, 0) for kind in ("move", "bot", "timeout", "standin"))
    parts = [
        ngettext("%(count)s by a student", "%(count)s by students", moves) % {"count": moves},
        ngettext("%(count)s by a bot", "%(count)s by bots", bots) % {"count": bots},
        ngettext("%(count)s timeout", "%(count)s timeouts", timeouts) % {"count": timeouts},
        ngettext("%(count)s by a stand-in bot", "%(count)s by stand-in bots", standins) % {"count": standins},
    ]
    return _("Decisions: %(counts)s.") % {"counts": _(", ").join(parts)}
