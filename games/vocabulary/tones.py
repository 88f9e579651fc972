"""The tone of an outcome, held / failed / abandoned: the one mapping every page colours outcomes by.

The student's result card, the instructor's dashboard, the projector and the debriefs all read an
outcome's tone here (the pages receive it as data, `data-tone`), and one rule in `css/app.css` turns each
tone into its colour, so that held is green, failed amber and abandoned red everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from games.crisis.debrief import OUTCOME_KEYS

HELD, FAILED, ABANDONED = "held", "failed", "abandoned"
TONES: tuple[str, ...] = (HELD, FAILED, ABANDONED)

# §5's primary labels by tone; every other label is a deterrence failure.
_HELD_LABELS = frozenset(
    {"GENERAL_DETERRENCE_HELD", "IMMEDIATE_DETERRENCE_HELD", "PREVENTIVE_DIPLOMACY_SUCCEEDED"}
)
_ABANDONED_LABELS = frozenset({"ABANDONMENT"})


def tone(outcome: str | None) -> str | None:
    """The tone of an outcome key ("LABEL" or "LABEL/qualifier"); None for no outcome."""
    if not outcome:
        return None
    label = outcome.partition("/")[0]
    if label in _HELD_LABELS:
        return HELD
    if label in _ABANDONED_LABELS:
        return ABANDONED
    return FAILED


def tones_of(keys: Iterable[str]) -> dict[str, str]:
    """{outcome key: tone} for the given keys (for pages that colour keys they receive as data)."""
    return {key: tone(key) or FAILED for key in keys}


def all_tones() -> dict[str, str]:
    """{key: tone} for every outcome key and every primary label of §5."""
    keys = list(OUTCOME_KEYS) + [key.partition("/")[0] for key in OUTCOME_KEYS]
    return tones_of(dict.fromkeys(keys))


def count_tones(outcomes: Iterable[str]) -> dict[str, int]:
    """How many of the outcomes have each tone, every tone present (0 when none)."""
    counts = dict.fromkeys(TONES, 0)
    for outcome in outcomes:
        found = tone(outcome)
        if found:
            counts[found] += 1
    return counts
