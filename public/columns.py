"""Every column of the public record, declared once per table.

The case allowlist of public.selectors, the case serializers of the API (and so their OpenAPI field
docs and ?format=csv columns), the bulk export's CSV files and SQLite tables, and the Datasette
metadata are derived from these declarations. Adding a public case column is one line in CASES plus
its model migration. Nothing that is not declared here is shown.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from enum import Enum

from django.db import models

from rrm.choices import Outcome, Stage


class Kind(Enum):
    """What a column holds."""

    TEXT = "text"
    SLUG = "slug"
    INTEGER = "integer"
    MONEY = "money"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    # Built by the API serializer from the row (a link, a nested object); never exported.
    COMPUTED = "computed"

    @property
    def sqlite_type(self) -> str:
        return SQLITE_TYPES[self]


# Dates and times are stored as ISO 8601 text, booleans as 1/0.
SQLITE_TYPES = {
    Kind.TEXT: "TEXT",
    Kind.SLUG: "TEXT",
    Kind.INTEGER: "INTEGER",
    Kind.MONEY: "REAL",
    Kind.BOOLEAN: "INTEGER",
    Kind.DATE: "TEXT",
    Kind.DATETIME: "TEXT",
}


class Api(Enum):
    """Where the API shows a column: in every row of a list, only on the page of one row, or nowhere."""

    LIST = "list"
    DETAIL = "detail"
    NONE = "none"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    _: KW_ONLY
    # The ORM path read; the name when blank. An annotation name when the table's queryset adds it.
    source: str = ""
    null: bool = False
    references: str = ""
    choices: type[models.TextChoices] | None = None
    api: Api = Api.LIST
    export: bool = True

    @property
    def path(self) -> str:
        return self.source or self.name


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: str = ""
    indexes: tuple[str, ...] = ()

    @property
    def exported(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.export)

    def shown(self, *levels: Api) -> tuple[Column, ...]:
        """The columns the API shows at `levels`, level by level, each in declared order."""
        return tuple(column for level in levels for column in self.columns if column.api == level)


TEXT, SLUG, INTEGER, MONEY = Kind.TEXT, Kind.SLUG, Kind.INTEGER, Kind.MONEY
BOOLEAN, DATE, DATETIME, COMPUTED = Kind.BOOLEAN, Kind.DATE, Kind.DATETIME, Kind.COMPUTED
CASE_REF = "cases.case_id"


def case_reference(description: str = "Case.") -> Column:
    return Column("case_id", TEXT, description, source="case__case_id", references=CASE_REF)


CASES = Table(
    "cases",
    "Every case of the record, with its facility's location and sector for faceting.",
    (
        Column("case_id", SLUG, "Stable public identifier, e.g. us-mx-2021-gm-silao."),
        Column("url", COMPUTED, "Address of the case's own page.", export=False),
        Column("title", TEXT, "Short public title, if staff wrote one."),
        Column("annex", TEXT, "31-A (United States–Mexico) or 31-B (Canada–Mexico)."),
        Column("initiation", TEXT, "petition or self_initiated."),
        Column("stage", TEXT, "Current stage of the workflow."),
        Column("stage_label", TEXT, "The stage in words.", source="stage", choices=Stage, export=False),
        Column("outcome", TEXT, "Outcome code (process.md §7); open = none found."),
        Column(
            "outcome_label", TEXT, "The outcome in words.", source="outcome", choices=Outcome, export=False
        ),
        Column("outcome_date", DATE, "Date the outcome was announced.", null=True),
        Column("year", INTEGER, "Year of the petition's receipt, or of the request for review.", null=True),
        Column("ustr_invocation_no", INTEGER, "USTR's running number for the invocation.", null=True),
        Column("facility", COMPUTED, "Facility the case concerns.", export=False),
        Column(
            "company", COMPUTED, "Company operating the facility.", source="facility__operator", export=False
        ),
        Column("facility_id", INTEGER, "Facility.", references="facilities.id", api=Api.NONE),
        Column(
            "company_id",
            INTEGER,
            "Company operating the facility.",
            source="facility__operator_id",
            references="companies.id",
            api=Api.NONE,
        ),
        Column("facility_name", TEXT, "Facility name as reported.", source="facility__name", api=Api.NONE),
        Column(
            "company_name",
            TEXT,
            "Company name as reported.",
            source="facility__operator__name",
            api=Api.NONE,
        ),
        Column("state", TEXT, "Mexican state, ISO 3166-2:MX code.", source="facility__state", api=Api.NONE),
        Column("sector", TEXT, "Priority Sector.", source="facility__sector", api=Api.NONE),
        Column(
            "subsector",
            TEXT,
            "Priority subsector (19 U.S.C. §4643).",
            source="facility__subsector",
            api=Api.NONE,
        ),
        Column(
            "petitioner_type",
            TEXT,
            "Type of the lead petitioner; undisclosed for anonymous or confidential petitioners.",
        ),
        Column(
            "petitioners",
            COMPUTED,
            "Named petitioners: never those of an anonymous petition, nor any who asked not to be.",
            export=False,
        ),
        Column("requested", BOOLEAN, "1 if a request for review was sent to Mexico.", api=Api.NONE),
        Column("petition_received_on", DATE, "Receipt of the petition.", null=True),
        Column("request_for_review_on", DATE, "Request for review sent to Mexico.", null=True),
        Column("mexico_response", TEXT, "Mexico's response as reported by the source."),
        Column("mexico_response_on", DATE, "Date Mexico accepted or refused to review.", null=True),
        Column("remediation_agreed_on", DATE, "Course of remediation agreed.", null=True),
        Column("panel_requested_on", DATE, "Panel requested.", null=True),
        Column("liquidation_suspended_on", DATE, "Liquidation suspended.", null=True),
        Column("liquidation_resumed_on", DATE, "Liquidation resumed.", null=True),
        Column("backpay_usd", MONEY, "Published back pay in U.S. dollars.", null=True),
        Column("backpay_is_floor", BOOLEAN, "The source says 'more than' this amount."),
        Column("workers_covered", INTEGER, "Workers covered, as reported.", null=True),
        Column("summary_en", TEXT, "Public summary in English.", api=Api.DETAIL),
        Column("summary_es", TEXT, "Public summary in Spanish.", api=Api.DETAIL),
        Column("notes", TEXT, "Provenance and caveats of the public sources.", api=Api.DETAIL),
        Column("source_url", TEXT, "Primary public source."),
        Column("updated_at", DATETIME, "When the case row last changed."),
    ),
    primary_key="case_id",
    indexes=(
        "state",
        "sector",
        "year",
        "outcome",
        "stage",
        "annex",
        "company_id",
        "facility_id",
        "updated_at",
    ),
)

FACILITIES = Table(
    "facilities",
    "Facilities named in at least one case.",
    (
        Column("id", INTEGER, "Facility id."),
        Column("name", TEXT, "Facility name as reported."),
        Column(
            "company_id", INTEGER, "Company operating it.", source="operator_id", references="companies.id"
        ),
        Column("city", TEXT, "Municipality or city."),
        Column("state", TEXT, "Mexican state code."),
        Column("sector", TEXT, "Priority Sector."),
        Column("subsector", TEXT, "Priority subsector."),
        Column("sector_reported", TEXT, "Sector as the source reports it."),
        Column("headcount", INTEGER, "Approximate number of workers."),
        Column("case_count", INTEGER, "Cases about the facility."),
        Column("updated_at", DATETIME, "When the row last changed."),
    ),
    primary_key="id",
    indexes=("state", "sector", "company_id"),
)
COMPANIES = Table(
    "companies",
    "Companies operating a facility named in a case.",
    (
        Column("id", INTEGER, "Company id."),
        Column("name", TEXT, "Company name."),
        Column("country", TEXT, "Country of the headquarters, if known."),
        Column("parent_id", INTEGER, "Parent company id."),
        Column("case_count", INTEGER, "Cases about its facilities."),
        Column("facility_count", INTEGER, "Its facilities named in a case."),
    ),
    primary_key="id",
)
PETITIONERS = Table(
    "petitioners",
    "Petitioners who may be named (never those of anonymous petitions or who asked not to be).",
    (
        Column("case_id", TEXT, "Case.", source="petition__case__case_id", references=CASE_REF),
        Column("name", TEXT, "Organisation's name.", source="organisation__name"),
        Column("kind", TEXT, "Type of organisation.", source="organisation__kind"),
        Column("role", TEXT, "lead or co."),
    ),
    indexes=("case_id",),
)
EVENTS = Table(
    "events",
    "Every dated event of every case; corrected = a later event corrects this one.",
    (
        Column("id", INTEGER, "Event id."),
        case_reference(),
        Column("kind", TEXT, "Event kind."),
        Column("occurred_on", DATE, "Date the event took place."),
        Column("from_stage", TEXT, "Stage before."),
        Column("to_stage", TEXT, "Stage after."),
        Column("description", TEXT, "What the source says happened."),
        Column("source_url", TEXT, "Public source."),
        Column("source_note", TEXT, "Source when it has no address."),
        Column("corrects_id", INTEGER, "Event this one corrects.", references="events.id"),
        Column("corrected", BOOLEAN, "1 if a later event corrects this one.", source="is_corrected"),
        Column("recorded_at", DATETIME, "When it was recorded."),
    ),
    primary_key="id",
    indexes=("case_id", "kind", "occurred_on"),
)
DEADLINES = Table(
    "deadlines",
    "Every statutory or treaty clock with its verdict and explanation; unconfirmed = rule tagged U.",
    (
        Column("id", INTEGER, "Deadline id."),
        case_reference(),
        Column("rule", TEXT, "Rule code.", source="rule__code"),
        Column("rule_name", TEXT, "Rule name.", source="rule__name"),
        Column("citation", TEXT, "Legal source of the rule.", source="rule__citation"),
        Column("confidence", TEXT, "C confirmed, S secondary, U unconfirmed.", source="rule__confidence"),
        Column("unconfirmed", BOOLEAN, "1 if the rule is unconfirmed."),
        Column("start_date", DATE, "Date the clock started."),
        Column("due_date", DATE, "Due date."),
        Column("status", TEXT, "open, met, late, missed or cancelled."),
        Column("verdict", TEXT, "met, late, missed, cancelled, pending or overdue."),
        Column("satisfied_on", DATE, "Date the clock stopped."),
        Column("days_late", INTEGER, "Calendar days after the due date."),
        Column("explanation", TEXT, "How the due date was computed.", source="explanation_text"),
    ),
    primary_key="id",
    indexes=("case_id", "rule", "verdict"),
)
MEXICO_REVIEWS = Table(
    "mexico_reviews",
    "Mexico's answer to each request for review and its findings.",
    (
        case_reference(),
        Column("requested_on", DATE, "Request for review."),
        Column("response", TEXT, "pending, accepted, declined or no_answer."),
        Column("response_on", DATE, "Date of the answer."),
        Column("response_reported", TEXT, "The answer as reported."),
        Column("finding", TEXT, "pending, denial, no_denial or remedied."),
        Column("finding_on", DATE, "Date of the finding."),
        Column("findings", TEXT, "Summary of the findings."),
    ),
    indexes=("case_id",),
)
REMEDIATION_PLANS = Table(
    "remediation_plans",
    "Courses of remediation and USTR–company agreements.",
    (
        Column("id", INTEGER, "Plan id."),
        case_reference(),
        Column("kind", TEXT, "government or company."),
        Column("agreed_on", DATE, "Date agreed."),
        Column("ends_on", DATE, "End of the remediation period."),
        Column("status", TEXT, "State of the plan."),
        Column("summary", TEXT, "Commitments."),
        Column("source_url", TEXT, "Published plan."),
    ),
    primary_key="id",
    indexes=("case_id",),
)
REMEDIATION_ACTIONS = Table(
    "remediation_actions",
    "Actions of the plans and their verification.",
    (
        Column("id", INTEGER, "Action id."),
        Column("plan_id", INTEGER, "Plan.", references="remediation_plans.id"),
        Column("kind", TEXT, "What must be done."),
        Column("due_on", DATE, "Due date."),
        Column("status", TEXT, "Progress."),
        Column("completed_on", DATE, "When done."),
        Column("verified_on", DATE, "When verified."),
        Column("verified_by", TEXT, "Who verified it."),
        Column("workers_covered", INTEGER, "Workers covered."),
        Column("amount_usd", MONEY, "Money paid, USD."),
    ),
    primary_key="id",
    indexes=("plan_id",),
)
PANELS = Table(
    "panels",
    "Rapid Response Labor Panels.",
    (
        Column("id", INTEGER, "Panel id."),
        case_reference(),
        Column("secretariat_no", TEXT, "Secretariat number."),
        Column("requested_on", DATE, "Requested."),
        Column("constituted_on", DATE, "Constituted."),
        Column("basics_confirmed_on", DATE, "Request confirmed."),
        Column("determination", TEXT, "pending, denial or no_denial."),
        Column("determined_on", DATE, "Determination date."),
        Column("report_published_on", DATE, "Report published."),
        Column("report_url", TEXT, "Report."),
    ),
    primary_key="id",
    indexes=("case_id",),
)
REMEDIES = Table(
    "remedies",
    "Remedies after a panel's determination.",
    (
        Column("id", INTEGER, "Remedy id."),
        case_reference(),
        Column("panel_id", INTEGER, "Panel.", references="panels.id"),
        Column("kind", TEXT, "Measure."),
        Column("description", TEXT, "Scope and rate."),
        Column("imposed_on", DATE, "Took effect."),
        Column("lifted_on", DATE, "Lifted."),
    ),
    primary_key="id",
    indexes=("case_id",),
)
DOCUMENTS = Table(
    "documents",
    "Public documents of the cases.",
    (
        Column("id", INTEGER, "Document id."),
        case_reference(),
        Column("title", TEXT, "Title."),
        Column("url", TEXT, "Public address."),
        Column("language", TEXT, "en or es."),
        Column("issued_on", DATE, "Date printed on it."),
    ),
    primary_key="id",
    indexes=("case_id",),
)
# Sources are the columns of public.selectors.corrections_changelog().
CORRECTIONS = Table(
    "corrections",
    "Changelog of corrections to the public record, newest first.",
    (
        Column(
            "kind", TEXT, "record (written by staff) or timeline (an event corrected).", source="entry_kind"
        ),
        Column(
            "case_id",
            TEXT,
            "Case corrected; blank for the whole dataset.",
            source="entry_case",
            references=CASE_REF,
        ),
        Column("corrected_on", DATE, "Date of the correction.", source="entry_date"),
        Column("field", TEXT, "What was corrected.", source="entry_field"),
        Column("previous_value", TEXT, "What was published before.", source="entry_previous"),
        Column("corrected_value", TEXT, "What is published now.", source="entry_corrected"),
        Column("reason", TEXT, "Why.", source="entry_reason"),
        Column("source_url", TEXT, "Source of the corrected value.", source="entry_source"),
        Column("recorded_at", DATETIME, "When it was recorded.", source="entry_recorded"),
    ),
    indexes=("case_id",),
)
