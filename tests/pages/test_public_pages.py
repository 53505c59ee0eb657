"""What the public pages show: figures, the filtered case list, a case's record, facilities and companies
with their repeat cases, and nothing confidential."""

from __future__ import annotations

import datetime as dt
import html as html_entities
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from petitions.models import Petitioner
from public.statistics import statistics
from remediation.models import RemediationAction, RemediationPlan
from rrm.choices import Annex, EventKind, Initiation, MexicanState, Outcome, Sector, Stage
from rrm.models import Case, Deadline, Organisation
from tests.factories import (
    CaseFactory,
    CompanyFactory,
    DeadlineFactory,
    DeadlineRuleFactory,
    DocumentFactory,
    FacilityFactory,
    OrganisationFactory,
    PetitionerFactory,
    PetitionFactory,
    RemediationActionFactory,
    RemediationPlanFactory,
    TimelineEventFactory,
)
from tests.pages.addresses import in_spanish, pages_of_a_case
from tests.public.conftest import csv_table


def text_of(response: object) -> str:
    """The page's visible text with tags removed and whitespace collapsed."""
    html = response.content.decode()  # type: ignore[attr-defined]
    # Only ASCII whitespace collapses: a no-break space is a locale's thousands separator.
    return re.sub(r"[ \t\r\n]+", " ", html_entities.unescape(re.sub(r"<[^>]+>", " ", html)))


def listed_case_ids(response: object) -> set[str]:
    return set(re.findall(r'href="/en/cases/([a-z0-9-]+)/"', response.content.decode()))  # type: ignore[attr-defined]


# --- Home ---------------------------------------------------------------------------------------------


def test_it_shows_the_key_figures_of_the_real_cases_as_the_public_statistics_define_them(
    real_cases: None, client: Client
) -> None:
    (overall,) = statistics(
        cases=Case.objects.all(), deadlines=Deadline.objects.all(), group_by=None, today=timezone.localdate()
    )
    figures = dict(
        re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", client.get(reverse("pages:home")).content.decode())
    )
    assert figures["Cases"] == str(Case.objects.count()) == str(overall["n"])
    assert figures["Petitions received"] == str(overall["petitions_received"])
    assert figures["Self-initiated cases"] == str(
        Case.objects.filter(initiation=Initiation.SELF_INITIATED).count()
    )
    assert figures["Requests for review sent to Mexico"] == str(overall["requests_for_review"]["total"])
    assert figures["Courses of remediation agreed"] == str(
        Case.objects.filter(remediation_agreed_on__isnull=False).count()
    )
    assert figures["Cases with no outcome found"] == str(Case.objects.filter(outcome=Outcome.OPEN).count())
    assert figures["Facilities with more than one case"] == "1"


def test_it_marks_the_back_pay_total_as_a_floor_when_a_source_says_more_than(
    db: None, client: Client
) -> None:
    CaseFactory(backpay_usd=Decimal("600000"), backpay_is_floor=True)
    CaseFactory(backpay_usd=Decimal("1250"), backpay_is_floor=False)
    assert "at least 601,250" in text_of(client.get(reverse("pages:home")))


# --- Case list ----------------------------------------------------------------------------------------


@pytest.fixture
def varied_cases(db: None) -> dict[str, Case]:
    """Cases that differ in exactly one filtered attribute each from the baseline."""
    baseline_facility = FacilityFactory(state=MexicanState.GUA, sector=Sector.MANUFACTURING)

    def differing(attribute: str, **difference: object) -> Case:
        fields = {"facility": baseline_facility, "petition_received_on": dt.date(2022, 5, 1), **difference}
        return CaseFactory(case_id=f"other-{attribute}", **fields)

    return {
        "baseline": CaseFactory(
            case_id="baseline", facility=baseline_facility, petition_received_on=dt.date(2022, 3, 1)
        ),
        "year": differing("year", petition_received_on=dt.date(2024, 2, 1)),
        "annex": differing("annex", annex=Annex.B31),
        "sector": differing("sector", facility=FacilityFactory(sector=Sector.MINING)),
        "state": differing(
            "state", facility=FacilityFactory(state=MexicanState.SON, operator=baseline_facility.operator)
        ),
        "stage": differing("stage", stage=Stage.ILC_REVIEW),
        "outcome": differing("outcome", outcome=Outcome.FACILITY_CLOSED),
        "self": CaseFactory(
            case_id="self-initiated",
            facility=baseline_facility,
            initiation=Initiation.SELF_INITIATED,
            request_for_review_on=dt.date(2022, 6, 1),
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=2024", {"other-year"}),
        ("annex=31-B", {"other-annex"}),
        ("sector=mining", {"other-sector"}),
        ("state=SON", {"other-state"}),
        ("stage=ilc_review", {"other-stage"}),
        ("outcome=facility_closed", {"other-outcome"}),
        ("petitioner_type=self_initiated", {"self-initiated"}),
        (
            "year=2022&sector=manufacturing&state=GUA&stage=submitted&outcome=open&annex=31-A&petitioner_type=unknown",
            {"baseline"},
        ),
    ],
)
def test_it_filters_the_case_list_by_each_filter_of_the_api(
    varied_cases: dict[str, Case], client: Client, query: str, expected: set[str]
) -> None:
    assert listed_case_ids(client.get(reverse("pages:case-list") + f"?{query}")) == expected


