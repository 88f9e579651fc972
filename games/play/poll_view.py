"""The open "predict before the reveal" poll as each student's `view.poll` shows it (read only).

Every change to a poll (opened, answered, closed: `services.polls`) bumps the class's version, so the open
poll of a class at one version never changes. It is read once per process and version, with every answer,
and remembered: the views pushed after a move are built without a query (tests/test_move_queries.py), and
a push to a whole class reads the poll once, not once per student.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from games.models import ClassSession, Poll, PollAnswer, Round

ANSWERS = ("yes", "no")  # games.crisis.polls.ANSWERS, in the order the buttons show them
POLLING = (ClassSession.Status.RUNNING, ClassSession.Status.PAUSED)


@dataclass(frozen=True)
class OpenPoll:
    id: int
    question: str
    round_number: int
    answers: dict[Any, str] = field(default_factory=dict)  # participant id -> answer


_MEMO: OrderedDict[tuple, OpenPoll | None] = OrderedDict()
_MEMO_KEPT = 2048


def _key(class_session: ClassSession) -> tuple:
    return (class_session.pk, class_session.code, class_session.created, class_session.version)


def open_poll(class_session: ClassSession) -> OpenPoll | None:
    """The class's open poll (at most one) with its answers, as of the class's version."""
    if class_session.status not in POLLING or class_session.pk is None:
        return None
    key = _key(class_session)
    if key in _MEMO:
        return _MEMO[key]
    poll = (
        Poll.objects.filter(class_session=class_session, status=Poll.Status.OPEN).order_by("-opened").first()
    )
    found = None
    if poll is not None:
        answers = dict(PollAnswer.objects.filter(poll=poll).values_list("participant_id", "answer"))
        found = OpenPoll(poll.pk, poll.question, poll.round_number, answers)
    _MEMO[key] = found
    while len(_MEMO) > _MEMO_KEPT:
        _MEMO.popitem(last=False)
    return found


def student_poll(
    participant_id: Any, class_session: ClassSession, rnd: Round | None
) -> dict[str, Any] | None:
    """`view.poll` of one student: the open poll of the current round, until the student's own round of it
    is over (predictions come before the result); None otherwise."""
    poll = open_poll(class_session)
    if poll is None or poll.round_number != class_session.current_round:
        return None
    if rnd is not None and rnd.number == poll.round_number and rnd.status == Round.Status.FINISHED:
        return None
    return {
        "id": poll.id,
        "question": poll.question,
        "round": poll.round_number,
        "options": list(ANSWERS),
        "your_answer": poll.answers.get(participant_id),
    }
