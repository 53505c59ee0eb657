"""What the service publishes about the clocks: the public API's deadlines and the export's deadlines
table, each row as the recount's fields."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from rest_framework.test import APIClient

from public.export import write_export
from tests.realcases.recount import Clock

Key = tuple[str, str, str]  # case, rule code, start date


def key_of(clock: Clock) -> Key:
    return (clock.case_id, clock.rule, clock.start_date.isoformat())


def recounted_row(clock: Clock) -> dict[str, Any]:
    return {
        "due_date": clock.due_date.isoformat(),
        "verdict": clock.verdict,
        "satisfied_on": clock.satisfied_on.isoformat() if clock.satisfied_on else None,
        "days_late": clock.days_late,
        "days_late_is_minimum": clock.days_late_is_minimum,
    }


def api_deadline_rows(api: APIClient) -> list[dict[str, Any]]:
    """Every row of /api/v1/public/deadlines/, page after page, as the API gives it."""
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        response = api.get("/api/v1/public/deadlines/", {"page_size": 1000, "page": page})
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        rows.extend(body["results"])
        if not body.get("next"):
            return rows
        page += 1


def api_key(row: dict[str, Any]) -> Key:
    return (row["case"], row["rule"]["code"], row["start_date"])


def api_deadlines(api: APIClient) -> dict[Key, dict[str, Any]]:
    return {
        api_key(row): {
            name: row[name]
            for name in ("due_date", "verdict", "satisfied_on", "days_late", "days_late_is_minimum")
        }
        for row in api_deadline_rows(api)
    }


def export_deadlines(directory: Path) -> dict[Key, dict[str, Any]]:
    write_export(directory)
    with (directory / "deadlines.csv").open(encoding="utf-8", newline="") as handle:
        return {
            (row["case_id"], row["rule"], row["start_date"]): {
                "due_date": row["due_date"],
                "verdict": row["verdict"],
                "satisfied_on": row["satisfied_on"] or None,
                "days_late": int(row["days_late"]) if row["days_late"] else None,
                "days_late_is_minimum": row["days_late_is_minimum"] in ("1", "true", "True"),
            }
            for row in csv.DictReader(handle)
        }
