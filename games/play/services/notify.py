"""What a transaction tells the clients: the class's version bump (inside it) and the pushes of the views
it changed, sent only after it commits (Zulip's `send_event_on_commit`)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from games.crisis.game import State
from games.models import ClassSession, Round
from games.play import broadcast


def bump_version(class_session: ClassSession) -> None:
    ClassSession.objects.filter(pk=class_session.pk).update(version=F("version") + 1)
    class_session.refresh_from_db(fields=["version"])


def push_round_on_commit(rnd: Round, class_session: ClassSession, state: State) -> None:
    """After commit, the seated students' views of this round as the transaction left it, built from the
    objects in memory (re-reading the round would cost a query and could skip this very seq)."""
    seq, snapshot_of = (
        rnd.seq,
        (
            class_session.status,
            class_session.version,
            class_session.current_round,
            class_session.next_round_at,
        ),
    )

    def push() -> None:
        # The views must show what this commit made; a later change in this process must not leak in.
        if (
            rnd.seq,
            (
                class_session.status,
                class_session.version,
                class_session.current_round,
                class_session.next_round_at,
            ),
        ) != (seq, snapshot_of):
            broadcast.push_round(rnd.pk)
        else:
            broadcast.push_round_views(rnd, class_session, state)

    transaction.on_commit(push)


def push_class_on_commit(class_session: ClassSession) -> None:
    cls_id = class_session.pk
    transaction.on_commit(lambda: broadcast.push_class(cls_id))
