"""Data migration: historical cases in the scenario library (issue 18, "A course, not just a class").

Each case is a parameter set (exact values, checked by `Params.from_mapping`) with one paragraph of
historical context, what the model leaves out, which numbers are judgement rather than data, discussion
questions and a teaching note, all in English and Japanese. Every note says what the solver's benchmark
predicts for the case's own numbers (tests/test_historical_cases.py solves each case and checks the
property the case is meant to teach). The numbers are teaching values, not estimates: each case's
`judgement` says which of them matter and why they were chosen.

In every case the model's roles keep their names: "Japan" is the defender, "the US" the potential
supporter, "the Challenger" the state that may challenge the status quo; the context says who plays
which role. As in 0004, the values are written out here so that this migration means the same thing
forever, a scenario an instructor already made with one of these slugs is left alone, and going back
deletes only the cases no class has used and whose name is still the one given here.
"""

from django.db import migrations

# The model's default parameters (as in 0004's BASE), written out.
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

CASES = [
    {
        "slug": "case-korea-1950",
        "changes": {"pi": "1/5", "k": "3/5"},
        "name_en": "Korea 1950: no commitment, and an ad hoc coalition",
        "name_ja": "1950年の朝鮮：コミットメントなき有志連合",
        "context_en": (
            "In January 1950 Secretary of State Dean Acheson described a US defensive perimeter in the "
            "Pacific running from the Aleutians through Japan and the Ryukyus to the Philippines; South Korea "
            "was not inside it. US occupation troops had left Korea in 1949, there was no defence pact, and "
            "the Joint Chiefs of Staff had judged Korea of little strategic value. Kim Il-sung, with Stalin's "
            "consent, expected no US intervention and attacked on 25 June 1950. The US did intervene, within "
            "days and without any treaty obligation, at the head of a United Nations command that sixteen "
            "states sent combat forces to (the lecture's example of an ad hoc coalition). In the model South "
            "Korea plays Japan, the US plays the US, and North Korea plays the Challenger."
        ),
        "context_ja": (
            "1950年1月、アチソン国務長官は太平洋における米国の防衛線をアリューシャン列島から日本・琉球諸島を"
            "経てフィリピンに至る線として説明し、韓国はその外に置かれた。米国の占領軍は1949年に朝鮮から撤退して"
            "おり、防御同盟はなく、統合参謀本部は朝鮮の戦略的価値を低いと判断していた。金日成はスターリンの同意を"
            "得て米国は介入しないと見込み、1950年6月25日に攻撃した。米国は数日のうちに、条約上の義務なしに介入し、"
            "16か国が戦闘部隊を送った国連軍を率いた（講義のいう有志連合の例）。モデルでは韓国が日本の役、米国が"
            "米国の役、北朝鮮が挑戦国の役を演じる。"
        ),
        "omits_en": (
            "The Soviet Union and, from October 1950, China stood behind the Challenger; China's entry turned "
            "the war, which no two-sided crisis game represents. The UN Security Council vote (possible "
            "because the Soviet delegate was absent) and the allies' contributions are not modelled: the "
            "coalition is simply the US intervening without a treaty. Whether Acheson's speech itself invited "
            "the attack is disputed among historians; the model only says that a low belief in US resolve "
            "makes a challenge pay."
        ),
        "omits_ja": (
            "挑戦国の背後にはソ連、そして1950年10月からは中国がいた。中国の参戦は戦争の流れを変えたが、二者間の"
            "危機ゲームはこれを表せない。国連安全保障理事会の決議（ソ連代表の欠席で可能になった）や各国の貢献も"
            "モデルにはない：有志連合は、条約なしに米国が介入することとしてだけ表される。アチソン演説そのものが"
            "攻撃を招いたかどうかは歴史家の間で議論がある。モデルが言えるのは、米国の決意についての信念が低いと"
            "挑戦が割に合う、ということだけである。"
        ),
        "judgement_en": (
            "Two numbers carry the case, and both are judgement: the prior that the US is resolute (0.20, "
            "for the Acheson line and the withdrawal of US troops) and the US's peacetime cost of a formal "
            "commitment (0.60, for a budget-capped army and a theatre the Joint Chiefs rated low), which is "
            "more than deterrence was worth even to a resolute US. The other numbers are the model's "
            "teaching values; South Korea's chances alone (0.30) are not an estimate of the 1950 balance."
        ),
        "judgement_ja": (
            "この事例を支える二つの数値はどちらも判断である：米国の決意が固いという事前の信念（0.20、アチソン"
            "ラインと米軍撤退による）と、正式なコミットメントにかかる米国の平時コスト（0.60、予算に縛られた軍と"
            "統合参謀本部が低く評価した戦域による）であり、後者は決意の固い米国にとっての抑止の価値をも上回る。"
            "その他の数値はモデルの教育用の値で、韓国が単独で勝つ確率（0.30）は1950年の戦力比の推定ではない。"
        ),
        "teaching_note_en": (
            "No commitment: the alliance would cost the US more than deterrence is worth to it, so neither US "
            "type allies (no alliance, E3). With a reputation of only 0.20, far below the 0.80 at which a "
            "challenge stops paying, the Challenger challenges, Japan (South Korea) resists and war follows "
            "every time. A resolute US then fights without a treaty (an ad hoc coalition, one war in five at "
            "this prior) and a non-resolute one stays out. History drew the resolute type: the model shows "
            "why the Challenger gambled, and why intervention without an alliance came too late to deter."
        ),
        "teaching_note_ja": (
            "コミットメントなし：同盟のコストが米国にとっての抑止の価値を上回るので、どちらのタイプの米国も同盟を"
            "結ばない（同盟なし、E3）。評判がわずか0.20で、挑戦が割に合わなくなる0.80を大きく下回るため、挑戦国は"
            "挑戦し、日本（韓国）は抵抗し、必ず戦争になる。決意の固い米国は条約なしで戦い（有志連合、この事前の"
            "信念では戦争の5回に1回）、決意の弱い米国は介入しない。歴史が引いたのは決意の固いタイプだった："
            "モデルは、挑戦国がなぜ賭けたのか、そして同盟なしの介入がなぜ抑止には遅すぎたのかを示す。"
        ),
        "questions_en": (
            "If the US was going to fight anyway, why did the Challenger attack?\n"
            "What would a defence pact with South Korea in 1949 have had to cost the US to deter the attack?"
        ),
        "questions_ja": (
            "米国がどのみち戦うのなら、挑戦国はなぜ攻撃したのか。\n"
            "1949年に韓国と防御同盟を結んでいたら、攻撃を抑止するには米国にどれだけのコストが必要だったか。"
        ),
    },
    {
        "slug": "case-korea-tripwire",
        "changes": {"tripwire": True},
        "name_en": "US forces in Korea after 1953: a tripwire",
        "name_ja": "1953年以降の在韓米軍：トリップワイヤー",
        "context_en": (
            "After the armistice of July 1953 the US signed a Mutual Defense Treaty with South Korea (October "
            "1953, in force 1954) and kept ground forces there. For decades the 2nd Infantry Division was "
            "stationed between the demilitarised zone and Seoul, on the invasion routes, so that an attack on "
            "the South would kill US soldiers at once: the lecture's tripwire, which turns extended deterrence "
            "into direct deterrence (West Berlin's garrison in the Cold War is the other example the lecture "
            "gives). North Korea has not invaded again, although it has attacked in other ways (the 1968 raid "
            "on the presidential residence, the 1976 axe murders at Panmunjom, the sinking of the Cheonan and "
            "the shelling of Yeonpyeong in 2010). South Korea plays Japan, North Korea the Challenger."
        ),
        "context_ja": (
            "1953年7月の休戦協定の後、米国は韓国と米韓相互防衛条約を結び（1953年10月署名、1954年発効）、地上"
            "部隊を駐留させ続けた。数十年にわたり第2歩兵師団は非武装地帯とソウルの間、侵攻経路の上に配置され、"
            "南への攻撃はただちに米兵の死を意味した：講義のいうトリップワイヤーであり、拡大抑止を直接抑止に転換"
            "する（講義のもう一つの例は冷戦期の西ベルリン駐留部隊）。北朝鮮はその後、全面侵攻はしていないが、"
            "別の形の攻撃は行ってきた（1968年の青瓦台襲撃未遂、1976年の板門店ポプラ事件、2010年の天安艦沈没と"
            "延坪島砲撃）。韓国が日本の役、北朝鮮が挑戦国の役を演じる。"
        ),
        "omits_en": (
            "The model has one kind of challenge and one war; the raids, shellings and sinkings below the "
            "level of an invasion (grey-zone provocations) are outside it, so 'general deterrence held' here "
            "means only that no invasion came. Nuclear weapons (US weapons in Korea until 1991, North Korea's "
            "own since 2006), China's 1961 treaty with North Korea and South Korea's own growing strength are "
            "left out. The 2nd Division's move south of Seoul (Camp Humphreys, completed around 2018) weakens "
            "the tripwire in a way the on/off switch cannot show."
        ),
        "omits_ja": (
            "モデルにある挑戦と戦争は一種類ずつであり、全面侵攻に至らない襲撃・砲撃・撃沈（グレーゾーンの挑発）は"
            "その外にある。ここでの「一般抑止が成立」は、侵攻がなかったという意味にすぎない。核兵器（1991年まで"
            "韓国にあった米国の核、2006年以降の北朝鮮自身の核）、1961年の中朝条約、韓国自身の国力の伸びも含ま"
            "れない。第2歩兵師団のソウル以南への移転（キャンプ・ハンフリーズ、2018年頃に完了）はトリップワイヤーを"
            "弱めるが、オンとオフだけの切り替えではこれを表せない。"
        ),
        "judgement_en": (
            "All numbers are the model's teaching values, the same as in the Marines-to-Guam case, so that the "
            "two cases differ only in the tripwire: an extra abandonment cost of 0.10 if US troops are hit and "
            "an extra peacetime cost of 0.05 each for the US and the host. That the tripwire makes abandonment "
            "costly enough to tie the hands of even a non-resolute US is the case's claim; the size of that "
            "cost is judgement, not measured."
        ),
        "judgement_ja": (
            "数値はすべてモデルの教育用の値で、海兵隊のグアム移転の事例と同じである。二つの事例の違いは"
            "トリップワイヤーだけ：米兵が攻撃された場合に見捨てるコストが0.10増え、米国と受け入れ国の平時コストが"
            "それぞれ0.05増える。トリップワイヤーが見捨てるコストを、決意の弱い米国でさえ手を縛られるほど高めるという"
            "のがこの事例の主張であり、そのコストの大きさは判断であって測定値ではない。"
        ),
        "teaching_note_en": (
            "With US troops in harm's way, abandoning the ally would cost the US 0.15 instead of 0.05: more "
            "than a non-resolute US loses by fighting, so the treaty ties its hands. Theory predicts pooling "
            "on alliance (E2): both US types ally, the Challenger's belief no longer matters, and the "
            "Challenger never challenges (general deterrence with certainty). A student Challenger who attacks "
            "anyway drags a non-resolute US into a war it would not have chosen: entrapment. Compare the "
            "Marines-to-Guam case, identical except for the tripwire."
        ),
        "teaching_note_ja": (
            "米兵が危険にさらされているので、同盟国を見捨てるコストは0.05ではなく0.15になる：決意の弱い米国が"
            "戦って失うものより大きく、条約が米国の手を縛る。理論の予測は同盟への一括均衡（E2）：どちらのタイプの"
            "米国も同盟を結び、挑戦国の信念はもはや関係なく、挑戦国は挑戦しない（一般抑止が確実に成立）。"
            "それでも学生の挑戦国が攻撃すれば、決意の弱い米国は望まない戦争に巻き込まれる：巻き込まれである。"
            "トリップワイヤー以外は同じ、海兵隊のグアム移転の事例と比べるとよい。"
        ),
        "questions_en": (
            "Why would a few thousand soldiers deter an army many times their size?\n"
            "Who bears the risk of entrapment in this case, and who the cost of the tripwire?"
        ),
        "questions_ja": (
            "数千人の兵士が、なぜその何倍もの軍を抑止しうるのか。\n"
            "この事例で巻き込まれのリスクを負うのは誰か、トリップワイヤーのコストを負うのは誰か。"
        ),
    },
    {
        "slug": "case-marines-guam",
        "changes": {},
        "name_en": "Marines from Okinawa to Guam: the tripwire removed",
        "name_ja": "海兵隊の沖縄からグアムへの移転：トリップワイヤーの消失",
        "context_en": (
            "Under the 2006 US–Japan realignment roadmap, revised in 2012, about 4,000 US Marines are to move "
            "from Okinawa to Guam (the first units began moving in late 2024); others go to Hawaii and "
            "elsewhere. The lecture asks what this means for deterrence: if US forces no longer stand where "
            "an attack on Japan would strike them, the tripwire disappears and the US commitment is again "
            "extended deterrence, resting on the treaty's Article 5 alone. The case is that thought "
            "experiment, not a description of today: most Marines and the large US air and naval bases in "
            "Japan stay. Japan plays Japan, and the Challenger is any state that might challenge Japan's "
            "status quo."
        ),
        "context_ja": (
            "2006年の日米の再編実施のためのロードマップ（2012年に見直し）により、約4,000人の米海兵隊が沖縄から"
            "グアムへ移転する（最初の部隊の移転は2024年末に始まった）。ほかの部隊はハワイなどへ移る。講義はこれが"
            "抑止にとって何を意味するかを問う：日本への攻撃が米軍を直撃する場所に米軍がいなくなれば、トリップ"
            "ワイヤーは消失し、米国のコミットメントは再び拡大抑止に戻り、安保条約第5条だけに支えられる。この事例は"
            "その思考実験であって、今日の記述ではない：海兵隊の多くと在日米軍の大規模な空・海の基地は残る。日本が"
            "日本の役を、日本の現状に挑戦しうる国が挑戦国の役を演じる。"
        ),
        "omits_en": (
            "Deterrence by the US forces that remain, Japan's own forces, the politics of Okinawa (the "
            "lecture's paradox that protest and a fallen cabinet added to the alliance's credibility) and the "
            "reasons for the move (easing the burden on Okinawa, dispersal against missile attack) are all "
            "outside the model. The tripwire is on or off; a partial move is neither."
        ),
        "omits_ja": (
            "残る米軍による抑止、日本自身の防衛力、沖縄の政治（反対運動や内閣の瓦解がかえって同盟の信憑性に寄与"
            "するという講義の逆説）、そして移転の理由（沖縄の負担軽減、ミサイル攻撃に備えた分散）はすべてモデルの"
            "外にある。トリップワイヤーはオンかオフかであり、部分的な移転はそのどちらでもない。"
        ),
        "judgement_en": (
            "All numbers are the model's teaching values, chosen to equal those of the US-forces-in-Korea case "
            "except that the tripwire is off, so that the comparison isolates the tripwire. They are not "
            "estimates of Japan's situation: how likely Japan would be to win alone, and what an alliance is "
            "worth to each kind of US, are judgement."
        ),
        "judgement_ja": (
            "数値はすべてモデルの教育用の値で、トリップワイヤーがオフである点を除いて在韓米軍の事例と同じにして"
            "あり、比較がトリップワイヤーだけを取り出すようにしている。日本の状況の推定ではない：日本が単独で勝つ"
            "確率や、それぞれのタイプの米国にとっての同盟の価値は判断である。"
        ),
        "teaching_note_en": (
            "Without the tripwire, abandoning Japan costs the US only 0.05, less than a non-resolute US loses "
            "by fighting: the treaty no longer ties its hands. Theory predicts a semi-separating equilibrium "
            "(E5): a resolute US allies, a non-resolute one bluffs with probability 1/4, an alliance is still "
            "challenged with probability 15/26, and without an alliance Japan concedes. War comes in about "
            "36 % of rounds and abandonment in about 7 %, where the tripwire case had neither. Same numbers, "
            "one switch: the tripwire is what made the commitment credible."
        ),
        "teaching_note_ja": (
            "トリップワイヤーがなければ、日本を見捨てるコストは米国にとって0.05にすぎず、決意の弱い米国が戦って"
            "失うものより小さい：条約はもはや米国の手を縛らない。理論の予測は準分離均衡（E5）：決意の固い米国は"
            "同盟を結び、決意の弱い米国は確率1/4ではったりをかけ、同盟はなお確率15/26で挑戦され、同盟がなければ"
            "日本は譲歩する。戦争はラウンドの約36%、見捨てられは約7%で起こり、トリップワイヤーの事例ではどちらも"
            "起こらなかった。同じ数値でスイッチは一つ：コミットメントの信憑性を生んでいたのはトリップワイヤーである。"
        ),
        "questions_en": (
            "If the treaty's words stay the same, why should moving troops change what the Challenger expects?\n"
            "What could Japan or the US do to restore credibility without the tripwire?"
        ),
        "questions_ja": (
            "条約の文言が変わらないのに、部隊の移転がなぜ挑戦国の予想を変えるのか。\n"
            "トリップワイヤーなしで信憑性を取り戻すために、日本や米国は何ができるか。"
        ),
    },
    {
        "slug": "case-triple-entente-1914",
        "changes": {"alliance_type": "entente"},
        "name_en": "The Triple Entente, 1914: consultation, and war anyway",
        "name_ja": "1914年の三国協商：協議のみ、それでも戦争",
        "context_en": (
            "Britain's ties to France (the Entente Cordiale of 1904) and to Russia (the convention of 1907) "
            "settled colonial disputes and led to staff talks and a naval understanding, but contained no "
            "obligation to fight: the lecture's entente, consultation without a duty of military aid. In July "
            "1914 Germany's leaders hoped that Britain would stay neutral, and Bethmann Hollweg asked for that "
            "neutrality on 29 July. Britain's cabinet was divided until Germany invaded Belgium; Britain "
            "declared war on 4 August. The entente had not deterred, and Britain fought anyway. In the model "
            "France plays Japan, Britain plays the US, and Germany plays the Challenger."
        ),
        "context_ja": (
            "英国とフランスの英仏協商（1904年）、英国とロシアの英露協商（1907年）は植民地をめぐる対立を解決し、"
            "参謀間の協議や海軍の了解につながったが、戦う義務は含まなかった：講義のいう協商、すなわち軍事援助義務の"
            "ない協議である。1914年7月、ドイツの指導者は英国の中立を期待し、ベートマン＝ホルヴェークは7月29日に"
            "その中立を求めた。英国の内閣はドイツのベルギー侵攻まで割れていたが、英国は8月4日に宣戦した。協商は"
            "抑止せず、それでも英国は戦った。モデルではフランスが日本の役、英国が米国の役、ドイツが挑戦国の役を"
            "演じる。"
        ),
        "omits_en": (
            "The crisis began between Austria-Hungary and Serbia and spread through Russia's mobilisation and "
            "the alliances on both sides (the lecture's alliances as paths of escalation); the model has one "
            "challenger, one defender and one potential supporter. Germany's war plan went through Belgium, "
            "whose neutrality Britain had guaranteed in 1839, a separate commitment that weighed in Britain's "
            "decision. France and Russia had a defence pact with each other, which the case leaves out."
        ),
        "omits_ja": (
            "危機はオーストリア＝ハンガリーとセルビアの間で始まり、ロシアの動員と双方の同盟を通じて広がった（講義の"
            "いう戦争拡大経路としての同盟）。モデルにあるのは挑戦国・防御国・支援しうる国の一つずつだけである。"
            "ドイツの作戦計画はベルギーを通過したが、英国は1839年にその中立を保障しており、この別のコミットメントが"
            "英国の決定に影響した。仏露間の防御同盟もこの事例には含まれない。"
        ),
        "judgement_en": (
            "The entente is the model's consultation type: the alliance's peacetime and abandonment costs are "
            "a quarter of a defence pact's. That quarter, the even prior that Britain is resolute, and all "
            "the other numbers are teaching values; none is an estimate of 1914. The claim is only "
            "qualitative: a commitment this cheap tells the Challenger nothing."
        ),
        "judgement_ja": (
            "協商はモデルの協議型で、同盟の平時コストと見捨てるコストは防御同盟の4分の1になる。その4分の1という"
            "値、英国の決意が固いという五分五分の事前の信念、その他の数値はすべて教育用の値で、1914年の推定では"
            "ない。主張は定性的なものにすぎない：これほど安いコミットメントは挑戦国に何も伝えない。"
        ),
        "teaching_note_en": (
            "An entente costs so little that both kinds of US (here Britain) could sign it, so signing says "
            "nothing about resolve. Theory's benchmark is that no alliance is formed (E3): the Challenger "
            "challenges, Japan (France) resists and war follows every time; a resolute supporter fights "
            "without an obligation, a non-resolute one stays out. One standard assumption fails, so the "
            "benchmark is approximate, and there is a second equilibrium in which both types sign the entente "
            "(pooling, E2) and war follows anyway: 1914. Either way the consultation pact does not deter."
        ),
        "teaching_note_ja": (
            "協商はコストが小さいので、どちらのタイプの米国（ここでは英国）も結ぶことができ、結んでも決意について"
            "何も伝わらない。理論の予測では同盟なし（E3）：挑戦国は挑戦し、日本（フランス）は抵抗し、必ず戦争に"
            "なる。決意の固い支援国は義務なしに戦い、決意の弱い支援国は介入しない。標準的な仮定の一つが成り立たない"
            "ので予測は近似的であり、両タイプが協商を結んでもなお戦争になる別の均衡（一括均衡、E2）もある：1914年"
            "である。どちらにしても協議のみの約束は抑止しない。"
        ),
        "questions_en": (
            "Britain fought in 1914: why did its entente not deter Germany?\n"
            "Would a British defence pact with France have changed Germany's calculation, and at what cost "
            "to Britain?"
        ),
        "questions_ja": (
            "英国は1914年に戦った：では英国の協商はなぜドイツを抑止しなかったのか。\n"
            "英仏の防御同盟があればドイツの計算は変わったか。英国にはどんなコストがかかったか。"
        ),
    },
    {
        "slug": "case-soviet-japanese-pact-1941",
        "changes": {"alliance_type": "neutrality", "c1": "1/4"},
        "name_en": "Neutrality pact: the Soviet–Japanese pact of 1941",
        "name_ja": "中立同盟：1941年の日ソ間の約束",
        "context_en": (
            "On 13 April 1941 Japan and the Soviet Union signed a five-year pact in Moscow: each would respect "
            "the other's territory and stay neutral if the other were attacked by third powers, and a joint "
            "declaration recognised Manchukuo and the Mongolian People's Republic. From 1937 the Soviet Union "
            "had been China's main foreign supplier of aircraft, arms and volunteer pilots in its war with "
            "Japan; after the pact, and after Germany's invasion of the Soviet Union in June 1941, that help "
            "dwindled, and Japan, its northern flank secured, moved south. Here the pact is read as a "
            "neutrality promise to the Challenger: Japan plays the Challenger, China plays the defender (the "
            "role called Japan in the game), and the Soviet Union plays the potential supporter (the role "
            "called the US). The pact's Japanese name is 日ソ中立条約; the Soviet Union renounced it in April "
            "1945 and attacked Japan in August 1945."
        ),
        "context_ja": (
            "1941年4月13日、日本とソ連はモスクワで5年間の日ソ中立条約を結んだ：互いの領土を尊重し、一方が第三国から"
            "攻撃された場合には他方は中立を守る。共同声明は満州国とモンゴル人民共和国を承認し合った。1937年から"
            "ソ連は日中戦争を戦う中国への航空機・武器・義勇飛行士の主な外国の供給者だったが、条約の後、そして1941年"
            "6月のドイツのソ連侵攻の後、その支援は細り、北方の安全を得た日本は南へ進んだ。ここでは条約を挑戦国への"
            "中立の約束（講義のいう中立同盟）と読む：日本が挑戦国の役、中国が防御国（ゲームでは日本と呼ばれる役）、ソ連が支援しうる国"
            "（ゲームでは米国と呼ばれる役）を演じる。ソ連は1945年4月に条約を延長しないと通告し、1945年8月に日本を"
            "攻撃した。"
        ),
        "omits_en": (
            "This is the largest stretch in the library. Japan and China had been at war since 1937, so there "
            "was no status quo to challenge, only a war to widen; the Soviet Union had never promised to defend "
            "China; Soviet help shrank mainly because Germany attacked; and the US, Britain and the "
            "Netherlands, whose embargo shaped Japan's choices in 1941, are not in the game. The pact also "
            "bound Japan not to attack the Soviet Union (a non-aggression element), which the neutrality type "
            "does not represent."
        ),
        "omits_ja": (
            "これはライブラリの中で最も無理のある対応づけである。日中は1937年から戦争中であり、挑戦すべき現状は"
            "なく、広げるべき戦争があっただけである。ソ連は中国の防衛を約束したことはなく、ソ連の支援が細ったのは"
            "主にドイツの攻撃のためであり、1941年の日本の選択を左右した禁輸を行った米英蘭はゲームにいない。条約は"
            "日本にもソ連を攻撃しないことを義務づけたが（不可侵条約の要素）、中立同盟の型はこれを表さない。"
        ),
        "judgement_en": (
            "The neutrality type makes intervention cost the supporter an extra 0.30, enough that even a "
            "resolute one stays out: that is a modelling choice, not a measurement of what breaking the pact "
            "would have cost Moscow. The defender's war cost is set at 0.25 (below its chance of 0.30 of "
            "holding out alone) so that China, as in history, fights rather than yields; that is judgement "
            "too. The other numbers are teaching values."
        ),
        "judgement_ja": (
            "中立同盟の型では、介入すると支援国のコストが0.30増え、決意の固い支援国さえ介入しない：これはモデル化の"
            "選択であって、条約を破ることがソ連にとってどれだけのコストだったかの測定ではない。防御国の戦争コストは"
            "0.25（単独で持ちこたえる確率0.30より低い）とし、歴史のとおり中国が譲歩せず戦うようにした。これも判断"
            "である。その他の数値は教育用の値である。"
        ),
        "teaching_note_en": (
            "A neutrality promise to the Challenger removes the alliance option and makes intervention too "
            "costly even for a resolute supporter, so nobody expects help (no alliance possible, E3). The "
            "Challenger challenges whatever the supporter's type; Japan (here China) still prefers war to "
            "concession and fights alone, every time. This is the lecture's finding that states holding "
            "neutrality promises attack more often, in its starkest form: the pact did not cause the war, but "
            "it took away the one thing that could have deterred it."
        ),
        "teaching_note_ja": (
            "挑戦国への中立の約束は同盟という選択肢をなくし、決意の固い支援国にとっても介入を高くつくものにするので、"
            "誰も助けを期待しない（同盟なし：同盟は結べない、E3）。挑戦国は支援国のタイプにかかわらず挑戦し、日本（ここでは"
            "中国）はなお譲歩より戦争を選び、必ず単独で戦う。中立同盟を結んだ国は攻撃を起こしやすいという講義の"
            "知見の、最も極端な形である：条約が戦争を起こしたのではないが、抑止しえた唯一のものを取り去った。"
        ),
        "questions_en": (
            "How can a promise to stay out of a war make war more likely?\n"
            "Which parts of 1941 does this case leave out, and would they change its lesson?"
        ),
        "questions_ja": (
            "戦争に加わらないという約束が、なぜ戦争を起こりやすくしうるのか。\n"
            "この事例は1941年のどの部分を省いているか。それは教訓を変えるか。"
        ),
    },
    {
        "slug": "case-senkaku-article-5",
        "changes": {"eta": "1/5"},
        "name_en": "The Senkakus and Article 5: statements repeated",
        "name_ja": "尖閣諸島と第5条：繰り返される表明",
        "context_en": (
            "The US takes no position on the sovereignty of the Senkaku Islands, which Japan administers and "
            "China and Taiwan claim, but has said repeatedly that Article 5 of the 1960 Security Treaty, the "
            "US duty to act against an armed attack on territories under Japan's administration, applies to "
            "them: Secretary of State Clinton in 2010 after a Chinese trawler rammed Japanese coast guard "
            "vessels, President Obama in Tokyo in April 2014 (the first president to say so in public), and "
            "the joint statements of President Trump with Prime Minister Abe in 2017 and of President Biden "
            "with Prime Minister Suga in 2021. Since Japan bought three of the islands from a private owner in "
            "2012, Chinese government ships have entered the surrounding waters regularly. Japan plays Japan, "
            "China plays the Challenger; each round stands for a period in which the US repeats its commitment "
            "or not."
        ),
        "context_ja": (
            "米国は、日本が施政下に置き中国と台湾が領有を主張する尖閣諸島の主権については立場をとらないが、1960年の"
            "安保条約第5条（日本の施政下にある領域への武力攻撃に対して行動する米国の義務）が適用されると繰り返し"
            "表明してきた：中国漁船が海上保安庁の巡視船に衝突した後の2010年のクリントン国務長官、2014年4月に東京で"
            "公に述べた初の大統領となったオバマ大統領、2017年のトランプ大統領と安倍首相、2021年のバイデン大統領と"
            "菅首相の共同声明である。2012年に日本が3島を民間の所有者から購入して以来、中国の公船は周辺海域に"
            "常態的に入っている。日本が日本の役、中国が挑戦国の役を演じ、各ラウンドは米国がコミットメントを繰り"
            "返すかどうかの一期間を表す。"
        ),
        "omits_en": (
            "A statement is not a treaty: the model's alliance decision, which costs the US something each "
            "round, stands in for reaffirming an existing commitment, and what such a statement costs "
            "Washington (in its relations with Beijing) is far from clear. The coast guard incursions are a "
            "grey zone below armed attack, where Article 5 may not apply and the model has no move; Taiwan's "
            "claim, the wider US–China rivalry and Japan's own coast guard and forces are left out."
        ),
        "omits_ja": (
            "表明は条約ではない：毎ラウンド米国にコストがかかるモデルの同盟の決定は、既存のコミットメントの再確認を"
            "代わりに表しており、そうした表明が米国に（対中関係で）どれだけのコストを課すのかははっきりしない。"
            "公船の侵入は武力攻撃に至らないグレーゾーンで、第5条が適用されないかもしれず、モデルにはその手が"
            "ない。台湾の主張、より広い米中対立、日本自身の海上保安庁と自衛隊も含まれない。"
        ),
        "judgement_en": (
            "The case's numbers are the model's teaching values except one: the chance that a new "
            "administration redraws the US's resolve each round is set at 0.20 (a round as roughly a year, a "
            "new administration every four or eight years), twice the default. That rate, and reading each "
            "reaffirmation as the alliance decision, are judgement. The even starting prior is not an "
            "estimate of how credible the US looked before 2010."
        ),
        "judgement_ja": (
            "この事例の数値は一つを除いてモデルの教育用の値である：新政権によって米国の決意が毎ラウンド引き直される"
            "確率を0.20（1ラウンドをおよそ1年、政権交代を4年か8年ごととみて）とし、既定値の2倍にした。この値と、"
            "各再確認を同盟の決定として読むことは判断である。五分五分の最初の事前の信念は、2010年以前の米国の"
            "信憑性の推定ではない。"
        ),
        "teaching_note_en": (
            "Play several rounds with fixed groups. In the first round theory predicts a semi-separating "
            "equilibrium (E5): a resolute US reaffirms, a non-resolute one bluffs with probability 1/4. A "
            "reaffirmation that goes untested raises the belief that the US is resolute from 0.50 to 0.78; "
            "with a one-in-five chance of a new administration the next round's reputation is 0.73. Repeated "
            "untested statements keep raising it, but it settles near 0.74 and never reaches the 0.80 at which "
            "reputation alone would deter: statements cannot prove resolve, and new administrations wear it "
            "down. A tested and honoured commitment lifts it to 0.89; abandonment drops it to 0.11."
        ),
        "teaching_note_ja": (
            "固定グループで何ラウンドか行う。最初のラウンドの理論の予測は準分離均衡（E5）：決意の固い米国は再確認し、"
            "決意の弱い米国は確率1/4ではったりをかける。試されなかった再確認は、米国の決意が固いという信念を0.50"
            "から0.78に高める。新政権の確率が5分の1なので、次のラウンドの評判は0.73になる。試されない表明を繰り返すと"
            "評判は上がり続けるが、0.74付近で落ち着き、評判だけで抑止できる0.80には届かない：表明は決意を証明できず、"
            "新政権が評判をすり減らす。試されて履行されたコミットメントは評判を0.89に高め、見捨てられは0.11に落とす。"
        ),
        "questions_en": (
            "Why say again what the treaty already says?\n"
            "What would raise the US's reputation more than a statement, and at what risk?"
        ),
        "questions_ja": (
            "条約にすでに書かれていることを、なぜ改めて言うのか。\n"
            "表明よりも米国の評判を高めるものは何か。それにはどんなリスクがあるか。"
        ),
    },
    {
        "slug": "case-south-china-sea-arf",
        "changes": {
            "arf": True,
            "phi0": "1/20",
            "dphi1": "1/5",
            "dphiC": "1/10",
            "psi": "1/2",
            "kappa1": "1/50",
            "kappaC": "1/50",
            "betaD": "1/20",
        },
        "name_en": "The South China Sea and the ASEAN Regional Forum (Module D)",
        "name_ja": "南シナ海とASEAN地域フォーラム（モジュールD）",
        "context_en": (
            "The ASEAN Regional Forum, founded in 1994, was meant to move from confidence-building measures to "
            "preventive diplomacy. In the South China Sea China occupied Mischief Reef, claimed by the "
            "Philippines, in 1995; ASEAN and China signed a non-binding Declaration on the Conduct of Parties "
            "in 2002, and a binding code of conduct is still being negotiated. In 2012 a stand-off at "
            "Scarborough Shoal ended with the Philippines withdrawing its ships and China keeping control; in "
            "2016 an arbitral tribunal ruled for the Philippines, a ruling China rejects. The US–Philippines "
            "Mutual Defense Treaty of 1951 was long ambiguous about the disputed waters until the US said in "
            "2019 that an armed attack on Philippine forces or public vessels in the South China Sea would "
            "trigger it. The Philippines plays Japan, the US the US, China the Challenger."
        ),
        "context_ja": (
            "1994年に創設されたASEAN地域フォーラム（ARF）は、信頼醸成措置から予防外交へ進むことを目指した。"
            "南シナ海では1995年に中国がフィリピンの主張するミスチーフ礁を占拠した。ASEANと中国は2002年に拘束力の"
            "ない南シナ海行動宣言に署名し、拘束力のある行動規範はいまも交渉中である。2012年のスカボロー礁での対峙は、"
            "フィリピンが船を引き揚げ中国が支配を続けて終わった。2016年には仲裁裁判所がフィリピンの主張を認めたが、"
            "中国はこれを受け入れていない。1951年の米比相互防衛条約は係争海域について長くあいまいだったが、2019年に"
            "米国は南シナ海でのフィリピン軍や公船への武力攻撃が条約の発動につながると表明した。フィリピンが日本の役、"
            "米国が米国の役、中国が挑戦国の役を演じる。"
        ),
        "omits_en": (
            "The model's stand-off ends in the forum's success, the Challenger's withdrawal or war; the real "
            "ones were coercion below the use of force (coast guards, maritime militia, water cannon, island "
            "building), and Scarborough ended in something closer to concession. Several claimants (Vietnam, "
            "Malaysia, Brunei, Taiwan) and ASEAN's need for consensus are missing, and the ARF has in practice "
            "not gone beyond confidence building: the forum's chance of defusing a stand-off is a "
            "possibility, not a record."
        ),
        "omits_ja": (
            "モデルの対峙は、フォーラムの成功、挑戦国の撤退、戦争のいずれかで終わる。現実の対峙は武力行使に至らない"
            "威圧（海警、海上民兵、放水、人工島の建設）であり、スカボロー礁は譲歩に近い形で終わった。複数の領有権"
            "主張国（ベトナム、マレーシア、ブルネイ、台湾）やASEANの全会一致の必要性も含まれず、ARFは実際には"
            "信頼醸成を超えていない：フォーラムが対峙を沈静化する確率は可能性であって実績ではない。"
        ),
        "judgement_en": (
            "The forum's effectiveness is judgement set low on purpose: 0.05 without any confidence-building "
            "measures, 0.20 more from the Philippines' measures and 0.10 more from China's, of which only half "
            "counts without an alliance behind it (the abstract's claim that the alliance is the forum's "
            "insurance). The costs of the measures (0.02 each) and of a defused challenge to China (0.05), "
            "and all the other numbers, are teaching values; none is measured."
        ),
        "judgement_ja": (
            "フォーラムの有効性は判断であり、意図的に低くしてある：信頼醸成措置がなければ0.05、フィリピンの措置で"
            "0.20、中国の措置で0.10上がるが、同盟の裏付けがなければその半分しか効かない（同盟はフォーラムの保険で"
            "あるという要旨の主張）。措置のコスト（それぞれ0.02）と、挑戦が沈静化された場合の中国のコスト（0.05）、"
            "その他の数値はすべて教育用の値で、測定値ではない。"
        ),
        "teaching_note_en": (
            "Before the crisis Japan (the Philippines) adopts confidence-building measures and the Challenger "
            "(China) does not: its measures would only help defuse its own challenges. Theory then predicts a "
            "semi-separating equilibrium (E5): a resolute US commits, a non-resolute one bluffs with "
            "probability 17/58, and a commitment is challenged with probability 9/52. Without a US commitment "
            "the forum defuses only one stand-off in eight (one in four with the alliance behind it), and "
            "Japan, emboldened by the forum, fights alone in the others: war comes in about 39 % of rounds. "
            "A weak forum does not replace the alliance; it needs the alliance as its insurance."
        ),
        "teaching_note_ja": (
            "危機の前に日本（フィリピン）は信頼醸成措置をとり、挑戦国（中国）はとらない：その措置は自らの挑戦を"
            "沈静化させやすくするだけだからである。続く理論の予測は準分離均衡（E5）：決意の固い米国はコミットし、"
            "決意の弱い米国は確率17/58ではったりをかけ、コミットメントは確率9/52で挑戦される。米国のコミットメントが"
            "なければ、フォーラムが沈静化する対峙は8回に1回だけで（同盟の裏付けがあれば4回に1回）、残りでは"
            "フォーラムという後ろ盾を得た日本が単独で戦う：戦争はラウンドの約39%で起こる。弱いフォーラムは同盟に"
            "代わらない。同盟という保険を必要とする。"
        ),
        "questions_en": (
            "Why would China stay out of confidence-building measures that make stand-offs less dangerous?\n"
            "Did the 2019 US statement on the treaty make the forum more or less useful?"
        ),
        "questions_ja": (
            "対峙の危険を減らす信頼醸成措置に、中国はなぜ加わらないのか。\n"
            "2019年の条約に関する米国の表明は、フォーラムを役立つものにしたか、それとも役立たないものにしたか。"
        ),
    },
]

TEXT_FIELDS = (
    "name_en",
    "name_ja",
    "context_en",
    "context_ja",
    "omits_en",
    "omits_ja",
    "judgement_en",
    "judgement_ja",
    "teaching_note_en",
    "teaching_note_ja",
    "questions_en",
    "questions_ja",
)


def params_of(case: dict) -> dict:
    """The case's full parameter set: the model's defaults with the case's changes."""
    return {**BASE, **case["changes"]}


def add_cases(apps, schema_editor):
    Scenario = apps.get_model("games", "Scenario")
    for case in CASES:
        Scenario.objects.get_or_create(
            slug=case["slug"],
            defaults={
                **{field: case[field] for field in TEXT_FIELDS},
                "kind": "historical",
                "params": params_of(case),
                "decision_seconds": 90,
            },
        )


def remove_cases(apps, schema_editor):
    Scenario = apps.get_model("games", "Scenario")
    for case in CASES:
        # Only cases no class has used (classes and stages keep their scenario: PROTECT), still as created.
        Scenario.objects.filter(
            slug=case["slug"], name_en=case["name_en"], classes__isnull=True, stages__isnull=True
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("games", "0010_lecture_figures")]

    operations = [migrations.RunPython(add_cases, remove_cases)]
