"""Sentences about theory, chosen by the engine's claims (`games.crisis.claims`): one template per claim code,
in English through gettext (the Japanese in locale/ja/LC_MESSAGES/django.po).

A page never decides what theory says: the engine gives a claim (a code and exact numbers) and this module
words it. The round debrief and the prediction panel call `sentence` / `sentences`; the play page receives
`templates()` in its strings and fills the same templates with the numbers the server sends in
`public.theory.claims` (frontend/static/js/play/theory.js), formatting each value by its name as `FORMATS`
says here.

Where the benchmark mixes, the sentence says so and gives the probability; where the mover is indifferent,
it says indifferent; "general deterrence should hold" appears only where the challenge probability is 0,
"expects a challenge" only where it is 1, and a belief threshold only where the treaty does not tie hands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from games.crisis.claims import Claim
from games.vocabulary import numbers

# Values shown as a percentage (probabilities of an action or of the forum's success); the rest as decimals.
PERCENT_VALUES = frozenset({"p", "phi0", "phi1"})


TEMPLATES: dict[str, Promise] = {
    # ----- general deterrence: the Challenger at its challenge decision -----
    "challenge_never": _(
        "Theory expects no challenge: the Challenger keeps the status quo, so general deterrence should "
        "hold."
    ),
    "challenge_always": _("Theory expects a challenge: general deterrence fails."),
    "challenge_indifferent": _(
        "The Challenger is indifferent between challenging and keeping the status quo: in the benchmark it "
        "challenges with probability %(p)s, so general deterrence holds only part of the time."
    ),
    "challenge_mixed": _("In the benchmark the Challenger challenges with probability %(p)s."),
    "challenge_tie_first": _(
        "The Challenger is indifferent between challenging and keeping the status quo; the benchmark has it "
        "challenge."
    ),
    "challenge_tie_second": _(
        "The Challenger is indifferent between challenging and keeping the status quo; the benchmark has it "
        "keep the status quo, so general deterrence should hold."
    ),
    # ----- Japan's response -----
    "resist_never": _("Theory expects Japan to concede if challenged."),
    "resist_always": _("Theory expects Japan to resist if challenged."),
    "resist_indifferent": _(
        "Japan is indifferent between resisting and conceding: in the benchmark it resists with probability "
        "%(p)s."
    ),
    "resist_mixed": _("In the benchmark Japan resists a challenge with probability %(p)s."),
    "resist_tie_first": _(
        "Japan is indifferent between resisting and conceding; the benchmark has it resist."
    ),
    "resist_tie_second": _(
        "Japan is indifferent between resisting and conceding; the benchmark has it concede."
    ),
    # ----- immediate deterrence: the Challenger facing a resisting Japan -----
    "attack_never": _(
        "Theory expects the Challenger to back down if Japan resists: immediate deterrence should hold."
    ),
    "attack_always": _("Theory expects the Challenger to attack if Japan resists."),
    "attack_indifferent": _(
        "The Challenger is indifferent between attacking and backing down: in the benchmark it attacks a "
        "resisting Japan with probability %(p)s."
    ),
    "attack_mixed": _("In the benchmark the Challenger attacks a resisting Japan with probability %(p)s."),
    "attack_tie_first": _(
        "The Challenger is indifferent between attacking and backing down; the benchmark has it attack."
    ),
    "attack_tie_second": _(
        "The Challenger is indifferent between attacking and backing down; the benchmark has it back down, "
        "so immediate deterrence should hold."
    ),
    # ----- the reasons: the bargaining range, expected payoffs, tied hands -----
    "range_inside": _(
        "At ρ = %(rho)s the status quo (x = 1) lies inside the bargaining range [%(low)s, %(high)s]."
    ),
    "range_boundary": _(
        "At ρ = %(rho)s the status quo (x = 1) lies on the edge of the bargaining range [%(low)s, %(high)s]."
    ),
    "range_outside": _(
        "At ρ = %(rho)s the status quo (x = 1) lies outside the bargaining range [%(low)s, %(high)s]."
    ),
    "challenge_values": _(
        "For the Challenger a challenge is worth %(challenge)s in expectation, the status quo "
        "%(status_quo)s."
    ),
    "resist_values": _("For Japan resisting is worth %(resist)s in expectation, conceding %(concede)s."),
    "attack_values": _(
        "For the Challenger attacking is worth %(attack)s in expectation, backing down %(withdraw)s."
    ),
    "japan_end_below_zero": _(
        "Japan's end of the range, %(low)s, lies below 0: a war at this ρ is worth less to Japan than "
        "conceding."
    ),
    "hands_tied": _(
        "The treaty ties the US's hands: once allied, it intervenes whatever its type, so ρ = 1 whatever "
        "the Challenger believes."
    ),
    # ----- had everyone known the US type (§3.4) -----
    "complete_no_war": _("Even with the US type known, theory expects no war here."),
    "complete_war_always": _("No: even with the US type known, theory expects war here."),
    "complete_war_sometimes": _(
        "Partly: even with the US type known, theory expects war here with probability %(p)s."
    ),
    # ----- the prediction panel's reasons -----
    "reputation_deters": _(
        "Reputation alone deters: believing the US resolute with the public reputation's probability π = "
        "%(pi)s, the Challenger would not challenge even without an alliance. No alliance is needed."
    ),
    "reputation_and_forum_deter": _(
        "Reputation and the ARF deter together: believing the US resolute with probability π = %(pi)s, the "
        "Challenger would not challenge even without an alliance, because preventive diplomacy may defuse "
        "the stand-off; without the ARF it would challenge. No alliance is needed."
    ),
    "reputation_fails": _(
        "Reputation alone does not deter: believing the US resolute with the public reputation's "
        "probability π = %(pi)s and seeing no alliance, the Challenger would challenge."
    ),
    "hands_tied_reason": _(
        "The treaty ties the US's hands: abandoning its ally would cost it R = %(R)s, more than a "
        "non-resolute US saves by staying out (g_N + R = %(margin)s ≥ 0), so an allied US intervenes "
        "whatever its type, and after an alliance the Challenger's belief no longer matters."
    ),
    "hands_free": _(
        "The treaty does not tie the US's hands: an allied non-resolute US would still stay out of a war "
        "(g_N + R = %(margin)s < 0), so the treaty alone does not make the US fight."
    ),
    "alliance_signal": _(
        "An alliance is a signal: after one, the Challenger's belief that the US is resolute moves from π = "
        "%(pi)s to %(belief)s, and it expects US intervention with probability ρ = %(rho)s."
    ),
    "alliance_pooling": _(
        "Both US types ally, so the alliance reveals nothing: the Challenger's belief stays at π = %(pi)s, "
        "and it expects US intervention with probability ρ = %(rho)s."
    ),
    "alliance_off_path": _(
        "No US type allies in this equilibrium. Were one to ally, the Challenger would believe it resolute "
        "with probability %(belief)s and expect US intervention with probability ρ = %(rho)s."
    ),
    "threshold_belief": _(
        "After an alliance that does not tie hands, a challenge stops paying once the Challenger's belief "
        "that the US is resolute reaches %(m)s; the public reputation is π = %(pi)s."
    ),
    "threshold_zero": _(
        "After an alliance the Challenger does not challenge, whatever it believes about US resolve."
    ),
    "threshold_none": _(
        "After an alliance a challenge pays whatever the Challenger believes about US resolve: even a "
        "belief of 1 would not deter it."
    ),
    "forum_threshold": _(
        "With an alliance behind it, preventive diplomacy defuses a stand-off with probability %(phi1)s "
        "instead of %(phi0)s: the belief at which a challenge stops paying is %(m0)s without an alliance "
        "and %(m1)s with one."
    ),
    "japan_threshold": _(
        "Japan resists a challenge only if it expects US intervention with probability at least %(rho)s; "
        "below that it concedes."
    ),
    "japan_always": _("Japan resists a challenge even if it expects no US help."),
    "japan_never": _("Japan concedes a challenge even if it expects certain US intervention."),
    "japan_threshold_a0": _(
        "Without an alliance, Japan resists a challenge only if it expects US intervention with probability "
        "at least %(rho)s; below that it concedes."
    ),
    "japan_always_a0": _("Without an alliance, Japan resists a challenge even if it expects no US help."),
    "japan_never_a0": _(
        "Without an alliance, Japan concedes a challenge even if it expects certain US intervention."
    ),
    "japan_threshold_a1": _(
        "With an alliance, Japan resists a challenge only if it expects US intervention with probability at "
        "least %(rho)s; below that it concedes."
    ),
    "japan_always_a1": _("With an alliance, Japan resists a challenge even if it expects no US help."),
    "japan_never_a1": _(
        "With an alliance, Japan concedes a challenge even if it expects certain US intervention."
    ),
    "backs_down_threshold": _(
        "Once Japan resists, the Challenger backs down only if the chance of US intervention reaches "
        "%(rho)s."
    ),
    "backs_down_always": _(
        "Once Japan resists, the Challenger backs down even if it expects no US intervention."
    ),
    "backs_down_never": _(
        "Once Japan resists, the Challenger never backs down: it would attack even against certain US "
        "intervention."
    ),
    "backs_down_threshold_L": _(
        "Once Japan resists, a determined Challenger backs down only if the chance of US intervention "
        "reaches %(rho)s."
    ),
    "backs_down_always_L": _(
        "Once Japan resists, a determined Challenger backs down even if it expects no US intervention."
    ),
    "backs_down_never_L": _(
        "Once Japan resists, a determined Challenger never backs down, even against certain US intervention."
    ),
    "backs_down_threshold_H": _(
        "Once Japan resists, a hesitant Challenger backs down only if the chance of US intervention reaches "
        "%(rho)s."
    ),
    "backs_down_always_H": _(
        "Once Japan resists, a hesitant Challenger backs down even if it expects no US intervention."
    ),
    "backs_down_never_H": _(
        "Once Japan resists, a hesitant Challenger never backs down, even against certain US intervention."
    ),
    # ----- why each US type allies or not (the peacetime cost against the value of deterrence) -----
    "cost_bluff": _(
        "The non-resolute US bluffs because the peacetime cost K = %(K)s is below its value of deterrence "
        "VD_N(0) = %(vdn)s (what it loses without an alliance once the Challenger sees through it)."
    ),
    "cost_bluff_partial": _(
        "It bluffs only part of the time: if it always allied, an alliance would no longer convince the "
        "Challenger."
    ),
    "cost_separating": _(
        "Only the resolute US allies: the peacetime cost K = %(K)s is at least the non-resolute US's "
        "value of deterrence VD_N(0) = %(vdn)s but below the resolute US's VD_R(0) = %(vdr)s."
    ),
    "cost_pooling_tied": _(
        "Both US types ally: the treaty ties hands, and the peacetime cost K = %(K)s is below even the "
        "non-resolute US's value of deterrence VD_N(0) = %(vdn)s."
    ),
    "cost_pooling": _(
        "Both US types ally: the peacetime cost K = %(K)s is below even the non-resolute US's value of "
        "deterrence VD_N(0) = %(vdn)s."
    ),
    "cost_none_expensive": _(
        "Nobody allies: the peacetime cost K = %(K)s is at least what deterrence is worth even to a resolute "
        "US, VD_R(π) = %(vdrpi)s."
    ),
    "cost_none_challenged": _(
        "Nobody allies: a semi-separating alliance would still be challenged so often that the resolute US "
        "does better without one (%(u3)s against %(u5)s)."
    ),
    "cost_none": _("Nobody allies: of the equilibria, not allying is the best one for the resolute US."),
    # ----- a neutrality pact; the forum's chances -----
    "neutrality": _(
        "The neutrality pact leaves the US no alliance option, and intervening costs it r_N = %(r)s."
    ),
    "neutrality_no_help": _(
        "Even a resolute US would stay out of a war (g_R − r_N = %(g)s < 0), so nobody expects US help."
    ),
    "forum_chances": _(
        "Preventive diplomacy defuses a stand-off with probability %(phi1)s when an alliance backs it and "
        "%(phi0)s when none does."
    ),
    "forum_chance": _("Preventive diplomacy defuses the stand-off with probability %(p)s."),
}


@dataclass(frozen=True)
class Sentence:
    """One sentence about theory and the claim it was chosen by (for `data-claim` attributes and tests)."""

    claim: str
    text: str
    values: Mapping[str, Fraction] = field(default_factory=dict)


def formatted(name: str, value: Any) -> str:
    """A claim's number as the pages write it: a probability in percent, anything else as a decimal."""
    return numbers.percent(value) if name in PERCENT_VALUES else numbers.decimal(value)


