"""Fixed vocabularies of the record: the mechanism's, each with its source in docs/mechanism.md, and the
record's own (how a case is kept, what a petitioner is, the states of deadlines, alerts and notifications)."""

from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class MexicanState(models.TextChoices):
    """The 32 federal entities of Mexico, keyed by their ISO 3166-2:MX codes."""

    AGU = "AGU", "Aguascalientes"
    BCN = "BCN", "Baja California"
    BCS = "BCS", "Baja California Sur"
    CAM = "CAM", "Campeche"
    CHP = "CHP", "Chiapas"
    CHH = "CHH", "Chihuahua"
    CMX = "CMX", "Ciudad de México"
    COA = "COA", "Coahuila"
    COL = "COL", "Colima"
    DUR = "DUR", "Durango"
    GUA = "GUA", "Guanajuato"
    GRO = "GRO", "Guerrero"
    HID = "HID", "Hidalgo"
    JAL = "JAL", "Jalisco"
    MEX = "MEX", "Estado de México"
    MIC = "MIC", "Michoacán"
    MOR = "MOR", "Morelos"
    NAY = "NAY", "Nayarit"
    NLE = "NLE", "Nuevo León"
    OAX = "OAX", "Oaxaca"
    PUE = "PUE", "Puebla"
    QUE = "QUE", "Querétaro"
    ROO = "ROO", "Quintana Roo"
    SLP = "SLP", "San Luis Potosí"
    SIN = "SIN", "Sinaloa"
    SON = "SON", "Sonora"
    TAB = "TAB", "Tabasco"
    TAM = "TAM", "Tamaulipas"
    TLA = "TLA", "Tlaxcala"
    VER = "VER", "Veracruz"
    YUC = "YUC", "Yucatán"
    ZAC = "ZAC", "Zacatecas"


class USState(models.TextChoices):
    """The 50 states, the District of Columbia and the outlying areas, keyed by their ISO 3166-2:US codes."""

    AL = "AL", "Alabama"
    AK = "AK", "Alaska"
    AZ = "AZ", "Arizona"
    AR = "AR", "Arkansas"
    CA = "CA", "California"
    CO = "CO", "Colorado"
    CT = "CT", "Connecticut"
    DE = "DE", "Delaware"
    FL = "FL", "Florida"
    GA = "GA", "Georgia"
    HI = "HI", "Hawaii"
    ID = "ID", "Idaho"
    IL = "IL", "Illinois"
    IN = "IN", "Indiana"
    IA = "IA", "Iowa"
    KS = "KS", "Kansas"
    KY = "KY", "Kentucky"
    LA = "LA", "Louisiana"
    ME = "ME", "Maine"
    MD = "MD", "Maryland"
    MA = "MA", "Massachusetts"
    MI = "MI", "Michigan"
    MN = "MN", "Minnesota"
    MS = "MS", "Mississippi"
    MO = "MO", "Missouri"
    MT = "MT", "Montana"
    NE = "NE", "Nebraska"
    NV = "NV", "Nevada"
    NH = "NH", "New Hampshire"
    NJ = "NJ", "New Jersey"
    NM = "NM", "New Mexico"
    NY = "NY", "New York"
    NC = "NC", "North Carolina"
    ND = "ND", "North Dakota"
    OH = "OH", "Ohio"
    OK = "OK", "Oklahoma"
    OR = "OR", "Oregon"
    PA = "PA", "Pennsylvania"
    RI = "RI", "Rhode Island"
    SC = "SC", "South Carolina"
    SD = "SD", "South Dakota"
    TN = "TN", "Tennessee"
    TX = "TX", "Texas"
    UT = "UT", "Utah"
    VT = "VT", "Vermont"
    VA = "VA", "Virginia"
    WA = "WA", "Washington"
    WV = "WV", "West Virginia"
    WI = "WI", "Wisconsin"
    WY = "WY", "Wyoming"
    DC = "DC", "District of Columbia"
    AS = "AS", "American Samoa"
    GU = "GU", "Guam"
    MP = "MP", "Northern Mariana Islands"
    PR = "PR", "Puerto Rico"
    UM = "UM", "United States Minor Outlying Islands"
    VI = "VI", "Virgin Islands, U.S."


