"""Data migration: the scenario library (crisis-model.md §3.7 worked examples and §1.4 alliance types).

One ready scenario per worked example (the baseline, Example 1, already exists: only its notes gain the
equilibrium's name), one per alliance type and one for Module D (§9.8, Example D1), each with a teaching
note in English and Japanese that says what it shows and what theory predicts. tests/test_admin_library.py
checks every note's claimed equilibrium against the solver.

As in 0002, the values are written out here so that this migration means the same thing forever. A
scenario an instructor already made with one of these slugs is left alone.
"""

from django.db import migrations

BASE = {
    "p": "3/10",
    "p2": "3/4",
    "c1": "7/20",
    "c1a": "1/4",
    "cC": "1/5",
    "cCa": "3/8",
    "beta": "1/10",
    "sigma": "0",
    "c2": "1/5",
    "wR": "1",
    "wN": "3/10",
    "pi": "1/2",
    "k": "3/20",
    "r": "1/20",
    "tripwire": False,
    "tau": "1/10",
    "kT": "1/20",
    "k1": "1/20",
    "k1T": "1/20",
    "alliance_type": "defence_pact",
    "lambda_E": "1/4",
    "delta_O": "1/10",
    "r_N": "3/10",
    "v_NA": "1/20",
    "module_a": False,
    "p_arm": "9/20",
    "p2_arm": "4/5",
    "arm_cost": "1/10",
    "sd_arm": "1/10",
    "module_c": False,
    "q": "1/2",
    "cC_H": "9/20",
    "cCa_H": "5/8",
    "eta": "1/10",
    "pi0": None,
    "eps": "1/10",
    "lam": "10",
}

