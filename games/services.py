"""Every state change of live play, each one function with one transaction (docs/live-play.md).

Tasks, consumers, HTTP views, admin actions, management commands and tests all call these functions;
nothing else writes `ClassSession`, `Participant`, `Group`, `Round` or `Event` rows.  Rules come from the
pure engine (`games.crisis`); what leaves a transaction for the clients is sent only after it commits.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from games import broadcast
from games.crisis import bots, game, reputation
from games.crisis.analysis import solution_at
from games.crisis.game import ROLES, IllegalMove, State
from games.crisis.params import Params
from games.crisis.solver import Benchmark, solve
from games.models import ClassSession, Event, Group, Participant, Round, Scenario

MAX_NAME_LENGTH = 40
ROUND_BITS, VERSION_BITS = 40, 20
MASK = (1 << 20) - 1


class ServiceError(Exception):
    """A refusal with a protocol error code and a message a person can act on."""

    code = "bad_message"
    status = 400

    def __init__(self, message: str, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class JoinError(ServiceError):
    """Joining failed: `status` is the HTTP status of DESIGN.md (400, 404, 409, 429)."""


class MoveRejected(ServiceError):  # noqa: N818 (a refusal, not a failure)
    """A move was refused; `code` is one of the protocol's error codes."""


# --------------------------------------------------------------------------------------------------
# Parameters and benchmarks (cached per process: a class's parameters never change once created)
# --------------------------------------------------------------------------------------------------


def class_params(cls: ClassSession) -> Params:
    """The class's engine parameters, remembered on the instance: a move asks for them five times (state,
    three views, the round's end), and each key to the process-wide cache costs a `json.dumps`."""
    memo = cls.__dict__.get("_engine_params")
    if memo is None or memo[0] is not cls.params:
        memo = cls.__dict__["_engine_params"] = (cls.params, _params(json.dumps(cls.params, sort_keys=True)))
    return memo[1]


@lru_cache(maxsize=256)
def _params(params_json: str) -> Params:
    return Params.from_mapping(json.loads(params_json))


@lru_cache(maxsize=4096)
def _benchmark(params: Params, prior: Fraction) -> Benchmark:
    return solve(params.with_round_prior(prior))


def round_params(cls: ClassSession, prior: Fraction) -> Params:
    return class_params(cls).with_round_prior(prior)


def benchmark_for(cls: ClassSession, prior: Fraction) -> Benchmark:
    return _benchmark(class_params(cls), prior)


def exact(x: Fraction) -> str:
    return str(Fraction(x))


# --------------------------------------------------------------------------------------------------
# Engine state <-> Round snapshot
# --------------------------------------------------------------------------------------------------


def state_of(rnd: Round, cls: ClassSession | None = None) -> State:
    """The engine state cached in the round's snapshot."""
    cls = cls or rnd.class_session
    snap = rnd.state
    return State(
        params=class_params(cls),
        prior=Fraction(rnd.prior),
        seed=rnd.seed,
        theta=rnd.us_type,
        node=snap["node"],
        armed=snap.get("armed"),
        alliance=snap.get("alliance"),
        ctype=snap.get("ctype"),
        history=game.history_from_dicts(snap.get("history", [])),
        result=snap.get("result"),
    )


def snapshot(state: State) -> dict[str, Any]:
    snap: dict[str, Any] = {
        "node": state.node,
        "armed": state.armed,
        "alliance": state.alliance,
        "ctype": state.ctype,
        "history": game.public_history(state),
        "result": state.result,
    }
    if game.is_terminal(state):
        snap["payoffs"] = {role: exact(v) for role, v in game.payoffs(state).items()}
    return snap


def replay_round(rnd: Round) -> State:
    """Rebuild the round from its event log alone (the log is the truth; the snapshot is a cache)."""
    actions = [e.action for e in rnd.events.order_by("seq") if e.kind in Event.ENGINE_KINDS]
    return game.replay(class_params(rnd.class_session), Fraction(rnd.prior), rnd.us_type, rnd.seed, actions)


# --------------------------------------------------------------------------------------------------
# Creating, joining and starting a class
# --------------------------------------------------------------------------------------------------


def create_class(
    scenario: Scenario,
    *,
    rounds: int = 3,
    code: str | None = None,
    autostart: int | None = None,
    created_by: Any = None,
    **options: Any,
) -> ClassSession:
    """A class in the lobby, with a snapshot of the scenario's parameters (validated here)."""
    scenario.engine_params()  # raises InvalidParams on a broken scenario
    options.setdefault("decision_seconds", scenario.decision_seconds)
    cls = ClassSession(
        scenario=scenario,
        rounds=rounds,
        autostart=autostart,
        created_by=created_by,
        params=dict(scenario.params),
        **options,
    )
    if code:
        cls.code = code.strip().upper()
    cls.full_clean(exclude=["created_by"])
    cls.save()
    return cls


