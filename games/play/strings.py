"""Every string the student's play page shows, in the visitor's language (docs/student-ui.md).

The page's script (`frontend/static/js/play.js`) has no translations of its own: `games.play.pages.play` puts
this dictionary into the page with `json_script`, translated by Django's gettext (domain `django`, so
`locale/ja/LC_MESSAGES/django.po` holds the Japanese and tests/test_i18n_complete.py checks it). Templates
in the strings use Python's `%(name)s` placeholders; the script fills them in. The dictionary is the same
for every visitor of a language, whatever their role: it carries no game information.

The game's names (roles, actions, nodes, terminals, outcomes, flags, types) and the protocol's error
messages come from `games.vocabulary`, keyed by the engine's codes; this module adds the board's own
sentences (briefings, consequences, explanations).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from games.vocabulary import errors, labels, polls, theory


def play_strings() -> dict[str, Any]:
    return {
        **_connection(),
        **_class_and_lobby(),
        **_roles_and_briefing(),
        **_board(),
        **_public_information(),
        "arf": _cooperative_security(),
        **_outcome_and_debrief(),
        **_classroom(),
        "errors": labels.forms(errors.PLAY),
        "poll": _poll(),
    }


def _poll() -> dict[str, Any]:
    """The "predict before the reveal" card: the questions, the answers, the card's own words."""
    return {
        **polls.strings(),
        "title": _("Predict before the reveal"),
        "help": _(
            "Your prediction is shown with the round's result. You can change it until the poll closes."
        ),
        "yours": _("Your prediction: %(answer)s"),
        "saved": _("Prediction saved."),
        "errors": labels.forms(errors.POLL),
    }


def _classroom() -> dict[str, Any]:
    """What a lecture hall needs: who moved for the student, why the reputation moved, the payoff's
    reference and the running score, the instructor's pace, and the turn alerts."""
    return {
        "moved_for": {
            "timeout": _("Time ran out: the server chose “%(action)s” for you, as theory predicts."),
            "standin": _("You were away: a stand-in bot chose “%(action)s” for you."),
            "instructor": _("Your instructor moved your group on: “%(action)s” was played for you."),
        },
        "moved_marks": {
            "timeout": _("time ran out"),
            "standin": _("a stand-in bot"),
            "instructor": _("your instructor"),
        },
        "reputation": {
            "fell": _("The US's reputation fell from %(before)s to %(after)s because %(cause)s."),
            "rose": _("The US's reputation rose from %(before)s to %(after)s because %(cause)s."),
            "same": _(
                "The US's reputation stayed at %(before)s: %(cause)s, which showed nothing new about it."
            ),
        },
        "reputation_causes": {
            "abandoned": _("it abandoned Japan"),
            "fought": _("it fought for Japan"),
            "stayed_out": _("it stayed out of the war"),
            "allied": _("it formed the alliance"),
            "no_alliance": _("it did not ally with Japan"),
        },
        "reputation_help": _(
            "Reputation: the public belief that the US would fight for Japan; the next round starts from it."
        ),
        "payoff_reference": _(
            "Theory expected %(expected)s (%(points)s points) for %(role)s this round; the disputed good is "
            "worth 1 (100 points)."
        ),
        "total_points": _("Your points so far: %(points)s"),
        "points_short": _("%(points)s pts"),
        "waiting_instructor": _("Waiting for your instructor to start the next round."),
        "alerts_on": _("Turn alerts on"),
        "alerts_off": _("Turn alerts off"),
        "alerts_help": _("A sound, a vibration and a flash when it is your turn."),
        "bot_name": _("Bot %(number)s"),
    }


def _connection() -> dict[str, Any]:
    return {
        "connecting": _("Connecting…"),
        "connected": _("Connected"),
        "reconnecting": _("Reconnecting…"),
        "offline": _("Offline"),
        "reconnect_in": _("Connection lost. Trying again in %(seconds)s s."),
        "offline_detail": _("Your device is offline. The game carries on when the network is back."),
        "retry": _("Retry now"),
        "left": _("You are no longer in this class. Join again."),
        "not_connected": _("Not connected: your move will be sent when the connection is back."),
        "connection_label": _("Connection"),
    }