def test_it_filters_the_case_list_by_company(varied_cases: dict[str, Case], client: Client) -> None:
    company = varied_cases["sector"].facility.operator
    assert listed_case_ids(client.get(reverse("pages:case-list") + f"?company={company.pk}")) == {
        "other-sector"
    }


def test_it_filters_by_the_lead_petitioners_kind_and_never_by_a_confidential_one(
    db: None, client: Client
) -> None:
    union_case = CaseFactory(case_id="union-case")
    PetitionerFactory(
        petition=PetitionFactory(case=union_case),
        organisation=OrganisationFactory(kind=Organisation.Kind.UNION),
    )
    hidden_case = CaseFactory(case_id="hidden-union-case")
    PetitionerFactory(
        petition=PetitionFactory(case=hidden_case),
        organisation=OrganisationFactory(kind=Organisation.Kind.UNION),
        identity_confidential=True,
    )
    assert listed_case_ids(client.get(reverse("pages:case-list") + "?petitioner_type=union")) == {
        "union-case"
    }
    assert listed_case_ids(client.get(reverse("pages:case-list") + "?petitioner_type=undisclosed")) == {
        "hidden-union-case"
    }


def test_it_labels_every_filter_control_of_the_case_list(db: None, client: Client) -> None:
    html = client.get(reverse("pages:case-list")).content.decode()
    selects = re.findall(r'<select name="(\w+)"[^>]*id="(id_\w+)"', html)
    assert {name for name, _ in selects} == {
        "year",
        "annex",
        "sector",
        "state",
        "company",
        "petitioner_type",
        "stage",
        "outcome",
    }
    for _, control_id in selects:
        assert f'<label for="{control_id}">' in html


def test_it_reports_an_invalid_filter_value_on_its_field_and_applies_the_others(
    varied_cases: dict[str, Case], client: Client
) -> None:
    response = client.get(reverse("pages:case-list") + "?sector=shipbuilding&annex=31-B")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_sector_error"' in html and 'aria-invalid="true"' in html
    assert listed_case_ids(response) == {"other-annex"}


def test_it_paginates_the_case_list_and_keeps_the_filters_in_the_page_links(db: None, client: Client) -> None:
    facility = FacilityFactory(sector=Sector.SERVICES)
    for number in range(25):
        CaseFactory(
            case_id=f"service-{number:02d}", facility=facility, petition_received_on=dt.date(2023, 1, 1)
        )
    CaseFactory(case_id="mining-case", facility=FacilityFactory(sector=Sector.MINING))
    first = client.get(reverse("pages:case-list") + "?sector=services")
    second = client.get(reverse("pages:case-list") + "?sector=services&page=2")
    assert len(listed_case_ids(first)) == 20 and len(listed_case_ids(second)) == 5
    assert listed_case_ids(first).isdisjoint(listed_case_ids(second))
    assert 'href="?sector=services&amp;page=2"' in first.content.decode()
    assert "25 cases found." in text_of(first)


def test_it_links_the_filtered_cases_to_the_same_list_as_csv_from_the_public_api(
    varied_cases: dict[str, Case], client: Client
) -> None:
    html = client.get(reverse("pages:case-list") + "?sector=manufacturing&year=2022&page=1").content.decode()
    link = re.search(r'<a href="(/api/v1/public/cases/[^"]+)" download>', html)
    assert link is not None
    url = html_entities.unescape(link.group(1))
    assert url == "/api/v1/public/cases/?sector=manufacturing&year=2022&format=csv"
    rows = csv_table(client.get(url))
    assert {row["case_id"] for row in rows} == listed_case_ids(
        client.get(reverse("pages:case-list") + "?sector=manufacturing&year=2022")
    )


# --- Case page ----------------------------------------------------------------------------------------


