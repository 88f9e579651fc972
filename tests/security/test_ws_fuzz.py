"""Hostile and broken input on `/ws/play/`, and arbitrary arguments to the worker's move task.

Hypothesis writes the frames: malformed JSON, wrong types, unknown types, missing and extra fields, huge
and binary frames, unicode edge cases, numbers as strings, nested objects, and good moves in between.
Each frame must get exactly what docs/live-play.md ("Protocol boundary") promises (an `error` with the
documented code and `ref`, a `pong`, a `state`, or a move's result), the consumer must never crash, and
the socket must still answer `ping` afterwards. Floods get `rate_limited` and then the 1008 close.
"""

from __future__ import annotations

import json
import string
import time
import unicodedata
from collections import Counter
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games.crisis.game import ACTIONS
from games.models import Event, Participant, Round
from games.play import consumers, participant_view, round_state, services, tasks
from games.realtime.groups import participant_group
from tests.security.conftest import (
    MOVE_ERROR_CODES,
    TIMEOUT,
    api_join,
    check_error,
    new_class,
    socket_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("in_memory_channel_layer", "eager_celery"),
]

MAX_FRAME = 16 * 1024
EVERY_ACTION = sorted({a for actions in ACTIONS.values() for a in actions} | {"cbm", "no_cbm"})
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# ----- the oracle: what docs/live-play.md says each frame gets -----------------------------------------


def _clean_text(value: Any, longest: int) -> bool:
    """A string of 1..longest characters with no control characters (Cc) and no lone surrogates (Cs)."""
    return (
        isinstance(value, str)
        and 1 <= len(value) <= longest
        and not any(unicodedata.category(ch) in {"Cc", "Cs"} for ch in value)
    )


def _reject(name: str) -> Any:
    raise ValueError(name)


def expected(text: str | None) -> tuple[str, Any]:
    """("error", (code, ref)), ("pong", None), ("state", None) or ("move", frame dict)."""
    if text is None:
        return "error", ("bad_message", None)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FRAME:
        return "error", ("bad_message", None)
    try:
        message = json.loads(text, parse_constant=_reject)
    except (ValueError, RecursionError):
        return "error", ("bad_json", None)
    if not isinstance(message, dict) or message.get("type") not in ("move", "sync", "ping"):
        return "error", ("bad_message", None)
    if message["type"] == "ping":
        return "pong", None
    if message["type"] == "sync":
        return "state", None
    move_id, action, seq = message.get("move_id"), message.get("action"), message.get("seq")
    if not _clean_text(move_id, 64):
        return "error", ("bad_message", None)
    if not _clean_text(action, 32) or not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        return "error", ("bad_message", move_id)
    return "move", message


# ----- frames ------------------------------------------------------------------------------------------


class GoodMove(tuple):
    """A well-formed move made at run time from the socket's current state: (which action, move_id,
    whether to wait for the student's turn, from the legal actions or any, how far off the seq is)."""


good_moves = st.tuples(
    st.integers(0, 13),
    st.sampled_from(["dup", "again"]) | st.uuids().map(str),
    st.sampled_from([True, True, True, False]),
    st.sampled_from([True, True, True, False]),
    st.sampled_from([0, 0, 0, 0, -1, 1, 1 << 40, 1 << 20]),
).map(GoodMove)
simple = st.sampled_from(
    ['{"type": "ping"}', '{"type": "sync"}', '{"type": "ping", "extra": {"a": [1, {}]}}']
)

json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)


def containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)


json_value = st.recursive(json_leaf, containers, max_leaves=10)
weird_strings = st.sampled_from(
    ["", " ", "\x00", "a\x00b", "\x7f", "\x85", "\ud800", "a\udfff", "\ufeff", "\u200b", "\u202e",
     "é", "🎌", "🇯🇵", "ｇｏ", "alliance\n", "null", "NaN", "1e309", "-0", "x" * 33, "m" * 65]
)  # fmt: skip
texts = st.text(max_size=70) | weird_strings | st.sampled_from(EVERY_ACTION)
move_ids = st.text(min_size=1, max_size=64) | texts | json_value
actions_ = st.sampled_from(EVERY_ACTION) | texts | json_value
seqs = (
    st.integers(min_value=-5, max_value=2**70)
    | st.sampled_from(["5", "0", "", "1.0"])
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
    | json_value
)
extras = st.dictionaries(
    st.sampled_from(["participant", "participant_id", "role", "code", "x", "ref"]), json_value
)


