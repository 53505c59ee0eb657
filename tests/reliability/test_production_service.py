"""A production server (gunicorn, config.settings.production) on its own PostgreSQL, as a TLS proxy
would reach it: what only production sends (HSTS, secure cookies) and the lockout of the API's logins.

The proxy is emulated: every request says `X-Forwarded-Proto: https` and carries the caller's address
in `X-Forwarded-For` (one trusted proxy), so that each test's callers have addresses of their own.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse

from tests.reliability.services import PrivatePostgres
from tests.reliability.stack import (
    Answer,
    LiveServer,
    gunicorn,
    production_environment,
    run_manage,
    run_script,
)

pytestmark = pytest.mark.slow

PASSWORD = "a long and correct passphrase"
FAILURE_LIMIT = 3
COOLOFF_MINUTES = 15
USERS = ("clerk", "script-user", "browser-user", "target", "bystander")
_addresses = (f"198.51.100.{number}" for number in itertools.count(1))


@dataclass
class Caller:
    """One client behind the proxy: its own address, its own cookies."""

    server: LiveServer
    address: str
    cookies: dict[str, str]

    def request(self, method: str, path: str, **kwargs: object) -> Answer:
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Referer": f"https://127.0.0.1:{self.server.port}/",
            "Origin": f"https://127.0.0.1:{self.server.port}",
            **kwargs.pop("headers", {}),  # type: ignore[dict-item]
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        answer = self.server.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]
        for name, header in answer.cookies().items():
            self.cookies[name] = header.split(";", 1)[0].split("=", 1)[1]
        return answer

    def csrf_headers(self) -> dict[str, str]:
        if "csrftoken" not in self.cookies:
            self.request("GET", "/accounts/sign-in/")  # the sign-in form hands out the CSRF cookie
        return {"X-CSRFToken": self.cookies["csrftoken"]}

    def log_in(self, username: str) -> Answer:
        """Open a session as one of the USERS, the way the browser does."""
        return self.request(
            "POST",
            "/api/v1/auth/session/",
            body={"username": username, "password": PASSWORD},
            headers=self.csrf_headers(),
        )


@pytest.fixture(scope="module")
def server(
    migrated_cluster: PrivatePostgres, collected_static: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    workdir: Path = tmp_path_factory.mktemp("production")
    with migrated_cluster.copy() as postgres:
        env = production_environment(postgres=postgres, workdir=workdir)
        env.update(
            RRM_TRUSTED_PROXIES="1",
            RRM_LOGIN_FAILURE_LIMIT=str(FAILURE_LIMIT),
            RRM_LOGIN_COOLOFF_MINUTES=str(COOLOFF_MINUTES),
        )
        run_manage("import_cases", "data/cases.csv", env=env)
        run_script(
            "from django.contrib.auth.models import User\n"
            f"for name in {USERS!r}:\n"
            f"    User.objects.create_user(name, password={PASSWORD!r}, is_staff=name == 'clerk')\n"
            "print(json.dumps(True))",
            env=env,
        )
        live = gunicorn(env=env, workdir=workdir).start()
        try:
            yield live
        finally:
            live.stop()


def caller(server: LiveServer) -> Caller:
    return Caller(server, next(_addresses), {})


@pytest.mark.parametrize(
    "path", ["pages:home", "pages:statistics", "/accounts/sign-in/", "/api/v1/public/cases/", "/healthz"]
)
def test_it_sends_hsts_and_the_other_security_headers_over_https(server: LiveServer, path: str) -> None:
    # A page's address carries its language: the view name is reversed.
    answer = caller(server).request("GET", path if path.startswith("/") else reverse(path))

    assert answer.status == 200
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "same-origin"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def cookie_attributes(header: str) -> set[str]:
    return {part.strip().lower() for part in header.split(";")[1:]}


def test_it_sets_session_csrf_and_language_cookies_secure_and_same_site(server: LiveServer) -> None:
    browser = caller(server)
    login = browser.log_in("browser-user")
    # Logging in rotates the CSRF token: the next write sends the new one.
    language = browser.request(
        "POST", "/i18n/setlang/", form={"language": "es", "next": "/"}, headers=browser.csrf_headers()
    )

    assert login.status == 200, login.body
    session = cookie_attributes(login.cookies()["sessionid"])
    assert {"secure", "httponly", "samesite=lax", "max-age=28800"} <= session
    sign_in_page = caller(server).request("GET", "/accounts/sign-in/")
    csrf_cookie = cookie_attributes(sign_in_page.cookies()["csrftoken"])
    assert {"secure", "samesite=lax"} <= csrf_cookie
    assert language.status == 302
    assert {"secure", "httponly", "samesite=lax"} <= cookie_attributes(language.cookies()["django_language"])


def test_it_refuses_a_session_write_without_the_csrf_token_in_production(server: LiveServer) -> None:
    browser = caller(server)
    login = browser.log_in("browser-user")
    assert login.status == 200

    refused = browser.request("POST", "/api/v1/cases/watch-anything/watch/")
    # Logging in rotated the CSRF token: csrf_headers() reads the new cookie.
    allowed_through_csrf = browser.request(
        "POST", "/api/v1/cases/watch-anything/watch/", headers=browser.csrf_headers()
    )

    assert refused.status == 403 and "CSRF" in refused.json()["detail"]
    assert allowed_through_csrf.status == 404  # past the CSRF check: the case does not exist


def test_it_locks_out_the_token_endpoint_with_429_and_retry_after(server: LiveServer) -> None:
    attacker = caller(server)

    def attempt(password: str) -> Answer:
        return attacker.request(
            "POST", "/api/v1/auth/token/", body={"username": "script-user", "password": password}
        )

    failures = [attempt("wrong-guess").status for _ in range(FAILURE_LIMIT - 1)]
    locking = attempt("wrong-guess")
    with_right_password = attempt(PASSWORD)

    assert failures == [400] * (FAILURE_LIMIT - 1)
    assert (locking.status, with_right_password.status) == (429, 429)
    assert with_right_password.json() == {
        "detail": f"Too many failed logins from this address: try again in {COOLOFF_MINUTES} minutes."
    }
    assert with_right_password.headers["Retry-After"] == str(COOLOFF_MINUTES * 60)


def test_it_does_not_lock_an_account_out_for_failures_from_other_addresses(server: LiveServer) -> None:
    for _ in range(FAILURE_LIMIT):
        caller(server).request(
            "POST", "/api/v1/auth/token/", body={"username": "target", "password": "wrong"}
        )

    owner = caller(server).request(
        "POST", "/api/v1/auth/token/", body={"username": "target", "password": PASSWORD}
    )
    bystander = caller(server).request(
        "POST", "/api/v1/auth/token/", body={"username": "bystander", "password": PASSWORD}
    )

    assert owner.status == 200 and set(owner.json()) == {"token", "expiry"}
    assert bystander.status == 200 and set(bystander.json()) == {"token", "expiry"}


def test_it_locks_out_the_sign_in_in_production(server: LiveServer) -> None:
    attacker = caller(server)
    csrf = attacker.csrf_headers()

    def attempt(password: str) -> Answer:
        form = {
            "username": "clerk",
            "password": password,
            "next": "/admin/",
            **{"csrfmiddlewaretoken": csrf["X-CSRFToken"]},
        }
        return attacker.request("POST", "/accounts/sign-in/", form=form, headers={"Accept": "text/html"})

    statuses = [attempt("wrong-guess").status for _ in range(FAILURE_LIMIT)]
    right = attempt(PASSWORD)

    assert statuses == [400] * (FAILURE_LIMIT - 1) + [429]  # a refused form answers 400
    assert right.status == 429 and b"Too many failed logins" in right.body
    assert "sessionid" not in attacker.cookies


CHROMIUM = "/usr/bin/chromium"
VIOLATIONS_JS = """() => {
  window.__violations = [];
  document.addEventListener("securitypolicyviolation",
    event => window.__violations.push(event.violatedDirective + " " + event.blockedURI));
}"""
PAINTED_CHARTS_JS = """() => Array.from(document.querySelectorAll("canvas[data-chart]")).filter(canvas => {
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) return true; }
  return false;
}).length"""


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_it_runs_the_pages_and_their_charts_under_the_content_security_policy(server: LiveServer) -> None:
    from playwright.sync_api import sync_playwright

    violations: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            for path in ("/", "/cases/", "/statistics/", "/accounts/sign-in/"):
                page = browser.new_page(extra_http_headers={"X-Forwarded-Proto": "https"})
                page.add_init_script(f"({VIOLATIONS_JS})()")
                errors[path] = []
                # Script errors, and any resource the page needs that failed (the browser's own
                # /favicon.ico request aside: the site has none).
                page.on("pageerror", lambda error, seen=errors[path]: seen.append(str(error)))
                page.on(
                    "response",
                    lambda answer, seen=errors[path]: (
                        answer.status >= 400
                        and not answer.url.endswith("/favicon.ico")
                        and seen.append(f"{answer.status} {answer.url}")
                    ),
                )
                response = page.goto(server.url + path)
                assert response is not None and response.status == 200, path
                page.wait_for_load_state("networkidle")
                violations[path] = page.evaluate("window.__violations")
                if path == "/statistics/":
                    charts = page.evaluate(PAINTED_CHARTS_JS)
                page.close()
        finally:
            browser.close()

    assert violations == {path: [] for path in violations}
    assert errors == {path: [] for path in errors}
    assert charts >= 4  # every chart of the statistics page drawn by Chart.js from a static file
