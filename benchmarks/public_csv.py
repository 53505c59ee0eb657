"""The CSV stream of every case, `GET /api/v1/public/cases/?format=csv` through the whole Django stack
(in-process client: the keys from a server-side cursor, each chunk's rows built by
public.api.case_rows, each cell escaped by SafeCsvWriter), against PostgreSQL's own
`COPY (<the rows' SELECT over every case>) TO STDOUT WITH CSV`, both read into a sink that counts them.

Each side runs in a fresh process so that its peak resident memory (ru_maxrss) is its own:

    DATABASE_URL=... python -m benchmarks.public_csv api|copy
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass


def stream_from_api() -> tuple[int, int]:
    """Every case as the API streams it: (rows, bytes)."""
    from django.test import Client

    response = Client().get("/api/v1/public/cases/", {"format": "csv"}, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, response.status_code
    lines = size = 0
    for piece in response.streaming_content:  # type: ignore[attr-defined]
        lines += piece.count(b"\n")
        size += len(piece)
    return lines - 1, size  # the synthetic record has no line break inside a cell


def stream_with_copy() -> tuple[int, int]:
    """The SELECT the rows are built from, over every case in the list's order, through COPY ... TO
    STDOUT: (rows, bytes)."""
    from django.db import connection

    from public import columns, selectors
    from public.api.case_rows import Execution, given, rows_queryset

    cases = selectors.public_cases()
    every = rows_queryset(cases, cases.values("pk"), table=columns.CASES, searched=False)
    sql, params = every.order_by("case_id", "pk").query.sql_with_params()
    run = Execution((), "", "")  # addresses need a request: the case id alone stands for each
    connection.ensure_connection()
    select = connection.ops.compose_sql(sql, given(params, run))  # type: ignore[attr-defined]
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
    rows, size = {"api": stream_from_api, "copy": stream_with_copy}[side]()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = Stream(side, rows, size, seconds, peak_mb)
    print(json.dumps(report.__dict__))


if __name__ == "__main__":
    main()
