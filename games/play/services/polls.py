""" "Predict before the reveal" polls: the instructor opens a question during a round, students answer yes or
no from their phones before the round's result, the instructor closes it (docs/polls.md).

One function and one transaction each. Every change bumps the class's version (`poll_view` remembers the
open poll per version) and pushes, after commit, the views it changed: opening and closing, every
student's; an answer, the answering student's; the staff pages refetch on `class_changed`.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from games.crisis import polls as events
from games.models import ClassSession, Participant, Poll, PollAnswer, Round
from games.play import broadcast, participant_view
from games.play.poll_view import POLLING
from games.play.services.errors import ServiceError
from games.play.services.notify import bump_version, push_class_on_commit
from games.realtime.groups import instructor_group
from games.realtime.publish import send_all
from games.vocabulary import errors, join_code


class PollError(ServiceError):
    """A poll refused: `code` is a key of `games.vocabulary.errors.POLL`."""

    messages = errors.POLL
    status = 400


def _class_for_update(code: str) -> ClassSession:
    class_session = ClassSession.objects.select_for_update().filter(code=join_code.normalise(code)).first()
    if class_session is None:
        raise PollError(code="not_found", status=404)
    return class_session


def open_poll(code: str, question: str) -> Poll:
    """Open `question` for the class's current round; refused outside a round, while another poll of this
    round is open and when this round already asked it."""
    if question not in events.QUESTIONS:
        raise PollError(code="bad_question", status=400)
    with transaction.atomic():
        class_session = _class_for_update(code)
        if class_session.status not in POLLING or class_session.current_round < 1:
            raise PollError(code="not_running", status=409)
        # A poll left open in an earlier round closed with it; one open in this round must be closed first.
        stale = class_session.polls.filter(status=Poll.Status.OPEN).exclude(
            round_number=class_session.current_round
        )
        stale.update(status=Poll.Status.CLOSED, closed=timezone.now())
        if class_session.polls.filter(status=Poll.Status.OPEN).exists():
            raise PollError(code="already_open", status=409)
        if class_session.polls.filter(round_number=class_session.current_round, question=question).exists():
            raise PollError(code="already_asked", status=409)
        poll = Poll.objects.create(
            class_session=class_session, round_number=class_session.current_round, question=question
        )
        bump_version(class_session)
        push_class_on_commit(class_session)
    return poll


def close_poll(code: str) -> Poll:
    """Close the class's open poll (its answers are kept)."""
    with transaction.atomic():
        class_session = _class_for_update(code)
        poll = class_session.polls.filter(status=Poll.Status.OPEN).order_by("-opened").first()
        if poll is None:
            raise PollError(code="no_open_poll", status=409)
        poll.status = Poll.Status.CLOSED
        poll.closed = timezone.now()
        poll.save(update_fields=["status", "closed"])
        bump_version(class_session)
        push_class_on_commit(class_session)
    return poll


def answer_poll(participant_id: Any, poll_id: Any, answer: Any) -> PollAnswer:
    """Record (or change) a student's answer while the poll is open and before their round of it ends."""
    if answer not in events.ANSWERS:
        raise PollError(code="bad_answer", status=400)
    with transaction.atomic():
        participant = Participant.objects.filter(pk=participant_id).first()
        if participant is None:
            raise PollError(code="not_joined", status=403)
        class_session = ClassSession.objects.select_for_update().get(pk=participant.class_session_id)
        poll = Poll.objects.filter(pk=poll_id, class_session=class_session).first() if poll_id else None
        if poll is None:
            raise PollError(code="not_found", status=404)
        if (
            poll.status != Poll.Status.OPEN
            or class_session.status not in POLLING
            or class_session.current_round != poll.round_number
        ):
            raise PollError(code="closed", status=409)
        own = participant_view.current_round_of(participant, class_session)
        if own is not None and own.status == Round.Status.FINISHED:
            raise PollError(code="round_over", status=409)
        try:
            with transaction.atomic():
                saved, _ = PollAnswer.objects.update_or_create(
                    poll=poll, participant=participant, defaults={"answer": answer}
                )
        except IntegrityError:  # the same student's other tab answered at the same moment
            saved = PollAnswer.objects.get(poll=poll, participant=participant)
            saved.answer = answer
            saved.save(update_fields=["answer", "answered"])
        bump_version(class_session)
        participant_pk, class_code = participant.pk, class_session.code
        transaction.on_commit(lambda: _push_answer(participant_pk, class_code))
    return saved


def _push_answer(participant_pk: Any, class_code: str) -> None:
    """After an answer: the student's own view (their answer), and a nudge to the staff pages (the tally)."""
    seq, view = participant_view.participant_state(participant_pk)
    send_all(
        [
            broadcast.state_message(participant_pk, seq, view),
            (instructor_group(class_code), {"type": "class.changed", "round": None}),
        ]
    )
