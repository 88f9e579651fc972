"""Data migration: the library scenarios' teaching notes in the lecture's words, and their discussion
questions in the new `questions_en` / `questions_ja` fields.

The notes of migrations 0002, 0004 and 0005 referred to the model's specification ("The spec's Example
n", "§1.4"), named equilibria by code, wrote raw action codes ("Japan cbm") and rendered a bluff three ways
in Japanese; the D1 note gave the wrong mechanism for the Challenger's wedge; the arf-d3 note did not say
its benchmark is approximate; `cooperative-security` and `arf-d1-both-build-confidence` share their
parameters without saying how they differ. The new notes say what each scenario shows, name every
equilibrium by what it means (its code in brackets), use the glossary's terms (games/vocabulary/glossary.py)
and move each "Ask:" prompt into the scenario's questions, which the debriefs show.

Only what an instructor has not edited is rewritten: a field still holding the earlier migrations' text
gets the new one (empty questions get the new questions), and going back restores exactly those fields.
The texts are written out here so that this migration means the same thing forever; the earlier texts are
read from the earlier migrations, which never change.
"""

import importlib

from django.db import migrations

BASELINE_0002 = importlib.import_module("games.migrations.0002_baseline_scenario")
LIBRARY_0004 = importlib.import_module("games.migrations.0004_scenario_library")
EXAMPLES_0005 = importlib.import_module("games.migrations.0005_module_d_examples")

