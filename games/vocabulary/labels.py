"""The game's names in the visitor's language: one table per concept, keyed by the engine's codes.

Each table maps a code of `games.crisis` (a role, node, action, terminal, outcome with its qualifiers,
flag, player type) or of the class (its status) to the forms pages need of it, kept together: an action's
button label, its line in the history and its word on a game-tree edge; a node's title, question, prompt
and the phrase a debrief sentence uses; an outcome's name, the board's sentence and the debrief's
explanation. The board (`games.play.strings`), the dashboard and projector (`games.instructor.strings`),
the scenario preview (`games.instructor.prediction`), the debriefs (`games.debrief`) and the templates
(`{% load vocabulary %}`) all read them here. tests/test_vocabulary.py checks them against the engine.

The strings are lazy: a table is built once and speaks the language active when a form is shown. The
Japanese (locale/ja/LC_MESSAGES/django.po) uses the lecture's terms as `games.vocabulary.glossary` lists
them (一般抑止, 緊急抑止, 拡大抑止, 見捨てられ, 巻き込まれ, トリップワイヤー, 信憑性, はったり ...);
tests/test_glossary.py holds the catalogue to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from games.crisis.views import CHALLENGER_TYPE_NAMES, US_TYPE_NAMES

# --------------------------------------------------------------------------------------------------
# Roles
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    name: Promise  # "Japan"
    initial: Promise  # the game tree's marker of the mover: "J"
    part: Promise  # the join page's word for the part: "defender"
    tagline: Promise  # the board's line under the role's name


ROLES: dict[str, Role] = {
    "japan": Role(
        _("Japan"),
        pgettext_lazy("role initial in the game tree", "J"),
        _("defender"),
        _("The defender: you hold the disputed good."),
    ),
    "us": Role(
        _("United States"),
        pgettext_lazy("role initial in the game tree", "U"),
        _("ally"),
        _("Japan's potential ally."),
    ),
    "challenger": Role(
        _("Challenger"),
        pgettext_lazy("role initial in the game tree", "C"),
        _("challenges the status quo"),
        _("You want the good that Japan holds."),
    ),
}

# --------------------------------------------------------------------------------------------------
# Actions: the players' (games.crisis.game.ACTIONS) and Nature's public draws (CHANCE_ACTIONS)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    label: Promise  # the button, and the action's name in a debrief: "Form the alliance"
    did: Promise  # the history line after the mover's name: "formed the alliance"
    edge: Promise | None = None  # the game tree's edge; None where the move ends the round at a terminal


ACTIONS: dict[str, Action] = {
    "alliance": Action(
        _("Form the alliance"), _("formed the alliance"), pgettext_lazy("game tree edge", "alliance")
    ),
    "no_alliance": Action(
        _("No alliance"), _("did not form an alliance"), pgettext_lazy("game tree edge", "no alliance")
    ),
    "status_quo": Action(_("Keep the status quo"), _("kept the status quo")),
    "challenge": Action(_("Challenge"), _("challenged Japan"), pgettext_lazy("game tree edge", "challenge")),
    "concede": Action(_("Concede"), _("conceded the good")),
    "resist": Action(_("Resist"), _("resisted"), pgettext_lazy("game tree edge", "resist")),
    "withdraw": Action(_("Withdraw"), _("withdrew")),
    "attack": Action(_("Attack"), _("attacked"), pgettext_lazy("game tree edge", "attack")),
    "intervene": Action(_("Intervene"), _("intervened")),
    "stay_out": Action(_("Stay out"), _("stayed out")),
    "arm": Action(_("Arm"), _("armed"), pgettext_lazy("game tree edge", "arm")),
    "no_arm": Action(_("Do not arm"), _("did not arm"), pgettext_lazy("game tree edge", "no arms")),
    "cbm": Action(
        _("Confidence-building measures"),
        _("adopted confidence-building measures"),
        pgettext_lazy("game tree edge", "CBMs"),
    ),
    "no_cbm": Action(
        _("No confidence-building measures"),
        _("declined confidence-building measures"),
        pgettext_lazy("game tree edge", "no CBMs"),
    ),
}

CHANCE_ACTIONS: dict[str, Action] = {
    "defused": Action(_("defused by the ARF"), _("Preventive diplomacy defused the crisis")),
    "failed": Action(
        _("the ARF failed"),
        _("Preventive diplomacy failed"),
        pgettext_lazy("game tree edge", "diplomacy fails"),
    ),
}

# Automatic public events by their cause (`Move.auto`), where the cause and not the action says what happened.
AUTOMATIC_EVENTS: dict[str, Promise] = {
    "neutrality_pact": _("No alliance is possible: neutrality pact"),
}

# --------------------------------------------------------------------------------------------------
# Nodes
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    title: Promise  # what is happening: "The United States decides on the alliance"
    question: Promise | None  # the game tree's short label: "Alliance?"
    prompt: Promise | None  # asked of the mover: "Will you form an alliance with Japan?"
    phrase: Promise | None  # inside a debrief sentence ("At the US alliance decision, ...")


NODES: dict[str, Node] = {
    "arming": Node(
        _("Japan decides whether to arm"), _("Arm?"), _("Will you arm?"), _("Japan's arming decision")
    ),
    "cbm_japan": Node(
        _("Japan decides on confidence-building measures"),
        _("CBMs?"),
        _("Will you adopt confidence-building measures?"),
        _("Japan's decision on confidence-building measures"),
    ),
    "cbm_challenger": Node(
        _("The Challenger decides on confidence-building measures"),
        _("CBMs?"),
        _("Will you adopt confidence-building measures?"),
        _("the Challenger's decision on confidence-building measures"),
    ),
    "alliance": Node(
        _("The United States decides on the alliance"),
        _("Alliance?"),
        _("Will you form an alliance with Japan?"),
        _("the US alliance decision"),
    ),
    "challenge": Node(
        _("The Challenger decides whether to challenge"),
        _("Challenge?"),
        _("Will you challenge Japan?"),
        _("the Challenger's decision to challenge"),
    ),
    "response": Node(
        _("Japan responds to the challenge"),
        _("Resist?"),
        _("The Challenger has challenged. Will you resist?"),
        _("Japan's response to the challenge"),
    ),
    "preventive_diplomacy": Node(_("Preventive diplomacy"), _("Diplomacy"), None, None),
    "attack": Node(
        _("The Challenger decides whether to attack"),
        _("Attack?"),
        _("Japan resists. Will you attack?"),
        _("the Challenger's decision to attack"),
    ),
    "intervention": Node(
        _("The United States decides whether to intervene"),
        _("Intervene?"),
        _("The Challenger has attacked Japan. Will you intervene?"),
        _("the US decision to intervene"),
    ),
    "end": Node(_("The crisis is over"), None, None, _("the end of the crisis")),
}

# --------------------------------------------------------------------------------------------------
# Terminals and outcomes (crisis-model.md §5 and §9.9)
# --------------------------------------------------------------------------------------------------

TERMINALS: dict[str, Promise] = {
    "SQ": _("Status quo"),
    "CON": _("Japan concedes"),
    "WD": _("Challenger withdraws"),
    "WAR_I": _("War: US fights"),
    "WAR_S": _("War: Japan alone"),
    "DEF": _("Crisis defused"),
}


@dataclass(frozen=True)
class Outcome:
    """A primary label, or (in `qualifiers`) the label with one of its qualifiers."""

    name: Promise  # "General deterrence held"; with a qualifier "General deterrence held, with the alliance"
    sentence: Promise  # the board's round result
    explanation: Promise | None = None  # the debrief's; a label with qualifiers has it per qualifier
    tag: Promise | None = None  # a qualifier's own words, shown after the label's name: "with alliance"
    qualifiers: Mapping[str, Outcome] = field(default_factory=dict)
    entente: Outcome | None = None  # the words when the class's treaty is an entente (no aid obligation)


OUTCOMES: dict[str, Outcome] = {
    "GENERAL_DETERRENCE_HELD": Outcome(
        _("General deterrence held"),
        _("General deterrence held: the Challenger kept the status quo."),
        qualifiers={
            "with_alliance": Outcome(
                _("General deterrence held, with the alliance"),
                _("General deterrence held: the Challenger kept the status quo, with the alliance in place."),
                _("The Challenger kept the status quo, so no crisis arose. The alliance was in place."),
                _("with alliance"),
            ),
            "without_alliance": Outcome(
                _("General deterrence held, without an alliance"),
                _("General deterrence held: the Challenger kept the status quo, without any alliance."),
                _(
                    "The Challenger kept the status quo, so no crisis arose, although no alliance had been "
                    "formed."
                ),
                _("without alliance"),
            ),
        },
    ),
    "IMMEDIATE_DETERRENCE_HELD": Outcome(
        _("Immediate deterrence held: the Challenger withdrew"),
        _("Immediate deterrence held: Japan resisted and the Challenger backed down without using force."),
        _(
            "General deterrence failed (a crisis arose) and Japan resisted, but immediate deterrence held: "
            "the Challenger backed down without using force."
        ),
    ),
    "DETERRENCE_FAILED_JAPAN_CONCEDED": Outcome(
        _("General deterrence failed: Japan conceded"),
        _("General deterrence failed: Japan conceded the disputed good without a fight."),
        _(
            "General deterrence failed (a crisis arose): the Challenger challenged and Japan ceded the "
            "disputed good without a fight, so immediate deterrence was never tried."
        ),
    ),
    "DETERRENCE_FAILED_WAR_US_INTERVENED": Outcome(
        _("Immediate deterrence failed: war, the United States intervened"),
        _(
            "General and immediate deterrence failed and war broke out: the United States fought beside "
            "Japan."
        ),
        qualifiers={
            "alliance_honored": Outcome(
                _("Immediate deterrence failed: the allied US fought (alliance honoured)"),
                _(
                    "General and immediate deterrence failed and war broke out: the United States honoured "
                    "the alliance and fought beside Japan."
                ),
                _(
                    "General deterrence failed (a crisis arose) and immediate deterrence failed (force was "
                    "used). The allied United States fought beside Japan: the commitment was honoured. In "
                    "the lecture's terms a war is a political failure whether or not the ally intervenes."
                ),
                _("alliance honoured"),
                entente=Outcome(
                    _("Immediate deterrence failed: the US fought beside its entente partner"),
                    _(
                        "General and immediate deterrence failed and war broke out: the United States fought "
                        "beside Japan, which its entente did not oblige it to do."
                    ),
                    _(
                        "General deterrence failed (a crisis arose) and immediate deterrence failed (force "
                        "was used). The United States fought beside Japan although an entente is a "
                        "consultation pact with no obligation of military aid."
                    ),
                    _("fought beside its entente partner"),
                ),
            ),
            "ad_hoc_coalition": Outcome(
                _("Immediate deterrence failed: the US fought without a treaty (ad hoc coalition)"),
                _(
                    "General and immediate deterrence failed and war broke out: the United States fought "
                    "beside Japan without a treaty (an ad hoc coalition)."
                ),
                _(
                    "General deterrence failed (a crisis arose) and immediate deterrence failed (force was "
                    "used). The United States fought beside Japan without any treaty, as an ad hoc "
                    "coalition: an alliance is not needed for intervention (the lecture's first puzzle)."
                ),
                _("ad hoc coalition"),
            ),
        },
    ),
    "ABANDONMENT": Outcome(
        _("Abandonment: immediate deterrence failed, the allied US stayed out"),
        _(
            "Abandonment: the United States had allied with Japan but stayed out of the war, after general "
            "and immediate deterrence failed."
        ),
        _(
            "General deterrence failed (a crisis arose) and immediate deterrence failed (force was used). "
            "The United States had formed the alliance but stayed out: the commitment was broken and Japan "
            "was abandoned."
        ),
        entente=Outcome(
            _("Immediate deterrence failed: the US consulted but stayed out (entente)"),
            _(
                "General and immediate deterrence failed and war broke out: the United States had signed an "
                "entente, consulted, and stayed out."
            ),
            _(
                "General deterrence failed (a crisis arose) and immediate deterrence failed (force was "
                "used). The United States had signed an entente, a consultation pact with no obligation of "
                "military aid, and stayed out of the war: it did not break a promise to fight, but Japan "
                "fought alone."
            ),
        ),
    ),
    "DETERRENCE_FAILED_WAR_JAPAN_ALONE": Outcome(
        _("Immediate deterrence failed: Japan fought alone"),
        _("General and immediate deterrence failed and war broke out: with no alliance, Japan fought alone."),
        _(
            "General deterrence failed (a crisis arose) and immediate deterrence failed (force was used). No "
            "commitment existed and the United States stayed out, so Japan fought alone."
        ),
    ),
    "PREVENTIVE_DIPLOMACY_SUCCEEDED": Outcome(
        _("Preventive diplomacy succeeded"),
        _("Preventive diplomacy succeeded: the stand-off was defused."),
        qualifiers={
            "alliance_backed": Outcome(
                _("Preventive diplomacy succeeded, backed by the alliance"),
                _(
                    "Preventive diplomacy succeeded: backed by the alliance, the ARF defused the stand-off "
                    "without force."
                ),
                _(
                    "The Challenger challenged and Japan resisted, so general deterrence failed; then the "
                    "ASEAN Regional Forum defused the stand-off before anyone used force. The alliance "
                    "backed the cooperative-security layer."
                ),
                _("backed by the alliance"),
            ),
            "unbacked": Outcome(
                _("Preventive diplomacy succeeded, without an alliance"),
                _(
                    "Preventive diplomacy succeeded: without an alliance behind it, the ARF defused the "
                    "stand-off without force."
                ),
                _(
                    "The Challenger challenged and Japan resisted, so general deterrence failed; then the "
                    "ASEAN Regional Forum defused the stand-off before anyone used force, although no "
                    "alliance backed it."
                ),
                _("without an alliance behind it"),
            ),
        },
    ),
}

# --------------------------------------------------------------------------------------------------
# Flags of the debrief's classifier (crisis-model.md §5 and §9.9)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """Placeholders: COSTLY_SIGNAL_PAID %(K)s %(K1)s, CBM_* %(kappa1)s / %(kappaC)s (points); OFF_BENCHMARK
    %(player)s and %(node)s in the summary, %(role)s and %(node)s in the explanation."""

    title: Promise  # "Bluff called"
    summary: Promise  # the board's line once the debrief is released
    explanation: Promise  # the debrief's


FLAGS: dict[str, Flag] = {
    "ENTRAPMENT": Flag(
        _("Entrapment"),
        _("Entrapment: the United States fought only because the treaty made abandoning Japan costlier."),
        _(
            "The allied United States went to war although fighting was not worth it on its own terms "
            "(g < 0): the treaty drew it into Japan's war. Entrapment is the other horn of the alliance "
            "security dilemma: a commitment firm enough to rule out abandonment can draw the ally into a war "
            "it would not have chosen."
        ),
    ),
    "BLUFF_CALLED": Flag(
        _("Bluff called"),
        _("Bluff called: a United States that was not resolute had allied, and was attacked."),
        _("A United States that was not resolute had formed the alliance, and the Challenger attacked."),
    ),
    "BLUFF_UNTESTED": Flag(
        _("Bluff untested"),
        _("Bluff untested: a United States that was not resolute had allied, and nobody tested it."),
        _(
            "A United States that was not resolute had formed the alliance, and the Challenger never "
            "attacked."
        ),
    ),
    "COSTLY_SIGNAL_PAID": Flag(
        _("Costly signal paid"),
        _(
            "Costly signal: the alliance cost the United States %(K)s (Japan paid %(K1)s, which signals "
            "nothing)."
        ),
        _(
            "The alliance cost the United States %(K)s points and Japan %(K1)s points in peacetime, whatever "
            "happened next: an ex-ante cost (sinking costs, the lecture's peacetime cost). Its counterpart "
            "is the ex-post cost of abandoning an ally (tying hands), paid only if the commitment is broken."
        ),
    ),
    "UNNECESSARY_ALLIANCE": Flag(
        _("Unnecessary alliance"),
        _("Unnecessary alliance: deterrence would have held without it."),
        _(
            "Deterrence would have held without the alliance: the public reputation, with the ARF's unbacked "
            "preventive diplomacy where there is one, would have deterred the Challenger."
        ),
    ),
    "EMBOLDENED_RESISTANCE": Flag(
        _("Emboldened resistance"),
        _("Emboldened resistance: Japan resisted although it would not fight alone (p − c1 < 0)."),
        _("Japan resisted with the alliance behind it, although it would not fight alone (p − c1 < 0)."),
    ),
    "TRIPWIRE_TRIGGERED": Flag(
        _("Tripwire triggered"),
        _("Tripwire triggered: the attack hit US forces stationed in Japan."),
        _(
            "The Challenger attacked Japan while US tripwire forces were stationed there, so the attack hit "
            "US forces too: the tripwire turns extended deterrence (the US deterring attacks on Japan) into "
            "direct deterrence (an attack on Japan is an attack on the US)."
        ),
    ),
    "OFF_BENCHMARK": Flag(
        _("Off the benchmark"),
        _("Off the benchmark: %(player)s's choice at “%(node)s” had no place in the equilibrium."),
        _(
            "%(role)s chose an action at %(node)s that had probability 0 in the benchmark equilibrium (or, "
            "off the benchmark's path, was strictly worse)."
        ),
    ),
    "MULTIPLE_EQUILIBRIA": Flag(
        _("Multiple equilibria"),
        _("Several equilibria exist: the benchmark is one of them."),
        _(
            "More than one equilibrium survives the Intuitive Criterion. The benchmark is the one the "
            "selection rule picks (best for the resolute United States); all are shown."
        ),
    ),
    "CBM_JAPAN": Flag(
        _("Japan's confidence-building measures"),
        _("Japan adopted confidence-building measures."),
        _("Japan paid %(kappa1)s points for confidence-building measures."),
    ),
    "CBM_CHALLENGER": Flag(
        _("The Challenger's confidence-building measures"),
        _("The Challenger adopted confidence-building measures."),
        _("The Challenger paid %(kappaC)s points for confidence-building measures."),
    ),
    "ARF_FAILED": Flag(
        _("Preventive diplomacy failed"),
        _("Preventive diplomacy failed: the insurance layer was tested."),
        _("The ARF could not defuse the stand-off: the insurance layer, the alliance, was tested."),
    ),
    "INSURANCE_PAID_OUT": Flag(
        _("The insurance paid out"),
        _("Insurance paid out: the alliance coped with the conflict the ARF failed to prevent."),
        _(
            "The ARF failed, the Challenger attacked, and the allied United States fought: the alliance "
            "coped with the conflict preventive diplomacy could not prevent."
        ),
    ),
    "UNINSURED_FAILURE": Flag(
        _("Uninsured failure"),
        _("Uninsured failure: the ARF failed and Japan fought without US help."),
        _("The ARF failed, the Challenger attacked, and Japan fought without the United States."),
    ),
    "ARF_DETERRENCE": Flag(
        _("Deterrence by the ARF"),
        _("The ARF deterred: the same US credibility alone would not have."),
        _(
            "The Challenger kept the status quo although, without the ARF, the same US credibility would "
            "not have deterred it."
        ),
    ),
    "ARF_EMBOLDENED": Flag(
        _("Emboldened by the ARF"),
        _("The ARF emboldened Japan: without it, Japan would have conceded."),
        _("Japan resisted although, without the ARF, it would have conceded."),
    ),
    "ALLIANCE_ENABLES_ARF": Flag(
        _("The alliance enabled the ARF"),
        _("The alliance made preventive diplomacy work."),
        _(
            "The alliance switched the ARF to full strength: without the treaty preventive diplomacy would "
            "not have worked as well."
        ),
    ),
    "ARF_REPLACES_ALLIANCE": Flag(
        _("The ARF replaces the alliance"),
        _("The ARF made alliances less likely than without it."),
        _(
            "In this scenario the ARF makes the alliance less likely than without confidence-building "
            "measures."
        ),
    ),
    "WEDGE": Flag(
        _("Wedge"),
        _("Wedge: the Challenger's confidence-building measures made the United States ally less."),
        _("The Challenger's confidence-building measures made a non-resolute United States ally less often."),
    ),
}

# --------------------------------------------------------------------------------------------------
# The players' private types: the engine's codes (R/N, L/H) and the names the views send
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlayerType:
    role: str  # whose type it is
    view: str  # the name in a player's view (games.crisis.views): "resolute"
    name: Promise  # "resolute"
    holder: Promise  # the player with the type: "resolute US"
    meaning: Promise  # said to the player who has it


TYPES: dict[str, PlayerType] = {
    "R": PlayerType(
        "us",
        US_TYPE_NAMES["R"],
        _("resolute"),
        _("resolute US"),
        _("You would fight for Japan even without a treaty."),
    ),
    "N": PlayerType(
        "us",
        US_TYPE_NAMES["N"],
        _("not resolute"),
        _("non-resolute US"),
        _("On your own you would not fight for Japan."),
    ),
    "L": PlayerType(
        "challenger",
        CHALLENGER_TYPE_NAMES["L"],
        _("determined"),
        _("determined Challenger"),
        _("War is relatively cheap for you."),
    ),
    "H": PlayerType(
        "challenger",
        CHALLENGER_TYPE_NAMES["H"],
        _("hesitant"),
        _("hesitant Challenger"),
        _("War is costly for you."),
    ),
}

TYPE_CODES: dict[str, str] = {t.view: code for code, t in TYPES.items()}  # "resolute" -> "R"

# --------------------------------------------------------------------------------------------------
# The scenario's treaty (games.crisis.params.AllianceType) and the class's status
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllianceType:
    name: Promise  # in a sentence: "defence pact"
    fact: Promise  # the board's scenario facts: "Defence pact"


ALLIANCE_TYPES: dict[str, AllianceType] = {
    "defence_pact": AllianceType(
        _("defence pact"), _("Defence pact: extended deterrence of attacks on Japan")
    ),
    "entente": AllianceType(_("entente"), _("Entente: consultation only, no obligation of military aid")),
    "offensive": AllianceType(_("offensive alliance"), _("The Challenger has an offensive ally")),
    "neutrality": AllianceType(
        _("neutrality pact"), _("US–Challenger neutrality pact: no alliance possible")
    ),
    "non_aggression": AllianceType(_("non-aggression pact"), _("Challenger–Japan non-aggression pact")),
}


@dataclass(frozen=True)
class ClassStatus:
    name: Promise  # the dashboard's and projector's badge: "Running"
    for_students: Promise  # the board's line: "The class is running."


CLASS_STATUS: dict[str, ClassStatus] = {
    "lobby": ClassStatus(_("Lobby: students are joining"), _("Waiting for the class to start.")),
    "running": ClassStatus(_("Running"), _("The class is running.")),
    "paused": ClassStatus(_("Paused"), _("The instructor has paused the class.")),
    "finished": ClassStatus(_("Finished"), _("The class has ended.")),
}

# --------------------------------------------------------------------------------------------------
# Looking up
# --------------------------------------------------------------------------------------------------


def forms(table: Mapping[str, Any], form: str | None = None) -> dict[str, str]:
    """One form of every code of a table, as plain strings in the active language (for a page's script).
    `form` is the field to take; None for a table of plain strings. Codes without that form are left out."""
    out = {}
    for code, entry in table.items():
        value = entry if form is None else getattr(entry, form)
        if value is not None:
            out[code] = str(value)
    return out


def role_name(code: str | None) -> str:
    entry = ROLES.get(code or "")
    return str(entry.name) if entry else code or ""


def action_label(code: str | None) -> str:
    """A player's action or Nature's draw by its name ("Form the alliance"); an unknown code as it is."""
    entry = ACTIONS.get(code or "") or CHANCE_ACTIONS.get(code or "")
    return str(entry.label) if entry else code or ""


def node_phrase(code: str | None) -> str:
    entry = NODES.get(code or "")
    return str(entry.phrase or entry.title) if entry else code or ""


def terminal_name(code: str) -> str:
    return str(TERMINALS.get(code, code))


def outcome(key: str, alliance_type: str | None = None) -> Outcome | None:
    """The outcome of a key "LABEL" or "LABEL/qualifier" (games.crisis.debrief.outcome_key); under an
    entente (`alliance_type` "entente", a consultation pact with no aid obligation) its entente words where
    it has them: a US that stays out has broken no promise to fight."""
    label, _slash, qualifier = key.partition("/")
    entry = OUTCOMES.get(label)
    if entry is not None and qualifier:
        entry = entry.qualifiers.get(qualifier)
    if entry is not None and alliance_type == "entente" and entry.entente is not None:
        return entry.entente
    return entry


def outcome_name(key: str | None, alliance_type: str | None = None) -> str:
    entry = outcome(key or "", alliance_type)
    return str(entry.name) if entry else key or ""


def outcome_explanation(key: str | None, alliance_type: str | None = None) -> str:
    entry = outcome(key or "", alliance_type)
    return str(entry.explanation or "") if entry else ""


def alliance_type_name(code: str | None) -> str:
    entry = ALLIANCE_TYPES.get(code or "")
    return str(entry.name) if entry else code or ""


def outcome_keys() -> Iterator[str]:
    """Every key "LABEL" or "LABEL/qualifier" the table names, in its order."""
    for label, entry in OUTCOMES.items():
        yield from (f"{label}/{q}" for q in entry.qualifiers) if entry.qualifiers else (label,)


def outcome_sentences(alliance_type: str | None = None) -> dict[str, str]:
    """The board's result sentence of every label, and of every label with its qualifier (with
    `alliance_type`, that treaty's words where they differ)."""
    return {key: str(outcome(key, alliance_type).sentence) for key in _all_keys()}  # type: ignore[union-attr]


def entente_sentences() -> dict[str, str]:
    """The board's result sentences that an entente words differently, by outcome key."""
    out = {}
    for key in _all_keys():
        entry = outcome(key, "entente")
        if entry is not None and entry is not outcome(key):
            out[key] = str(entry.sentence)
    return out


def _all_keys() -> Iterator[str]:
    """Every label and every label with a qualifier."""
    for label, entry in OUTCOMES.items():
        yield label
        yield from (f"{label}/{q}" for q in entry.qualifiers)


def qualifier_tags() -> dict[str, str]:
    return {q: str(entry.tag) for label in OUTCOMES.values() for q, entry in label.qualifiers.items()}


def player_type(code: str | None) -> PlayerType | None:
    """A type by the engine's code ("R") or by the name in a view ("resolute")."""
    return TYPES.get(TYPE_CODES.get(code or "", code or ""))


def type_name(code: str | None) -> str:
    entry = player_type(code)
    return str(entry.name) if entry else ""


def type_forms(form: str, role: str | None = None) -> dict[str, str]:
    """One form of every type (of `role`'s, if given) keyed by the name the views send ("resolute")."""
    return {t.view: str(getattr(t, form)) for t in TYPES.values() if role in (None, t.role)}


NOBODY = _("nobody")  # an empty list of people: no builder of measures, no student on a leaderboard


def cbm_builders(e: Sequence[int]) -> str:
    """Who adopted confidence-building measures in Module D's choices e = (e1, eC): "Japan + Challenger",
    "Japan", or "nobody"."""
    built = [role_name(role) for role, flag in zip(("japan", "challenger"), e, strict=True) if flag]
    return " + ".join(built) if built else str(NOBODY)