LIBRARY = [
    {
        "slug": "tripwire",
        "changes": {"tripwire": True},
        "name_en": "Tripwire: US forces in Japan",
        "name_ja": "トリップワイヤー：在日米軍の駐留",
        "teaching_note_en": (
            "The spec's Example 2. The alliance stations US forces in Japan, so abandoning Japan costs the US "
            "r + τ = 0.15 and the alliance costs it K = 0.20. Now even a non-resolute US would intervene once "
            "allied: the treaty ties its hands. Theory predicts E2, pooling on alliance: both US types ally "
            "and the Challenger never challenges (general deterrence with certainty). Ask: why does a more "
            "expensive alliance deter better here than in the baseline? What happens if a student Challenger "
            "attacks anyway (entrapment)?"
        ),
        "teaching_note_ja": (
            "仕様書の例2。同盟により米軍が日本に駐留するため、米国が日本を見捨てるコストは r + τ = 0.15、"
            "同盟のコストは K = 0.20 になる。同盟を結べば決意の弱い米国でも介入する：条約が米国の手を縛る。"
            "理論の予測はE2（同盟への一括均衡）：どちらのタイプの米国も同盟を結び、挑戦国は挑戦しない"
            "（一般抑止が確実に成立）。問い：基準シナリオより高価な同盟が、なぜここではよりよく抑止するのか。"
            "それでも挑戦国が攻撃したら何が起こるか（巻き込まれ）。"
        ),
    },
    {
        "slug": "expensive-alliance",
        "changes": {"k": "7/20"},
        "name_en": "Expensive alliance (k = 0.35)",
        "name_ja": "高価な同盟（k = 0.35）",
        "teaching_note_en": (
            "The spec's Example 3. The alliance's peacetime cost rises to K = 0.35: more than deterrence is "
            "worth to a non-resolute US (0.30), less than it is worth to a resolute one. Theory predicts E1, a "
            "separating equilibrium: only a resolute US allies, and it is never challenged; a non-resolute US "
            "does not ally, and Japan concedes when challenged. The alliance is a credible costly signal. Ask: "
            "why can a costlier signal tell the Challenger more?"
        ),
        "teaching_note_ja": (
            "仕様書の例3。同盟の平時コストが K = 0.35 に上がる。これは決意の弱い米国にとっての抑止の価値"
            "（0.30）を上回り、決意の固い米国にとっての価値を下回る。理論の予測はE1（分離均衡）：決意の固い"
            "米国だけが同盟を結び、挑戦されない。決意の弱い米国は同盟を結ばず、挑戦されると日本は譲歩する。"
            "同盟は信頼できるコストのかかるシグナルになる。問い：なぜコストの高いシグナルほど挑戦国に多くを"
            "伝えるのか。"
        ),
    },
    {
        "slug": "strong-reputation",
        "changes": {"pi": "17/20"},
        "name_en": "Strong reputation (π = 0.85)",
        "name_ja": "強い評判（π = 0.85）",
        "teaching_note_en": (
            "The spec's Example 4. The US is believed resolute with probability 0.85, above the level "
            "ρ_W = 0.80 at which a challenge stops paying. Theory predicts E3 with general deterrence: no "
            "alliance is formed and the Challenger does not challenge; reputation alone deters. Ask: what is "
            "an alliance for when reputation is enough, and what could wear that reputation down over several "
            "rounds?"
        ),
        "teaching_note_ja": (
            "仕様書の例4。米国は確率0.85で決意があると信じられており、挑戦が割に合わなくなる水準 ρ_W = 0.80 "
            "を上回る。理論の予測はE3（同盟なしで一般抑止が成立）：同盟は結ばれず、挑戦国は挑戦しない。"
            "評判だけで抑止できる。問い：評判で十分なとき同盟は何のためにあるのか。何ラウンドかのうちに"
            "評判を損なうものは何か。"
        ),
    },
    {
        "slug": "very-expensive-alliance",
        "changes": {"k": "3/5"},
        "name_en": "Very expensive alliance (k = 0.60)",
        "name_ja": "非常に高価な同盟（k = 0.60）",
        "teaching_note_en": (
            "The spec's Example 5. At K = 0.60 the alliance costs more than deterrence is worth even to a "
            "resolute US (0.45). Theory predicts E3 without deterrence: nobody allies, the Challenger "
            "challenges, Japan resists and war follows; a resolute US intervenes without a treaty (a coalition "
            "of the willing), a non-resolute one stays out. Ask: if the US may fight without an alliance, why "
            "do alliances exist at all?"
        ),
        "teaching_note_ja": (
            "仕様書の例5。K = 0.60 では、決意の固い米国にとっても同盟のコストが抑止の価値（0.45）を上回る。"
            "理論の予測はE3（抑止なし）：どちらのタイプの米国も同盟を結ばず、挑戦国は挑戦し、日本は抵抗して"
            "戦争になる。決意の固い米国は条約なしで介入し（有志連合）、決意の弱い米国は介入しない。問い："
            "米国は同盟なしでも戦いうるのに、なぜ同盟は存在するのか。"
        ),
    },
    {
        "slug": "japan-arms",
        "changes": {"module_a": True},
        "name_en": "Japan may arm (Module A)",
        "name_ja": "日本の軍備増強（モジュールA）",
        "teaching_note_en": (
            "The spec's Example 6. Japan first decides, in public, whether to arm. Arming raises its chances "
            "(p = 0.45, p′ = 0.80) but costs 0.10 and makes the status quo harder for the Challenger to bear "
            "(the security dilemma). Theory predicts that Japan arms (expected payoff 0.475 against 0.374), "
            "followed by E5, a semi-separating equilibrium: a non-resolute US bluffs with probability 1/6 and "
            "an alliance is challenged with probability 3/43. Arming ends concessions, but the security "
            "dilemma raises the credibility needed to deter from 0.80 to 0.86. Ask: arms or allies?"
        ),
        "teaching_note_ja": (
            "仕様書の例6。日本はまず、公開で軍備増強するかどうかを決める。増強すると勝つ確率は上がる"
            "（p = 0.45、p′ = 0.80）が、0.10のコストがかかり、挑戦国にとって現状が耐えがたくなる（安全保障の"
            "ジレンマ）。理論の予測：日本は増強し（期待利得0.475対0.374）、続いてE5（準分離均衡）：決意の弱い"
            "米国は確率1/6で同盟を装い、同盟は確率3/43で挑戦される。増強により譲歩はなくなるが、安全保障の"
            "ジレンマのため抑止に必要な信頼性が0.80から0.86に上がる。問い：軍備か同盟か。"
        ),
    },
    {
        "slug": "hesitant-challenger",
        "changes": {"module_c": True},
        "name_en": "Hesitant Challenger (Module C)",
        "name_ja": "慎重な挑戦国（モジュールC）",
        "teaching_note_en": (
            "The spec's Example 7. Only after mobilising does the Challenger learn whether it is determined or "
            "hesitant (each with probability 1/2); a hesitant one finds war much costlier. Theory predicts E5, "
            "a semi-separating equilibrium of a new kind: a resolute US allies, a non-resolute US bluffs with "
            "probability 11/14, an alliance is always challenged, and a hesitant Challenger then attacks only "
            "with probability 2/13. Immediate deterrence (the Challenger withdraws after Japan resists) "
            "happens with probability about 0.38. Ask: how do general and immediate deterrence differ?"
        ),
        "teaching_note_ja": (
            "仕様書の例7。挑戦国は動員した後で初めて、自らが強硬型か慎重型かを知る（それぞれ確率1/2）。"
            "慎重型の挑戦国にとって戦争ははるかに高くつく。理論の予測はE5（新しい形の準分離均衡）：決意の固い"
            "米国は同盟を結び、決意の弱い米国は確率11/14で同盟を装う。同盟は必ず挑戦され、慎重型の挑戦国は"
            "確率2/13でしか攻撃しない。緊急抑止（日本の抵抗の後に挑戦国が撤退する）は約0.38の確率で"
            "起こる。問い：一般抑止と緊急抑止はどう違うのか。"
        ),
    },
    {
        "slug": "entente",
        "changes": {"alliance_type": "entente"},
        "name_en": "Entente: consultation only",
        "name_ja": "協商：協議のみ",
        "teaching_note_en": (
            "An entente instead of a defence pact (§1.4): the alliance's costs K, R and K1 shrink to a "
            "quarter. A signal that cheap convinces nobody. Theory predicts E3: no alliance is formed, the "
            "Challenger challenges, and war follows (a resolute US intervenes without a treaty, a "
            "non-resolute one stays out). One standard assumption (S4) fails here, so the benchmark is "
            "approximate, and another equilibrium exists in which both types sign the entente and war follows "
            "anyway. Ask: why do weak commitments deter so little?"
        ),
        "teaching_note_ja": (
            "防衛条約の代わりに協商（§1.4）：同盟のコスト K、R、K1 が4分の1になる。これほど安いシグナルは"
            "誰も納得させない。理論の予測はE3：同盟は結ばれず、挑戦国は挑戦し、戦争になる（決意の固い米国は"
            "条約なしで介入し、決意の弱い米国は介入しない）。ここでは標準的な仮定の一つ（S4）が成り立たない"
            "ので予測は近似的であり、両タイプが協商を結んでもなお戦争になる別の均衡も存在する。問い：弱い"
            "コミットメントはなぜほとんど抑止しないのか。"
        ),
    },
    {
        "slug": "offensive-ally",
        "changes": {"alliance_type": "offensive"},
        "name_en": "The Challenger has an offensive ally",
        "name_ja": "攻撃的同盟国をもつ挑戦国",
        "teaching_note_en": (
            "A third state has promised to fight for the Challenger (§1.4): Japan's chances fall by 0.10 with "
            "or without the US, and the credibility needed to deter rises to ρ_W = 0.96. Theory predicts E5, "
            "a semi-separating equilibrium: a non-resolute US bluffs only with probability 1/24, an alliance "
            "is challenged with probability 15/29, and without an alliance Japan concedes. Challengers with "
            "offensive allies start more disputes (Leeds 2003). Ask: why does the Challenger's ally make the "
            "US's bluff so rare?"
        ),
        "teaching_note_ja": (
            "第三国が挑戦国のために戦うと約束している（§1.4）：米国の参戦の有無にかかわらず日本の勝つ確率が"
            "0.10下がり、抑止に必要な信頼性は ρ_W = 0.96 に上がる。理論の予測はE5（準分離均衡）：決意の弱い"
            "米国が同盟を装う確率は1/24にすぎず、同盟は確率15/29で挑戦され、同盟がなければ日本は譲歩する。"
            "攻撃的同盟国をもつ挑戦国はより多くの紛争を起こす（Leeds 2003）。問い：挑戦国の同盟国は、なぜ"
            "米国のはったりをこれほどまれにするのか。"
        ),
    },
    {
        "slug": "non-aggression-pact",
        "changes": {"alliance_type": "non_aggression"},
        "name_en": "Challenger–Japan non-aggression pact",
        "name_ja": "挑戦国・日本間の不可侵条約",
        "teaching_note_en": (
            "The Challenger and Japan have signed a non-aggression pact (§1.4): attacking Japan costs the "
            "Challenger 0.05 more, and the credibility needed to deter falls to ρ_W = 0.72. Theory predicts "
            "E5, a semi-separating equilibrium: a non-resolute US bluffs with probability 7/18 (more often "
            "than in the baseline), and an alliance is still challenged with probability 15/26. Ask: does the "
            "pact make war less likely? (Here it does not: about 0.40 against 0.36, because more bluffs are "
            "called.)"
        ),
        "teaching_note_ja": (
            "挑戦国と日本が不可侵条約を結んでいる（§1.4）：日本を攻撃すると挑戦国のコストが0.05増え、抑止に"
            "必要な信頼性は ρ_W = 0.72 に下がる。理論の予測はE5（準分離均衡）：決意の弱い米国は確率7/18で"
            "同盟を装い（基準シナリオより多い）、同盟はなお確率15/26で挑戦される。問い：この条約は戦争の"
            "可能性を下げるか。（ここでは下げない：はったりが見破られることが増え、約0.40対0.36。）"
        ),
    },
    {
        "slug": "neutrality-pact",
        "changes": {"alliance_type": "neutrality"},
        "name_en": "US–Challenger neutrality pact",
        "name_ja": "米国・挑戦国間の中立条約",
        "teaching_note_en": (
            "The US has promised the Challenger to stay neutral (§1.4): it has no alliance option, and "
            "intervening would cost it 0.30. Even a resolute US would then stay out (g_R − r_N = −0.05 < 0), "
            "so nobody expects US help. Theory predicts E3, with no alliance possible: the Challenger "
            "challenges and Japan concedes, whatever the US's type. Challengers holding neutrality promises "
            "start more disputes (Leeds 2003). Ask: how can a promise to stay out invite aggression?"
        ),
        "teaching_note_ja": (
            "米国は挑戦国に中立を約束している（§1.4）：同盟という選択肢はなく、介入すれば0.30のコストが"
            "かかる。そのため決意の固い米国でも介入しない（g_R − r_N = −0.05 < 0）ので、誰も米国の助けを"
            "期待しない。理論の予測はE3（同盟は不可能）：米国のタイプにかかわらず、挑戦国は挑戦し日本は"
            "譲歩する。中立の約束を得た挑戦国はより多くの紛争を起こす（Leeds 2003）。問い：介入しないという"
            "約束が、なぜ侵略を招きうるのか。"
        ),
    },
]