NEW = {
    "baseline": {
        "name_ja": "基準シナリオ：防御同盟",
        "teaching_note_en": (
            "The basic game: before the Challenger decides whether to test it, the US may sign a defence pact "
            "with Japan, the extended deterrence the lecture describes. Theory predicts a semi-separating "
            "equilibrium (E5): a resolute US always allies, a non-resolute one bluffs with probability 1/4, an "
            "alliance is still challenged with probability 15/26, and one tested alliance in five is "
            "abandoned, the lecture's 20 % of commitments broken. Japan's cost of hosting the alliance (bases, "
            "protest) is only a cost here: the model gives it no signalling role, so the lecture's Okinawa "
            "paradox (domestic opposition adding to the alliance's credibility) is left out. Compare with the "
            "tripwire scenario, where a commitment firm enough to rule out abandonment entraps the US if the "
            "Challenger attacks anyway: the alliance security dilemma."
        ),
        "teaching_note_ja": (
            "基本のゲーム：挑戦国が試すかどうかを決める前に、米国は日本と防御同盟を結ぶことができる（講義のいう"
            "拡大抑止）。理論の予測は準分離均衡（E5）：決意の固い米国は必ず同盟を結び、決意の弱い米国は確率1/4で"
            "はったりをかける。それでも同盟は確率15/26で挑戦され、試された同盟の5つに1つで日本は見捨てられる"
            "（講義の「約20%は反故」）。同盟を受け入れる日本のコスト（基地、抗議）はここではコストにすぎず、"
            "シグナルの役割はもたない。そのため講義の沖縄をめぐる逆説（国内の反対運動がかえって同盟の信憑性に"
            "寄与する）はモデルに含まれない。トリップワイヤーのシナリオと比べるとよい：そこでは見捨てられを"
            "排除するほど固いコミットメントが、それでも挑戦国が攻撃すれば米国を巻き込む（同盟のジレンマ）。"
        ),
        "questions_en": "Why does a treaty not guarantee deterrence?\nWhy sign a treaty that may be broken?",
        "questions_ja": "条約はなぜ抑止を保証しないのか。\n反故にされうる条約をなぜ結ぶのか。",
    },
    "tripwire": {
        "teaching_note_en": (
            "The alliance stations US forces in Japan (the lecture's examples: Okinawa, West Berlin, US forces "
            "in Korea), so an attack on Japan is an attack on US forces: extended deterrence becomes direct "
            "deterrence. Abandoning Japan now costs the US r + τ = 0.15 and the alliance costs it K = 0.20. "
            "Even a non-resolute US would intervene once allied: the treaty ties its hands. Theory predicts "
            "pooling on alliance (E2): both US types ally and the Challenger never challenges (general "
            "deterrence with certainty). If a student Challenger attacks anyway, a non-resolute US fights a "
            "war it would not have chosen: entrapment, the other horn of the alliance security dilemma, whose "
            "first horn the baseline shows as abandonment. Without the tripwire (the lecture's Marines moving "
            "to Guam) this scenario is the baseline again."
        ),
        "teaching_note_ja": (
            "同盟により米軍が日本に駐留する（講義の例は沖縄、冷戦期の西ベルリン、在韓米軍）。日本への攻撃は"
            "米軍への攻撃になり、拡大抑止が直接抑止に転換する。米国が日本を見捨てるコストは r + τ = 0.15、"
            "同盟のコストは K = 0.20 になる。同盟を結べば決意の弱い米国でも介入する：条約が米国の手を縛る。"
            "理論の予測は同盟への一括均衡（E2）：どちらのタイプの米国も同盟を結び、挑戦国は挑戦しない（一般抑止が"
            "確実に成立）。それでも学生の挑戦国が攻撃すれば、決意の弱い米国は望まない戦争を戦うことになる："
            "巻き込まれであり、基準シナリオで見捨てられとして現れる同盟のジレンマのもう一方である。"
            "トリップワイヤーがなければ（講義の海兵隊のグアム移転）、このシナリオは基準シナリオに戻る。"
        ),
        "questions_en": (
            "Why does a more expensive alliance deter better here than in the baseline?\n"
            "What happens if a student Challenger attacks anyway?"
        ),
        "questions_ja": (
            "基準シナリオより高価な同盟が、なぜここではよりよく抑止するのか。\n"
            "それでも学生の挑戦国が攻撃したら何が起こるか。"
        ),
    },
    "expensive-alliance": {
        "teaching_note_en": (
            "The alliance's peacetime cost rises to K = 0.35: more than deterrence is worth to a non-resolute "
            "US (0.30), less than it is worth to a resolute one. Theory predicts a separating equilibrium "
            "(E1): only a resolute US allies, and it is never challenged; a non-resolute US does not ally, and "
            "Japan concedes when challenged. The alliance is a credible costly signal of the sinking-costs "
            "kind: its cost is paid up front, whatever happens next."
        ),
        "teaching_note_ja": (
            "同盟の平時コストが K = 0.35 に上がる。これは決意の弱い米国にとっての抑止の価値（0.30）を上回り、"
            "決意の固い米国にとっての価値を下回る。理論の予測は分離均衡（E1）：決意の固い米国だけが同盟を結び、"
            "挑戦されない。決意の弱い米国は同盟を結ばず、挑戦されると日本は譲歩する。同盟は信憑性のある"
            "コストのかかるシグナルであり、平時コスト（事前コスト）によるものである：そのコストはその後に何が"
            "起きても前もって支払われる。"
        ),
        "questions_en": "Why can a costlier signal tell the Challenger more?",
        "questions_ja": "なぜコストの高いシグナルほど挑戦国に多くを伝えるのか。",
    },
    "strong-reputation": {
        "teaching_note_en": (
            "The US is believed resolute with probability 0.85, above the level ρ_W = 0.80 at which a "
            "challenge stops paying. Theory predicts no alliance, with general deterrence (E3): no alliance "
            "is formed and the Challenger does not challenge; reputation alone deters."
        ),
        "teaching_note_ja": (
            "米国は確率0.85で決意が固いと信じられており、挑戦が割に合わなくなる水準 ρ_W = 0.80 を上回る。"
            "理論の予測は同盟なしで一般抑止が成立する均衡（E3）：同盟は結ばれず、挑戦国は挑戦しない。"
            "評判だけで抑止できる。"
        ),
        "questions_en": (
            "What is an alliance for when reputation is enough?\n"
            "What could wear that reputation down over several rounds?"
        ),
        "questions_ja": "評判で十分なとき、同盟は何のためにあるのか。\n何ラウンドかのうちに評判を損なうものは何か。",
    },
    "very-expensive-alliance": {
        "teaching_note_en": (
            "At K = 0.60 the alliance costs more than deterrence is worth even to a resolute US (0.45). "
            "Theory predicts no alliance and no deterrence (E3): nobody allies, the Challenger challenges, "
            "Japan resists and war follows; a resolute US intervenes without a treaty (an ad hoc coalition, "
            "the lecture's first puzzle), a non-resolute one stays out."
        ),
        "teaching_note_ja": (
            "K = 0.60 では、決意の固い米国にとっても同盟のコストが抑止の価値（0.45）を上回る。理論の予測は"
            "同盟なしで抑止も成立しない均衡（E3）：どちらのタイプの米国も同盟を結ばず、挑戦国は挑戦し、日本は"
            "抵抗して戦争になる。決意の固い米国は条約なしで介入し（有志連合、講義の同盟のパズル1）、決意の弱い"
            "米国は介入しない。"
        ),
        "questions_en": "If the US may fight without an alliance, why do alliances exist at all?",
        "questions_ja": "米国は同盟なしでも戦いうるのに、なぜ同盟は存在するのか。",
    },
    "japan-arms": {
        "teaching_note_en": (
            "Japan first decides, in public, whether to arm. Arming raises its chances (p = 0.45, p′ = 0.80) "
            "but costs 0.10 and makes the status quo harder for the Challenger to bear (the security "
            "dilemma). Theory predicts that Japan arms (expected payoff 0.475 against 0.374), followed by a "
            "semi-separating equilibrium (E5): a non-resolute US bluffs with probability 1/6 and an alliance "
            "is challenged with probability 3/43. Arming ends concessions, but the security dilemma raises "
            "the credibility needed to deter from 0.80 to 0.86."
        ),
        "teaching_note_ja": (
            "日本はまず、公開で軍備増強するかどうかを決める。増強すると勝つ確率は上がる（p = 0.45、"
            "p′ = 0.80）が、0.10のコストがかかり、挑戦国にとって現状が耐えがたくなる（安全保障のジレンマ）。"
            "理論の予測：日本は増強し（期待利得0.475対0.374）、続いて準分離均衡（E5）：決意の弱い米国は"
            "確率1/6ではったりをかけ、同盟は確率3/43で挑戦される。増強により譲歩はなくなるが、安全保障の"
            "ジレンマのため抑止に必要な信憑性が0.80から0.86に上がる。"
        ),
        "questions_en": "Arms or allies: which would you choose for Japan, and why?",
        "questions_ja": "軍備か同盟か：日本ならどちらを選ぶか、それはなぜか。",
    },
    "hesitant-challenger": {
        "name_ja": "慎重型の挑戦国（モジュールC）",
        "teaching_note_en": (
            "Only after mobilising does the Challenger learn whether it is determined or hesitant (each with "
            "probability 1/2); a hesitant one finds war much costlier. Theory predicts a semi-separating "
            "equilibrium of a new kind (E5): a resolute US allies, a non-resolute US bluffs with probability "
            "11/14, an alliance is always challenged, and a hesitant Challenger then attacks only with "
            "probability 2/13. Immediate deterrence (the Challenger withdraws after Japan resists) happens "
            "with probability about 0.38: use this scenario to show immediate deterrence holding, which the "
            "other scenarios rarely reach."
        ),
        "teaching_note_ja": (
            "挑戦国は動員した後で初めて、自らが強硬型か慎重型かを知る（それぞれ確率1/2）。慎重型の挑戦国に"
            "とって戦争ははるかに高くつく。理論の予測は新しい形の準分離均衡（E5）：決意の固い米国は同盟を結び、"
            "決意の弱い米国は確率11/14ではったりをかける。同盟は必ず挑戦され、慎重型の挑戦国は確率2/13でしか"
            "攻撃しない。緊急抑止（日本の抵抗の後に挑戦国が撤退する）は約0.38の確率で起こる：ほかのシナリオでは"
            "まれな緊急抑止の成功を見せるには、このシナリオを使う。"
        ),
        "questions_en": "How do general and immediate deterrence differ?",
        "questions_ja": "一般抑止と緊急抑止はどう違うのか。",
    },
    "entente": {
        "teaching_note_en": (
            "An entente instead of a defence pact. In the lecture an entente is a consultation pact with no "
            "obligation of military aid (the Triple Entente of 1914, the 1907 Franco-Japanese entente); the "
            "model treats it as a cheap defence pact, whose costs K, R and K1 shrink to a quarter. A signal "
            "that cheap convinces nobody. Theory predicts no alliance (E3): none is formed, the Challenger "
            "challenges, and war follows (a resolute US intervenes without a treaty, a non-resolute one stays "
            "out). One standard assumption (S4) fails here, so the benchmark is approximate, and another "
            "equilibrium exists in which both types sign the entente and war follows anyway. A US that signed "
            "the entente and stayed out of the war broke no promise to fight: the debrief does not call it "
            "abandonment."
        ),
        "teaching_note_ja": (
            "防御同盟の代わりに協商。講義では、協商は協議の取り決めで、軍事援助の義務はとくにない（1914年の"
            "三国協商、1907年の日仏協商）。モデルでは安い防御同盟として扱い、そのコスト K、R、K1 は4分の1に"
            "なる。これほど安いシグナルは誰も納得させない。理論の予測は同盟なしの均衡（E3）：同盟は結ばれず、"
            "挑戦国は挑戦し、戦争になる（決意の固い米国は条約なしで介入し、決意の弱い米国は介入しない）。"
            "ここでは標準的な仮定の一つ（S4）が成り立たないので予測は近似的であり、両タイプが協商を結んでも"
            "なお戦争になる別の均衡も存在する。協商を結んだうえで戦争に介入しなかった米国は、戦うという約束を"
            "破ったわけではない：振り返りではこれを見捨てられと呼ばない。"
        ),
        "questions_en": (
            "Why do weak commitments deter so little?\n"
            "When the US stays out after signing an entente, has Japan been abandoned?"
        ),
        "questions_ja": (
            "弱いコミットメントはなぜほとんど抑止しないのか。\n"
            "協商を結んだ米国が介入しなかったとき、日本は見捨てられたのか。"
        ),
    },
    "offensive-ally": {
        "name_ja": "攻撃同盟をもつ挑戦国",
        "teaching_note_en": (
            "A third state has promised to fight for the Challenger, an offensive alliance like the lecture's "
            "Tripartite Pact: Japan's chances fall by 0.10 with or without the US, and the credibility needed "
            "to deter rises to ρ_W = 0.96. Theory predicts a semi-separating equilibrium (E5): a non-resolute "
            "US bluffs only with probability 1/24, an alliance is challenged with probability 15/29, and "
            "without an alliance Japan concedes. Challengers with offensive allies start more disputes (Leeds "
            "2003: about 47 % more)."
        ),
        "teaching_note_ja": (
            "第三国が挑戦国のために戦うと約束している（講義の日独伊三国同盟のような攻撃同盟）：米国の参戦の有無"
            "にかかわらず日本の勝つ確率が0.10下がり、抑止に必要な信憑性は ρ_W = 0.96 に上がる。理論の予測は"
            "準分離均衡（E5）：決意の弱い米国がはったりをかける確率は1/24にすぎず、同盟は確率15/29で挑戦され、"
            "同盟がなければ日本は譲歩する。攻撃同盟をもつ挑戦国はより多くの紛争を起こす（Leeds 2003：約47%増）。"
        ),
        "questions_en": "Why does the Challenger's ally make the US's bluff so rare?",
        "questions_ja": "挑戦国の同盟国は、なぜ米国のはったりをこれほどまれにするのか。",
    },
    "non-aggression-pact": {
        "teaching_note_en": (
            "The Challenger and Japan have signed a non-aggression pact (the lecture's example: the many such "
            "pacts the Soviet Union signed): attacking Japan costs the Challenger 0.05 more, and the "
            "credibility needed to deter falls to ρ_W = 0.72. Theory predicts a semi-separating equilibrium "
            "(E5): a non-resolute US bluffs with probability 7/18 (more often than in the baseline), and an "
            "alliance is still challenged with probability 15/26. Here the pact does not make war less "
            "likely: about 0.40 against 0.36, because more bluffs are called."
        ),
        "teaching_note_ja": (
            "挑戦国と日本が不可侵条約を結んでいる（講義の例：ソビエト連邦が多く締結した条約）：日本を攻撃すると"
            "挑戦国のコストが0.05増え、抑止に必要な信憑性は ρ_W = 0.72 に下がる。理論の予測は準分離均衡（E5）："
            "決意の弱い米国は確率7/18ではったりをかけ（基準シナリオより多い）、同盟はなお確率15/26で挑戦される。"
            "ここでは条約は戦争の可能性を下げない：はったりが見破られることが増え、約0.40対0.36となる。"
        ),
        "questions_en": "Does the non-aggression pact make war less likely?",
        "questions_ja": "不可侵条約は戦争の可能性を下げるのか。",
    },
    "neutrality-pact": {
        "name_ja": "米国・挑戦国間の中立同盟",
        "teaching_note_en": (
            "The US has promised the Challenger to stay neutral, a neutrality pact: it has no alliance option, "
            "and intervening would cost it 0.30. Even a resolute US would then stay out "
            "(g_R − r_N = −0.05 < 0), so nobody expects US help. Theory predicts no alliance, none being "
            "possible (E3): the Challenger challenges and Japan concedes, whatever the US's type. Challengers "
            "holding neutrality promises start more disputes (Leeds 2003: about 57 % more)."
        ),
        "teaching_note_ja": (
            "米国は挑戦国に中立を約束している（中立同盟）：同盟という選択肢はなく、介入すれば0.30のコストが"
            "かかる。そのため決意の固い米国でも介入しない（g_R − r_N = −0.05 < 0）ので、誰も米国の助けを"
            "期待しない。理論の予測は、同盟が不可能なため同盟なしの均衡（E3）：米国のタイプにかかわらず、"
            "挑戦国は挑戦し日本は譲歩する。中立の約束を得た挑戦国はより多くの紛争を起こす（Leeds 2003："
            "約57%増）。"
        ),
        "questions_en": "How can a promise to stay out invite aggression?",
        "questions_ja": "介入しないという約束が、なぜ侵略を招きうるのか。",
    },
    "cooperative-security": {
        "name_en": "Cooperative security: the ARF beneath the alliance (Module D, introduction)",
        "name_ja": "協調的安全保障：同盟の下のARF（モジュールD・導入）",
        "teaching_note_en": (
            "The two layers of the ARF abstract: cooperative security (the ASEAN Regional Forum) tries to "
            "prevent conflict without coercion, and the alliance copes with the conflicts it fails to prevent, "
            "as the ARF's insurance. Before the crisis, Japan and then the Challenger may adopt "
            "confidence-building measures; once Japan resists, preventive diplomacy may defuse the stand-off, "
            "more often with an alliance behind it. Theory predicts that both adopt them, followed by a "
            "separating equilibrium (E1): only a resolute US allies, and it is not challenged; a non-resolute "
            "US does not ally, and Japan, emboldened by the ARF, resists alone: the stand-off is defused with "
            "probability 0.35, otherwise Japan fights alone. The Challenger's measures are a wedge: without "
            "them the non-resolute US would still bluff. Use this scenario to introduce the two layers; it "
            "has the same parameters as “ARF D1”, whose note takes the wedge apart."
        ),
        "teaching_note_ja": (
            "ARFの論文がいう二つの層：協調的安全保障（ASEAN地域フォーラム）は強制によらずに紛争を防ごうとし、"
            "防げなかった紛争には同盟が対処する（ARFの保険としての同盟）。危機の前に日本、続いて挑戦国が"
            "信頼醸成措置をとることができ、日本が抵抗すると予防外交が対峙を沈静化することがある（同盟の裏付けが"
            "あるほど成功しやすい）。理論の予測：両国とも信頼醸成措置をとり、続いて分離均衡（E1）：決意の固い"
            "米国だけが同盟を結び、挑戦されない。決意の弱い米国は同盟を結ばず、ARFを後ろ盾にした日本は単独で"
            "抵抗する。対峙は確率0.35で沈静化し、そうでなければ日本は単独で戦う。挑戦国の措置はくさびとして"
            "働く：それがなければ決意の弱い米国はなおはったりをかける。このシナリオは二つの層の導入に使う。"
            "パラメータは「ARF D1」と同じで、そちらのメモはくさびの仕組みを詳しく扱う。"
        ),
        "questions_en": (
            "Can cooperative security replace the alliance, or does it shift the burden onto Japan?\n"
            "In what sense is the alliance the ARF's insurance?"
        ),
        "questions_ja": (
            "協調的安全保障は同盟に代わりうるのか、それとも負担を日本に移すだけなのか。\n"
            "同盟はどのような意味でARFの保険なのか。"
        ),
    },
    "arf-d1-both-build-confidence": {
        "name_en": "ARF D1: both sides build confidence, the Challenger's wedge (Module D)",
        "name_ja": "ARF D1：双方による信頼醸成と挑戦国のくさび（モジュールD）",
        "teaching_note_en": (
            "Module D at its defaults, the same parameters as “Cooperative security”, which introduces the two "
            "layers: this note takes the stage-0 choices apart. Predicted stage 0: Japan adopts "
            "confidence-building measures; the Challenger does too. Japan's own measures already make Japan "
            "resist a challenge without an alliance. The Challenger reciprocates as a wedge: its measures "
            "raise the chance that preventive diplomacy defuses a stand-off without an alliance from 1/4 to "
            "7/20, which lowers what deterrence is worth to a non-resolute US, VD_N(0), from 0.1575 to "
            "0.1365, below the alliance's peacetime cost K = 0.15, so the non-resolute US stops bluffing. "
            "Theory then predicts a separating equilibrium (E1): a resolute US allies and is not challenged "
            "(probability 1/2); a non-resolute US does not ally, Japan resists alone, and preventive diplomacy "
            "defuses the stand-off (7/40) or Japan fights alone (13/40)."
        ),
        "teaching_note_ja": (
            "モジュールDの既定値で、パラメータは二つの層を導入する「協調的安全保障」と同じ：このメモは第0段階の"
            "選択を詳しく扱う。予測される第0段階：日本は信頼醸成措置をとり、挑戦国もとる。日本自身の措置によって、"
            "日本は同盟がなくても挑戦に抵抗するようになる。挑戦国はくさびとして措置を返す：挑戦国の措置は、同盟が"
            "ないときに予防外交が対峙を沈静化する確率を1/4から7/20に上げ、決意の弱い米国にとっての抑止の価値 "
            "VD_N(0) を0.1575から0.1365に下げる。これは同盟の平時コスト K = 0.15 を下回るので、決意の弱い米国は"
            "はったりをかけなくなる。理論の予測は分離均衡（E1）：決意の固い米国は同盟を結び挑戦されない"
            "（確率1/2）。決意の弱い米国は同盟を結ばず、日本は単独で抵抗し、予防外交が対峙を沈静化する（7/40）か"
            "日本が単独で戦う（13/40）。"
        ),
        "questions_en": (
            "The US's workload vanishes, but who now carries the war risk?\n"
            "Why would the Challenger pay for measures that make preventive diplomacy work better?"
        ),
        "questions_ja": (
            "米国の負担は消えたが、戦争のリスクは今や誰が負うのか。\n"
            "予防外交をよく機能させる措置に、挑戦国はなぜコストを払うのか。"
        ),
    },
    "arf-d2-forum-replaces-alliance": {
        "teaching_note_en": (
            "Japan's confidence-building measures are very effective (Δφ1 = 0.7), a defused challenge costs "
            "the Challenger 0.10, and the ARF works as well without an alliance (ψ = 1). Predicted stage 0: "
            "Japan adopts confidence-building measures; the Challenger does not. Theory then predicts no "
            "alliance, with general deterrence (E3): nobody allies and the Challenger does not challenge, "
            "deterred by US reputation together with the ARF (path: status quo with probability 1). This is "
            "the case in which cooperative security replaces the alliance."
        ),
        "teaching_note_ja": (
            "日本の信頼醸成措置は非常に効果的で（Δφ1 = 0.7）、沈静化された挑戦は挑戦国に0.10のコストを課し、"
            "ARFは同盟がなくても同じように働く（ψ = 1）。予測される第0段階：日本は信頼醸成措置をとり、挑戦国は"
            "とらない。理論の予測は同盟なしで一般抑止が成立する均衡（E3）：誰も同盟を結ばず、米国の評判とARFが"
            "合わさって挑戦国を抑止する（経路：確率1で現状維持）。協調的安全保障が同盟に代わる場合である。"
        ),
        "questions_en": "When can cooperative security replace an alliance?",
        "questions_ja": "協調的安全保障が同盟に代わりうるのはどのようなときか。",
    },
    "arf-d3-forum-needs-alliance": {
        "teaching_note_en": (
            "As ARF D2, but without an alliance the ARF has no traction (ψ = 0). Predicted stage 0: Japan "
            "adopts confidence-building measures; the Challenger does not. Theory then predicts pooling on "
            "alliance (E2): both US types ally, so the alliance reveals nothing, yet the Challenger is "
            "deterred because the treaty switches the ARF to full strength (path: alliance and status quo "
            "with probability 1). Neither layer deters alone. One standard assumption (S4) fails here, so "
            "this benchmark is approximate: the solver may miss equilibria in which Japan or the Challenger "
            "mixes."
        ),
        "teaching_note_ja": (
            "ARF D2と同じだが、同盟がなければARFは効力をもたない（ψ = 0）。予測される第0段階：日本は信頼醸成"
            "措置をとり、挑戦国はとらない。理論の予測は同盟への一括均衡（E2）：どちらのタイプの米国も同盟を結ぶ"
            "ので同盟は何も明かさないが、条約がARFを完全に機能させるため挑戦国は抑止される（経路：確率1で同盟と"
            "現状維持）。どちらの層も単独では抑止しない。ここでは標準的な仮定の一つ（S4）が成り立たないので、"
            "このベンチマークは近似である：日本や挑戦国が混合戦略をとる均衡を見落とす可能性がある。"
        ),
        "questions_en": "In what sense is the alliance the ARF's insurance?",
        "questions_ja": "同盟はどのような意味でARFの保険なのか。",
    },
    "arf-d4-tripwire-wedge": {
        "teaching_note_en": (
            "US forces in Japan (a tripwire: extended deterrence becomes direct deterrence) plus the default "
            "ARF. If Japan stayed passive, the Challenger's own measures would make an unbacked Japan resist, "
            "and the non-resolute US would stop paying for the tripwire: the wedge threat. Predicted stage 0: "
            "Japan adopts confidence-building measures; the Challenger does not. Theory then predicts a "
            "separating equilibrium (E1): a resolute US allies and is not challenged (1/2); a non-resolute US "
            "does not ally, and the stand-off is defused (1/8) or Japan fights alone (3/8)."
        ),
        "teaching_note_ja": (
            "米軍の日本駐留（トリップワイヤー：拡大抑止が直接抑止に転換する）と既定値のARF。日本が何もしなければ、"
            "挑戦国自身の措置が同盟の裏付けのない日本を抵抗させ、決意の弱い米国はトリップワイヤーの費用を払わなく"
            "なる：くさびの脅威である。予測される第0段階：日本は信頼醸成措置をとり、挑戦国はとらない。理論の予測は"
            "分離均衡（E1）：決意の固い米国は同盟を結び挑戦されない（1/2）。決意の弱い米国は同盟を結ばず、対峙は"
            "沈静化される（1/8）か日本が単独で戦う（3/8）。"
        ),
        "questions_en": "How can cooperative security let a non-committed ally pass the buck?",
        "questions_ja": "協調的安全保障は、なぜ関与の弱い同盟国に責任転嫁を許しうるのか。",
    },
}