def _class_and_lobby() -> dict[str, Any]:
    return {
        "status": labels.forms(labels.CLASS_STATUS, "for_students"),
        "round_of": _("Round %(round)s of %(rounds)s"),
        "scenario_now": _("Scenario: %(name)s"),
        "scenario_changed": _("From this round the class plays a new scenario: %(name)s."),
        "group": _("Group %(group)s"),
        "lobby_title": _("You have joined the class"),
        "lobby_joined": _("Joined so far: %(joined)s"),
        "lobby_more": _("and %(count)s more"),
        "lobby_autostart": _(
            "The class starts by itself when %(autostart)s students have joined: %(left)s to go."
        ),
        "lobby_autostart_now": _("Enough students have joined: the class is starting."),
        "lobby_waiting_instructor": _("Waiting for your instructor to start the class."),
        "lobby_roles": _("When the class starts you join a group of three and get one of these roles:"),
        "you_marker": _("you"),
        "bot_marker": _("bot"),
        "no_seat": _("You will get a seat when the next round starts."),
        "class_over": _("The class has ended. Thank you for playing!"),
        "paused_banner": _("The instructor has paused the class. The clock is stopped."),
    }


def _roles_and_briefing() -> dict[str, Any]:
    return {
        "roles": labels.forms(labels.ROLES, "name"),
        "role_initials": labels.forms(labels.ROLES, "initial"),
        "role_taglines": labels.forms(labels.ROLES, "tagline"),
        "you_play": _("You play"),
        "your_role": _("Your role"),
        "briefing_title": _("Your briefing"),
        "briefing_headings": {
            "who": _("Who you are"),
            "want": _("What you want"),
            "know": _("What only you know"),
            "know_public": _("What you know"),
            "choices": _("What each choice can lead to"),
        },
        "briefing": {
            "japan": {
                "who": _(
                    "You are Japan, the defender. You hold the disputed good, worth 1 to you: that is the "
                    "status quo."
                ),
                "want": _(
                    "Keep the good without a war. Fighting alone you win with probability p = %(p)s and pay "
                    "%(c1)s; with the United States beside you, p′ = %(p2)s and you pay %(c1a)s."
                ),
                "know": _(
                    "You see every parameter, but not whether the United States would really fight for you: "
                    "its resolve is its own secret. Judge it by what it does."
                ),
                "choices": _(
                    "If the Challenger challenges, you concede (it takes the good: 0 less any costs you "
                    "have already paid) or resist (it then attacks or backs down). An alliance costs you "
                    "%(K1)s (bases, domestic politics), paid whatever happens next."
                ),
                "arming": _(
                    "First you decide whether to arm: arming raises p to %(p_arm)s (%(p2_arm)s with the "
                    "United States), costs %(arm_cost)s, and makes the Challenger feel less secure (the "
                    "security dilemma)."
                ),
            },
            "us": {
                "who": _(
                    "You are the United States. You decide whether to ally with Japan, extending deterrence "
                    "to it (extended deterrence: deterring attacks on Japan on its behalf), and, if war "
                    "comes, whether to fight for it."
                ),
                "want": _(
                    "Japan's security is worth w = %(w)s to you, and fighting costs you %(c2)s. An alliance "
                    "costs %(K)s in peacetime, paid up front whatever happens (sinking costs: an ex-ante "
                    "cost); abandoning an ally that is attacked costs you %(R)s more, paid only if you break "
                    "the commitment (tying hands: an ex-post cost)."
                ),
                "know_resolute": _(
                    "Only you know your type: you are resolute. Fighting for Japan is worth it to you even "
                    "without a treaty: your net gain from intervening is g = %(g)s ≥ 0."
                ),
                "know_non_resolute": _(
                    "Only you know your type: you are not resolute. On your own, fighting is not worth it "
                    "to you: your net gain from intervening is g = %(g)s < 0."
                ),
                "tied": _(
                    "Once allied you would fight anyway, because abandoning an ally costs more: "
                    "g + R = %(gR)s ≥ 0 (the treaty ties your hands)."
                ),
                "not_tied": _(
                    "Even allied you would rather stay out (g + R = %(gR)s < 0), so an alliance from you "
                    "would be a bluff."
                ),
                "g_meaning": _(
                    "g = (p′ − p)·w − c2: how much your entry raises Japan's chance of winning, times what "
                    "Japan is worth to you, minus your cost of fighting."
                ),
                "choices": _(
                    "An alliance is a costly signal (%(K)s now, and %(R)s later if you abandon Japan); the "
                    "Challenger then decides whether to test it. If it attacks, you intervene (Japan's side "
                    "wins with p′ = %(p2)s and you pay %(c2)s) or stay out (Japan wins with p = %(p)s, and "
                    "if you had allied you pay %(R)s for abandoning it)."
                ),
                "neutrality": _(
                    "Your neutrality pact with the Challenger rules out an alliance, and intervening would "
                    "cost you %(rN)s more."
                ),
            },
            "challenger": {
                "who": _(
                    "You are the Challenger. You want the good Japan holds: taking it is worth 1 to you."
                ),
                "want": _(
                    "A war costs you %(cC)s against Japan alone and %(cCa)s against Japan and the United "
                    "States together. Backing down after Japan resists costs you %(beta)s (audience cost)."
                ),
                "sigma": _("The status quo itself costs you %(sigma)s (security dilemma)."),
                "know": _(
                    "Like Japan, you cannot see whether the United States would fight: you see only what it "
                    "does. Its reputation, the public belief in US resolve, is %(pi)s."
                ),
                "module_c": _(
                    "Your own cost of war is uncertain: you learn whether you are determined or hesitant "
                    "only if Japan resists. Hesitant, war would cost you %(cC_H)s against Japan alone and "
                    "%(cCa_H)s against the coalition."
                ),
                "choices": _(
                    "Keep the status quo (the round ends and Japan keeps the good) or challenge. If Japan "
                    "resists, attack (you win with probability %(win_alone)s against Japan alone, "
                    "%(win_coalition)s if the United States joins) or withdraw."
                ),
            },
        },
        "private_title": _("Your private information"),
        "private_keys": {
            "us_type": _("Your type"),
            "challenger_type": _("Your type"),
            "w": _("Your value of Japan's security (w)"),
            "g": _("Your net gain from intervening (g)"),
            "cC": _("Your war cost against Japan alone (cC)"),
            "cCa": _("Your war cost against the coalition (cCa)"),
        },
        "types": labels.type_forms("name"),
        "type_meanings": labels.type_forms("meaning"),
        "challenger_type_pending": _(
            "You learn whether you are determined or hesitant only if Japan resists."
        ),
    }