def normalise_code(code: Any) -> str:
    if not isinstance(code, str) or not code.strip() or len(code) > 32:
        raise JoinError("Enter the class code your instructor gave you.", code="bad_code", status=400)
    if any(not ch.isprintable() for ch in code):  # NUL cannot even reach PostgreSQL
        raise JoinError("Enter the class code your instructor gave you.", code="bad_code", status=400)
    return code.strip().upper()


def normalise_name(name: Any) -> str:
    if not isinstance(name, str):
        raise JoinError("Enter a display name.", code="bad_name", status=400)
    cleaned = " ".join(name.split())
    if not cleaned:
        raise JoinError("Enter a display name.", code="bad_name", status=400)
    if len(cleaned) > MAX_NAME_LENGTH:
        raise JoinError(
            f"A display name has at most {MAX_NAME_LENGTH} characters.", code="bad_name", status=400
        )
    if any(not ch.isprintable() for ch in cleaned):
        raise JoinError("A display name cannot contain control characters.", code="bad_name", status=400)
    return cleaned


def join_class(code: Any, name: Any, session_key: str) -> Participant:
    """The browser's participant in that class: the same one again if this browser already joined."""
    code, name = normalise_code(code), normalise_name(name)
    with transaction.atomic():
        cls = ClassSession.objects.select_for_update().filter(code=code).first()
        if cls is None:
            raise JoinError("There is no class with that code.", code="not_found", status=404)
        existing = (
            cls.participants.filter(session_key=session_key, is_bot=False).first() if session_key else None
        )
        if existing is not None:
            if existing.name != name:
                existing.name = name
                existing.save(update_fields=["name"])
            return existing
        if cls.status == ClassSession.Status.FINISHED:
            raise JoinError("This class has ended.", code="closed", status=409)
        if cls.participants.filter(is_bot=False).count() >= cls.max_students:
            raise JoinError("This class is full.", code="full", status=409)
        participant = Participant.objects.create(class_session=cls, name=name, session_key=session_key)
        _bump_version(cls)
        humans = cls.participants.filter(is_bot=False).count()
        if cls.status == ClassSession.Status.LOBBY and cls.autostart and humans >= cls.autostart:
            _start(cls, timezone.now())
        else:
            _on_commit_push_class(cls)
    return participant


def start_class(code: str, *, now: datetime | None = None) -> ClassSession:
    """Group the students, fill empty seats, and start round 1."""
    now = now or timezone.now()
    with transaction.atomic():
        cls = ClassSession.objects.select_for_update().get(code=normalise_code(code))
        if cls.status != ClassSession.Status.LOBBY:
            raise ServiceError("This class has already started.", code="already_started", status=409)
        _start(cls, now)
    return cls


def _start(cls: ClassSession, now: datetime) -> None:
    humans = list(cls.participants.filter(is_bot=False).order_by("joined", "id"))
    if not humans and not cls.bots_fill:
        raise ServiceError("Nobody has joined yet.", code="empty", status=409)
    cls.status, cls.started = ClassSession.Status.RUNNING, now
    cls.save(update_fields=["status", "started"])
    _start_round(cls, 1, now)


# --------------------------------------------------------------------------------------------------
# Rounds: grouping, seats, roles
# --------------------------------------------------------------------------------------------------


def _group_count(cls: ClassSession, humans: int) -> int:
    if cls.bots_fill:
        return max(1, math.ceil(humans / 3))
    return humans // 3


def _ensure_groups(cls: ClassSession, count: int) -> list[Group]:
    params = class_params(cls)
    groups = list(cls.groups.order_by("number"))
    for number in range(len(groups) + 1, count + 1):
        seed = f"{cls.seed}:group:{number}"
        groups.append(
            Group.objects.create(
                class_session=cls,
                number=number,
                us_type=game.draw_us_type(seed, params.base_prior),
                prior=exact(params.base_prior),
            )
        )
    return groups


def _bot(cls: ClassSession, used: set[Any]) -> Participant:
    """A bot participant not yet seated this round (bots are reused across rounds)."""
    bot = cls.participants.filter(is_bot=True).exclude(pk__in=used).order_by("joined", "id").first()
    if bot is None:
        number = cls.participants.filter(is_bot=True).count() + 1
        bot = Participant.objects.create(class_session=cls, name=f"Bot {number}", is_bot=True)
    used.add(bot.pk)
    return bot