class CanadianProvince(models.TextChoices):
    """The 10 provinces and 3 territories of Canada, keyed by their ISO 3166-2:CA codes."""

    AB = "AB", "Alberta"
    BC = "BC", "British Columbia"
    MB = "MB", "Manitoba"
    NB = "NB", "New Brunswick"
    NL = "NL", "Newfoundland and Labrador"
    NS = "NS", "Nova Scotia"
    ON = "ON", "Ontario"
    PE = "PE", "Prince Edward Island"
    QC = "QC", "Quebec"
    SK = "SK", "Saskatchewan"
    NT = "NT", "Northwest Territories"
    NU = "NU", "Nunavut"
    YT = "YT", "Yukon"


class Country(models.TextChoices):
    """The three USMCA Parties, by ISO 3166-1 alpha-2 code: a case's complaining and responding Party,
    a facility's country (docs/mechanism.md, "What it is")."""

    US = "US", _("United States")
    CA = "CA", _("Canada")
    MX = "MX", _("Mexico")


# The first-level subdivisions of each country: a facility's state is one of its country's. The codes
# are the part of the ISO 3166-2 code after the country ("NLE" of MX-NLE); no two countries share one.
STATES_OF_COUNTRY: dict[str, type[models.TextChoices]] = {
    Country.MX: MexicanState,
    Country.US: USState,
    Country.CA: CanadianProvince,
}


def state_choices() -> list[tuple[Any, list[tuple[str, Any]]]]:
    """Every state, province and federal entity, grouped by country (the form of Django's choices)."""
    return [(Country(country).label, list(states.choices)) for country, states in STATES_OF_COUNTRY.items()]


class Sector(models.TextChoices):
    """Priority Sectors of Annex 31-A: manufactured goods, services, mining (docs/mechanism.md)."""

    MANUFACTURING = "manufacturing", _("Manufacturing")
    SERVICES = "services", _("Services")
    MINING = "mining", _("Mining")


class PrioritySubsector(models.TextChoices):
    """The first list of priority subsectors kept by the ILC under 19 U.S.C. §4643 (docs/mechanism.md)."""

    AUTO_ASSEMBLY = "auto_assembly", _("Auto assembly")
    AUTO_PARTS = "auto_parts", _("Auto parts")
    AEROSPACE = "aerospace", _("Aerospace")
    INDUSTRIAL_BAKERIES = "industrial_bakeries", _("Industrial bakeries")
    ELECTRONICS = "electronics", _("Electronics")
    CALL_CENTERS = "call_centers", _("Call centers")
    MINING = "mining", _("Mining")
    STEEL_ALUMINUM = "steel_aluminum", _("Steel and aluminum")


class Annex(models.TextChoices):
    A31 = "31-A", _("Annex 31-A (United States–Mexico)")
    B31 = "31-B", _("Annex 31-B (Canada–Mexico)")


# The Parties each annex binds (docs/mechanism.md, "What it is"): either may complain of the other.
ANNEX_PARTIES: dict[str, tuple[str, str]] = {
    Annex.A31: (Country.US, Country.MX),
    Annex.B31: (Country.CA, Country.MX),
}


class Initiation(models.TextChoices):
    PETITION = "petition", _("Petition")
    SELF_INITIATED = "self_initiated", _("Self-initiated")


class Outcome(models.TextChoices):
    """Outcome vocabulary of docs/mechanism.md."""

    ILC_DECLINED = "ilc_declined", _("ILC declined: insufficient evidence")
    RESOLVED_WITHOUT_REQUEST = "resolved_without_request", _("Resolved during ILC review, no request sent")
    WITHDRAWN = "withdrawn", _("Withdrawn by the petitioner")
    MEXICO_DECLINED_REVIEW = "mexico_declined_review", _("Mexico declined to review")
    MEXICO_FOUND_NO_DENIAL_CLOSED = "mexico_found_no_denial_closed", _("Mexico found no denial; closed")
    REMEDIED_DURING_REVIEW = "remedied_during_review", _("Denial remedied during Mexico's review")
    RESOLVED_COMPANY_AGREEMENT = "resolved_company_agreement", _("Resolved by a USTR–company agreement")
    RESOLVED_FACILITY_ACTIONS = "resolved_facility_actions", _("Resolved through facility actions")
    COURSE_OF_REMEDIATION_COMPLETED = "course_of_remediation_completed", _("Course of remediation completed")
    FACILITY_CLOSED = "facility_closed", _("Facility closed")
    PANEL_NO_DENIAL = "panel_no_denial", _("Panel found no denial")
    PANEL_DENIAL_FOUND = "panel_denial_found", _("Panel found a denial")
    PANEL_PENDING = "panel_pending", _("Panel requested, no determination known")
    OPEN = "open", _("Open: no outcome found")


