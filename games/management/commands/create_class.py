"""`manage.py create_class --scenario <slug> [--rounds N] [--code CODE] [--autostart N]
[--then SLUG@ROUND ...]` (DESIGN.md).

Prints the join code, alone on standard output (so `CODE=$(manage.py create_class ...)` works); a line
for people goes to standard error. With `--autostart N` the class starts by itself once N students have
joined and moves from round to round by itself, so it runs with no instructor at the controls. Each
`--then SLUG@ROUND` switches the class to another scenario from that round on (a treatment within one
class: `ClassStage`); add `--keep-reputation` to carry each group's reputation over the switches.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from games.crisis.bots import STRATEGIES
from games.crisis.params import InvalidParams
from games.models import ClassSession, Scenario
from games.play import services
from games.vocabulary import join_code

RULE = f"{join_code.MIN_LENGTH}-{join_code.MAX_LENGTH} letters and digits"


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def non_negative(value: str) -> float:
    number = float(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Open a class on a scenario and print its join code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scenario", required=True, help="the scenario's slug, e.g. baseline")
        parser.add_argument("--rounds", type=positive, default=3, help="number of rounds (default 3)")
        parser.add_argument("--code", help=f"a join code of your choice ({RULE})")
        parser.add_argument(
            "--autostart",
            type=positive,
            metavar="N",
            help="start by itself once N students have joined, and run round after round",
        )
        parser.add_argument(
            "--matching",
            choices=ClassSession.Matching.values,
            default=ClassSession.Matching.FIXED_ROTATING,
            help="fixed groups whose roles rotate (default), or new random groups every round",
        )
        parser.add_argument(
            "--decision-seconds",
            type=positive,
            metavar="S",
            help="seconds per decision (default: the scenario's)",
        )
        parser.add_argument(
            "--result-seconds",
            type=int,
            metavar="S",
            help="seconds each round's result is shown before the next round (default 10)",
        )
        parser.add_argument(
            "--grace-seconds",
            type=int,
            metavar="S",
            help="seconds before a dropped student's turn is played by a stand-in bot",
        )
        parser.add_argument(
            "--no-bots",
            action="store_true",
            help="do not fill empty seats with bots (students left over wait a round)",
        )
        parser.add_argument("--bot-strategy", choices=STRATEGIES, help="how seat-filling bots play")
        parser.add_argument("--bot-seconds", type=non_negative, metavar="S", help="bots' thinking time")
        parser.add_argument("--max-students", type=positive, metavar="N", help="refuse joins beyond N")
        parser.add_argument(
            "--then",
            action="append",
            default=[],
            metavar="SLUG@ROUND",
            help="from round ROUND (2..rounds) on, play scenario SLUG; repeat for more switches, in order",
        )
        parser.add_argument(
            "--keep-reputation",
            action="store_true",
            help="carry each group's reputation over the switches (default: it restarts at each new "
            "scenario's prior and the US's type is drawn again)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scenario = Scenario.objects.filter(slug=options["scenario"]).first()
        if scenario is None:
            known = ", ".join(Scenario.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No scenario with slug {options['scenario']!r} (known: {known}).")
        code = self.clean_code(options["code"])
        stages = self.stages(options["then"], fresh=not options["keep_reputation"])
        try:
            class_session = services.create_class(
                scenario,
                rounds=options["rounds"],
                code=code,
                autostart=options["autostart"],
                stages=stages,
                **self.class_options(options),
            )
        except InvalidParams as exc:
            raise CommandError(f"Scenario {scenario.slug!r} has invalid parameters: {exc}") from exc
        except ValidationError as exc:
            with translation.override("en"):  # the operator's messages, whatever language is active
                message = describe(exc)
            raise CommandError(message) from exc
        self.stdout.write(class_session.code)
        if options["verbosity"] >= 1:
            self.stderr.write(summary(class_session))

    @staticmethod
    def stages(specs: list[str], *, fresh: bool) -> list[services.StageSpec]:
        """`--then SLUG@ROUND` options as switches (the service checks the rounds and the parameters)."""
        out = []
        for spec in specs:
            slug, at, number = spec.rpartition("@")[0], "@" in spec, spec.rpartition("@")[2]
            if not at or not slug or not number.isdigit():
                raise CommandError(f"--then takes SLUG@ROUND, e.g. tripwire@4, not {spec!r}.")
            scenario = Scenario.objects.filter(slug=slug).first()
            if scenario is None:
                known = ", ".join(Scenario.objects.values_list("slug", flat=True)) or "none"
                raise CommandError(f"--then {spec}: no scenario with slug {slug!r} (known: {known}).")
            out.append(services.StageSpec(scenario, int(number), fresh_reputation=fresh))
        return out

    @staticmethod
    def clean_code(raw: str | None) -> str | None:
        if raw is None:
            return None
        code = join_code.normalise(raw)
        if not join_code.is_valid(code):
            raise CommandError(f"A join code is {RULE}, not {raw!r}.")
        if ClassSession.objects.filter(code=code).exists():
            raise CommandError(f"A class with code {code} already exists.")
        return code

    @staticmethod
    def class_options(options: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"matching": options["matching"], "bots_fill": not options["no_bots"]}
        names = {
            "decision_seconds": "decision_seconds",
            "result_seconds": "result_seconds",
            "grace_seconds": "grace_seconds",
            "bot_strategy": "bot_strategy",
            "bot_seconds": "bot_seconds",
            "max_students": "max_students",
        }
        out.update({field: options[key] for key, field in names.items() if options[key] is not None})
        return out


def describe(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
    return " ".join(exc.messages)


def summary(class_session: ClassSession) -> str:
    if class_session.autostart:
        who = "1 student has" if class_session.autostart == 1 else f"{class_session.autostart} students have"
        start = f"starts by itself once {who} joined"
    else:
        start = f"start it with: manage.py start_class {class_session.code}"
    bots = "bots fill empty seats" if class_session.bots_fill else "no bots"
    switches = "".join(
        f", then {stage.scenario.slug} from round {stage.first_round}"
        + ("" if stage.fresh_reputation else " (reputation carried over)")
        for stage in class_session.stages.select_related("scenario")
    )
    return (
        f"Class {class_session.code}: scenario {class_session.scenario.slug}{switches}, "
        f"{class_session.rounds} round(s), {class_session.matching}, "
        f"{class_session.decision_seconds}s per decision, {bots}; {start}."
    )