def _board() -> dict[str, Any]:
    return {
        "actions": labels.forms(labels.ACTIONS, "label"),
        "consequences": {
            "alliance": _(
                "Pay %(K)s now (sinking costs). Deterrence may hold, but abandoning Japan later would cost "
                "%(R)s (tying hands)."
            ),
            "no_alliance": _("No cost now. You stay free to intervene or not if war comes."),
            "status_quo": _("The round ends: Japan keeps the good."),
            "challenge": _("Japan must concede the good or resist."),
            "challenge_arf": _(
                "Japan must concede the good or resist. If it resists and preventive diplomacy defuses the "
                "stand-off, you pay %(betaD)s."
            ),
            "concede": _(
                "The round ends: the Challenger takes the good and your payoff is %(concede)s (0, minus the "
                "costs you have already paid)."
            ),
            "resist": _("The Challenger must attack or back down."),
            "withdraw": _("The round ends: you back down and lose face (−%(beta)s)."),
            "attack": _("War: the United States decides whether to fight for Japan."),
            "intervene": _("War beside Japan: its side wins with p′ = %(p2)s; you pay %(c2)s."),
            "stay_out": _("Japan fights alone and wins with p = %(p)s."),
            "stay_out_allied": _("Japan fights alone (wins with p = %(p)s); abandoning it costs you %(R)s."),
            "arm": _("p rises to %(p_arm)s and costs %(arm_cost)s; the Challenger feels less secure."),
            "no_arm": _("No cost; p stays at %(p)s."),
            "cbm_japan": _(
                "You pay %(kappa1)s now, whatever happens next; the chance that preventive diplomacy "
                "defuses a stand-off rises by %(japan_adds)s percentage points with the alliance "
                "(%(japan_adds_alone)s without)."
            ),
            "cbm_challenger": _(
                "You pay %(kappaC)s now, whatever happens next; the chance that preventive diplomacy "
                "defuses a stand-off rises by %(challenger_adds)s percentage points with the alliance "
                "(%(challenger_adds_alone)s without)."
            ),
            "no_cbm": _("No cost; preventive diplomacy stays as it is."),
        },
        "did": labels.forms(labels.ACTIONS, "did"),
        "auto_events": {
            **labels.forms(labels.AUTOMATIC_EVENTS),
            **labels.forms(labels.CHANCE_ACTIONS, "did"),
        },
        "auto": _("(automatic)"),
        "questions": labels.forms(labels.NODES, "question"),
        "prompts": labels.forms(labels.NODES, "prompt"),
        "nodes": labels.forms(labels.NODES, "title"),
        "edges": {**labels.forms(labels.ACTIONS, "edge"), **labels.forms(labels.CHANCE_ACTIONS, "edge")},
        "terminals": labels.forms(labels.TERMINALS),
        "tree_title": _("The crisis so far"),
        "tree_label": _("Game tree. Current step: %(node)s."),
        "your_turn": _("Your turn: choose an action."),
        "your_decision": _("Your decision"),
        "keys_hint": _("Keyboard: press 1 or 2."),
        "sending": _("Sending…"),
        "waiting_for": _("Waiting for %(role)s."),
        "waiting_title": _("Waiting"),
        "history_title": _("What has happened"),
        "history_empty": _("Nothing yet: the round has just begun."),
        "time_left": _("%(time)s left"),
        "time_up": _("Time is up: the default move is being played."),
        "paused": str(labels.CLASS_STATUS["paused"].name),
        "paused_left": _("Paused with %(time)s left"),
        "ten_seconds": _("10 seconds left to decide."),
    }


