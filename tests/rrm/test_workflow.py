import datetime as dt

import pytest

from rrm import workflow
from rrm.choices import Annex, EventKind, Initiation, Outcome, Stage
from rrm.errors import InvalidDate, InvalidTransition
from rrm.models import Deadline, TimelineEvent
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def step(case, action, on, **kwargs):
    return workflow.transition(case_id=case.case_id, action=action, on=on, source_note="test", **kwargs)


def deadline(case, code):
    return Deadline.objects.get(case=case, rule__code=code)


def test_it_opens_the_ilc_clock_on_receipt():
    case = CaseFactory()
    step(case, "record_receipt", dt.date(2021, 5, 10))
    ilc = deadline(case, "ilc_screening")
    assert (ilc.status, ilc.start_date, ilc.due_date) == ("open", dt.date(2021, 5, 10), dt.date(2021, 6, 9))


def test_it_settles_the_ilc_clock_as_met_when_the_request_comes_on_time():
    case = CaseFactory()
    step(case, "record_receipt", dt.date(2021, 5, 10))
    step(case, "request_review", dt.date(2021, 6, 9))
    ilc = deadline(case, "ilc_screening")
    assert (ilc.status, ilc.days_late, ilc.satisfied_on) == ("met", 0, dt.date(2021, 6, 9))


def test_it_settles_a_clock_as_late_by_the_days_past_due():
    case = CaseFactory()
    step(case, "record_receipt", dt.date(2023, 9, 20))
    step(case, "request_review", dt.date(2023, 10, 23))
    ilc = deadline(case, "ilc_screening")
    assert (ilc.status, ilc.due_date, ilc.days_late) == ("late", dt.date(2023, 10, 20), 3)


def test_it_opens_mexicos_response_and_review_clocks_with_the_request():
    case = CaseFactory()
    step(case, "record_receipt", dt.date(2023, 4, 20))
    step(case, "request_review", dt.date(2023, 5, 22))
    assert deadline(case, "mexico_response").due_date == dt.date(2023, 6, 1)
    assert deadline(case, "mexico_review").due_date == dt.date(2023, 7, 6)


def test_it_suspends_liquidation_with_a_31a_request_and_resumes_it_on_resolution():
    case = CaseFactory(annex=Annex.A31)
    step(case, "record_receipt", dt.date(2023, 4, 20))
    step(case, "request_review", dt.date(2023, 5, 22))
    step(case, "mexico_accepts", dt.date(2023, 5, 30))
    case.refresh_from_db()
    assert case.is_liquidation_suspended and case.liquidation_suspended_on == dt.date(2023, 5, 22)
    step(case, "finding_remedied", dt.date(2023, 7, 1))
    case.refresh_from_db()
    kinds = list(case.events.values_list("kind", flat=True))
    assert case.liquidation_resumed_on == dt.date(2023, 7, 1)
    assert (
        kinds.count(EventKind.LIQUIDATION_SUSPENDED) == 1 and kinds.count(EventKind.LIQUIDATION_RESUMED) == 1
    )


def test_it_records_each_transition_as_a_timeline_event_with_both_stages():
    case = CaseFactory()
    result = step(case, "record_receipt", dt.date(2022, 4, 18))
    event = TimelineEvent.objects.get(pk=result.event.pk)
    assert (event.kind, event.from_stage, event.to_stage) == (
        EventKind.PETITION_RECEIVED,
        Stage.SUBMITTED,
        Stage.ILC_REVIEW,
    )


def test_it_runs_a_case_from_receipt_to_a_completed_course_of_remediation():
    case = CaseFactory()
    for action, on in [
        ("record_receipt", dt.date(2023, 4, 20)),
        ("request_review", dt.date(2023, 5, 22)),
        ("mexico_accepts", dt.date(2023, 5, 30)),
        ("finding_denial", dt.date(2023, 7, 5)),
        ("agree_remediation", dt.date(2023, 7, 14)),
        ("complete_remediation", dt.date(2024, 2, 5)),
        ("close", dt.date(2024, 2, 5)),
    ]:
        step(case, action, on)
    case.refresh_from_db()
    statuses = dict(Deadline.objects.filter(case=case).values_list("rule__code", "status"))
    assert (case.stage, case.outcome) == (Stage.CLOSED, Outcome.COURSE_OF_REMEDIATION_COMPLETED)
    assert statuses == {
        "ilc_screening": "met",
        "mexico_response": "met",
        "mexico_review": "met",
        "remediation_consultations": "met",
    }


def test_it_refuses_an_illegal_transition_naming_the_stage_and_the_allowed_steps():
    case = CaseFactory()
    step(case, "record_receipt", dt.date(2022, 4, 18))
    with pytest.raises(InvalidTransition) as error:
        step(case, "mexico_accepts", dt.date(2022, 4, 20))
    message = str(error.value)
    assert "'ilc_review'" in message and "request_review" in message and "decline_petition" in message


