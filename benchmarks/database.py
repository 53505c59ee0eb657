"""The benchmarks' own PostgreSQL database: named by DATABASE_URL, created for a run and dropped after it."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import environ
import psycopg
from psycopg import sql


def database_settings() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"DATABASE_URL must name a PostgreSQL database for the benchmark, got {url!r}.")
    return environ.Env.db_url_config(url)


def maintenance_connection(db: dict[str, Any]) -> psycopg.Connection[Any]:
    return psycopg.connect(
        dbname="postgres",
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        autocommit=True,
    )


def database_exists(db: dict[str, Any]) -> bool:
    with maintenance_connection(db) as admin:
        return (
            admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone() is not None
        )


def create_database(db: dict[str, Any], *, if_it_exists: str) -> None:
    """`if_it_exists`: what the user may do instead, said when the database is already there."""
    if database_exists(db):
        sys.exit(f"Database {db['NAME']} already exists; {if_it_exists}.")
    with maintenance_connection(db) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))


def drop_database(db: dict[str, Any]) -> None:
    with maintenance_connection(db) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(db["NAME"])))


def run_sql(statement: str, params: Sequence[Any] = ()) -> int:
    """Run one statement on Django's connection; the rows it touched."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, list(params) if params else None)
        return int(cursor.rowcount)


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A Markdown table, columns as wide as their widest cell."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    print(f"\n{title}\n")
    for number, row in enumerate([header, *rows]):
        print(
            "| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"
        )
        if number == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