def _public_information() -> dict[str, Any]:
    return {
        "public_title": _("Public information"),
        "belief_label": _("Challenger's belief in US resolve"),
        "belief_help": _(
            "The public probability that the United States would fight for Japan even without a treaty "
            "(its reputation)."
        ),
        "belief_benchmark": _("After the alliance decision, by the equilibrium benchmark."),
        "belief_hidden_label": _("Public reputation before the alliance decision"),
        "belief_hidden_help": _(
            "Your class does not show how the alliance decision changed the Challenger's belief: infer it. "
            "Nothing below is computed from this reputation."
        ),
        "rho_label": _("Expected chance of US intervention ρ"),
        "rho_alliance": _("with the alliance"),
        "rho_no_alliance": _("without an alliance"),
        "rho_undecided": _("without an alliance (not decided yet)"),
        "range_title": _("Bargaining range"),
        "range_caption": _("if the US is believed to intervene with probability ρ = %(rho)s"),
        "range_caption_hidden": _("without the US (ρ = 0) and with certain US intervention (ρ = 1)"),
        "range_alone": _("Japan alone (ρ = 0)"),
        "range_now": _("Now (ρ = %(rho)s)"),
        "range_us": _("US certain (ρ = 1)"),
        "range_axis": _("x = Japan's share of the disputed good"),
        "range_sq": _("status quo x = 1"),
        "range_japan_cost": _("Japan's war cost"),
        "range_challenger_cost": _("Challenger's war cost"),
        "range_p": _("expected result of war (p)"),
        "range_deal": _("Any deal x between %(low)s and %(high)s is better than war for both sides."),
        "theory": theory.templates(),
        "facts_title": _("Scenario"),
        "alliance_types": labels.forms(labels.ALLIANCE_TYPES, "fact"),
        "tripwire": _(
            "Tripwire: US forces stationed in Japan turn extended deterrence into direct deterrence (an "
            "attack on Japan is an attack on the US)"
        ),
        "armed_yes": _("Japan has armed"),
        "armed_no": _("Japan has not armed"),
        "alliance_yes": _("Alliance formed"),
        "alliance_no": str(labels.ACTIONS["no_alliance"].label),
    }