# Module D (crisis-model.md §9, Example D1): the cooperative-security layer beneath the alliance.
LIBRARY.append(
    {
        "slug": "cooperative-security",
        "changes": {
            "arf": True,
            "phi0": "0",
            "dphi1": "1/2",
            "dphiC": "1/5",
            "psi": "1/2",
            "kappa1": "1/50",
            "kappaC": "1/50",
            "betaD": "1/20",
        },
        "name_en": "Cooperative security: the ARF beneath the alliance (Module D)",
        "name_ja": "協調的安全保障：同盟の下のARF（モジュールD）",
        "teaching_note_en": (
            "The spec's Example D1 (§9.8). Before the crisis, Japan and then the Challenger may adopt "
            "confidence-building measures; once Japan resists, preventive diplomacy (the ASEAN Regional Forum) "
            "may defuse the stand-off, more often with an alliance behind it. Theory predicts that both adopt "
            "them, followed by E1, a separating equilibrium: only a resolute US allies, and it is not "
            "challenged; a non-resolute US does not ally, and Japan, emboldened by the ARF, resists alone: the "
            "stand-off is defused with probability 0.35, otherwise Japan fights alone. The Challenger's "
            "measures are a wedge: without them the non-resolute US would still bluff. Ask: can cooperative "
            "security replace the alliance, or does it shift the burden onto Japan?"
        ),
        "teaching_note_ja": (
            "仕様書の例D1（§9.8）。危機の前に日本、続いて挑戦国が信頼醸成措置をとることができ、日本が抵抗すると"
            "予防外交（ASEAN地域フォーラム）が対立を収めることがある（同盟の裏付けがあるほど成功しやすい）。"
            "理論の予測：両国とも信頼醸成措置をとり、続いてE1（分離均衡）：決意の固い米国だけが同盟を結び、"
            "挑戦されない。決意の弱い米国は同盟を結ばず、ARFに勇気づけられた日本は単独で抵抗する。対立は"
            "確率0.35で収まり、そうでなければ日本は単独で戦う。挑戦国の措置はくさびとして働く：それがなければ"
            "決意の弱い米国はなお同盟を装う。問い：協調的安全保障は同盟に代わりうるのか、それとも負担を日本に"
            "移すだけなのか。"
        ),
    }
)

