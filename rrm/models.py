"""The case record shared by every app: companies, facilities, organisations, cases, timelines, deadlines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from rrm.choices import (
    ANNEX_PARTIES,
    STATES_OF_COUNTRY,
    Annex,
    CaseRecordBasis,
    Confidence,
    Country,
    DateBasis,
    DatePrecision,
    DeadlineAlertKind,
    DeadlineRuleCalendar,
    DeadlineRuleRollForward,
    DeadlineRuleUnit,
    DeadlineStatus,
    EventKind,
    Initiation,
    Language,
    NotificationChannel,
    NotificationStatus,
    OrganisationKind,
    Outcome,
    PrioritySubsector,
    Sector,
    Stage,
    SubscriptionScope,
    state_choices,
    values_of,
)
from rrm.clock import RuleSpec
from rrm.fields import (
    choice_field,
    date_not_before,
    in_vocabulary,
    optional_date,
    optional_owner,
    optional_reference,
    owner,
    protected_reference,
    user_reference,
)
from rrm.search import search_index, search_vector_field


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the row was first stored.")
    updated_at = models.DateTimeField(auto_now=True, db_index=True, help_text="When the row last changed.")

    class Meta:
        abstract = True


COMPANY_SLUG_LENGTH = 120


def company_slug(name: str, *, taken: Callable[[str], bool]) -> str:
    """A slug of `name` that `taken` does not refuse: its ASCII words joined by hyphens (accents folded),
    then -2, -3... until free; never all digits, so that it cannot be read as an id."""
    base = slugify(name)[: COMPANY_SLUG_LENGTH - 10].strip("-") or "company"
    if base.isdigit():
        base = f"company-{base}"
    slug, number = base, 1
    while taken(slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


class Company(TimeStamped):
    name = models.CharField(max_length=255, help_text="Legal or reported name of the company.")
    slug = models.SlugField(
        max_length=COMPANY_SLUG_LENGTH,
        unique=True,
        editable=False,
        help_text="Stable public identifier, made from the name when the company is added; it does not "
        "change when the name does.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
        help_text="Parent company, where the operator belongs to a group.",
    )
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 country of the headquarters, if known."
    )
    search_vector = search_vector_field("company")
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="company_unique_name_ci"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="company_not_own_parent"),
        ]
        indexes = [search_index("company")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            others = Company.objects.exclude(pk=self.pk) if self.pk else Company.objects.all()
            self.slug = company_slug(self.name, taken=lambda slug: others.filter(slug=slug).exists())
        super().save(*args, **kwargs)


def _state_of_its_country() -> Q:
    condition = Q()
    for country, states in STATES_OF_COUNTRY.items():
        condition |= Q(country=country, state__in=values_of(states))
    return condition


class Facility(TimeStamped):
    name = models.CharField(max_length=255, help_text="Facility name as reported (plant, mine, site).")
    operator = protected_reference(
        Company, related_name="facilities", help_text="Company operating the facility."
    )
    city = models.CharField(
        max_length=120, blank=True, help_text="Municipality or city; blank if unreported."
    )
    country = choice_field(
        Country, default=Country.MX, db_index=True, help_text="Country the facility is in."
    )
    state = models.CharField(
        max_length=3,
        choices=state_choices(),
        db_index=True,
        help_text="State, province or federal entity of its country: the ISO 3166-2 code after the "
        "country's (NLE of MX-NLE).",
    )
    sector = choice_field(
        Sector,
        max_length=20,
        blank=True,
        db_index=True,
        help_text="Priority Sector of Annex 31-A; blank when the source does not allow mapping.",
    )
    subsector = choice_field(
        PrioritySubsector,
        max_length=30,
        blank=True,
        db_index=True,
        help_text="Priority subsector under 19 U.S.C. §4643; blank when outside the list or unknown.",
    )
    sector_reported = models.CharField(
        max_length=255, blank=True, help_text="Sector or products exactly as the source reports them."
    )
    headcount = models.PositiveIntegerField(
        null=True, blank=True, help_text="Approximate number of workers, as most recently reported."
    )
    search_vector = search_vector_field("facility")
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        verbose_name_plural = "facilities"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "operator", name="facility_unique_identity"),
            in_vocabulary("country", Country, name="facility_country_valid"),
            models.CheckConstraint(condition=_state_of_its_country(), name="facility_state_of_its_country"),
            in_vocabulary("sector", Sector, name="facility_sector_valid", blank=True),
            in_vocabulary("subsector", PrioritySubsector, name="facility_subsector_valid", blank=True),
            models.CheckConstraint(
                condition=Q(headcount__isnull=True) | Q(headcount__gte=0),
                name="facility_headcount_not_negative",
            ),
        ]
        indexes = [search_index("facility")]

    def __str__(self) -> str:
        return self.name


class Organisation(TimeStamped):
    Kind = OrganisationKind

    name = models.CharField(max_length=255, help_text="Name of the organisation as it signs its petitions.")
    kind = choice_field(
        Kind, max_length=20, default=Kind.UNKNOWN, db_index=True, help_text="Type of petitioner."
    )
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 country where it is based, if known."
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organisations",
        help_text="Users who act for this organisation.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_unique_name_ci"),
            in_vocabulary("kind", OrganisationKind, name="organisation_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


def _parties_of_its_annex() -> Q:
    """Two different Parties of the annex: 31-A binds the United States and Mexico, 31-B Canada and
    Mexico (docs/mechanism.md, "What it is"); either may complain."""
    condition = Q()
    for annex, parties in ANNEX_PARTIES.items():
        condition |= Q(annex=annex, complainant__in=parties, respondent__in=parties)
    return condition & ~Q(complainant=models.F("respondent"))


class Case(TimeStamped):
    """One invocation of the mechanism about one facility, from receipt or self-initiation to closure.

    The dated milestone columns mirror the timeline so that lists and statistics need no join; the
    workflow service writes both in one transaction.
    """

    RecordBasis = CaseRecordBasis

    case_id = models.SlugField(
        max_length=100, unique=True, help_text="Stable public identifier, e.g. us-mx-2021-gm-silao."
    )
    facility = protected_reference(
        Facility,
        related_name="cases",
        help_text="The case's first facility; the database keeps it first of `facilities`.",
    )
    facilities = models.ManyToManyField(
        Facility,
        through="CaseFacility",
        related_name="covering_cases",
        help_text="Every facility the case covers, in the order the sources list them.",
    )
    complainant = choice_field(
        Country, default=Country.US, help_text="The Party that complains (invokes the mechanism)."
    )
    respondent = choice_field(
        Country, default=Country.MX, help_text="The Party whose facility is complained of."
    )
    annex = choice_field(
        Annex, default=Annex.A31, db_index=True, help_text="Annex 31-A (U.S.) or 31-B (Canada)."
    )
    initiation = choice_field(
        Initiation, max_length=20, default=Initiation.PETITION, help_text="Petition-based or self-initiated."
    )
    stage = choice_field(
        Stage,
        max_length=40,
        default=Stage.SUBMITTED,
        db_index=True,
        help_text="Current stage of the workflow.",
    )
    outcome = choice_field(
        Outcome,
        max_length=40,
        default=Outcome.OPEN,
        db_index=True,
        help_text="Outcome code (docs/mechanism.md).",
    )
    outcome_date = optional_date(help_text="Date the outcome was announced.")
    ustr_invocation_no = models.PositiveIntegerField(
        null=True, blank=True, help_text="USTR's running number for the invocation."
    )
    title = models.CharField(max_length=255, blank=True, help_text="Short public title.")
    summary_en = models.TextField(blank=True, help_text="Public summary in English.")
    summary_es = models.TextField(blank=True, help_text="Public summary in Spanish.")
    petition_received_on = optional_date(
        help_text="OTLA's (or Canada's NAO's) receipt of the petition.", db_index=True
    )
    request_for_review_on = optional_date(
        help_text="Date of the request for review sent to Mexico.", db_index=True
    )
    mexico_response = models.TextField(blank=True, help_text="Mexico's response as reported by the source.")
    mexico_response_on = optional_date(help_text="Date Mexico accepted or refused to review.")
    remediation_agreed_on = optional_date(help_text="Date a course of remediation was agreed.")
    panel_requested_on = optional_date(help_text="Date a Rapid Response Labor Panel was requested.")
    liquidation_suspended_on = optional_date(
        help_text="Date liquidation of the facility's entries was suspended."
    )
    liquidation_resumed_on = optional_date(help_text="Date liquidation resumed.")
    backpay_usd = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Published back pay in U.S. dollars.",
    )
    backpay_is_floor = models.BooleanField(
        default=False, help_text="True when the source says 'more than' this amount."
    )
    workers_covered = models.PositiveIntegerField(
        null=True, blank=True, help_text="Workers covered, as reported by the source."
    )
    source_url = models.URLField(max_length=500, blank=True, help_text="Primary public source for the case.")
    notes = models.TextField(blank=True, help_text="Provenance and caveats.")
    record_basis = choice_field(
        CaseRecordBasis,
        max_length=20,
        default=CaseRecordBasis.STAFF,
        help_text="Whether staff record every act here as it happens, or the case was imported from "
        "public sources (where an act missing from the record may simply not be public).",
    )
    search_vector = search_vector_field("case")
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["-request_for_review_on", "case_id"]
        constraints = [
            in_vocabulary("record_basis", CaseRecordBasis, name="case_record_basis_valid"),
            in_vocabulary("outcome", Outcome, name="case_outcome_in_vocabulary"),
            in_vocabulary("stage", Stage, name="case_stage_valid"),
            in_vocabulary("annex", Annex, name="case_annex_valid"),
            in_vocabulary("initiation", Initiation, name="case_initiation_valid"),
            in_vocabulary("complainant", Country, name="case_complainant_valid"),
            in_vocabulary("respondent", Country, name="case_respondent_valid"),
            models.CheckConstraint(condition=_parties_of_its_annex(), name="case_parties_of_its_annex"),
            models.CheckConstraint(
                condition=Q(backpay_usd__isnull=True) | Q(backpay_usd__gte=0),
                name="case_backpay_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(ustr_invocation_no__isnull=True) | Q(ustr_invocation_no__gte=1),
                name="case_invocation_positive",
            ),
            models.CheckConstraint(
                condition=Q(liquidation_resumed_on__isnull=True)
                | (
                    Q(liquidation_suspended_on__isnull=False)
                    & Q(liquidation_resumed_on__gte=models.F("liquidation_suspended_on"))
                ),
                name="case_liquidation_resumes_after_suspension",
            ),
            date_not_before(
                "request_for_review_on", "petition_received_on", name="case_request_not_before_receipt"
            ),
            models.CheckConstraint(
                condition=~Q(initiation=Initiation.SELF_INITIATED) | Q(petition_received_on__isnull=True),
                name="case_self_initiated_has_no_petition",
            ),
            models.UniqueConstraint(fields=["annex", "ustr_invocation_no"], name="case_unique_invocation_no"),
        ]
        indexes = [
            models.Index(fields=["facility", "request_for_review_on"], name="case_facility_request_idx"),
            models.Index(fields=["stage", "outcome"], name="case_stage_outcome_idx"),
            # The public list's order with each case's key: a page at row N is found by reading N
            # entries of this index alone (an index-only scan), not N rows of the table.
            models.Index(fields=["case_id"], include=["id"], name="case_id_with_key_idx"),
            search_index("case"),
        ]

    def __str__(self) -> str:
        return self.case_id

    @property
    def is_liquidation_suspended(self) -> bool:
        return self.liquidation_suspended_on is not None and self.liquidation_resumed_on is None


class CaseFacility(models.Model):
    """A facility a case covers, at its place in the sources' list. Position 0 is the case's `facility`:
    a trigger (migration 0012) writes it whenever the case's facility is set, so the two never differ."""

    case = owner(Case, related_name="facility_links", help_text="Case covering the facility.")
    facility = protected_reference(Facility, related_name="case_links", help_text="Facility covered.")
    position = models.PositiveSmallIntegerField(
        help_text="Place in the case's list, from 0 (its `facility`)."
    )

    class Meta:
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="case_facility_unique_position"),
            models.UniqueConstraint(fields=["case", "facility"], name="case_facility_listed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.position}: facility {self.facility_id}"

    def clean(self) -> None:
        # The database refuses it too (migration 0012); this says so on the form.
        if self.position == 0 and self.case_id is not None and self.facility_id != self.case.facility_id:
            raise ValidationError({"position": "Position 0 is the case's own facility; change that instead."})


class Document(TimeStamped):
    """A public or confidential document attached to a case or to one of its investigations."""

    case = protected_reference(Case, related_name="documents", help_text="Case the document belongs to.")
    title = models.CharField(max_length=255, help_text="Title of the document.")
    url = models.URLField(max_length=500, blank=True, help_text="Public address, for published documents.")
    file = models.FileField(
        upload_to="documents/%Y/", blank=True, help_text="Stored copy, kept outside the web root."
    )
    language = choice_field(Language, default=Language.EN, help_text="Language of the text.")
    issued_on = optional_date(help_text="Date printed on the document.")
    confidential = models.BooleanField(
        default=False, help_text="Never shown outside staff and the owning organisation."
    )
    search_vector = search_vector_field("document")
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["issued_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="document_has_url_or_file"),
            in_vocabulary("language", Language, name="document_language_valid"),
        ]
        indexes = [search_index("document")]

    def __str__(self) -> str:
        return self.title


class TimelineEvent(models.Model):
    """One dated fact in a case's life. Append-only: a mistake is fixed by a correction event.

    PostgreSQL refuses UPDATE and DELETE on this table (trigger in migration 0002).
    """

    Precision = DatePrecision
    Basis = DateBasis

    case = protected_reference(Case, related_name="events", help_text="Case the event belongs to.")
    kind = choice_field(EventKind, max_length=40, help_text="What happened.")
    occurred_on = models.DateField(
        help_text="Date the event took place (not the date it was recorded); the first day of the month "
        "when only the month is known."
    )
    date_precision = choice_field(
        DatePrecision, default=DatePrecision.DAY, help_text="Whether the day or only the month is known."
    )
    date_basis = choice_field(DateBasis, default=DateBasis.ACT, help_text="How the date is known.")
    from_stage = choice_field(
        Stage, max_length=40, blank=True, help_text="Stage before the event, for transitions."
    )
    to_stage = choice_field(
        Stage, max_length=40, blank=True, help_text="Stage after the event, for transitions."
    )
    description = models.TextField(blank=True, help_text="What the source says happened.")
    source_url = models.URLField(max_length=500, blank=True, help_text="Public source of the event.")
    source_note = models.CharField(
        max_length=500, blank=True, help_text="Source when it has no address (e.g. 'USTR letter', 'import')."
    )
    data = models.JSONField(
        default=dict,
        blank=True,
        help_text="Structured details, e.g. a deadline's due date before and after an extension.",
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text="Event this one corrects.",
    )
    recorded_at = models.DateTimeField(auto_now_add=True, help_text="When the event was recorded here.")
    recorded_by = user_reference(help_text="Who recorded it; blank for imports.")
    search_vector = search_vector_field("timelineevent")

    class Meta:
        ordering = ["occurred_on", "id"]
        constraints = [
            in_vocabulary("kind", EventKind, name="event_kind_valid"),
            in_vocabulary("date_precision", DatePrecision, name="event_date_precision_valid"),
            in_vocabulary("date_basis", DateBasis, name="event_date_basis_valid"),
            models.CheckConstraint(condition=~Q(source_url="") | ~Q(source_note=""), name="event_has_source"),
        ]
        indexes = [
            models.Index(fields=["case", "occurred_on"], name="event_case_date_idx"),
            models.Index(fields=["kind", "occurred_on"], name="event_kind_date_idx"),
            # The statistics read each case's earliest event of some kinds (public.event_figures).
            models.Index(fields=["case", "kind", "occurred_on", "id"], name="event_case_kind_date_idx"),
            search_index("timelineevent"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.occurred_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Timeline events are append-only; record a correction event instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Timeline events are append-only; record a correction event instead.")


class DeadlineRule(TimeStamped):
    """One version of a statutory or treaty clock, as data so that it can change without a deploy."""

    Unit = DeadlineRuleUnit

    Calendar = DeadlineRuleCalendar

    RollForward = DeadlineRuleRollForward

    code = models.SlugField(max_length=60, help_text="Stable name of the clock, shared by its versions.")
    name = models.CharField(max_length=200, help_text="Human name of the clock.")
    effective_from = models.DateField(help_text="First start date to which this version applies.")
    effective_to = optional_date(help_text="Last start date to which it applies; blank while in force.")
    citation = models.CharField(max_length=500, help_text="Legal source of the rule.")
    length = models.PositiveSmallIntegerField(help_text="Number of days.")
    unit = choice_field(Unit, max_length=10, help_text="Calendar or business days.")
    calendar = choice_field(Calendar, help_text="Whose weekends and holidays count.")
    start_event = choice_field(EventKind, max_length=40, help_text="Event whose date starts the clock.")
    satisfied_by = models.JSONField(default=list, help_text="Event kinds any one of which stops the clock.")
    ended_by = models.JSONField(
        default=list,
        blank=True,
        help_text="Later event kinds that prove the clock had stopped by their date, not when it stopped.",
    )
    roll_forward = choice_field(
        RollForward, max_length=20, help_text="What happens to a due date on a non-business day."
    )
    confidence = choice_field(
        Confidence,
        max_length=1,
        help_text="Confidence tag from docs/mechanism.md; U is shown as unconfirmed.",
    )
    annex = choice_field(Annex, blank=True, help_text="Annex the rule applies to; blank for both.")
    notes = models.TextField(blank=True, help_text="Why the rule reads as it does.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="rule_unique_version"),
            models.CheckConstraint(condition=Q(length__gte=1), name="rule_length_positive"),
            in_vocabulary("unit", DeadlineRuleUnit, name="rule_unit_valid"),
            in_vocabulary("calendar", DeadlineRuleCalendar, name="rule_calendar_valid"),
            in_vocabulary("roll_forward", DeadlineRuleRollForward, name="rule_roll_forward_valid"),
            in_vocabulary("confidence", Confidence, name="rule_confidence_valid"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="rule_effective_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} from {self.effective_from}"

    @property
    def is_unconfirmed(self) -> bool:
        return self.confidence == Confidence.UNCONFIRMED

    @property
    def spec(self) -> RuleSpec:
        """The clock's view of this version; its version is its `effective_from` date."""
        return RuleSpec(
            code=self.code,
            name=self.name,
            citation=self.citation,
            length=self.length,
            unit=self.unit,
            calendar=self.calendar,
            roll_forward=self.roll_forward,
            confidence=self.confidence,
            start_event=self.start_event,
            version=self.effective_from.isoformat(),
        )


class Deadline(TimeStamped):
    """A clock running on one case: the rule version it follows, what started it, and when it is due."""

    Status = DeadlineStatus

    case = protected_reference(Case, related_name="deadlines", help_text="Case the clock runs on.")
    rule = protected_reference(
        DeadlineRule, related_name="deadlines", help_text="Rule version that computed the due date."
    )
    start_event = optional_reference(
        TimelineEvent, related_name="started_deadlines", help_text="Event that started the clock."
    )
    start_date = models.DateField(help_text="Date the clock started.")
    due_date = models.DateField(db_index=True, help_text="Date by which the satisfying event is due.")
    status = choice_field(
        Status, max_length=10, default=Status.OPEN, help_text="Open, met, late, ended or cancelled."
    )
    satisfied_on = optional_date(
        help_text="Date the clock stopped; for a stop known only to a period, the day by which it had."
    )
    satisfied_by_event = optional_reference(
        TimelineEvent, related_name="satisfied_deadlines", help_text="Event that stopped the clock."
    )
    days_late = models.PositiveIntegerField(
        null=True, blank=True, help_text="Calendar days after the due date; 0 when met on time."
    )
    days_late_is_minimum = models.BooleanField(
        default=False,
        db_default=False,
        help_text="The stop is known only to a period: days_late is the least it can be.",
    )
    explanation = models.JSONField(
        default=dict,
        blank=True,
        help_text="How the due date was computed: start, rule, skipped days, result.",
    )
    last_alert_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Smallest lead time already alerted, in days before the due date; 0 once overdue.",
    )

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            in_vocabulary("status", DeadlineStatus, name="deadline_status_valid"),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")), name="deadline_due_not_before_start"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["met", "late", "ended"]) | Q(satisfied_on__isnull=False),
                name="deadline_settled_has_date",
            ),
            models.UniqueConstraint(
                fields=["case", "rule"], condition=Q(status="open"), name="deadline_one_open_per_rule"
            ),
        ]
        indexes = [
            models.Index(fields=["due_date"], condition=Q(status="open"), name="deadline_open_due_idx"),
            models.Index(fields=["case", "status"], name="deadline_case_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.rule_id} due {self.due_date}"

    @property
    def is_unconfirmed(self) -> bool:
        """Its rule is tagged U, or was when its due date was computed: shown as unconfirmed."""
        return self.rule.is_unconfirmed or bool(self.explanation.get("unconfirmed"))


class CalendarHoliday(TimeStamped):
    """A non-business day that staff add on top of the `holidays` library (e.g. a decreed closure).

    Adding one recomputes the open deadlines whose window it falls in.
    """

    calendar = choice_field(DeadlineRuleCalendar, help_text="Calendar it belongs to.")
    day = models.DateField(help_text="The non-business day.")
    name = models.CharField(max_length=200, help_text="Why the day is not a business day.")
    source_url = models.URLField(max_length=500, blank=True, help_text="Decree or announcement.")

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="holiday_unique_day"),
            in_vocabulary("calendar", DeadlineRuleCalendar, name="holiday_calendar_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.name} ({self.calendar})"


class CaseWatch(models.Model):
    """A user who gets e-mail about a case's deadlines."""

    case = owner(Case, related_name="watches", help_text="Case watched.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_watches", help_text="Watcher."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the watch began.")
    language = choice_field(
        Language, default=Language.EN, help_text="Language of the e-mail the watcher receives."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="watch_once_per_user"),
            in_vocabulary("language", Language, name="watch_language_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} watches {self.case_id}"


class WebhookEndpoint(TimeStamped):
    """An organisation's address for signed notifications.

    The signing secret is never stored: it is derived from SECRET_KEY and `secret_salt`, shown once
    at creation, and recomputed to sign each delivery.
    """

    organisation = owner(Organisation, related_name="webhooks", help_text="Owner.")
    url = models.URLField(max_length=500, help_text="HTTPS address that receives POSTed JSON.")
    secret_salt = models.CharField(
        max_length=64, help_text="Random salt from which the signing secret is derived."
    )
    cases = models.ManyToManyField(
        Case, blank=True, related_name="webhooks", help_text="Cases whose deadlines it receives."
    )
    active = models.BooleanField(default=True, help_text="Inactive endpoints receive nothing.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "url"], name="webhook_unique_url")]

    def __str__(self) -> str:
        return self.url


class Subscription(models.Model):
    """An e-mail address told of every stage change and deadline warning of one case, of every case an
    organisation petitioned, or of every public case. An address typed by a visitor receives nothing
    until it is confirmed (double opt-in); a member's own address is confirmed when subscribed."""

    Scope = SubscriptionScope

    scope = choice_field(SubscriptionScope, max_length=12, help_text="Which cases it covers.")
    email = models.EmailField(help_text="Address the notices go to.")
    language = choice_field(Language, help_text="Language of the notices.")
    user = optional_owner(
        settings.AUTH_USER_MODEL,
        related_name="subscriptions",
        help_text="Account that subscribed; blank for a visitor.",
    )
    case = optional_owner(
        Case, related_name="subscriptions", help_text="The case, for a subscription to one case."
    )
    organisation = optional_owner(
        Organisation,
        related_name="subscriptions",
        help_text="The organisation, for a subscription to its cases.",
    )
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the address was confirmed; nothing is sent before."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was asked for.")

    class Meta:
        constraints = [
            in_vocabulary("scope", SubscriptionScope, name="subscription_scope_valid"),
            in_vocabulary("language", Language, name="subscription_language_valid"),
            models.CheckConstraint(
                condition=(Q(scope="case") & Q(case__isnull=False) & Q(organisation__isnull=True))
                | (Q(scope="organisation") & Q(case__isnull=True) & Q(organisation__isnull=False))
                | (Q(scope="public") & Q(case__isnull=True) & Q(organisation__isnull=True)),
                name="subscription_names_its_cases",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "scope",
                "case",
                "organisation",
                name="subscription_once",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.scope} {self.case_id or self.organisation_id or ''}".strip()


class ThresholdCrossing(models.Model):
    """What the sweep claims when a watched date crosses one of its thresholds."""

    kind = choice_field(DeadlineAlertKind, max_length=10, help_text="Due soon or overdue.")
    lead_days = models.PositiveSmallIntegerField(
        help_text="Days before the due date of the threshold; 0 for overdue."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the sweep claimed the threshold.")

    class Meta:
        abstract = True


class DeadlineAlert(ThresholdCrossing):
    """One crossing of one threshold by one deadline. The unique key is what makes alerts exactly-once."""

    Kind = DeadlineAlertKind

    deadline = owner(Deadline, related_name="alerts", help_text="Deadline alerted.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "lead_days"], name="alert_once_per_threshold"
            ),
            in_vocabulary("kind", DeadlineAlertKind, name="alert_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.lead_days}d for deadline {self.deadline_id}"


class WatchedDateAlert(ThresholdCrossing):
    """One crossing of one threshold by a date that another app has the sweep watch (a remediation plan's
    end, an action's due date), named by its source and row as a clock's alert is by its deadline."""

    source = models.SlugField(max_length=60, help_text="What the date is, e.g. remediation_plan_end.")
    row_id = models.BigIntegerField(help_text="The watched row, in its source's table.")
    case = owner(Case, related_name="watched_date_alerts", help_text="Case of the row.")
    due_on = models.DateField(
        help_text="The date alerted; when it moves, a threshold not yet alerted follows."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "row_id", "kind", "lead_days"], name="watched_alert_once_per_threshold"
            ),
            in_vocabulary("kind", DeadlineAlertKind, name="watched_alert_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.lead_days}d for {self.source} {self.row_id}"


class Notification(models.Model):
    """Transactional outbox: written with its alert, delivered by a task, claimed by a conditional UPDATE."""

    Channel = NotificationChannel
    Status = NotificationStatus

    alert = optional_owner(
        DeadlineAlert,
        related_name="notifications",
        help_text="Alert notified; blank for stage changes and test deliveries.",
    )
    event = optional_owner(
        TimelineEvent,
        related_name="notifications",
        help_text="Stage change notified; blank for alerts and test deliveries.",
    )
    language = choice_field(Language, default=Language.EN, help_text="Language the recipient reads.")
    channel = choice_field(NotificationChannel, max_length=10, help_text="E-mail or webhook.")
    recipient_email = models.EmailField(blank=True, help_text="Address, for e-mail.")
    endpoint = optional_owner(WebhookEndpoint, related_name="deliveries", help_text="Endpoint, for webhooks.")
    payload = models.JSONField(default=dict, help_text="What is sent.")
    status = choice_field(
        NotificationStatus,
        max_length=10,
        default=NotificationStatus.PENDING,
        db_index=True,
        help_text="Delivery state.",
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Delivery attempts so far.")
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker claimed it.")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When delivery succeeded.")
    response_code = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="HTTP status of the webhook answer."
    )
    last_error = models.TextField(blank=True, help_text="Last delivery error.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was queued.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            in_vocabulary("channel", NotificationChannel, name="notification_channel_valid"),
            in_vocabulary("status", NotificationStatus, name="notification_status_valid"),
            models.CheckConstraint(
                condition=(Q(channel="email") & ~Q(recipient_email="") & Q(endpoint__isnull=True))
                | (Q(channel="webhook") & Q(recipient_email="") & Q(endpoint__isnull=False)),
                name="notification_has_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["alert", "recipient_email"],
                condition=Q(channel="email"),
                name="notification_email_once",
            ),
            models.UniqueConstraint(
                fields=["alert", "endpoint"], condition=Q(channel="webhook"), name="notification_webhook_once"
            ),
            models.UniqueConstraint(
                fields=["event", "recipient_email"],
                condition=Q(channel="email"),
                name="notification_event_email_once",
            ),
            models.UniqueConstraint(
                fields=["event", "endpoint"],
                condition=Q(channel="webhook"),
                name="notification_event_webhook_once",
            ),
            in_vocabulary("language", Language, name="notification_language_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"
