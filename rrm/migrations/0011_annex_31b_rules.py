"""Annex 31-B (Canada–Mexico): its whole clock set, frozen here like the 31-A rules of migration 0003.

Until now a 31-B case had only the NAO's screening, on Mexico's calendar. docs/mechanism.md confirms
only that screening [C][S4]; it says 31-B has the same structure as 31-A [S2][S4] but no source read
states 31-B's periods. Each other clock is therefore 31-A's, assumed to hold for 31-B, tagged [U] and
shown as unconfirmed until the Annex 31-B text of the CUSMA Protocol of Amendment [S2] is read. These
rules follow a claim by Canada about a facility in Mexico, the only direction with a screening clock
here: Mexico is the responding Party.

Loading is idempotent, like 0003's, so tests can reload the rows after a transactional test flushed them.
"""

from datetime import date

from django.db import migrations

USMCA_IN_FORCE = date(2020, 7, 1)
CONFIRM_IN = (
    "The Annex 31-B text of the CUSMA Protocol of Amendment (docs/mechanism.md [S2]) would confirm it."
)
TREATY_DAYS = (
    "Calendar days from Canada's request, as for 31-A; whether a limit on a non-business day moves is "
    "unconfirmed, so the due date does not roll forward."
)
PANEL_SECTION = (
    "Business days of Mexico, the responding Party, whose section of the Secretariat administered the "
    "31-A panels so far; which section administers a 31-B panel is unconfirmed."
)
CLOSING = ["outcome_announced", "case_closed", "closed_no_action", "facility_closed"]
MEXICO_FINDINGS = ["mexico_finding_no_denial", "mexico_finding_denial", "mexico_finding_remedied"]
PANEL_LATER_STEPS = ["panel_verification", "panel_determination_no_denial", "panel_determination_denial"]


def mirrored(*, of, article, length, unit, start_event, satisfied_by, ended_by, note, **fields):
    """A 31-B rule assumed to mirror the 31-A rule `of` (migration 0003): unconfirmed, and saying so."""
    return dict(
        citation=f"CUSMA Annex 31-B, assumed to mirror Annex 31-A{article} (unconfirmed for 31-B)",
        length=length,
        unit=unit,
        calendar="MX",
        start_event=start_event,
        satisfied_by=satisfied_by,
        ended_by=ended_by,
        roll_forward="none",
        confidence="U",
        annex="31-B",
        notes=(
            f"UNCONFIRMED for Annex 31-B: assumed to mirror 31-A's {of} (docs/mechanism.md: 31-B has "
            f"the same structure [S2][S4]); no source read states this period for 31-B. {CONFIRM_IN} {note}"
        ),
        effective_from=USMCA_IN_FORCE,
        effective_to=None,
        **fields,
    )


