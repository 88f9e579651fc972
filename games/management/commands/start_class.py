"""`manage.py start_class CODE`: group the students who joined, fill empty seats and start round 1."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from games.models import ClassSession, Round
from games.play import services
from games.vocabulary import join_code


class Command(BaseCommand):
    help = "Start a class that is waiting in its lobby."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the class's join code")

    def handle(self, *args: Any, **options: Any) -> None:
        code = join_code.normalise(options["code"])
        try:
            class_session = services.start_class(code)
        except ClassSession.DoesNotExist:
            raise CommandError(f"There is no class with code {code}.") from None
        except services.ServiceError as exc:
            raise CommandError(f"{code}: {exc.message}") from exc
        rounds = Round.objects.filter(class_session=class_session, number=class_session.current_round).count()
        students = class_session.participants.filter(is_bot=False).count()
        bots = class_session.participants.filter(is_bot=True).count()
        self.stdout.write(
            f"Started class {class_session.code}: round {class_session.current_round} of "
            f"{class_session.rounds}, {rounds} group(s), "
            f"{students} student(s) and {bots} bot(s)."
        )
