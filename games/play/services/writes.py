"""Where a move's rows go: written at once (`Writes`: a single move, a due decision), or held in memory
and written for a whole batch in a few statements (`DeferredWrites`: `submit_moves`).

A batch of N moves written one by one costs a savepoint, an INSERT and an UPDATE per move, 4N statements;
held until the batch ends it costs one INSERT of its events, one UPDATE of its rounds and, when rounds
finished, one of its groups and one of the players' points (docs/performance.md, "Writing a batch").
The move's checks and its state in memory are the same either way (`moves.record`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, connection

from games.crisis.game import ROLES, State
from games.models import ClassSession, Event, Group, Participant, Round
from games.play.services.errors import MoveRejected
from games.play.services.notify import push_round_on_commit

ROUND_FIELDS_A_MOVE_CHANGES = (
    "seq", "node", "state", "deadline", "due_at", "status", "finished", "reputation", "moved_for"
)  # fmt: skip
GROUP_FIELDS_A_ROUND_CHANGES = ("prior", "us_type")


class Writes:
    """Each row written when the move makes it, inside the caller's transaction."""

    def event(self, event: Event) -> None:
        try:
            event.save(force_insert=True)
        except IntegrityError as exc:  # a concurrent duplicate: the unique constraints decide
            raise MoveRejected(code="stale") from exc

    def round(self, rnd: Round, class_session: ClassSession, state: State) -> None:
        rnd.save(update_fields=[*ROUND_FIELDS_A_MOVE_CHANGES])
        push_round_on_commit(rnd, class_session, state)

    def group(self, group: Group) -> None:
        Group.objects.filter(pk=group.pk).update(
            **{name: getattr(group, name) for name in GROUP_FIELDS_A_ROUND_CHANGES}
        )

    def points(self, gains: dict[Any, float]) -> None:
        add_points(gains)

    def hold_class(self, class_session: ClassSession) -> bool:
        """A round of `class_session` finished: True if the caller closes the class round later
        (`finished_classes`), False to close it now."""
        return False

    def has_move(self, round_id: int, move_id: str) -> bool:
        """Whether `move_id` was applied in that round and is held here, not yet written."""
        return False


class BatchWrites(Writes):
    """A batch's moves written one by one (each in its savepoint), its finished classes closed at the end:
    the way back when a batch's deferred write is refused (`moves.submit_moves`)."""

    def __init__(self) -> None:
        self.finished_classes: dict[int, ClassSession] = {}

    def hold_class(self, class_session: ClassSession) -> bool:
        self.finished_classes[class_session.pk] = class_session
        return True


class DeferredWrites(BatchWrites):
    """A batch's rows held in memory and written by `flush`, each kind in one statement. A move that fails
    midway is forgotten whole (`move`): its rows, and what it changed of its round and points in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []
        self.rounds: dict[int, tuple[Round, ClassSession, State]] = {}
        self.groups: dict[int, Group] = {}
        self.gains: dict[Any, float] = {}
        self._move_ids: set[tuple[int, str]] = set()
        self._move: _MoveRows | None = None

    @contextmanager
    def move(self, rnd: Round | None) -> Iterator[None]:
        """One move: its rows are kept if the block ends normally; otherwise they are dropped and its
        round and seat holders in memory are put back as they were (the rest of the batch builds on them)."""
        saved = _memory_of(rnd)
        self._move = _MoveRows()
        try:
            yield
        except BaseException:
            _restore(rnd, saved)
            raise
        else:
            self._keep(self._move)
        finally:
            self._move = None

    def has_move(self, round_id: int, move_id: str) -> bool:
        return (round_id, move_id) in self._move_ids

    def event(self, event: Event) -> None:
        if event.move_id is not None and self.has_move(event.round_id, event.move_id):
            raise MoveRejected(code="stale")  # its id was used by an earlier move of this round and batch
        self._current().events.append(event)

    def round(self, rnd: Round, class_session: ClassSession, state: State) -> None:
        self._current().rounds.append((rnd, class_session, state))

    def group(self, group: Group) -> None:
        self._current().groups.append(group)

    def points(self, gains: dict[Any, float]) -> None:
        self._current().gains.append(gains)

    def hold_class(self, class_session: ClassSession) -> bool:
        self._current().classes.append(class_session)
        return True

    def flush(self) -> None:
        """Write what the batch's moves made (events, rounds, groups, points, in that order) and ask for
        each round's views after commit. A move id used before in its round (only a client reusing ids
        can do that) makes the INSERT raise IntegrityError: the caller applies the batch again, one move
        at a time."""
        insert_rows(Event, self.events)
        update_rows(Round, ROUND_FIELDS_A_MOVE_CHANGES, [rnd for rnd, _, _ in self.rounds.values()])
        update_rows(Group, GROUP_FIELDS_A_ROUND_CHANGES, list(self.groups.values()))
        add_points(self.gains)
        # One push per round: where two moves of one round share a batch, its players see the last state
        # (the views carry the whole history), as they would if the first push were read after commit.
        for rnd, class_session, state in self.rounds.values():
            push_round_on_commit(rnd, class_session, state)

    def _current(self) -> _MoveRows:
        if self._move is None:
            raise RuntimeError("a deferred write outside DeferredWrites.move()")
        return self._move

    def _keep(self, rows: _MoveRows) -> None:
        for event in rows.events:
            self.events.append(event)
            if event.move_id is not None:
                self._move_ids.add((event.round_id, event.move_id))
        for rnd, class_session, state in rows.rounds:
            self.rounds[rnd.pk] = (rnd, class_session, state)
        for group in rows.groups:
            self.groups[group.pk] = group
        for gains in rows.gains:
            for pk, gain in gains.items():
                self.gains[pk] = self.gains.get(pk, 0.0) + gain
        for class_session in rows.classes:
            self.finished_classes[class_session.pk] = class_session


class _MoveRows:
    """The rows one move of a deferred batch made, kept only if the move ends well."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.rounds: list[tuple[Round, ClassSession, State]] = []
        self.groups: list[Group] = []
        self.gains: list[dict[Any, float]] = []
        self.classes: list[ClassSession] = []