ANNEX_31B_RULES = (
    mirrored(
        code="mexico_response_31b",
        name="Mexico's decision whether to review (Annex 31-B)",
        of="mexico_response (10 days from the request)",
        article=", Art. 31-A.4",
        length=10,
        unit="calendar",
        start_event="request_for_review",
        satisfied_by=["mexico_accepted", "mexico_declined"],
        ended_by=[
            *MEXICO_FINDINGS,
            "us_accepted_finding",
            "remediation_agreed",
            "panel_requested",
            "withdrawn",
            *CLOSING,
        ],
        note=TREATY_DAYS,
    ),
    mirrored(
        code="mexico_review_31b",
        name="Mexico's review of the alleged denial of rights (Annex 31-B)",
        of="mexico_review (45 days from the request)",
        article=", Art. 31-A.4",
        length=45,
        unit="calendar",
        start_event="request_for_review",
        satisfied_by=MEXICO_FINDINGS,
        ended_by=["us_accepted_finding", "remediation_agreed", "panel_requested", "withdrawn", *CLOSING],
        note=TREATY_DAYS
        + " The complaining Party's acceptance of a finding is recorded as us_accepted_finding.",
    ),
    mirrored(
        code="remediation_consultations_31b",
        name="Consultations on a course of remediation (Annex 31-B)",
        of="remediation_consultations (10 days, itself secondary only [S48])",
        article=", Art. 31-A.4",
        length=10,
        unit="calendar",
        start_event="mexico_finding_denial",
        satisfied_by=["remediation_agreed", "remediation_not_agreed"],
        ended_by=["panel_requested", "remediation_completed", *CLOSING],
        note=TREATY_DAYS,
    ),
    mirrored(
        code="panel_constitution_31b",
        name="Constitution of a Rapid Response Labor Panel (Annex 31-B)",
        of="panel_constitution (3 business days, itself unconfirmed)",
        article=" (panel selection by the Secretariat section)",
        length=3,
        unit="business",
        start_event="panel_requested",
        satisfied_by=["panel_constituted"],
        ended_by=["panel_basics_confirmed", *PANEL_LATER_STEPS, *CLOSING],
        note=PANEL_SECTION,
    ),
    mirrored(
        code="panel_basics_confirmation_31b",
        name="Panel confirms the covered facility, the laws and the good-faith basis (Annex 31-B)",
        of="panel_basics_confirmation (5 business days, secondary only [S15])",
        article="",
        length=5,
        unit="business",
        start_event="panel_constituted",
        satisfied_by=["panel_basics_confirmed"],
        ended_by=[*PANEL_LATER_STEPS, *CLOSING],
        note=PANEL_SECTION,
    ),
    mirrored(
        code="panel_determination_31b",
        name="Panel determination whether a Denial of Rights exists (Annex 31-B)",
        of="panel_determination (30 days, itself unconfirmed)",
        article=", Art. 31-A.8",
        length=30,
        unit="calendar",
        start_event="panel_verification",
        satisfied_by=["panel_determination_no_denial", "panel_determination_denial"],
        ended_by=["remedies_imposed", *CLOSING],
        note="Real 31-A panels took far longer: treat as a target.",
    ),
)

# The NAO's screening keeps its version: only its calendar was wrong (it is Canada's clock, and Canada
# had no calendar), so the row is corrected rather than superseded. Its due date now moves off a
# weekend or Canadian federal holiday, the convention the ILC's 30 days follow for a U.S. agency.
NAO_SCREENING_CORRECTION = dict(
    calendar="CA",
    roll_forward="next_business_day",
    notes=(
        "30 days from the NAO's receipt of the claim, extendable (record an extension) [C][S4]. A due "
        "date on a weekend or Canadian federal general holiday moves to the next Canadian business day: "
        "this service's convention for a national agency's period, as for the ILC; the guidelines read "
        "do not say it. The NAO's determinations are recorded with the ILC's event kinds."
    ),
)


def store_annex_31b_rules(rule_model):
    """Store each 31-B version not yet stored and correct the NAO's screening; returns how many were new."""
    created = 0
    for rule in ANNEX_31B_RULES:
        _, was_created = rule_model.objects.get_or_create(
            code=rule["code"], effective_from=rule["effective_from"], defaults=rule
        )
        created += int(was_created)
    rule_model.objects.filter(code="nao_screening", effective_from=USMCA_IN_FORCE).update(
        **NAO_SCREENING_CORRECTION
    )
    return created


def load_rules(apps, schema_editor):
    store_annex_31b_rules(apps.get_model("rrm", "DeadlineRule"))


def unload_rules(apps, schema_editor):
    rule_model = apps.get_model("rrm", "DeadlineRule")
    rule_model.objects.filter(code__in=[rule["code"] for rule in ANNEX_31B_RULES]).delete()
    rule_model.objects.filter(code="nao_screening", effective_from=USMCA_IN_FORCE).update(
        calendar="MX", roll_forward="none"
    )


class Migration(migrations.Migration):
    dependencies = [("rrm", "0010_canadian_calendar")]

    operations = [migrations.RunPython(load_rules, unload_rules)]
