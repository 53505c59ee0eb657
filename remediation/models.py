"""What follows a request for review: Mexico's review, remediation plans, panels and remedies."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rrm.choices import DateBasis, DatePrecision
from rrm.fields import (
    choice_field,
    date_not_before,
    in_vocabulary,
    optional_date,
    optional_reference,
    protected_reference,
)
from rrm.models import Case, Document, TimelineEvent, TimeStamped


class MexicoReviewResponse(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted to review")
    DECLINED = "declined", _("Declined to review")
    NO_ANSWER = "no_answer", _("No answer within 10 days")


class MexicoReviewFinding(models.TextChoices):
    PENDING = "pending", _("No finding yet")
    DENIAL = "denial", _("Denial of rights")
    NO_DENIAL = "no_denial", _("No denial of rights")
    REMEDIED = "remedied", _("Denial remedied during the review")


class MexicoReview(TimeStamped):
    """Mexico's answer to a request and the STPS investigation (Annex 31-A: 10 and 45 days)."""

    Response = MexicoReviewResponse

    Finding = MexicoReviewFinding

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="mexico_review", help_text="Case under review."
    )
    requested_on = models.DateField(
        help_text="Date of the request for review; both of Mexico's clocks run from it."
    )
    response = choice_field(Response, max_length=10, default=Response.PENDING, help_text="Mexico's answer.")
    response_on = optional_date(help_text="Date of the answer.")
    response_reported = models.TextField(blank=True, help_text="The answer as reported by the source.")
    investigation_started_on = optional_date(help_text="Start of the STPS investigation.")
    finding = choice_field(Finding, max_length=10, default=Finding.PENDING, help_text="Result of the review.")
    finding_on = optional_date(help_text="Date the result was communicated.")
    findings = models.TextField(blank=True, help_text="Summary of the findings.")
    documents = models.ManyToManyField(
        Document, blank=True, related_name="mexico_reviews", help_text="Documents of the review."
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            in_vocabulary("response", MexicoReviewResponse, name="review_response_valid"),
            in_vocabulary("finding", MexicoReviewFinding, name="review_finding_valid"),
            date_not_before("response_on", "requested_on", name="review_response_after_request"),
            date_not_before("finding_on", "requested_on", name="review_finding_after_request"),
            models.CheckConstraint(
                condition=Q(finding="pending") | Q(response="accepted"),
                name="review_finding_needs_acceptance",
            ),
        ]

    def __str__(self) -> str:
        return f"Mexico's review of {self.case_id}"


class RemediationPlanStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed: parties agree the denial is remedied")
    FAILED = "failed", _("Not remedied")
    FACILITY_CLOSED = "facility_closed", _("Facility closed")


class RemediationPlanKind(models.TextChoices):
    GOVERNMENT = "government", _("Government-to-government course of remediation")
    COMPANY = "company", _("USTR–company agreement")


class RemediationPlan(TimeStamped):
    """A course of remediation agreed between the governments (or a USTR–company agreement)."""

    Status = RemediationPlanStatus

    Kind = RemediationPlanKind

    case = protected_reference(Case, related_name="remediation_plans", help_text="Case remediated.")
    kind = choice_field(Kind, max_length=12, default=Kind.GOVERNMENT, help_text="Who agreed the plan.")
    agreed_on = models.DateField(help_text="Date the plan was agreed.")
    ends_on = optional_date(help_text="End of the remediation period set in the plan.")
    status = choice_field(Status, max_length=16, default=Status.IN_PROGRESS, help_text="State of the plan.")
    summary = models.TextField(blank=True, help_text="Commitments of the plan.")
    source_url = models.URLField(max_length=500, blank=True, help_text="Published plan or announcement.")
    documents = models.ManyToManyField(
        Document, blank=True, related_name="remediation_plans", help_text="Plan documents."
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            in_vocabulary("status", RemediationPlanStatus, name="plan_status_valid"),
            in_vocabulary("kind", RemediationPlanKind, name="plan_kind_valid"),
            date_not_before("ends_on", "agreed_on", name="plan_ends_after_agreement"),
            models.UniqueConstraint(fields=["case", "agreed_on"], name="plan_unique_per_case_date"),
        ]

    def __str__(self) -> str:
        return f"Plan for {self.case_id} agreed {self.agreed_on}"


