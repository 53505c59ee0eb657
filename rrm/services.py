"""Writes of the case record: companies, facilities, organisations, cases and their timelines.

Every function takes keyword arguments only, runs in a transaction, and writes nothing when the
stored row already says what it is given, so that running an import twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext

from rrm import deadlines, step_dates, workflow
from rrm.choices import EventKind, Language
from rrm.errors import DomainError, InvalidDate
from rrm.models import (
    Case,
    CaseFacility,
    CaseWatch,
    Company,
    Deadline,
    DeadlineRule,
    Facility,
    Notification,
    Organisation,
    TimelineEvent,
    WebhookEndpoint,
)
from rrm.notifications.outbox import enqueue_deliveries
from rrm.notifications.signing import derive_webhook_secret
from rrm.selectors import effective_event_rows, effective_events

# Every event an import writes has a source note starting with this; imports only ever correct
# events that carry it, so a date recorded by staff through the workflow is never retracted by a file.
IMPORT_NOTE_PREFIX = "import:"


class WriteResult(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


ModelT = TypeVar("ModelT", bound=Model)


def apply_changes(instance: Model, values: Mapping[str, Any]) -> bool:
    """Set the values that differ and save only those; True when something was saved."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


def create_or_update(
    model: type[ModelT], *, existing: ModelT | None, values: Mapping[str, Any], **identity: Any
) -> tuple[ModelT, WriteResult]:
    """`existing` brought up to date with `values`; where there is none, a new row of `identity` and
    `values`."""
    if existing is None:
        return model._default_manager.create(**identity, **values), WriteResult.CREATED
    changed = apply_changes(existing, values)
    return existing, WriteResult.UPDATED if changed else WriteResult.UNCHANGED


def save_validated(instance: ModelT, values: Mapping[str, Any]) -> ModelT:
    """Set the values, check the row as the model and its constraints do, and save it whole."""
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def get_or_create_company(*, name: str) -> tuple[Company, bool]:
    """The company of that name, compared without regard to case; created if there is none."""
    company = Company.objects.filter(name__iexact=name).first()
    if company is not None:
        return company, False
    return Company.objects.create(name=name), True


@dataclass(frozen=True)
class FacilityFields:
    city: str
    country: str
    state: str
    sector: str
    subsector: str
    sector_reported: str
    headcount: int | None


@transaction.atomic
def save_facility(*, operator: Company, name: str, fields: FacilityFields) -> tuple[Facility, WriteResult]:
    """The operator's facility of that name (case-insensitive), created or brought up to date."""
    facility = Facility.objects.filter(operator=operator, name__iexact=name).first()
    return create_or_update(Facility, existing=facility, values=asdict(fields), operator=operator, name=name)


@transaction.atomic
def get_or_create_organisation(*, name: str) -> tuple[Organisation, bool]:
    """The organisation of that name (case-insensitive); a new one has kind 'unknown' and no country."""
    organisation = Organisation.objects.filter(name__iexact=name).first()
    if organisation is not None:
        return organisation, False
    return Organisation.objects.create(name=name, kind=Organisation.Kind.UNKNOWN, country=""), True


@dataclass(frozen=True)
class CaseFields:
    """The columns of a case that a public source can state; title and summaries stay with staff."""

    annex: str
    complainant: str
    respondent: str
    initiation: str
    stage: str
    outcome: str
    outcome_date: dt.date | None
    ustr_invocation_no: int | None
    petition_received_on: dt.date | None
    request_for_review_on: dt.date | None
    mexico_response: str
    mexico_response_on: dt.date | None
    remediation_agreed_on: dt.date | None
    panel_requested_on: dt.date | None
    liquidation_suspended_on: dt.date | None
    liquidation_resumed_on: dt.date | None
    record_basis: str
    backpay_usd: Decimal | None
    backpay_is_floor: bool
    workers_covered: int | None
    source_url: str
    notes: str