@st.composite
def move_objects(draw: st.DrawFn) -> str:
    frame: dict[str, Any] = {"type": "move"}
    for key, values in (("action", actions_), ("move_id", move_ids), ("seq", seqs)):
        if draw(st.integers(0, 5)):  # usually present
            frame[key] = draw(values)
    frame.update(draw(extras))
    frame["type"] = "move"
    return json.dumps(frame, ensure_ascii=draw(st.booleans()))


@st.composite
def other_objects(draw: st.DrawFn) -> str:
    kinds = st.sampled_from(["ping", "sync", "move", "state", "error", "pong", "PING", "", "dance"])
    frame = draw(st.dictionaries(st.text(max_size=6), json_value, max_size=3))
    if draw(st.integers(0, 3)):
        frame["type"] = draw(kinds | json_value)
    return json.dumps(frame)


@st.composite
def huge(draw: st.DrawFn) -> str:
    size = draw(st.sampled_from([MAX_FRAME - 40, MAX_FRAME - 14, MAX_FRAME - 13, MAX_FRAME, 3 * MAX_FRAME]))
    pad = draw(st.sampled_from(["x", "é", "🎌"]))
    count = max(0, size // len(pad.encode()))
    return json.dumps({"type": "ping", "pad": pad * count}, ensure_ascii=False)


@st.composite
def nested(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 4000))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
    return '{"type": "ping", "x": ' + opener * depth + "1" + closer * depth + "}"


broken_json = (
    st.text(max_size=40)
    | st.sampled_from(
        ["{", "}", '{"type": "ping"', '{"type": "ping"} x', '{"type": "ping"}{"type": "ping"}',
         "\ufeff{\"type\": \"ping\"}", '{"type": "ping", "x": NaN}', '{"type": "ping", "x": -Infinity}',
         "{'type': 'ping'}", '{"type": "move", "seq": 1' + "0" * 5000 + "}", '{"type": "ping", "x": 1e309}']
    )
)  # fmt: skip
frames = st.one_of(
    good_moves,
    good_moves,
    good_moves,
    good_moves,
    move_objects(),
    other_objects(),
    json_value.map(json.dumps),
    broken_json,
    huge(),
    nested(),
    st.binary(max_size=40),
    simple,
    simple,
)

# ----- the class under attack --------------------------------------------------------------------------


def _setup_class() -> tuple[str, str, str]:
    """A running class: one student and two bots (they move when the test sweeps), many rounds."""
    code = new_class(rounds=40, bot_seconds=0, result_seconds=0, decision_seconds=600)
    pid, key = api_join(code, "Fuzzer")
    services.start_class(code)
    return code, pid, key


def _server_truth(pid: str, move_id: str | None) -> dict[str, Any]:
    seq, view = participant_view.participant_state(pid)
    rnd = view.get("round") or {}
    applied = False
    if rnd and isinstance(move_id, str):
        applied = Event.objects.filter(
            round__class_session__code=view["class"]["code"], round__number=rnd["number"], move_id=move_id
        ).exists()
    return {"seq": seq, "view": view, "applied": applied}


def _sweep() -> int:
    done = 0
    for _ in range(20):  # bots, and the next round once a round ends
        step = services.sweep()
        if not step:
            break
        done += step
    return done


server_truth = database_sync_to_async(_server_truth)
sweep = database_sync_to_async(_sweep)