class RemediationActionKind(models.TextChoices):
    LEGITIMATION_VOTE = "legitimation_vote", _("Legitimation vote on the collective agreement")
    REPRESENTATION_VOTE = "representation_vote", _("Representation vote")
    REINSTATEMENT = "reinstatement", _("Reinstatement of dismissed workers")
    BACK_PAY = "back_pay", _("Back pay")
    SEVERANCE = "severance", _("Severance")
    TRAINING = "training", _("Training on labor rights")
    NEUTRALITY_STATEMENT = "neutrality_statement", _("Neutrality statement by the employer")
    PROTECTION_CONTRACT_RENUNCIATION = (
        "protection_contract_renunciation",
        _("Renunciation of a protection contract"),
    )
    DUES_REIMBURSEMENT = "dues_reimbursement", _("Reimbursement of union dues")
    POLICY_CHANGE = "policy_change", _("Policy change")
    UNION_ACCESS = "union_access", _("Access for union representatives")
    OTHER = "other", _("Other")


class RemediationActionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done, awaiting verification")
    VERIFIED = "verified", _("Verified")
    NOT_DONE = "not_done", _("Not done by its due date")


class RemediationAction(TimeStamped):
    Kind = RemediationActionKind

    Status = RemediationActionStatus

    plan = protected_reference(
        RemediationPlan, related_name="actions", help_text="Plan the action belongs to."
    )
    kind = choice_field(Kind, max_length=40, help_text="What the facility or government must do.")
    description = models.TextField(blank=True, help_text="Details of the commitment.")
    due_on = optional_date(help_text="Date by which it is due.")
    status = choice_field(Status, max_length=12, default=Status.PENDING, help_text="Progress.")
    completed_on = optional_date(help_text="When it was done.")
    verified_on = optional_date(help_text="When it was verified.")
    verified_by = models.CharField(
        max_length=255, blank=True, help_text="Who verified it (e.g. CFCRL, ILO observers, USTR)."
    )
    verification_notes = models.TextField(blank=True, help_text="What the verification found.")
    workers_covered = models.PositiveIntegerField(
        null=True, blank=True, help_text="Workers the action covers."
    )
    amount_usd = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Money paid, in U.S. dollars."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            in_vocabulary("kind", RemediationActionKind, name="action_kind_valid"),
            in_vocabulary("status", RemediationActionStatus, name="action_status_valid"),
            models.CheckConstraint(
                condition=Q(amount_usd__isnull=True) | Q(amount_usd__gte=0), name="action_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_on__isnull=False),
                name="action_verified_is_dated",
            ),
            date_not_before("verified_on", "completed_on", name="action_verified_after_completion"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="action_status_due_idx")]

    def __str__(self) -> str:
        return self.get_kind_display()


class PanelDetermination(models.TextChoices):
    PENDING = "pending", _("Pending")
    DENIAL = "denial", _("Denial of rights")
    NO_DENIAL = "no_denial", _("No denial of rights")


