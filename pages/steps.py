"""How the staff pages record each workflow step: through the service the API's endpoint for that step
calls, so that a step recorded in a browser writes what the same step recorded through the API writes.

The steps a case offers are rrm.workflow.allowed_actions (the transition table); an action not named here
has no record of its own and is recorded as the API's outcome steps are, by rrm.workflow.transition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from petitions import services as petition_services
from remediation import services as remediation_services
from remediation.models import Panel
from rrm import workflow
from rrm.choices import Stage
from rrm.models import Case


@dataclass(frozen=True)
class StepInput:
    """What the step form gives every step: the case, the step, its date, what it says and its source,
    the remedy's kind (for impose_remedies only) and who records it."""

    case_id: str
    action: str
    on: dt.date
    description: str
    source_url: str
    remedy_kind: str
    user: User | AnonymousUser


Recorder = Callable[[StepInput], object]


def _inverse(steps: dict[Any, str]) -> dict[str, str]:
    return {action: str(value) for value, action in steps.items()}


ILC_VALUES = _inverse(petition_services.ILC_DETERMINATION_STEPS)
MEXICO_RESPONSES = _inverse(dict(remediation_services.MEXICO_RESPONSE.steps))
MEXICO_FINDINGS = _inverse(dict(remediation_services.MEXICO_FINDING.steps))
PANEL_STEPS = _inverse(remediation_services.PANEL_STEP_ACTIONS)
PANEL_DETERMINATIONS = _inverse(remediation_services.PANEL_DETERMINATION_ACTIONS)


def _step(step: StepInput) -> dict[str, Any]:
    return {"case_id": step.case_id, "on": step.on, "source_url": step.source_url, "user": step.user}


def _receipt(step: StepInput) -> object:
    return petition_services.record_receipt(case_id=step.case_id, on=step.on, user=step.user)


def _ilc_determination(step: StepInput) -> object:
    return petition_services.record_ilc_determination(
        determination=ILC_VALUES[step.action],
        findings=step.description,
        employer_consulted=False,
        petitioner_notified_on=None,
        **_step(step),
    )


def _request_review(step: StepInput) -> object:
    """From ILC review the request is the ILC's positive determination (the API's ilc-determination/);
    a self-initiated case's request is recorded as the API's request-for-review/ records it."""
    if _stage(step.case_id) == Stage.ILC_REVIEW:
        return _ilc_determination(step)
    return remediation_services.request_review(description=step.description, **_step(step))


def _withdrawal(step: StepInput) -> object:
    return petition_services.withdraw_petition(
        case_id=step.case_id, on=step.on, reason=step.description, user=step.user
    )


def _mexico_response(step: StepInput) -> object:
    return remediation_services.record_mexico_response(
        response=MEXICO_RESPONSES[step.action], reported=step.description, **_step(step)
    )


def _mexico_finding(step: StepInput) -> object:
    return remediation_services.record_mexico_finding(
        finding=MEXICO_FINDINGS[step.action], findings=step.description, **_step(step)
    )


def _plan(step: StepInput) -> object:
    values = {"agreed_on": step.on, "summary": step.description, "source_url": step.source_url}
    return remediation_services.agree_plan(case_id=step.case_id, values=values, user=step.user)


def _panel_request(step: StepInput) -> object:
    return remediation_services.request_panel_for_case(secretariat_no="", **_step(step))


def latest_panel(case_id: str) -> Panel | None:
    return Panel.objects.filter(case__case_id=case_id).order_by("-requested_on", "-pk").first()


def _panel_step(step: StepInput) -> object:
    panel = latest_panel(step.case_id)
    if panel is None:
        return _transition(step)
    determination = PANEL_DETERMINATIONS.get(step.action, "")
    return remediation_services.record_panel_step(
        panel_id=panel.pk,
        step=PANEL_STEPS.get(step.action, remediation_services.PanelStep.DETERMINATION),
        on=step.on,
        determination=determination,
        report_url=step.source_url,
        findings=step.description,
        user=step.user,
    )


def _remedy(step: StepInput) -> object:
    values = {
        "kind": step.remedy_kind,
        "description": step.description,
        "imposed_on": step.on,
        "panel": latest_panel(step.case_id),
    }
    return remediation_services.impose_remedy(case_id=step.case_id, values=values, user=step.user)


def _transition(step: StepInput) -> object:
    return workflow.transition(action=step.action, description=step.description, **_step(step))


def _stage(case_id: str) -> str:
    return str(Case.objects.values_list("stage", flat=True).get(case_id=case_id))


RECORDERS: dict[str, Recorder] = {
    "record_receipt": _receipt,
    "request_review": _request_review,
    "withdraw": _withdrawal,
    "agree_remediation": _plan,
    "request_panel": _panel_request,
    "impose_remedies": _remedy,
    **dict.fromkeys(set(ILC_VALUES) - {"request_review"}, _ilc_determination),
    **dict.fromkeys(MEXICO_RESPONSES, _mexico_response),
    **dict.fromkeys(MEXICO_FINDINGS, _mexico_finding),
    **dict.fromkeys([*PANEL_STEPS, *PANEL_DETERMINATIONS], _panel_step),
}

# The step whose form asks for the kind of remedy.
NEEDS_REMEDY_KIND = "impose_remedies"


def record_step(step: StepInput) -> object:
    return RECORDERS.get(step.action, _transition)(step)