def test_it_shows_the_effective_timeline_without_corrected_events(db: None, client: Client) -> None:
    case = CaseFactory()
    wrong = TimelineEventFactory(case=case, kind=EventKind.PETITION_RECEIVED, occurred_on=dt.date(2024, 2, 2))
    TimelineEventFactory(
        case=case, kind=EventKind.PETITION_RECEIVED, occurred_on=dt.date(2024, 2, 9), corrects=wrong
    )
    text = text_of(client.get(reverse("pages:case-detail", args=[case.case_id])))
    assert "Feb. 9, 2024 Petition received by OTLA" in text
    assert "Feb. 2, 2024" not in text


def test_it_dates_a_timeline_fact_no_more_precisely_than_its_source(real_cases: None, client: Client) -> None:
    text = text_of(client.get(reverse("pages:case-detail", args=["us-mx-2025-freixenet"])))
    # events.csv: the request for review is known only as "November 2025", approximately.
    assert "November 2025 (Approximate date) Request for review sent to Mexico" in text
    assert "Nov. 1, 2025" not in text


def test_it_shows_every_deadline_with_its_explanation_and_verdict(real_cases: None, client: Client) -> None:
    case = Case.objects.get(case_id="us-mx-2021-gm-silao")
    text = text_of(client.get(reverse("pages:case-detail", args=[case.case_id])))
    assert "Mexico's decision whether to review Met on time" in text
    assert (
        "10 calendar days from “Request for review sent to Mexico” on May 12, 2021 fall on May 22, 2021; "
        "this rule does not move a due date off a non-business day, so it is due May 22, 2021."
    ) in text
    assert "Rule: Mexico's review of the alleged denial of rights (USMCA Annex 31-A, Art. 31-A.4)." in text
    # The record holds no finding; the course of remediation agreed on 2021-07-08 ended the review.
    assert "Ended by July 8, 2021, timeliness unknown" in text
    assert case.deadlines.count() == 2


@pytest.mark.parametrize(
    ("status", "fields", "verdict"),
    [
        (Deadline.Status.MET, {"satisfied_on": dt.date(2024, 1, 5), "days_late": 0}, "Met on time"),
        (Deadline.Status.LATE, {"satisfied_on": dt.date(2024, 1, 9), "days_late": 3}, "Met late, by 3 days"),
        (
            Deadline.Status.OPEN,
            {"due_date": timezone.localdate() + dt.timedelta(days=4)},
            "Open: due in 4 days",
        ),
        (
            Deadline.Status.OPEN,
            {"due_date": timezone.localdate() - dt.timedelta(days=2)},
            "Open: overdue by 2 days",
        ),
        (
            Deadline.Status.OPEN,
            {"due_date": timezone.localdate() - dt.timedelta(days=1200)},
            "Open: overdue by 1,200 days",
        ),
    ],
)
def test_it_gives_each_deadline_its_verdict(
    db: None, client: Client, status: str, fields: dict[str, object], verdict: str
) -> None:
    deadline = DeadlineFactory(
        status=status, start_date=dt.date(2000, 1, 1), **{"due_date": dt.date(2024, 1, 6), **fields}
    )
    assert (
        f'class="badge badge-{"overdue" if "overdue" in verdict else status}">{verdict}<'
        in client.get(reverse("pages:case-detail", args=[deadline.case.case_id])).content.decode()
    )


def test_it_marks_a_deadline_of_a_rule_tagged_u_as_unconfirmed(db: None, client: Client) -> None:
    confirmed = DeadlineFactory(rule=DeadlineRuleFactory(confidence="C", name="Confirmed clock"))
    DeadlineFactory(case=confirmed.case, rule=DeadlineRuleFactory(confidence="U", name="Guessed clock"))
    html = client.get(reverse("pages:case-detail", args=[confirmed.case.case_id])).content.decode()
    assert html.count("Unconfirmed rule</span>") == 1
    assert re.search(r"Guessed clock\s*<span class=\"badge badge-unconfirmed\">Unconfirmed rule", html)
    assert "its due date is an estimate" in html


