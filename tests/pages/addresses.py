"""Addresses of the pages in a given language: reverse() gives the active language's (English in tests)."""

from __future__ import annotations

from django.urls import reverse, translate_url

from rrm.models import Case


def in_spanish(url: str) -> str:
    """The Spanish address of the page at `url` (same path and query, under /es/)."""
    return translate_url(url, "es")


def pages_of_a_case(case: Case) -> list[str]:
    """The public pages that show `case`: home, the case list, its own page, its facility's and its
    company's, and the statistics."""
    return [
        reverse("pages:home"),
        reverse("pages:case-list"),
        reverse("pages:case-detail", args=[case.case_id]),
        reverse("pages:facility-detail", args=[case.facility_id]),
        reverse("pages:company-detail", args=[case.facility.operator_id]),
        reverse("pages:statistics"),
    ]
