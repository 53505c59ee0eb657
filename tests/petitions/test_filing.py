"""Filing a petition through the API: draft, the ILC guidelines' contents checked on submit
(docs/mechanism.md), anonymous filing, confidentiality flags, language, and the case it opens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from petitions.models import Petition, Petitioner, Screening
from remediation.models import MexicoReview
from rrm.models import Case, CaseWatch, Deadline, Facility, TimelineEvent, WebhookEndpoint
from tests.api.world import World, build_world
from tests.factories import CaseFactory, FacilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def post(world: World, role: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return world.client(role).post(url, json.dumps(body or {}), content_type="application/json")


def open_draft(world: World, **fields: Any) -> Any:
    body = {"organisation": world.own_org.pk, "facility": world.facility.pk, **fields}
    return post(world, "own_org", reverse("v1:petition-list"), body)


def submit(world: World, petition_id: int) -> Any:
    return post(world, "own_org", reverse("v1:petition-submit", kwargs={"petition_id": petition_id}))


def test_it_opens_a_draft_with_the_organisation_as_lead_petitioner(world: World) -> None:
    response = open_draft(world, narrative="Facts.", language="es")
    assert response.status_code == 201
    petition = Petition.objects.get(pk=response.data["id"])
    assert (petition.status, petition.language) == ("draft", "es")
    assert [(p.organisation, p.role) for p in petition.petitioners.all()] == [(world.own_org, "lead")]
    assert petition.created_by == world.users["own_org"]


def test_it_submits_a_complete_draft_and_opens_its_case_at_submitted(world: World) -> None:
    draft_id = open_draft(world, narrative="Facts.", contact_name="Ana", contact_phone="+52 55 0000").data[
        "id"
    ]
    response = submit(world, draft_id)
    assert response.status_code == 200
    petition = Petition.objects.get(pk=draft_id)
    assert petition.status == "submitted" and petition.submitted_at is not None
    case = Case.objects.get(petitions=petition)
    assert (case.stage, case.initiation, case.facility) == ("submitted", "petition", world.facility)
    year = timezone.localdate().year
    assert response.data["case"] == case.case_id == f"us-mx-{year}-{slugify(world.facility.name)}"
    again = submit(world, open_draft(world, narrative="Facts.", anonymous=True).data["id"])
    assert again.data["case"] == f"{case.case_id}-2"


def test_it_derives_a_case_id_from_the_year_and_facility_never_from_how_many_drafts_exist(
    world: World,
) -> None:
    """Security review, finding 7: an id numbered by petition told how many drafts others held."""
    facility = CaseFactory(facility=FacilityFactory(name="Planta Añil Norte")).facility
    first = open_draft(world, facility=facility.pk, narrative="Facts.", anonymous=True).data["id"]
    for _ in range(3):
        post(world, "other_org", reverse("v1:petition-list"), {"organisation": world.other_org.pk})
    second = open_draft(world, facility=facility.pk, narrative="More facts.", anonymous=True).data["id"]

    ids = [submit(world, draft_id).data["case"] for draft_id in (first, second)]

    year = timezone.localdate().year
    assert ids == [f"us-mx-{year}-planta-anil-norte", f"us-mx-{year}-planta-anil-norte-2"]
    assert Petition.objects.filter(status="draft").count() == 4  # the world's draft and the other three


def test_it_names_each_missing_content_of_the_guidelines_on_its_field(world: World) -> None:
    draft_id = post(world, "own_org", reverse("v1:petition-list"), {"organisation": world.own_org.pk}).data[
        "id"
    ]
    response = submit(world, draft_id)
    assert response.status_code == 400
    assert set(response.data) == {"facility", "narrative", "contact_name", "contact_email"}
    assert "covered facility" in response.data["facility"][0]
    assert (
        Petition.objects.get(pk=draft_id).status == "draft"
        and not Case.objects.filter(petitions__pk=draft_id).exists()
    )


def test_it_accepts_an_anonymous_petition_without_contacts_or_the_recommended_contents(world: World) -> None:
    draft_id = open_draft(world, narrative="Facts.", anonymous=True).data["id"]
    assert submit(world, draft_id).status_code == 200


def test_it_refuses_to_submit_or_edit_a_petition_twice(world: World) -> None:
    draft_id = open_draft(world, narrative="Facts.", anonymous=True).data["id"]
    submit(world, draft_id)
    again = submit(world, draft_id)
    edit = world.client("own_org").patch(
        reverse("v1:petition-detail", kwargs={"petition_id": draft_id}), {"narrative": "Other"}, format="json"
    )
    assert again.status_code == 409 and edit.status_code == 409
    assert "no longer a draft" in edit.data["detail"]
    assert Petition.objects.get(pk=draft_id).narrative == "Facts."


def test_it_records_the_confidentiality_flags_and_the_language(world: World) -> None:
    response = open_draft(
        world, narrative="Hechos.", language="es", confidential_fields=["narrative", "contact_name"]
    )
    petition = Petition.objects.get(pk=response.data["id"])
    assert petition.confidential_fields == ["contact_name", "narrative"] and petition.language == "es"


def test_it_finds_or_adds_the_facility_named_in_a_draft_when_the_petition_is_filed(world: World) -> None:
    new = {"name": "Planta Norte", "operator": "Autopartes del Norte", "state": "COA"}
    first = open_draft(world, facility=None, new_facility=new, narrative="Facts.", anonymous=True)
    second = open_draft(
        world, facility=None, new_facility={**new, "name": "PLANTA NORTE"}, narrative="Facts.", anonymous=True
    )
    assert first.status_code == second.status_code == 201
    assert not Facility.objects.filter(name__iexact="Planta Norte").exists()
    filed = [submit(world, response.data["id"]).data["facility"] for response in (first, second)]
    assert filed[0] == filed[1]
    assert Facility.objects.get(pk=filed[0]).operator.name == "Autopartes del Norte"


def test_it_adds_the_case_it_opens_to_the_organisations_webhooks_that_list_their_cases(world: World) -> None:
    listing = WebhookEndpoint.objects.create(
        organisation=world.own_org, url="https://hooks.example.org/listed", secret_salt="salt-listed"
    )
    listing.cases.add(world.case)
    draft_id = open_draft(world, narrative="Facts.", anonymous=True).data["id"]
    submit(world, draft_id)
    case = Case.objects.get(petitions__pk=draft_id)
    assert list(listing.cases.order_by("pk")) == [world.case, case]
    # An endpoint that lists no case receives every case of its organisation: it stays without a list.
    assert not world.webhook.cases.exists()


def test_it_has_the_filing_member_watch_the_case_in_the_language_they_filed_in(world: World) -> None:
    draft_id = open_draft(world, narrative="Facts.", anonymous=True).data["id"]
    url = reverse("v1:petition-submit", kwargs={"petition_id": draft_id})
    assert world.client("own_org").post(url, headers={"accept-language": "es"}).status_code == 200
    watch = CaseWatch.objects.get(case__petitions__pk=draft_id)
    assert (watch.user, watch.language) == (world.users["own_org"], "es")


def test_it_withdraws_a_petition_at_the_petitioners_request_keeping_it_on_record(world: World) -> None:
    url = reverse("v1:case-withdrawal", kwargs={"case_id": world.case.case_id})
    response = post(world, "own_org", url, {"on": "2024-03-01", "description": "Agreement reached."})
    assert response.status_code == 201 and response.data["kind"] == "withdrawn"
    world.case.refresh_from_db()
    assert (world.case.stage, world.case.outcome) == ("withdrawn", "withdrawn")
    assert Petition.objects.filter(pk=world.petition.pk, status="submitted").exists()


def test_it_keeps_a_petitioners_reasons_for_withdrawing_off_the_timeline(world: World) -> None:
    url = reverse("v1:case-withdrawal", kwargs={"case_id": world.case.case_id})
    post(world, "own_org", url, {"on": "2024-03-01", "description": "The union leader was threatened."})
    event = TimelineEvent.objects.get(case=world.case, kind="withdrawn")
    assert event.description == "Withdrawn by the petitioners."


def test_it_starts_the_screening_and_the_ilc_clock_on_receipt(world: World) -> None:
    url = reverse("v1:case-receipt", kwargs={"case_id": world.case.case_id})
    assert post(world, "officer", url, {"on": "2024-03-04"}).status_code == 201
    world.petition.refresh_from_db()
    assert str(world.petition.received_on) == "2024-03-04"
    assert str(Screening.objects.get(petition=world.petition).started_on) == "2024-03-04"
    assert Deadline.objects.get(case=world.case, rule__code="ilc_screening").status == "open"


def test_it_sends_the_request_for_review_with_a_positive_ilc_determination(world: World) -> None:
    world.advance("ilc_review")
    url = reverse("v1:case-ilc-determination", kwargs={"case_id": world.case.case_id})
    response = post(
        world, "officer", url, {"determination": "sufficient", "on": "2024-04-02", "findings": "Credible."}
    )
    assert response.status_code == 201 and response.data["determination"] == "sufficient"
    world.case.refresh_from_db()
    assert world.case.stage == "request_sent"
    assert str(MexicoReview.objects.get(case=world.case).requested_on) == "2024-04-02"
    assert Deadline.objects.get(case=world.case, rule__code="ilc_screening").status == "met"


def test_it_declines_a_petition_with_a_negative_ilc_determination(world: World) -> None:
    world.advance("ilc_review")
    url = reverse("v1:case-ilc-determination", kwargs={"case_id": world.case.case_id})
    post(world, "officer", url, {"determination": "insufficient", "on": "2024-03-25"})
    world.case.refresh_from_db()
    assert (world.case.stage, world.case.outcome) == ("ilc_declined", "ilc_declined")
    assert Screening.objects.get(petition=world.petition).determination == "insufficient"


def test_it_publishes_no_withheld_field_confidential_claim_or_anonymous_petitioner(world: World) -> None:
    draft = open_draft(
        world,
        narrative="Withheld narrative of the dismissals.",
        contact_name="Ana Contacto",
        contact_email="ana@example.org",
        anonymous=True,
        confidential_fields=["narrative"],
    ).data
    claims = reverse("v1:claim-list", kwargs={"petition_id": draft["id"]})
    for category, confidential in (("blacklisting", True), ("dismissal_union_activity", False)):
        body = {"category": category, "description": "Facts.", "confidential": confidential}
        assert post(world, "own_org", claims, body).status_code == 201
    case_id = submit(world, draft["id"]).data["case"]

    public = world.client("anonymous").get(reverse("v1:public:case-detail", kwargs={"case_id": case_id}))

    text = public.content.decode()
    assert public.status_code == 200
    for withheld in ("Withheld narrative", "Ana Contacto", "ana@example.org", world.own_org.name):
        assert withheld not in text
    assert public.json()["petitioners"] == []
    assert public.json()["claim_categories"] == ["dismissal_union_activity"]


def test_it_keeps_a_lead_petitioner_who_asked_for_confidentiality_off_the_public_record(
    world: World,
) -> None:
    """A lead may be identity-confidential (RELIABILITY.md, security review decisions)."""
    draft = open_draft(
        world,
        narrative="Facts.",
        contact_name="Ana",
        contact_phone="+52 55 0000",
        lead_identity_confidential=True,
    )
    case_id = submit(world, draft.data["id"]).data["case"]

    public = world.client("anonymous").get(reverse("v1:public:case-detail", kwargs={"case_id": case_id}))

    lead = Petitioner.objects.get(petition__pk=draft.data["id"], role="lead")
    assert (lead.organisation, lead.identity_confidential) == (world.own_org, True)
    assert public.status_code == 200
    assert (public.json()["petitioner_type"], public.json()["petitioners"]) == ("undisclosed", [])
    assert world.own_org.name not in public.content.decode()


def test_it_lets_the_petitioners_change_the_leads_confidentiality_while_drafting(world: World) -> None:
    url = reverse("v1:petition-detail", kwargs={"petition_id": world.draft.pk})

    asked = world.client("own_org").patch(url, {"lead_identity_confidential": True}, format="json")

    assert asked.status_code == 200
    assert [p["identity_confidential"] for p in asked.json()["petitioners"] if p["role"] == "lead"] == [True]


def test_it_shows_a_draft_to_case_officers_only_once_it_is_filed(world: World) -> None:
    """Least privilege (RELIABILITY.md, security review decisions): a draft is its petitioners' alone."""
    officer = world.client("officer")
    draft = reverse("v1:petition-detail", kwargs={"petition_id": world.draft.pk})
    claims = reverse("v1:claim-list", kwargs={"petition_id": world.draft.pk})

    while_drafted = [officer.get(draft), officer.get(claims)]
    listed = [row["id"] for row in officer.get(reverse("v1:petition-list")).json()["results"]]
    submit(world, world.draft.pk)
    once_filed = [officer.get(draft), officer.get(claims)]

    assert [answer.status_code for answer in while_drafted] == [404, 404]
    assert "Threats." not in while_drafted[1].content.decode()
    assert listed == [world.petition.pk]
    assert [answer.status_code for answer in once_filed] == [200, 200]