@transaction.atomic
def save_case(
    *, case_id: str, facilities: Sequence[Facility], fields: CaseFields
) -> tuple[Case, WriteResult]:
    """The case with that case_id, created or brought up to date with the given fields and the
    facilities it covers, in their order (the first becomes its `facility`)."""
    values = {"facility": facilities[0], **asdict(fields)}
    case = Case.objects.select_for_update().filter(case_id=case_id).first()
    case, result = create_or_update(Case, existing=case, values=values, case_id=case_id)
    relisted = _list_facilities(case=case, facilities=facilities)
    if relisted and result == WriteResult.UNCHANGED:
        result = WriteResult.UPDATED
    return case, result


def _list_facilities(*, case: Case, facilities: Sequence[Facility]) -> bool:
    """Make the case's facilities after its first the given ones, in order; True when that changed.

    The first (position 0) follows the case's `facility` by a database trigger."""
    wanted = [facility.pk for facility in facilities[1:]]
    links = CaseFacility.objects.filter(case=case, position__gt=0)
    if list(links.order_by("position").values_list("facility_id", flat=True)) == wanted:
        return False
    links.delete()
    CaseFacility.objects.bulk_create(
        CaseFacility(case=case, facility_id=facility_id, position=position)
        for position, facility_id in enumerate(wanted, start=1)
    )
    return True


@dataclass(frozen=True)
class DatedFact:
    """A dated fact a public source states, with that source and how its date is known."""

    kind: str
    occurred_on: dt.date
    description: str
    source_url: str
    source_note: str
    data: Mapping[str, Any] = field(default_factory=dict)
    date_precision: str = TimelineEvent.Precision.DAY
    date_basis: str = TimelineEvent.Basis.ACT


@dataclass(frozen=True)
class TimelineSlot:
    """One fact to record, and the event kinds whose recorded event it corrects when it is new.

    Mexico's answer has several kinds: a change from 'accepted' to 'declined' corrects the earlier
    event instead of standing beside it. Several slots may share kinds (three votes of one case).
    """

    name: str
    kinds: tuple[str, ...]
    fact: DatedFact


@dataclass(frozen=True)
class SyncedTimeline:
    """What a sync wrote, and for each slot in order whether its fact was new, a correction or there."""

    written: list[TimelineEvent]
    results: list[WriteResult]


def _imported_effective_events(case: Case) -> list[TimelineEvent]:
    return list(effective_event_rows(case=case).filter(source_note__startswith=IMPORT_NOTE_PREFIX))


def _records(event: TimelineEvent, fact: DatedFact) -> bool:
    return (
        event.kind == fact.kind
        and event.occurred_on == fact.occurred_on
        and event.data == dict(fact.data)
        and event.description == fact.description
        and event.source_url == fact.source_url
        and event.date_precision == fact.date_precision
        and event.date_basis == fact.date_basis
    )


def _unclaimed(events: list[TimelineEvent], claimed: set[int], slot: TimelineSlot) -> list[TimelineEvent]:
    return [event for event in events if event.pk not in claimed and event.kind in slot.kinds]


@transaction.atomic
def sync_imported_timeline(
    *, case: Case, slots: Sequence[TimelineSlot], source_note: str, whole_record: bool = True
) -> SyncedTimeline:
    """Make the case's imported timeline say what the slots say, by appending events only.

    A fact already recorded writes nothing; a new one writes an event that corrects an unmatched
    event of its kinds, if there is one. With `whole_record`, the slots are all the sources say of the
    case and every other imported event is retracted (source_note tags the retractions); otherwise
    only events of the slots' kinds are. An empty `written` means the timeline was already in step.
    """
    current = _imported_effective_events(case)
    claimed: set[int] = set()
    kept: dict[int, TimelineEvent] = {}
    for index, slot in enumerate(slots):
        match = next((e for e in _unclaimed(current, claimed, slot) if _records(e, slot.fact)), None)
        if match is not None:
            kept[index] = match
            claimed.add(match.pk)
    written: list[TimelineEvent] = []
    results: list[WriteResult] = []
    for index, slot in enumerate(slots):
        if index in kept:
            results.append(WriteResult.UNCHANGED)
            continue
        replaced = next(iter(_unclaimed(current, claimed, slot)), None)
        if replaced is not None:
            claimed.add(replaced.pk)
        written.append(_record_fact(case=case, fact=slot.fact, corrects=replaced))
        results.append(WriteResult.CREATED if replaced is None else WriteResult.UPDATED)
    kinds = {kind for slot in slots for kind in slot.kinds}
    stale = [e for e in current if e.pk not in claimed and (whole_record or e.kind in kinds)]
    written.extend(_retract(event=event, source_note=source_note) for event in stale)
    return SyncedTimeline(written=written, results=results)


