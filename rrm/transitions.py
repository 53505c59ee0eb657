"""The case workflow's graph: each step, the stages it leaves, the stage it reaches, the event it records
and the clocks it makes no longer apply (docs/mechanism.md). rrm.workflow takes the steps."""

from __future__ import annotations

from dataclasses import dataclass, field

from rrm.choices import EventKind, Outcome, Stage

# Stages from which no step leads on, except a correction.
TERMINAL_STAGES = frozenset(
    {
        Stage.ILC_DECLINED,
        Stage.CLOSED_WITHOUT_REQUEST,
        Stage.WITHDRAWN,
        Stage.CLOSED_NO_ACTION,
        Stage.FACILITY_CLOSED,
        Stage.CLOSED_PANEL_NO_DENIAL,
        Stage.CLOSED,
    }
)
PANEL_ENTRY_STAGES = (
    Stage.MEXICO_DECLINED,
    Stage.MEXICO_NO_DENIAL,
    Stage.REMEDIATION_CONSULTATIONS,
    Stage.REMEDIATION_IN_PROGRESS,
)
PANEL_DECIDING_STAGES = (Stage.PANEL_VERIFICATION, Stage.PANEL_DETERMINATION)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[Stage, ...]
    target: Stage
    event: EventKind
    outcome: Outcome | None = None
    # Deadlines that stop applying (not met, not missed) once this step happens.
    cancels: tuple[str, ...] = field(default=())
    resumes_liquidation: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        # OTLA's receipt starts the ILC's 30-day screening (ILC Procedural Guidelines, 88 FR 40914).
        Transition("record_receipt", (Stage.SUBMITTED,), Stage.ILC_REVIEW, EventKind.PETITION_RECEIVED),
        Transition(
            "decline_petition",
            (Stage.ILC_REVIEW,),
            Stage.ILC_DECLINED,
            EventKind.ILC_DECLINED,
            Outcome.ILC_DECLINED,
        ),
        Transition(
            "resolve_without_request",
            (Stage.ILC_REVIEW,),
            Stage.CLOSED_WITHOUT_REQUEST,
            EventKind.RESOLVED_WITHOUT_REQUEST,
            Outcome.RESOLVED_WITHOUT_REQUEST,
        ),
        Transition(
            "withdraw",
            (Stage.SUBMITTED, Stage.ILC_REVIEW),
            Stage.WITHDRAWN,
            EventKind.WITHDRAWN,
            Outcome.WITHDRAWN,
        ),
        # A positive determination is made public with the request (USTR practice, docs/mechanism.md).
        Transition(
            "request_review",
            (Stage.ILC_REVIEW, Stage.SUBMITTED),
            Stage.REQUEST_SENT,
            EventKind.REQUEST_FOR_REVIEW,
        ),
        Transition("mexico_accepts", (Stage.REQUEST_SENT,), Stage.MEXICO_REVIEW, EventKind.MEXICO_ACCEPTED),
        Transition(
            "mexico_declines",
            (Stage.REQUEST_SENT,),
            Stage.MEXICO_DECLINED,
            EventKind.MEXICO_DECLINED,
            Outcome.MEXICO_DECLINED_REVIEW,
            cancels=("mexico_review",),
        ),
        Transition(
            "close_no_action",
            (Stage.MEXICO_DECLINED,),
            Stage.CLOSED_NO_ACTION,
            EventKind.CLOSED_NO_ACTION,
            resumes_liquidation=True,
        ),
        Transition(
            "finding_no_denial",
            (Stage.MEXICO_REVIEW,),
            Stage.MEXICO_NO_DENIAL,
            EventKind.MEXICO_FINDING_NO_DENIAL,
        ),
        Transition(
            "finding_remedied",
            (Stage.MEXICO_REVIEW,),
            Stage.RESOLVED,
            EventKind.MEXICO_FINDING_REMEDIED,
            Outcome.REMEDIED_DURING_REVIEW,
            resumes_liquidation=True,
        ),
        Transition(
            "finding_denial",
            (Stage.MEXICO_REVIEW,),
            Stage.REMEDIATION_CONSULTATIONS,
            EventKind.MEXICO_FINDING_DENIAL,
        ),
        Transition(
            "accept_finding",
            (Stage.MEXICO_NO_DENIAL,),
            Stage.RESOLVED,
            EventKind.US_ACCEPTED_FINDING,
            Outcome.MEXICO_FOUND_NO_DENIAL_CLOSED,
            resumes_liquidation=True,
        ),
        Transition(
            "agree_remediation",
            (Stage.REMEDIATION_CONSULTATIONS,),
            Stage.REMEDIATION_IN_PROGRESS,
            EventKind.REMEDIATION_AGREED,
        ),
        Transition(
            "complete_remediation",
            (Stage.REMEDIATION_IN_PROGRESS,),
            Stage.RESOLVED,
            EventKind.REMEDIATION_COMPLETED,
            Outcome.COURSE_OF_REMEDIATION_COMPLETED,
            resumes_liquidation=True,
        ),
        Transition(
            "facility_closes",
            (Stage.REMEDIATION_CONSULTATIONS, Stage.REMEDIATION_IN_PROGRESS),
            Stage.FACILITY_CLOSED,
            EventKind.FACILITY_CLOSED,
            Outcome.FACILITY_CLOSED,
        ),
        Transition(
            "request_panel",
            PANEL_ENTRY_STAGES,
            Stage.PANEL_REQUESTED,
            EventKind.PANEL_REQUESTED,
            Outcome.PANEL_PENDING,
        ),
        Transition(
            "constitute_panel", (Stage.PANEL_REQUESTED,), Stage.PANEL_CONSTITUTED, EventKind.PANEL_CONSTITUTED
        ),
        Transition(
            "confirm_panel_basics",
            (Stage.PANEL_CONSTITUTED,),
            Stage.PANEL_VERIFICATION,
            EventKind.PANEL_BASICS_CONFIRMED,
        ),
        Transition(
            "record_verification",
            (Stage.PANEL_VERIFICATION,),
            Stage.PANEL_DETERMINATION,
            EventKind.PANEL_VERIFICATION,
        ),
        # Art. 31-A.4.3: liquidation resumes once a panel finds no denial.
        Transition(
            "panel_finds_no_denial",
            PANEL_DECIDING_STAGES,
            Stage.CLOSED_PANEL_NO_DENIAL,
            EventKind.PANEL_DETERMINATION_NO_DENIAL,
            Outcome.PANEL_NO_DENIAL,
            resumes_liquidation=True,
        ),
        Transition(
            "panel_finds_denial",
            PANEL_DECIDING_STAGES,
            Stage.REMEDIES_CONSIDERED,
            EventKind.PANEL_DETERMINATION_DENIAL,
            Outcome.PANEL_DENIAL_FOUND,
        ),
        # 19 U.S.C. §4693: remedies after an affirmative panel determination.
        Transition(
            "impose_remedies",
            (Stage.REMEDIES_CONSIDERED,),
            Stage.REMEDIES_IN_FORCE,
            EventKind.REMEDIES_IMPOSED,
        ),
        Transition(
            "remedied_after_panel",
            (Stage.REMEDIES_CONSIDERED, Stage.REMEDIES_IN_FORCE),
            Stage.RESOLVED,
            EventKind.REMEDIATION_COMPLETED,
            resumes_liquidation=True,
        ),
        Transition("close", (Stage.RESOLVED,), Stage.CLOSED, EventKind.CASE_CLOSED, resumes_liquidation=True),
    )
}