def move_outcome(truth: dict[str, Any], frame: dict[str, Any]) -> str:
    """What the service must answer a well-formed move: "applied", "duplicate" (the current state),
    "reused" (a used move_id on the current seq: the current state, or `stale` and then the current
    state) or an error code."""
    view, rnd = truth["view"], truth["view"].get("round")
    if not rnd:
        return "not_seated"
    current = (frame["seq"] >> 40, frame["seq"] & ((1 << 20) - 1)) == (rnd["number"], rnd["seq"])
    if truth["applied"] and not current:  # a retry of a move that was applied
        return "duplicate"
    if view["class"]["status"] != "running":
        return "not_your_turn"
    if not current:
        return "stale"
    if "outcome" in rnd or rnd["to_move"] != view["you"]["role"]:
        return "not_your_turn"
    if frame["action"] not in rnd["actions"]:
        return "illegal_action"
    if truth["applied"]:  # the unique (round, move_id) keeps it from being applied twice
        return "reused"
    return "applied"


async def next_frame(socket: Any) -> dict[str, Any]:
    return await socket.receive_json_from(timeout=TIMEOUT)


async def exercise(key: str, pid: str, items: list[Any], seen: Counter[str]) -> None:
    socket = socket_for(key)
    connected, _ = await socket.connect(timeout=TIMEOUT)
    assert connected
    first = await next_frame(socket)
    assert first["type"] == "state" and first["view"]["you"]["id"] == pid
    for item in items:
        if isinstance(item, GoodMove):
            which, move_id, wait, legal, off = item
            if wait:
                await catch_up(socket, pid, None)  # let the bots play up to the student's turn
            truth = await server_truth(pid, None)
            choices = ((truth["view"].get("round") or {}).get("actions") if legal else None) or EVERY_ACTION
            seq = max(truth["seq"] + off, 0)
            item = json.dumps(
                {"type": "move", "action": choices[which % len(choices)], "move_id": move_id, "seq": seq}
            )
        kind, detail = expected(None if isinstance(item, bytes) else item)
        want = None
        if kind == "move":  # judged on the state before it is sent
            want = move_outcome(await server_truth(pid, detail["move_id"]), detail)
            before = (await server_truth(pid, None))["seq"]
        seen[want or (detail[0] if kind == "error" else kind)] += 1
        # As the ASGI server delivers frames (send_to() refuses empty ones, which are legal frames).
        key = "bytes" if isinstance(item, bytes) else "text"
        await socket.send_input({"type": "websocket.receive", key: item})
        if kind == "error":
            error = await next_frame(socket)
            check_error(error)
            assert (error["code"], error["ref"]) == detail, item[:200] if isinstance(item, str) else item
        elif kind == "pong":
            assert await next_frame(socket) == {"type": "pong"}
        elif kind == "state":
            state = await next_frame(socket)
            assert state["type"] == "state" and state["view"]["you"]["id"] == pid
        else:
            await check_move(socket, pid, detail, want, before)
        assert await socket.receive_nothing(timeout=0.01)  # one answer per frame, nothing else
    await socket.send_json_to({"type": "ping"})  # still usable
    assert await next_frame(socket) == {"type": "pong"}
    await socket.disconnect()


async def check_move(socket: Any, pid: str, frame: dict[str, Any], want: str, before: int) -> None:
    answer = await next_frame(socket)
    if want == "reused":
        if answer["type"] == "error":
            assert (answer["code"], answer["ref"]) == ("stale", frame["move_id"]), answer
            answer = await next_frame(socket)
        assert answer["type"] == "state" and answer["seq"] == before, answer
        return
    if want not in {"applied", "duplicate"}:
        check_error(answer, MOVE_ERROR_CODES)
        assert (answer["code"], answer["ref"]) == (want, frame["move_id"]), frame
        if want == "stale":  # the current state follows
            state = await next_frame(socket)
            assert state["type"] == "state" and state["seq"] == before
        return
    assert answer["type"] == "state" and answer["view"]["you"]["id"] == pid, answer
    if want == "duplicate":  # answered with the current state, nothing changes
        assert answer["seq"] == before
        return
    assert answer["seq"] > before
    await catch_up(socket, pid, answer)