def _seatings(cls: ClassSession, number: int) -> list[tuple[Group, list[Participant]]]:
    """Each group with its three participants in the order (japan, us, challenger) for this round."""
    humans = list(cls.participants.filter(is_bot=False).order_by("joined", "id"))
    if cls.matching == ClassSession.Matching.RANDOM:
        return _random_seatings(cls, number, humans)
    return _fixed_seatings(cls, number, humans)


def _random_seatings(cls: ClassSession, number: int, humans: list[Participant]):
    rng = random.Random(f"{cls.seed}:shuffle:{number}")
    rng.shuffle(humans)
    groups = _ensure_groups(cls, _group_count(cls, len(humans)))
    used: set[Any] = set()
    out = []
    for i, group in enumerate(groups):
        members = humans[3 * i : 3 * i + 3]
        while len(members) < 3 and cls.bots_fill:
            members.append(_bot(cls, used))
        if len(members) == 3:
            out.append((group, members))
    return out


def _fixed_seatings(cls: ClassSession, number: int, humans: list[Participant]):
    homeless = [p for p in humans if p.home_group_id is None]
    all_bots = not humans and cls.bots_fill and not cls.groups.exists()  # a demo class: bots play it all
    if homeless or all_bots:
        random.Random(f"{cls.seed}:shuffle:{number}").shuffle(homeless)
        _place_newcomers(cls, homeless)
    out = []
    for group in cls.groups.order_by("number").prefetch_related("members"):  # one query, not one per group
        members = sorted(group.members.all(), key=lambda p: p.slot or 0)
        if len(members) != 3:
            continue
        rotated = [members[(slot - (number - 1)) % 3] for slot in range(3)]
        out.append((group, rotated))
    return out


def _place_newcomers(cls: ClassSession, newcomers: list[Participant]) -> None:
    """Fixed groups: newcomers take bot seats first, then fill new groups (topped up with bots)."""
    queue = list(newcomers)
    for bot in cls.participants.filter(is_bot=True, home_group__isnull=False).order_by(
        "home_group__number", "slot"
    ):
        if not queue:
            return
        student = queue.pop(0)
        student.home_group_id, student.slot = bot.home_group_id, bot.slot
        bot.home_group_id, bot.slot = None, None
        bot.save(update_fields=["home_group", "slot"])
        student.save(update_fields=["home_group", "slot"])
    existing = cls.groups.count()
    needed = _group_count(cls, len(queue)) if queue or not existing else 0
    groups = _ensure_groups(cls, existing + needed)[existing:]
    used: set[Any] = set(
        cls.participants.filter(is_bot=True, home_group__isnull=False).values_list("pk", flat=True)
    )
    for i, group in enumerate(groups):
        members = queue[3 * i : 3 * i + 3]
        while len(members) < 3 and cls.bots_fill:
            members.append(_bot(cls, used))
        for slot, member in enumerate(members):
            member.home_group, member.slot = group, slot
            member.save(update_fields=["home_group", "slot"])


def _start_round(cls: ClassSession, number: int, now: datetime) -> None:
    params = class_params(cls)
    rounds = []
    for group, (japan, us, challenger) in _seatings(cls, number):
        seed = f"{cls.seed}:{group.number}:{number}"
        prior = Fraction(group.prior)
        state = game.new_round(params, prior=prior, us_type=group.us_type, seed=seed)
        rnd = Round(
            class_session=cls,
            group=group,
            number=number,
            japan=japan,
            us=us,
            challenger=challenger,
            prior=group.prior,
            us_type=group.us_type,
            seed=seed,
            node=state.node,
            state=snapshot(state),
        )
        _schedule(rnd, cls, state, now, {p.pk: p for p in (japan, us, challenger)})
        rounds.append(rnd)
    Round.objects.bulk_create(rounds)
    cls.current_round, cls.next_round_at = number, None
    cls.save(update_fields=["current_round", "next_round_at"])
    _bump_version(cls)
    _on_commit_push_class(cls)


def _schedule(
    rnd: Round, cls: ClassSession, state: State, now: datetime, seats: dict[Any, Participant] | None = None
) -> None:
    """Set the decision deadline and the moment the sweeper must act (bot, stand-in or timeout)."""
    rnd.deadline = rnd.due_at = None
    role = game.to_move(state)
    if role is None or cls.status != ClassSession.Status.RUNNING:
        return
    holder_id = getattr(rnd, f"{role}_id")
    holder = (seats or {}).get(holder_id) or Participant.objects.get(pk=holder_id)
    if holder.is_bot:
        rnd.due_at = now + timedelta(seconds=cls.bot_seconds)
        return
    rnd.deadline = rnd.due_at = now + timedelta(seconds=cls.decision_seconds)
    if holder.disconnected_at is not None:
        standin_at = max(now, holder.disconnected_at + timedelta(seconds=cls.grace_seconds))
        rnd.due_at = min(rnd.deadline, standin_at)