def test_it_shows_the_remediation_plan_its_actions_and_the_outcome(db: None, client: Client) -> None:
    case = CaseFactory(
        outcome=Outcome.RESOLVED_FACILITY_ACTIONS, backpay_usd=Decimal("600000"), backpay_is_floor=True
    )
    plan = RemediationPlanFactory(
        case=case, summary="Reinstate the dismissed workers", source_url="https://ustr.gov/plan"
    )
    RemediationActionFactory(
        plan=plan,
        kind=RemediationAction.Kind.BACK_PAY,
        status=RemediationAction.Status.VERIFIED,
        completed_on=dt.date(2024, 6, 1),
        verified_on=dt.date(2024, 6, 20),
        verified_by="CFCRL",
        workers_covered=154,
        amount_usd=Decimal("12500.50"),
    )
    response = client.get(reverse("pages:case-detail", args=[case.case_id]))
    text = text_of(response)
    action_row = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode().split("<tbody>")[1].split("</tr>")[0])
    )
    assert "Government-to-government course of remediation" in text
    assert "Reinstate the dismissed workers" in text
    assert (
        action_row.split()
        == "Back pay June 1, 2024 Verified ( June 1, 2024 ) June 20, 2024 , CFCRL 154 12,500.50".split()
    )
    assert "Outcome Resolved through facility actions" in text
    assert "more than 600,000" in text


def test_it_lists_each_public_source_once_and_no_confidential_document(db: None, client: Client) -> None:
    case = CaseFactory(source_url="https://ustr.gov/case")
    TimelineEventFactory(case=case, source_url="https://ustr.gov/case")
    TimelineEventFactory(case=case, source_url="https://dol.gov/release")
    DocumentFactory(case=case, title="Published report", url="https://ustr.gov/report.pdf")
    DocumentFactory(
        case=case, title="Worker statement", url="https://internal.example.org/x.pdf", confidential=True
    )
    html = client.get(reverse("pages:case-detail", args=[case.case_id])).content.decode()
    sources = html.split('id="sources-heading"')[1]
    assert sources.count('href="https://ustr.gov/case"') == 1
    assert 'href="https://dol.gov/release"' in sources
    assert '<a href="https://ustr.gov/report.pdf">Published report</a>' in sources
    assert "internal.example.org" not in html and "Worker statement" not in html


def test_it_names_only_the_public_petitioners(db: None, client: Client) -> None:
    case = CaseFactory()
    petition = PetitionFactory(case=case)
    PetitionerFactory(petition=petition, organisation=OrganisationFactory(name="Sindicato Público"))
    PetitionerFactory(
        petition=petition,
        organisation=OrganisationFactory(name="Sindicato Confidencial"),
        role=Petitioner.Role.CO,
        identity_confidential=True,
    )
    text = text_of(client.get(reverse("pages:case-detail", args=[case.case_id])))
    assert "Petitioners Sindicato Público" in text
    assert "Sindicato Confidencial" not in text


def test_it_names_no_petitioner_of_an_anonymous_petition(db: None, client: Client) -> None:
    case = CaseFactory()
    PetitionerFactory(
        petition=PetitionFactory(case=case, anonymous=True),
        organisation=OrganisationFactory(name="Hidden Union"),
    )
    text = text_of(client.get(reverse("pages:case-detail", args=[case.case_id])))
    assert "Not named: the petition was filed anonymously." in text
    assert "Hidden Union" not in text


def test_it_never_shows_a_confidential_field_on_any_page(db: None, client: Client) -> None:
    case = CaseFactory(case_id="confidential-case")
    petition = PetitionFactory(
        case=case, anonymous=True, laws_cited="Secret laws cited", domestic_proceedings="Secret proceedings"
    )
    PetitionerFactory(petition=petition, organisation=OrganisationFactory(name="Anonymous Union Name"))
    DocumentFactory(case=case, title="Confidential annex", confidential=True)
    secrets = [
        petition.narrative,
        petition.contact_name,
        petition.contact_email,
        petition.contact_phone,
        petition.contact_address,
        petition.laws_cited,
        petition.domestic_proceedings,
        "Anonymous Union Name",
        "Confidential annex",
    ]
    urls = [
        *pages_of_a_case(case),
        *(
            reverse("pages:statistics-csv", args=[slug])
            for slug in ("acceptance-by-year", "outcomes-by-sector", "stage-durations", "clock-compliance")
        ),
    ]
    for url in urls:
        content = client.get(url).content.decode()
        assert not [secret for secret in secrets if secret in content], url


def test_it_shows_the_case_summary_in_the_readers_language(
    db: None, client: Client, spanish_client: Client
) -> None:
    case = CaseFactory(summary_en="Workers were dismissed.", summary_es="Se despidió a trabajadores.")
    only_english = CaseFactory(summary_en="Only in English.")
    assert "Workers were dismissed." in text_of(client.get(reverse("pages:case-detail", args=[case.case_id])))
    spanish = spanish_client.get(
        in_spanish(reverse("pages:case-detail", args=[case.case_id]))
    ).content.decode()
    assert "Se despidió a trabajadores." in spanish and "Workers were dismissed." not in spanish
    fallback = spanish_client.get(
        in_spanish(reverse("pages:case-detail", args=[only_english.case_id]))
    ).content.decode()
    assert "Resumen disponible solo en inglés:" in fallback
    assert '<p class="lead" lang="en">Only in English.</p>' in fallback


