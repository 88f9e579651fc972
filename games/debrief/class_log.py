"""A class's log as plain records (`ClassLog`, `RoundLog`, `EventLog`), loaded from the database by
`games.debrief.load` or read back from an exported `export.json`: everything a debrief is rebuilt from.

The log holds what cannot change: the class's parameter snapshot, each round's prior, US type, seed and
seats, and the append-only events. `Round.state` (the live snapshot) is never read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from games.crisis.params import Params, canonical_json, params_from_json

EXPORT_FORMAT = "crisis-table/class-log"


EXPORT_VERSION = 1


ENGINE_KINDS = ("move", "bot", "standin", "timeout")


STUDENT_KIND = "move"


class LogError(ValueError):
    """The event log does not replay (an event's node or role disagrees with the engine)."""


@dataclass(frozen=True)
class EventLog:
    seq: int
    kind: str
    node: str
    role: str
    action: str
    participant: str | None
    move_id: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    created: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "node": self.node,
            "role": self.role,
            "action": self.action,
            "participant": self.participant,
            "move_id": self.move_id,
            "payload": dict(self.payload),
            "created": self.created,
        }


@dataclass(frozen=True)
class RoundLog:
    id: int
    number: int
    group: int
    prior: Fraction
    us_type: str
    seed: str
    seats: Mapping[str, str]  # role -> participant id
    status: str
    events: tuple[EventLog, ...]
    reputation: Mapping[str, Any] | None = None  # the live cache, only compared with the recomputation
    started: str | None = None
    finished: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "group": self.group,
            "prior": str(self.prior),
            "us_type": self.us_type,
            "seed": self.seed,
            "seats": dict(self.seats),
            "status": self.status,
            "reputation": dict(self.reputation) if self.reputation is not None else None,
            "started": self.started,
            "finished": self.finished,
            "events": [e.as_json() for e in self.events],
        }


@dataclass(frozen=True)
class ParticipantLog:
    id: str
    name: str
    is_bot: bool


@dataclass(frozen=True)
class ClassLog:
    """Everything a debrief is built from; `as_json`/`from_json` round-trip it through `export.json`."""

    code: str
    params: Mapping[str, Any]  # the class's snapshot, exact strings
    meta: Mapping[str, Any]
    participants: Mapping[str, ParticipantLog]
    rounds: tuple[RoundLog, ...]

    def engine_params(self) -> Params:
        return params_from_json(canonical_json(self.params))

    def is_bot(self, participant_id: str | None) -> bool:
        person = self.participants.get(participant_id or "")
        return bool(person and person.is_bot)

    def name(self, participant_id: str | None) -> str:
        person = self.participants.get(participant_id or "")
        return person.name if person else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "code": self.code,
            "params": dict(self.params),
            "meta": dict(self.meta),
            "participants": [
                {"id": p.id, "name": p.name, "is_bot": p.is_bot} for p in self.participants.values()
            ],
            "rounds": [r.as_json() for r in self.rounds],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClassLog:
        if data.get("format") != EXPORT_FORMAT or data.get("version") != EXPORT_VERSION:
            raise ValueError(f"not a {EXPORT_FORMAT} v{EXPORT_VERSION} log")
        people = {
            p["id"]: ParticipantLog(p["id"], p["name"], bool(p["is_bot"])) for p in data["participants"]
        }
        rounds = tuple(
            RoundLog(
                id=r["id"],
                number=r["number"],
                group=r["group"],
                prior=Fraction(r["prior"]),
                us_type=r["us_type"],
                seed=r["seed"],
                seats=dict(r["seats"]),
                status=r["status"],
                reputation=r.get("reputation"),
                started=r.get("started"),
                finished=r.get("finished"),
                events=tuple(EventLog(**e) for e in r["events"]),
            )
            for r in data["rounds"]
        )
        return cls(
            code=data["code"],
            params=data["params"],
            meta=data.get("meta", {}),
            participants=people,
            rounds=rounds,
        )
