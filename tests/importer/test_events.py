"""`import_cases` with events.csv: dated facts with their provenance, the event over the wide date, and a
bad events file rejected whole, every error by file, line and column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from importer.format import EVENT_COLUMNS
from remediation.models import MexicoReview
from rrm.choices import EventKind
from rrm.models import Case, TimelineEvent
from rrm.selectors import effective_events
from tests.factories import CaseFactory
from tests.importer.files import (
    SHIPPED_CASES,
    SHIPPED_EVENTS,
    Row,
    edited,
    rows_with_valid_changes,
    run_import,
    shipped_events,
    snapshot,
    write_events,
    write_rows,
)


def _edited_event(line: int, **cells: str) -> list[Row]:
    """The shipped events with the row of file line `line` (header is line 1) given these cells."""
    return [{**row, **cells} if index == line else dict(row) for index, row in enumerate(shipped_events(), 2)]


def _bad_files(
    tmp_path: Path, events: list[Row], columns: tuple[str, ...] = EVENT_COLUMNS
) -> tuple[Path, Path]:
    cases = write_rows(tmp_path / "cases.csv", rows_with_valid_changes())
    return cases, write_rows(tmp_path / "other-events.csv", events, columns)


@pytest.mark.parametrize(
    ("line", "column", "value", "message"),
    [
        (12, "case_id", "us-mx-2030-none", "{value!r} is not a case of the cases file nor of the database"),
        (12, "kind", "vote", "{value!r} is not an event kind (one of: petition_filed, petition_received,"),
        (13, "date", "2021-05-32", "{value!r} is not a date (YYYY-MM-DD, or YYYY-MM when only the month"),
        (13, "date", "2021-13", "{value!r} is not a date (YYYY-MM-DD, or YYYY-MM when only the month"),
        (13, "date", "2099-01", "{value} is in the future"),
        (14, "date_basis", "rumour", "{value!r} is not a date basis (one of: act, announced, reported,"),
        (14, "source_url", "ustr.gov", "{value!r} is not a web address"),
        (14, "source_url", "", "is blank; it is required"),
    ],
    ids=["unknown case", "unknown kind", "bad day", "bad month", "future", "bad basis", "bad url", "no url"],
)
def test_it_rejects_an_event_cell_by_its_file_line_and_column(
    rejects_without_change: Callable[..., str],
    tmp_path: Path,
    line: int,
    column: str,
    value: str,
    message: str,
) -> None:
    cases, events = _bad_files(tmp_path, _edited_event(line, **{column: value}))

    err = rejects_without_change(cases, events)

    assert f"{events}:{line}: column {column}: {message.format(value=value)}" in err


def test_it_rejects_an_events_file_missing_a_column(
    rejects_without_change: Callable[..., str], tmp_path: Path
) -> None:
    columns = tuple(column for column in EVENT_COLUMNS if column != "date_basis")
    cases, events = _bad_files(tmp_path, shipped_events(), columns)

    err = rejects_without_change(cases, events)

    assert err.splitlines() == [f"{events}:1: column date_basis: is missing from the header"]


def test_it_rejects_both_files_at_once_writing_nothing(
    rejects_without_change: Callable[..., str], tmp_path: Path
) -> None:
    rows = edited(rows_with_valid_changes(), "us-mx-2021-tridonex", annex="31-C")
    cases = write_rows(tmp_path / "cases.csv", rows)
    events = write_events(tmp_path / "events.csv", _edited_event(20, kind="vote"))

    err = rejects_without_change(cases, events)

    assert f"{cases}:3: column annex: '31-C' is not an annex" in err
    assert f"{events}:20: column kind: 'vote' is not an event kind" in err


def test_it_changes_nothing_on_a_second_run_with_events(db: None) -> None:
    run_import(SHIPPED_CASES)
    before = snapshot()

    out, _ = run_import(SHIPPED_CASES)

    assert f"events: 0 created, 0 updated, {len(shipped_events())} unchanged ({SHIPPED_EVENTS})" in out
    assert "timeline events: 0 written" in out
    assert snapshot() == before


def test_it_reads_the_events_file_named_by_the_option(db: None, tmp_path: Path) -> None:
    events = write_events(
        tmp_path / "facts.csv", [row for row in shipped_events() if row["kind"] == "union_vote"]
    )

    out, _ = run_import(SHIPPED_CASES, events)

    # The union_vote rows of events.csv: lines 4, 8, 10, 15, 17, 18, 38, 45, 80 and 96.
    assert f"events: 10 created, 0 updated, 0 unchanged ({events})" in out
    assert TimelineEvent.objects.filter(kind=EventKind.UNION_VOTE).count() == 10


def test_it_reads_no_events_when_none_is_beside_the_cases_file(db: None, tmp_path: Path) -> None:
    out, _ = run_import(write_rows(tmp_path / "cases.csv", rows_with_valid_changes()))

    assert "events: none (no events.csv)" in out
    assert not TimelineEvent.objects.filter(kind=EventKind.UNION_VOTE).exists()


def test_it_lets_the_event_win_over_the_wide_date_and_says_so(db: None) -> None:
    _, err = run_import(SHIPPED_CASES)

    case = Case.objects.get(case_id="us-mx-2023-san-martin-mine")
    # cases.csv line 11 gives 2023-07-31 (Mexico's report of no denial); events.csv line 71 its refusal.
    assert (
        f"{SHIPPED_CASES}:11: column mexico_response_date: 2023-07-31 superseded by "
        f"{SHIPPED_EVENTS}:71 mexico_declined 2023-08-01 (announced)"
    ) in err.splitlines()
    assert case.mexico_response_on == dt.date(2023, 8, 1)
    assert MexicoReview.objects.get(case=case).response_on == dt.date(2023, 8, 1)


def test_it_says_nothing_of_a_wide_date_the_event_confirms(db: None) -> None:
    _, err = run_import(SHIPPED_CASES)

    # GM Silao: cases.csv and events.csv line 13 both give the request of 2021-05-12.
    assert "ilc_request_for_review_date: 2021-05-12 superseded" not in err
    assert Case.objects.get(case_id="us-mx-2021-gm-silao").request_for_review_on == dt.date(2021, 5, 12)


def test_it_keeps_a_month_only_date_off_the_day_columns(db: None) -> None:
    _, err = run_import(SHIPPED_CASES)

    case = Case.objects.get(case_id="us-mx-2023-vu-2")
    agreed = TimelineEvent.objects.get(case=case, kind=EventKind.REMEDIATION_AGREED)
    # events.csv line 88: remediation_agreed 2023-03 (announced) supersedes the wide 2023-03-31.
    assert (agreed.occurred_on, agreed.date_precision, agreed.date_basis) == (
        dt.date(2023, 3, 1),
        TimelineEvent.Precision.MONTH,
        TimelineEvent.Basis.ANNOUNCED,
    )
    assert case.remediation_agreed_on is None
    assert "remediation_agreed_date: 2023-03-31 superseded by" in err


def test_it_stores_the_provenance_of_each_event(db: None) -> None:
    run_import(SHIPPED_CASES)

    vote = TimelineEvent.objects.get(
        case__case_id="us-mx-2023-teklas-aguascalientes", kind=EventKind.UNION_VOTE
    )
    row = shipped_events()[80 - 2]  # events.csv line 80
    assert (vote.occurred_on, vote.date_precision, vote.date_basis) == (dt.date(2024, 1, 29), "day", "act")
    assert (vote.source_url, vote.description) == (row["source_url"], row["note"])
    assert vote.source_note == "import: events.csv line 80"
    assert Case.objects.get(case_id="us-mx-2023-teklas-aguascalientes").record_basis == "public_sources"


def test_it_takes_liquidation_dates_from_the_events_only(db: None) -> None:
    run_import(SHIPPED_CASES)

    autoliv = Case.objects.get(case_id="us-mx-2023-autoliv-el-marques")
    vu_1 = Case.objects.get(case_id="us-mx-2022-vu-1")
    # Autoliv: suspended (line 47) 2023-11-20, resumed (line 50) 2024-01-22.
    assert (autoliv.liquidation_suspended_on, autoliv.liquidation_resumed_on) == (
        dt.date(2023, 11, 20),
        dt.date(2024, 1, 22),
    )
    # VU-1: no suspension event, so none is inferred from its request, nor a resumption after it.
    assert (vu_1.liquidation_suspended_on, vu_1.liquidation_resumed_on) == (None, None)
    assert TimelineEvent.objects.filter(case=vu_1, kind=EventKind.LIQUIDATION_RESUMED).exists()


def test_it_corrects_mexicos_answer_when_its_event_changes(db: None, tmp_path: Path) -> None:
    run_import(SHIPPED_CASES)
    accepted = TimelineEvent.objects.get(case__case_id="us-mx-2022-vu-1", kind=EventKind.MEXICO_ACCEPTED)
    events = write_events(tmp_path / "events.csv", _edited_event(37, kind="mexico_declined"))

    out, _ = run_import(SHIPPED_CASES, events)

    declined = TimelineEvent.objects.get(corrects=accepted)
    assert (declined.kind, declined.occurred_on) == (EventKind.MEXICO_DECLINED, accepted.occurred_on)
    assert (
        MexicoReview.objects.get(case__case_id="us-mx-2022-vu-1").response == MexicoReview.Response.DECLINED
    )
    assert f"events: 0 created, 1 updated, {len(shipped_events()) - 1} unchanged" in out


def test_it_adds_events_to_a_case_only_in_the_database(db: None, tmp_path: Path) -> None:
    case = CaseFactory.create(case_id="us-mx-2020-elsewhere", liquidation_suspended_on=None)
    events = write_events(
        tmp_path / "events.csv",
        [
            {"case_id": case.case_id, "kind": "liquidation_suspended", "date": "2020-09-01"}
            | {"date_basis": "act", "source_url": "https://ustr.gov/a", "note": "Suspended."},
        ],
    )

    out, _ = run_import(SHIPPED_CASES, events)

    case.refresh_from_db()
    assert "events: 1 created, 0 updated, 0 unchanged" in out
    assert case.liquidation_suspended_on == dt.date(2020, 9, 1)
    assert [event.kind for event in effective_events(case=case)].count(EventKind.LIQUIDATION_SUSPENDED) == 1
