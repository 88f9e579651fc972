"""The scenario editor's catalogue: every parameter of crisis-model.md, how it is presented, and the
fieldsets the editor groups them in.

Instructors are not programmers, so each `Params` field gets a label in words, its meaning, its valid
range in the model's notation and its symbol, grouped the way the model is taught (the dispute, the
military balance, the alliance, private information, the modules).  This is data: the engine decides
what is valid (`Params.from_mapping`), the forms (`forms.py`) build one field per entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from games.crisis.params import AllianceType

BOOL, NUMBER, OPTIONAL_NUMBER, CHOICE = "bool", "number", "optional", "choice"


@dataclass(frozen=True)
class ParamSpec:
    """How one parameter is presented: words for its label and meaning, and its valid range.

    The range is written in the model's notation (language-neutral); the words are translated.
    """

    name: str
    label: Promise
    meaning: Promise
    valid: str
    kind: str = NUMBER
    symbol: str = ""


def spec(
    name: str, label: Promise, meaning: Promise, valid: str, kind: str = NUMBER, symbol: str = ""
) -> ParamSpec:
    return ParamSpec(name, label, meaning, valid, kind, symbol or name)


# Every field of `Params`, in the order of the fieldsets below (tests check that none is missing).
PARAMS: tuple[ParamSpec, ...] = (
    # The dispute
    spec(
        "sigma",
        _("Challenger's discontent with the status quo"),
        _(
            "Security-dilemma pressure: the Challenger's payoff when nothing happens is −σ. The higher it "
            "is, the more a challenge tempts the Challenger."
        ),
        "σ ≥ 0",
        symbol="σ",
    ),
    spec(
        "beta",
        _("Challenger's cost of backing down"),
        _("The audience cost the Challenger pays if it withdraws after Japan resists."),
        "β > 0",
        symbol="β",
    ),
    # Military balance and war costs
    spec(
        "p",
        _("Japan's chance of winning alone"),
        _("Probability that Japan wins a war it fights alone."),
        "0 < p < 1",
    ),
    spec(
        "p2",
        _("Japan's chance of winning with the US"),
        _("Probability that Japan's side wins when the US fights too."),
        "p ≤ p′ ≤ 1",
        symbol="p′",
    ),
    spec(
        "c1",
        _("Japan's war cost, fighting alone"),
        _("What a war costs Japan when it fights alone (the disputed good is worth 1)."),
        "c1 > 0",
    ),
    spec(
        "c1a",
        _("Japan's war cost with the US fighting"),
        _("Japan's war cost when the US fights beside it (the burden is shared)."),
        "c1′ ≥ 0",
        symbol="c1′",
    ),
    spec(
        "cC",
        _("Challenger's war cost against Japan alone"),
        _("What a war against Japan alone costs the Challenger."),
        "cC > 0",
    ),
    spec(
        "cCa",
        _("Challenger's war cost against the coalition"),
        _(
            "What a war against Japan and the US together costs the Challenger. US entry must hurt the "
            "Challenger: p′ + cC′ > p + cC."
        ),
        "cC′ ≥ 0 (≥ cC recommended)",
        symbol="cC′",
    ),
    spec("c2", _("US cost of fighting"), _("What intervening in the war costs the US."), "c2 > 0"),
    # The alliance and its costs
    spec(
        "k",
        _("US peacetime cost of the alliance"),
        _(
            "What the US pays up front to sign and keep the alliance (bases, exercises): sunk, whatever "
            "happens later."
        ),
        "k > 0",
    ),
    spec(
        "r",
        _("US cost of abandoning its ally"),
        _("The audience and reputation cost the US pays if it stays out of the war after allying."),
        "r ≥ 0",
    ),
    spec(
        "tripwire",
        _("Tripwire forces"),
        _(
            "The alliance stations US forces in Japan: abandoning Japan costs τ more, and the alliance "
            "costs the US kT and Japan k1T more."
        ),
        "",
        kind=BOOL,
    ),
    spec(
        "tau",
        _("Tripwire: extra cost of abandoning"),
        _("Added to r when tripwire forces are attacked."),
        "τ ≥ 0",
        symbol="τ",
    ),
    spec(
        "kT",
        _("Tripwire: extra US peacetime cost"),
        _("Added to k for stationing the tripwire forces."),
        "kT ≥ 0",
    ),
    spec(
        "k1",
        _("Japan's political cost of the alliance"),
        _("What hosting the alliance costs Japan (bases, protest)."),
        "k1 ≥ 0",
    ),
    spec(
        "k1T",
        _("Tripwire: Japan's extra cost"),
        _("Japan's extra cost of hosting tripwire bases."),
        "k1T ≥ 0",
    ),
    spec(
        "alliance_type",
        _("Alliance type"),
        _(
            'What the US\'s "alliance" stands for, or which other treaty is in force before the crisis '
            "begins."
        ),
        "",
        kind=CHOICE,
    ),
    spec(
        "lambda_E",
        _("Entente: cost factor"),
        _("With an entente (a consultation pact), the costs K, R and K1 are multiplied by this factor."),
        "λE ≥ 0",
        symbol="λE",
    ),
    spec(
        "delta_O",
        _("Offensive ally: shift in the balance"),
        _("With an offensive ally of the Challenger, p and p′ fall by this much (to no less than 0.01)."),
        "δO ≥ 0",
        symbol="δO",
    ),
    spec(
        "r_N",
        _("Neutrality pact: US cost of intervening"),
        _("With a US–Challenger neutrality pact the US cannot ally, and pays this if it intervenes."),
        "rN ≥ 0",
        symbol="rN",
    ),
    spec(
        "v_NA",
        _("Non-aggression pact: Challenger's extra war cost"),
        _(
            "With a Challenger–Japan non-aggression pact, attacking Japan costs the Challenger this much "
            "more."
        ),
        "vNA ≥ 0",
        symbol="vNA",
    ),
    # Private information and reputation
    spec(
        "wR",
        _("Resolute US: value of Japan's security"),
        _("How much a resolute US values Japan keeping the good."),
        "wR > wN",
    ),
    spec(
        "wN",
        _("Non-resolute US: value of Japan's security"),
        _("How much a non-resolute US values Japan keeping the good."),
        "0 ≤ wN < wR",
    ),
    spec(
        "pi",
        _("US reputation"),
        _(
            "The public probability that the US is resolute, before anything happens. Only the US player "
            "knows the truth."
        ),
        "0 < π < 1",
        symbol="π",
    ),
    spec(
        "eta",
        _("Chance of a new US administration"),
        _("Between rounds the US type is drawn again from the base reputation with this probability."),
        "0 ≤ η ≤ 1",
        symbol="η",
    ),
    spec(
        "pi0",
        _("Base reputation"),
        _("The reputation a new administration is drawn from. Leave it empty to use π."),
        "0 < π0 < 1",
        kind=OPTIONAL_NUMBER,
        symbol="π0",
    ),
    spec(
        "eps",
        _("Belief updating: error rate"),
        _("How often players are assumed to err when the reputation is updated between rounds."),
        "0 ≤ ε ≤ 1",
        symbol="ε",
    ),
    spec(
        "lam",
        _("Belief updating: how errors favour better moves"),
        _("The logit precision λ of those errors; 0 makes every error equally likely."),
        "λ ≥ 0",
        symbol="λ",
    ),
    # Module A
    spec(
        "module_a",
        _("Module A: Japan may arm"),
        _("Japan first decides, in public, whether to arm."),
        "",
        kind=BOOL,
    ),
    spec(
        "p_arm", _("Armed Japan's chance of winning alone"), _("Replaces p when Japan arms."), "0 < p_arm < 1"
    ),
    spec(
        "p2_arm",
        _("Armed Japan's chance of winning with the US"),
        _("Replaces p′ when Japan arms."),
        "p_arm ≤ p2_arm ≤ 1",
    ),
    spec(
        "arm_cost", _("Cost of arming"), _("Subtracted from every payoff of an armed Japan."), "arm_cost ≥ 0"
    ),
    spec(
        "sd_arm",
        _("Security dilemma of arming"),
        _("Added to σ when Japan arms: the Challenger finds the status quo harder to bear."),
        "sd_arm ≥ 0",
    ),
    # Module C
    spec(
        "module_c",
        _("Module C: the Challenger's cost type"),
        _(
            "The Challenger learns whether it is determined or hesitant only when it must decide whether "
            "to attack."
        ),
        "",
        kind=BOOL,
    ),
    spec(
        "q",
        _("Chance that the Challenger is determined"),
        _("A determined Challenger has the war costs cC and cC′ above."),
        "0 < q < 1",
    ),
    spec(
        "cC_H",
        _("Hesitant Challenger's war cost against Japan alone"),
        _("Used instead of cC when the Challenger is hesitant."),
        "cC_H > 0",
    ),
    spec(
        "cCa_H",
        _("Hesitant Challenger's war cost against the coalition"),
        _("Used instead of cC′ when the Challenger is hesitant."),
        "cCa_H ≥ 0",
    ),
    # Module D
    spec(
        "arf",
        _("Module D: the cooperative-security layer (ARF)"),
        _(
            "Before the crisis Japan and the Challenger may adopt confidence-building measures; once Japan "
            "resists, preventive diplomacy may defuse the stand-off without force."
        ),
        "",
        kind=BOOL,
    ),
    spec(
        "phi0",
        _("Preventive diplomacy: base success chance"),
        _(
            "Probability that preventive diplomacy defuses a stand-off, with an "
            "alliance behind it and no CBMs."
        ),
        "0 ≤ φ0 < 1",
        symbol="φ0",
    ),
    spec(
        "dphi1",
        _("Added by Japan's confidence-building measures"),
        _("How much Japan's CBMs raise that probability. φ0 + Δφ1 + ΔφC must stay below 1."),
        "Δφ1 ≥ 0",
        symbol="Δφ1",
    ),
    spec(
        "dphiC",
        _("Added by the Challenger's confidence-building measures"),
        _("How much the Challenger's CBMs raise it; 0 removes the Challenger's CBM decision."),
        "ΔφC ≥ 0",
        symbol="ΔφC",
    ),
    spec(
        "psi",
        _("Share of the ARF's effect kept without an alliance"),
        _(
            "The insurance factor: how much of its effectiveness preventive "
            "diplomacy keeps when no alliance backs it."
        ),
        "0 ≤ ψ ≤ 1",
        symbol="ψ",
    ),
    spec(
        "kappa1",
        _("Japan's cost of CBMs"),
        _("What confidence-building measures cost Japan."),
        "κ1 > 0",
        symbol="κ1",
    ),
    spec(
        "kappaC",
        _("Challenger's cost of CBMs"),
        _("What confidence-building measures cost the Challenger."),
        "κC > 0",
        symbol="κC",
    ),
    spec(
        "betaD",
        _("Challenger's face cost when diplomacy defuses its challenge"),
        _("What the Challenger loses when preventive diplomacy ends its challenge: no more than β."),
        "0 ≤ βD ≤ β",
        symbol="βD",
    ),
)
SPECS = {s.name: s for s in PARAMS}
PARAM_NAMES = tuple(s.name for s in PARAMS)


def symbol(name: str) -> str:
    """A parameter's symbol as its field shows it ("β" for beta, "p′" for p2); other names as they are."""
    spec_ = SPECS.get(name)
    return spec_.symbol if spec_ is not None else name

