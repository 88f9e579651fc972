"""The lecture's figures (crisis-model.md §1.4, §7) as rows the instructor may correct and cite: each
starts as the lecture slides give it, not yet checked against its source."""

from django.db import migrations

FIGURES = [
    ("defence_pact", -0.28, "Leeds 2003, as given on the lecture slides: a defence pact lowers attacks on "
     "the protected state by 28 %."),
    ("defence_share", 0.48, "Lecture slides: defence pacts are 48 % of all alliances (a COW v4.1 tabulation "
     "in public course material gives 49.5 % 'primarily defensive')."),
    ("reliability", 0.80, "Lecture slides: 20 % of alliance commitments to intervene were broken (Leeds, "
     "Long & Mitchell 2000 find 74.5 % reliable)."),
    ("offensive", 0.47, "Leeds 2003, as given on the lecture slides: an offensive alliance raises its "
     "members' attacks on others by 47 %."),
    ("neutrality", 0.57, "Leeds 2003, as given on the lecture slides: members of a neutrality pact are "
     "57 % more likely to attack others."),
]  # fmt: skip


def seed(apps, schema_editor):
    figure = apps.get_model("games", "LectureFigure")
    for key, value, citation in FIGURES:
        figure.objects.get_or_create(key=key, defaults={"value": value, "citation": citation})


class Migration(migrations.Migration):
    dependencies = [("games", "0009_course_cases_stages_figures_polls")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
