"""The move path's hand-written SQL: the round a participant is seated in (locked), its class and its
three seat holders, loaded as the ORM would load them.

Compiling the equivalent ORM queries was the largest cost of a move in the worker (docs/performance.md,
"queries per move"); tests/test_seat_query.py checks these loaders against the ORM queries they replace,
on SQLite and PostgreSQL. Table and column names come from the models.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models.sql import Query

from games.crisis.game import ROLES
from games.models import ClassSession, Group, Participant, Round

_SEATS_SQL = f"SELECT * FROM {Participant._meta.db_table} WHERE id IN (%s, %s, %s)"


def _participant_param(pk: Any) -> Any:
    """A participant id as the database takes it in raw SQL (a uuid in PostgreSQL, hex text in SQLite)."""
    return Participant._meta.pk.get_db_prep_value(pk, connection)


def load_seats(rnd: Round, participant_id: Any) -> Participant | None:
    """Load the round's three seat holders in one query (as if select_related), for a round loaded
    without them (the clock's, games.play.services.deadlines); return the one that is `participant_id`,
    or None."""
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


# The batch's loader: every round its movers are seated in, locked, in one statement; then their seat
# holders with their classes (read after the lock), in one more. (Joining the seats into the first costs
# PostgreSQL ~1 ms of planning per batch: six tables.)
_ROUND_FIELDS = Round._meta.concrete_fields
_SEAT_FIELDS = Participant._meta.concrete_fields
_CLASS_FIELDS = ClassSession._meta.concrete_fields


def _columns(alias: str, fields: Any) -> list[str]:
    return [f"{alias}.{connection.ops.quote_name(f.column)}" for f in fields]


def _seated_rounds_sql(count: int) -> str:
    ids = ", ".join(["%s"] * count)
    return (
        f"SELECT {', '.join(_columns('r', _ROUND_FIELDS))}, g.number FROM {Round._meta.db_table} r"
        f" JOIN {ClassSession._meta.db_table} c ON c.id = r.class_session_id"
        f" JOIN {Group._meta.db_table} g ON g.id = r.group_id"
        f" WHERE (r.japan_id IN ({ids}) OR r.us_id IN ({ids}) OR r.challenger_id IN ({ids}))"
        " AND r.number = c.current_round ORDER BY r.id"
    )


def _seats_sql(count: int) -> str:
    columns = _columns("p", _SEAT_FIELDS) + _columns("c", _CLASS_FIELDS)
    return (
        f"SELECT {', '.join(columns)} FROM {Participant._meta.db_table} p"
        f" JOIN {ClassSession._meta.db_table} c ON c.id = p.class_session_id"
        f" WHERE p.id IN ({', '.join(['%s'] * count)})"
    )


def _fetch(sql: str, params: list[Any], model: Any, columns: list[Any]) -> list[Any]:
    """The rows of `sql`, each value converted as the ORM converts that column (JSON, uuids, datetimes as
    this database returns them: what RawQuerySet applies)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    compiler = connection.ops.compiler("SQLCompiler")(Query(model), connection, connection.alias)
    converters = compiler.get_converters(columns)
    return list(compiler.apply_converters(rows, converters)) if rows and converters else rows


def lock_seated_rounds(participant_ids: Iterable[Any]) -> dict[str, Round]:
    """participant id (text) -> the round of its class's current round it is seated in, for every id that
    has one: all locked in one statement, in id order (batches of different shards can share a round, and
    rounds locked in any other order could make two batches each hold one the other waits for), with
    their group's number; then their seat holders and classes in one more (after the lock, so a pause
    that committed meanwhile is seen; one object per class, shared). Loads what the ORM's
    `select_related` would (tests/test_seat_query.py). A batch of one is a move on its own."""
    params = [_participant_param(pid) for pid in participant_ids]
    if not params:
        return {}
    sql = _seated_rounds_sql(len(params))
    if connection.features.has_select_for_update_of:  # SQLite has one writer at a time anyway
        sql += " FOR UPDATE OF r"
    round_columns = [f.get_col("r") for f in _ROUND_FIELDS] + [None]
    rounds = [_round_of(row) for row in _fetch(sql, params * 3, Round, round_columns)]
    if not rounds:
        return {}
    seats = _seats_with_classes({getattr(rnd, f"{role}_id") for rnd in rounds for role in ROLES})
    classes = {holder.class_session_id: holder.class_session for holder in seats.values()}
    out = {}
    for rnd in rounds:
        Round._meta.get_field("class_session").set_cached_value(rnd, classes[rnd.class_session_id])
        for role in ROLES:
            holder = seats[getattr(rnd, f"{role}_id")]
            Round._meta.get_field(role).set_cached_value(rnd, holder)
            out[str(holder.pk)] = rnd
    return out


def _round_of(row: Any) -> Round:
    rnd = Round.from_db(connection.alias, [f.attname for f in _ROUND_FIELDS], row[: len(_ROUND_FIELDS)])
    group = Group.from_db(connection.alias, ["id", "number"], [rnd.group_id, row[len(_ROUND_FIELDS)]])
    Round._meta.get_field("group").set_cached_value(rnd, group)
    return rnd


def _seats_with_classes(pks: set[Any]) -> dict[Any, Participant]:
    """The participants by id, each with its class cached (one object per class)."""
    columns = [f.get_col("p") for f in _SEAT_FIELDS] + [f.get_col("c") for f in _CLASS_FIELDS]
    rows = _fetch(_seats_sql(len(pks)), [_participant_param(pk) for pk in pks], Participant, columns)
    db, size = connection.alias, len(_SEAT_FIELDS)
    classes: dict[Any, ClassSession] = {}
    seats = {}
    for row in rows:
        holder = Participant.from_db(db, [f.attname for f in _SEAT_FIELDS], row[:size])
        if holder.class_session_id not in classes:
            classes[holder.class_session_id] = ClassSession.from_db(
                db, [f.attname for f in _CLASS_FIELDS], row[size:]
            )
        Participant._meta.get_field("class_session").set_cached_value(
            holder, classes[holder.class_session_id]
        )
        seats[holder.pk] = holder
    return seats


def lock_class(class_id: Any) -> ClassSession:
    """The class, locked (`select_for_update().get(pk=...)`: what a finished round's batch takes last)."""
    columns = ", ".join(_columns("c", _CLASS_FIELDS))
    sql = f"SELECT {columns} FROM {ClassSession._meta.db_table} c WHERE c.id = %s"
    if connection.features.has_select_for_update:  # SQLite has one writer at a time anyway
        sql += " FOR UPDATE"
    (row,) = _fetch(sql, [class_id], ClassSession, [f.get_col("c") for f in _CLASS_FIELDS])
    return ClassSession.from_db(connection.alias, [f.attname for f in _CLASS_FIELDS], row)


def round_still_playing(class_session: ClassSession, *, exclude: Any = None) -> bool:
    """Whether a round of the class's current round other than `exclude` is still playing."""
    sql = f"SELECT 1 FROM {Round._meta.db_table} WHERE class_session_id = %s AND number = %s AND status = %s"
    params = [class_session.pk, class_session.current_round, Round.Status.PLAYING]
    if exclude is not None:
        sql, params = sql + " AND id <> %s", [*params, exclude]
    with connection.cursor() as cursor:
        cursor.execute(sql + " LIMIT 1", params)
        return cursor.fetchone() is not None