class Stage(models.TextChoices):
    """Stages of the case state machine (docs/mechanism.md); transitions live in rrm.workflow."""

    SUBMITTED = "submitted", _("Submitted to OTLA")
    ILC_REVIEW = "ilc_review", _("ILC review")
    ILC_DECLINED = "ilc_declined", _("ILC declined")
    CLOSED_WITHOUT_REQUEST = "closed_without_request", _("Closed without a request")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REQUEST_SENT = "request_sent", _("Request for review sent to Mexico")
    MEXICO_REVIEW = "mexico_review", _("Mexico reviewing")
    MEXICO_DECLINED = "mexico_declined", _("Mexico declined to review")
    CLOSED_NO_ACTION = "closed_no_action", _("Closed without further action")
    MEXICO_NO_DENIAL = "mexico_no_denial", _("Mexico found no denial")
    REMEDIATION_CONSULTATIONS = "remediation_consultations", _("Remediation consultations")
    REMEDIATION_IN_PROGRESS = "remediation_in_progress", _("Remediation in progress")
    FACILITY_CLOSED = "facility_closed", _("Facility closed")
    PANEL_REQUESTED = "panel_requested", _("Panel requested")
    PANEL_CONSTITUTED = "panel_constituted", _("Panel constituted")
    PANEL_VERIFICATION = "panel_verification", _("Panel verification")
    PANEL_DETERMINATION = "panel_determination", _("Panel determination")
    CLOSED_PANEL_NO_DENIAL = "closed_panel_no_denial", _("Closed: panel found no denial")
    REMEDIES_CONSIDERED = "remedies_considered", _("Remedies considered")
    REMEDIES_IN_FORCE = "remedies_in_force", _("Remedies in force")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class EventKind(models.TextChoices):
    """Dated events of a case timeline; deadline rules name these as their start and end."""

    PETITION_FILED = "petition_filed", _("Petition filed by the petitioners")
    PETITION_RECEIVED = "petition_received", _("Petition received by OTLA")
    ILC_REVIEW_STARTED = "ilc_review_started", _("ILC review started")
    ILC_DETERMINATION = "ilc_determination", _("ILC determination: sufficient evidence")
    ILC_DECLINED = "ilc_declined", _("ILC determination: insufficient evidence")
    RESOLVED_WITHOUT_REQUEST = "resolved_without_request", _("Resolved during ILC review")
    WITHDRAWN = "withdrawn", _("Petition withdrawn")
    REQUEST_FOR_REVIEW = "request_for_review", _("Request for review sent to Mexico")
    LIQUIDATION_SUSPENDED = "liquidation_suspended", _("Liquidation suspended")
    LIQUIDATION_RESUMED = "liquidation_resumed", _("Liquidation resumed")
    MEXICO_ACCEPTED = "mexico_accepted", _("Mexico accepted to review")
    MEXICO_DECLINED = "mexico_declined", _("Mexico declined to review")
    MEXICO_NO_RESPONSE = "mexico_no_response", _("Mexico let its 10 days to answer pass")
    MEXICO_FINDING_NO_DENIAL = "mexico_finding_no_denial", _("Mexico's finding: no denial")
    MEXICO_FINDING_DENIAL = "mexico_finding_denial", _("Mexico's finding: denial")
    MEXICO_FINDING_REMEDIED = "mexico_finding_remedied", _("Mexico's finding: denial remedied during review")
    US_ACCEPTED_FINDING = "us_accepted_finding", _("United States accepted Mexico's finding")
    REMEDIATION_AGREED = "remediation_agreed", _("Course of remediation agreed")
    REMEDIATION_NOT_AGREED = "remediation_not_agreed", _("No agreement on remediation")
    REMEDIATION_PLAN_END = "remediation_plan_end", _("End date set by the remediation plan")
    REMEDIATION_COMPLETED = "remediation_completed", _("Parties agree the denial is remedied")
    FACILITY_CLOSED = "facility_closed", _("Facility closed")
    PANEL_REQUESTED = "panel_requested", _("Panel requested")
    PANEL_CONSTITUTED = "panel_constituted", _("Panel constituted")
    PANEL_BASICS_CONFIRMED = "panel_basics_confirmed", _("Panel confirmed the request")
    PANEL_VERIFICATION = "panel_verification", _("Panel verification")
    PANEL_DETERMINATION_NO_DENIAL = "panel_determination_no_denial", _("Panel determination: no denial")
    PANEL_DETERMINATION_DENIAL = "panel_determination_denial", _("Panel determination: denial")
    REMEDIES_IMPOSED = "remedies_imposed", _("Remedies imposed")
    OUTCOME_ANNOUNCED = "outcome_announced", _("Outcome announced")
    CLOSED_NO_ACTION = "closed_no_action", _("Closed without further action")
    CASE_CLOSED = "case_closed", _("Case closed")
    UNION_VOTE = "union_vote", _("Union representation or collective agreement vote")
    REINSTATEMENT = "reinstatement", _("Workers reinstated")
    BACKPAY_PAID = "backpay_paid", _("Back pay paid")
    EXTENSION_AGREED = "extension_agreed", _("Extension agreed")
    CLOCK_SUSPENDED = "clock_suspended", _("Clock suspended")
    CLOCK_RESUMED = "clock_resumed", _("Clock resumed")
    CORRECTION = "correction", _("Correction")
    NOTE = "note", _("Note")