class Panel(TimeStamped):
    """A Rapid Response Labor Panel (Annex 31-A arts. 31-A.5 to 31-A.8)."""

    Determination = PanelDetermination

    case = protected_reference(Case, related_name="panels", help_text="Case before the panel.")
    secretariat_no = models.CharField(
        max_length=40, blank=True, help_text="Secretariat case number, e.g. MEX-USA-2024-31A-01."
    )
    requested_on = models.DateField(help_text="Date the panel was requested.")
    constituted_on = optional_date(help_text="Date the panelists were selected.")
    basics_confirmed_on = optional_date(help_text="Date the panel confirmed the request's basics.")
    determination = choice_field(
        Determination, max_length=10, default=Determination.PENDING, help_text="Result."
    )
    determined_on = optional_date(help_text="Date of the determination.")
    report_published_on = optional_date(help_text="Date the report was published (19 U.S.C. §4691).")
    report_url = models.URLField(max_length=500, blank=True, help_text="Published report.")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            in_vocabulary("determination", PanelDetermination, name="panel_determination_valid"),
            models.UniqueConstraint(
                fields=["secretariat_no"], condition=~Q(secretariat_no=""), name="panel_unique_secretariat_no"
            ),
            date_not_before("constituted_on", "requested_on", name="panel_constituted_after_request"),
            date_not_before(
                "basics_confirmed_on", "constituted_on", name="panel_confirmed_after_constitution"
            ),
            date_not_before("determined_on", "requested_on", name="panel_determined_after_request"),
            models.CheckConstraint(
                condition=Q(determination="pending") | Q(determined_on__isnull=False),
                name="panel_determination_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"Panel on {self.case_id} requested {self.requested_on}"


class PanelVerification(TimeStamped):
    """A panel's request to verify the facility and its on-site visit."""

    panel = protected_reference(Panel, related_name="verifications", help_text="Panel verifying.")
    requested_on = models.DateField(help_text="Date the panel asked the respondent Party to verify.")
    consented_on = optional_date(help_text="Date the respondent consented.")
    refused = models.BooleanField(default=False, help_text="The respondent refused the verification.")
    visit_started_on = optional_date(help_text="First day on site.")
    visit_ended_on = optional_date(help_text="Last day on site.")
    findings = models.TextField(blank=True, help_text="What the visit found.")
    documents = models.ManyToManyField(
        Document, blank=True, related_name="panel_verifications", help_text="Documents of the visit."
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            date_not_before("consented_on", "requested_on", name="verification_consent_after_request"),
            date_not_before("visit_started_on", "requested_on", name="verification_visit_after_request"),
            date_not_before("visit_ended_on", "visit_started_on", name="verification_visit_ordered"),
            models.CheckConstraint(
                condition=Q(refused=False) | Q(visit_started_on__isnull=True),
                name="verification_refused_has_no_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"Verification for panel {self.panel_id}"


class RemedyKind(models.TextChoices):
    SUSPEND_PREFERENTIAL_TARIFF = (
        "suspend_preferential_tariff",
        _("Suspension of USMCA preferential tariff treatment"),
    )
    PENALTIES = "penalties", _("Penalties on goods or services")
    DENIAL_OF_ENTRY = "denial_of_entry", _("Denial of entry (repeat facilities)")
    DUTIES_ON_SUSPENDED_ENTRIES = (
        "duties_on_suspended_entries",
        _("Duties on entries whose liquidation was suspended"),
    )
    OTHER = "other", _("Other")


class Remedy(TimeStamped):
    """A measure after a panel's affirmative determination (Annex 31-A remedies; 19 U.S.C. §4693)."""

    Kind = RemedyKind

    case = protected_reference(Case, related_name="remedies", help_text="Case remedied.")
    panel = optional_reference(
        Panel, related_name="remedies", help_text="Panel whose determination allows it."
    )
    kind = choice_field(Kind, max_length=40, help_text="Measure imposed.")
    description = models.TextField(blank=True, help_text="Scope and rate of the measure.")
    imposed_on = models.DateField(help_text="Date it took effect.")
    lifted_on = optional_date(help_text="Date USTR notified Treasury the denial was remedied.")
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "remedies"
        constraints = [
            in_vocabulary("kind", RemedyKind, name="remedy_kind_valid"),
            date_not_before("lifted_on", "imposed_on", name="remedy_lifted_after_imposed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case_id}"


# --------------------------------------------------------------------------------------------------
# What remediation achieved (issue 13): votes, reinstatements, payments and worker counts, each a fact
# with its public source and, like a timeline event, how its date is known.


class UnionVoteKind(models.TextChoices):
    REPRESENTATION = "representation", _("Representation vote")
    LEGITIMATION = "cba_legitimation", _("Legitimation of the collective agreement")
    OTHER = "other", _("Other vote")


class PaymentKind(models.TextChoices):
    BACK_PAY = "back_pay", _("Back pay")
    SEVERANCE = "severance", _("Severance")
    OTHER = "other", _("Other payment")


class WorkerCountSubject(models.TextChoices):
    COVERED = "covered", _("Workers covered")
    ELIGIBLE_TO_VOTE = "eligible_to_vote", _("Workers eligible to vote")
    DISMISSED = "dismissed", _("Workers dismissed")
    REINSTATED = "reinstated", _("Workers reinstated")
    PAID = "paid", _("Workers paid")
    OTHER = "other", _("Other")


class CountQualifier(models.TextChoices):
    EXACT = "exact", _("As stated")
    ABOUT = "about", _("About")
    OVER = "over", _("More than")


class RemediationOutcome(TimeStamped):
    """A fact of what remediation achieved, with its source; rows an import wrote carry its note."""

    event = optional_reference(
        TimelineEvent, related_name="+", help_text="Timeline event that states it, if any."
    )
    occurred_on = optional_date(
        help_text="Date it happened (the first of the month when only the month is known); blank when "
        "the source gives none."
    )
    date_precision = choice_field(
        DatePrecision, default=DatePrecision.DAY, help_text="Whether the day or only the month is known."
    )
    date_basis = choice_field(DateBasis, blank=True, help_text="How the date is known.")
    source_url = models.URLField(max_length=500, blank=True, help_text="Public source that states it.")
    source_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="Source when it has no address; 'import: ...' for imported rows.",
    )
    note = models.TextField(blank=True, help_text="What the source says.")
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["occurred_on", "id"]
        constraints = [
            in_vocabulary("date_precision", DatePrecision, name="%(class)s_precision_valid"),
            in_vocabulary("date_basis", DateBasis, blank=True, name="%(class)s_basis_valid"),
            models.CheckConstraint(
                condition=~Q(source_url="") | ~Q(source_note=""), name="%(class)s_has_source"
            ),
            models.CheckConstraint(
                condition=Q(occurred_on__isnull=True, date_basis="", date_precision=DatePrecision.DAY)
                | (Q(occurred_on__isnull=False) & ~Q(date_basis="")),
                name="%(class)s_date_has_basis",
            ),
            models.CheckConstraint(
                condition=~Q(date_precision=DatePrecision.MONTH) | Q(occurred_on__day=1),
                name="%(class)s_month_on_first_day",
            ),
        ]


def _positive(field: str, *, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1}), name=name
    )


class UnionVote(RemediationOutcome):
    """A vote of the facility's workers: on who represents them, or on their collective agreement."""

    Kind = UnionVoteKind

    case = protected_reference(Case, related_name="union_votes", help_text="Case the vote belongs to.")
    kind = choice_field(Kind, max_length=20, default=Kind.OTHER, help_text="What the vote decided.")
    result = models.TextField(blank=True, help_text="The result as the source states it.")
    winning_union = models.CharField(max_length=255, blank=True, help_text="Union that won, if stated.")
    votes_for = models.PositiveIntegerField(
        null=True, blank=True, help_text="Votes for the agreement, or for the winning union."
    )
    votes_against = models.PositiveIntegerField(
        null=True, blank=True, help_text="Votes against the agreement."
    )
    eligible = models.PositiveIntegerField(null=True, blank=True, help_text="Workers eligible to vote.")

    class Meta(RemediationOutcome.Meta):
        constraints = [
            *RemediationOutcome.Meta.constraints,
            in_vocabulary("kind", UnionVoteKind, name="unionvote_kind_valid"),
            models.CheckConstraint(
                condition=Q(eligible__isnull=True)
                | Q(votes_for__isnull=True)
                | Q(votes_against__isnull=True)
                | Q(eligible__gte=models.F("votes_for") + models.F("votes_against")),
                name="unionvote_votes_within_eligible",
            ),
            models.CheckConstraint(
                condition=Q(eligible__isnull=True)
                | Q(votes_for__isnull=True)
                | Q(eligible__gte=models.F("votes_for")),
                name="unionvote_for_within_eligible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.case_id}"


class Reinstatement(RemediationOutcome):
    """Dismissed workers given their jobs back."""

    case = protected_reference(Case, related_name="reinstatements", help_text="Case remediated.")
    workers = models.PositiveIntegerField(null=True, blank=True, help_text="Workers reinstated, if stated.")

    class Meta(RemediationOutcome.Meta):
        constraints = [
            *RemediationOutcome.Meta.constraints,
            _positive("workers", name="reinstatement_workers_positive"),
        ]

    def __str__(self) -> str:
        return f"Reinstatement at {self.case_id}"


class Payment(RemediationOutcome):
    """Money paid to workers: back pay, severance or another payment, in the currency the source gives."""

    Kind = PaymentKind

    case = protected_reference(Case, related_name="payments", help_text="Case remediated.")
    kind = choice_field(Kind, max_length=10, default=Kind.OTHER, help_text="What was paid.")
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Amount, if stated."
    )
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217 code of the amount's currency.")
    is_floor = models.BooleanField(default=False, help_text="The source says 'more than' the amount.")

    class Meta(RemediationOutcome.Meta):
        constraints = [
            *RemediationOutcome.Meta.constraints,
            in_vocabulary("kind", PaymentKind, name="payment_kind_valid"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="payment_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True, currency="", is_floor=False)
                | Q(amount__isnull=False, currency__regex=r"^[A-Z]{3}$"),
                name="payment_amount_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.case_id}"


class WorkerCount(RemediationOutcome):
    """A number of workers a source gives, with what it counts and how exact it is."""

    Subject = WorkerCountSubject
    Qualifier = CountQualifier

    case = protected_reference(Case, related_name="worker_counts", help_text="Case the count belongs to.")
    count = models.PositiveIntegerField(help_text="Number of workers.")
    subject = choice_field(Subject, max_length=20, help_text="What the number counts.")
    qualifier = choice_field(
        Qualifier,
        max_length=5,
        default=Qualifier.EXACT,
        help_text="As stated, about, or more than the number.",
    )

    class Meta(RemediationOutcome.Meta):
        constraints = [
            *RemediationOutcome.Meta.constraints,
            in_vocabulary("subject", WorkerCountSubject, name="workercount_subject_valid"),
            in_vocabulary("qualifier", CountQualifier, name="workercount_qualifier_valid"),
            _positive("count", name="workercount_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.count} workers {self.subject} at {self.case_id}"
