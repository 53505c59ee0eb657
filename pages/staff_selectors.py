"""Reads behind the staff workspace: the queue grouped by kind, and a case's staff page with its forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pages import staff_forms
from remediation.models import RemediationAction, RemediationPlan
from rrm import workflow
from rrm.models import Case, Deadline, TimelineEvent
from rrm.selectors import effective_events
from rrm.work_queue import QueueItem, QueueKind


@dataclass(frozen=True)
class QueueSection:
    kind: QueueKind
    items: list[QueueItem]


def queue_sections(items: list[QueueItem]) -> list[QueueSection]:
    """Every kind of work, in the queue's order, with its items (none where nothing waits)."""
    return [QueueSection(kind, [item for item in items if item.kind == kind]) for kind in QueueKind]


@dataclass(frozen=True)
class ActionBlock:
    action: RemediationAction
    progress: staff_forms.ActionProgressForm | None
    verification: staff_forms.VerificationForm | None


@dataclass(frozen=True)
class PlanBlock:
    plan: RemediationPlan
    form: staff_forms.PlanForm
    new_action: staff_forms.NewActionForm
    actions: list[ActionBlock]


@dataclass(frozen=True)
class StaffCasePage:
    case: Case
    step: staff_forms.StepForm
    extension: staff_forms.ExtensionForm | None
    suspension: staff_forms.SuspensionForm
    open_deadlines: list[Deadline]
    events: list[TimelineEvent]
    plans: list[PlanBlock]

    @property
    def preview(self) -> workflow.StepPreview | None:
        return self.step.preview if self.step.is_bound and not self.step.errors else None


def _the(sent: staff_forms.StaffForm | None, prefix: str, build: Any) -> Any:
    """The form sent under `prefix` (with its values and errors), else a new one."""
    return sent if sent is not None and sent.prefix == prefix else build(prefix)


def _action_block(action: RemediationAction, sent: staff_forms.StaffForm | None) -> ActionBlock:
    status = RemediationAction.Status
    progress = None
    verification = None
    if action.status != status.VERIFIED:
        progress = _the(
            sent, f"progress-{action.pk}", lambda p: staff_forms.ActionProgressForm(record=action, prefix=p)
        )
    if action.status == status.DONE:
        verification = _the(
            sent, f"verify-{action.pk}", lambda p: staff_forms.VerificationForm(record=action, prefix=p)
        )
    return ActionBlock(action, progress, verification)


def _plan_block(plan: RemediationPlan, sent: staff_forms.StaffForm | None) -> PlanBlock:
    return PlanBlock(
        plan=plan,
        form=_the(sent, f"plan-{plan.pk}", lambda p: staff_forms.PlanForm(record=plan, prefix=p)),
        new_action=_the(
            sent, f"newaction-{plan.pk}", lambda p: staff_forms.NewActionForm(record=plan, prefix=p)
        ),
        actions=[_action_block(action, sent) for action in plan.actions.all()],
    )


def staff_case_page(*, case: Case, sent: staff_forms.StaffForm | None) -> StaffCasePage:
    open_deadlines = list(
        Deadline.objects.filter(case=case, status=Deadline.Status.OPEN).select_related("rule", "case")
    )
    plans = RemediationPlan.objects.filter(case=case).prefetch_related("actions").order_by("agreed_on")
    extension = _the(sent, "extension", lambda p: staff_forms.ExtensionForm(case=case, prefix=p))
    return StaffCasePage(
        case=case,
        step=_the(sent, "step", lambda p: staff_forms.StepForm(case=case, prefix=p)),
        extension=extension if open_deadlines else None,
        suspension=_the(sent, "suspension", lambda p: staff_forms.SuspensionForm(case=case, prefix=p)),
        open_deadlines=open_deadlines,
        events=list(reversed(effective_events(case=case))),
        plans=[_plan_block(plan, sent) for plan in plans],
    )
