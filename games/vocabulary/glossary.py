"""The lecture's terms in English and Japanese: one entry per concept the pages name.

The Japanese is the lecture's own where it has a word for the concept (Waseda, International Politics,
lecture 13: 一般抑止, 緊急抑止, 拡大抑止 / 直接抑止, 防御同盟, 中立同盟, 協商, 交渉妥結範囲, 信憑性,
平時コスト（事前コスト）, 評判コスト（事後コスト）, 有志連合, 反故 ...), otherwise the standard term of the
field. Each entry also lists the renderings a page must not use for it, so that one concept never reaches
a student under two names.

Pure data: the strings a page shows are still in the gettext catalogue (locale/ja/LC_MESSAGES/django.po)
and in the scenarios' rows; tests/test_glossary.py holds both to this table. The entries with a
definition are also shown, in both languages at once, at the end of the student's debrief.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One concept: its English and Japanese terms and the renderings to avoid.

    `finds` is a regular expression that finds the concept in an English text (default: the English term);
    a Japanese text saying the same must then contain one of `ja_forms` (default: the Japanese term).
    `avoid_ja` and `avoid_en` are regular expressions of renderings no page may use."""

    key: str
    en: str
    ja: str
    finds: str = ""
    ja_forms: tuple[str, ...] = ()
    avoid_ja: tuple[str, ...] = ()
    avoid_en: tuple[str, ...] = ()
    note: str = ""
    definition_en: str = ""
    definition_ja: str = ""

    @property
    def pattern(self) -> re.Pattern[str]:
        """Where an English text names the concept (case-insensitive)."""
        return re.compile(self.finds or re.escape(self.en), re.IGNORECASE)

    @property
    def forms(self) -> tuple[str, ...]:
        """The Japanese forms that count as using the term."""
        return self.ja_forms or (self.ja,)