def _record_fact(*, case: Case, fact: DatedFact, corrects: TimelineEvent | None) -> TimelineEvent:
    return TimelineEvent.objects.create(
        case=case,
        kind=fact.kind,
        occurred_on=fact.occurred_on,
        date_precision=fact.date_precision,
        date_basis=fact.date_basis,
        description=fact.description,
        data=dict(fact.data),
        source_url=fact.source_url,
        source_note=fact.source_note,
        corrects=corrects,
    )


def _retract(*, event: TimelineEvent, source_note: str) -> TimelineEvent:
    return TimelineEvent.objects.create(
        case=event.case,
        kind=EventKind.CORRECTION,
        occurred_on=event.occurred_on,
        date_precision=event.date_precision,
        description=f"Retracted: the sources no longer give this {event.kind} of {event.occurred_on}.",
        data={"retracted": True},
        source_note=source_note,
        corrects=event,
    )


@transaction.atomic
def set_imported_dates(*, case: Case, dates: Mapping[str, dt.date | None]) -> bool:
    """Set dated columns of a case that only its imported events changed; True when one changed."""
    return apply_changes(case, dates)


# --- Case-management API (issue 4) ------------------------------------------------------------------------

# Case fields staff edit directly; dated milestones, stage and outcome move only through rrm.workflow.
EDITABLE_CASE_FIELDS = (
    "title",
    "summary_en",
    "summary_es",
    "backpay_usd",
    "backpay_is_floor",
    "workers_covered",
    "source_url",
    "notes",
)


@transaction.atomic
def update_case_details(*, case_id: str, values: Mapping[str, Any]) -> Case:
    unknown = set(values) - set(EDITABLE_CASE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}.")
    case = Case.objects.select_for_update().get(case_id=case_id)
    apply_changes(case, values)
    return case


@transaction.atomic
def record_correction(
    *,
    case_id: str,
    corrects_id: int,
    reason: str,
    corrected_on: dt.date | None,
    user: User | AnonymousUser | None,
) -> TimelineEvent:
    """Correct one event by appending: a new dated event that replaces it, or a retraction.

    A step that moved the case to another stage can have its date corrected but cannot be retracted:
    the stage it reached stays, and the step that follows it is what staff record next. When the
    corrected event starts or stops a clock, the case's deadlines are derived again from the corrected
    timeline (rrm.deadlines.replay_case_deadlines).
    """
    case = Case.objects.select_for_update().get(case_id=case_id)
    target = TimelineEvent.objects.get(case=case, pk=corrects_id)
    if target.kind == EventKind.CORRECTION or target.corrections.exists():
        raise DomainError(
            gettext("Event %(event)s is a correction or was already corrected; correct the latest one.")
            % {"event": target.pk}
        )
    if corrected_on is None and target.to_stage:
        raise DomainError(
            gettext(
                "Event %(event)s moved the case to '%(stage)s': correct its date, or record the step that "
                "follows; a step cannot be retracted."
            )
            % {"event": target.pk, "stage": target.to_stage}
        )
    if corrected_on is not None and corrected_on > timezone.localdate():
        raise InvalidDate(gettext("%(day)s is in the future.") % {"day": corrected_on})
    if corrected_on is not None:
        step_dates.check_date_floors(case=case, on=corrected_on)
    actor = user if isinstance(user, User) else None
    correction = TimelineEvent.objects.create(
        case=case,
        kind=target.kind if corrected_on is not None else EventKind.CORRECTION,
        occurred_on=corrected_on or target.occurred_on,
        from_stage=target.from_stage if corrected_on is not None else "",
        to_stage=target.to_stage if corrected_on is not None else "",
        description=reason,
        source_note="correction recorded by staff",
        data={**target.data, "corrected_date": target.occurred_on.isoformat()}
        if corrected_on is not None
        else {"retracted": True},
        corrects=target,
        recorded_by=actor,
    )
    if _event_moves_a_clock(target.kind):
        # Clocks the corrected event started stop first, so the replay can open their replacements.
        started = Deadline.objects.filter(case=case, start_event=target, status=Deadline.Status.OPEN)
        deadlines.cancel_open_deadlines(
            case=case,
            codes=list(started.values_list("rule__code", flat=True)),
            note="Its start event was corrected.",
        )
        deadlines.replay_case_deadlines(
            case=case,
            events=effective_events(case=case),
            case_is_closed=case.stage in workflow.TERMINAL_STAGES,
        )
    if corrected_on is not None:
        column = workflow.MILESTONES.get(EventKind(target.kind))
        if column is not None and getattr(case, column) == target.occurred_on:
            setattr(case, column, corrected_on)
            case.save(update_fields=[column, "updated_at"])
    return correction


