"""Starting a round: grouping students in threes (fixed groups with rotating roles, or random re-matching),
filling empty seats with bots, and scheduling each decision's deadline."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from games.crisis import game
from games.crisis.game import State
from games.models import ClassSession, Group, Participant, Round
from games.play.round_state import exact, params_of_round, snapshot, stage_of_round
from games.play.services.notify import bump_version, push_class_on_commit


def _group_count(class_session: ClassSession, humans: int) -> int:
    if class_session.bots_fill:
        return max(1, math.ceil(humans / 3))
    return humans // 3


def _ensure_groups(class_session: ClassSession, count: int, number: int) -> list[Group]:
    """The class's groups, new ones made up to `count`: a new group's US type is drawn and its reputation
    starts at the base prior of the scenario round `number` plays."""
    params = params_of_round(class_session, number)
    groups = list(class_session.groups.order_by("number"))
    for group_number in range(len(groups) + 1, count + 1):
        seed = f"{class_session.seed}:group:{group_number}"
        groups.append(
            Group.objects.create(
                class_session=class_session,
                number=group_number,
                us_type=game.draw_us_type(seed, params.base_prior),
                prior=exact(params.base_prior),
            )
        )
    return groups


def _bot(class_session: ClassSession, used: set[Any]) -> Participant:
    """A bot participant not yet seated this round (bots are reused across rounds)."""
    bot = class_session.participants.filter(is_bot=True).exclude(pk__in=used).order_by("joined", "id").first()
    if bot is None:
        number = class_session.participants.filter(is_bot=True).count() + 1
        bot = Participant.objects.create(class_session=class_session, name=f"Bot {number}", is_bot=True)
    used.add(bot.pk)
    return bot


def _seatings(class_session: ClassSession, number: int) -> list[tuple[Group, list[Participant]]]:
    """Each group with its three participants in the order (japan, us, challenger) for this round."""
    humans = list(class_session.participants.filter(is_bot=False).order_by("joined", "id"))
    if class_session.matching == ClassSession.Matching.RANDOM:
        return _random_seatings(class_session, number, humans)
    return _fixed_seatings(class_session, number, humans)


def _random_seatings(class_session: ClassSession, number: int, humans: list[Participant]):
    rng = random.Random(f"{class_session.seed}:shuffle:{number}")
    rng.shuffle(humans)
    groups = _ensure_groups(class_session, _group_count(class_session, len(humans)), number)
    used: set[Any] = set()
    out = []
    for i, group in enumerate(groups):
        members = humans[3 * i : 3 * i + 3]
        while len(members) < 3 and class_session.bots_fill:
            members.append(_bot(class_session, used))
        if len(members) == 3:
            out.append((group, members))
    return out


def _fixed_seatings(class_session: ClassSession, number: int, humans: list[Participant]):
    homeless = [p for p in humans if p.home_group_id is None]
    all_bots = (
        not humans and class_session.bots_fill and not class_session.groups.exists()
    )  # a demo class: bots play it all
    if homeless or all_bots:
        random.Random(f"{class_session.seed}:shuffle:{number}").shuffle(homeless)
        _place_newcomers(class_session, homeless, number)
    out = []
    for group in class_session.groups.order_by("number").prefetch_related(
        "members"
    ):  # one query, not one per group
        members = sorted(group.members.all(), key=lambda p: p.slot or 0)
        if len(members) != 3:
            continue
        rotated = [members[(slot - (number - 1)) % 3] for slot in range(3)]
        out.append((group, rotated))
    return out


def _place_newcomers(class_session: ClassSession, newcomers: list[Participant], number: int) -> None:
    """Fixed groups: newcomers take bot seats first, then fill new groups (topped up with bots)."""
    queue = list(newcomers)
    for bot in class_session.participants.filter(is_bot=True, home_group__isnull=False).order_by(
        "home_group__number", "slot"
    ):
        if not queue:
            return
        student = queue.pop(0)
        student.home_group_id, student.slot = bot.home_group_id, bot.slot
        bot.home_group_id, bot.slot = None, None
        bot.save(update_fields=["home_group", "slot"])
        student.save(update_fields=["home_group", "slot"])
    existing = class_session.groups.count()
    needed = _group_count(class_session, len(queue)) if queue or not existing else 0
    groups = _ensure_groups(class_session, existing + needed, number)[existing:]
    used: set[Any] = set(
        class_session.participants.filter(is_bot=True, home_group__isnull=False).values_list("pk", flat=True)
    )
    for i, group in enumerate(groups):
        members = queue[3 * i : 3 * i + 3]
        while len(members) < 3 and class_session.bots_fill:
            members.append(_bot(class_session, used))
        for slot, member in enumerate(members):
            member.home_group, member.slot = group, slot
            member.save(update_fields=["home_group", "slot"])


def _restart_reputations(class_session: ClassSession, number: int, groups: list[Group]) -> None:
    """A stage that starts afresh (`ClassStage.fresh_reputation`): every group's US reputation restarts at
    the new scenario's base prior and its type is drawn again, as at a class's start (crisis-model.md §4)."""
    params = params_of_round(class_session, number)
    seen = {g.pk: g for g in groups}
    for group in class_session.groups.all():
        group = seen.get(group.pk, group)
        group.prior = exact(params.base_prior)
        group.us_type = game.draw_us_type(
            f"{class_session.seed}:group:{group.number}:from-round:{number}", params.base_prior
        )
        group.save(update_fields=["prior", "us_type"])


def start_round(class_session: ClassSession, number: int, now: datetime) -> None:
    params = params_of_round(class_session, number)
    stage = stage_of_round(class_session, number)
    seatings = _seatings(class_session, number)
    if number > 1 and stage.first_round == number and stage.fresh_reputation:
        _restart_reputations(class_session, number, [group for group, _ in seatings])
    rounds = []
    for group, (japan, us, challenger) in seatings:
        seed = f"{class_session.seed}:{group.number}:{number}"
        prior = Fraction(group.prior)
        state = game.new_round(params, prior=prior, us_type=group.us_type, seed=seed)
        rnd = Round(
            class_session=class_session,
            group=group,
            number=number,
            scenario_id=stage.scenario_id,
            japan=japan,
            us=us,
            challenger=challenger,
            prior=group.prior,
            us_type=group.us_type,
            seed=seed,
            node=state.node,
            state=snapshot(state),
        )
        schedule_decision(rnd, class_session, state, now, {p.pk: p for p in (japan, us, challenger)})
        rounds.append(rnd)
    Round.objects.bulk_create(rounds)
    class_session.current_round, class_session.next_round_at = number, None
    class_session.save(update_fields=["current_round", "next_round_at"])
    bump_version(class_session)
    push_class_on_commit(class_session)


def schedule_decision(
    rnd: Round,
    class_session: ClassSession,
    state: State,
    now: datetime,
    seats: dict[Any, Participant] | None = None,
) -> None:
    """Set the decision deadline and the moment the sweeper must act (bot, stand-in or timeout)."""
    rnd.deadline = rnd.due_at = None
    role = game.to_move(state)
    if role is None or class_session.status != ClassSession.Status.RUNNING:
        return
    holder_id = getattr(rnd, f"{role}_id")
    holder = (seats or {}).get(holder_id) or Participant.objects.get(pk=holder_id)
    if holder.is_bot:
        rnd.due_at = now + timedelta(seconds=class_session.bot_seconds)
        return
    rnd.deadline = rnd.due_at = now + timedelta(seconds=class_session.decision_seconds)
    if holder.disconnected_at is not None:
        standin_at = max(now, holder.disconnected_at + timedelta(seconds=class_session.grace_seconds))
        rnd.due_at = min(rnd.deadline, standin_at)