# --------------------------------------------------------------------------------------------------
# Moves
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveResult:
    round_id: int
    seq: int
    duplicate: bool = False


def encode_seq(round_number: int, version: int, round_seq: int) -> int:
    return (round_number << ROUND_BITS) | ((version & MASK) << VERSION_BITS) | (round_seq & MASK)


def decode_seq(seq: int) -> tuple[int, int]:
    """(round number, round seq) of a view seq; the class-version part does not make a move stale."""
    return seq >> ROUND_BITS, seq & MASK


def submit_move(
    participant_id: Any, action: str, move_id: str, seq: int, *, now: datetime | None = None
) -> MoveResult:
    """Apply a student's move: seat, turn, seq and move_id checked in one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        # The round (locked), its class read after the lock, its three seats: the move, the schedule and
        # the views pushed after commit need nothing else (docs/performance.md, "queries per move").
        rnd = _lock_seat_round(participant_id)
        participant = _load_seats(rnd, participant_id) if rnd is not None else None
        if participant is None:
            participant = Participant.objects.filter(pk=participant_id).first()
        if participant is None or participant.is_bot:
            raise MoveRejected("You have not joined this class.", code="not_seated")
        if rnd is None:
            raise MoveRejected("You do not have a seat in this round yet.", code="not_seated")
        # A retry of a move that was applied carries the seq it was made on, which the move itself made
        # stale; a move on the current seq cannot have been applied yet (if its id was used before, the
        # unique constraint refuses it below). So only a stale seq needs the look-up.
        if decode_seq(seq) != (rnd.number, rnd.seq) and rnd.events.filter(move_id=move_id).exists():
            return MoveResult(rnd.pk, rnd.seq, duplicate=True)
        cls = rnd.class_session
        if cls.status != ClassSession.Status.RUNNING:
            raise MoveRejected("The class is not running right now.", code="not_your_turn")
        role = rnd.seat_of(participant.pk)
        if decode_seq(seq) != (rnd.number, rnd.seq):
            raise MoveRejected("The crisis has moved on; here is the current state.", code="stale")
        state = state_of(rnd, cls)
        if rnd.status != Round.Status.PLAYING:
            raise MoveRejected("This round is over.", code="not_your_turn")
        try:
            new_state = game.apply(state, action, role)
        except IllegalMove as exc:
            raise MoveRejected(exc.message, code=exc.code) from exc
        _record(rnd, cls, state, new_state, Event.Kind.MOVE, role, participant, now, move_id=move_id)
    return MoveResult(rnd.pk, rnd.seq)


# The hot path of every move reads three rows with hand-written SQL (what the ORM would write) because
# compiling the ORM's queries was the largest cost of a move in the worker: 28 % of its CPU (py-spy,
# docs/performance.md). Table and column names come from the models.
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


def _lock_seat_round(participant_id: Any) -> Round | None:
    """Lock the round of the class's current round in which `participant_id` has a seat, and load its
    class (read after the lock, so a pause that committed meanwhile is seen) and its group's number."""
    pid = _participant_param(Participant._meta.pk.to_python(participant_id))  # malformed: ValidationError
    lock = " FOR UPDATE OF r" if connection.features.has_select_for_update_of else ""  # SQLite: no need
    rnd = next(iter(Round.objects.raw(_SEAT_ROUND_SQL + lock, [pid, pid, pid])), None)
    if rnd is None:
        return None
    cls = next(iter(ClassSession.objects.raw(_CLASS_SQL, [rnd.class_session_id])))
    group = Group.from_db(rnd._state.db, ["id", "number"], [rnd.group_id, rnd.group_number])
    Round._meta.get_field("class_session").set_cached_value(rnd, cls)
    Round._meta.get_field("group").set_cached_value(rnd, group)
    return rnd


def _load_seats(rnd: Round, participant_id: Any) -> Participant | None:
    """Load the round's three seat holders in one query (as if select_related); return the one that is
    `participant_id`, or None."""
    ids = {role: getattr(rnd, f"{role}_id") for role in ROLES}
    holders = {
        p.pk: p for p in Participant.objects.raw(_SEATS_SQL, [_participant_param(i) for i in ids.values()])
    }
    for role, pk in ids.items():
        Round._meta.get_field(role).set_cached_value(rnd, holders[pk])
    return next((holders[pk] for pk in ids.values() if str(pk) == str(participant_id)), None)