def sentence(claim: Claim) -> Sentence:
    """The claim in words, in the active language."""
    template = str(TEMPLATES[claim.code])
    values = {name: formatted(name, value) for name, value in claim.values.items()}
    return Sentence(claim=claim.code, text=template % values if values else template, values=claim.values)


def sentences(claims: Iterable[Claim | None]) -> list[Sentence]:
    return [sentence(claim) for claim in claims if claim is not None]


def from_json(entries: Iterable[Mapping[str, Any]]) -> list[Sentence]:
    """Sentences from claims sent as JSON (`{"claim": code, name: number, ...}`), e.g. a report's."""
    claims = [Claim(entry["claim"], {k: Fraction(str(v)) for k, v in entry.items() if k != "claim"})
              for entry in entries]
    return sentences(claims)


def templates() -> dict[str, str]:
    """Every template, translated, for the play page's strings (keyed by claim code)."""
    return {code: str(text) for code, text in TEMPLATES.items()}


# The board's summary of a flag whose words state what theory predicts, where the catalogue's summary
# (games.vocabulary.labels.FLAGS) says less than the flag's condition: the comparison is with the same
# scenario without confidence-building measures, the forum itself still there.
FLAG_SUMMARIES: dict[str, Promise] = {
    "ARF_REPLACES_ALLIANCE": _(
        "The ARF replaces the alliance: with the confidence-building measures theory predicts, an "
        "alliance is less likely than without any."
    ),
}


def flag_summaries() -> dict[str, str]:
    return {name: str(text) for name, text in FLAG_SUMMARIES.items()}
