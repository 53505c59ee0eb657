"""Full-text search of the public record: what matches some words, how well, and where (a snippet).

The words are read as a web search (websearch_to_tsquery: "a phrase", or, -word) in both of the
project's configurations, Spanish and English with accents folded (rrm.search), and a row matches
when either reading matches its stored vector. Rows are ranked by ts_rank_cd over the weighted vector
(names A, summaries and descriptions B, places and sources C). A snippet is the row's searched text
around the matches, HTML-escaped, the matches in <mark>. Only public rows are searched: documents
marked confidential never are, and facilities and companies only when a case covers them (the
selectors' querysets); petitions, petitioners and notes are in no vector.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Expression, F, Func, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from public import selectors
from rrm.models import Case as CaseRecord
from rrm.models import CaseFacility, Facility
from rrm.search import CONFIGURATIONS, SEARCHED, Searched

# Longest search accepted, in characters.
MAX_LENGTH = 200
# What rrm_headline (migration rrm 0016) puts around a match (removed from the text before), and what it
# puts for <, > and &, which ts_headline would otherwise drop with what looks like a tag: each becomes
# its HTML after the text is escaped.
MARKERS = {"\ue000": "<mark>", "\ue001": "</mark>", "\ue002": "&lt;", "\ue003": "&gt;", "\ue004": "&amp;"}
RANK = "search_rank"
SNIPPET = "search_snippet"


def search_query(words: str) -> SearchQuery:
    """The words read as a web search in Spanish or in English."""
    readings = (SearchQuery(words, config=name, search_type="websearch") for name in CONFIGURATIONS)
    return reduce(lambda left, right: left | right, readings)


def rank(words: str, vector: str = "search_vector") -> SearchRank:
    return SearchRank(F(vector), search_query(words), cover_density=True)


def searched_text(searched: Searched, prefix: str = "") -> Func:
    """The columns a vector holds, joined into one text for the snippet."""
    parts = [F(f"{prefix}{column}") if isinstance(column, str) else column for column, _ in searched]
    return Func(Value(" · "), *parts, function="concat_ws", output_field=TextField())


def headline(text: Expression, words: str) -> Func:
    return Func(text, Value(words), function="rrm_headline", output_field=TextField())


def highlighted(snippet: str | None) -> SafeString | None:
    """The snippet as HTML: its text escaped, only the matches' markers turned into <mark>."""
    if snippet is None:
        return None
    html = str(escape(snippet))
    for marker, shown in MARKERS.items():
        html = html.replace(marker, shown)
    return mark_safe(html)


def matching(queryset: QuerySet, words: str, searched: Searched) -> QuerySet:
    """The rows of `queryset` whose own vector matches, with their rank and snippet."""
    return queryset.filter(search_vector=search_query(words)).annotate(
        **{RANK: rank(words), SNIPPET: headline(searched_text(searched), words)}
    )


# A case is also found by the name or place of a facility it covers, or its company's name: the
# snippet then shows its first facility and company beside its own text.
CASE_SNIPPET_TEXT: Searched = (
    *SEARCHED["case"][:2],
    ("facility__name", "A"),
    ("facility__operator__name", "A"),
    *SEARCHED["case"][2:],
)


def matching_cases(queryset: QuerySet, words: str) -> QuerySet:
    """Cases whose own text matches, or one of whose facilities (or their companies) does; ranked by
    the better of the two."""
    query = search_query(words)
    own = CaseRecord.objects.filter(search_vector=query).values("pk")
    places = (
        Facility.objects.filter(search_vector=query)
        .values("pk")
        .union(Facility.objects.filter(operator__search_vector=query).values("pk"))
    )
    covering = CaseFacility.objects.filter(facility__in=places).values("case_id")
    place_rank = (
        CaseFacility.objects.filter(case=OuterRef("pk"))
        .annotate(
            place_rank=Greatest(
                rank(words, "facility__search_vector"), rank(words, "facility__operator__search_vector")
            )
        )
        .order_by("-place_rank")
        .values("place_rank")[:1]
    )
    return queryset.filter(pk__in=own.union(covering)).annotate(
        **{
            RANK: Greatest(rank(words), Coalesce(Subquery(place_rank), Value(0.0))),
            SNIPPET: headline(searched_text(CASE_SNIPPET_TEXT), words),
        }
    )


def matching_rows(model_name: str) -> Callable[[QuerySet, str], QuerySet]:
    """The search of one kind of row: cases through their facilities too, the others by their own text."""
    if model_name == "case":
        return matching_cases
    return lambda queryset, words: matching(queryset, words, SEARCHED[model_name])


@dataclass(frozen=True)
class Kind:
    """A kind of row the search page lists, in the order it lists them."""

    name: str
    rows: Callable[[], QuerySet]
    model_name: str


KINDS = (
    Kind("cases", selectors.public_cases, "case"),
    Kind("facilities", selectors.public_facilities, "facility"),
    Kind("companies", selectors.public_companies, "company"),
    Kind("events", selectors.public_events, "timelineevent"),
    Kind("documents", selectors.searchable_documents, "document"),
)


@dataclass(frozen=True)
class Found:
    kind: str
    total: int
    rows: list[Any]


def search_everything(words: str, *, per_kind: int = 20) -> list[Found]:
    """The best `per_kind` rows of each kind that match `words`, with how many match in all; each row
    carries `search_snippet` as HTML."""
    found = []
    for kind in KINDS:
        rows = matching_rows(kind.model_name)(kind.rows(), words).order_by(f"-{RANK}", "pk")
        shown = list(rows[:per_kind])
        for row in shown:
            setattr(row, SNIPPET, highlighted(getattr(row, SNIPPET)))
        total = len(shown) if len(shown) < per_kind else rows.count()
        found.append(Found(kind.name, total, shown))
    return found