async def catch_up(socket: Any, pid: str, last: dict[str, Any] | None) -> None:
    """Sweep (bots move, the next round starts) and read the pushed states up to the server's current
    one: they arrive in order, and several pushes may carry the same view."""
    await sweep()
    final = (await server_truth(pid, None))["seq"]
    while last is None or last["seq"] < final:
        if last is None and await socket.receive_nothing(timeout=0.01):
            return  # nothing happened
        last = await next_frame(socket)
        assert last["type"] == "state" and last["seq"] <= final
    while not await socket.receive_nothing(timeout=0.01):
        assert await next_frame(socket) == last


def test_every_frame_gets_its_documented_answer_and_the_socket_survives(settings: Any) -> None:
    settings.WS_RATE_LIMIT = "100000/100000"  # floods have their own test
    code, pid, key = _setup_class()
    seen: Counter[str] = Counter()

    @FUZZ
    @given(items=st.lists(frames, min_size=1, max_size=6))
    def run(items: list[Any]) -> None:
        async_to_sync(exercise)(key, pid, items, seen)

    run()
    # The examples covered the protocol's answers (the CI profile draws the same examples every run).
    assert {"bad_json", "bad_message", "pong", "applied"} <= set(seen), seen
    # Good moves really were played: the log replays to the snapshot, with no gap in any round.
    for rnd in Round.objects.filter(class_session__code=code):
        seqs = list(rnd.events.order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, rnd.seq + 1))
        assert round_state.snapshot(round_state.replay_round(rnd)) == rnd.state
    assert Event.objects.filter(participant_id=pid, kind="move").exists()


def test_the_move_oracle_agrees_with_the_service_on_one_round() -> None:
    """The fuzz test's oracle checked against the service's own answers, move by move."""
    code, pid, _ = _setup_class()
    for step in range(12):
        _sweep()
        truth = _server_truth(pid, None)
        rnd = truth["view"]["round"]
        if "outcome" in rnd or truth["view"]["class"]["status"] != "running":
            break
        for action in EVERY_ACTION:
            frame = {"action": action, "move_id": f"o-{step}-{action}", "seq": truth["seq"]}
            want = move_outcome(truth, frame)
            try:
                services.submit_move(pid, action, frame["move_id"], truth["seq"])
            except services.MoveRejected as exc:
                assert exc.code == want or (want, exc.code) == ("reused", "stale"), (action, rnd["node"])
            else:
                assert want == "applied", (action, rnd["node"])
                # The retry of an applied move (its own, now stale, seq) is a duplicate: nothing changes.
                assert _server_truth(pid, frame["move_id"])["applied"]
                assert services.submit_move(pid, action, frame["move_id"], truth["seq"]).duplicate
                break
    assert Event.objects.filter(round__class_session__code=code, kind="move").exists()


# ----- floods -----------------------------------------------------------------------------------------


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(burst=st.integers(1, 6), flood=st.integers(1, 12), sent=st.integers(0, 30))
def test_a_flood_gets_rate_limited_then_closed(burst: int, flood: int, sent: int) -> None:
    from django.conf import settings as django_settings

    _, _, key = _setup_class()
    saved = django_settings.WS_RATE_LIMIT, django_settings.WS_FLOOD_CLOSE
    django_settings.WS_RATE_LIMIT, django_settings.WS_FLOOD_CLOSE = f"0.0001/{burst}", flood
    try:
        async_to_sync(flood_socket)(key, burst, flood, sent)
    finally:
        django_settings.WS_RATE_LIMIT, django_settings.WS_FLOOD_CLOSE = saved


