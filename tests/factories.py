"""factory-boy factories shared by every test package."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from rrm.choices import ANNEX_PARTIES, Annex, EventKind, MexicanState, PrioritySubsector, Sector, Stage
from rrm.models import Case, CaseFacility, Company, Facility, Organisation, TimelineEvent


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n} S.A. de C.V.")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Plant {n}")
    operator = factory.SubFactory(CompanyFactory)
    city = "Silao"
    state = MexicanState.GUA
    sector = Sector.MANUFACTURING
    subsector = PrioritySubsector.AUTO_PARTS


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Sindicato {n}")
    kind = Organisation.Kind.UNION
    country = "MX"


# The Parties of a case whose annex is none (a test of the annex's own constraint).
US_MX = ANNEX_PARTIES[Annex.A31]


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    case_id = factory.Sequence(lambda n: f"us-mx-2024-case-{n}")
    facility = factory.SubFactory(FacilityFactory)
    stage = Stage.SUBMITTED
    complainant = factory.LazyAttribute(lambda case: ANNEX_PARTIES.get(case.annex, US_MX)[0])
    respondent = factory.LazyAttribute(lambda case: ANNEX_PARTIES.get(case.annex, US_MX)[1])
    annex = Annex.A31


class CaseFacilityFactory(factory.django.DjangoModelFactory):
    """A further facility of a case, listed after those it has (its first is the case's `facility`)."""

    class Meta:
        model = CaseFacility

    case = factory.SubFactory(CaseFactory)
    facility = factory.SubFactory(FacilityFactory)
    position = factory.LazyAttribute(lambda link: link.case.facility_links.count())


class CaseRecordFactory(factory.django.DjangoModelFactory):
    """A row that belongs to a case: a new one unless the test names it."""

    class Meta:
        abstract = True

    case = factory.SubFactory(CaseFactory)


class TimelineEventFactory(CaseRecordFactory):
    class Meta:
        model = TimelineEvent

    kind = EventKind.NOTE
    occurred_on = dt.date(2024, 3, 4)
    source_note = "test"


class DeadlineRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rrm.DeadlineRule"

    code = factory.Sequence(lambda n: f"test-clock-{n}")
    name = factory.Sequence(lambda n: f"Test clock {n}")
    effective_from = dt.date(2020, 7, 1)
    citation = "USMCA Annex 31-A, Art. 31-A.4.2"
    length = 45
    unit = "calendar"
    calendar = "US"
    start_event = EventKind.REQUEST_FOR_REVIEW
    roll_forward = "none"
    confidence = "C"


class DeadlineFactory(CaseRecordFactory):
    class Meta:
        model = "rrm.Deadline"

    rule = factory.SubFactory(DeadlineRuleFactory)
    due_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))
    start_date = factory.LazyAttribute(lambda d: d.due_date - dt.timedelta(days=45))
    explanation = factory.LazyAttribute(
        lambda d: {"text": f"45 calendar days from request_for_review on {d.start_date}: due {d.due_date}."}
    )


class CaseWatchFactory(CaseRecordFactory):
    class Meta:
        model = "rrm.CaseWatch"

    user = factory.SubFactory(UserFactory)


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rrm.WebhookEndpoint"

    organisation = factory.SubFactory(OrganisationFactory)
    url = factory.Sequence(lambda n: f"https://hooks.example.org/rrm/{n}")
    secret_salt = factory.Sequence(lambda n: f"salt-{n:032d}")


class PetitionFactory(CaseRecordFactory):
    """A submitted petition on a case, with every confidential field filled in."""

    class Meta:
        model = "petitions.Petition"

    status = "submitted"
    facility = factory.LazyAttribute(lambda p: p.case.facility)
    submitted_at = factory.LazyFunction(lambda: dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC))
    received_on = dt.date(2024, 3, 1)
    narrative = "Narrative kept confidential"
    contact_name = "Contact Person Secret"
    contact_email = "secret.contact@example.org"
    contact_phone = "+52 55 0000 0000"
    contact_address = "Calle Confidencial 1"


class PetitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "petitions.Petitioner"

    petition = factory.SubFactory(PetitionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "lead"


class DocumentFactory(CaseRecordFactory):
    class Meta:
        model = "rrm.Document"

    title = factory.Sequence(lambda n: f"Document {n}")
    url = factory.Sequence(lambda n: f"https://example.org/documents/{n}.pdf")


class RemediationPlanFactory(CaseRecordFactory):
    class Meta:
        model = "remediation.RemediationPlan"

    agreed_on = dt.date(2024, 5, 2)
    summary = "Commitments of the plan"


class RemediationActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "remediation.RemediationAction"

    plan = factory.SubFactory(RemediationPlanFactory)
    kind = "reinstatement"
    due_on = dt.date(2024, 6, 1)


class RemediationOutcomeFactory(CaseRecordFactory):
    """A fact of what remediation achieved, dated to the day by its act, with its source."""

    class Meta:
        abstract = True

    occurred_on = dt.date(2024, 5, 30)
    date_basis = "act"
    source_url = factory.Sequence(lambda n: f"https://example.org/outcomes/{n}")


class UnionVoteFactory(RemediationOutcomeFactory):
    class Meta:
        model = "remediation.UnionVote"

    kind = "representation"
    result = "The independent union won."


class ReinstatementFactory(RemediationOutcomeFactory):
    class Meta:
        model = "remediation.Reinstatement"

    workers = 3


class PaymentFactory(RemediationOutcomeFactory):
    class Meta:
        model = "remediation.Payment"

    kind = "back_pay"
    amount = "60000.00"
    currency = "USD"


class WorkerCountFactory(RemediationOutcomeFactory):
    class Meta:
        model = "remediation.WorkerCount"

    count = 586
    subject = "covered"
