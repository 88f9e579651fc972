"""`manage.py check --deploy` is clean with the production settings (DESIGN.md "Reliability and security")."""

from __future__ import annotations

import secrets
from typing import Any

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "wargame.settings_production",
    "ALLOWED_HOSTS": "crisis.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://crisis.example.org",
}


def test_deploy_check_has_no_warnings(manage_py: Any) -> None:
    done = manage_py(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr


def test_production_refuses_to_start_without_a_secret_key(manage_py: Any) -> None:
    done = manage_py("check", env=PRODUCTION)
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr


def test_production_ignores_a_debug_flag(run_python: Any) -> None:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    done = run_python(
        "-c", code, env={**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "true"}
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
