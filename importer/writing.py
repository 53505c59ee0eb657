"""Writing checked rows through the services, in one transaction, and the report of what changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from importer.format import CaseRow, ImportRejected, Problem
from importer.reading import check_against_database, parse_file
from importer.record import MEXICO_RESPONSE, case_fields, panel_determination, plan_status, timeline_slots
from petitions import services as petition_services
from remediation import services as remediation_services
from remediation.models import MexicoReview, RemediationPlan
from rrm import services as rrm_services
from rrm.choices import Outcome
from rrm.deadlines import replay_recorded_case
from rrm.errors import DomainError
from rrm.models import Case, Company, Facility
from rrm.services import WriteResult

# Files longer than this report their progress on stderr, once every tenth of the rows.
PROGRESS_MIN_ROWS = 1000


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, result: WriteResult) -> None:
        setattr(self, result.value, getattr(self, result.value) + 1)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportReport:
    cases: Tally = field(default_factory=Tally)
    facilities: Tally = field(default_factory=Tally)
    companies_created: int = 0
    organisations_created: int = 0
    events_written: int = 0
    warnings: list[Problem] = field(default_factory=list)


def _facility_fields(rows: Sequence[CaseRow]) -> rrm_services.FacilityFields:
    """A facility named on several rows takes, for each attribute, the last value the file gives it."""
    located = [row for row in rows if row.city] or rows[:1]
    described = [row for row in rows if row.sector_reported] or rows[:1]
    counted = [row for row in rows if row.workers_covered is not None] or rows[:1]
    sector = described[-1].sector
    return rrm_services.FacilityFields(
        city=located[-1].city,
        state=rows[-1].state,
        sector=sector.sector if sector else "",
        subsector=sector.subsector if sector else "",
        sector_reported=described[-1].sector_reported,
        headcount=counted[-1].workers_covered,
    )


def _write_facility(rows: Sequence[CaseRow], report: ImportReport, companies: dict[str, Company]) -> Facility:
    first = rows[0]
    company_key = first.facility_key[0]
    if company_key not in companies:
        companies[company_key], created = rrm_services.get_or_create_company(name=first.company)
        report.companies_created += created
    facility, result = rrm_services.save_facility(
        operator=companies[company_key], name=first.facility_name, fields=_facility_fields(rows)
    )
    report.facilities.add(result)
    return facility


def import_row(*, row: CaseRow, facility: Facility, source_note: str, report: ImportReport) -> Case:
    """Write one case and everything its row states; the timeline is written last, in one call."""
    case, result = rrm_services.save_case(case_id=row.case_id, facility=facility, fields=case_fields(row))
    related = [_write_petition(row=row, case=case, report=report), *_write_review_stages(row=row, case=case)]
    events = rrm_services.sync_imported_timeline(
        case=case, slots=timeline_slots(row), source_url=row.source_url, source_note=source_note
    )
    deadlines_changed = replay_recorded_case(case=case)
    report.events_written += len(events)
    changed_around = events or deadlines_changed or any(other != WriteResult.UNCHANGED for other in related)
    if result == WriteResult.UNCHANGED and changed_around:
        result = WriteResult.UPDATED
    report.cases.add(result)
    return case


def _write_petition(*, row: CaseRow, case: Case, report: ImportReport) -> WriteResult:
    # Only a petition-based case whose petitioners are known gets a petition record.
    if row.self_initiated or not row.petitioners:
        return WriteResult.UNCHANGED
    organisations = []
    for name in row.petitioners:
        organisation, created = rrm_services.get_or_create_organisation(name=name)
        report.organisations_created += created
        organisations.append(organisation)
    return petition_services.save_imported_petition(
        case=case, petitioners=organisations, received_on=row.petition_received_on
    )


def _write_review_stages(*, row: CaseRow, case: Case) -> list[WriteResult]:
    results = []
    if row.request_for_review_on is not None:
        results.append(
            remediation_services.save_mexico_review(
                case=case,
                requested_on=row.request_for_review_on,
                response=MEXICO_RESPONSE.get(row.mexico_answer or "", MexicoReview.Response.PENDING),
                response_on=row.mexico_response_on,
                response_reported=row.mexico_response,
            )
        )
    if row.remediation_agreed_on is not None:
        kind = (
            RemediationPlan.Kind.COMPANY
            if row.outcome == Outcome.RESOLVED_COMPANY_AGREEMENT
            else RemediationPlan.Kind.GOVERNMENT
        )
        results.append(
            remediation_services.save_remediation_plan(
                case=case,
                agreed_on=row.remediation_agreed_on,
                kind=kind,
                status=plan_status(row),
                source_url=row.source_url,
            )
        )
    if row.panel_requested_on is not None:
        results.append(
            remediation_services.save_panel(
                case=case, requested_on=row.panel_requested_on, **panel_determination(row)
            )
        )
    return results


ProgressCallback = Callable[[int, int], None]


def progress_step(total: int) -> int | None:
    """Rows between two progress reports: a tenth of a long file; None (no reports) for a short one."""
    return max(1, total // 10) if total > PROGRESS_MIN_ROWS else None


def _refusal(line: int, refused: Exception) -> Problem:
    return Problem(line, None, f"refused by the database or a rule: {refused}".strip())


def write_rows(
    rows: Sequence[CaseRow], *, source_name: str, on_progress: ProgressCallback | None = None
) -> ImportReport:
    """Write checked rows; a row the database refuses is reported by line and nothing is kept.

    Each facility, then each case, is written under its own savepoint, so that one refusal does not
    hide the problems of the rows after it.
    """
    report = ImportReport()
    errors: list[Problem] = []
    rows_of_facility: dict[tuple[str, str], list[CaseRow]] = {}
    for row in rows:
        rows_of_facility.setdefault(row.facility_key, []).append(row)
    companies: dict[str, Company] = {}
    facilities: dict[tuple[str, str], Facility] = {}
    for key, facility_rows in rows_of_facility.items():
        try:
            with transaction.atomic():
                facilities[key] = _write_facility(facility_rows, report, companies)
        except (DomainError, DatabaseError) as refused:
            errors.append(_refusal(facility_rows[0].line, refused))
    step = progress_step(len(rows))
    for done, row in enumerate(rows, start=1):
        if row.facility_key in facilities:
            try:
                with transaction.atomic():
                    import_row(
                        row=row,
                        facility=facilities[row.facility_key],
                        source_note=f"{rrm_services.IMPORT_NOTE_PREFIX} {source_name} line {row.line}",
                        report=report,
                    )
            except (DomainError, DatabaseError) as refused:
                errors.append(_refusal(row.line, refused))
        if on_progress is not None and step is not None and (done % step == 0 or done == len(rows)):
            on_progress(done, len(rows))
    if errors:
        raise ImportRejected(errors=errors, warnings=[])
    return report


def import_cases_file(path: Path, *, on_progress: ProgressCallback | None = None) -> ImportReport:
    """Check the whole file, then write it in one transaction; raises ImportRejected, writing nothing."""
    parsed = parse_file(path, today=timezone.localdate())
    with transaction.atomic():
        errors = parsed.errors + check_against_database(parsed.rows)
        if errors:
            raise ImportRejected(errors=errors, warnings=parsed.warnings)
        try:
            report = write_rows(parsed.rows, source_name=path.name, on_progress=on_progress)
        except ImportRejected as refused:
            raise ImportRejected(errors=refused.errors, warnings=parsed.warnings) from None
    report.warnings = parsed.warnings
    return report
