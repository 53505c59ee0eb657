"""The first versions of the deadline rules, in force from 2020-07-01 (process.md §4), frozen here.

This migration is their definition: a rule that changes gets a new version (a later `effective_from`) in
a new migration, never an edit here. Each row has the fields of rrm.models.DeadlineRule. Source tags
[Sx] resolve to process.md §10; confidence tags are process.md's ([C] primary source, [S] secondary,
[U] unconfirmed). Loading is idempotent: a version already stored under the same (code, effective_from)
is left as it is, so tests reload the rows after a transactional test flushed them (tests/conftest.py).
"""

from datetime import date

from django.db import migrations

# Entry into force of the USMCA and of its Protocol of Amendment, which added Annexes 31-A and 31-B.
USMCA_IN_FORCE = date(2020, 7, 1)

TREATY_DAYS_NOTE = (
    "Treaty-level clocks run in calendar days from the date of the U.S. request (USTR/DOL releases; "
    "Goodyear: request 2023-05-22, 10-day limit 2023-06-01, 45-day limit 2023-07-06). Whether USMCA "
    "defines 'days' as calendar days, and whether a limit on a non-business day moves, is unconfirmed "
    "(process.md §11 item 2), so the due date does not roll forward."
)

INITIAL_RULES = (
    # [S11][S14][S12][S26]: ILC reviews a petition within 30 days of OTLA's receipt.
    dict(
        code="ilc_screening",
        name="ILC screening of a Rapid Response Petition",
        citation="ILC Procedural Guidelines for Petitions, 85 FR 39257 (2020), 88 FR 40914 (2023); "
        "19 U.S.C. §4646",
        length=30,
        unit="calendar",
        calendar="US",
        start_event="petition_received",
        satisfied_by=(
            "ilc_determination",
            "ilc_declined",
            "resolved_without_request",
            "withdrawn",
            "request_for_review",
        ),
        roll_forward="next_business_day",
        confidence="C",
        annex="31-A",
        notes=(
            "30 calendar days from OTLA's receipt of the petition [C]. A due date on a Saturday, Sunday "
            "or U.S. federal holiday moves to the next U.S. business day: this service's convention for "
            "a U.S. agency's period; the guideline text read does not say it. The wording of §4646 "
            "itself was not retrieved (process.md §1). A positive determination is made public with "
            "the request for review (process.md §4 row 2), so the request also stops this clock."
        ),
        effective_from=USMCA_IN_FORCE,
        effective_to=None,
    ),
    # [S4]: ESDC Guidelines for Denial of Rights claims, Canadian NAO's 30-day screen.
    dict(
        code="nao_screening",
        name="Canadian NAO screening of a Denial of Rights claim",
        citation="Canada (ESDC), Guidelines for Denial of Rights claims under CUSMA Annex 31-B",
        length=30,
        unit="calendar",
        calendar="MX",
        start_event="petition_received",
        satisfied_by=("ilc_determination", "ilc_declined", "request_for_review", "withdrawn"),
        roll_forward="none",
        confidence="C",
        annex="31-B",
        notes=(
            "30 days from the NAO's receipt of the claim, extendable (record an extension). The NAO's "
            "determinations are recorded with the ILC's event kinds. Canada is not one of the "
            "calendars, so the due date does not roll forward and the calendar field (MX) has no "
            "effect; add a Canadian calendar before making this clock roll."
        ),
        effective_from=USMCA_IN_FORCE,
        effective_to=None,
    ),
    # [S26][S17][S43]: Mexico has 10 days from the request to say whether it will review.
    dict(
        code="mexico_response",
        name="Mexico's decision whether to review",
        citation="USMCA Annex 31-A, Art. 31-A.4",
        length=10,
        unit="calendar",
        calendar="MX",
        start_event="request_for_review",
        satisfied_by=("mexico_accepted", "mexico_declined"),
        roll_forward="none",
        confidence="C",
        annex="31-A",
        notes=TREATY_DAYS_NOTE,
        effective_from=USMCA_IN_FORCE,
        effective_to=None,
    ),
    # [S26][S44][S45]: Mexico's review ends 45 days after the request.
    dict(
        code="mexico_review",
        name="Mexico's review of the alleged denial of rights",
        citation="USMCA Annex 31-A, Art. 31-A.4",
        length=45,
        unit="calendar",
        calendar="MX",
        start_event="request_for_review",
        satisfied_by=("mexico_finding_no_denial", "mexico_finding_denial", "mexico_finding_remedied"),
        roll_forward="none",
        confidence="C",
        annex="31-A",
        notes=TREATY_DAYS_NOTE,
        effective_from=USMCA_IN_FORCE,
        effective_to=None,
    ),
    # [S48][S30][S45]: 10 days of consultations on a course of remediation after a finding of denial.
    dict(
        code="remediation_consultations",
        name="Consultations on a course of remediation",
        citation="USMCA Annex 31-A, Art. 31-A.4 (as quoted by Trade Law Daily, 10 Jun 2021)",
        length=10,
        unit="calendar",
        calendar="MX",
        start_event="mexico_finding_denial",
        satisfied_by=("remediation_agreed", "remediation_not_agreed"),
        roll_forward="none",
        confidence="S",
        annex="31-A",
        notes="The 10-day length is confirmed only in a secondary source. " + TREATY_DAYS_NOTE,
        effective_from=USMCA_IN_FORCE,
        effective_to=None,
    ),
    # [S15]: panelists drawn by lot by the Secretariat section; the 3-business-day length is unsourced.
    dict(
        code="panel_constitution",
        name="Constitution of a Rapid Response Labor Panel",
        citation="USMCA Annex 31-A (panel selection by the Secretariat section; length unconfirmed)",
        length=3,
        unit="business",
        calendar="MX",
        start_event="panel_requested",
        satisfied_by=("panel_constituted",),
        roll_forward="none",
        confidence="U",
        annex="31-A",
        notes=(
            "UNCONFIRMED length (process.md §4 row 8, §11 item 1). Business days of Mexico: the panels "
            "so far were administered by the Mexican Section of the Secretariat (MEX-USA-2023-31A-01, "
            "MEX-USA-2024-31A-01). San Martín: requested 2023-08-22, panel started 2023-08-30."
        ),
        effective_from=USMCA_IN_FORCE,
        effective_to=None,
    ),
    # [S15]: the treaty text quoted there gives the panel 5 business days to confirm the request.
    dict(
        code="panel_basics_confirmation",
        name="Panel confirms the covered facility, the laws and the good-faith basis",
        citation="USMCA Annex 31-A (as quoted by IELP, Oct 2023)",
        length=5,
        unit="business",
        calendar="MX",
        start_event="panel_constituted",
        satisfied_by=("panel_basics_confirmed",),
        roll_forward="none",
        confidence="S",
        annex="31-A",
        notes=(
            "Business days of Mexico, as for the panel's constitution: the Mexican Section of the "
            "Secretariat administered the panels so far."
        ),
        effective_from=USMCA_IN_FORCE,
        effective_to=None,
    ),
    # [S51][S9]: the determination article is Art. 31-A.8; the 30-day length is unsourced.
    dict(
        code="panel_determination",
        name="Panel determination whether a Denial of Rights exists",
        citation="USMCA Annex 31-A, Art. 31-A.8",
        length=30,
        unit="calendar",
        calendar="MX",
        start_event="panel_verification",
        satisfied_by=("panel_determination_no_denial", "panel_determination_denial"),
        roll_forward="none",
        confidence="U",
        annex="31-A",
        notes=(
            "UNCONFIRMED length and start (process.md §4 row 11, §11 item 1). Real panels took far "
            "longer (San Martín about 8 months, Atento about 16): treat as a target with an overdue flag."
        ),
        effective_from=USMCA_IN_FORCE,
        effective_to=None,
    ),
)


def store_initial_rules(rule_model):
    """Store each initial version not yet stored under its (code, effective_from); returns how many."""
    created = 0
    for rule in INITIAL_RULES:
        defaults = {**rule, "satisfied_by": list(rule["satisfied_by"])}
        _, was_created = rule_model.objects.get_or_create(
            code=rule["code"], effective_from=rule["effective_from"], defaults=defaults
        )
        created += int(was_created)
    return created


def load_rules(apps, schema_editor):
    store_initial_rules(apps.get_model("rrm", "DeadlineRule"))


def unload_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("rrm", "DeadlineRule")
    for rule in INITIAL_RULES:
        DeadlineRule.objects.filter(code=rule["code"], effective_from=rule["effective_from"]).delete()


class Migration(migrations.Migration):
    dependencies = [("rrm", "0002_timeline_append_only")]

    operations = [migrations.RunPython(load_rules, unload_rules)]
