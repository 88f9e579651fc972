"""What the dashboard and the projector show of the current round's polls (read only).

* Dashboard (staff): every poll of the current round with its live tally (yes / no).
* Projector (the classroom): while a poll is open, the question and how many answered, never the split:
  predictions are revealed with the result. Once every group has finished the poll's round, the
  predictions (share yes / no) beside what happened (of the groups where the question's condition arose,
  the share where the event occurred) and theory's probability, averaged over the round's groups (each
  group's benchmark at its own prior, `games.crisis.polls.theory`).
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

from games.crisis import polls as events
from games.crisis.solver import round_benchmark
from games.models import ClassSession, Poll, PollAnswer, Round
from games.play.round_state import state_of
from games.vocabulary.formats import iso_utc


def _tallies(polls: list[Poll]) -> dict[int, Counter[str]]:
    out: dict[int, Counter[str]] = {poll.pk: Counter() for poll in polls}
    for poll_id, answer in PollAnswer.objects.filter(poll__in=polls).values_list("poll_id", "answer"):
        out[poll_id][answer] += 1
    return out


def outcome(question: str, rounds: list[Round], class_session: ClassSession) -> dict[str, Any]:
    """Of finished `rounds`: how many reached the question's condition, in how many the event occurred, and
    theory's probability of the event (the mean over the rounds of each one's benchmark)."""
    reached = occurred = 0
    theory: list[Fraction] = []
    condition: list[Fraction] = []
    for rnd in rounds:
        snap = rnd.state or {}
        if snap.get("result"):
            happened = events.occurred(question, snap.get("alliance") or 0, snap["result"])
            if happened is not None:
                reached += 1
                occurred += happened
        bench = round_benchmark(state_of(rnd, class_session).params, Fraction(rnd.prior))
        theory.append(events.theory(question, bench))
        condition.append(events.condition_probability(question, bench))
    n = len(theory) or 1
    return {
        "groups": len(rounds),
        "reached": reached,
        "occurred": occurred,
        "share": occurred / reached if reached else None,
        "theory": float(sum(theory, Fraction(0)) / n) if theory else None,
        "theory_condition": float(sum(condition, Fraction(0)) / n) if condition else None,
    }


def _entry(poll: Poll, tally: Counter[str], *, staff: bool, finished: list[Round] | None, cs: ClassSession):
    answers = sum(tally.values())
    entry: dict[str, Any] = {
        "id": poll.pk,
        "question": poll.question,
        "round": poll.round_number,
        "status": poll.status,
        "answers": answers,
        "revealed": finished is not None,
    }
    if staff:
        entry.update(opened=iso_utc(poll.opened), closed=iso_utc(poll.closed))
    if staff or finished is not None:
        entry["predicted"] = {answer: tally[answer] for answer in events.ANSWERS}
    if finished is not None:
        entry["happened"] = outcome(poll.question, finished, cs)
    return entry


def round_polls(class_session: ClassSession, *, staff: bool) -> dict[str, Any]:
    """The current round's polls (oldest first), which is open, and the questions that may still be asked."""
    number = class_session.current_round
    polls = list(
        Poll.objects.filter(class_session=class_session, round_number=number).order_by("opened", "pk")
    )
    rounds = list(Round.objects.filter(class_session=class_session, number=number)) if polls else []
    over = bool(rounds) and all(r.status == Round.Status.FINISHED for r in rounds)
    tallies = _tallies(polls)
    asked = {poll.question for poll in polls}
    return {
        "round": number,
        "open": next((poll.pk for poll in polls if poll.status == Poll.Status.OPEN), None),
        "polls": [
            _entry(poll, tallies[poll.pk], staff=staff, finished=rounds if over else None, cs=class_session)
            for poll in polls
        ],
        "available": [code for code in events.QUESTIONS if code not in asked],
    }
