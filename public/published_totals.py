"""Totals that others published about the whole mechanism, shown beside the record's own figures.

The record holds only the petitions that were made public (docs/mechanism.md, "Published totals"), so
its counts and rates are a lower bound of the mechanism's; these totals give the scale. Each is kept as
its source states it: the period it covers, whether it is a floor ("more than"), the source and the
confidence tag of docs/mechanism.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    citation: str  # as published; docs/mechanism.md numbers the same sources
    url: str  # blank: the source has no public address
    confidence: str  # C confirmed, S secondary (docs/mechanism.md)


FOIA_ANSWER = Source(
    "LeClercq, Workers' Empowerment as U.S. Trade Policy, 64 Colum. J. Transnat'l L. 326 (2026), "
    "citing a FOIA answer",
    "",
    "S",
)
MEXICO_COUNT = Source(
    "La Razón, 1 September 2025",
    "https://www.razon.com.mx/negocios/2025/09/01/"
    "mexico-ha-recibido-38-solicitudes-del-mecanismo-laboral-de-respuesta-rapida-del-t-mec/",
    "S",
)
USTR_LETTER = Source(
    "USTR, 16 January 2025 letter",
    "https://ustr.gov./about-us/policy-offices/press-office/press-releases/2025/january/"
    "ustr-responds-mexico-usmca-rapid-response-mechanism",
    "C",
)


@dataclass(frozen=True)
class PublishedTotal:
    code: str
    statement: Promise
    value: int
    source: Source
    period_to: str  # YYYY-MM
    period_from: str | None = None  # None: the source gives only the end of the period
    out_of: int | None = None
    is_floor: bool = False  # the source says "more than"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "statement": str(self.statement),
            "value": self.value,
            "out_of": self.out_of,
            "is_floor": self.is_floor,
            "period_from": self.period_from,
            "period_to": self.period_to,
            "source": self.source.citation,
            "source_url": self.source.url,
            "confidence": self.source.confidence,
        }


PUBLISHED_TOTALS: tuple[PublishedTotal, ...] = (
    PublishedTotal(
        "petitions_accepted",
        _("USTR accepted 29 of 54 petitions between May 2021 and June 2024 (a FOIA answer)."),
        29,
        FOIA_ANSWER,
        "2024-06",
        period_from="2021-05",
        out_of=54,
    ),
    PublishedTotal(
        "requests_counted_by_mexico",
        _("Mexico counted 38 requests for review from July 2020 to July 2025."),
        38,
        MEXICO_COUNT,
        "2025-07",
        period_from="2020-07",
    ),
    PublishedTotal(
        "requests_reaching_a_panel",
        _("Six of those 38 requests reached a panel."),
        6,
        MEXICO_COUNT,
        "2025-07",
        period_from="2020-07",
        out_of=38,
    ),
    PublishedTotal(
        "workers_benefited",
        _("USTR reported more than 42,000 workers directly benefited by January 2025."),
        42_000,
        USTR_LETTER,
        "2025-01",
        is_floor=True,
    ),
    PublishedTotal(
        "backpay_usd",
        _("USTR reported more than US$6 million in back pay and benefits by January 2025."),
        6_000_000,
        USTR_LETTER,
        "2025-01",
        is_floor=True,
    ),
)

# Why the record's acceptance rate is not the mechanism's.
ACCEPTANCE_CAVEAT = _(
    "The record knows only the petitions that were made public, so this rate is over those alone; "
    "the published totals beside it give the scale."
)


def published_totals() -> list[dict[str, Any]]:
    return [total.as_dict() for total in PUBLISHED_TOTALS]