def _cooperative_security() -> dict[str, Any]:
    """Module D (crisis-model.md §9): the two layers, the CBM choices and the preventive-diplomacy draw."""
    return {
        "title": _("Two layers: preventive diplomacy and the alliance"),
        "intro": _(
            "First layer: if the Challenger challenges and Japan resists, the ASEAN Regional Forum (ARF) "
            "tries preventive diplomacy, which may defuse the stand-off before any force is used. Second "
            "layer: if it fails, the crisis goes on, and only US intervention can help Japan: more likely "
            "with the alliance, but a resolute US may also fight without one (an ad hoc coalition)."
        ),
        "cbm_title": _("Confidence-building measures so far"),
        "cbm_yes": _("adopted (cost %(cost)s)"),
        "cbm_no": _("declined"),
        "cbm_pending": _("not decided yet"),
        "cbm_none": _("no such decision in this scenario"),
        "chance_sentence": _(
            "The chance that preventive diplomacy defuses a stand-off: %(allied)s with the alliance behind "
            "Japan, %(alone)s without."
        ),
        "with_alliance": _("With the alliance behind Japan"),
        "without_alliance": _("Without an alliance"),
        "applies": _("applies"),
        "applies_alliance": _("The United States formed the alliance: the chance with the alliance applies."),
        "applies_no_alliance": _("There is no alliance: the chance without an alliance applies."),
        "undecided": _(
            "Which chance applies depends on the United States' alliance decision, still to come."
        ),
        "pending": _("The chances are set once the confidence-building decisions are made."),
        "base": _("Without any measures: %(allied)s with the alliance behind Japan, %(alone)s without."),
        "adds_japan": _(
            "Japan's measures add %(allied)s percentage points with the alliance (%(alone)s without)."
        ),
        "adds_challenger": _(
            "The Challenger's measures add %(allied)s percentage points with the alliance "
            "(%(alone)s without)."
        ),
        "banner": {
            "defused": _(
                "Preventive diplomacy worked: the ARF defused the stand-off (its chance was %(chance)s). No "
                "force was used and the status quo holds."
            ),
            "failed": _(
                "Preventive diplomacy failed (its chance of success was %(chance)s). The crisis goes on: the "
                "Challenger decides whether to attack."
            ),
        },
    }


def _outcome_and_debrief() -> dict[str, Any]:
    return {
        "outcome": _("Outcome"),
        "result_title": _("Round result"),
        "outcomes": labels.forms(labels.OUTCOMES, "name"),
        "outcome_sentences": labels.outcome_sentences(),
        "outcome_sentences_entente": labels.entente_sentences(),  # where the class's treaty is an entente
        "your_payoff": _("Your payoff: %(payoff)s"),
        "points": _("%(points)s points"),
        "payoff_private": _("Each player sees only their own payoff until the debrief."),
        "next_round_in": _("Next round in %(time)s."),
        "next_round_soon": _("The next round starts soon."),
        "next_role": _("Next round you play %(role)s."),
        "next_role_unknown": _("Your next role is drawn when the round starts."),
        "last_round": _("That was the last round."),
        "others_playing": _("Other groups are still playing."),
        "debrief_title": _("Debrief"),
        "debrief_revealed": _("Revealed"),
        "debrief_us_was": _("The United States was %(type)s."),
        "debrief_challenger_was": _("The Challenger was %(type)s."),
        "debrief_payoffs": _("Everyone's payoffs"),
        "debrief_benchmark": _("Equilibrium benchmark: %(name)s"),
        "debrief_range": _("Bargaining range at ρ = %(rho)s: from %(low)s to %(high)s."),
        "debrief_flags": _("In the course's terms"),
        "debrief_link": _("Open your full debrief"),
        "debrief_waiting": _("Your instructor will release the debrief: who was which type, and why."),
        "flags": {**labels.forms(labels.FLAGS, "summary"), **theory.flag_summaries()},
    }
