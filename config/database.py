"""The DATABASES setting: the PostgreSQL that DATABASE_URL names, or the embedded server in a folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import environ

EMBEDDED_ENGINE = "config.embedded_db"
# The embedded server's superuser and database (config/embedded_db/server.py); the port number only names
# its socket file (.s.PGSQL.5432): it listens on no TCP address.
EMBEDDED_USER = "postgres"
EMBEDDED_DATABASE = "rrm"
EMBEDDED_SOCKET_PORT = 5432
# Django's alias through which django-axes writes (config.security.LoginAttemptsRouter).
LOGINS_ALIAS = "logins"
# Executions of one statement after which psycopg prepares it (on a cursor that binds on the server).
PREPARE_THRESHOLD = 1


def embedded_database(root: Path, server_settings: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The embedded server of `root`: reached through its Unix socket there, started on first connection."""
    return {
        "ENGINE": EMBEDDED_ENGINE,
        "NAME": EMBEDDED_DATABASE,
        "USER": EMBEDDED_USER,
        "PASSWORD": "",
        "HOST": str(root),
        "PORT": str(EMBEDDED_SOCKET_PORT),
        "SERVER_SETTINGS": dict(server_settings or {}),
    }


def database(
    url: str, *, embedded_root: Path, conn_max_age: int, server_settings: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The default alias: the PostgreSQL that `url` names, or else the embedded server of `embedded_root`."""
    default = environ.Env.db_url_config(url) if url else embedded_database(embedded_root, server_settings)
    default.update(ATOMIC_REQUESTS=True, CONN_MAX_AGE=conn_max_age, CONN_HEALTH_CHECKS=True)
    # psycopg prepares the statements a server-bound cursor asks it to (public.api.case_rows); Django's
    # own cursors bind on the client and are never prepared.
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "prepare_threshold": PREPARE_THRESHOLD}
    return default


def databases(
    env: environ.Env,
    *,
    embedded_root: Path,
    server_settings: Mapping[str, str] | None = None,
    logins_alias: bool = True,
) -> dict[str, dict[str, Any]]:
    """DATABASES: the default alias from DATABASE_URL and DATABASE_CONN_MAX_AGE, and the `logins` alias.

    A failed API login answers 400, which rolls back the request's transaction (ATOMIC_REQUESTS) and the
    failure django-axes recorded with it; so axes writes through a connection of its own, outside the
    request's transaction, to the same database. The tests go without it (config/settings/test.py).
    """
    default = database(
        env("DATABASE_URL", default=""),
        embedded_root=embedded_root,
        conn_max_age=env.int("DATABASE_CONN_MAX_AGE", default=60),
        server_settings=server_settings,
    )
    if not logins_alias:
        return {"default": default}
    logins = {**default, "ATOMIC_REQUESTS": False, "TEST": {"MIRROR": "default"}}
    return {"default": default, LOGINS_ALIAS: logins}
