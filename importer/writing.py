"""Writing checked rows through the services, in one transaction, and the report of what changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from importer.acts import SAME_ACT, CaseWithEvents, day_of, first_of, liquidation_of, with_events
from importer.event_reading import check_event_cases, parse_events_file
from importer.format import CaseRow, EventRow, FilePair, ImportRejected, ListedFacility, ParsedEvents, Problem
from importer.outcomes import sync_outcomes
from importer.reading import check_against_database, parse_file
from importer.record import (
    MEXICO_RESPONSE,
    Provenance,
    case_fields,
    event_slots,
    panel_determination,
    plan_status,
    wide_slots,
)
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
    # The facts of the events file: created (new), updated (a correction of a recorded one), unchanged.
    events: Tally = field(default_factory=Tally)
    companies_created: int = 0
    organisations_created: int = 0
    events_written: int = 0
    warnings: list[Problem] = field(default_factory=list)
    # Each wide date that an event supersedes.
    notices: list[Problem] = field(default_factory=list)


# The names the imported facts are tagged with.
Sources = FilePair[str]


@dataclass(frozen=True)
class Listing:
    """A facility as one row lists it."""

    row: CaseRow
    facility: ListedFacility

    @property
    def headcount(self) -> int | None:
        # A row's worker count is its case's: the headcount of a facility only when it lists one.
        return self.row.workers_covered if len(self.row.facilities) == 1 else None


def _facility_fields(listings: Sequence[Listing]) -> rrm_services.FacilityFields:
    """A facility named on several rows takes, for each attribute, the last value the file gives it."""
    located = [listing for listing in listings if listing.facility.city] or listings[:1]
    described = [listing for listing in listings if listing.row.sector_reported] or listings[:1]
    counted = [listing for listing in listings if listing.headcount is not None] or listings[:1]
    sector = described[-1].row.sector
    return rrm_services.FacilityFields(
        city=located[-1].facility.city,
        country=listings[-1].facility.country,
        state=listings[-1].facility.state,
        sector=sector.sector if sector else "",
        subsector=sector.subsector if sector else "",
        sector_reported=described[-1].row.sector_reported,
        headcount=counted[-1].headcount,
    )


def _write_facility(
    listings: Sequence[Listing], report: ImportReport, companies: dict[str, Company]
) -> Facility:
    first = listings[0].facility
    company_key = first.key[0]
    if company_key not in companies:
        companies[company_key], created = rrm_services.get_or_create_company(name=first.company)
        report.companies_created += created
    facility, result = rrm_services.save_facility(
        operator=companies[company_key], name=first.name, fields=_facility_fields(listings)
    )
    report.facilities.add(result)
    return facility


def import_row(
    *,
    case_events: CaseWithEvents,
    original: CaseRow,
    facilities: Sequence[Facility],
    sources: Sources,
    report: ImportReport,
) -> Case:
    """Write one case and everything its row and events state; the timeline is written last, in one call."""
    row = case_events.row
    case, result = rrm_services.save_case(
        case_id=row.case_id, facilities=facilities, fields=case_fields(case_events)
    )
    related = [
        _write_petition(row=row, case=case, report=report),
        *_write_review_stages(case_events, case=case),
    ]
    provenance = Provenance(row.source_url, _import_note(sources.cases, row.line))
    changed_around = _sync_timeline(
        case=case,
        wide=wide_slots(case_events, original=original, source=provenance),
        events=event_slots(case_events.events, events_name=sources.events, outcome=row.outcome),
        source_note=provenance.source_note,
        report=report,
    )
    changed_around = sync_outcomes(case=case, imported=case_events, sources=sources) or changed_around
    if result == WriteResult.UNCHANGED and (
        changed_around or any(other != WriteResult.UNCHANGED for other in related)
    ):
        result = WriteResult.UPDATED
    report.cases.add(result)
    return case


def _import_note(name: str, line: int) -> str:
    return f"{rrm_services.IMPORT_NOTE_PREFIX} {name} line {line}"


def _sync_timeline(
    *,
    case: Case,
    wide: list[rrm_services.TimelineSlot],
    events: list[rrm_services.TimelineSlot],
    source_note: str,
    report: ImportReport,
    whole_record: bool = True,
) -> bool:
    """Sync the case's imported timeline and replay its deadlines; True when either changed."""
    synced = rrm_services.sync_imported_timeline(
        case=case, slots=[*wide, *events], source_note=source_note, whole_record=whole_record
    )
    for outcome in synced.results[len(wide) :]:
        report.events.add(outcome)
    deadlines_changed = replay_recorded_case(case=case)
    report.events_written += len(synced.written)
    return bool(synced.written) or bool(deadlines_changed)


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


def _write_review_stages(case_events: CaseWithEvents, *, case: Case) -> list[WriteResult]:
    row = case_events.row
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
                case=case, requested_on=row.panel_requested_on, **panel_determination(case_events)
            )
        )
    return results


ProgressCallback = Callable[[int, int], None]


