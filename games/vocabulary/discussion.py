"""Discussion questions built from what a class, or one round, actually did: each question is asked only
when its fact holds, and carries the class's own numbers. Words only: the facts come from the caller (the
debrief's class report, a round's report, or the finished rounds the projector counts), so both features
ask the same questions of the same class.

The questions quote facts and the lecture's figures; they never state what theory predicts (the debrief's
other sections do that, from the solver).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from games.crisis.debrief import outcome_key, primary_label
from games.vocabulary import numbers

WAR = ("WAR_I", "WAR_S")
ATTACK_DECISION = ("WD", "WAR_I", "WAR_S")  # the Challenger decided whether to attack a resisting Japan
MAX_QUESTIONS = 3

# (outcome key, alliance decision) -> terminal: the inverse of the engine's §5 table.
_TERMINALS: dict[tuple[str, int], str] = {
    (outcome_key(*primary_label(terminal, a)), a): terminal
    for terminal in ("SQ", "WD", "CON", "WAR_I", "WAR_S", "DEF")
    for a in (0, 1)
}


@dataclass(frozen=True)
class Question:
    key: str  # what the question is about: "honoured", "ad_hoc", ... or "scenario"
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "text": self.text}


@dataclass(frozen=True)
class ClassFacts:
    """A class's finished rounds, counted by (alliance decision, terminal), and its scenario's treaty."""

    rounds: Counter[tuple[int, str]] = field(default_factory=Counter)
    alliance_type: str = "defence_pact"
    tripwire: bool = False

    @classmethod
    def from_rounds(cls, rounds: Iterable[tuple[int | None, str]], **scenario: Any) -> ClassFacts:
        """From each finished round's (alliance decision, terminal)."""
        return cls(Counter((int(a or 0), t) for a, t in rounds), **scenario)

    @classmethod
    def from_outcomes(cls, rows: Iterable[Mapping[str, Any]], **scenario: Any) -> ClassFacts:
        """From outcome counts split by the alliance decision: rows {"allied": bool, "outcomes": {key:
        {"count": n}}}, as the class report's outcomes by condition are."""
        counts: Counter[tuple[int, str]] = Counter()
        for row in rows:
            a = int(bool(row["allied"]))
            for key, entry in row["outcomes"].items():
                if entry["count"]:
                    counts[(a, _TERMINALS[(key, a)])] += entry["count"]
        return cls(counts, **scenario)

    def count(self, terminals: Iterable[str] | str | None = None, alliance: int | None = None) -> int:
        """Finished rounds ending in `terminals` (all if None) after alliance decision `alliance`."""
        wanted = (terminals,) if isinstance(terminals, str) else terminals
        return sum(
            n
            for (a, t), n in self.rounds.items()
            if (wanted is None or t in wanted) and (alliance is None or a == alliance)
        )

    def challenged(self, alliance: int) -> int:
        return self.count(alliance=alliance) - self.count("SQ", alliance)


def class_questions(facts: ClassFacts) -> list[Question]:
    """Up to three questions about what the class did, the most telling first."""
    asked = [
        question
        for ask in (_honoured, _ad_hoc, _allied_challenged, _political_failure, _tripwire, _conceded)
        if (question := ask(facts)) is not None
    ]
    if len(asked) < 2:
        asked += [q for ask in (_general_deterrence, _immediate_deterrence) if (q := ask(facts)) is not None]
    return asked[:MAX_QUESTIONS]


def scenario_questions(lines: str) -> list[Question]:
    """The scenario's own questions, one a line."""
    return [Question("scenario", line.strip()) for line in lines.splitlines() if line.strip()]


def _share(part: int, whole: int) -> str:
    return numbers.percent(part / whole) if whole else numbers.DASH


def _honoured(f: ClassFacts) -> Question | None:
    tested, honoured = f.count(WAR, 1), f.count("WAR_I", 1)
    if not tested:
        return None
    values = {"honoured": honoured, "tested": tested, "broken": tested - honoured}
    if f.alliance_type == "entente":
        text = _(
            "After the entente, the United States fought in %(honoured)s of the %(tested)s wars and stayed "
            "out of %(broken)s: an entente promises consultation, not military aid. Was staying out "
            "abandonment?"
        )
    else:
        text = _(
            "%(honoured)s of %(tested)s tested alliances were honoured and %(broken)s broken: compare the "
            "lecture's figure, about 20 %% of commitments broken. What made the United States keep or break "
            "its word?"
        )
    return Question("honoured", text % values)