class Confidence(models.TextChoices):
    """Confidence tags of docs/mechanism.md: a rule tagged U is shown as unconfirmed wherever it is shown."""

    CONFIRMED = "C", _("Confirmed in a primary source")
    SECONDARY = "S", _("Secondary source only")
    UNCONFIRMED = "U", _("Unconfirmed")


class Language(models.TextChoices):
    EN = "en", _("English")
    ES = "es", _("Spanish")


def request_language() -> str:
    """The active language (the request's, under LocaleMiddleware) as a Language value."""
    active = translation.get_language() or Language.EN
    return Language.ES if active.split("-")[0] == Language.ES else Language.EN


def values_of(choices: type[models.TextChoices]) -> list[str]:
    return [str(value) for value in choices.values]


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    # occurred_on then holds the first day of the month.
    MONTH = "month", _("Month only")


class DateBasis(models.TextChoices):
    """How an event's date is known (the events format of docs/import_cases.md)."""

    ACT = "act", _("Date of the act itself")
    ANNOUNCED = "announced", _("Date the act was made public; it happened then or earlier")
    REPORTED = "reported", _("Date given by a secondary source")
    APPROXIMATE = "approximate", _("Approximate date")


class Verdict(models.TextChoices):
    """What the record proves about one clock (rrm.verdicts; docs/mechanism.md, "What the record can
    prove")."""

    MET = "met", _("Met")
    LATE = "late", _("Late")
    ENDED = "ended", _("Ended by a later act; timeliness unknown")
    PENDING = "pending", _("Pending: not yet due")
    OVERDUE = "overdue", _("Overdue")
    NOT_IN_RECORD = "not_in_record", _("Not in the public record")
    CANCELLED = "cancelled", _("No longer applies")


class OrganisationKind(models.TextChoices):
    UNION = "union", _("Labor union")
    NGO = "ngo", _("Non-governmental organisation")
    WORKER_GROUP = "worker_group", _("Group of workers")
    LEGAL = "legal", _("Lawyers or legal network")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not reported")


class CaseRecordBasis(models.TextChoices):
    """How the case's record is kept: whether a missing act means "did not happen yet" or "not public"."""

    STAFF = "staff", _("Kept here by staff: every act recorded as it happens")
    PUBLIC_SOURCES = "public_sources", _("Imported from public sources")


class DeadlineRuleUnit(models.TextChoices):
    CALENDAR = "calendar", "Calendar days"
    BUSINESS = "business", "Business days"


class DeadlineRuleCalendar(models.TextChoices):
    US = "US", "United States (federal holidays)"
    MX = "MX", "Mexico (LFT art. 74 rest days)"
    CA = "CA", "Canada (federal general holidays)"


class DeadlineRuleRollForward(models.TextChoices):
    NONE = "none", "Due date stays where it falls"
    NEXT_BUSINESS_DAY = "next_business_day", "Move to the next business day"


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met on time")
    LATE = "late", _("Met late")
    ENDED = "ended", _("Ended by a later act; timeliness unknown")
    CANCELLED = "cancelled", _("No longer applies")


class SubscriptionScope(models.TextChoices):
    CASE = "case", _("This case")
    ORGANISATION = "organisation", _("Every case of the organisation")
    PUBLIC = "public", _("Every public case")


class DeadlineAlertKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class NotificationChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEBHOOK = "webhook", "Webhook"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Claimed by a worker"
    SENT = "sent", "Sent"
    FAILED = "failed", "Gave up after retries"