def progress_step(total: int) -> int | None:
    """Rows between two progress reports: a tenth of a long file; None (no reports) for a short one."""
    return max(1, total // 10) if total > PROGRESS_MIN_ROWS else None


def _refusal(line: int, refused: Exception) -> Problem:
    return Problem(line, None, f"refused by the database or a rule: {refused}".strip())


@dataclass(frozen=True)
class CheckedFiles:
    """The checked rows of both files, the events grouped by case, and the names they are tagged with."""

    rows: Sequence[CaseRow]
    events_of_case: dict[str, list[EventRow]]
    sources: Sources
    events_label: str

    def with_events(self, row: CaseRow) -> CaseWithEvents:
        return with_events(row, self.events_of_case.get(row.case_id, []), events_label=self.events_label)


def _write_cases(
    files: CheckedFiles,
    facilities: dict[tuple[str, str], Facility],
    report: ImportReport,
    errors: list[Problem],
    on_progress: ProgressCallback | None,
) -> None:
    step = progress_step(len(files.rows))
    for done, row in enumerate(files.rows, start=1):
        if row.facilities and all(listed.key in facilities for listed in row.facilities):
            try:
                with transaction.atomic():
                    import_row(
                        case_events=files.with_events(row),
                        original=row,
                        facilities=[facilities[listed.key] for listed in row.facilities],
                        sources=files.sources,
                        report=report,
                    )
            except (DomainError, DatabaseError) as refused:
                errors.append(_refusal(row.line, refused))
        if on_progress is not None and step is not None and (done % step == 0 or done == len(files.rows)):
            on_progress(done, len(files.rows))


def import_stored_case_events(
    *, case_id: str, events: Sequence[EventRow], sources: Sources, report: ImportReport
) -> None:
    """Events of a case stored but not in the cases file: only the acts they name are synced, and only
    the case's columns of those acts are set."""
    case = Case.objects.select_for_update().get(case_id=case_id)
    slots = event_slots(events, events_name=sources.events, outcome=case.outcome)
    changed = _sync_timeline(
        case=case,
        wide=[],
        events=slots,
        source_note=_import_note(sources.events, events[0].line),
        report=report,
        whole_record=False,
    )
    dates = {
        field_name: day_of(first_of(events, kinds))
        for field_name, kinds in SAME_ACT.values()
        if first_of(events, kinds) is not None
    }
    liquidation = liquidation_of(events)
    if liquidation.suspended_on is not None:
        dates |= {
            "liquidation_suspended_on": liquidation.suspended_on,
            "liquidation_resumed_on": liquidation.resumed_on,
        }
    changed = rrm_services.set_imported_dates(case=case, dates=dates) or changed
    report.cases.add(WriteResult.UPDATED if changed else WriteResult.UNCHANGED)


def write_rows(files: CheckedFiles, *, on_progress: ProgressCallback | None = None) -> ImportReport:
    """Write checked rows and events; a row the database refuses is reported by line and nothing is kept.

    Each facility, then each case, is written under its own savepoint, so that one refusal does not
    hide the problems of the rows after it.
    """
    report = ImportReport()
    errors: list[Problem] = []
    listings_of_facility: dict[tuple[str, str], list[Listing]] = {}
    for row in files.rows:
        for listed in row.facilities:
            listings_of_facility.setdefault(listed.key, []).append(Listing(row, listed))
    companies: dict[str, Company] = {}
    facilities: dict[tuple[str, str], Facility] = {}
    for key, listings in listings_of_facility.items():
        try:
            with transaction.atomic():
                facilities[key] = _write_facility(listings, report, companies)
        except (DomainError, DatabaseError) as refused:
            errors.append(_refusal(listings[0].row.line, refused))
    _write_cases(files, facilities, report, errors, on_progress)
    in_file = {row.case_id for row in files.rows}
    for case_id, events in files.events_of_case.items():
        if case_id not in in_file:
            try:
                with transaction.atomic():
                    import_stored_case_events(
                        case_id=case_id, events=events, sources=files.sources, report=report
                    )
            except (DomainError, DatabaseError) as refused:
                errors.append(
                    Problem(
                        events[0].line,
                        None,
                        f"refused by the database or a rule: {refused}",
                        files.events_label,
                    )
                )
    if errors:
        raise ImportRejected(errors=errors, warnings=[])
    report.notices = [notice for row in files.rows for notice in files.with_events(row).notices]
    return report


def _read_events(events_path: Path | None, *, today: dt.date, label: str) -> ParsedEvents:
    return ParsedEvents() if events_path is None else parse_events_file(events_path, today=today, label=label)


def import_cases_file(
    path: Path, *, events_path: Path | None = None, on_progress: ProgressCallback | None = None
) -> ImportReport:
    """Check both files whole, then write them in one transaction; raises ImportRejected, writing nothing.

    Problems of the events file name it as `events_path` was given.
    """
    today = timezone.localdate()
    events_label = str(events_path) if events_path is not None else ""
    parsed = parse_file(path, today=today)
    events = _read_events(events_path, today=today, label=events_label)
    warnings = parsed.warnings + events.warnings
    with transaction.atomic():
        in_database = set(
            Case.objects.filter(case_id__in={event.case_id for event in events.rows}).values_list(
                "case_id", flat=True
            )
        )
        errors = (
            parsed.errors
            + events.errors
            + check_against_database(parsed.rows)
            + check_event_cases(
                events,
                in_cases_file={row.case_id for row in parsed.rows},
                in_database=in_database,
                label=events_label,
            )
        )
        if errors:
            raise ImportRejected(errors=errors, warnings=warnings)
        events_of_case: dict[str, list[EventRow]] = {}
        for event in events.rows:
            events_of_case.setdefault(event.case_id, []).append(event)
        files = CheckedFiles(
            rows=parsed.rows,
            events_of_case=events_of_case,
            sources=Sources(cases=path.name, events=events_path.name if events_path else ""),
            events_label=events_label,
        )
        try:
            report = write_rows(files, on_progress=on_progress)
        except ImportRejected as refused:
            raise ImportRejected(errors=refused.errors, warnings=warnings) from None
    report.warnings = warnings
    return report
