"""Hardening in the process: CSRF on session writes, the admin login's lockout, the CSP on every answer.

A live production server (test_production_service.py) checks what only production sends (HSTS, secure
cookies) and the lockout of the API's logins; the deploy check is in tests/test_settings_and_setup.py.
"""

from __future__ import annotations

import json
import secrets

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from rrm.models import CaseWatch, WebhookEndpoint
from tests.api.world import PASSWORD, make_officer, make_user
from tests.conftest import run_python
from tests.factories import CaseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"


def csrf_token_of(client: Client) -> str:
    response = client.get("/api/v1/auth/session/")
    assert response.status_code == 200
    return str(response.cookies["csrftoken"].value)


def test_it_refuses_a_session_write_without_the_csrf_token() -> None:
    officer = make_officer()
    case = CaseFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)

    refused = browser.post(f"/api/v1/cases/{case.case_id}/watch/")

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not CaseWatch.objects.filter(user=officer).exists()


def test_it_accepts_the_same_session_write_with_the_csrf_token() -> None:
    officer = make_officer()
    case = CaseFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)
    token = csrf_token_of(browser)

    accepted = browser.post(f"/api/v1/cases/{case.case_id}/watch/", HTTP_X_CSRFTOKEN=token)

    assert accepted.status_code == 201


def test_it_refuses_a_session_login_without_the_csrf_token() -> None:
    make_user("ana")
    browser = Client(enforce_csrf_checks=True)

    refused = browser.post(
        "/api/v1/auth/session/", {"username": "ana", "password": PASSWORD}, content_type="application/json"
    )

    assert refused.status_code == 403
    assert "_auth_user_id" not in browser.session


def test_it_locks_out_the_sign_in_after_repeated_failures_even_with_the_right_password() -> None:
    make_user("clerk", is_staff=True)
    browser = Client(REMOTE_ADDR=ATTACKER)

    def attempt(password: str) -> int:
        answer = browser.post(
            reverse("accounts:login"), {"username": "clerk", "password": password, "next": "/admin/"}
        )
        return answer.status_code

    failures = [attempt("wrong-guess") for _ in range(settings.AXES_FAILURE_LIMIT - 1)]
    locking = attempt("wrong-guess")
    with_right_password = attempt(PASSWORD)

    assert failures == [400] * (settings.AXES_FAILURE_LIMIT - 1)  # the form again, with its error
    assert (locking, with_right_password) == (429, 429)
    assert "_auth_user_id" not in browser.session


@pytest.mark.parametrize("path", ["pages:home", "/api/v1/public/cases/", "accounts:login", "/healthz"])
def test_it_sends_a_content_security_policy_that_allows_only_this_site(path: str) -> None:
    answer = Client().get(path if path.startswith("/") else reverse(path))
    policy = dict(
        directive.strip().split(" ", 1) for directive in answer["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Referrer-Policy"] == "same-origin"


SHOW_SECRETS = """
import json, re
import django
django.setup()
from django.conf import settings

SECRET_NAME = re.compile(r"(^|_)(PASSWORD|SECRET|SECRET_KEY|SECRET_KEY_FALLBACKS|TOKEN|API_KEY)$")
URL_WITH_PASSWORD = re.compile(r"://[^/@:]*:[^/@]+@")

def secrets(name, value, found):
    if isinstance(value, dict):
        for key, inner in value.items():
            secrets(f"{name}.{key}", inner, found)
    elif SECRET_NAME.search(name.rsplit(".", 1)[-1].upper()) and value not in (None, "", [], ()):
        found[name] = value if isinstance(value, str | list) else repr(value)
    elif isinstance(value, str) and URL_WITH_PASSWORD.search(str(value)):
        found[name] = str(value)
    return found

found = {}
for name in dir(settings):
    if name.isupper():
        secrets(name, getattr(settings, name), found)
print(json.dumps(found))
"""


def production_secrets(env: dict[str, str]) -> dict[str, object]:
    completed = run_python(
        ["-c", SHOW_SECRETS], env={"DJANGO_SETTINGS_MODULE": "config.settings.production", **env}
    )
    assert completed.returncode == 0, completed.stderr
    shown: dict[str, object] = json.loads(completed.stdout)
    return shown


def test_it_reads_no_default_secret_in_production() -> None:
    key = secrets.token_urlsafe(50)

    shown = production_secrets({"DJANGO_SECRET_KEY": key, "DJANGO_ALLOWED_HOSTS": "rrm.example.org"})

    # The only secret is the one given; every other password, token and key is empty without a variable.
    assert shown == {"SECRET_KEY": key}


def test_it_takes_every_secret_from_its_environment_variable_in_production() -> None:
    key, old_key = secrets.token_urlsafe(50), secrets.token_urlsafe(50)
    env = {
        "DJANGO_SECRET_KEY": key,
        "DJANGO_SECRET_KEY_FALLBACKS": old_key,
        "DJANGO_ALLOWED_HOSTS": "rrm.example.org",
        "DATABASE_URL": "postgres://rrm:db-password-from-env@db.internal:5432/rrm",
        "EMAIL_URL": "smtp+tls://mailer:mail-password-from-env@smtp.example.org:587",
        "CELERY_BROKER_URL": "redis://:broker-password-from-env@redis.internal:6379/0",
    }

    shown = production_secrets(env)

    assert shown == {
        "SECRET_KEY": key,
        "SECRET_KEY_FALLBACKS": [old_key],
        "DATABASES.default.PASSWORD": "db-password-from-env",
        "DATABASES.logins.PASSWORD": "db-password-from-env",
        "EMAIL_HOST_PASSWORD": "mail-password-from-env",
        "EMAIL_CONFIG.EMAIL_HOST_PASSWORD": "mail-password-from-env",
        "CELERY_BROKER_URL": env["CELERY_BROKER_URL"],
    }


def test_it_answers_400_not_500_to_a_nul_character_the_database_cannot_store() -> None:
    member = make_user("member")
    organisation = OrganisationFactory()
    organisation.members.add(member)
    api = APIClient()
    api.force_authenticate(member)

    answer = api.post(
        "/api/v1/webhooks/",
        {"url": "https://hooks.example.org/x", "organisation": organisation.pk, "cases": ["bad\x00id"]},
        format="json",
    )

    assert answer.status_code == 400
    assert "NUL character" in answer.json()["detail"]
    assert not WebhookEndpoint.objects.exists()


def test_it_answers_400_not_500_to_a_time_zone_offset_postgresql_cannot_compare() -> None:
    answer = Client().get("/api/v1/public/corrections/", {"updated_since": "2024-07-18T04:24:02+18:11"})

    assert answer.status_code == 400
    assert "time zone offset" in answer.json()["detail"]
