"""Reads of the public record: querysets limited to explicit public field allowlists.

Nothing here loads a column that is not on an allowlist, so a confidential value (a petition's contact
details or narrative, evidence, a confidential document, the identity of an anonymous or confidential
petitioner) cannot reach a serializer, a CSV or the bulk export by accident.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, ExtractYear, Greatest, TruncDate

from petitions.models import Claim, Petition, Petitioner
from public import columns
from public.columns import Table
from remediation.models import (
    MexicoReview,
    Panel,
    Payment,
    Reinstatement,
    RemediationAction,
    RemediationPlan,
    Remedy,
    UnionVote,
    WorkerCount,
)
from rrm.choices import EventKind, Initiation
from rrm.models import Case as CaseRecord
from rrm.models import (
    CaseFacility,
    Company,
    Deadline,
    DeadlineRule,
    Document,
    Facility,
    Organisation,
    TimelineEvent,
)

# --------------------------------------------------------------------------------------------------
# Allowlists: the only columns the public surface reads. Petition is absent on purpose except for the
# flags that decide what may be shown (anonymous, status); Evidence is absent altogether.


def allowlist(model: type[Model], table: Table, *also: str) -> tuple[str, ...]:
    """The columns of `model` the public surface loads: those `table` declares (its other columns are
    annotations or joins), and `also` (the keys joins need, columns only the API shows)."""
    stored = {field.attname for field in model._meta.concrete_fields}
    return tuple(dict.fromkeys((*also, *(column.path for column in table.columns if column.path in stored))))


def public_case_fields() -> tuple[str, ...]:
    """The case's allowlist, read from the registry when it is asked for."""
    return allowlist(CaseRecord, columns.CASES, "id")


PUBLIC_FACILITY_FIELDS = allowlist(Facility, columns.FACILITIES)
PUBLIC_COMPANY_FIELDS = allowlist(Company, columns.COMPANIES, "updated_at")
PUBLIC_CASE_FACILITY_FIELDS = allowlist(CaseFacility, columns.CASE_FACILITIES, "case_id")
PUBLIC_ORGANISATION_FIELDS = ("id", "name", "kind", "country")
PUBLIC_PETITIONER_FIELDS = ("id", "role", "petition_id", "organisation_id")
# Read only to decide what may be shown; never serialised.
PETITION_VISIBILITY_FIELDS = ("id", "anonymous", "status", "case_id")
PUBLIC_EVENT_FIELDS = allowlist(TimelineEvent, columns.EVENTS, "case_id")
PUBLIC_DEADLINE_FIELDS = allowlist(
    Deadline, columns.DEADLINES, "case_id", "rule_id", "explanation", "updated_at"
)
PUBLIC_RULE_FIELDS = (
    "id",
    "code",
    "name",
    "citation",
    "confidence",
    "length",
    "unit",
    "calendar",
    "effective_from",
)
# Keys of Deadline.explanation that are shown; all of them describe the computation, none the case.
PUBLIC_EXPLANATION_KEYS = (
    "text",
    "unconfirmed",
    "nominal_due",
    "skipped",
    "extension_days",
    "cancelled",
    # A clock whose start is known only to a month or as announced: how, and the earliest it can be due.
    "start_precision",
    "start_basis",
    "due_from",
)
PUBLIC_DOCUMENT_FIELDS = allowlist(Document, columns.DOCUMENTS, "case_id")
PUBLIC_REVIEW_FIELDS = allowlist(MexicoReview, columns.MEXICO_REVIEWS, "id", "case_id", "updated_at")
PUBLIC_PLAN_FIELDS = allowlist(RemediationPlan, columns.REMEDIATION_PLANS, "case_id", "updated_at")
PUBLIC_ACTION_FIELDS = allowlist(RemediationAction, columns.REMEDIATION_ACTIONS, "updated_at")
PUBLIC_PANEL_FIELDS = allowlist(Panel, columns.PANELS, "case_id")
PUBLIC_REMEDY_FIELDS = allowlist(Remedy, columns.REMEDIES, "case_id")
PUBLIC_CLAIM_FIELDS = ("id", "petition_id", "category")
# What remediation achieved: each table's model and the case's relation that reads it.
OUTCOME_TABLES: tuple[tuple[type[Model], Table, str], ...] = (
    (UnionVote, columns.UNION_VOTES, "union_votes"),
    (Reinstatement, columns.REINSTATEMENTS, "reinstatements"),
    (Payment, columns.PAYMENTS, "payments"),
    (WorkerCount, columns.WORKER_COUNTS, "worker_counts"),
)

