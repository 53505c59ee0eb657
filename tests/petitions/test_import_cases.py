"""`import_cases PATH`: loads cases.csv-format files, idempotently, or rejects them whole."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Model

from petitions.importing import COLUMNS, STAGE_OF_OUTCOME, open_stage, parse_text, progress_step
from petitions.models import Petition, Petitioner
from remediation.models import MexicoReview, Panel, RemediationPlan
from rrm.choices import EventKind, Initiation, MexicanState, Outcome, PrioritySubsector, Sector, Stage
from rrm.models import Case, Company, Facility, Organisation, TimelineEvent
from rrm.selectors import effective_events
from tests.factories import CaseFactory

SHIPPED_CASES = Path(__file__).resolve().parents[2] / "data" / "cases.csv"
SNAPSHOT_MODELS: tuple[type[Model], ...] = (
    Company,
    Facility,
    Organisation,
    Case,
    TimelineEvent,
    Petition,
    Petitioner,
    MexicoReview,
    RemediationPlan,
    Panel,
    Case.history.model,  # type: ignore[attr-defined]
    Facility.history.model,  # type: ignore[attr-defined]
)

Row = dict[str, str]


def shipped_rows() -> list[Row]:
    with SHIPPED_CASES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rows_with_valid_changes() -> list[Row]:
    """The shipped rows with one case edited and one case added, both valid: any partial write shows."""
    rows = edited(shipped_rows(), "us-mx-2021-tridonex", notes="A valid change that must not be written.")
    new_case = {column: "" for column in COLUMNS} | {
        "case_id": "us-mx-2026-new-plant",
        "facility_name": "New plant",
        "company": "New company S.A. de C.V.",
        "state": "Puebla",
        "outcome": "open",
        "annex": "31-A",
    }
    return [*rows, new_case]


def write_rows(path: Path, rows: list[Row], columns: tuple[str, ...] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def edited(rows: list[Row], target: str, **cells: str) -> list[Row]:
    """A copy of the rows in which the row of case `target` has the given cells."""
    return [{**row, **cells} if row["case_id"] == target else dict(row) for row in rows]


def line_of(rows: list[Row], case_id: str) -> int:
    """File line of a case in a file written by write_rows (no cell spans two lines): header is line 1."""
    return next(index for index, row in enumerate(rows, start=2) if row["case_id"] == case_id)


def run_import(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cases", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_rejected_import(path: Path) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_cases", str(path), stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def snapshot() -> dict[str, list[dict[str, Any]]]:
    return {model.__name__: list(model._default_manager.order_by("pk").values()) for model in SNAPSHOT_MODELS}


@pytest.fixture
def imported(db: None) -> list[Row]:
    """The shipped file, imported once; returns its rows."""
    run_import(SHIPPED_CASES)
    return shipped_rows()


@pytest.fixture
def rejects_without_change(imported: list[Row]) -> Callable[[Path], str]:
    """Import a bad file on top of the good data; assert it fails and leaves every row as it was."""

    def check(path: Path) -> str:
        before = snapshot()
        counts = {name: len(rows) for name, rows in before.items()}
        err = run_rejected_import(path)
        after = snapshot()
        assert {name: len(rows) for name, rows in after.items()} == counts
        assert after == before
        return err

    return check


# ---------------------------------------------------------------------------------------------------
# Loading and idempotence


def test_it_loads_every_row_of_the_shipped_file(db: None) -> None:
    rows = shipped_rows()

    out, _ = run_import(SHIPPED_CASES)

    assert Case.objects.count() == len(rows)
    assert set(Case.objects.values_list("case_id", flat=True)) == {row["case_id"] for row in rows}
    assert f"cases: {len(rows)} created, 0 updated, 0 unchanged" in out


def test_it_changes_nothing_on_a_second_run(imported: list[Row]) -> None:
    before = snapshot()

    out, _ = run_import(SHIPPED_CASES)

    assert f"cases: 0 created, 0 updated, {len(imported)} unchanged" in out
    assert "timeline events: 0 written" in out
    assert snapshot() == before


def test_it_updates_a_changed_row_and_corrects_its_timeline(imported: list[Row], tmp_path: Path) -> None:
    old_request = TimelineEvent.objects.get(
        case__case_id="us-mx-2021-tridonex", kind=EventKind.REQUEST_FOR_REVIEW
    )
    rows = edited(imported, "us-mx-2021-tridonex", ilc_request_for_review_date="2021-06-10")

    out, _ = run_import(write_rows(tmp_path / "cases.csv", rows))

    case = Case.objects.get(case_id="us-mx-2021-tridonex")
    assert f"cases: 0 created, 1 updated, {len(rows) - 1} unchanged" in out
    assert case.request_for_review_on == dt.date(2021, 6, 10)
    assert case.liquidation_suspended_on == dt.date(2021, 6, 10)
    new_request = TimelineEvent.objects.get(
        case=case, kind=EventKind.REQUEST_FOR_REVIEW, corrects=old_request
    )
    assert new_request.occurred_on == dt.date(2021, 6, 10)
    assert new_request.source_note == f"import: cases.csv line {line_of(rows, case.case_id)}"
    current = [(event.kind, event.occurred_on) for event in effective_events(case=case)]
    assert (EventKind.REQUEST_FOR_REVIEW, dt.date(2021, 6, 10)) in current
    assert (EventKind.REQUEST_FOR_REVIEW, dt.date(2021, 6, 9)) not in current
    assert TimelineEvent.objects.filter(pk=old_request.pk).exists()


def test_it_retracts_a_date_that_became_blank(imported: list[Row], tmp_path: Path) -> None:
    announced = TimelineEvent.objects.get(
        case__case_id="us-mx-2021-tridonex", kind=EventKind.OUTCOME_ANNOUNCED
    )
    rows = edited(imported, "us-mx-2021-tridonex", outcome_date="")

    run_import(write_rows(tmp_path / "cases.csv", rows))

    retraction = TimelineEvent.objects.get(corrects=announced)
    assert (retraction.kind, retraction.data) == (EventKind.CORRECTION, {"retracted": True})
    case = Case.objects.get(case_id="us-mx-2021-tridonex")
    assert case.outcome_date is None
    assert EventKind.OUTCOME_ANNOUNCED not in {event.kind for event in effective_events(case=case)}


def test_it_corrects_mexico_answer_when_the_response_changes(imported: list[Row], tmp_path: Path) -> None:
    accepted = TimelineEvent.objects.get(case__case_id="us-mx-2022-vu-1", kind=EventKind.MEXICO_ACCEPTED)
    rows = edited(imported, "us-mx-2022-vu-1", mexico_response="declined review")

    run_import(write_rows(tmp_path / "cases.csv", rows))

    declined = TimelineEvent.objects.get(corrects=accepted)
    assert (declined.kind, declined.occurred_on) == (EventKind.MEXICO_DECLINED, accepted.occurred_on)
    assert (
        MexicoReview.objects.get(case__case_id="us-mx-2022-vu-1").response == MexicoReview.Response.DECLINED
    )


# ---------------------------------------------------------------------------------------------------
# What a row becomes


def test_it_shares_one_facility_between_the_cases_of_a_plant(imported: list[Row]) -> None:
    first = Case.objects.get(case_id="us-mx-2022-vu-1")
    second = Case.objects.get(case_id="us-mx-2023-vu-2")

    assert first.facility_id == second.facility_id
    assert first.facility.headcount == 400
    assert Facility.objects.count() == len(
        {(row["company"].lower(), row["facility_name"].lower()) for row in imported}
    )


def test_it_records_a_petition_with_its_petitioners_in_order(imported: list[Row]) -> None:
    petition = Petition.objects.get(case__case_id="us-mx-2021-tridonex")

    petitioners = list(petition.petitioners.order_by("pk").values_list("organisation__name", "role"))

    assert petition.status == Petition.Status.SUBMITTED
    assert petition.received_on == dt.date(2021, 5, 10)
    assert petitioners == [
        ("AFL-CIO", Petitioner.Role.LEAD),
        ("SEIU", Petitioner.Role.CO),
        ("Public Citizen Global Trade Watch", Petitioner.Role.CO),
        ("SNITIS (Movimiento 20/32)", Petitioner.Role.CO),
    ]
    assert set(Organisation.objects.values_list("kind", "country")) == {(Organisation.Kind.UNKNOWN, "")}


def test_it_keeps_self_initiated_cases_without_a_petition(imported: list[Row]) -> None:
    case = Case.objects.get(case_id="us-mx-2021-gm-silao")

    assert case.initiation == Initiation.SELF_INITIATED
    assert case.petition_received_on is None
    assert not Petition.objects.filter(case=case).exists()


def test_it_writes_the_review_stages_and_their_events(imported: list[Row]) -> None:
    case = Case.objects.get(case_id="us-mx-2023-san-martin-mine")

    kinds = [(event.kind, event.occurred_on) for event in effective_events(case=case)]

    assert case.stage == Stage.CLOSED_PANEL_NO_DENIAL
    assert MexicoReview.objects.get(case=case).response == MexicoReview.Response.DECLINED
    assert Panel.objects.get(case=case).requested_on == dt.date(2023, 8, 22)
    assert kinds == [
        (EventKind.PETITION_RECEIVED, dt.date(2023, 5, 15)),
        (EventKind.REQUEST_FOR_REVIEW, dt.date(2023, 6, 16)),
        (EventKind.LIQUIDATION_SUSPENDED, dt.date(2023, 6, 16)),
        (EventKind.MEXICO_DECLINED, dt.date(2023, 8, 1)),
        (EventKind.PANEL_REQUESTED, dt.date(2023, 8, 22)),
        (EventKind.OUTCOME_ANNOUNCED, dt.date(2024, 5, 13)),
    ]


def test_it_records_a_remediation_plan_with_the_case_outcome(imported: list[Row]) -> None:
    plan = RemediationPlan.objects.get(case__case_id="us-mx-2021-gm-silao")

    assert plan.agreed_on == dt.date(2021, 7, 8)
    assert plan.status == RemediationPlan.Status.COMPLETED


def test_it_marks_back_pay_as_a_floor_when_the_notes_say_more_than(imported: list[Row]) -> None:
    case = Case.objects.get(case_id="us-mx-2021-tridonex")

    assert (case.backpay_usd, case.backpay_is_floor) == (Decimal("600000"), True)


def test_it_keeps_blank_cells_unknown(imported: list[Row]) -> None:
    case = Case.objects.get(case_id="us-mx-2023-tecnologia-modificada")

    assert (case.backpay_usd, case.workers_covered, case.request_for_review_on) == (None, None, None)
    assert (case.facility.sector, case.facility.subsector, case.facility.sector_reported) == ("", "", "")


def test_it_reports_an_unmappable_sector_and_stores_it_as_reported(db: None, tmp_path: Path) -> None:
    rows = edited(shipped_rows(), "us-mx-2025-freixenet", sector="agriculture (berries)")
    path = write_rows(tmp_path / "cases.csv", rows)

    _, err = run_import(path)

    facility = Case.objects.get(case_id="us-mx-2025-freixenet").facility
    assert (
        f"warning: {path}:{line_of(rows, 'us-mx-2025-freixenet')}: column sector: 'agriculture (berries)'"
        in err
    )
    assert (facility.sector, facility.subsector, facility.sector_reported) == (
        "",
        "",
        "agriculture (berries)",
    )


def test_it_maps_states_and_sectors_of_the_shipped_file(imported: list[Row]) -> None:
    facility = Case.objects.get(case_id="us-mx-2024-minera-tizapa").facility

    assert (facility.state, facility.sector, facility.subsector) == (
        MexicanState.MEX,
        Sector.MINING,
        PrioritySubsector.MINING,
    )
    assert Case.objects.get(case_id="us-mx-2023-mas-air").facility.state == MexicanState.CMX


# ---------------------------------------------------------------------------------------------------
# Bad files: every error by line and column, nothing written


def test_it_rejects_a_bad_date(rejects_without_change: Callable[[Path], str], tmp_path: Path) -> None:
    rows = edited(rows_with_valid_changes(), "us-mx-2022-vu-1", petition_date="2021-13-01")
    path = write_rows(tmp_path / "cases.csv", rows)

    err = rejects_without_change(path)

    line = line_of(rows, "us-mx-2022-vu-1")
    assert f"{path}:{line}: column petition_date: '2021-13-01' is not a date (YYYY-MM-DD)" in err


def test_it_rejects_an_unknown_outcome_code(
    rejects_without_change: Callable[[Path], str], tmp_path: Path
) -> None:
    rows = edited(rows_with_valid_changes(), "us-mx-2023-asiaway-slp", outcome="settled")
    path = write_rows(tmp_path / "cases.csv", rows)

    err = rejects_without_change(path)

    assert (
        f"{path}:{line_of(rows, 'us-mx-2023-asiaway-slp')}: column outcome: 'settled' is not an outcome code"
        in err
    )


def test_it_rejects_a_duplicate_case_id(
    rejects_without_change: Callable[[Path], str], tmp_path: Path
) -> None:
    rows = rows_with_valid_changes()
    rows.append({**rows[0], "facility_name": "Another plant", "ustr_invocation_no": ""})
    path = write_rows(tmp_path / "cases.csv", rows)

    err = rejects_without_change(path)

    assert f"{path}:{len(rows) + 1}: column case_id: '{rows[0]['case_id']}' is already used on line 2" in err


def test_it_rejects_a_missing_column(rejects_without_change: Callable[[Path], str], tmp_path: Path) -> None:
    columns = tuple(column for column in COLUMNS if column != "annex")
    path = write_rows(tmp_path / "cases.csv", rows_with_valid_changes(), columns)

    err = rejects_without_change(path)

    assert f"{path}:1: column annex: is missing from the header" in err


def test_it_reports_a_missing_case_id_column_once_not_on_every_row(db: None, tmp_path: Path) -> None:
    columns = tuple(column for column in COLUMNS if column != "case_id")
    path = write_rows(tmp_path / "cases.csv", shipped_rows(), columns)

    err = run_rejected_import(path)

    assert err.splitlines() == [f"{path}:1: column case_id: is missing from the header"]


def test_it_rejects_an_unmappable_state(
    rejects_without_change: Callable[[Path], str], tmp_path: Path
) -> None:
    rows = edited(rows_with_valid_changes(), "us-mx-2023-mas-air", state="Texas")
    path = write_rows(tmp_path / "cases.csv", rows)

    err = rejects_without_change(path)

    assert (
        f"{path}:{line_of(rows, 'us-mx-2023-mas-air')}: column state: 'Texas' is not a Mexican federal entity"
        in err
    )


def test_it_rejects_a_remediation_plan_before_the_request(
    rejects_without_change: Callable[[Path], str], tmp_path: Path
) -> None:
    rows = edited(rows_with_valid_changes(), "us-mx-2021-gm-silao", remediation_agreed_date="2021-05-01")
    path = write_rows(tmp_path / "cases.csv", rows)

    err = rejects_without_change(path)

    line = line_of(rows, "us-mx-2021-gm-silao")
    assert (
        f"{path}:{line}: column remediation_agreed_date: Case us-mx-2021-gm-silao: "
        "a remediation plan agreed on 2021-05-01 cannot precede the request for review of 2021-05-12." in err
    )


def test_it_lists_every_error_of_a_bad_file(
    rejects_without_change: Callable[[Path], str], tmp_path: Path
) -> None:
    rows = rows_with_valid_changes()
    bad_cells = {
        "us-mx-2021-tridonex": ("backpay_usd", "-5", "-5 is negative"),
        "us-mx-2022-panasonic-reynosa": ("case_id", "Bad_ID", "'Bad_ID' must contain only a-z, 0-9 and '-'"),
        "us-mx-2022-teksid-frontera": ("annex", "31-C", "'31-C' is not an annex"),
        "us-mx-2022-vu-1": ("workers_covered", "1,500", "'1,500' is not a whole number"),
        "ca-mx-2023-fraenkische-silao": (
            "ilc_request_for_review_date",
            "2020-01-01",
            "2020-01-01 is before petition_date (2023-03-11)",
        ),
        "us-mx-2023-draxton-irapuato": (
            "outcome_date",
            "2021-01-01",
            "2021-01-01 is before ilc_request_for_review_date (2023-05-31)",
        ),
        "us-mx-2023-vu-2": ("ustr_invocation_no", "0", "0 is not allowed; it must be 1 or more"),
        "petition-2022-saint-gobain-cuautla": ("source_url", "ustr.gov", "'ustr.gov' is not a web address"),
    }
    expected = [
        f"{line_of(rows, case_id)}: column {column}: {message}"
        for case_id, (column, _, message) in bad_cells.items()
    ]
    for case_id, (column, value, _) in bad_cells.items():
        rows = edited(rows, case_id, **{column: value})
    path = write_rows(tmp_path / "cases.csv", rows)

    err = rejects_without_change(path)

    assert [line for line in expected if f"{path}:{line}" not in err] == []


def test_it_rejects_an_invocation_number_that_another_stored_case_holds(
    rejects_without_change: Callable[[Path], str], tmp_path: Path
) -> None:
    CaseFactory.create(case_id="us-mx-2020-elsewhere", ustr_invocation_no=99)
    rows = edited(rows_with_valid_changes(), "us-mx-2023-asiaway-slp", ustr_invocation_no="99")
    path = write_rows(tmp_path / "cases.csv", rows)

    err = rejects_without_change(path)

    assert (
        f"{path}:{line_of(rows, 'us-mx-2023-asiaway-slp')}: column ustr_invocation_no: "
        "31-A invocation 99 belongs to case 'us-mx-2020-elsewhere' in the database" in err
    )


def test_it_rejects_a_file_that_is_not_utf8(db: None, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(",".join(COLUMNS).encode() + b"\nus-mx-x,Planta Le\xf3n\n")

    err = run_rejected_import(path)

    assert f"{path}:2: is not UTF-8 text" in err
    assert Case.objects.count() == 0


# ---------------------------------------------------------------------------------------------------
# Stages and progress


def test_it_gives_every_known_outcome_a_stage() -> None:
    assert set(STAGE_OF_OUTCOME) == set(Outcome.values) - {Outcome.OPEN}


@pytest.mark.parametrize(
    ("cells", "stage"),
    [
        ({}, Stage.SUBMITTED),
        ({"petition_date": "2024-01-02"}, Stage.ILC_REVIEW),
        ({"petition_date": "2024-01-02", "ilc_request_for_review_date": "2024-02-01"}, Stage.REQUEST_SENT),
        (
            {"ilc_request_for_review_date": "2024-02-01", "mexico_response": "accepted review"},
            Stage.MEXICO_REVIEW,
        ),
        (
            {"ilc_request_for_review_date": "2024-02-01", "mexico_response": "declined review"},
            Stage.MEXICO_DECLINED,
        ),
        (
            {"ilc_request_for_review_date": "2024-02-01", "remediation_agreed_date": "2024-03-01"},
            Stage.REMEDIATION_IN_PROGRESS,
        ),
        (
            {"ilc_request_for_review_date": "2024-02-01", "panel_request_date": "2024-04-01"},
            Stage.PANEL_REQUESTED,
        ),
    ],
)
def test_it_stages_an_open_case_at_its_last_confirmed_milestone(cells: Row, stage: str) -> None:
    base = {column: "" for column in COLUMNS} | {
        "case_id": "us-mx-2024-x",
        "facility_name": "Plant",
        "company": "Company",
        "state": "Coahuila",
        "outcome": "open",
        "annex": "31-A",
    }
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow(base | cells)

    parsed = parse_text(text.getvalue(), today=dt.date(2025, 1, 1))

    assert parsed.errors == []
    assert open_stage(parsed.rows[0]) == stage


def test_it_reports_progress_only_on_files_over_a_thousand_rows() -> None:
    assert progress_step(1000) is None
    assert progress_step(1001) == 100
    assert progress_step(25_000) == 2_500


def test_it_writes_progress_lines_to_stderr_for_a_long_file(db: None, tmp_path: Path) -> None:
    rows = [
        {"case_id": f"bulk-{n}", "facility_name": f"Plant {n}", "company": "Bulk S.A.", "state": "Coahuila"}
        | {"outcome": "open", "annex": "31-A"}
        for n in range(1001)
    ]
    path = write_rows(tmp_path / "bulk.csv", rows)

    out, err = run_import(path)

    progress = [line for line in err.splitlines() if "rows (" in line]
    assert progress[0] == f"{path}: 100/1001 rows (9%)"
    assert progress[-1] == f"{path}: 1001/1001 rows (100%)"
    assert len(progress) == 11
    assert "cases: 1001 created, 0 updated, 0 unchanged" in out


@pytest.mark.django_db
def test_it_records_the_panels_finding_when_the_outcome_is_a_panel_determination():
    call_command("import_cases", str(SHIPPED_CASES), stdout=io.StringIO(), stderr=io.StringIO())
    panel = Panel.objects.get(case__case_id="us-mx-2023-san-martin-mine")
    assert (panel.determination, panel.determined_on) == ("no_denial", dt.date(2024, 5, 13))
