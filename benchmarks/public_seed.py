"""A synthetic public record for benchmarks/public_api.py, written with INSERT ... SELECT over
generate_series: companies, facilities, organisations, cases with petitions, petitioners, Mexico's
reviews, timeline events and deadlines.

Every value comes from hashint4 of the row number, so two runs write the same data. The cases follow
the mechanism's shape: outcomes of docs/mechanism.md in plausible shares, stages that follow from them,
dates in the order of the workflow (receipt, request, Mexico's answer, plan, panel, outcome), and the
deadlines those dates imply, settled met or late, or still open on cases without an outcome.
"""

from __future__ import annotations

# h(n, k): a deterministic pseudo-random non-negative integer for row n and purpose k.
H = "(hashint4((({n}) * 31 + {k})::int) & 2147483647)"


def h(n: str, k: int) -> str:
    return H.format(n=n, k=k)


STATES = (
    "AGU BCN BCS CAM CHP CHH CMX COA COL DUR GUA GRO HID JAL MEX MIC MOR NAY NLE OAX PUE QUE ROO SLP "
    "SIN SON TAB TAM TLA VER YUC ZAC"
).split()
ORGANISATION_KINDS = ("union", "ngo", "worker_group", "legal", "other", "unknown")
STAGES_WITHOUT_REQUEST = ("submitted", "ilc_review", "ilc_declined", "closed_without_request", "withdrawn")

# Outcome by the row's draw 0..99 (docs/mechanism.md); self-initiated cases never had a petition to decline.
OUTCOME_SHARES = (
    (5, "ilc_declined"),
    (8, "resolved_without_request"),
    (10, "withdrawn"),
    (15, "mexico_declined_review"),
    (25, "mexico_found_no_denial_closed"),
    (35, "remedied_during_review"),
    (40, "resolved_company_agreement"),
    (55, "resolved_facility_actions"),
    (70, "course_of_remediation_completed"),
    (73, "facility_closed"),
    (75, "panel_no_denial"),
    (76, "panel_denial_found"),
    (78, "panel_pending"),
    (100, "open"),
)
STAGE_OF_OUTCOME = {
    "ilc_declined": "ilc_declined",
    "resolved_without_request": "closed_without_request",
    "withdrawn": "withdrawn",
    "mexico_declined_review": "mexico_declined",
    "mexico_found_no_denial_closed": "resolved",
    "remedied_during_review": "resolved",
    "resolved_company_agreement": "resolved",
    "resolved_facility_actions": "resolved",
    "course_of_remediation_completed": "resolved",
    "facility_closed": "facility_closed",
    "panel_no_denial": "closed_panel_no_denial",
    "panel_denial_found": "remedies_considered",
    "panel_pending": "panel_requested",
}


