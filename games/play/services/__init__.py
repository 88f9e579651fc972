"""Every state change of live play, each one function with one transaction (docs/live-play.md).

Tasks, consumers, pages, admin actions, management commands and tests all call these functions; nothing
else writes `ClassSession`, `Participant`, `Group`, `Round` or `Event` rows. Rules come from the pure
engine (`games.crisis`); what a transaction changed reaches the clients only after it commits (`notify`).
Call them through this package (`services.submit_move`), the API below.
"""

from games.play.services.classes import (
    MAX_NAME_LENGTH,
    StageSpec,
    check_stages,
    create_class,
    end_class,
    extend_result,
    join_class,
    next_round_now,
    normalise_code,
    normalise_name,
    pause_class,
    release_debrief,
    resume_class,
    retire_code,
    stage_errors,
    start_class,
)
from games.play.services.connections import participant_connected, participant_disconnected
from games.play.services.deadlines import apply_due, force_timeout, start_next_round, sweep
from games.play.services.errors import JoinError, MoveRejected, ServiceError
from games.play.services.moves import MoveOutcome, MoveRequest, MoveResult, submit_move, submit_moves
from games.play.services.polls import PollError, answer_poll, close_poll, open_poll

__all__ = [
    "MAX_NAME_LENGTH",
    "JoinError",
    "MoveOutcome",
    "MoveRejected",
    "MoveRequest",
    "MoveResult",
    "PollError",
    "ServiceError",
    "StageSpec",
    "answer_poll",
    "apply_due",
    "check_stages",
    "close_poll",
    "create_class",
    "end_class",
    "extend_result",
    "force_timeout",
    "join_class",
    "next_round_now",
    "normalise_code",
    "normalise_name",
    "open_poll",
    "participant_connected",
    "participant_disconnected",
    "pause_class",
    "release_debrief",
    "resume_class",
    "retire_code",
    "stage_errors",
    "start_class",
    "start_next_round",
    "submit_move",
    "submit_moves",
    "sweep",
]
