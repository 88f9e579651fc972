"""The move path's hand-written SQL: the round a participant is seated in (locked), its class and its
three seat holders, loaded as the ORM would load them.

Compiling the equivalent ORM queries was the largest cost of a move in the worker (docs/performance.md,
"queries per move"); tests/test_seat_query.py checks these loaders against the ORM queries they replace,
on SQLite and PostgreSQL. Table and column names come from the models.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from games.crisis.game import ROLES
from games.models import ClassSession, Group, Participant, Round

_SEAT_ROUND_SQL = (
    f"SELECT r.*, g.number AS group_number FROM {Round._meta.db_table} r"
    f" JOIN {ClassSession._meta.db_table} c ON c.id = r.class_session_id"
    f" JOIN {Group._meta.db_table} g ON g.id = r.group_id"
    " WHERE (r.japan_id = %s OR r.us_id = %s OR r.challenger_id = %s) AND r.number = c.current_round"
    " LIMIT 1"
)


_CLASS_SQL = f"SELECT * FROM {ClassSession._meta.db_table} WHERE id = %s"


_SEATS_SQL = f"SELECT * FROM {Participant._meta.db_table} WHERE id IN (%s, %s, %s)"


def _participant_param(pk: Any) -> Any:
    """A participant id as the database takes it in raw SQL (a uuid in PostgreSQL, hex text in SQLite)."""
    return Participant._meta.pk.get_db_prep_value(pk, connection)


def lock_seat_round(participant_id: Any) -> Round | None:
    """Lock the round of the class's current round in which `participant_id` has a seat, and load its
    class (read after the lock, so a pause that committed meanwhile is seen) and its group's number."""
    pid = _participant_param(Participant._meta.pk.to_python(participant_id))  # malformed: ValidationError
    lock = " FOR UPDATE OF r" if connection.features.has_select_for_update_of else ""  # SQLite: no need
    rnd = next(iter(Round.objects.raw(_SEAT_ROUND_SQL + lock, [pid, pid, pid])), None)
    if rnd is None:
        return None
    class_session = next(iter(ClassSession.objects.raw(_CLASS_SQL, [rnd.class_session_id])))
    group = Group.from_db(rnd._state.db, ["id", "number"], [rnd.group_id, rnd.group_number])
    Round._meta.get_field("class_session").set_cached_value(rnd, class_session)
    Round._meta.get_field("group").set_cached_value(rnd, group)
    return rnd


def load_seats(rnd: Round, participant_id: Any) -> Participant | None:
    """Load the round's three seat holders in one query (as if select_related); return the one that is
    `participant_id`, or None."""
    ids = {role: getattr(rnd, f"{role}_id") for role in ROLES}
    holders = {
        p.pk: p for p in Participant.objects.raw(_SEATS_SQL, [_participant_param(i) for i in ids.values()])
    }
    for role, pk in ids.items():
        Round._meta.get_field(role).set_cached_value(rnd, holders[pk])
    return next((holders[pk] for pk in ids.values() if str(pk) == str(participant_id)), None)


def loaded_seats(rnd: Round) -> dict[Any, Participant]:
    """The round's seat holders that were loaded with it (select_related), by id."""
    seats = {}
    for role in ROLES:
        field = Round._meta.get_field(role)
        if field.is_cached(rnd):
            holder = field.get_cached_value(rnd)
            seats[holder.pk] = holder
    return seats
