"""Channel-layer group names, in one place (the consumers and the broadcaster both use them)."""

from __future__ import annotations

from typing import Any


def participant_group(participant_id: Any) -> str:
    """Every connection of one participant: its own view of its seat goes here and nowhere else."""
    return f"participant.{str(participant_id).replace('-', '')}"


def instructor_group(code: str) -> str:
    """Staff dashboards of one class."""
    return f"instructor.{code}"
