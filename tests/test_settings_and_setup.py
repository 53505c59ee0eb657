"""Settings read from the environment: a deployable production profile and an embedded default.

Each check runs in a child process with only the variables it sets, as a fresh deployment would.
"""

from __future__ import annotations

import ast
import json
import secrets
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, RunManage, run_python

PRODUCTION = "config.settings.production"
PROJECT_PACKAGES = {"config", "rrm", "petitions", "remediation", "importer", "public", "pages"}
LOCAL = "config.settings.local"

SHOW_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
from config.celery_app import app
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "host": str(settings.DATABASES["default"]["HOST"]),
    "eager": app.conf.task_always_eager,
    "broker": app.conf.broker_url,
}))
"""


def production_env(**overrides: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "rrm.example.org",
        **overrides,
    }


@cache
def settings_under(settings_module: str = LOCAL, **env: str) -> dict[str, object]:
    completed = run_python(["-c", SHOW_SETTINGS], env={"DJANGO_SETTINGS_MODULE": settings_module, **env})
    assert completed.returncode == 0, completed.stderr
    shown: dict[str, object] = json.loads(completed.stdout)
    return shown


def test_it_passes_the_deploy_check_with_production_settings(run_manage: RunManage) -> None:
    completed = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = completed.stdout + completed.stderr
    findings = [line for line in output.splitlines() if "WARNING" in line or "?:" in line]
    assert (completed.returncode, findings) == (0, [])


@pytest.mark.parametrize(
    ("variable", "value", "complaint"),
    [
        ("DJANGO_SECRET_KEY", None, "Set the DJANGO_SECRET_KEY environment variable"),
        ("DJANGO_SECRET_KEY", "too-short", "DJANGO_SECRET_KEY must be at least 50"),
        ("DJANGO_ALLOWED_HOSTS", None, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_it_refuses_to_start_production_without_a_usable_secret_key_and_allowed_hosts(
    run_manage: RunManage, variable: str, value: str | None, complaint: str
) -> None:
    env = {
        name: setting
        for name, setting in {**production_env(), variable: value}.items()
        if setting is not None
    }
    completed = run_manage("check", env=env)
    assert completed.returncode != 0 and complaint in completed.stderr


def test_it_has_a_migration_for_every_model_change(run_manage: RunManage) -> None:
    completed = run_manage(
        "makemigrations", "--check", "--dry-run", env={"DJANGO_SETTINGS_MODULE": "config.settings.test"}
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def imported_modules(source: Path) -> set[str]:
    nodes = list(ast.walk(ast.parse(source.read_text(encoding="utf-8"))))
    imported = {alias.name for node in nodes if isinstance(node, ast.Import) for alias in node.names}
    return imported | {node.module or "" for node in nodes if isinstance(node, ast.ImportFrom)}


def test_it_keeps_every_migration_free_of_the_projects_live_modules() -> None:
    """A migration that loaded a live module (a seed, a model's constant) would change when it changes."""
    live_imports = {
        (str(migration.relative_to(PROJECT_ROOT)), module)
        for migration in PROJECT_ROOT.glob("*/migrations/0*.py")
        for module in imported_modules(migration)
        if module.split(".")[0] in PROJECT_PACKAGES
    }
    assert live_imports == set()


def test_it_uses_the_embedded_postgresql_server_in_var_when_no_database_is_configured() -> None:
    shown = settings_under()
    assert (shown["engine"], shown["name"], shown["host"]) == (
        "config.embedded_db",
        "rrm",
        str(PROJECT_ROOT / "var" / "pg"),
    )


def test_it_runs_the_tests_on_an_embedded_server_outside_var_when_no_database_is_configured() -> None:
    shown = settings_under("config.settings.test")
    assert shown["engine"] == "config.embedded_db"
    assert not Path(str(shown["host"])).is_relative_to(PROJECT_ROOT / "var")


def test_it_runs_tasks_in_process_when_no_broker_is_configured() -> None:
    assert settings_under()["eager"] is True


def test_it_uses_postgresql_when_database_url_names_it() -> None:
    shown = settings_under(DATABASE_URL="postgres://rrm:secret@db.internal:5432/rrm")
    assert shown["engine"] == "django.db.backends.postgresql"


def test_it_sends_tasks_to_redis_when_a_broker_is_configured() -> None:
    shown = settings_under(CELERY_BROKER_URL="redis://cache.internal:6379/0")
    assert (shown["eager"], shown["broker"]) == (False, "redis://cache.internal:6379/0")


@pytest.mark.parametrize("settings_module", [LOCAL, PRODUCTION, "config.settings.test"])
def test_it_keeps_requests_atomic_in_every_environment(settings_module: str) -> None:
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ATOMIC_REQUESTS'])"
    )
    completed = run_python(
        ["-c", script], env={**production_env(), "DJANGO_SETTINGS_MODULE": settings_module}
    )
    assert completed.stdout.strip() == "True", completed.stderr
