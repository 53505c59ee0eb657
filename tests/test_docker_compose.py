"""The production-like stack, checked by structure: no Docker engine runs on the machines that test."""

from __future__ import annotations

import http.server
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")
ENV_FILE = ".env.production"
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY$")
CREDENTIALS_IN_URL = re.compile(r"://[^/@\s:]+:[^/@\s]+@")


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    loaded: dict[str, Any] = compose["services"]
    return loaded


def command_of(service: dict[str, Any]) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def all_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from all_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_strings(item)


def test_it_defines_the_whole_stack(services: dict[str, Any]) -> None:
    assert set(services) == {"postgres", "redis", *APP_SERVICES}


def test_it_gives_every_service_an_image_or_a_build(services: dict[str, Any]) -> None:
    assert [
        name for name, service in services.items() if "image" not in service and "build" not in service
    ] == []


def test_it_pins_the_major_versions_of_postgresql_and_redis(services: dict[str, Any]) -> None:
    assert (services["postgres"]["image"], services["redis"]["image"]) == ("postgres:16", "redis:7")


@pytest.mark.parametrize(("service", "probe"), [("postgres", "pg_isready"), ("redis", "redis-cli ping")])
def test_it_checks_the_health_of_the_servers(services: dict[str, Any], service: str, probe: str) -> None:
    assert probe in " ".join(services[service]["healthcheck"]["test"])


def test_it_checks_the_health_of_the_web_process_through_its_health_endpoint(
    services: dict[str, Any],
) -> None:
    assert services["web"]["healthcheck"]["test"] == ["CMD", "python", "bin/healthcheck"]


@pytest.mark.parametrize("service", ["web", "worker"])
def test_it_starts_the_app_once_postgresql_and_redis_are_healthy(
    services: dict[str, Any], service: str
) -> None:
    depends = services[service]["depends_on"]
    assert (depends["postgres"]["condition"], depends["redis"]["condition"]) == (
        "service_healthy",
        "service_healthy",
    )


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_it_starts_the_app_only_after_migrations_succeeded(services: dict[str, Any], service: str) -> None:
    assert services[service]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_it_migrates_once_postgresql_is_healthy(services: dict[str, Any]) -> None:
    migrate = services["migrate"]
    assert (command_of(migrate), migrate["depends_on"]["postgres"]["condition"], migrate["restart"]) == (
        "python manage.py migrate --noinput",
        "service_healthy",
        "no",
    )


@pytest.mark.parametrize(
    ("service", "command"),
    [
        ("web", "gunicorn config.wsgi:application"),
        ("worker", "celery -A config worker"),
        ("beat", "celery -A config beat"),
    ],
)
def test_it_runs_each_process_with_its_command(services: dict[str, Any], service: str, command: str) -> None:
    assert command_of(services[service]).startswith(command)


@pytest.mark.parametrize("service", APP_SERVICES)
def test_it_runs_the_app_with_production_settings(services: dict[str, Any], service: str) -> None:
    assert services[service]["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"


@pytest.mark.parametrize("service", ["postgres", *APP_SERVICES])
def test_it_reads_configuration_from_the_env_file(services: dict[str, Any], service: str) -> None:
    assert services[service]["env_file"] == ENV_FILE


@pytest.mark.parametrize("service", ["postgres", "redis", *APP_SERVICES])
def test_it_writes_no_secret_into_the_compose_file(services: dict[str, Any], service: str) -> None:
    environment = services[service].get("environment", {})
    secrets_set_here = [name for name in environment if SECRET_NAME.search(name)]
    credentials = [text for text in all_strings(services[service]) if CREDENTIALS_IN_URL.search(text)]
    assert (secrets_set_here, credentials) == ([], [])


def test_it_keeps_postgresql_data_and_media_in_named_volumes(services: dict[str, Any]) -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    mounts = [services["postgres"]["volumes"][0].split(":")[0], services["web"]["volumes"][0].split(":")[0]]
    assert [mount for mount in mounts if mount not in compose["volumes"]] == []


def env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {name.strip(): value.strip() for name, value in pairs}


def test_it_documents_every_variable_production_requires_in_the_env_template() -> None:
    required = {
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "POSTGRES_PASSWORD",
        "POSTGRES_USER",
    }
    assert required - set(env_example()) == set()


def test_it_leaves_the_secrets_of_the_env_template_empty() -> None:
    example = env_example()
    assert (example["DJANGO_SECRET_KEY"], example["POSTGRES_PASSWORD"]) == ("", "")


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_it_builds_from_python_3_11_slim() -> None:
    assert dockerfile_instructions()[0] == ("FROM", "python:3.11-slim")


def test_it_runs_the_image_as_a_user_other_than_root() -> None:
    users = [argument for instruction, argument in dockerfile_instructions() if instruction == "USER"]
    assert users and users[-1] not in ("root", "0")


def test_it_installs_the_project_and_collects_static_files_in_the_image() -> None:
    runs = " ".join(argument for instruction, argument in dockerfile_instructions() if instruction == "RUN")
    assert "pip install ." in runs and "manage.py collectstatic --noinput" in runs


def test_it_keeps_local_secrets_and_the_venv_out_of_the_image() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
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
            [sys.executable, str(ROOT / "bin" / "healthcheck")],
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
