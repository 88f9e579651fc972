"""Hidden information never reaches another role before the debrief is released (DESIGN.md).

The scan records EVERY message the channel layer is asked to deliver (a recording layer wraps the
in-memory one), and every `state` a student gets on connect or `sync` (`participant_view.participant_state`),
over a few hundred seeded rounds: every worked-example scenario of crisis-model.md (Examples 1-7: the
baseline, the tripwire, an expensive alliance, a strong reputation, a very expensive alliance, Module A
and Module C), two more alliance types, every bot strategy in the empty seats and every strategy for the
students in every role (roles rotate), bad moves that come back as errors, timeouts, stand-ins, pauses.

In a student's frame, before the release, there must be no `us_type`/`challenger_type` key and no type
word (resolute, non_resolute, determined, hesitant) outside that student's own private block, no
`w`/`g` of the US outside the US's, no payoff but the student's own, no debrief, no seed (the seeds
decide Nature's draws), and the view must be the one of the participant whose group it was sent to.
Staff messages never go to a student's group. After the release the debrief may reveal everything.
A second test runs a class over real sockets and checks the frames the students' sockets received and
that no student's channel ever joins a group but its own.
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections import Counter, defaultdict
from datetime import timedelta
from fractions import Fraction
from typing import Any

import pytest
from channels.layers import InMemoryChannelLayer, channel_layers
from django.test import Client
from django.utils import timezone

from games.crisis import bots, game
from games.crisis.params import AllianceType
from games.crisis.views import instructor_view
from games.models import ClassSession, Event, Participant, Round
from games.play import participant_view, round_state, services, tasks
from tests.security.conftest import scenario

pytestmark = pytest.mark.django_db(transaction=True)

TYPE_WORDS = re.compile(r"resolute|determined|hesitant", re.IGNORECASE)
PRIVATE_KEYS = {"us": {"us_type", "w", "g"}, "challenger": {"challenger_type", "cC", "cCa"}, "japan": set()}
HIDDEN_KEYS = re.compile(r'"(us_type|challenger_type|seed|debrief|challenger_type_drawn)"')
# crisis-model.md's worked examples (tests/engine/test_solver_examples.py) and two more alliance types.
SCENARIOS: dict[str, dict[str, Any]] = {
    "ex1-baseline": {},
    "ex2-tripwire": {"tripwire": True},
    "ex3-expensive": {"k": Fraction(35, 100)},
    "ex4-reputation": {"pi": Fraction(85, 100)},
    "ex5-ad-hoc-war": {"k": Fraction(60, 100)},
    "ex6-module-a": {"module_a": True},
    "ex7-module-c": {"module_c": True},
    "neutrality": {"alliance_type": AllianceType.NEUTRALITY},
    "entente-module-c": {"alliance_type": AllianceType.ENTENTE, "module_c": True},
}


class RecordingChannelLayer(InMemoryChannelLayer):
    """The in-memory layer, keeping a copy of every group message and every group membership."""

    sent: list[tuple[str, dict[str, Any]]] = []
    joined: list[tuple[str, str]] = []

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        RecordingChannelLayer.sent.append((group, copy.deepcopy(message)))
        await super().group_send(group, message)

    async def group_add(self, group: str, channel: str) -> None:
        RecordingChannelLayer.joined.append((group, channel))
        await super().group_add(group, channel)


@pytest.fixture
def recording_layer(settings: Any) -> Any:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.RecordingChannelLayer"}}
    channel_layers.backends.clear()
    RecordingChannelLayer.sent, RecordingChannelLayer.joined = [], []
    yield RecordingChannelLayer
    channel_layers.backends.clear()


# ----- the scanner -------------------------------------------------------------------------------------


def pushed_view(message: dict[str, Any]) -> dict[str, Any]:
    """The view in a `state.push`: the frame the socket will write, exactly as encoded by the sender."""
    frame = json.loads(message["frame"])
    assert frame["type"] == "state" and frame["seq"] == message["seq"], frame
    return frame["view"]


class Leak(AssertionError):  # noqa: N818 (what the scan found, not an error of the test)
    pass


def scan_view(view: dict[str, Any], *, to: str, secrets: set[str], released: bool) -> None:
    """Raise `Leak` if this student view shows anything it must not (see the module's docstring)."""
    if view.get("you", {}).get("id") != to:
        raise Leak(f"a view of {view.get('you', {}).get('id')} went to {to}")
    if view["class"]["debrief_released"] and not released:
        raise Leak("the view says the debrief is released; it is not")
    view = copy.deepcopy(view)
    role = view["you"].get("role")
    rnd = view.get("round")
    if rnd is not None:
        private = rnd.pop("private")
        if not set(private) <= PRIVATE_KEYS[role]:
            raise Leak(f"{role} sees private keys {sorted(private)}")
        if role == "us" and set(private) != PRIVATE_KEYS["us"]:
            raise Leak("the US does not see its own type")
        if "outcome" in rnd and set(rnd["outcome"]["payoffs"]) != {role}:
            raise Leak(f"{role} sees payoffs {sorted(rnd['outcome']['payoffs'])}")
        if released:
            rnd.pop("debrief", None)
    text = json.dumps(view)
    if found := HIDDEN_KEYS.search(text):
        raise Leak(f"key {found.group(0)} in the view of {role}")
    if found := TYPE_WORDS.search(text):
        context = text[max(0, found.start() - 80) : found.end() + 40]
        raise Leak(f"type word {found.group(0)!r} in the view of {role}: ...{context}")
    for secret in secrets:
        if secret in text:
            raise Leak(f"a seed ({secret}) in the view of {role}")


def scan_error(message: dict[str, Any]) -> None:
    text = json.dumps(message)
    if TYPE_WORDS.search(text) or HIDDEN_KEYS.search(text):
        raise Leak(f"hidden information in an error: {text}")


def test_the_scanner_finds_what_it_looks_for() -> None:
    """Positive controls: the scanner flags an instructor's view, another role's private block, all
    payoffs, a seed, and a view sent to the wrong participant."""
    from games.crisis.params import Params

    params = Params(module_c=True)
    state = game.new_round(params, seed="seed-4242", us_type="R")
    for action in ("alliance", "challenge", "resist"):
        state = game.apply(state, action)

    def student(role: str, **round_extra: Any) -> dict[str, Any]:
        from games.crisis.views import view_for

        rnd = {**view_for(state, role), **round_extra}
        return {"class": {"debrief_released": False}, "you": {"id": "p", "role": role}, "round": rnd}

    for role in ("japan", "us", "challenger"):
        scan_view(student(role), to="p", secrets={"seed-4242"}, released=False)  # the real views pass
    leaky = [
        student("japan", extra=instructor_view(state)),
        student("japan", private={"us_type": "resolute"}),
        student("challenger", note="the US is resolute"),
        student("us", seedling="seed-4242:1:1"),
        {**student("us"), "you": {"id": "q", "role": "us"}},
    ]
    for view in leaky:
        with pytest.raises(Leak):
            scan_view(view, to="p", secrets={"seed-4242"}, released=False)


# ----- the simulation ------------------------------------------------------------------------------------


def choose(strategy: str, rnd: Round, class_session: ClassSession, role: str, rng: random.Random) -> str:
    """A student's action under one of the bots' strategies (the equilibrium one reads the benchmark)."""
    state = round_state.state_of(rnd, class_session)
    bench = round_state.benchmark_for(class_session, Fraction(rnd.prior))
    return bots.choose(strategy, state, role, bench, rng)


def play_class(slug: str, changes: dict[str, Any], bot_strategy: str, seed: int, matching: str) -> str:
    """One class to its end: 4 students (one group of three students, one student with two bots).
    Students act through the worker's task (`tasks.resolve_move`, inline), as their sockets would."""
    rng = random.Random(seed)
    class_session = services.create_class(
        scenario(slug, **changes),
        rounds=3,
        bot_strategy=bot_strategy,
        bot_seconds=0,
        result_seconds=0,
        decision_seconds=600,
        grace_seconds=5,
        matching=matching,
    )
    ClassSession.objects.filter(pk=class_session.pk).update(seed=seed)
    people = [
        services.join_class(class_session.code, f"Student {i}", f"{class_session.code}-{i}") for i in range(4)
    ]
    index_of = {p.pk: i for i, p in enumerate(people)}
    services.start_class(class_session.code)
    for step in range(400):
        class_session.refresh_from_db()
        if class_session.status == ClassSession.Status.FINISHED:
            return class_session.code
        if step == 5:  # a pause and a resume on the way
            services.pause_class(class_session.code)
            services.resume_class(class_session.code)
        playing = Round.objects.filter(
            class_session=class_session, number=class_session.current_round, status=Round.Status.PLAYING
        )
        turn = None
        for rnd in playing.select_related("japan", "us", "challenger"):
            role = game.MOVER.get(rnd.node)
            if role and not getattr(rnd, role).is_bot:
                turn = rnd, role, getattr(rnd, role)
                break
        if turn is None:  # bots, and the next round (which a timeout may have set in the future)
            services.sweep(now=max(timezone.now(), class_session.next_round_at or timezone.now()))
            continue
        rnd, role, person = turn
        pid, index = str(person.pk), index_of[person.pk]
        seq = participant_view.encode_seq(rnd.number, class_session.version, rnd.seq)
        if rng.random() < 0.3:  # somebody else in the round tries to move: refused, not their turn
            other = getattr(rnd, rng.choice([r for r in game.ROLES if r != role]))
            if not other.is_bot:
                tasks.resolve_move(str(other.pk), "attack", f"x{step}", seq)
        draw, now = rng.random(), timezone.now()
        if draw < 0.05 and rnd.deadline:  # a student who does nothing: the deadline's default plays
            services.sweep(now=rnd.deadline + timedelta(seconds=1))
        elif draw < 0.08:  # a student who leaves: a stand-in plays after the grace period
            services.participant_disconnected(pid, now=now)
            services.sweep(now=now + timedelta(seconds=6))
            services.participant_connected(pid)
        else:
            strategy = bots.STRATEGIES[(index + rnd.number) % len(bots.STRATEGIES)]
            action = choose(strategy, rnd, class_session, role, rng)
            if rng.random() < 0.1:  # a stale seq and an illegal action first
                tasks.resolve_move(pid, action, f"s{step}", max(seq - 1, 0))
                tasks.resolve_move(pid, "teleport", f"i{step}", seq)
            tasks.resolve_move(pid, action, f"m{step}", seq)
    state = [
        (r.number, r.status, r.node, str(r.due_at), str(r.deadline)) for r in class_session.all_rounds.all()
    ]
    raise AssertionError(
        f"class {class_session.code} did not finish: {class_session.status} "
        f"{class_session.current_round} {state}"
    )


@pytest.mark.slow
def test_no_frame_shows_another_roles_secrets_before_the_debrief(
    recording_layer: Any, eager_celery: Any, settings: Any
) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "leak"}
    }
    codes = []
    seed = 7_000_000_000_000_000  # long seeds: a short one would turn up inside other numbers
    for slug, changes in SCENARIOS.items():
        for bot_strategy in bots.STRATEGIES:
            seed += 7919
            matching = "random" if len(codes) % 3 == 2 else "fixed_rotating"
            codes.append(play_class(slug, changes, bot_strategy, seed, matching))

    rounds = Round.objects.filter(class_session__code__in=codes)
    secrets = {str(s) for s in ClassSession.objects.filter(code__in=codes).values_list("seed", flat=True)}
    secrets |= set(rounds.values_list("seed", flat=True))
    students = {str(p.pk): p for p in Participant.objects.filter(class_session__code__in=codes, is_bot=False)}
    groups = {f"participant.{pid.replace('-', '')}": pid for pid in students}

    # Every message the channel layer was given, before any release.
    kinds: Counter[str] = Counter()
    for group, message in recording_layer.sent:
        if group.startswith("instructor."):
            assert set(message) <= {"type", "round"}, message  # staff get a nudge, never a view
            kinds["staff"] += 1
            continue
        assert group in groups, group  # nothing is sent to anyone but a student's own group
        if message["type"] == "state.push":
            scan_view(pushed_view(message), to=groups[group], secrets=secrets, released=False)
        else:
            assert message["type"] == "error.push", message
            scan_error(message)
        kinds[message["type"]] += 1
    # What connect and `sync` answer, now that every class has finished.
    for pid in students:
        scan_view(participant_view.participant_state(pid)[1], to=pid, secrets=secrets, released=False)
    # The student debrief page says "not yet" and nothing more.
    for participant in students.values():
        client = Client()
        session = client.session
        session.update({"participant": str(participant.pk), "browser": participant.session_key})
        session.save()
        client.cookies["sessionid"] = session.session_key
        page = client.get("/play/debrief/").content.decode()
        assert not TYPE_WORDS.search(page.replace(participant.name, "")), page[:500]

    # The scan saw what it claims to have seen.
    events = Event.objects.filter(round__class_session__code__in=codes)
    assert rounds.count() >= 200, rounds.count()
    assert set(rounds.values_list("status", flat=True)) == {"finished"}
    assert {"move", "bot", "timeout", "standin", "system"} >= set(events.values_list("kind", flat=True))
    assert {"move", "bot", "timeout", "standin"} <= set(events.values_list("kind", flat=True))
    nodes = set(events.values_list("node", flat=True))
    assert {"arming", "alliance", "challenge", "response", "attack", "intervention"} <= nodes
    assert events.filter(payload__has_key="challenger_type_drawn").exists()
    terminals = {r.state["result"] for r in rounds}
    assert terminals == {"SQ", "CON", "WD", "WAR_I", "WAR_S"}, terminals
    assert kinds["state.push"] > 1000 and kinds["error.push"] > 10 and kinds["staff"] > 100, kinds
    seen_by_role: dict[str, set[str]] = defaultdict(set)
    for rnd in rounds.select_related("japan", "us", "challenger"):
        for role in ("japan", "us", "challenger"):
            seen_by_role[role].add("bot" if getattr(rnd, role).is_bot else "student")
    assert all(seen == {"bot", "student"} for seen in seen_by_role.values()), seen_by_role

    # After the release the debrief may reveal: the US type is in the students' views again.
    recording_layer.sent.clear()
    services.release_debrief(codes[0])
    revealed = [pushed_view(m) for g, m in recording_layer.sent if m["type"] == "state.push"]
    assert revealed and all(v["class"]["debrief_released"] for v in revealed)
    for view in revealed:
        scan_view(view, to=view["you"]["id"], secrets=secrets, released=True)
    assert any("debrief" in v.get("round", {}) for v in revealed)
    with pytest.raises(Leak):
        scan_view(revealed[0], to=revealed[0]["you"]["id"], secrets=secrets, released=False)


