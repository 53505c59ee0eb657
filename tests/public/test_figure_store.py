"""The statistics kept on write (public.figure_store) stay exactly equal to the GROUP BY over the record
(public.statistics) whatever writes come: new cases, events, corrections, deadlines, petitions, a
facility or an organisation that changes, and deletes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from petitions.models import Petition
from public import figure_store
from public.statistics import GROUPINGS, statistics
from rrm.choices import (
    CaseRecordBasis,
    DateBasis,
    DatePrecision,
    DeadlineStatus,
    EventKind,
    Initiation,
    MexicanState,
    Outcome,
    Sector,
)
from rrm.models import Case, Deadline, Facility, Organisation, TimelineEvent
from tests.factories import (
    CaseFactory,
    CompanyFactory,
    DeadlineFactory,
    DeadlineRuleFactory,
    FacilityFactory,
    OrganisationFactory,
    PetitionerFactory,
    PetitionFactory,
    TimelineEventFactory,
)

TODAY = dt.date(2025, 6, 1)
# The kinds the statistics read, and one they do not.
KINDS = (
    EventKind.PETITION_RECEIVED,
    EventKind.ILC_DETERMINATION,
    EventKind.ILC_DECLINED,
    EventKind.REQUEST_FOR_REVIEW,
    EventKind.MEXICO_ACCEPTED,
    EventKind.MEXICO_DECLINED,
    EventKind.MEXICO_NO_RESPONSE,
    EventKind.MEXICO_FINDING_DENIAL,
    EventKind.MEXICO_FINDING_NO_DENIAL,
    EventKind.MEXICO_FINDING_REMEDIED,
    EventKind.REMEDIATION_AGREED,
    EventKind.PANEL_REQUESTED,
    EventKind.PANEL_DETERMINATION_DENIAL,
    EventKind.NOTE,
)
DAYS = st.integers(min_value=0, max_value=40).map(
    lambda offset: dt.date(2024, 5, 1) + dt.timedelta(days=offset)
)


def every_grouping() -> dict[str | None, list[dict[str, Any]]]:
    return {
        group_by: figure_store.stored_statistics(group_by=group_by, today=TODAY)
        for group_by in (None, *GROUPINGS)
    }


def recomputed() -> dict[str | None, list[dict[str, Any]]]:
    return {
        group_by: statistics(
            cases=Case.objects.all(), deadlines=Deadline.objects.all(), group_by=group_by, today=TODAY
        )
        for group_by in (None, *GROUPINGS)
    }


class World:
    """A few facilities, organisations and rules the random writes draw from."""

    def __init__(self) -> None:
        companies = CompanyFactory.create_batch(2)
        self.facilities = [
            FacilityFactory(operator=companies[index % 2], sector=sector, state=state)
            for index, (sector, state) in enumerate(
                [
                    (Sector.MANUFACTURING, MexicanState.GUA),
                    (Sector.MINING, MexicanState.COA),
                    (Sector.SERVICES, MexicanState.GUA),
                ]
            )
        ]
        self.organisations = [OrganisationFactory(kind=kind) for kind in Organisation.Kind.values[:3]]
        self.rules = DeadlineRuleFactory.create_batch(2)


def new_case(world: World, data: st.DataObject) -> None:
    initiation = data.draw(st.sampled_from(Initiation.values))
    received = None if initiation == Initiation.SELF_INITIATED else data.draw(st.none() | DAYS)
    CaseFactory(
        facility=data.draw(st.sampled_from(world.facilities)),
        initiation=initiation,
        outcome=data.draw(st.sampled_from(Outcome.values[:4] + [Outcome.OPEN])),
        petition_received_on=received,
        request_for_review_on=data.draw(st.none() | st.just(dt.date(2024, 7, 1))),
        backpay_usd=data.draw(st.none() | st.decimals(min_value=0, max_value=1000, places=2)),
        backpay_is_floor=data.draw(st.booleans()),
        workers_covered=data.draw(st.none() | st.integers(min_value=0, max_value=900)),
        record_basis=data.draw(st.sampled_from(CaseRecordBasis.values)),
    )


def a_case(data: st.DataObject) -> Case | None:
    cases = list(Case.objects.order_by("pk"))
    return data.draw(st.sampled_from(cases)) if cases else None


def new_event(world: World, data: st.DataObject) -> None:
    case = a_case(data)
    if case is not None:
        TimelineEventFactory(
            case=case,
            kind=data.draw(st.sampled_from(KINDS)),
            occurred_on=data.draw(DAYS),
            date_precision=data.draw(st.sampled_from(DatePrecision.values)),
            date_basis=data.draw(st.sampled_from(DateBasis.values)),
        )


def correction(world: World, data: st.DataObject) -> None:
    events = list(TimelineEvent.objects.filter(corrections__isnull=True).order_by("pk"))
    if events:
        event = data.draw(st.sampled_from(events))
        TimelineEventFactory(
            case=event.case, kind=event.kind, occurred_on=data.draw(DAYS), corrects=event, source_note="fix"
        )


def edit_case(world: World, data: st.DataObject) -> None:
    case = a_case(data)
    if case is not None:
        case.outcome = data.draw(st.sampled_from(Outcome.values))
        case.backpay_usd = data.draw(st.none() | st.just(Decimal("12.50")))
        case.facility = data.draw(st.sampled_from(world.facilities))
        case.record_basis = data.draw(st.sampled_from(CaseRecordBasis.values))
        case.save()


def facility_moves(world: World, data: st.DataObject) -> None:
    facility = data.draw(st.sampled_from(world.facilities))
    Facility.objects.filter(pk=facility.pk).update(
        sector=data.draw(st.sampled_from(Sector.values)),
        state=data.draw(st.sampled_from(MexicanState.values[:3])),
    )


def new_deadline(world: World, data: st.DataObject) -> None:
    case = a_case(data)
    if case is not None:
        DeadlineFactory(
            case=case,
            rule=data.draw(st.sampled_from(world.rules)),
            status=data.draw(st.sampled_from(DeadlineStatus.values)),
            due_date=TODAY + dt.timedelta(days=data.draw(st.integers(min_value=-3, max_value=3))),
            satisfied_on=TODAY,
        )


def deadline_changes(world: World, data: st.DataObject) -> None:
    deadlines = list(Deadline.objects.order_by("pk"))
    if deadlines:
        deadline = data.draw(st.sampled_from(deadlines))
        if data.draw(st.booleans()):
            deadline.delete()
        else:
            Deadline.objects.filter(pk=deadline.pk).update(
                status=data.draw(st.sampled_from(DeadlineStatus.values))
            )


def new_petition(world: World, data: st.DataObject) -> None:
    case = a_case(data)
    if case is not None:
        petition = PetitionFactory(
            case=case,
            anonymous=data.draw(st.booleans()),
            status=data.draw(st.sampled_from(Petition.Status.values)),
        )
        PetitionerFactory(
            petition=petition,
            organisation=data.draw(st.sampled_from(world.organisations)),
            identity_confidential=data.draw(st.booleans()),
        )


def organisation_changes(world: World, data: st.DataObject) -> None:
    organisation = data.draw(st.sampled_from(world.organisations))
    Organisation.objects.filter(pk=organisation.pk).update(
        kind=data.draw(st.sampled_from(Organisation.Kind.values))
    )


def deletes(world: World, data: st.DataObject) -> None:
    petitions = list(Petition.objects.order_by("pk"))
    if petitions and data.draw(st.booleans()):
        data.draw(st.sampled_from(petitions)).delete()
        return
    bare = list(
        Case.objects.filter(events__isnull=True, deadlines__isnull=True, petitions__isnull=True).order_by(
            "pk"
        )
    )
    if bare:
        data.draw(st.sampled_from(bare)).delete()


WRITES = (
    new_case,
    new_case,
    new_event,
    new_event,
    new_event,
    correction,
    edit_case,
    facility_moves,
    new_deadline,
    deadline_changes,
    new_petition,
    organisation_changes,
    deletes,
)


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a database history takes minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_it_keeps_every_figure_equal_to_the_group_by_after_random_writes(data: st.DataObject) -> None:
    with transaction.atomic():
        world = World()
        for _ in range(data.draw(st.integers(min_value=5, max_value=40))):
            write = data.draw(st.sampled_from(WRITES))
            try:
                with transaction.atomic():
                    write(world, data)
            except IntegrityError:
                pass  # a write the record refuses (a second open clock of a rule) must change nothing

        assert every_grouping() == recomputed()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_it_counts_a_case_moved_to_another_sector_in_its_new_group() -> None:
    world = World()
    case = CaseFactory(facility=world.facilities[0])
    before = {
        group["key"]: group["n"] for group in figure_store.stored_statistics(group_by="sector", today=TODAY)
    }

    Facility.objects.filter(pk=case.facility_id).update(sector=Sector.SERVICES)

    after = {
        group["key"]: group["n"] for group in figure_store.stored_statistics(group_by="sector", today=TODAY)
    }
    assert before == {Sector.MANUFACTURING: 1}
    assert after == {Sector.SERVICES: 1}


@pytest.mark.django_db
def test_it_installed_the_triggers_of_the_current_definitions() -> None:
    """A change to the statistics' definitions needs a new migration holding figure_store's new SQL."""
    body = figure_store.install_sql().rsplit("\nCOMMENT ON", 1)[0]

    assert figure_store.installed_fingerprint() == figure_store.fingerprint(body)


@pytest.mark.django_db
def test_it_computes_percentiles_from_the_histogram_as_postgresql_does() -> None:
    values = [3, 3, 4, 10, 11, 11, 11, 40]
    histogram = [(value, values.count(value)) for value in sorted(set(values))]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP (ORDER BY v) FROM unnest(%s) v",
            [values],
        )
        (expected,) = cursor.fetchone()

    assert [figure_store.percentile(histogram, 0.5), figure_store.percentile(histogram, 0.9)] == expected


@pytest.mark.django_db(transaction=True)
def test_it_empties_the_kept_figures_with_the_record() -> None:
    CaseFactory()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE rrm_case CASCADE")

    assert [group["n"] for group in figure_store.stored_statistics(group_by=None, today=TODAY)] == [0]
    assert figure_store.stored_statistics(group_by="sector", today=TODAY) == []