def _loaded_seats(rnd: Round) -> dict[Any, Participant]:
    """The round's seat holders that were loaded with it (select_related), by id."""
    seats = {}
    for role in ROLES:
        field = Round._meta.get_field(role)
        if field.is_cached(rnd):
            holder = field.get_cached_value(rnd)
            seats[holder.pk] = holder
    return seats


def _record(
    rnd: Round,
    cls: ClassSession,
    state: State,
    new_state: State,
    kind: str,
    role: str,
    participant: Participant | None,
    now: datetime,
    *,
    move_id: str | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """Append the event, update the snapshot and schedule, finish the round if it ended, push views."""
    action = new_state.history[len(state.history)].action
    payload = dict(payload or {})
    if new_state.ctype is not None and state.ctype is None:
        payload["challenger_type_drawn"] = new_state.ctype  # private: never in a student's view
    rnd.seq += 1
    # No savepoint: every caller holds the round lock in its own transaction and lets MoveRejected out of
    # it, which rolls the whole transaction back (a savepoint cost two more round trips per move).
    try:
        Event.objects.create(
            round=rnd,
            seq=rnd.seq,
            move_id=move_id,
            kind=kind,
            node=state.node,
            role=role,
            action=action,
            participant=participant,
            payload=payload,
        )
    except IntegrityError as exc:  # a concurrent duplicate: the unique constraints decide, nothing changes
        raise MoveRejected("This move was already received.", code="stale") from exc
    rnd.node, rnd.state = new_state.node, snapshot(new_state)
    if game.is_terminal(new_state):
        _finish_round(rnd, cls, new_state, now)
    else:
        _schedule(rnd, cls, new_state, now, _loaded_seats(rnd))
    rnd.save(update_fields=["seq", "node", "state", "deadline", "due_at", "status", "finished", "reputation"])
    _on_commit_push_round(rnd, cls, new_state)


def _finish_round(rnd: Round, cls: ClassSession, state: State, now: datetime) -> None:
    """Close the round, carry the reputation forward (§4), and move the class on when all are done."""
    rnd.status, rnd.finished, rnd.deadline, rnd.due_at = Round.Status.FINISHED, now, None, None
    params = round_params(cls, Fraction(rnd.prior))
    solution = solution_at(benchmark_for(cls, Fraction(rnd.prior)), state)
    update = reputation.round_update(params, solution, state.history, prior=Fraction(rnd.prior))
    rnd.reputation = update.as_dict()
    rng = random.Random(f"{rnd.seed}:next-type")
    pi_next = min(
        max(Fraction(update.pi_next).limit_denominator(10**9), Fraction(1, 10**6)), 1 - Fraction(1, 10**6)
    )
    Group.objects.filter(pk=rnd.group_id).update(
        prior=exact(pi_next),
        us_type=reputation.next_us_type(rnd.us_type, float(params.eta), float(params.base_prior), rng),
    )
    locked = ClassSession.objects.select_for_update().get(pk=cls.pk)  # last lock: rounds before class
    # Is any other round of this class round still playing? (This one is saved finished by the caller;
    # excluding it saves an UPDATE per round.)
    if (
        not Round.objects.filter(
            class_session=locked, number=locked.current_round, status=Round.Status.PLAYING
        )
        .exclude(pk=rnd.pk)
        .exists()
    ):
        _class_round_done(locked, now)
        # The caller's copy of the class goes into the views pushed after commit: keep it current.
        cls.status, cls.finished, cls.next_round_at, cls.version = (
            locked.status,
            locked.finished,
            locked.next_round_at,
            locked.version,
        )


def _class_round_done(cls: ClassSession, now: datetime) -> None:
    if cls.current_round >= cls.rounds:
        cls.status, cls.finished = ClassSession.Status.FINISHED, now
        cls.save(update_fields=["status", "finished"])
    else:
        cls.next_round_at = now + timedelta(seconds=cls.result_seconds)
        cls.save(update_fields=["next_round_at"])
    _bump_version(cls)
    _on_commit_push_class(cls)


# --------------------------------------------------------------------------------------------------
# Timeouts, bots and stand-ins
# --------------------------------------------------------------------------------------------------


def apply_due(round_id: int, *, now: datetime | None = None, force: bool = False) -> bool:
    """Play whatever is due in this round (a bot, a stand-in, a timeout).  Exactly once: the round is
    locked and re-checked, so overlapping sweeps do nothing twice.  `force` applies the timeout now."""
    now = now or timezone.now()
    with transaction.atomic():
        rnd = next(iter(
            Round.objects.select_for_update(of=("self",)).select_related("group").filter(pk=round_id)[:1]
        ), None)  # fmt: skip
        if rnd is None or rnd.status != Round.Status.PLAYING:
            return False
        _load_seats(rnd, None)  # the holder below, and the views pushed after commit
        cls = ClassSession.objects.get(pk=rnd.class_session_id)
        if cls.status != ClassSession.Status.RUNNING or cls.current_round != rnd.number:
            return False
        if not force and (rnd.due_at is None or rnd.due_at > now):
            return False
        state = state_of(rnd, cls)
        role = game.to_move(state)
        holder = getattr(rnd, role)  # loaded with the locked round
        kind = _due_kind(rnd, cls, holder, now, force)
        if kind is None:
            _schedule(rnd, cls, state, now, {holder.pk: holder})
            rnd.save(update_fields=["deadline", "due_at"])
            return False
        bench = benchmark_for(cls, Fraction(rnd.prior))
        rng = random.Random(f"{rnd.seed}:{rnd.seq}:{kind}")
        strategy = cls.bot_strategy if kind == Event.Kind.BOT else "equilibrium"
        action = bots.choose(strategy, state, role, bench, rng)
        payload = {"forced": True} if force else {}
        _record(rnd, cls, state, game.apply(state, action, role), kind, role, holder, now, payload=payload)
    return True


def _due_kind(rnd: Round, cls: ClassSession, holder: Participant, now: datetime, force: bool) -> str | None:
    if holder.is_bot:
        return Event.Kind.BOT
    if force or (rnd.deadline is not None and rnd.deadline <= now):
        return Event.Kind.TIMEOUT
    if (
        holder.disconnected_at is not None
        and holder.disconnected_at + timedelta(seconds=cls.grace_seconds) <= now
    ):
        return Event.Kind.STANDIN
    return None


def sweep(*, now: datetime | None = None) -> int:
    """The periodic tick: start due rounds, then apply every due decision.  Returns how many it applied."""
    now = now or timezone.now()
    done = 0
    for cls_id in ClassSession.objects.filter(
        status=ClassSession.Status.RUNNING, next_round_at__lte=now
    ).values_list("pk", flat=True):
        done += advance_class_round(cls_id, now=now)
    due = (
        Round.objects.filter(
            status=Round.Status.PLAYING, due_at__lte=now, class_session__status=ClassSession.Status.RUNNING
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:500]
    )
    for round_id in due:
        while apply_due(round_id, now=now):  # bots may move several times in a row
            done += 1
    return done


def advance_class_round(cls_id: int, *, now: datetime | None = None) -> int:
    """Start the next class round once its time has come (idempotent)."""
    now = now or timezone.now()
    with transaction.atomic():
        cls = ClassSession.objects.select_for_update().get(pk=cls_id)
        if cls.status != ClassSession.Status.RUNNING or cls.next_round_at is None or cls.next_round_at > now:
            return 0
        _start_round(cls, cls.current_round + 1, now)
    return 1


# --------------------------------------------------------------------------------------------------
# Instructor controls
# --------------------------------------------------------------------------------------------------


def pause_class(code: str, *, now: datetime | None = None) -> ClassSession:
    """Stop the clocks: each round keeps the time that was left."""
    now = now or timezone.now()
    with transaction.atomic():
        playing = list(
            Round.objects.select_for_update()
            .filter(class_session__code=code, status=Round.Status.PLAYING)
            .order_by("pk")
        )
        cls = ClassSession.objects.select_for_update().get(code=code)
        if cls.status != ClassSession.Status.RUNNING:
            raise ServiceError("Only a running class can be paused.", code="not_running", status=409)
        for rnd in playing:
            rnd.paused_remaining = (rnd.deadline - now).total_seconds() if rnd.deadline else None
            rnd.deadline = rnd.due_at = None
        Round.objects.bulk_update(playing, ["paused_remaining", "deadline", "due_at"])
        cls.status = ClassSession.Status.PAUSED
        if cls.next_round_at is not None:
            cls.next_round_at = None
        cls.save(update_fields=["status", "next_round_at"])
        _bump_version(cls)
        _on_commit_push_class(cls)
    return cls


def resume_class(code: str, *, now: datetime | None = None) -> ClassSession:
    now = now or timezone.now()
    with transaction.atomic():
        playing = list(
            Round.objects.select_for_update()
            .filter(class_session__code=code, status=Round.Status.PLAYING)
            .order_by("pk")
        )
        cls = ClassSession.objects.select_for_update().get(code=code)
        if cls.status != ClassSession.Status.PAUSED:
            raise ServiceError("Only a paused class can be resumed.", code="not_paused", status=409)
        cls.status = ClassSession.Status.RUNNING
        cls.save(update_fields=["status"])
        for rnd in playing:
            _schedule(rnd, cls, state_of(rnd, cls), now)
            if rnd.paused_remaining is not None and rnd.deadline is not None:
                rnd.deadline = now + timedelta(seconds=max(rnd.paused_remaining, 0))
                rnd.due_at = min(rnd.due_at, rnd.deadline) if rnd.due_at else rnd.deadline
            rnd.paused_remaining = None
        Round.objects.bulk_update(playing, ["paused_remaining", "deadline", "due_at"])
        if not any(r.number == cls.current_round for r in playing) and cls.current_round < cls.rounds:
            cls.next_round_at = now
            cls.save(update_fields=["next_round_at"])
        _bump_version(cls)
        _on_commit_push_class(cls)
    return cls


def end_class(code: str, *, now: datetime | None = None) -> ClassSession:
    now = now or timezone.now()
    with transaction.atomic():
        Round.objects.filter(class_session__code=code, status=Round.Status.PLAYING).update(
            deadline=None, due_at=None
        )
        cls = ClassSession.objects.select_for_update().get(code=code)
        cls.status, cls.finished, cls.next_round_at = ClassSession.Status.FINISHED, now, None
        cls.save(update_fields=["status", "finished", "next_round_at"])
        _bump_version(cls)
        _on_commit_push_class(cls)
    return cls


def release_debrief(code: str) -> ClassSession:
    with transaction.atomic():
        cls = ClassSession.objects.select_for_update().get(code=code)
        cls.debrief_released = True
        cls.save(update_fields=["debrief_released"])
        _bump_version(cls)
        _on_commit_push_class(cls)
    return cls


def advance_round(round_id: int, *, now: datetime | None = None) -> bool:
    """Instructor: a stalled group's decision gets its timeout default now."""
    return apply_due(round_id, now=now, force=True)


# --------------------------------------------------------------------------------------------------
# Presence
# --------------------------------------------------------------------------------------------------


def participant_connected(participant_id: Any, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    Participant.objects.filter(pk=participant_id).update(last_seen=now, disconnected_at=None)


def participant_disconnected(participant_id: Any, *, now: datetime | None = None) -> None:
    """Mark the student as gone; if it is their turn, a stand-in bot plays after the grace period."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = Participant.objects.filter(pk=participant_id, is_bot=False).update(
            disconnected_at=now, last_seen=now
        )
        if not updated:
            return
        participant = Participant.objects.select_related("class_session").get(pk=participant_id)
        cls = participant.class_session
        for rnd in _current_rounds(cls, participant).select_for_update():
            state = state_of(rnd, cls)
            role = game.to_move(state)
            if role and getattr(rnd, f"{role}_id") == participant.pk and rnd.deadline:
                rnd.due_at = min(rnd.deadline, now + timedelta(seconds=cls.grace_seconds))
                rnd.save(update_fields=["due_at"])


def _current_rounds(cls: ClassSession, participant: Participant):
    return Round.objects.filter(
        class_session=cls, number=cls.current_round, status=Round.Status.PLAYING
    ).filter(Q(japan=participant) | Q(us=participant) | Q(challenger=participant))


# --------------------------------------------------------------------------------------------------
# Views (DESIGN.md "view")
# --------------------------------------------------------------------------------------------------


def _bump_version(cls: ClassSession) -> None:
    ClassSession.objects.filter(pk=cls.pk).update(version=F("version") + 1)
    cls.refresh_from_db(fields=["version"])


def current_round_of(participant: Participant, cls: ClassSession) -> Round | None:
    if cls.current_round == 0:
        return None
    return (
        Round.objects.filter(class_session=cls, number=cls.current_round)
        .filter(Q(japan=participant) | Q(us=participant) | Q(challenger=participant))
        .first()
    )


def participant_state(participant_id: Any) -> tuple[int, dict[str, Any]]:
    """(seq, view) of one participant now: what `state` frames carry."""
    participant = Participant.objects.select_related("class_session").get(pk=participant_id)
    cls = participant.class_session
    return build_state(participant, cls, current_round_of(participant, cls))


def build_state(
    participant: Participant,
    cls: ClassSession,
    rnd: Round | None,
    state: State | None = None,
    lobby: dict[str, Any] | None = None,
) -> tuple[int, dict[str, Any]]:
    """(seq, view) of `participant`; `state` (the round's engine state) and `lobby` (`lobby_view`) are
    what the caller already has, for pushes that build many views at once."""
    role = rnd.seat_of(participant.pk) if rnd else None
    view: dict[str, Any] = {
        "class": {
            "code": cls.code,
            "status": cls.status,
            "round": cls.current_round,
            "rounds": cls.rounds,
            "debrief_released": cls.debrief_released,
            "next_round_at": _iso(cls.next_round_at),
        },
        "you": {
            "id": str(participant.pk),
            "name": participant.name,
            "role": role,
            "group": rnd.group.number if rnd else None,
        },
    }
    if cls.status == ClassSession.Status.LOBBY:
        view["lobby"] = lobby if lobby is not None else lobby_view(cls)
    next_role = _next_role(participant, cls)
    if next_role is not None:
        view["you"]["next_role"] = next_role
    if rnd is None or role is None:
        return encode_seq(cls.current_round, cls.version, 0), view
    view["round"] = round_view(rnd, cls, role, state)
    return encode_seq(rnd.number, cls.version, rnd.seq), view


LOBBY_NAMES = 60  # the lobby shows at most this many names (the latest joiners), and the full count


def lobby_view(cls: ClassSession) -> dict[str, Any]:
    """Who has joined (count and the latest names) and how the class will start, for the lobby screen.
    One query while fewer than LOBBY_NAMES have joined."""
    students = cls.participants.filter(is_bot=False)
    names = list(students.order_by("-joined", "-id").values_list("name", flat=True)[:LOBBY_NAMES])
    joined = len(names) if len(names) < LOBBY_NAMES else students.count()
    return {"joined": joined, "autostart": cls.autostart, "names": names}


def _next_role(participant: Participant, cls: ClassSession) -> str | None:
    """The role this student will play next round, when it is known in advance: fixed groups rotate the
    roles (`_fixed_seatings`), so after a round a seated student moves on to the next role in ROLES."""
    if (
        cls.matching != ClassSession.Matching.FIXED_ROTATING
        or participant.slot is None
        or participant.home_group_id is None
        or not 0 < cls.current_round < cls.rounds
    ):
        return None
    return ROLES[(participant.slot + cls.current_round) % 3]


def round_view(rnd: Round, cls: ClassSession, role: str, state: State | None = None) -> dict[str, Any]:
    from games.crisis import views

    state = state or state_of(rnd, cls)
    bench = benchmark_for(cls, Fraction(rnd.prior))
    out = views.view_for(state, role, show_benchmark_belief=cls.show_benchmark_belief, solution=bench)
    if cls.status != ClassSession.Status.RUNNING:
        out["actions"] = []
    out.update(
        number=rnd.number,
        seq=rnd.seq,
        deadline=_iso(rnd.deadline),
        paused_remaining=rnd.paused_remaining,
        players={r: _seat_name(rnd, r) for r in ROLES},
    )
    if cls.debrief_released and rnd.status == Round.Status.FINISHED:
        out["debrief"] = round_debrief(rnd, cls, state)
    return out


def round_debrief(rnd: Round, cls: ClassSession, state: State | None = None) -> dict[str, Any]:
    from games.crisis import debrief, views

    state = state or state_of(rnd, cls)
    bench = benchmark_for(cls, Fraction(rnd.prior))
    students = {r for r in ROLES if not getattr(rnd, r).is_bot}
    report = debrief.classify(state, bench, students=students).as_dict()
    report["view"] = views.debrief_view(state, solution=bench)
    report["reputation"] = rnd.reputation
    return report


def _seat_name(rnd: Round, role: str) -> dict[str, Any]:
    p = getattr(rnd, role)
    return {"name": p.name, "bot": p.is_bot}


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


# --------------------------------------------------------------------------------------------------
# Pushing views after commit
# --------------------------------------------------------------------------------------------------


def _on_commit_push_round(rnd: Round, cls: ClassSession, state: State) -> None:
    """After commit, the seated students' views of this round as the transaction left it, built from the
    objects in memory (re-reading the round would cost a query and could skip this very seq)."""
    seq, snapshot_of = rnd.seq, (cls.status, cls.version, cls.current_round, cls.next_round_at)

    def push() -> None:
        # The views must show what this commit made; a later change in this process must not leak in.
        if (rnd.seq, (cls.status, cls.version, cls.current_round, cls.next_round_at)) != (seq, snapshot_of):
            broadcast.push_round(rnd.pk)
        else:
            broadcast.push_round_views(rnd, cls, state)

    transaction.on_commit(push)


def _on_commit_push_class(cls: ClassSession) -> None:
    cls_id = cls.pk
    transaction.on_commit(lambda: broadcast.push_class(cls_id))


def rounds_by_participant(cls: ClassSession) -> dict[Any, Round]:
    """The current round of every seated participant, in one query."""
    if cls.current_round == 0:
        return {}
    out: dict[Any, Round] = {}
    rounds = Round.objects.filter(class_session=cls, number=cls.current_round).select_related(
        "group", "japan", "us", "challenger"
    )
    for rnd in rounds:
        for role in ROLES:
            out[getattr(rnd, f"{role}_id")] = rnd
    return out
