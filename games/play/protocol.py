"""The player protocol's frames: parsing and validating what a client sends, and pacing it (DESIGN.md).

Pure Python, no I/O: the consumers call `parse` on every frame and turn a `BadFrame` into an `error`
frame, and give every connection its own `RateLimit`. The rules of the game are not checked here (that
is the service's job); only the shape of a frame is.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

CLIENT_TYPES = ("move", "sync", "ping")

# Websocket close codes. A client must not reconnect after the 44xx ones (it would be refused again).
CLOSE_NOT_JOINED = 4401  # no participant in the session: join again (the page goes back to `/`)
CLOSE_FORBIDDEN = 4403  # the instructor socket, for anyone but staff
CLOSE_NO_CLASS = 4404  # the instructor socket, for a class that does not exist
CLOSE_FLOOD = 1008  # policy violation: kept sending far past the rate limit
CLOSE_TRY_LATER = 1013  # the database or the channel layer is down while connecting: reconnect with backoff
FATAL_CLOSE_CODES = frozenset({CLOSE_NOT_JOINED, CLOSE_FORBIDDEN, CLOSE_NO_CLASS})


def close_codes() -> dict[str, Any]:
    """The close codes a page's script acts on, for its page data: after a `fatal` one it must not
    reconnect (it would be refused again); after `flood` it reconnects more slowly."""
    return {
        "fatal": sorted(FATAL_CLOSE_CODES),
        "flood": CLOSE_FLOOD,
        "not_joined": CLOSE_NOT_JOINED,
        "forbidden": CLOSE_FORBIDDEN,
        "no_class": CLOSE_NO_CLASS,
    }


MAX_ACTION_CHARS = 32
MAX_MOVE_ID_CHARS = 64
# Control characters cannot be stored in PostgreSQL text (NUL) or shown; lone surrogates (from JSON
# escapes such as "\ud800") cannot be encoded at all. Neither belongs in an action or a move id.
UNSAFE_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def encode(frame: dict[str, Any]) -> str:
    """A server frame as the text sent on the socket: compact JSON, non-ASCII text as UTF-8 (not \\u
    escapes). orjson is ~6x faster than json here, and encoding the views was an eighth of a worker's time
    under load (docs/performance.md); what orjson refuses and json writes (an integer beyond 64 bits, a
    lone surrogate) goes through json."""
    try:
        return orjson.dumps(frame, option=orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(frame, separators=(",", ":"))


def state_frame(seq: int, view: dict[str, Any]) -> str:
    return encode({"type": "state", "seq": seq, "view": view})


class BadFrame(Exception):  # noqa: N818 (a refusal sent back to the client, not a failure)
    """A frame that breaks the protocol; `code` is `bad_json` or `bad_message`, `ref` the move_id if any."""

    def __init__(self, code: str, message: str, ref: str | None = None):
        super().__init__(message)
        self.code, self.message, self.ref = code, message, ref


@dataclass(frozen=True)
class Frame:
    """A valid client frame. Only a `move` has the other fields."""

    type: str
    action: str = ""
    move_id: str = ""
    seq: int = 0


def parse(
    text: str | None, data: bytes | None, *, max_bytes: int, types: tuple[str, ...] = CLIENT_TYPES
) -> Frame:
    """The frame in `text`, or `BadFrame` saying what is wrong with it."""
    if text is None:
        raise BadFrame("bad_message", "Frames must be JSON text, not binary.")
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise BadFrame("bad_message", f"Frames are limited to {max_bytes} bytes.")
    try:
        message = json.loads(text, parse_constant=reject_constant)
    except (ValueError, RecursionError):  # ValueError covers JSONDecodeError and oversized integers
        raise BadFrame("bad_json", "The frame is not valid JSON.") from None
    if not isinstance(message, dict):
        raise BadFrame("bad_message", "A frame must be a JSON object.")
    kind = message.get("type")
    if not isinstance(kind, str) or kind not in types:
        raise BadFrame("bad_message", f"A frame's type must be one of: {', '.join(types)}.")
    if kind != "move":
        return Frame(kind)
    return _move(message)


def move_frame(action: Any, move_id: Any, seq: Any) -> Frame:
    """The `move` with these fields, or `BadFrame` (what `parse` checks, for callers that get the fields
    some other way: the worker's task checks its arguments with it)."""
    return _move({"action": action, "move_id": move_id, "seq": seq})


def _move(message: dict[str, Any]) -> Frame:
    move_id = message.get("move_id")
    if not _text(move_id, MAX_MOVE_ID_CHARS):
        raise BadFrame("bad_message", f"move_id must be a string of 1 to {MAX_MOVE_ID_CHARS} characters.")
    action, seq = message.get("action"), message.get("seq")
    if not _text(action, MAX_ACTION_CHARS):
        raise BadFrame(
            "bad_message", f"action must be a string of 1 to {MAX_ACTION_CHARS} characters.", move_id
        )
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise BadFrame("bad_message", "seq must be the non-negative integer of the state acted on.", move_id)
    return Frame("move", action, move_id, seq)


def _text(value: Any, max_chars: int) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= max_chars and not UNSAFE_CHARACTERS.search(value)


def reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_rate(value: str) -> tuple[float, float]:
    """ "10/20" -> (10.0, 20.0): the two numbers of a rate setting (see settings.py)."""
    first, _, second = str(value).partition("/")
    return float(first), float(second or 1)


class RateLimit:
    """A token bucket per connection (`rate` frames per second, bursts of `burst`), plus flood detection:
    `flooding` turns true once `flood` frames have been refused within `window` seconds."""

    def __init__(
        self,
        rate: float,
        burst: float,
        *,
        flood: int = 100,
        window: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.rate, self.burst, self.flood, self.window, self.clock = rate, burst, flood, window, clock
        self.tokens = burst
        self.stamp = self.window_start = clock()
        self.refused = 0

    def allow(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        if now - self.window_start >= self.window:
            self.window_start, self.refused = now, 0
        self.refused += 1
        return False

    @property
    def flooding(self) -> bool:
        return self.refused >= self.flood
