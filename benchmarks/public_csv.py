"""The CSV stream of every case: the export's writer (public.export: the registry's columns read in chunks
from a server-side cursor, each cell escaped by SafeCsvWriter) against PostgreSQL's own
`COPY (<the same SELECT>) TO STDOUT WITH CSV`, both written to a sink that counts the bytes.

Each side runs in a fresh process so that its peak resident memory (ru_maxrss) is its own:

    DATABASE_URL=... python -m benchmarks.public_csv writer|copy
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any, TextIO, cast


class Sink:
    """A file that keeps nothing: it counts what is written."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, text: str) -> int:
        self.bytes += len(text.encode())
        return len(text)


def cases_table() -> Any:
    from public import export

    return next(table for table in export.tables() if table.name == "cases")


def stream_with_writer() -> tuple[int, int]:
    """The cases CSV as the export writes it: (rows, bytes)."""
    from public.export import plain
    from public.spreadsheet import SafeCsvWriter

    table = cases_table()
    sink = Sink()
    writer = SafeCsvWriter(cast(TextIO, sink))  # csv.writer needs only write()
    writer.writerow(column.name for column in table.columns)
    rows = 0
    for row in table.rows():
        writer.writerow(tuple(plain(value) for value in row))
        rows += 1
    return rows, sink.bytes


def stream_with_copy() -> tuple[int, int]:
    """The same SELECT through COPY ... TO STDOUT: (rows, bytes)."""
    from django.db import connection

    table = cases_table()
    sql, params = (
        table.queryset().values_list(*(column.path for column in table.columns)).query.sql_with_params()
    )
    connection.ensure_connection()
    select = connection.ops.compose_sql(sql, params)  # type: ignore[attr-defined]
    size = 0
    with connection.connection.cursor() as cursor:  # type: ignore[union-attr]
        with cursor.copy(f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for block in copy:
                size += len(block)
        rows = max(cursor.rowcount, 0)
    return rows, size


@dataclass(frozen=True)
class Stream:
    side: str
    rows: int
    bytes: int
    seconds: float
    peak_mb: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds


def measure(side: str) -> Stream:
    """Run one side in a fresh process and read its report."""
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.public_csv", side],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    ).stdout
    return Stream(**json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    import django

    side = sys.argv[1]
    django.setup()
    started = time.perf_counter()
    rows, size = {"writer": stream_with_writer, "copy": stream_with_copy}[side]()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = Stream(side, rows, size, seconds, peak_mb)
    print(json.dumps(report.__dict__))


if __name__ == "__main__":
    main()
