"""Data migration: ready scenarios for Module D's worked examples D1-D4 (crisis-model.md §9.8).

Each scenario stores its parameters exactly (as `Params(...).as_dict(exact=True)` writes them, written out
here so that this migration means the same thing forever) with a teaching note in English and Japanese that
says what it shows and what theory predicts: the stage-0 choices ("Predicted stage 0: Japan cbm, Challenger
no_cbm"), the selected equilibrium (E1-E5) and the path. tests/test_module_d_library.py checks every note
against the solver. A scenario an instructor already made with one of these slugs is left alone.
"""

from django.db import migrations

# The spec defaults with Module D switched on (Example D1 of §9.8), as Params(arf=True).as_dict(exact=True).
D1 = {
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
    "arf": True,
    "phi0": "0",
    "dphi1": "1/2",
    "dphiC": "1/5",
    "psi": "1/2",
    "kappa1": "1/50",
    "kappaC": "1/50",
    "betaD": "1/20",
}

EXAMPLES = [
    {
        "slug": "arf-d1-both-build-confidence",
        "changes": {},
        "name_en": "ARF D1: both sides build confidence (Module D)",
        "name_ja": "ARF D1：双方による信頼醸成（モジュールD）",
        "teaching_note_en": (
            "The spec's Example D1 (§9.8), Module D at its defaults. Predicted stage 0: Japan cbm, Challenger "
            "cbm. The Challenger reciprocates as a wedge: its measures make an unbacked Japan resist, so the "
            "non-resolute US stops bluffing. Theory then predicts E1, a separating equilibrium: a resolute US "
            "allies and is not challenged (probability 1/2); a non-resolute US does not ally, Japan resists "
            "alone, and preventive diplomacy defuses the stand-off (7/40) or Japan fights alone (13/40). "
            "Ask: the US's workload vanishes, but who now carries the war risk?"
        ),
        "teaching_note_ja": (
            "仕様書の例D1（§9.8）、モジュールDの既定値。予測される第0段階：日本 cbm、挑戦国 cbm。挑戦国の措置は"
            "くさびとして働く：同盟の裏付けのない日本も抵抗するようになり、決意の弱い米国は同盟を装わなくなる。"
            "理論の予測はE1（分離均衡）：決意の固い米国は同盟を結び挑戦されない（確率1/2）。決意の弱い米国は"
            "同盟を結ばず、日本は単独で抵抗し、予防外交が対立を収める（7/40）か日本が単独で戦う（13/40）。"
            "問い：米国の負担は消えたが、戦争のリスクは今や誰が負うのか。"
        ),
    },
    {
        "slug": "arf-d2-forum-replaces-alliance",
        "changes": {"dphi1": "7/10", "betaD": "1/10", "psi": "1"},
        "name_en": "ARF D2: an effective forum makes the alliance unnecessary",
        "name_ja": "ARF D2：有効なフォーラムが同盟を不要にする",
        "teaching_note_en": (
            "The spec's Example D2 (§9.8): Japan's confidence-building measures are very effective "
            "(Δφ1 = 0.7), a defused challenge costs the Challenger 0.10, and the ARF works as well without an "
            "alliance (ψ = 1). Predicted stage 0: Japan cbm, Challenger no_cbm. Theory then predicts E3 with "
            "general deterrence: nobody allies and the Challenger does not challenge, deterred by US "
            "reputation together with the ARF (path: status quo with probability 1). Ask: when can "
            "cooperative security replace an alliance?"
        ),
        "teaching_note_ja": (
            "仕様書の例D2（§9.8）：日本の信頼醸成措置は非常に効果的で（Δφ1 = 0.7）、収められた挑戦は挑戦国に"
            "0.10のコストを課し、ARFは同盟がなくても同じように働く（ψ = 1）。予測される第0段階：日本 cbm、"
            "挑戦国 no_cbm。理論の予測はE3（同盟なしで一般抑止が成立）：誰も同盟を結ばず、米国の評判とARFが"
            "合わさって挑戦国を抑止する（経路：確率1で現状維持）。問い：協調的安全保障が同盟に代わりうるのは"
            "どのようなときか。"
        ),
    },
    {
        "slug": "arf-d3-forum-needs-alliance",
        "changes": {"dphi1": "7/10", "betaD": "1/10", "psi": "0"},
        "name_en": "ARF D3: the forum works only with the alliance behind it",
        "name_ja": "ARF D3：同盟の裏付けがあって初めて働くフォーラム",
        "teaching_note_en": (
            "The spec's Example D3 (§9.8): as D2, but without an alliance the ARF has no traction (ψ = 0). "
            "Predicted stage 0: Japan cbm, Challenger no_cbm. Theory then predicts E2, pooling on alliance: "
            "both US types ally, so the alliance reveals nothing, yet the Challenger is deterred because the "
            "treaty switches the ARF to full strength (path: alliance and status quo with probability 1). "
            "Neither layer deters alone. Ask: in what sense is the alliance the ARF's insurance?"
        ),
        "teaching_note_ja": (
            "仕様書の例D3（§9.8）：D2と同じだが、同盟がなければARFは効力をもたない（ψ = 0）。予測される第0段階："
            "日本 cbm、挑戦国 no_cbm。理論の予測はE2（同盟への一括均衡）：どちらのタイプの米国も同盟を結ぶので"
            "同盟は何も明かさないが、条約がARFを完全に機能させるため挑戦国は抑止される（経路：確率1で同盟と"
            "現状維持）。どちらの層も単独では抑止しない。問い：同盟はどのような意味でARFの保険なのか。"
        ),
    },
    {
        "slug": "arf-d4-tripwire-wedge",
        "changes": {"tripwire": True},
        "name_en": "ARF D4: tripwire, the wedge threat and Japan's pre-emptive measures",
        "name_ja": "ARF D4：トリップワイヤー、くさびの脅威と日本の先制的措置",
        "teaching_note_en": (
            "The spec's Example D4 (§9.8): US forces in Japan (tripwire) plus the default ARF. If Japan stayed "
            "passive, the Challenger's own measures would make an unbacked Japan resist, and the non-resolute "
            "US would stop paying for the tripwire. Predicted stage 0: Japan cbm, Challenger no_cbm. Theory "
            "then predicts E1, a separating equilibrium: a resolute US allies and is not challenged (1/2); "
            "a non-resolute US does not ally, the stand-off is defused (1/8) or Japan fights alone (3/8). "
            "Ask: how can cooperative security let a non-committed ally pass the buck?"
        ),
        "teaching_note_ja": (
            "仕様書の例D4（§9.8）：米軍の日本駐留（トリップワイヤー）と既定値のARF。日本が何もしなければ、挑戦国"
            "自身の措置が同盟の裏付けのない日本を抵抗させ、決意の弱い米国はトリップワイヤーの費用を払わなくなる。"
            "予測される第0段階：日本 cbm、挑戦国 no_cbm。理論の予測はE1（分離均衡）：決意の固い米国は同盟を結び"
            "挑戦されない（1/2）。決意の弱い米国は同盟を結ばず、対立は収められる（1/8）か日本が単独で戦う"
            "（3/8）。問い：協調的安全保障は、なぜ関与の弱い同盟国に責任転嫁を許しうるのか。"
        ),
    },
]


def add_examples(apps, schema_editor):
    Scenario = apps.get_model("games", "Scenario")
    for entry in EXAMPLES:
        fields = {key: value for key, value in entry.items() if key not in ("slug", "changes")}
        Scenario.objects.get_or_create(
            slug=entry["slug"],
            defaults={**fields, "params": {**D1, **entry["changes"]}, "decision_seconds": 90},
        )


def remove_examples(apps, schema_editor):
    Scenario = apps.get_model("games", "Scenario")
    for entry in EXAMPLES:
        # Only scenarios no class has used (classes keep their scenario: PROTECT) and still as created.
        Scenario.objects.filter(slug=entry["slug"], name_en=entry["name_en"], classes__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("games", "0004_scenario_library")]

    operations = [migrations.RunPython(add_examples, remove_examples)]