# The rows that tell a case's story beside the case row itself: each model, its path to the case, and
# the column that says when the row last changed (a timeline event is never changed: it is recorded once).
CHANGING_WITH_THE_CASE: tuple[type[Model], ...] = (
    Deadline,
    MexicoReview,
    RemediationPlan,
    Panel,
    Remedy,
    *(model for model, _table, _relation in OUTCOME_TABLES),
)
CASE_STORY: tuple[tuple[type[Model], str, str], ...] = (
    (TimelineEvent, "case", "recorded_at"),
    (RemediationAction, "plan__case", "updated_at"),
    *((model, "case", "updated_at") for model in CHANGING_WITH_THE_CASE),
)

# --------------------------------------------------------------------------------------------------
# Derived attributes of a case


class PetitionerType:
    """Values of a case's petitioner type: an organisation kind, or one of these."""

    SELF_INITIATED = "self_initiated"
    UNDISCLOSED = "undisclosed"
    UNKNOWN = "unknown"


PETITIONER_TYPE_CHOICES: tuple[tuple[str, str], ...] = (
    *((str(value), str(label)) for value, label in Organisation.Kind.choices if value != "unknown"),
    (PetitionerType.SELF_INITIATED, "Self-initiated by the government"),
    (PetitionerType.UNDISCLOSED, "Anonymous or confidential petitioner"),
    (PetitionerType.UNKNOWN, "Not reported"),
)


def case_year(prefix: str = "") -> ExtractYear:
    """Year of the petition's receipt, or of the request for review when no receipt date is known."""
    return ExtractYear(Coalesce(f"{prefix}petition_received_on", f"{prefix}request_for_review_on"))


def last_updated() -> Greatest:
    """When the public record of the case last changed: the latest change of the case row, its timeline
    events, deadlines, Mexico's review, remediation, panels, remedies and outcomes (PostgreSQL's GREATEST
    skips the rows a case does not have)."""
    latest = (
        Subquery(
            model._default_manager.filter(**{path: OuterRef("pk")})
            .order_by(F(column).desc())
            .values(column)[:1]
        )
        for model, path, column in CASE_STORY
    )
    return Greatest("updated_at", *latest)


def petitioner_type(prefix: str = "") -> Case:
    """Kind of the lead petitioner of the case's first filed petition, unless that petition is anonymous
    or its lead asked to stay unnamed.

    A kind could narrow down who an anonymous petitioner is, so it is withheld along with the name.
    """
    lead_kind = (
        Petitioner.objects.filter(
            petition__case=OuterRef(f"{prefix}pk"),
            petition__status=Petition.Status.SUBMITTED,
            role=Petitioner.Role.LEAD,
        )
        .order_by("petition_id")
        .annotate(
            shown_kind=Case(
                When(Q(identity_confidential=True) | Q(petition__anonymous=True), then=Value("undisclosed")),
                When(organisation__kind=Organisation.Kind.UNKNOWN, then=Value(PetitionerType.UNKNOWN)),
                default=F("organisation__kind"),
                output_field=CharField(),
            )
        )
        .values("shown_kind")[:1]
    )
    return Case(
        When(
            **{f"{prefix}initiation": Initiation.SELF_INITIATED},
            then=Value(PetitionerType.SELF_INITIATED),
        ),
        default=Coalesce(Subquery(lead_kind, output_field=CharField()), Value(PetitionerType.UNKNOWN)),
        output_field=CharField(),
    )


# --------------------------------------------------------------------------------------------------
# Querysets


def shown_petitioners() -> QuerySet[Petitioner]:
    """Petitioners who may be named: of a submitted, non-anonymous petition, not asking to stay unnamed."""
    return (
        Petitioner.objects.filter(
            identity_confidential=False,
            petition__anonymous=False,
            petition__status=Petition.Status.SUBMITTED,
        )
        .select_related("organisation")
        .only(*PUBLIC_PETITIONER_FIELDS, *(f"organisation__{name}" for name in PUBLIC_ORGANISATION_FIELDS))
        .order_by(Case(When(role=Petitioner.Role.LEAD, then=0), default=1, output_field=IntegerField()), "id")
    )


def filed_petitions() -> QuerySet[Petition]:
    """Petitions filed (never drafts), only the columns that decide what may be shown, oldest first."""
    return (
        Petition.objects.filter(status=Petition.Status.SUBMITTED)
        .only(*PETITION_VISIBILITY_FIELDS)
        .order_by("id")
    )