# The baseline's notes as 0002 wrote them, and with the equilibrium's name added.
BASELINE_NOTES_0002 = {
    "teaching_note_en": (
        "The spec's Example 1. The US may sign a defence pact with Japan before the Challenger decides "
        "whether to test it. Theory predicts a semi-separating equilibrium: a resolute US always allies, "
        "a non-resolute one bluffs with probability 1/4, an alliance is still challenged with probability "
        "15/26, and one tested alliance in five is abandoned. Ask: why does a treaty not guarantee "
        "deterrence, and why sign one that may be broken?"
    ),
    "teaching_note_ja": (
        "仕様書の例1。挑戦国が試すかどうかを決める前に、米国は日本と防衛条約を結ぶことができる。"
        "理論の予測は準分離均衡：決意のある米国は必ず同盟を結び、決意のない米国は確率1/4で同盟を装う。"
        "それでも同盟は確率15/26で挑戦され、試された同盟の5つに1つは見捨てられる。"
        "問い：条約はなぜ抑止を保証しないのか。破られうる条約をなぜ結ぶのか。"
    ),
}
BASELINE_NOTES = {
    "teaching_note_en": BASELINE_NOTES_0002["teaching_note_en"].replace(
        "Theory predicts a semi-separating equilibrium:", "Theory predicts E5, a semi-separating equilibrium:"
    ),
    "teaching_note_ja": BASELINE_NOTES_0002["teaching_note_ja"].replace(
        "理論の予測は準分離均衡：", "理論の予測はE5（準分離均衡）："
    ),
}


