"""The pure half of the socket boundary: frame parsing and the per-connection rate limit."""

from __future__ import annotations

import json

import pytest

from games.play import protocol


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_move_frame_parses_to_its_fields() -> None:
    frame = protocol.parse(
        '{"type": "move", "action": "alliance", "move_id": "m-1", "seq": 7, "extra": 1}', None, max_bytes=1000
    )
    assert frame == protocol.Frame("move", "alliance", "m-1", 7)


def test_types_can_be_restricted() -> None:
    assert protocol.parse('{"type": "ping"}', None, max_bytes=100, types=("ping",)).type == "ping"
    with pytest.raises(protocol.BadFrame) as refused:
        protocol.parse('{"type": "sync"}', None, max_bytes=100, types=("ping",))
    assert refused.value.code == "bad_message"


def test_the_bucket_allows_a_burst_then_refills_at_its_rate() -> None:
    clock = Clock()
    limit = protocol.RateLimit(2, 3, flood=100, clock=clock)
    assert [limit.allow() for _ in range(4)] == [True, True, True, False]
    clock.now += 0.5  # one token back
    assert [limit.allow() for _ in range(2)] == [True, False]
    clock.now += 60  # never more than the burst
    assert [limit.allow() for _ in range(4)] == [True, True, True, False]


def test_flooding_counts_refusals_within_a_window() -> None:
    clock = Clock()
    limit = protocol.RateLimit(0.01, 1, flood=3, window=10, clock=clock)
    limit.allow()
    for _ in range(2):
        assert not limit.allow()
    assert not limit.flooding
    clock.now += 11  # a new window forgives the old refusals (0.11 tokens back: still refused)
    assert not limit.allow() and not limit.flooding
    assert not limit.allow() and not limit.allow()
    assert limit.flooding


@pytest.mark.parametrize(
    ("value", "expected"), [("10/20", (10.0, 20.0)), ("0.5/3", (0.5, 3.0)), ("5", (5.0, 1.0))]
)
def test_rate_settings_parse(value: str, expected: tuple[float, float]) -> None:
    assert protocol.parse_rate(value) == expected


def test_a_server_frame_is_compact_json_with_its_text_as_utf8() -> None:
    view = {"you": {"name": "山田 太郎", "points": "3/2"}, "round": {"actions": ["concede", "resist"]}}
    text = protocol.state_frame(7, view)
    assert json.loads(text) == {"type": "state", "seq": 7, "view": view}
    assert "山田" in text and ", " not in text and ": " not in text  # no escapes, no spaces


def test_what_the_fast_encoder_refuses_is_still_encoded() -> None:
    """orjson takes integer keys as json does, and leaves a 65-bit integer and a lone surrogate to json."""
    assert json.loads(protocol.encode({"by_group": {1: "a"}})) == {"by_group": {"1": "a"}}
    assert json.loads(protocol.encode({"n": 2**70})) == {"n": 2**70}
    assert json.loads(protocol.encode({"name": "\ud800"})) == {"name": "\ud800"}
