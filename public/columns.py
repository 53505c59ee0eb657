"""Every column of the public record, declared once per table.

The case allowlist of public.selectors, the case serializers of the API (and so their OpenAPI field
docs and ?format=csv columns), the bulk export's CSV files and SQLite tables, and the Datasette
metadata are derived from these declarations. Adding a public case column is one line in CASES plus
its model migration. Nothing that is not declared here is shown.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from enum import Enum
from functools import partial

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
    description: str
    _: KW_ONLY
    kind: Kind
    # The ORM path read; the name when blank. An annotation name when the table's queryset adds it.
    source: str = ""
    null: bool = False
    references: str = ""
    choices: type[models.TextChoices] | None = None
    api: Api = Api.LIST
    export: bool = True
    # In the SQLite file: the table's primary key; a column with an index (one people filter by).
    key: bool = False
    indexed: bool = False

    @property
    def path(self) -> str:
        return self.source or self.name


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def indexes(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.indexed)

    @property
    def exported(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.export)

    def shown(self, *levels: Api) -> tuple[Column, ...]:
        """The columns the API shows at `levels`, level by level, each in declared order."""
        return tuple(column for level in levels for column in self.columns if column.api == level)


def table(name: str, description: str, *columns: Column) -> Table:
    return Table(name, description, columns)


text = partial(Column, kind=Kind.TEXT)
slug = partial(Column, kind=Kind.SLUG)
integer = partial(Column, kind=Kind.INTEGER)
money = partial(Column, kind=Kind.MONEY)
boolean = partial(Column, kind=Kind.BOOLEAN)
date = partial(Column, kind=Kind.DATE)
timestamp = partial(Column, kind=Kind.DATETIME)
computed = partial(Column, kind=Kind.COMPUTED)
CASE_REF = "cases.case_id"


def case_reference(description: str = "Case.", *, source: str = "case__case_id") -> Column:
    return text("case_id", description, source=source, references=CASE_REF, indexed=True)


def case_rows_table(name: str, description: str, *columns: Column, row: str) -> Table:
    """A table of rows that each have their own id and belong to one case: those two columns first."""
    return table(name, description, integer("id", f"{row} id.", key=True), case_reference(), *columns)


CASES = table(
    "cases",
    "Every case of the record, with its facility's location and sector for faceting.",
    slug("case_id", "Stable public identifier, e.g. us-mx-2021-gm-silao.", key=True),
    computed("url", "Address of the case's own page.", export=False),
    text("title", "Short public title, if staff wrote one."),
    text("annex", "31-A (United States–Mexico) or 31-B (Canada–Mexico).", indexed=True),
    text("initiation", "petition or self_initiated."),
    text("stage", "Current stage of the workflow.", indexed=True),
    text("stage_label", "The stage in words.", source="stage", choices=Stage, export=False),
    text("outcome", "Outcome code (docs/mechanism.md); open = none found.", indexed=True),
    text("outcome_label", "The outcome in words.", source="outcome", choices=Outcome, export=False),
    date("outcome_date", "Date the outcome was announced.", null=True),
    integer("year", "Year of the petition's receipt, or of the request for review.", null=True, indexed=True),
    integer("ustr_invocation_no", "USTR's running number for the invocation.", null=True),
    computed("facility", "Facility the case concerns.", export=False),
    computed("company", "Company operating the facility.", source="facility__operator", export=False),
    integer("facility_id", "Facility.", references="facilities.id", api=Api.NONE, indexed=True),
    integer(
        "company_id",
        "Company operating the facility.",
        source="facility__operator_id",
        references="companies.id",
        api=Api.NONE,
        indexed=True,
    ),
    text("facility_name", "Facility name as reported.", source="facility__name", api=Api.NONE),
    text("company_name", "Company name as reported.", source="facility__operator__name", api=Api.NONE),
    text("state", "Mexican state, ISO 3166-2:MX code.", source="facility__state", api=Api.NONE, indexed=True),
    text("sector", "Priority Sector.", source="facility__sector", api=Api.NONE, indexed=True),
    text("subsector", "Priority subsector (19 U.S.C. §4643).", source="facility__subsector", api=Api.NONE),
    text(
        "petitioner_type",
        "Type of the lead petitioner; undisclosed for anonymous or confidential petitioners.",
    ),
    computed(
        "petitioners",
        "Named petitioners: never those of an anonymous petition, nor any who asked not to be.",
        export=False,
    ),
    boolean("requested", "1 if a request for review was sent to Mexico.", api=Api.NONE),
    date("petition_received_on", "Receipt of the petition.", null=True),
    date("request_for_review_on", "Request for review sent to Mexico.", null=True),
    text("mexico_response", "Mexico's response as reported by the source."),
    date("mexico_response_on", "Date Mexico accepted or refused to review.", null=True),
    date("remediation_agreed_on", "Course of remediation agreed.", null=True),
    date("panel_requested_on", "Panel requested.", null=True),
    date("liquidation_suspended_on", "Liquidation suspended.", null=True),
    date("liquidation_resumed_on", "Liquidation resumed.", null=True),
    money("backpay_usd", "Published back pay in U.S. dollars.", null=True),
    boolean("backpay_is_floor", "The source says 'more than' this amount."),
    integer("workers_covered", "Workers covered, as reported.", null=True),
    text("summary_en", "Public summary in English.", api=Api.DETAIL),
    text("summary_es", "Public summary in Spanish.", api=Api.DETAIL),
    text("notes", "Provenance and caveats of the public sources.", api=Api.DETAIL),
    text("source_url", "Primary public source."),
    timestamp("updated_at", "When the case row last changed.", indexed=True),
)
FACILITIES = table(
    "facilities",
    "Facilities named in at least one case.",
    integer("id", "Facility id.", key=True),
    text("name", "Facility name as reported."),
    integer(
        "company_id", "Company operating it.", source="operator_id", references="companies.id", indexed=True
    ),
    text("city", "Municipality or city."),
    text("state", "Mexican state code.", indexed=True),
    text("sector", "Priority Sector.", indexed=True),
    text("subsector", "Priority subsector."),
    text("sector_reported", "Sector as the source reports it."),
    integer("headcount", "Approximate number of workers."),
    integer("case_count", "Cases about the facility."),
    timestamp("updated_at", "When the row last changed."),
)
COMPANIES = table(
    "companies",
    "Companies operating a facility named in a case.",
    integer("id", "Company id.", key=True),
    text("name", "Company name."),
    text("country", "Country of the headquarters, if known."),
    integer("parent_id", "Parent company id."),
    integer("case_count", "Cases about its facilities."),
    integer("facility_count", "Its facilities named in a case."),
)
PETITIONERS = table(
    "petitioners",
    "Petitioners who may be named (never those of anonymous petitions or who asked not to be).",
    case_reference(source="petition__case__case_id"),
    text("name", "Organisation's name.", source="organisation__name"),
    text("kind", "Type of organisation.", source="organisation__kind"),
    text("role", "lead or co."),
)
EVENTS = case_rows_table(
    "events",
    "Every dated event of every case; corrected = a later event corrects this one.",
    text("kind", "Event kind.", indexed=True),
    date("occurred_on", "Date the event took place.", indexed=True),
    text("from_stage", "Stage before."),
    text("to_stage", "Stage after."),
    text("description", "What the source says happened."),
    text("source_url", "Public source."),
    text("source_note", "Source when it has no address."),
    integer("corrects_id", "Event this one corrects.", references="events.id"),
    boolean("corrected", "1 if a later event corrects this one.", source="is_corrected"),
    timestamp("recorded_at", "When it was recorded."),
    row="Event",
)
DEADLINES = case_rows_table(
    "deadlines",
    "Every statutory or treaty clock with its verdict and explanation; unconfirmed = rule tagged U.",
    text("rule", "Rule code.", source="rule__code", indexed=True),
    text("rule_name", "Rule name.", source="rule__name"),
    text("citation", "Legal source of the rule.", source="rule__citation"),
    text("confidence", "C confirmed, S secondary, U unconfirmed.", source="rule__confidence"),
    boolean("unconfirmed", "1 if the rule is unconfirmed."),
    date("start_date", "Date the clock started."),
    date("due_date", "Due date."),
    text("status", "open, met, late, missed or cancelled."),
    text("verdict", "met, late, missed, cancelled, pending or overdue.", indexed=True),
    date("satisfied_on", "Date the clock stopped."),
    integer("days_late", "Calendar days after the due date."),
    text("explanation", "How the due date was computed.", source="explanation_text"),
    row="Deadline",
)
MEXICO_REVIEWS = table(
    "mexico_reviews",
    "Mexico's answer to each request for review and its findings.",
    case_reference(),
    date("requested_on", "Request for review."),
    text("response", "pending, accepted, declined or no_answer."),
    date("response_on", "Date of the answer."),
    text("response_reported", "The answer as reported."),
    text("finding", "pending, denial, no_denial or remedied."),
    date("finding_on", "Date of the finding."),
    text("findings", "Summary of the findings."),
)
REMEDIATION_PLANS = case_rows_table(
    "remediation_plans",
    "Courses of remediation and USTR–company agreements.",
    text("kind", "government or company."),
    date("agreed_on", "Date agreed."),
    date("ends_on", "End of the remediation period."),
    text("status", "State of the plan."),
    text("summary", "Commitments."),
    text("source_url", "Published plan."),
    row="Plan",
)
REMEDIATION_ACTIONS = table(
    "remediation_actions",
    "Actions of the plans and their verification.",
    integer("id", "Action id.", key=True),
    integer("plan_id", "Plan.", references="remediation_plans.id", indexed=True),
    text("kind", "What must be done."),
    date("due_on", "Due date."),
    text("status", "Progress."),
    date("completed_on", "When done."),
    date("verified_on", "When verified."),
    text("verified_by", "Who verified it."),
    integer("workers_covered", "Workers covered."),
    money("amount_usd", "Money paid, USD."),
)
PANELS = case_rows_table(
    "panels",
    "Rapid Response Labor Panels.",
    text("secretariat_no", "Secretariat number."),
    date("requested_on", "Requested."),
    date("constituted_on", "Constituted."),
    date("basics_confirmed_on", "Request confirmed."),
    text("determination", "pending, denial or no_denial."),
    date("determined_on", "Determination date."),
    date("report_published_on", "Report published."),
    text("report_url", "Report."),
    row="Panel",
)
REMEDIES = case_rows_table(
    "remedies",
    "Remedies after a panel's determination.",
    integer("panel_id", "Panel.", references="panels.id"),
    text("kind", "Measure."),
    text("description", "Scope and rate."),
    date("imposed_on", "Took effect."),
    date("lifted_on", "Lifted."),
    row="Remedy",
)
DOCUMENTS = case_rows_table(
    "documents",
    "Public documents of the cases.",
    text("title", "Title."),
    text("url", "Public address."),
    text("language", "en or es."),
    date("issued_on", "Date printed on it."),
    row="Document",
)
# Sources are the columns of public.selectors.corrections_changelog().
CORRECTIONS = table(
    "corrections",
    "Changelog of corrections to the public record, newest first.",
    text("kind", "record (written by staff) or timeline (an event corrected).", source="entry_kind"),
    case_reference("Case corrected; blank for the whole dataset.", source="entry_case"),
    date("corrected_on", "Date of the correction.", source="entry_date"),
    text("field", "What was corrected.", source="entry_field"),
    text("previous_value", "What was published before.", source="entry_previous"),
    text("corrected_value", "What is published now.", source="entry_corrected"),
    text("reason", "Why.", source="entry_reason"),
    text("source_url", "Source of the corrected value.", source="entry_source"),
    timestamp("recorded_at", "When it was recorded.", source="entry_recorded"),
)
