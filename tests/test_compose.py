"""The production stack (docker-compose.yml, Dockerfile, deploy/Caddyfile) keeps its promises.

There is no Docker engine where the tests run, so the files are read as YAML and text: every
long-running service restarts by itself and has a health check, the application waits for healthy
backing services, Redis never evicts and keeps its queues across a restart, several ASGI processes and
workers run behind the proxy (one beat), only the proxy is published, backups are taken, the containers
run read-only and unprivileged, and every `$` is one Compose understands.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING = ("postgres", "redis", "web", "worker", "beat", "backup", "proxy")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


def command_of(service: dict[str, Any]) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def test_the_stack_has_every_part(services: dict[str, Any]) -> None:
    assert set(LONG_RUNNING) | {"migrate"} <= set(services)


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_every_long_running_service_restarts_and_has_a_health_check(
    services: dict[str, Any], name: str
) -> None:
    service = services[name]
    assert service.get("restart") in {"unless-stopped", "always"}, name
    check = service.get("healthcheck")
    assert check and check.get("test") and check["test"][0] in {"CMD", "CMD-SHELL"}, name
    assert not check.get("disable"), name
    for key in ("interval", "timeout"):
        assert re.fullmatch(r"\d+(ms|s|m|h)", str(check[key])), (name, key)


def test_the_migration_runs_once_before_the_application(services: dict[str, Any]) -> None:
    assert services["migrate"]["restart"] == "no"
    assert "migrate" in command_of(services["migrate"])
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_application_runs_the_production_settings_with_required_secrets(services: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "wargame.settings_production"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), "SECRET_KEY must be required, not defaulted"
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379/")


def test_the_application_containers_are_read_only_and_unprivileged(services: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        service = services[name]
        assert service.get("read_only") is True, name
        assert "/tmp" in service.get("tmpfs", []), name
        assert "no-new-privileges:true" in service.get("security_opt", []), name
        assert service.get("cap_drop") == ["ALL"], name
        assert "privileged" not in service and "ports" not in service, name
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M), "the image must not run as root"
    assert "PYTHONDONTWRITEBYTECODE=1" in dockerfile  # nothing to write on a read-only root


def test_redis_never_evicts_and_keeps_the_broker_queues_across_a_restart(services: dict[str, Any]) -> None:
    redis = command_of(services["redis"])
    assert "--maxmemory-policy noeviction" in redis
    assert "--appendonly yes" in redis and "--appendfsync everysec" in redis
    assert any(str(volume).endswith(":/data") for volume in services["redis"]["volumes"])


def test_several_asgi_processes_and_workers_and_exactly_one_beat(services: dict[str, Any]) -> None:
    assert services["web"]["deploy"]["replicas"] >= 2
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    worker = command_of(services["worker"])
    assert "celery -A wargame worker" in worker and "--concurrency" in worker
    assert "celery -A wargame beat" in command_of(services["beat"])
    beat_check = services["beat"]["healthcheck"]["test"][1]  # the schedule file is rewritten every minute
    assert "celerybeat-schedule" in beat_check and "-mmin" in beat_check


def test_only_the_proxy_is_published_and_it_reaches_every_web_replica(services: dict[str, Any]) -> None:
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert {"80:80", "443:443"} <= set(services["proxy"]["ports"])
    assert services["web"]["expose"] == ["8000"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert re.search(r"dynamic a web 8000", caddyfile), "Caddy must find every `web` replica"
    dockerfile = (ROOT / "Dockerfile").read_text()
    for flag in ('"--proxy-headers"', '"--ws-max-size", "65536"', '"--lifespan", "on"'):
        assert flag in dockerfile, flag


def test_the_database_is_backed_up_and_kept_on_volumes(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    backup = services["backup"]
    script = command_of(backup)
    assert "pg_dump --format=custom" in script and "pg_restore --list" in script  # each dump is checked
    assert "-mtime +" in script  # old dumps are pruned
    assert backup["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "backups:/backups" in backup["volumes"]
    assert {"postgres-data", "redis-data", "backups", "caddy-data"} <= set(compose["volumes"])
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]


def test_every_dollar_is_compose_interpolation_or_escaped() -> None:
    """Compose replaces `$NAME` and `${...}`; a shell variable inside a command must be written `$$`."""
    text = (ROOT / "docker-compose.yml").read_text()
    lone = [m.start() for m in re.finditer(r"(?<!\$)\$(?![\${])", text.replace("$$", ""))]
    assert not lone, [text.replace("$$", "")[i - 30 : i + 30] for i in lone]
    for match in re.finditer(r"\$\{([^}]*)\}", text.replace("$$", "")):
        assert re.fullmatch(r"[A-Z_][A-Z0-9_]*(:?[-?][^}]*)?", match.group(1)), match.group(0)


def test_logs_are_rotated(services: dict[str, Any]) -> None:
    for name in LONG_RUNNING:
        logging = services[name].get("logging", {})
        assert logging.get("driver") == "json-file" and logging["options"]["max-size"], name