GLOSSARY: tuple[Term, ...] = (
    # ----- deterrence -----------------------------------------------------------------------------------
    Term(
        "deterrence",
        "deterrence",
        "抑止",
        finds=r"\bdeter(?!min)",
    ),
    Term(
        "general_deterrence",
        "general deterrence",
        "一般抑止",
        note="Lecture 13-3: 一般抑止 deters a crisis (a challenge to the status quo) from arising.",
        definition_en="Deterring a crisis from arising at all: the Challenger keeps the status quo.",
        definition_ja="危機そのものを起こさせない抑止。挑戦国は現状を維持する。",
    ),
    Term(
        "immediate_deterrence",
        "immediate deterrence",
        "緊急抑止",
        note="Lecture 13-3: 緊急抑止 deters the use of force once a crisis has arisen (not 直接抑止).",
        definition_en="Deterring the use of force once a crisis has arisen: the Challenger backs down.",
        definition_ja="危機が起きた後に武力行使を思いとどまらせる抑止。挑戦国は撤退する。",
    ),
    Term(
        "extended_deterrence",
        "extended deterrence",
        "拡大抑止",
        note="Lecture 13-3: an ally deters attacks on a third state (the US on behalf of Japan).",
        definition_en="A state deters attacks on another state: the United States on behalf of Japan.",
        definition_ja="ある国が第三国への攻撃を抑止すること。米国が日本のために抑止する。",
    ),
    Term(
        "direct_deterrence",
        "direct deterrence",
        "直接抑止",
        note="Lecture 13-5: deterring attacks on oneself; a tripwire turns extended into direct deterrence.",
        definition_en="A state deters attacks on itself. Tripwire forces make an attack on Japan an attack "
        "on the United States: extended deterrence becomes direct deterrence.",
        definition_ja="自国への攻撃を抑止すること。トリップワイヤー部隊があると日本への攻撃は米国への攻撃に"
        "なり、拡大抑止が直接抑止に転換する。",
    ),
    Term(
        "tripwire",
        "tripwire",
        "トリップワイヤー",
        avoid_ja=("トリップ・ワイヤー",),
        note="The lecture also writes トリップ・ワイヤー; the game uses one spelling.",
        definition_en="Forces stationed in the ally (Okinawa, West Berlin, US forces in Korea): an attack "
        "hits them, so abandoning the ally costs more.",
        definition_ja="同盟国に駐留する部隊（沖縄、西ベルリン、在韓米軍）。攻撃はこの部隊に及ぶため、"
        "同盟国を見捨てるコストが上がる。",
    ),
    Term("political_failure", "political failure", "政治の失敗"),
    # ----- the alliance's risks ----------------------------------------------------------------------
    Term(
        "abandonment",
        "abandonment",
        "見捨てられ",
        finds=r"\babandon",
        ja_forms=("見捨て",),
        avoid_ja=("放棄",),
        note="Lecture 13-7: 見捨てられる恐怖.",
        definition_en="The ally does not fight when the protected state is attacked.",
        definition_ja="守られるはずの国が攻撃されたのに、同盟国が戦わないこと。",
    ),
    Term(
        "entrapment",
        "entrapment",
        "巻き込まれ",
        finds=r"\bentrap|drew it into",
        ja_forms=("巻き込",),
        avoid_ja=("エントラップメント",),
        note="Lecture 13-1 and 13-4: エントラップメント = 他国の戦争に巻き込まれる危険; one rendering.",
        definition_en="The ally is drawn into a war it would not have fought without the treaty.",
        definition_ja="条約がなければ戦わなかった戦争に、同盟国が引き込まれること。",
    ),
    Term(
        "alliance_security_dilemma",
        "alliance security dilemma",
        "同盟のジレンマ",
        finds=r"alliance(?:'s)? security dilemma",
        note="Snyder's dilemma between the fear of abandonment and the risk of entrapment: the lecture names "
        "both (見捨てられる恐怖, 巻き込まれる危険) but not the dilemma; 同盟のジレンマ is its usual Japanese "
        "name. Not the 安全保障のジレンマ of arming.",
        definition_en="A firmer commitment lowers the risk of abandonment but raises the risk of entrapment.",
        definition_ja="コミットメントを固くすれば見捨てられる危険は減るが、巻き込まれる危険は増える。",
    ),
    Term(
        "security_dilemma",
        "security dilemma",
        "安全保障のジレンマ",
        finds=r"(?<!alliance )security[- ]dilemma",
        note="Lecture 13-1: arming for one's own security makes the other side less secure (Module A, σ).",
    ),
    # ----- signalling ----------------------------------------------------------------------------------
    Term(
        "credibility",
        "credibility",
        "信憑性",
        finds=r"\bcredib",
        avoid_ja=("信頼性",),
        note="Lecture 13-3, 13-4: 信憑性. 信頼性 would read as reliability.",
        definition_en="How far the Challenger believes the US would really fight for Japan.",
        definition_ja="米国が本当に日本のために戦うと挑戦国がどこまで信じるか。",
    ),
    Term(
        "reputation",
        "reputation",
        "評判",
        definition_en="The public belief that the United States is resolute, carried from round to round.",
        definition_ja="米国の決意が固いという公の信念。ラウンドからラウンドへ引き継がれる。",
    ),
    Term(
        "costly_signal",
        "costly signal",
        "コストのかかるシグナル",
        definition_en="A move only a resolute ally would find worth its cost: forming and keeping an "
        "alliance.",
        definition_ja="決意の固い同盟国にしか割に合わない行動。同盟の締結と維持がその例。",
    ),
    Term(
        "sinking_costs",
        "sinking costs",
        "平時コスト（事前コスト）",
        finds=r"sinking cost|\bsunk\b|ex[- ]ante",
        ja_forms=("事前コスト",),
        avoid_ja=("サンクコスト", "埋没費用"),
        note="Fearon's sinking costs: the US's peacetime cost K, paid when the alliance is formed whatever "
        "happens next (lecture 13-4: 平時コスト（事前コスト）).",
        definition_en="A costly signal paid up front (ex ante): the alliance's peacetime cost K (stationing, "
        "exercises, bases), paid whatever happens next.",
        definition_ja="前もって払うコストによるシグナル（事前コスト）。"
        "同盟の平時コスト K（駐留、演習、基地）は、その後に何が起きても支払われる。",
    ),
    Term("peacetime_cost", "peacetime cost", "平時コスト", finds=r"peacetime cost"),
    Term(
        "tying_hands",
        "tying hands",
        "手を縛る",
        finds=r"tying hands|\bti(?:e|es|ed)\b[^.]{0,30}\bhands\b|hands tied",
        ja_forms=("手を縛", "手が縛"),
        note="Fearon's tying hands: a cost paid only if the commitment is broken (ex post): R, the cost of "
        "abandoning an ally (lecture 13-4: 評判コスト（事後コスト）).",
        definition_en="A costly signal paid only if the promise is broken (ex post): R, the cost of "
        "abandoning an ally once allied.",
        definition_ja="約束を破ったときにだけ払うコストによるシグナル（事後コスト）。同盟を結んだ後に"
        "同盟国を見捨てるコスト R。",
    ),
    Term(
        "ex_post_cost",
        "ex-post cost",
        "評判コスト（事後コスト）",
        finds=r"ex[- ]post",
        ja_forms=("事後コスト",),
        note="Lecture 13-4: 評判コスト（事後コスト）: the risk of losing credibility later.",
    ),
    Term("audience_cost", "audience cost", "観衆費用", finds=r"audience cost"),
    Term(
        "bluff",
        "bluff",
        "はったり",
        finds=r"\bbluff",
        avoid_ja=("ブラフ", "同盟を装"),
        definition_en="An alliance formed by a United States that would not fight if Japan were attacked.",
        definition_ja="日本が攻撃されても戦わない米国が結ぶ同盟。",
    ),
    Term("commitment", "commitment", "コミットメント", finds=r"\bcommitment"),
    Term(
        "honoured",
        "honoured",
        "履行",
        finds=r"\bhonou?r",
        avoid_en=(r"\bhonor(?:ed|s)?\b",),
    ),
    Term(
        "broken",
        "broken commitment",
        "反故",
        finds=r"\bbroken\b|breaking the alliance",
        avoid_ja=("コミットメント違反",),
        note="Lecture 13-4: 同盟における軍事介入の誓約の20%は反故.",
    ),
    Term(
        "reliability",
        "reliability",
        "履行率",
        finds=r"\breliab|\breliable\b",
        ja_forms=("履行",),
        note="Alliance reliability (Leeds, Long & Mitchell): the share of commitments honoured.",
    ),
    Term(
        "emboldened",
        "emboldened",
        "後ろ盾を得た",
        finds=r"\bembolden",
        ja_forms=("後ろ盾",),
        avoid_ja=("支えられた抵抗", "後押し"),
    ),
    # ----- the crisis ------------------------------------------------------------------------------------
    Term(
        "disputed_good",
        "disputed good",
        "係争中の財",
        avoid_ja=("係争財", "係争物"),
    ),
    Term(
        "bargaining_range",
        "bargaining range",
        "交渉妥結範囲",
        avoid_ja=("交渉範囲",),
        note="Lecture 13-2: 交渉妥結範囲.",
    ),
    Term("status_quo", "status quo", "現状"),
    Term(
        "stand_off",
        "stand-off",
        "対峙",
        finds=r"stand-?offs?\b",
        avoid_en=(r"\bstandoff",),
        note="Japan resisted and nobody has used force yet.",
    ),
    Term(
        "challenger",
        "Challenger",
        "挑戦国",
        finds=r"\bChallenger\b",
        note="The lecture's 潜在敵国 (S_C).",
    ),
    Term(
        "resolute",
        "resolute",
        "決意の固い",
        finds=r"(?<!non-)(?<!not )\bresolute\b",
        ja_forms=("決意の固い", "決意が固い", "決意の強弱", "決意"),
        avoid_ja=("決意のある", "決意のない", "決意ある"),
    ),
    Term(
        "non_resolute",
        "non-resolute",
        "決意の弱い",
        finds=r"non-resolute|not resolute",
        ja_forms=("決意の弱い", "決意が弱い"),
    ),
    Term(
        "determined",
        "determined Challenger",
        "強硬型",
        finds=r"\bdetermined\b",
        avoid_ja=(r"強硬(?!型)",),
    ),
    Term(
        "hesitant",
        "hesitant Challenger",
        "慎重型",
        finds=r"\bhesitant\b",
        avoid_ja=(r"慎重(?!型)",),
    ),
    Term("debrief", "debrief", "振り返り", finds=r"\bdebrief", avoid_ja=("デブリーフィング",)),
    Term(
        "points",
        "points",
        "点",
        finds=r"(?<!percentage )\bpoints\b",
        avoid_ja=(r"(?<!パーセント)ポイント",),
        note="A payoff × 100. Percentage points stay パーセントポイント.",
    ),
    Term("threshold", "threshold", "しきい値", finds=r"\bthreshold", avoid_ja=("閾値",)),
    Term("stage_zero", "stage 0", "第0段階", finds=r"\bstage 0", avoid_ja=(r"ステージ\s*0",)),
    Term("module", "Module", "モジュール", finds=r"\bModule\b", avoid_ja=(r"モジュール\s+[A-D]",)),
    Term("puzzle", "the lecture's puzzle", "同盟のパズル", finds=r"\bpuzzle", ja_forms=("パズル",)),
    # ----- treaties -------------------------------------------------------------------------------------
    Term(
        "defence_pact",
        "defence pact",
        "防御同盟",
        finds=r"defen[cs]e pact",
        avoid_ja=("防衛条約",),
        avoid_en=(r"defense pact",),
        note="Lecture 13-2: 防御同盟 (48 % of alliances; NATO, ANZUS, US–ROK, the US–Japan alliance).",
    ),
    Term(
        "offensive_alliance",
        "offensive alliance",
        "攻撃同盟",
        finds=r"offensive (?:alliance|ally|allies)",
        avoid_ja=("攻撃的同盟",),
        note="Lecture 13-2: 攻撃同盟 (the Tripartite Pact).",
    ),
    Term(
        "neutrality_pact",
        "neutrality pact",
        "中立同盟",
        finds=r"neutrality (?:pact|promise)",
        avoid_ja=("中立条約",),
        note="Lecture 13-2: 中立同盟.",
    ),
    Term("non_aggression_pact", "non-aggression pact", "不可侵条約", note="Lecture 13-2: 不可侵条約."),
    Term(
        "entente",
        "entente",
        "協商",
        note="Lecture 13-2: 協商 (Entente): consultation, no obligation of military aid (the Triple Entente, "
        "the 1907 Franco-Japanese entente).",
        definition_en="A consultation pact: the partners promise to consult and coordinate, with no "
        "obligation of military aid.",
        definition_ja="協議の取り決め。互いに協議・調整を約束するが、軍事援助の義務はとくにない。",
    ),
    Term(
        "ad_hoc_coalition",
        "ad hoc coalition",
        "有志連合",
        finds=r"ad[- ]hoc coalition|coalition of the willing",
        avoid_en=(r"ad-hoc coalition",),
        note="Lecture 13-4, puzzle 1: intervention without an alliance (the Korean War's UN force, the Iraq "
        "War's coalition of the willing).",
        definition_en="States that fight together without a treaty made in peacetime.",
        definition_ja="平時の条約なしに、ともに戦う国々。",
    ),
    # ----- cooperative security (Module D) ---------------------------------------------------------------
    Term(
        "cooperative_security",
        "cooperative security",
        "協調的安全保障",
        finds=r"cooperative[- ]security",
    ),
    Term(
        "arf",
        "ASEAN Regional Forum",
        "ASEAN地域フォーラム",
        avoid_ja=(r"ASEAN\s+地域",),
    ),
    Term(
        "cbm",
        "confidence-building measures",
        "信頼醸成措置",
        finds=r"confidence-building|\bCBMs?\b",
        ja_forms=("信頼醸成",),
    ),
    Term("preventive_diplomacy", "preventive diplomacy", "予防外交"),
    Term(
        "defuse",
        "defuse",
        "沈静化",
        finds=r"\bdefus",
        avoid_ja=("収拾", "収束", "収め"),
    ),
    Term("wedge", "wedge", "くさび", finds=r"\bwedge", avoid_ja=("楔", "離間")),
    Term("insurance", "insurance", "保険", finds=r"\binsur"),
    # ----- the benchmark ----------------------------------------------------------------------------------
    Term("equilibrium", "equilibrium", "均衡", finds=r"\bequilibri"),
    Term("pooling", "pooling equilibrium", "一括均衡", finds=r"\bpooling\b"),
    Term(
        "separating",
        "separating equilibrium",
        "分離均衡",
        finds=r"(?<!semi-)(?<!reverse )\bseparating\b",
    ),
    Term("semi_separating", "semi-separating equilibrium", "準分離均衡", finds=r"semi-separating"),
    Term("reverse_separating", "reverse separating equilibrium", "逆分離均衡", finds=r"reverse separating"),
    Term(
        "intuitive_criterion",
        "Intuitive Criterion",
        "直観的基準",
        avoid_ja=("直感的基準",),
    ),
    Term("information_set", "information set", "情報集合"),
    Term("belief", "belief", "信念", finds=r"\bbelief"),
)

TERMS: dict[str, Term] = {t.key: t for t in GLOSSARY}

# The terms the student's debrief explains at its end, in this order.
STUDENT_TERMS: tuple[str, ...] = (
    "general_deterrence",
    "immediate_deterrence",
    "extended_deterrence",
    "direct_deterrence",
    "tripwire",
    "credibility",
    "costly_signal",
    "sinking_costs",
    "tying_hands",
    "bluff",
    "abandonment",
    "entrapment",
    "alliance_security_dilemma",
    "ad_hoc_coalition",
    "entente",
)


def term(key: str) -> Term:
    return TERMS[key]


def defined(keys: tuple[str, ...] = STUDENT_TERMS) -> list[Term]:
    """The terms of `keys` that carry a definition, in that order."""
    return [TERMS[k] for k in keys if TERMS[k].definition_en]
