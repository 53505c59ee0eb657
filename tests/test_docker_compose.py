"""The production-like stack (docker-compose.yml, the Dockerfile, .env.example) against what the settings
need; no Docker engine runs on the machines that test."""

from __future__ import annotations

import http.server
import json
import re
import secrets
import subprocess
import sys
import threading
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.conftest import PROJECT_ROOT, run_python

APP_SERVICES = ("migrate", "web", "worker", "beat")
PRODUCTION = "config.settings.production"
# Variables of the postgres image, not of the settings.
POSTGRES_IMAGE_VARIABLES = {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"}
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY$")
CREDENTIALS_IN_URL = re.compile(r"://[^/@\s:]+:[^/@\s]+@")
SETTINGS_VARIABLE = re.compile(r"env(?:\.\w+)?\(\s*\"([A-Z0-9_]+)\"")

SHOW_SERVICE_ADDRESSES = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "database": settings.DATABASES["default"]["HOST"],
    "cache": settings.CACHES["default"]["LOCATION"],
    "broker": settings.CELERY_BROKER_URL,
}))
"""


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    loaded: dict[str, Any] = compose["services"]
    return loaded


def env_example() -> dict[str, str]:
    lines = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {name.strip(): value.strip() for name, value in pairs}


def variables_the_settings_read() -> set[str]:
    sources = [*(PROJECT_ROOT / "config" / "settings").glob("*.py"), PROJECT_ROOT / "config" / "database.py"]
    return {
        name for source in sources for name in SETTINGS_VARIABLE.findall(source.read_text(encoding="utf-8"))
    }


def command_of(service: dict[str, Any]) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_it_points_the_production_settings_of_the_stack_at_its_own_postgresql_and_redis(
    services: dict[str, Any],
) -> None:
    environment = {
        **env_example(),
        **services["web"]["environment"],
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "DJANGO_ENV_FILE": "/dev/null",
    }
    completed = run_python(["-c", SHOW_SERVICE_ADDRESSES], env=environment)
    assert completed.returncode == 0, completed.stderr
    addresses = json.loads(completed.stdout)
    hosts = {
        "database": addresses["database"],
        "cache": urlsplit(addresses["cache"]).hostname,
        "broker": urlsplit(addresses["broker"]).hostname,
    }
    assert hosts == {"database": "postgres", "cache": "redis", "broker": "redis"}
    assert {"postgres", "redis"} <= set(services)


def test_it_passes_only_variables_the_settings_read(services: dict[str, Any]) -> None:
    passed = {name for service in APP_SERVICES for name in services[service]["environment"]}
    unread = (passed | set(env_example())) - POSTGRES_IMAGE_VARIABLES - {"DJANGO_SETTINGS_MODULE"}
    assert unread - variables_the_settings_read() == set()


@pytest.mark.parametrize(
    ("service", "command"),
    [
        ("migrate", "python manage.py migrate --noinput"),
        ("web", "gunicorn config.wsgi:application"),
        ("worker", "celery -A config worker"),
        ("beat", "celery -A config beat"),
    ],
)
def test_it_runs_each_process_with_production_settings(
    services: dict[str, Any], service: str, command: str
) -> None:
    assert command_of(services[service]).startswith(command)
    assert services[service]["environment"]["DJANGO_SETTINGS_MODULE"] == PRODUCTION


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_it_starts_the_app_only_once_its_servers_are_healthy_and_the_migrations_succeeded(
    services: dict[str, Any], service: str
) -> None:
    depends = dict(services[service]["depends_on"])
    assert depends.pop("migrate") == {"condition": "service_completed_successfully"}
    assert {name: condition["condition"] for name, condition in depends.items()} == {
        name: "service_healthy" for name in depends
    }
    assert "redis" in depends


def test_it_writes_no_secret_into_the_compose_file_and_leaves_the_templates_secrets_empty(
    services: dict[str, Any],
) -> None:
    secrets_set_here = [
        name
        for service in services.values()
        for name in service.get("environment", {})
        if SECRET_NAME.search(name)
    ]
    compose_text = (PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    example = env_example()
    assert (secrets_set_here, CREDENTIALS_IN_URL.findall(compose_text)) == ([], [])
    assert (example["DJANGO_SECRET_KEY"], example["POSTGRES_PASSWORD"]) == ("", "")


def test_it_runs_the_image_as_a_user_other_than_root_without_local_secrets() -> None:
    instructions = [line.split(None, 1) for line in (PROJECT_ROOT / "Dockerfile").read_text().splitlines()]
    users = [words[1].strip() for words in instructions if len(words) == 2 and words[0] == "USER"]
    ignored = (PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert users and users[-1] not in ("root", "0")
    assert {".env", ".env.*", ".venv", "var"} <= set(ignored)


class HealthStub(http.server.BaseHTTPRequestHandler):
    status = 200
    seen: list[tuple[str | None, str | None]] = []

    def do_GET(self) -> None:
        HealthStub.seen.append((self.headers.get("Host"), self.headers.get("X-Forwarded-Proto")))
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


def run_healthcheck(status: int) -> tuple[int, list[tuple[str | None, str | None]]]:
    HealthStub.status = status
    HealthStub.seen = []
    server = http.server.HTTPServer(("127.0.0.1", 0), HealthStub)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        completed = subprocess.run(
            [sys.executable, str(PROJECT_ROOT / "bin" / "healthcheck")],
            env={
                "RRM_HEALTHCHECK_URL": f"http://127.0.0.1:{server.server_port}/healthz",
                "DJANGO_ALLOWED_HOSTS": "rrm.example.org,localhost",
            },
            capture_output=True,
            timeout=30,
            check=False,
        )
    finally:
        thread.join(timeout=10)
        server.server_close()
    return completed.returncode, HealthStub.seen


def test_it_reports_the_container_healthy_when_the_health_endpoint_answers_200() -> None:
    assert run_healthcheck(200) == (0, [("rrm.example.org", "https")])


def test_it_reports_the_container_unhealthy_when_the_health_endpoint_answers_503() -> None:
    assert run_healthcheck(503)[0] == 1
