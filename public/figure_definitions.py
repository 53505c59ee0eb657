"""The definition of every figure of the public statistics, shown verbatim in the API documentation and
in each answer's `definitions`: which events and verdicts each one counts."""

from __future__ import annotations

EVENTS_NOTE = (
    "Events are the case's effective timeline: the dated facts of the record that no later event "
    "corrects (an imported case's come from events.csv and from its row's dates that no event "
    "supersedes)."
)
DAY_PROOF_NOTE = (
    "Measured only between two acts whose dates prove the day: known to the day, with basis `act` or "
    "`reported`; an `announced` date (the act happened by then), a month-only or an `approximate` date "
    "leaves the case out. Where a case has several events of one end's kinds, the earliest is the act; "
    "if its date does not prove the day, the case is left out."
)

FIGURE_DEFINITIONS: dict[str, str] = {
    "n": "Cases in the group: every case of the record that matches the filters.",
    "petitions_received": "Cases that began with a petition (initiation = petition), whatever their fate.",
    "ilc_determinations": (
        "Petitions with a screening determination: `sufficient` counts petition-based cases with a "
        "request_for_review event (a positive determination is made public with the request), "
        "`insufficient` those with an ilc_declined event or the outcome ilc_declined. " + EVENTS_NOTE
    ),
    "requests_for_review": (
        "Cases with a request_for_review event, whatever the precision of its date (a request known only "
        "to the month counts). `petition_based` and `self_initiated` are counted apart. " + EVENTS_NOTE
    ),
    "acceptance_rate": (
        "Requests for review that came from petitions / petitions with a screening determination "
        "(sufficient + insufficient). The record knows only the petitions that were made public, so "
        "this is a rate over those alone; `published_totals` gives totals published by USTR and Mexico "
        "with their sources."
    ),
    "mexico_responses": (
        "Mexico's answer to each case counted in requests_for_review, from the earliest answer event: "
        "`accepted` (mexico_accepted), `declined` (mexico_declined), `no_answer` (mexico_no_response: "
        "Mexico let its 10 days pass); `not_in_record`: requests with no answer event, whose answer the "
        "public record does not hold (not a sign that Mexico did not answer). " + EVENTS_NOTE
    ),
    "mexico_agreement_rate": (
        "Requests Mexico accepted / requests with an answer event (accepted + declined + no_answer)."
    ),
    "mexico_findings": (
        "Cases with an event of each result of Mexico's review: `denial` (mexico_finding_denial), "
        "`no_denial` (mexico_finding_no_denial), `remedied` (mexico_finding_remedied: a denial remedied "
        "during the review), whatever the precision or basis of its date. " + EVENTS_NOTE
    ),
    "outcomes": "Cases by outcome code; `open` means no outcome was found in public sources.",
    "durations": (
        "Days between two acts of a case, over the cases where both are measured: median and 90th "
        "percentile (linear interpolation, PostgreSQL percentile_cont). receipt_to_determination: "
        "petition_received to the ILC's determination (the earliest of ilc_determination, ilc_declined "
        "and request_for_review); request_to_mexico_response: request_for_review to Mexico's answer "
        "(mexico_accepted, mexico_declined or mexico_no_response); request_to_finding: "
        "request_for_review to Mexico's finding (mexico_finding_*); request_to_remediation_plan: "
        "request_for_review to remediation_agreed; panel_request_to_determination: panel_requested to "
        "the panel's determination event (panel_determination_*), not the announcement of the outcome. "
        + DAY_PROOF_NOTE
    ),
    "clocks": (
        "Deadlines per rule, each counted once by the verdict the record proves: met (stopped on or "
        "before the due date), late (stopped after "
        "it), ended (a later act proves it stopped, timeliness unknown), pending (running, not yet "
        "due), overdue (past due with no stopping act, on a case kept here by staff) and not_in_record "
        "(past due with no stopping act in the public record of an imported case). Clocks that no "
        "longer apply are left out. compliance_rate = met / (met + late): only proven verdicts count. "
        "A rule whose length or legal basis no primary source confirms is marked unconfirmed."
    ),
    "back_pay": (
        "Sum of published back pay in U.S. dollars over the cases that report one; is_floor is true "
        "when any of them is a floor ('more than'), so the sum is a floor too."
    ),
    "workers_covered": "Sum of workers covered as reported by the source, over the cases that report it.",
    "repeat": "Facilities, and companies, with more than one case in the group.",
}

PUBLISHED_TOTALS_DEFINITION = (
    "Totals published elsewhere about the whole mechanism, each with its period, whether it is a floor "
    "('more than'), its source and its confidence (C: a primary source, S: a secondary source only); "
    "not computed from the record, and the same whatever the grouping and filters."
)