def test_it_lets_only_a_self_initiated_case_skip_the_ilc_screening():
    petition_case = CaseFactory()
    self_initiated = CaseFactory(initiation=Initiation.SELF_INITIATED)
    step(self_initiated, "request_review", dt.date(2021, 5, 12))
    with pytest.raises(InvalidTransition):
        step(petition_case, "request_review", dt.date(2021, 5, 12))
    self_initiated.refresh_from_db()
    assert self_initiated.stage == Stage.REQUEST_SENT


def test_it_refuses_an_event_dated_before_the_previous_one():
    case = CaseFactory()
    step(case, "record_receipt", dt.date(2022, 4, 18))
    with pytest.raises(InvalidDate, match="before the case's latest event"):
        step(case, "request_review", dt.date(2022, 4, 17))
    assert TimelineEvent.objects.filter(case=case).count() == 1


def test_it_refuses_an_event_dated_in_the_future():
    case = CaseFactory()
    with pytest.raises(InvalidDate, match="in the future"):
        step(case, "record_receipt", dt.date.today() + dt.timedelta(days=2))


def test_it_cancels_open_clocks_when_the_case_reaches_a_terminal_stage():
    case = CaseFactory()
    step(case, "record_receipt", dt.date(2023, 4, 20))
    step(case, "request_review", dt.date(2023, 5, 22))
    step(case, "mexico_declines", dt.date(2023, 5, 30))
    step(case, "close_no_action", dt.date(2023, 6, 30))
    statuses = dict(Deadline.objects.filter(case=case).values_list("rule__code", "status"))
    assert statuses == {"ilc_screening": "met", "mexico_response": "met", "mexico_review": "cancelled"}


def test_it_moves_a_deadline_by_an_agreed_extension_and_records_before_and_after():
    case = CaseFactory()
    step(case, "record_receipt", dt.date(2023, 4, 20))
    step(case, "request_review", dt.date(2023, 5, 22))
    review = deadline(case, "mexico_review")
    workflow.extend_deadline(
        deadline_id=review.pk, days=10, on=dt.date(2023, 6, 1), reason="agreed by letter"
    )
    review.refresh_from_db()
    event = TimelineEvent.objects.get(case=case, kind=EventKind.EXTENSION_AGREED)
    assert review.due_date == dt.date(2023, 7, 16)
    assert (event.data["due_before"], event.data["due_after"]) == ("2023-07-06", "2023-07-16")


def test_it_pushes_every_open_clock_by_the_length_of_a_suspension():
    case = CaseFactory()
    step(case, "record_receipt", dt.date(2023, 4, 20))
    step(case, "request_review", dt.date(2023, 5, 22))
    workflow.suspend_clocks(
        case_id=case.case_id, start=dt.date(2023, 5, 25), end=dt.date(2023, 5, 29), reason="strike"
    )
    dues = dict(Deadline.objects.filter(case=case, status="open").values_list("rule__code", "due_date"))
    moves = TimelineEvent.objects.filter(case=case, kind=EventKind.CLOCK_SUSPENDED).count()
    assert dues == {"mexico_response": dt.date(2023, 6, 6), "mexico_review": dt.date(2023, 7, 11)}
    assert moves == 2


def test_it_moves_an_open_deadline_when_a_holiday_falls_on_its_due_date():
    case = CaseFactory()
    step(case, "record_receipt", dt.date(2021, 5, 10))
    moved = workflow.add_holiday(calendar="US", day=dt.date(2021, 6, 9), name="Decreed closure")
    ilc = deadline(case, "ilc_screening")
    assert [d.pk for d in moved] == [ilc.pk]
    assert ilc.due_date == dt.date(2021, 6, 10)
    assert TimelineEvent.objects.filter(case=case, data__due_after="2021-06-10").exists()


def test_it_leaves_deadlines_alone_when_a_holiday_falls_outside_their_window():
    case = CaseFactory()
    step(case, "record_receipt", dt.date(2021, 5, 10))
    moved = workflow.add_holiday(calendar="US", day=dt.date(2021, 7, 9), name="Decreed closure")
    assert moved == [] and deadline(case, "ilc_screening").due_date == dt.date(2021, 6, 9)


def test_it_alerts_an_extended_deadline_at_the_thresholds_of_its_new_due_date_once_each():
    from rrm.models import DeadlineAlert
    from rrm.notifications.sweep import sweep_deadlines

    case = CaseFactory()
    step(case, "record_receipt", dt.date(2023, 4, 20))
    step(case, "request_review", dt.date(2023, 5, 22))
    review = deadline(case, "mexico_review")
    sweep_deadlines(today=dt.date(2023, 7, 5))  # one day before 2023-07-06
    workflow.extend_deadline(deadline_id=review.pk, days=10, on=dt.date(2023, 7, 5), reason="agreed")
    sweep_deadlines(today=dt.date(2023, 7, 9))  # seven days before 2023-07-16
    sweep_deadlines(today=dt.date(2023, 7, 15))  # one day before, already alerted at that threshold
    leads = sorted(DeadlineAlert.objects.filter(deadline=review).values_list("lead_days", flat=True))
    assert leads == [1, 7]