def _sql_list(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _outcome_case(draw: str) -> str:
    whens = " ".join(f"WHEN {draw} < {limit} THEN '{outcome}'" for limit, outcome in OUTCOME_SHARES)
    return f"CASE {whens} END"


def _stage_case() -> str:
    closed = " ".join(f"WHEN '{outcome}' THEN '{stage}'" for outcome, stage in STAGE_OF_OUTCOME.items())
    return (
        f"CASE outcome {closed} ELSE CASE "
        "WHEN panel_on IS NOT NULL THEN 'panel_requested' "
        "WHEN plan_on IS NOT NULL THEN 'remediation_in_progress' "
        "WHEN response_on IS NOT NULL THEN 'mexico_review' "
        "WHEN request_on IS NOT NULL THEN 'request_sent' "
        "WHEN petition_on IS NOT NULL THEN 'ilc_review' "
        "ELSE 'submitted' END END"
    )


def companies(count: int) -> str:
    return (
        "INSERT INTO rrm_company (created_at, updated_at, name, slug, country) "
        f"SELECT now(), now(), 'Company ' || n, 'company-' || n, "
        f"CASE WHEN {h('n', 1)} % 3 = 0 THEN 'US' ELSE 'MX' END "
        f"FROM generate_series(1, {count}) AS n"
    )


def facilities(count: int) -> str:
    sector = (
        f"CASE WHEN {h('n', 3)} % 20 < 14 THEN 'manufacturing' WHEN {h('n', 3)} % 20 < 17 THEN 'services' "
        f"WHEN {h('n', 3)} % 20 < 19 THEN 'mining' ELSE '' END"
    )
    return (
        "INSERT INTO rrm_facility (created_at, updated_at, name, operator_id, city, state, sector, "
        "subsector, sector_reported, headcount, country) "
        f"SELECT now(), now(), 'Plant ' || n, first.id + {h('n', 2)} % companies.total, "
        f"'City ' || ({h('n', 4)} % 500), "
        f"(ARRAY[{_sql_list(STATES)}])[1 + {h('n', 5)} % {len(STATES)}], s.sector, "
        "CASE s.sector WHEN 'manufacturing' THEN 'auto_parts' WHEN 'mining' THEN 'mining' ELSE '' END, "
        f"s.sector, 100 + {h('n', 6)} % 5000, 'MX' "
        f"FROM generate_series(1, {count}) AS n "
        "CROSS JOIN (SELECT min(id) AS id FROM rrm_company) AS first "
        "CROSS JOIN (SELECT count(*) AS total FROM rrm_company) AS companies "
        f"CROSS JOIN LATERAL (SELECT {sector} AS sector) AS s"
    )


def organisations(count: int) -> str:
    return (
        "INSERT INTO rrm_organisation (created_at, updated_at, name, kind, country) "
        f"SELECT now(), now(), 'Organisation ' || n, "
        f"(ARRAY[{_sql_list(ORGANISATION_KINDS)}])[1 + {h('n', 7)} % {len(ORGANISATION_KINDS)}], 'MX' "
        f"FROM generate_series(1, {count}) AS n"
    )


def cases(count: int) -> str:
    """One case per n, its dates derived in order; the columns the workflow keeps on the case."""
    draw = f"{h('n', 10)} % 100"
    self_initiated = f"({h('n', 11)} % 10 = 0)"
    return f"""
INSERT INTO rrm_case (created_at, updated_at, case_id, annex, initiation, stage, outcome, outcome_date,
    title, summary_en, summary_es, petition_received_on, request_for_review_on, mexico_response,
    mexico_response_on, remediation_agreed_on, panel_requested_on, liquidation_suspended_on,
    backpay_usd, backpay_is_floor, workers_covered, source_url, notes, facility_id, record_basis,
    complainant, respondent)
SELECT now(), now(), 'bench-' || lpad(n::text, 7, '0'), annex, initiation, {_stage_case()}, outcome,
    CASE WHEN outcome <> 'open' THEN greatest(petition_on, request_on, response_on, plan_on, panel_on,
        base) + 20 + {h("n", 20)} % 200 END,
    '', '', '', petition_on, request_on, CASE WHEN response_on IS NOT NULL THEN 'reported' ELSE '' END,
    response_on, plan_on, panel_on, CASE WHEN annex = '31-A' THEN request_on END,
    CASE WHEN {h("n", 21)} % 20 = 0 THEN 1000 + {h("n", 22)} % 900000 END, {h("n", 23)} % 40 = 0,
    CASE WHEN {h("n", 24)} % 5 < 2 THEN 50 + {h("n", 25)} % 8000 END, '', '', facility_id, 'staff',
    CASE WHEN annex = '31-B' THEN 'CA' ELSE 'US' END, 'MX'
FROM (
    SELECT n, annex, initiation, outcome, base, petition_on, request_on, response_on, plan_on, facility_id,
        CASE WHEN outcome IN ('panel_no_denial', 'panel_denial_found', 'panel_pending')
            THEN coalesce(response_on, request_on) + 15 + {h("n", 19)} % 40 END AS panel_on
    FROM (
        SELECT n, annex, initiation, outcome, base, petition_on, request_on, facility_id,
            CASE WHEN request_on IS NOT NULL AND (outcome NOT IN ('open', 'resolved_company_agreement',
                'resolved_facility_actions') OR {h("n", 16)} % 3 = 0)
                THEN request_on + {h("n", 17)} % 50 END AS response_on,
            CASE WHEN outcome IN ('course_of_remediation_completed', 'facility_closed')
                OR (outcome = 'open' AND request_on IS NOT NULL AND {h("n", 18)} % 4 = 0)
                THEN request_on + 50 + {h("n", 18)} % 20 END AS plan_on
        FROM (
            SELECT n, annex, initiation, outcome, base, petition_on, facility_id,
                CASE WHEN outcome NOT IN ('ilc_declined', 'resolved_without_request', 'withdrawn', 'open')
                    OR (outcome = 'open' AND {h("n", 14)} % 2 = 0)
                    THEN coalesce(petition_on, base) + 25 + {h("n", 15)} % 15 END AS request_on
            FROM (
                SELECT n, base, facility_id,
                    CASE WHEN {h("n", 12)} % 20 = 0 THEN '31-B' ELSE '31-A' END AS annex,
                    CASE WHEN {self_initiated} THEN 'self_initiated' ELSE 'petition' END AS initiation,
                    CASE WHEN {self_initiated} AND {draw} < 10 THEN 'open' ELSE {_outcome_case(draw)} END
                        AS outcome,
                    CASE WHEN NOT {self_initiated} THEN base END AS petition_on
                FROM (
                    SELECT n, date '2020-07-01' + {h("n", 13)} % 1900 AS base,
                        first.id + {h("n", 9)} % facilities.total AS facility_id
                    FROM generate_series(1, {count}) AS n
                    CROSS JOIN (SELECT min(id) AS id FROM rrm_facility) AS first
                    CROSS JOIN (SELECT count(*) AS total FROM rrm_facility) AS facilities
                ) AS drawn
            ) AS typed
        ) AS requested
    ) AS answered
) AS dated
"""


def petitions() -> str:
    return f"""
INSERT INTO petitions_petition (created_at, updated_at, status, annex, facility_description, narrative,
    laws_cited, domestic_proceedings, language, anonymous, contact_name, contact_email, contact_phone,
    contact_address, confidential_fields, submitted_at, received_on, case_id, facility_id)
SELECT now(), now(), 'submitted', c.annex, '', '', '', '', 'es', {h("c.id", 30)} % 20 = 0, '', '', '', '',
    '[]'::jsonb, c.petition_received_on, c.petition_received_on, c.id, c.facility_id
FROM rrm_case c WHERE c.initiation = 'petition'
"""


def petitioners() -> str:
    lead = (
        "SELECT 'lead', p.id, first.id + "
        + h("p.id", 31)
        + " % o.total, "
        + h("p.id", 32)
        + " % 30 = 0 FROM petitions_petition p "
    )
    co = (
        "SELECT 'co', p.id, first.id + ("
        + h("p.id", 31)
        + " + 1 + "
        + h("p.id", 33)
        + " % (o.total - 1)) % o.total, false FROM petitions_petition p "
    )
    shared = (
        "CROSS JOIN (SELECT min(id) AS id FROM rrm_organisation) AS first "
        "CROSS JOIN (SELECT count(*) AS total FROM rrm_organisation) AS o "
    )
    return (
        "INSERT INTO petitions_petitioner (role, petition_id, organisation_id, identity_confidential) "
        f"{lead}{shared} UNION ALL {co}{shared} WHERE {h('p.id', 34)} % 10 < 3"
    )


def reviews() -> str:
    return f"""
INSERT INTO remediation_mexicoreview (created_at, updated_at, requested_on, response, response_on,
    response_reported, finding, finding_on, findings, case_id)
SELECT now(), now(), c.request_for_review_on, answer.response, c.mexico_response_on, '', answer.finding,
    CASE WHEN answer.finding <> 'pending' THEN c.request_for_review_on + 30 + {h("c.id", 40)} % 30 END,
    '', c.id
FROM rrm_case c
CROSS JOIN LATERAL (
    SELECT CASE
            WHEN c.outcome = 'mexico_declined_review' THEN 'declined'
            WHEN finding.value <> 'pending' OR c.mexico_response_on IS NOT NULL THEN 'accepted'
            WHEN {h("c.id", 41)} % 10 = 0 THEN 'no_answer'
            ELSE 'pending' END AS response,
        finding.value AS finding
    FROM (SELECT CASE c.outcome
        WHEN 'remedied_during_review' THEN 'remedied'
        WHEN 'mexico_found_no_denial_closed' THEN 'no_denial'
        WHEN 'course_of_remediation_completed' THEN 'denial'
        WHEN 'facility_closed' THEN 'denial'
        ELSE 'pending' END AS value) AS finding
) AS answer
WHERE c.request_for_review_on IS NOT NULL
"""


def events() -> str:
    """The dated columns of each case as its timeline (the importer writes the same kinds)."""
    columns = (
        ("petition_received", "c.petition_received_on"),
        ("request_for_review", "c.request_for_review_on"),
        ("liquidation_suspended", "c.liquidation_suspended_on"),
        (
            "mexico_accepted",
            "CASE WHEN c.stage <> 'mexico_declined' AND c.outcome <> 'mexico_declined_review' "
            "THEN c.mexico_response_on END",
        ),
        ("mexico_declined", "CASE WHEN c.outcome = 'mexico_declined_review' THEN c.mexico_response_on END"),
        ("remediation_agreed", "c.remediation_agreed_on"),
        ("panel_requested", "c.panel_requested_on"),
        ("outcome_announced", "c.outcome_date"),
    )
    selects = " UNION ALL ".join(
        f"SELECT c.id AS case_id, '{kind}' AS kind, {column} AS occurred_on FROM rrm_case c "
        f"WHERE {column} IS NOT NULL"
        for kind, column in columns
    )
    return (
        "INSERT INTO rrm_timelineevent (case_id, kind, occurred_on, from_stage, to_stage, description, "
        "source_url, source_note, data, recorded_at) "
        "SELECT case_id, kind, occurred_on, '', '', '', '', 'benchmark', '{}'::jsonb, now() "
        f"FROM ({selects}) AS e"
    )


def _deadline(rule: str, start: str, length: int, stop: str, running: str, where: str) -> str:
    """Deadlines of `rule` from `start`: met or late by `stop`, open while `running`, else cancelled."""
    due = f"{start} + {length}"
    return f"""
INSERT INTO rrm_deadline (created_at, updated_at, case_id, rule_id, start_date, due_date, status,
    satisfied_on, days_late, explanation)
SELECT now(), now(), c.id, r.id, {start}, {due},
    CASE WHEN {stop} IS NOT NULL THEN CASE WHEN {stop} > {due} THEN 'late' ELSE 'met' END
        WHEN {running} THEN 'open' ELSE 'cancelled' END,
    {stop},
    CASE WHEN {stop} IS NOT NULL THEN greatest(0, {stop} - ({due})) END,
    jsonb_build_object('text', '{length} calendar days from ' || {start} || ': due ' || ({due}),
        'unconfirmed', r.confidence = 'U')
FROM rrm_case c
JOIN rrm_deadlinerule r ON r.code = '{rule}'
WHERE {where}
"""


def deadlines() -> list[str]:
    running = "c.outcome IN ('open', 'panel_pending')"
    review = "(SELECT finding_on FROM remediation_mexicoreview WHERE case_id = c.id)"
    return [
        _deadline(
            "ilc_screening",
            "c.petition_received_on",
            30,
            "c.request_for_review_on",
            running,
            "c.annex = '31-A' AND c.petition_received_on IS NOT NULL",
        ),
        _deadline(
            "nao_screening",
            "c.petition_received_on",
            30,
            "c.request_for_review_on",
            running,
            "c.annex = '31-B' AND c.petition_received_on IS NOT NULL",
        ),
        _deadline(
            "mexico_response",
            "c.request_for_review_on",
            10,
            "c.mexico_response_on",
            running,
            "c.annex = '31-A' AND c.request_for_review_on IS NOT NULL",
        ),
        _deadline(
            "mexico_review",
            "c.request_for_review_on",
            45,
            review,
            running + " AND c.outcome <> 'mexico_declined_review'",
            "c.annex = '31-A' AND c.request_for_review_on IS NOT NULL",
        ),
        _deadline(
            "panel_constitution",
            "c.panel_requested_on",
            5,
            "NULL::date",
            running,
            "c.panel_requested_on IS NOT NULL",
        ),
    ]


def statements(*, cases_count: int) -> list[tuple[str, str]]:
    """What to run, in order, with a label each."""
    return [
        ("companies", companies(max(10, cases_count // 50))),
        ("facilities", facilities(max(20, cases_count // 10))),
        ("organisations", organisations(max(10, cases_count // 200))),
        ("cases", cases(cases_count)),
        ("petitions", petitions()),
        ("petitioners", petitioners()),
        ("Mexico's reviews", reviews()),
        ("timeline events", events()),
        *((f"deadlines {index + 1}", statement) for index, statement in enumerate(deadlines())),
    ]