def _memory_of(rnd: Round | None) -> tuple[dict[str, Any], dict[Any, float]]:
    if rnd is None:
        return {}, {}
    fields = {name: getattr(rnd, name) for name in ROUND_FIELDS_A_MOVE_CHANGES}
    points = {holder.pk: holder.points for holder in _holders(rnd)}
    return fields, points


def _restore(rnd: Round | None, saved: tuple[dict[str, Any], dict[Any, float]]) -> None:
    if rnd is None:
        return
    fields, points = saved
    for name, value in fields.items():
        setattr(rnd, name, value)
    for holder in _holders(rnd):
        if holder.pk in points:
            holder.points = points[holder.pk]


def _holders(rnd: Round) -> Iterable[Participant]:
    for role in ROLES:
        field = Round._meta.get_field(role)
        if field.is_cached(rnd):
            yield field.get_cached_value(rnd)


def add_points(gains: dict[Any, float]) -> None:
    """Add each participant's gain to their points, in one statement (hand-written: the ORM's Case/When
    took a tenth of a worker's CPU under load; docs/performance.md, "Moves in batches")."""
    if not gains:
        return
    ids = [Participant._meta.pk.get_db_prep_value(pk, connection) for pk in gains]
    cases = " ".join(["WHEN %s THEN %s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Participant._meta.db_table} SET points = points + CASE id {cases} ELSE 0 END"
            f" WHERE id IN ({', '.join(['%s'] * len(ids))})",
            [*(v for pair in zip(ids, gains.values(), strict=True) for v in pair), *ids],
        )


def insert_rows(model: Any, rows: Sequence[Any]) -> None:
    """INSERT every object of `rows` in one hand-written statement: what `bulk_create` writes (each field's
    `pre_save` and `get_db_prep_save`), without compiling it, and no ids read back (nothing of a batch's
    events needs them). A unique constraint refused raises IntegrityError, as `bulk_create` does."""
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if field is not model._meta.auto_field]
    params = [
        field.get_db_prep_save(field.pre_save(row, True), connection) for row in rows for field in fields
    ]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {model._meta.db_table} ({columns}) VALUES {values}", params)


def update_rows(model: Any, fields: Sequence[str], rows: Sequence[Any]) -> None:
    """Write `fields` of every object in `rows`: on PostgreSQL in one `UPDATE ... FROM (VALUES ...)`,
    elsewhere (SQLite, embedded mode: one process) one UPDATE each."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        for row in rows:
            row.save(update_fields=list(fields))
        return
    columns = [model._meta.pk, *(model._meta.get_field(name) for name in fields)]
    row_sql = "(" + ", ".join(f"%s::{column.cast_db_type(connection)}" for column in columns) + ")"
    names = [column.column for column in columns]
    sets = ", ".join(f"{name} = v.{name}" for name in names[1:])
    params = [c.get_db_prep_save(getattr(row, c.attname), connection) for row in rows for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} AS t SET {sets}"
            f" FROM (VALUES {', '.join([row_sql] * len(rows))}) AS v({', '.join(names)})"
            f" WHERE t.{names[0]} = v.{names[0]}",
            params,
        )
