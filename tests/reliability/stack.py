"""The service as it runs in production, as child processes: gunicorn, a Celery worker, manage.py.

Each process gets only the variables a test sets (production settings, a private PostgreSQL and
Redis), runs in its own process group and logs to a file of the test; stop() ends only that group.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from tests.reliability.services import PrivatePostgres, PrivateRedis, free_port, wait_until

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
HTTP_TIMEOUT_SECONDS = 30
# Variables the settings read: a child process gets none of the caller's, only those a test sets.
SETTINGS_PREFIXES = ("DJANGO_", "RRM_", "CELERY_", "DATABASE_", "PUBLIC_")
SETTINGS_NAMES = ("CACHE_URL", "EMAIL_URL")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to look at (e.g. the admin's login form after success), not to follow."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def clean_environment(overrides: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without any settings variable (nor the .env file), plus `overrides`.

    Importable without Django set up, unlike tests.conftest, so that benchmarks/load.py can use it.
    """
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(SETTINGS_PREFIXES) and name not in SETTINGS_NAMES
    }
    return {**kept, "DJANGO_ENV_FILE": os.devnull, **overrides}


def production_environment(
    *, postgres: PrivatePostgres, workdir: Path, redis: PrivateRedis | None = None, database: str = "rrm"
) -> dict[str, str]:
    """Variables of config.settings.production for a service on the private servers, over plain HTTP."""
    media, export, mail = workdir / "media", workdir / "export", workdir / "mail"
    for directory in (media, export, mail):
        directory.mkdir(parents=True, exist_ok=True)
    variables = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Loopback has no TLS proxy in front: the redirect to https is off, the rest of production stays.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": postgres.url(database),
        "DJANGO_MEDIA_ROOT": str(media),
        "PUBLIC_EXPORT_ROOT": str(export),
        # django-environ drops the first slash of the path: four slashes for an absolute one.
        "EMAIL_URL": f"filemail:///{mail}",
        "DJANGO_LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        # The tests' webhook receivers listen on loopback.
        "RRM_WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",
    }
    if redis is not None:
        variables["CELERY_BROKER_URL"] = redis.url(0)
        variables["CACHE_URL"] = redis.url(1)
    return clean_environment(variables)


def run_python(
    arguments: list[str], *, env: Mapping[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Python in a child process with only the given settings variables set."""
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=PROJECT_ROOT,
        env=clean_environment(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_manage(*arguments: str, env: Mapping[str, str], timeout: float = 300) -> str:
    finished = run_python(["manage.py", *arguments], env=env, timeout=timeout)
    if finished.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(arguments)} failed:\n{finished.stdout}\n{finished.stderr}")
    return finished.stdout


def run_script(code: str, *, env: Mapping[str, str], timeout: float = 120) -> Any:
    """Run Python with Django set up in the service's environment; it prints one JSON document."""
    prelude = "import django, json\ndjango.setup()\n"
    finished = run_python(["-c", prelude + code], env=env, timeout=timeout)
    if finished.returncode != 0:
        raise AssertionError(f"script failed:\n{code}\n{finished.stderr}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


@dataclass
class ChildProcess:
    """One command in its own process group, logging to a file."""

    command: list[str]
    env: Mapping[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                self.command,
                cwd=PROJECT_ROOT,
                env=dict(self.env),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        assert self.process is not None, "not started"
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def children(self) -> list[int]:
        """Process ids of the direct children (a prefork pool's workers, gunicorn's workers)."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def gunicorn(*, env: Mapping[str, str], workdir: Path, workers: int = 2, threads: int = 1) -> LiveServer:
    port = free_port()
    child = ChildProcess(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--graceful-timeout=5",
            "--timeout=60",
        ],
        env=env,
        log=workdir / f"gunicorn-{port}.log",
    )
    return LiveServer(child=child, port=port)


@dataclass
class Answer:
    status: int
    body: bytes
    headers: Message

    def json(self) -> Any:
        return json.loads(self.body)

    def cookies(self) -> dict[str, str]:
        """Each Set-Cookie header by cookie name, with its attributes as sent."""
        return {
            header.split("=", 1)[0].strip(): header for header in self.headers.get_all("Set-Cookie") or []
        }


@dataclass
class LiveServer:
    child: ChildProcess
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self.child.start()
        wait_until(self._healthy, what=f"gunicorn on port {self.port} (log: {self.child.log})")
        return self

    def _healthy(self) -> bool:
        if self.child.process is not None and self.child.process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{self.child.output()}")
        try:
            return self.request("GET", "/healthz").status == 200
        except OSError:
            return False

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: Any = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = HTTP_TIMEOUT_SECONDS,
    ) -> Answer:
        sent = {"Accept": "application/json", **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if token:
            sent["Authorization"] = f"Token {token}"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=sent)
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                return Answer(response.status, response.read(), response.headers)
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read(), error.headers)

    def stop(self) -> None:
        self.child.stop()


def celery_worker(*, env: Mapping[str, str], workdir: Path, concurrency: int = 1) -> ChildProcess:
    name = f"worker-{uuid.uuid4().hex[:8]}"
    child = ChildProcess(
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--loglevel=INFO",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            f"--hostname={name}@%h",
        ],
        env=env,
        log=workdir / f"{name}.log",
    )
    child.start()
    wait_until(lambda: " ready." in child.output(), what=f"the Celery worker (log: {child.log})")
    return child