def public_cases(*, with_review: bool = False) -> QuerySet[CaseRecord]:
    """Every case, with its facility and company, year and petitioner type; the petitioners of its filed
    petitions prefetched."""
    related = {
        "facility": PUBLIC_FACILITY_FIELDS,
        "facility__operator": PUBLIC_COMPANY_FIELDS,
        **({"mexico_review": PUBLIC_REVIEW_FIELDS} if with_review else {}),
    }
    return (
        CaseRecord.objects.select_related(*related)
        .only(
            *public_case_fields(), *(f"{path}__{name}" for path, names in related.items() for name in names)
        )
        .annotate(year=case_year(), petitioner_type=petitioner_type())
        .prefetch_related(
            Prefetch("petitions", queryset=filed_petitions()),
            Prefetch("petitions__petitioners", queryset=shown_petitioners()),
            Prefetch("facility_links", queryset=case_facilities().order_by("position")),
        )
    )


def case_facilities() -> QuerySet[CaseFacility]:
    """Every facility of every case, with the facility's public columns."""
    return CaseFacility.objects.select_related("facility").only(
        *PUBLIC_CASE_FACILITY_FIELDS, *(f"facility__{name}" for name in PUBLIC_FACILITY_FIELDS)
    )


def outcome_prefetches() -> list[Prefetch]:
    """A case's votes, reinstatements, payments and worker counts: their public columns, dated ones first."""
    return [
        Prefetch(
            relation,
            queryset=model._default_manager.only(*allowlist(model, table, "case_id")).order_by(
                F("occurred_on").asc(nulls_last=True), "id"
            ),
        )
        for model, table, relation in OUTCOME_TABLES
    ]


def case_detail_queryset() -> QuerySet[CaseRecord]:
    """public_cases() with everything the page of one case shows."""
    return (
        public_cases(with_review=True)
        .annotate(last_updated=last_updated())
        .prefetch_related(
            *outcome_prefetches(),
            Prefetch("events", queryset=public_events().order_by("occurred_on", "id")),
            Prefetch("deadlines", queryset=public_deadlines().order_by("due_date", "id")),
            Prefetch("documents", queryset=public_documents()),
            Prefetch("remediation_plans", queryset=public_plans().order_by("agreed_on", "id")),
            Prefetch(
                "panels", queryset=Panel.objects.only(*PUBLIC_PANEL_FIELDS).order_by("requested_on", "id")
            ),
            Prefetch(
                "remedies", queryset=Remedy.objects.only(*PUBLIC_REMEDY_FIELDS).order_by("imposed_on", "id")
            ),
            Prefetch(
                "petitions__claims",
                queryset=Claim.objects.filter(confidential=False).only(*PUBLIC_CLAIM_FIELDS).order_by("id"),
            ),
        )
    )


def covers(**facility: object) -> Exists:
    """The case filtered covers a facility matching `facility` (lookups on Facility, OuterRef allowed),
    first of its facilities or not."""
    return Exists(
        CaseFacility.objects.filter(
            case=OuterRef("pk"), **{f"facility__{lookup}": value for lookup, value in facility.items()}
        )
    )


def public_facilities() -> QuerySet[Facility]:
    """Facilities covered by at least one case, first of its facilities or not; one named only in a
    draft petition is not public."""
    covering = CaseFacility.objects.filter(facility=OuterRef("pk"))
    return (
        Facility.objects.filter(Exists(covering))
        .select_related("operator")
        .only(*PUBLIC_FACILITY_FIELDS, *(f"operator__{name}" for name in PUBLIC_COMPANY_FIELDS))
        .annotate(case_count=_count_of(covering))
    )


def public_companies() -> QuerySet[Company]:
    """Companies operating a facility covered by a case."""
    # Through the links of its facilities: a company without a case is then refused by an index
    # lookup, where an EXISTS over cases read every case for it.
    links = CaseFacility.objects.filter(facility__operator=OuterRef("pk"))
    return (
        Company.objects.filter(Exists(links))
        .only(*PUBLIC_COMPANY_FIELDS)
        .annotate(
            case_count=_count_of(links, distinct="case_id"),
            facility_count=_count_of(
                Facility.objects.filter(operator=OuterRef("pk")).filter(
                    Exists(CaseFacility.objects.filter(facility=OuterRef("pk")))
                )
            ),
        )
    )


