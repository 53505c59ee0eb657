"""`import_cases PATH` loads cases.csv-format files idempotently: what each row becomes, stages, progress."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from importer.format import COLUMNS
from importer.reading import parse_text
from importer.record import STAGE_OF_OUTCOME, open_stage
from importer.writing import progress_step
from petitions.models import Petition, Petitioner
from remediation.models import MexicoReview, Panel, RemediationPlan
from rrm.choices import EventKind, Initiation, MexicanState, Outcome, PrioritySubsector, Sector, Stage
from rrm.models import Case, Facility, Organisation, TimelineEvent
from rrm.selectors import effective_events
from tests.importer.files import (
    SHIPPED_CASES,
    Row,
    beside_shipped_events,
    edited,
    line_of,
    run_import,
    shipped_rows,
    snapshot,
    write_rows,
)

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
    # Tridonex's petition_date has no petition_received event in events.csv, so the wide date stands.
    old_receipt = TimelineEvent.objects.get(
        case__case_id="us-mx-2021-tridonex", kind=EventKind.PETITION_RECEIVED
    )
    rows = edited(imported, "us-mx-2021-tridonex", petition_date="2021-05-11")

    out, _ = run_import(beside_shipped_events(write_rows(tmp_path / "cases.csv", rows)))

    case = Case.objects.get(case_id="us-mx-2021-tridonex")
    assert f"cases: 0 created, 1 updated, {len(rows) - 1} unchanged" in out
    assert case.petition_received_on == dt.date(2021, 5, 11)
    new_receipt = TimelineEvent.objects.get(case=case, kind=EventKind.PETITION_RECEIVED, corrects=old_receipt)
    assert new_receipt.occurred_on == dt.date(2021, 5, 11)
    assert new_receipt.source_note == f"import: cases.csv line {line_of(rows, case.case_id)}"
    current = [(event.kind, event.occurred_on) for event in effective_events(case=case)]
    assert (EventKind.PETITION_RECEIVED, dt.date(2021, 5, 11)) in current
    assert (EventKind.PETITION_RECEIVED, dt.date(2021, 5, 10)) not in current
    assert TimelineEvent.objects.filter(pk=old_receipt.pk).exists()


def test_it_retracts_a_date_that_became_blank(imported: list[Row], tmp_path: Path) -> None:
    # Fraenkische's outcome_date (2023-07-25) is stated by no outcome_announced event of events.csv.
    announced = TimelineEvent.objects.get(
        case__case_id="ca-mx-2023-fraenkische-silao", kind=EventKind.OUTCOME_ANNOUNCED
    )
    rows = edited(imported, "ca-mx-2023-fraenkische-silao", outcome_date="")

    run_import(beside_shipped_events(write_rows(tmp_path / "cases.csv", rows)))

    retraction = TimelineEvent.objects.get(corrects=announced)
    assert (retraction.kind, retraction.data) == (EventKind.CORRECTION, {"retracted": True})
    case = Case.objects.get(case_id="ca-mx-2023-fraenkische-silao")
    assert case.outcome_date is None
    assert EventKind.OUTCOME_ANNOUNCED not in {event.kind for event in effective_events(case=case)}


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
    # events.csv lines 66-75; the wide row adds only its petition_date (no petition_received event).
    assert MexicoReview.objects.get(case=case).response == MexicoReview.Response.DECLINED
    assert Panel.objects.get(case=case).requested_on == dt.date(2023, 8, 22)
    assert kinds == [
        (EventKind.PETITION_FILED, dt.date(2022, 8, 5)),
        (EventKind.PETITION_RECEIVED, dt.date(2023, 5, 15)),
        (EventKind.PETITION_FILED, dt.date(2023, 5, 15)),
        (EventKind.LIQUIDATION_SUSPENDED, dt.date(2023, 6, 16)),
        (EventKind.REQUEST_FOR_REVIEW, dt.date(2023, 6, 16)),
        (EventKind.MEXICO_FINDING_NO_DENIAL, dt.date(2023, 7, 31)),
        (EventKind.MEXICO_DECLINED, dt.date(2023, 8, 1)),
        (EventKind.PANEL_REQUESTED, dt.date(2023, 8, 22)),
        (EventKind.PANEL_CONSTITUTED, dt.date(2023, 8, 30)),
        (EventKind.PANEL_DETERMINATION_NO_DENIAL, dt.date(2024, 4, 26)),
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
def test_it_records_the_panels_finding_when_the_outcome_is_a_panel_determination() -> None:
    call_command("import_cases", str(SHIPPED_CASES), stdout=io.StringIO(), stderr=io.StringIO())
    panel = Panel.objects.get(case__case_id="us-mx-2023-san-martin-mine")
    # Dated by its own event (events.csv line 74), not by the announcement of 2024-05-13 (line 75).
    assert (panel.determination, panel.determined_on) == ("no_denial", dt.date(2024, 4, 26))
