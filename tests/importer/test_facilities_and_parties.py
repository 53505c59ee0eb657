"""A row may list several facilities, each imported and listed on its case in order; the complaining
and responding Party come from the annex and the case id, and the facilities are the respondent's."""

from __future__ import annotations

from pathlib import Path

import pytest

from importer.format import COLUMNS
from rrm.models import Case, Facility
from tests.importer.files import Row, run_import, run_rejected_import, write_rows

pytestmark = pytest.mark.django_db

# Not a case of data/cases.csv: a 31-A case covering two sites of one company.
ATENTO: Row = {column: "" for column in COLUMNS} | {
    "case_id": "us-mx-2024-atento",
    "facility_name": "Atento site one;Atento site two",
    "company": "Atento Mexicana",
    "city": "Pachuca;Tlalnepantla",
    "state": "Hidalgo;Estado de México",
    "sector": "call center",
    "outcome": "panel_denial_found",
    "outcome_date": "2025-05-01",
    "workers_covered": "1500",
    "annex": "31-A",
}


def import_rows(tmp_path: Path, *rows: Row) -> str:
    out, _ = run_import(write_rows(tmp_path / "cases.csv", list(rows)))
    return out


def facilities_of(case_id: str) -> list[tuple[str, str, str, str]]:
    return [
        (facility.name, facility.operator.name, facility.city, facility.state)
        for facility in Case.objects.get(case_id=case_id).facilities.order_by("case_links__position")
    ]


def test_it_lists_both_facilities_of_a_case_covering_two(tmp_path: Path) -> None:
    import_rows(tmp_path, ATENTO)

    assert facilities_of("us-mx-2024-atento") == [
        ("Atento site one", "Atento Mexicana", "Pachuca", "HID"),
        ("Atento site two", "Atento Mexicana", "Tlalnepantla", "MEX"),
    ]
    assert Case.objects.get(case_id="us-mx-2024-atento").facility.name == "Atento site one"


def test_it_gives_a_case_wide_worker_count_to_no_facility_of_several(tmp_path: Path) -> None:
    import_rows(tmp_path, ATENTO)

    assert set(Facility.objects.values_list("headcount", flat=True)) == {None}
    assert Case.objects.get().workers_covered == 1500


def test_it_changes_nothing_when_a_two_facility_row_is_imported_again(tmp_path: Path) -> None:
    import_rows(tmp_path, ATENTO)

    out = import_rows(tmp_path, ATENTO)

    assert "cases: 0 created, 0 updated, 1 unchanged" in out
    assert "facilities: 0 created, 0 updated, 2 unchanged" in out


def test_it_relists_the_facilities_when_the_row_reorders_them(tmp_path: Path) -> None:
    import_rows(tmp_path, ATENTO)

    out = import_rows(
        tmp_path,
        ATENTO
        | {
            "facility_name": "Atento site two;Atento site one;Atento site three",
            "city": "Tlalnepantla;Pachuca;Toluca",
            "state": "Estado de México;Hidalgo;Estado de México",
        },
    )

    assert "cases: 0 created, 1 updated, 0 unchanged" in out
    assert [name for name, *_ in facilities_of("us-mx-2024-atento")] == [
        "Atento site two",
        "Atento site one",
        "Atento site three",
    ]


def test_it_takes_one_state_for_every_facility_of_a_row(tmp_path: Path) -> None:
    import_rows(tmp_path, ATENTO | {"city": "", "state": "Hidalgo"})

    assert [(city, state) for *_, city, state in facilities_of("us-mx-2024-atento")] == [
        ("", "HID"),
        ("", "HID"),
    ]


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"city": "Pachuca;Tlalnepantla;Toluca"}, "city", "gives 3 values for 2 facilities"),
        ({"facility_name": "Atento site one;"}, "facility_name", "lists a blank facility"),
        ({"facility_name": "Atento site one;atento SITE one"}, "facility_name", "lists a facility"),
        ({"state": "Hidalgo;Texas"}, "state", "'Texas' is not a Mexican federal entity"),
        (
            {"case_id": "ca-mx-2024-atento"},
            "case_id",
            "'ca-mx-2024-atento' names Parties that annex 31-A does not bind",
        ),
    ],
)
def test_it_rejects_facility_lists_that_do_not_agree(
    tmp_path: Path, cells: Row, column: str, message: str
) -> None:
    path = write_rows(tmp_path / "cases.csv", [ATENTO | cells])

    err = run_rejected_import(path)

    assert f"{path}:2: column {column}: {message}" in err
    assert not Case.objects.exists()


def test_it_imports_mexicos_complaint_of_a_us_facility(tmp_path: Path) -> None:
    import_rows(
        tmp_path,
        ATENTO
        | {
            "case_id": "mx-us-2026-a-plant",
            "facility_name": "A plant",
            "company": "A company Inc.",
            "city": "Laredo",
            "state": "Texas",
            "outcome": "open",
            "outcome_date": "",
        },
    )

    case = Case.objects.get()
    assert (case.complainant, case.respondent) == ("MX", "US")
    assert (case.facility.country, case.facility.state) == ("US", "TX")


def test_it_gives_the_shipped_cases_their_parties(imported: list[Row]) -> None:
    parties = dict(Case.objects.values_list("case_id", "complainant"))

    assert parties["ca-mx-2023-fraenkische-silao"] == "CA"
    assert parties["us-mx-2021-gm-silao"] == "US"
    assert set(Case.objects.values_list("respondent", flat=True)) == {"MX"}
