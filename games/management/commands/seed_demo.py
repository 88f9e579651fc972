"""`manage.py seed_demo`: what `make run` needs to show the game: an instructor account (and, with live
play, a demo class). Served to the room (`make classroom`) the account gets a password of its own."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from games.instructor.demo import create_demo_class, join_url
from wargame.state import kept_secret

INSTRUCTOR_USERNAME = "instructor"
DEV_DEMO_PASSWORD = "crisis-table"
CLASSROOM_PASSWORD_FILE = "instructor_password"


def instructor_password() -> str:
    """DEMO_INSTRUCTOR_PASSWORD; else, served to the room (classroom mode), a random one made once and kept
    in the state directory (the development default is printed in the README: students could use it);
    else, with DEBUG on, the development default."""
    password = os.environ.get("DEMO_INSTRUCTOR_PASSWORD", "")
    if password:
        return password
    if settings.CLASSROOM:
        return kept_secret(settings.STATE_DIR, CLASSROOM_PASSWORD_FILE, nbytes=9)
    if not settings.DEBUG:
        raise CommandError("Set DEMO_INSTRUCTOR_PASSWORD: the default password is for development only.")
    return DEV_DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Ensure the demo instructor superuser (password: DEMO_INSTRUCTOR_PASSWORD, else in classroom mode "
        "one kept in STATE_DIR, else a dev default) and the demo class."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="where the server will answer, for the demo class's join link (default %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = instructor_password()
        user, created = get_user_model().objects.get_or_create(username=INSTRUCTOR_USERNAME)
        user.is_staff = True
        user.is_superuser = True
        user.is_active = True
        user.set_password(password)  # reset on every run so the printed login always works
        user.save()
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} instructor login: {INSTRUCTOR_USERNAME} / {password}")
        code = create_demo_class(user)
        if code:
            link = join_url(options["base_url"], code)
            self.stdout.write(f"Demo class code: {code}  (join: {link}; starts when the first student joins)")
