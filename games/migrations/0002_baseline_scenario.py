"""Data migration: the `baseline` scenario (crisis-model.md Example 1, the spec's default parameters).

The values are written out here, not taken from the engine, so that this migration means the same thing
forever; tests/test_scenario_model.py checks they equal `Params()` today.
"""

from django.db import migrations

BASELINE_PARAMS = {
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

BASELINE = {
    "name_en": "Baseline: defence pact",
    "name_ja": "基準シナリオ：防衛条約",
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
    "decision_seconds": 90,
}


def create_baseline(apps, schema_editor):
    Scenario = apps.get_model("games", "Scenario")
    Scenario.objects.update_or_create(slug="baseline", defaults={**BASELINE, "params": BASELINE_PARAMS})


def remove_baseline(apps, schema_editor):
    apps.get_model("games", "Scenario").objects.filter(slug="baseline").delete()


class Migration(migrations.Migration):
    dependencies = [("games", "0001_initial")]

    operations = [migrations.RunPython(create_baseline, remove_baseline)]