def _ad_hoc(f: ClassFacts) -> Question | None:
    fought = f.count("WAR_I", 0)
    if not fought:
        return None
    text = _(
        "Rounds in which an ad hoc coalition fought: %(n)s. The United States fought for Japan without any "
        "treaty. If intervention needs no alliance (the lecture's first puzzle), why sign treaties at all?"
    )
    return Question("ad_hoc", text % {"n": fought})


def _allied_challenged(f: ClassFacts) -> Question | None:
    allied, alone = f.count(alliance=1), f.count(alliance=0)
    if not allied or not f.challenged(1):
        return None
    values = {
        "allied": _share(f.challenged(1), allied),
        "k": f.challenged(1),
        "n": allied,
        "alone": _share(f.challenged(0), alone),
    }
    if alone and f.challenged(1) * alone >= f.challenged(0) * allied:
        text = _(
            "Allied rounds were challenged %(allied)s of the time (%(k)s of %(n)s), rounds without an "
            "alliance %(alone)s: does that contradict Leeds's finding that defence pacts cut attacks by "
            "about 28 %%? Who chooses to ally, and where?"
        )
    elif alone:
        text = _(
            "Allied rounds were challenged %(allied)s of the time (%(k)s of %(n)s), rounds without an "
            "alliance %(alone)s: is that the lecture's 28 %% fewer attacks, or did the United States ally "
            "only where deterrence was in doubt?"
        )
    else:
        text = _(
            "Allied rounds were challenged %(allied)s of the time (%(k)s of %(n)s): does that contradict "
            "Leeds's finding that defence pacts cut attacks by about 28 %%? Who chooses to ally, and where?"
        )
    return Question("allied_challenged", text % values)


def _political_failure(f: ClassFacts) -> Question | None:
    wars, honoured = f.count(WAR), f.count("WAR_I", 1)
    if not honoured or f.alliance_type == "entente":
        return None
    text = _(
        "War broke out in %(wars)s of %(n)s rounds, %(honoured)s of them with the alliance honoured. The "
        "lecture calls any war a political failure, whether or not the ally intervenes: were those "
        "alliances a success?"
    )
    return Question("political_failure", text % {"wars": wars, "n": f.count(), "honoured": honoured})


def _tripwire(f: ClassFacts) -> Question | None:
    if not f.tripwire or not f.count():
        return None
    text = _(
        "With US forces stationed in Japan, an attack on Japan is an attack on the United States: extended "
        "deterrence becomes direct deterrence. The Challenger challenged in %(k)s of %(n)s rounds. "
        "The tripwire makes abandonment costlier and entrapment likelier (the alliance security dilemma): "
        "which risk should weigh more?"
    )
    return Question("tripwire", text % {"k": f.challenged(0) + f.challenged(1), "n": f.count()})


def _conceded(f: ClassFacts) -> Question | None:
    conceded = f.count("CON")
    if not conceded:
        return None
    text = _(
        "Japan conceded without a fight in %(k)s of %(n)s rounds: general deterrence failed and immediate "
        "deterrence was never tried. What would Japan have needed in order to resist?"
    )
    return Question("conceded", text % {"k": conceded, "n": f.count()})


def _general_deterrence(f: ClassFacts) -> Question | None:
    held = f.count("SQ")
    if not held:
        return None
    text = _(
        "General deterrence held in %(k)s of %(n)s rounds: no crisis arose. Did the alliance deter, or "
        "would the Challenger have kept the status quo anyway? How could you tell?"
    )
    return Question("general_deterrence", text % {"k": held, "n": f.count()})


def _immediate_deterrence(f: ClassFacts) -> Question | None:
    reached = f.count(ATTACK_DECISION)
    if not f.count("WD"):
        return None
    text = _(
        "Immediate deterrence held in %(k)s of the %(n)s crises that reached the Challenger's attack "
        "decision: what made the Challenger back down once Japan resisted?"
    )
    return Question("immediate_deterrence", text % {"k": f.count("WD"), "n": reached})


# --------------------------------------------------------------------------------------------------
# One round
# --------------------------------------------------------------------------------------------------


def round_questions(
    outcome: str,
    flags: Iterable[str],
    alliance_type: str = "defence_pact",
    amounts: Mapping[str, str] | None = None,
) -> list[Question]:
    """Up to three questions about one finished round: its most telling flags first, then its outcome, then
    the alliance's two costs (`amounts`: "K" and "R" as the page writes them, in points), then Japan's
    emboldened resistance."""
    names, amounts = set(flags), amounts or {}
    asked = [ask() for name, ask in _FLAG_QUESTIONS if name in names]
    asked += _outcome_question(outcome, alliance_type)
    if "COSTLY_SIGNAL_PAID" in names and "K" in amounts and "R" in amounts:
        text = _(
            "The United States paid %(K)s points for the alliance in peacetime (sinking costs) and would "
            "have paid %(R)s for abandoning Japan (tying hands): which of the two made the commitment "
            "believable?"
        )
        asked.append(Question("costly_signal", text % amounts))
    if "EMBOLDENED_RESISTANCE" in names:
        asked.append(_emboldened())
    return asked[:MAX_QUESTIONS]


