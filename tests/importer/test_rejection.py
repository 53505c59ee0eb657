"""`import_cases PATH` rejects a bad file whole: every error by line and column, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from importer.format import COLUMNS
from rrm.models import Case
from tests.factories import CaseFactory
from tests.importer.files import (
    edited,
    line_of,
    rows_with_valid_changes,
    run_rejected_import,
    shipped_rows,
    write_rows,
)


@pytest.mark.parametrize(
    ("case_id", "column", "value", "message"),
    [
        ("us-mx-2022-vu-1", "petition_date", "2021-13-01", "'2021-13-01' is not a date (YYYY-MM-DD)"),
        ("us-mx-2023-asiaway-slp", "outcome", "settled", "'settled' is not an outcome code"),
        ("us-mx-2023-mas-air", "state", "Texas", "'Texas' is not a Mexican federal entity"),
        (
            "us-mx-2021-gm-silao",
            "remediation_agreed_date",
            "2021-05-01",
            "Case us-mx-2021-gm-silao: a remediation plan agreed on 2021-05-01 cannot precede the request "
            "for review of 2021-05-12.",
        ),
    ],
    ids=["bad date", "unknown outcome code", "unmappable state", "remediation plan before the request"],
)
def test_it_rejects_a_cell_by_its_line_and_column(
    rejects_without_change: Callable[[Path], str],
    tmp_path: Path,
    case_id: str,
    column: str,
    value: str,
    message: str,
) -> None:
    rows = edited(rows_with_valid_changes(), case_id, **{column: value})
    path = write_rows(tmp_path / "cases.csv", rows)

    err = rejects_without_change(path)

    assert f"{path}:{line_of(rows, case_id)}: column {column}: {message}" in err


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
