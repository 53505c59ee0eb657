import datetime as dt
import threading

import pytest
from django.db import connection

from rrm import workflow
from rrm.choices import Stage
from rrm.errors import InvalidTransition
from rrm.models import TimelineEvent
from tests.factories import CaseFactory


@pytest.mark.django_db(transaction=True)
def test_it_lets_only_one_of_two_concurrent_transitions_of_a_case_succeed():
    case = CaseFactory()
    workflow.transition(
        case_id=case.case_id, action="record_receipt", on=dt.date(2023, 4, 20), source_note="t"
    )
    workflow.transition(
        case_id=case.case_id, action="request_review", on=dt.date(2023, 5, 22), source_note="t"
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(action: str) -> None:
        try:
            barrier.wait(timeout=10)
            workflow.transition(case_id=case.case_id, action=action, on=dt.date(2023, 5, 30), source_note="t")
            outcomes.append("ok")
        except InvalidTransition as error:
            outcomes.append(f"conflict: {error}")
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=attempt, args=(a,)) for a in ("mexico_accepts", "mexico_declines")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    case.refresh_from_db()
    answers = TimelineEvent.objects.filter(case=case, kind__in=["mexico_accepted", "mexico_declined"]).count()
    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "ok"]
    assert answers == 1
    assert case.stage in {Stage.MEXICO_REVIEW, Stage.MEXICO_DECLINED}
    assert "'request_sent'" not in next(o for o in outcomes if o.startswith("conflict"))