def _entrapment() -> Question:
    return Question(
        "entrapment",
        _(
            "The treaty drew the United States into a war it would not have fought on its own terms: which "
            "should an ally fear more, abandonment or entrapment (the alliance security dilemma)?"
        ),
    )


def _tripwire_triggered() -> Question:
    return Question(
        "tripwire",
        _(
            "The attack hit US tripwire forces, turning extended deterrence into direct deterrence: why did "
            "the Challenger attack anyway?"
        ),
    )


def _bluff_called() -> Question:
    return Question(
        "bluff_called",
        _(
            "The alliance was a bluff, and the Challenger called it: what could have told the Challenger, "
            "and what will it believe next round?"
        ),
    )


def _bluff_untested() -> Question:
    return Question(
        "bluff_untested",
        _(
            "The alliance was a bluff that nobody tested: the status quo held although the United States "
            "would not have fought. Is an untested bluff a success?"
        ),
    )


def _emboldened() -> Question:
    return Question(
        "emboldened",
        _(
            "Japan resisted although it would not fight alone: did the alliance make Japan bolder than is "
            "wise?"
        ),
    )


def _insurance() -> Question:
    return Question(
        "insurance",
        _(
            "Preventive diplomacy failed and the crisis went on to war: in what sense is the alliance the "
            "ARF's insurance, and did it pay out here?"
        ),
    )


# The flags that raise a question before the round's outcome does, the most telling first.
_FLAG_QUESTIONS = (
    ("ENTRAPMENT", _entrapment),
    ("TRIPWIRE_TRIGGERED", _tripwire_triggered),
    ("BLUFF_CALLED", _bluff_called),
    ("BLUFF_UNTESTED", _bluff_untested),
    ("ARF_FAILED", _insurance),
)


def _outcome_question(outcome: str, alliance_type: str) -> list[Question]:
    """The question the round's outcome raises."""
    texts = {
        "GENERAL_DETERRENCE_HELD/with_alliance": _(
            "General deterrence held with the alliance in place: did the alliance deter, or would the "
            "Challenger have kept the status quo anyway?"
        ),
        "GENERAL_DETERRENCE_HELD/without_alliance": _(
            "General deterrence held without any alliance: what deterred the Challenger?"
        ),
        "IMMEDIATE_DETERRENCE_HELD": _(
            "General deterrence failed but immediate deterrence held: what convinced the Challenger to back "
            "down once Japan resisted?"
        ),
        "DETERRENCE_FAILED_JAPAN_CONCEDED": _(
            "Japan conceded without a fight: general deterrence failed and immediate deterrence was never "
            "tried. What would Japan have needed in order to resist?"
        ),
        "DETERRENCE_FAILED_WAR_US_INTERVENED/alliance_honored": _(
            "The alliance was honoured, but war broke out: the lecture calls any war a political failure. "
            "Was this alliance a success?"
        ),
        "DETERRENCE_FAILED_WAR_US_INTERVENED/ad_hoc_coalition": _(
            "The United States fought without a treaty: if intervention needs no alliance (the lecture's "
            "first puzzle), why sign treaties?"
        ),
        "ABANDONMENT": _(
            "The allied United States stayed out of the war: why did the treaty not hold, and what will the "
            "Challenger believe about the next alliance?"
        ),
        "DETERRENCE_FAILED_WAR_JAPAN_ALONE": _(
            "No alliance and no help: Japan fought alone. What would it have taken for the United States to "
            "commit in advance?"
        ),
        "PREVENTIVE_DIPLOMACY_SUCCEEDED/alliance_backed": _(
            "The ARF defused the stand-off with the alliance behind Japan: what did each layer contribute?"
        ),
        "PREVENTIVE_DIPLOMACY_SUCCEEDED/unbacked": _(
            "The ARF defused the stand-off without any alliance: can cooperative security replace the "
            "alliance, or was this luck?"
        ),
    }
    if alliance_type == "entente" and outcome == "ABANDONMENT":
        text = _(
            "The United States had signed an entente and stayed out of the war: was that abandonment, or "
            "exactly what a consultation pact promises?"
        )
    else:
        text = texts.get(outcome, "")
    return [Question("outcome", text)] if text else []