# ----- over real sockets ---------------------------------------------------------------------------------


async def test_sockets_receive_only_their_own_view_and_staff_feeds_stay_with_staff(
    recording_layer: Any, eager_celery: Any, settings: Any
) -> None:
    """A Module C class of three students over `/ws/play/`, watched by staff on `/ws/instructor/`: every
    frame each student's socket receives passes the scan, and no student's channel joins any group but
    its own participant group."""
    from asgiref.sync import sync_to_async
    from django.contrib.auth import get_user_model

    from tests.security.conftest import TIMEOUT, api_join, socket_for

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ws"}
    }

    def setup() -> tuple[str, list[tuple[str, str]], str, set[str]]:
        class_session = services.create_class(
            scenario("ex7-module-c", module_c=True), rounds=3, result_seconds=0
        )
        people = [api_join(class_session.code, name) for name in ("Aiko", "Ben", "Chie")]
        staff = get_user_model().objects.create_user("teacher", password=None, is_staff=True)
        client = Client()
        client.force_login(staff)
        return class_session.code, people, client.cookies["sessionid"].value, {str(class_session.seed)}

    code, people, staff_key, secrets = await sync_to_async(setup)()
    teacher = socket_for(staff_key, path=f"/ws/instructor/{code}/")
    assert (await teacher.connect(timeout=TIMEOUT))[0]
    sockets = {}
    for pid, key in people:
        sockets[pid] = socket_for(key)
        assert (await sockets[pid].connect(timeout=TIMEOUT))[0]
    await sync_to_async(services.start_class)(code)
    received: dict[str, list[dict[str, Any]]] = {pid: [] for pid in sockets}
    latest: dict[str, dict[str, Any]] = {}

    async def read_all() -> None:
        for pid, socket in sockets.items():
            while not await socket.receive_nothing(timeout=0.05):
                frame = await socket.receive_json_from(timeout=TIMEOUT)
                received[pid].append(frame)
                if frame["type"] == "state":
                    latest[pid] = frame

    rng = random.Random(3)
    for step in range(60):
        await read_all()
        if all(f["view"]["class"]["status"] == "finished" for f in latest.values()):
            break
        for pid, frame in latest.items():
            actions = frame["view"].get("round", {}).get("actions")
            if actions:
                move = {
                    "type": "move",
                    "action": rng.choice(actions),
                    "move_id": f"w{step}",
                    "seq": frame["seq"],
                }
                await sockets[pid].send_json_to(move)
                await sockets[pid].send_json_to({"type": "sync"})
                break
        else:  # nobody's turn: the next round starts when the sweep runs (the lifespan's job in a server)
            await sync_to_async(services.sweep)()
    else:
        raise AssertionError("the class did not finish")
    for socket in sockets.values():
        await socket.send_json_to({"type": "move", "action": "attack", "move_id": "late", "seq": 0})
    await read_all()
    roles_seen: set[str] = set()
    for pid, frames in received.items():
        assert frames and {f["type"] for f in frames} <= {"state", "error"}
        for frame in frames:
            if frame["type"] == "state":
                scan_view(frame["view"], to=pid, secrets=secrets, released=False)
                roles_seen.add(frame["view"]["you"]["role"] or "")
            else:
                scan_error(frame)
    assert {"japan", "us", "challenger"} <= roles_seen
    staff_frames = []
    while not await teacher.receive_nothing(timeout=0.05):
        staff_frames.append(await teacher.receive_json_from(timeout=TIMEOUT))
    assert staff_frames and {f["type"] for f in staff_frames} == {"class_changed"}

    groups_of: dict[str, set[str]] = defaultdict(set)
    for group, channel in recording_layer.joined:
        groups_of[channel].add(group)
    student_groups = {f"participant.{pid.replace('-', '')}" for pid in sockets}
    for groups in groups_of.values():
        assert len(groups) == 1, groups  # one socket, one group
        (group,) = groups
        assert group in student_groups or group == f"instructor.{code}", group
    assert sum(1 for g in groups_of.values() if g & student_groups) == 3
    for socket in [*sockets.values(), teacher]:
        await socket.disconnect()