def _event_moves_a_clock(kind: str) -> bool:
    rules = DeadlineRule.objects.values_list("start_event", "satisfied_by")
    return any(kind == start or kind in satisfied for start, satisfied in rules)


@transaction.atomic
def watch_case(*, case: Case, user: User, language: str = Language.EN) -> tuple[CaseWatch, bool]:
    """The user's watch of the case; watching again keeps the watch and takes the new language."""
    watch, created = CaseWatch.objects.get_or_create(case=case, user=user, defaults={"language": language})
    if not created and watch.language != language:
        watch.language = language
        watch.save(update_fields=["language"])
    return watch, created


@transaction.atomic
def unwatch_case(*, case: Case, user: User) -> bool:
    deleted, _ = CaseWatch.objects.filter(case=case, user=user).delete()
    return bool(deleted)


@dataclass(frozen=True)
class RegisteredWebhook:
    endpoint: WebhookEndpoint
    secret: str


@transaction.atomic
def register_webhook(*, organisation: Organisation, url: str, cases: Sequence[Case]) -> RegisteredWebhook:
    """A new endpoint with a fresh salt; the secret derived from it is returned once and never stored."""
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation, url=url, secret_salt=secrets.token_hex(32)
    )
    endpoint.cases.set(cases)
    return RegisteredWebhook(endpoint=endpoint, secret=derive_webhook_secret(endpoint))


@transaction.atomic
def update_webhook(
    *, endpoint: WebhookEndpoint, active: bool | None = None, cases: Sequence[Case] | None = None
) -> WebhookEndpoint:
    if active is not None and active != endpoint.active:
        endpoint.active = active
        endpoint.save(update_fields=["active", "updated_at"])
    if cases is not None:
        endpoint.cases.set(cases)
    return endpoint


@transaction.atomic
def queue_test_delivery(*, endpoint: WebhookEndpoint) -> Notification:
    """One signed test message through the outbox, delivered by the same task as deadline alerts."""
    if not endpoint.active:
        raise DomainError(
            gettext("Webhook endpoint %(endpoint)s is inactive; activate it before testing it.")
            % {"endpoint": endpoint.pk}
        )
    notification = Notification.objects.create(
        channel=Notification.Channel.WEBHOOK,
        endpoint=endpoint,
        payload={
            "event": "webhook.test",
            "organisation": endpoint.organisation.name,
            "message": "Test delivery from the RRM case record.",
        },
    )
    transaction.on_commit(partial(enqueue_deliveries, [notification.pk]))
    return notification


def subscribe_organisation_webhooks(*, case: Case, organisations: Sequence[Organisation]) -> int:
    """Add the case to the active endpoints of these organisations that list their cases; returns how
    many were added. An endpoint that lists no case already receives every case of its organisation."""
    endpoints = WebhookEndpoint.objects.filter(
        organisation__in=organisations, active=True, cases__isnull=False
    ).distinct()
    added = 0
    for endpoint in endpoints:
        if not endpoint.cases.filter(pk=case.pk).exists():
            endpoint.cases.add(case)
            added += 1
    return added