ALLIANCE_TYPE_CHOICES = [
    (AllianceType.DEFENCE_PACT.value, _("Defence pact (US–Japan)")),
    (AllianceType.ENTENTE.value, _("Entente: consultation only (US–Japan)")),
    (AllianceType.OFFENSIVE.value, _("The Challenger has an offensive ally")),
    (AllianceType.NON_AGGRESSION.value, _("Non-aggression pact (Challenger–Japan)")),
    (AllianceType.NEUTRALITY.value, _("Neutrality pact (US–Challenger): no alliance possible")),
]

# (title, description, fields, collapsed) in the order the editor shows them.
PARAM_FIELDSETS: tuple[tuple[Promise, Promise, tuple[str, ...], bool], ...] = (
    (
        _("The dispute"),
        _("Japan holds a good worth 1 that the Challenger wants. All payoffs are in units of that good."),
        ("sigma", "beta"),
        False,
    ),
    (
        _("Military balance and war costs"),
        _("Who wins a war, and what it costs each side, with and without the US."),
        ("p", "p2", "c1", "c1a", "cC", "cCa", "c2"),
        False,
    ),
    (
        _("The alliance and its costs"),
        _("What the US pays to ally, what breaking the alliance costs it, and what kind of treaty it is."),
        (
            "k",
            "r",
            "tripwire",
            "tau",
            "kT",
            "k1",
            "k1T",
            "alliance_type",
            "lambda_E",
            "delta_O",
            "r_N",
            "v_NA",
        ),
        False,
    ),
    (
        _("Private information and reputation"),
        _(
            "Only the US player knows whether the US is resolute. Reputation "
            "carries over from round to round."
        ),
        ("wR", "wN", "pi", "eta", "pi0", "eps", "lam"),
        False,
    ),
    (
        _("Module A: Japan's armament"),
        _("Optional: Japan may arm before the US decides on the alliance."),
        ("module_a", "p_arm", "p2_arm", "arm_cost", "sd_arm"),
        True,
    ),
    (
        _("Module C: the Challenger's type"),
        _("Optional: the Challenger may turn out to be hesitant once forces are mobilised."),
        ("module_c", "q", "cC_H", "cCa_H"),
        True,
    ),
    (
        _("Module D: the cooperative-security layer (ARF)"),
        _(
            "Optional: confidence-building measures and preventive diplomacy (the ASEAN Regional Forum) "
            "beneath the alliance. It cannot be combined with Module C."
        ),
        ("arf", "phi0", "dphi1", "dphiC", "psi", "kappa1", "kappaC", "betaD"),
        True,
    ),
)