async def flood_socket(key: str, burst: int, flood: int, sent: int) -> None:
    socket = socket_for(key)
    assert (await socket.connect(timeout=TIMEOUT))[0]
    assert (await next_frame(socket))["type"] == "state"
    for i in range(sent):  # a mix of frames: each takes a token, good or bad
        await socket.send_to(text_data=['{"type": "ping"}', "{", '{"type": "move", "move_id": "f"}'][i % 3])
    answered = min(sent, burst)
    for i in range(answered):
        frame = await next_frame(socket)
        assert frame["type"] == ["pong", "error", "error"][i % 3]
    refused = min(max(sent - burst, 0), flood)
    for i in range(burst, burst + refused):
        frame = await next_frame(socket)
        check_error(frame)
        assert (frame["code"], frame["ref"]) == ("rate_limited", "f" if i % 3 == 2 else None)
    if sent - burst >= flood:
        close = await socket.receive_output(timeout=TIMEOUT)
        assert (close["type"], close["code"]) == ("websocket.close", consumers.CLOSE_FLOOD)
        assert await socket.receive_nothing(timeout=0.05)
    else:
        assert await socket.receive_nothing(timeout=0.05)
    await socket.disconnect()


async def test_the_default_limits_hold_a_burst_of_a_thousand_frames() -> None:
    """Defaults (10/s, bursts of 20, close after 100 refusals in 10 s): a script sending 1,000 frames at
    once gets 20 answers, 100 refusals and the close, and costs the server nothing more."""
    _, _, key = await database_sync_to_async(_setup_class)()
    socket = socket_for(key)
    assert (await socket.connect(timeout=TIMEOUT))[0]
    assert (await next_frame(socket))["type"] == "state"
    started = time.monotonic()
    for _ in range(1000):
        await socket.send_to(text_data='{"type": "ping"}')
    received = []
    while True:
        output = await socket.receive_output(timeout=TIMEOUT)
        if output["type"] == "websocket.close":
            break
        received.append(json.loads(output["text"]))
    elapsed = time.monotonic() - started
    pongs = sum(1 for f in received if f["type"] == "pong")
    limited = sum(1 for f in received if f.get("code") == "rate_limited")
    # The burst, plus what the bucket refilled (10/s) while the server worked through the frames.
    assert 20 <= pongs <= 21 + 10 * elapsed and limited == 100 and len(received) == pongs + limited
    assert output["code"] == consumers.CLOSE_FLOOD
    await socket.disconnect()


# ----- the worker: arbitrary arguments ----------------------------------------------------------------

anything = json_value | st.uuids().map(str) | st.text(alphabet=string.hexdigits + "-", max_size=40)


def test_resolve_move_never_raises_whatever_it_is_given(in_memory_channel_layer: Any) -> None:
    """Celery hands the task whatever was published (JSON): it answers or refuses, and never raises."""
    code, pid, _ = _setup_class()
    other = str(Participant.objects.filter(is_bot=True).first().pk)
    pushed: list[dict[str, Any]] = []
    channel = async_to_sync(in_memory_channel_layer.new_channel)()
    async_to_sync(in_memory_channel_layer.group_add)(participant_group(pid), channel)

    @FUZZ
    @given(
        participant=st.sampled_from([pid, other, pid.upper(), pid.replace("-", "")]) | st.uuids() | anything,
        action=st.sampled_from(EVERY_ACTION) | anything,
        move_id=st.uuids().map(str) | anything,
        seq=st.integers(min_value=0, max_value=2**64) | anything,
    )
    def run(participant: Any, action: Any, move_id: Any, seq: Any) -> None:
        tasks.resolve_move(participant, action, move_id, seq)  # must not raise
        tasks.resolve_move.apply(args=(participant, action, move_id, seq)).get()  # through Celery

    run()
    async_to_sync(drain_channel)(in_memory_channel_layer, channel, pushed)
    for message in pushed:
        assert message["type"] in {"state.push", "error.push"}, message
        if message["type"] == "error.push":
            assert message["code"] in MOVE_ERROR_CODES | {"bad_message"}, message
    assert Event.objects.filter(round__class_session__code=code).count() >= 0


async def drain_channel(layer: Any, channel: str, into: list[dict[str, Any]]) -> None:
    import asyncio

    for _ in range(10_000):
        try:
            into.append(await asyncio.wait_for(layer.receive(channel), 0.01))
        except TimeoutError:
            return
