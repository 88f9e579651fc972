"""A class's log as plain records (`ClassLog`, `RoundLog`, `EventLog`), loaded from the database by
`games.debrief.load` or read back from an exported `export.json`: everything a debrief is rebuilt from.

The log holds what cannot change: the class's parameter snapshot, its scenario stages (a class may switch
scenarios between rounds: each stage's scenario, names and parameter snapshot), each round's scenario,
prior, US type, seed and seats, and the append-only events. `Round.state` (the live snapshot) is never
read. A log without stages (older exports) is a class of one scenario.
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
class StageLog:
    """The scenario a class plays from round `first_round` on; the first stage is the class's own."""

    first_round: int
    scenario: str | None  # slug
    name_en: str
    name_ja: str
    params: Mapping[str, Any]  # the stage's snapshot, exact strings
    fresh_reputation: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "first_round": self.first_round,
            "scenario": self.scenario,
            "name_en": self.name_en,
            "name_ja": self.name_ja,
            "params": dict(self.params),
            "fresh_reputation": self.fresh_reputation,
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
    scenario: str | None = None  # the slug of the scenario the round played (None: an older log's)

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
            "scenario": self.scenario,
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
    stages: tuple[StageLog, ...] = ()  # the class's own scenario first; () in a log of one scenario

    def engine_params(self) -> Params:
        """The class's own parameters (its first stage's)."""
        return params_from_json(canonical_json(self.params))

    def stage_of(self, number: int) -> StageLog | None:
        """The stage in force for round `number` (None: the log has no stages)."""
        return next((s for s in reversed(self.stages) if s.first_round <= number), None)

    def round_params(self, number: int) -> Mapping[str, Any]:
        """The parameter snapshot round `number` played."""
        stage = self.stage_of(number)
        return stage.params if stage is not None else self.params

    def engine_params_of(self, number: int) -> Params:
        """The engine parameters round `number` played (the stage in force for it)."""
        return params_from_json(canonical_json(self.round_params(number)))

    @property
    def switches(self) -> bool:
        """Whether the class played more than one stage."""
        return len(self.stages) > 1

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
            "stages": [s.as_json() for s in self.stages],
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
                scenario=r.get("scenario"),
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
            stages=tuple(StageLog(**s) for s in data.get("stages", ())),
        )