QUESTION_FIELDS = ("questions_en", "questions_ja")


def earlier() -> dict[str, dict[str, str]]:
    """Each library scenario's words as migrations 0002, 0004 and 0005 left them."""
    fields = ("name_en", "name_ja", "teaching_note_en", "teaching_note_ja")
    out = {
        entry["slug"]: {f: entry[f] for f in fields}
        for entry in (*LIBRARY_0004.LIBRARY, *EXAMPLES_0005.EXAMPLES)
    }
    out["baseline"] = {
        "name_en": BASELINE_0002.BASELINE["name_en"],
        "name_ja": BASELINE_0002.BASELINE["name_ja"],
        **LIBRARY_0004.BASELINE_NOTES,
    }
    return out


def rewrite(apps, schema_editor):
    Scenario = apps.get_model("games", "Scenario")
    before = earlier()
    for slug, new in NEW.items():
        scenario = Scenario.objects.filter(slug=slug).first()
        if scenario is None:
            continue
        changed = []
        for field, text in new.items():
            current = getattr(scenario, field)
            if (field in QUESTION_FIELDS and not current) or current == before[slug].get(field):
                setattr(scenario, field, text)
                changed.append(field)
        if changed:
            scenario.save(update_fields=changed)


def restore(apps, schema_editor):
    Scenario = apps.get_model("games", "Scenario")
    before = earlier()
    for slug, new in NEW.items():
        scenario = Scenario.objects.filter(slug=slug).first()
        if scenario is None:
            continue
        changed = []
        for field, text in new.items():
            if getattr(scenario, field) == text:
                setattr(scenario, field, "" if field in QUESTION_FIELDS else before[slug][field])
                changed.append(field)
        if changed:
            scenario.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("games", "0007_scenario_discussion_questions")]

    operations = [migrations.RunPython(rewrite, restore)]