def _count_of(rows: QuerySet, *, distinct: str = "") -> Coalesce:
    """A correlated COUNT(*) of `rows`, or of the different values of their column `distinct`,
    evaluated per outer row (cheap for one page)."""
    template = "%(function)s(DISTINCT %(expressions)s)" if distinct else "%(function)s(%(expressions)s)"
    total = Func(F(distinct or "pk"), function="COUNT", template=template)
    counted = rows.order_by().annotate(total=total).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def public_events() -> QuerySet[TimelineEvent]:
    """Every timeline event, corrected ones included and flagged: the record shows its corrections."""
    return (
        TimelineEvent.objects.select_related("case")
        .only(*PUBLIC_EVENT_FIELDS, "case__case_id")
        .annotate(
            is_corrected=Exists(TimelineEvent.objects.filter(corrects=OuterRef("pk"))),
        )
    )


def public_deadlines() -> QuerySet[Deadline]:
    """Every deadline with its rule, its case's slug and how the case's record is kept (which its
    verdict depends on)."""
    return Deadline.objects.select_related("rule", "case").only(
        *PUBLIC_DEADLINE_FIELDS,
        *(f"rule__{name}" for name in PUBLIC_RULE_FIELDS),
        "case__case_id",
        "case__record_basis",
    )


def public_documents() -> QuerySet[Document]:
    """Documents not marked confidential, and only their title, address, language and date."""
    return (
        Document.objects.filter(confidential=False).only(*PUBLIC_DOCUMENT_FIELDS).order_by("issued_on", "id")
    )


def searchable_documents() -> QuerySet[Document]:
    """public_documents() with the slug of each one's case, for a list of documents of every case."""
    return public_documents().select_related("case").only(*PUBLIC_DOCUMENT_FIELDS, "case__case_id")


def public_plans() -> QuerySet[RemediationPlan]:
    return (
        RemediationPlan.objects.select_related("case")
        .only(*PUBLIC_PLAN_FIELDS, "case__case_id")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=RemediationAction.objects.only(*PUBLIC_ACTION_FIELDS).order_by("due_on", "id"),
            )
        )
    )


CHANGELOG_COLUMNS = (
    "entry_kind",
    "entry_case",
    "entry_date",
    "entry_field",
    "entry_previous",
    "entry_corrected",
    "entry_reason",
    "entry_source",
    "entry_recorded",
)


def corrections_changelog(*, since: dt.datetime | None = None, case_id: str | None = None) -> QuerySet:
    """Every published correction, newest first: what staff wrote (Correction) and every timeline
    event that corrects an earlier one (a date changed, or retracted)."""
    from public.models import Correction

    # The union is ordered as a whole: its parts drop their models' default ordering, which would sort each.
    written = Correction.objects.order_by()
    timeline = TimelineEvent.objects.filter(corrects__isnull=False).order_by()
    if since is not None:
        written = written.filter(updated_at__gte=since)
        timeline = timeline.filter(recorded_at__gte=since)
    if case_id:
        written = written.filter(case__case_id=case_id)
        timeline = timeline.filter(case__case_id=case_id)
    written_rows = written.annotate(
        entry_kind=Value("record", output_field=CharField()),
        entry_case=F("case__case_id"),
        entry_date=F("corrected_on"),
        entry_field=Cast("field", TextField()),
        entry_previous=Cast("previous_value", TextField()),
        entry_corrected=Cast("corrected_value", TextField()),
        entry_reason=Cast("reason", TextField()),
        entry_source=Cast("source_url", TextField()),
        entry_recorded=F("updated_at"),
    ).values(*CHANGELOG_COLUMNS)
    timeline_rows = timeline.annotate(
        entry_kind=Value("timeline", output_field=CharField()),
        entry_case=F("case__case_id"),
        entry_date=TruncDate("recorded_at"),
        entry_field=Cast(Concat(Value("timeline: "), F("corrects__kind")), TextField()),
        entry_previous=Cast("corrects__occurred_on", TextField()),
        entry_corrected=Case(
            When(kind=EventKind.CORRECTION, then=Value("retracted")),
            default=Cast("occurred_on", TextField()),
            output_field=TextField(),
        ),
        entry_reason=Cast("description", TextField()),
        entry_source=Cast("source_url", TextField()),
        entry_recorded=F("recorded_at"),
    ).values(*CHANGELOG_COLUMNS)
    return written_rows.union(timeline_rows, all=True).order_by("-entry_recorded", "entry_case")


def is_unconfirmed(rule: DeadlineRule, explanation: dict | None = None) -> bool:
    """A rule tagged U is shown as unconfirmed wherever it is shown (docs/mechanism.md)."""
    return bool((explanation or {}).get("unconfirmed")) or rule.confidence == "U"