def test_it_answers_404_for_an_unknown_case_facility_or_company(db: None, client: Client) -> None:
    assert client.get(reverse("pages:case-detail", args=["no-such-case"])).status_code == 404
    assert client.get(reverse("pages:facility-detail", args=["999999"])).status_code == 404
    assert client.get(reverse("pages:company-detail", args=["999999"])).status_code == 404


# --- Facilities and companies ---------------------------------------------------------------------------


def test_it_shows_every_case_of_a_repeat_facility(real_cases: None, client: Client) -> None:
    repeat = Case.objects.filter(facility__name="Manufacturas VU, Piedras Negras").first()
    assert repeat is not None
    response = client.get(reverse("pages:facility-detail", args=[repeat.facility_id]))
    text = text_of(response)
    assert listed_case_ids(response) == set(
        Case.objects.filter(facility=repeat.facility).values_list("case_id", flat=True)
    )
    assert len(listed_case_ids(response)) == 2
    assert "2 cases at this facility" in text and "Repeat facility" in text
    case_page = text_of(client.get(reverse("pages:case-detail", args=[repeat.case_id])))
    assert "Other cases at this facility" in case_page


def test_it_shows_every_case_of_a_company_across_its_facilities(db: None, client: Client) -> None:
    company = CompanyFactory(name="Grupo Repetido")
    first = CaseFactory(facility=FacilityFactory(operator=company, name="Plant North"))
    second = CaseFactory(facility=FacilityFactory(operator=company, name="Plant South"))
    CaseFactory()
    response = client.get(reverse("pages:company-detail", args=[company.pk]))
    text = text_of(response)
    assert listed_case_ids(response) == {first.case_id, second.case_id}
    assert "2 cases against this company" in text and "Repeat company" in text
    assert "Plant North" in text and "Plant South" in text
    assert "Repeat company: 2 cases" in text_of(client.get(reverse("pages:case-list")))


# --- Locale -------------------------------------------------------------------------------------------


def test_it_switches_to_spanish_with_the_language_switcher_on_the_same_page_and_query(
    db: None, client: Client
) -> None:
    CaseFactory(outcome=Outcome.FACILITY_CLOSED)
    english_list = reverse("pages:case-list") + "?outcome=facility_closed"
    page = client.get(english_list).content.decode()
    assert '<html lang="en">' in page and f'action="{reverse("set_language")}"' in page
    response = client.post(reverse("set_language"), {"language": "es", "next": english_list})
    assert response.status_code == 302 and response["Location"] == "/es/cases/?outcome=facility_closed"
    spanish = client.get(response["Location"]).content.decode()
    assert '<html lang="es">' in spanish
    assert "Instalación cerrada" in spanish and "Filtre los casos por año" in spanish


def test_it_formats_dates_and_numbers_in_the_readers_locale(
    db: None, client: Client, spanish_client: Client
) -> None:
    case = CaseFactory(
        petition_received_on=dt.date(2021, 5, 10), workers_covered=6000, backpay_usd=Decimal("1234567")
    )
    english = text_of(client.get(reverse("pages:case-detail", args=[case.case_id])))
    spanish = text_of(spanish_client.get(in_spanish(reverse("pages:case-detail", args=[case.case_id]))))
    assert "6,000" in english and "1,234,567" in english
    assert "6\xa0000" in spanish and "1\xa0234\xa0567" in spanish
    assert "May 10, 2021" in text_of(client.get(reverse("pages:case-list")))
    assert "10 de mayo de 2021" in text_of(spanish_client.get(in_spanish(reverse("pages:case-list"))))


def test_it_shows_when_the_record_of_a_case_last_changed(
    db: None, client: Client, spanish_client: Client
) -> None:
    case = CaseFactory()
    Case.objects.filter(pk=case.pk).update(updated_at=dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC))
    plan = RemediationPlanFactory(case=case)
    RemediationPlan.objects.filter(pk=plan.pk).update(updated_at=dt.datetime(2025, 3, 4, 12, tzinfo=dt.UTC))
    address = reverse("pages:case-detail", args=[case.case_id])

    assert "Last updated: March 4, 2025" in text_of(client.get(address))
    assert "Última actualización: 4 de marzo de 2025" in text_of(spanish_client.get(in_spanish(address)))