def _set_baseline_notes(apps, old, new):
    scenario = apps.get_model("games", "Scenario").objects.filter(slug="baseline").first()
    if scenario is None:
        return
    if all(getattr(scenario, field) == text for field, text in old.items()):  # not edited by an instructor
        for field, text in new.items():
            setattr(scenario, field, text)
        scenario.save(update_fields=list(new))


def add_library(apps, schema_editor):
    Scenario = apps.get_model("games", "Scenario")
    for entry in LIBRARY:
        fields = {key: value for key, value in entry.items() if key not in ("slug", "changes")}
        Scenario.objects.get_or_create(
            slug=entry["slug"],
            defaults={**fields, "params": {**BASE, **entry["changes"]}, "decision_seconds": 90},
        )
    _set_baseline_notes(apps, BASELINE_NOTES_0002, BASELINE_NOTES)


def remove_library(apps, schema_editor):
    Scenario = apps.get_model("games", "Scenario")
    for entry in LIBRARY:
        # Only scenarios no class has used (classes keep their scenario: PROTECT) and still as created.
        Scenario.objects.filter(slug=entry["slug"], name_en=entry["name_en"], classes__isnull=True).delete()
    _set_baseline_notes(apps, BASELINE_NOTES, BASELINE_NOTES_0002)


class Migration(migrations.Migration):
    dependencies = [("games", "0003_live_play")]

    operations = [migrations.RunPython(add_library, remove_library)]
