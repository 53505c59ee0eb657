"""`q`, the full-text search filter of the public lists (public.search): its words, their limits, and
the schema that describes them."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field

from public import search


class SearchWordsField(forms.CharField):
    """Words to search for: given, not blank, at most search.MAX_LENGTH characters."""

    def clean(self, value: Any) -> str | None:
        if value is None:
            return None
        words = str(super().clean(value))  # stripped, and refused if it holds a NUL character
        if not words:
            raise forms.ValidationError("Give words to search for, e.g. q=Tridonex; q may not be empty.")
        if len(words) > search.MAX_LENGTH:
            raise forms.ValidationError(
                f"Search at most {search.MAX_LENGTH} characters; this q has {len(words)}."
            )
        return words

    @staticmethod
    def takes() -> str:
        return _("Format: words to search for, %(low)d to %(high)d characters.") % {
            "low": 1,
            "high": search.MAX_LENGTH,
        }


SEARCH_HELP = (
    "Words to search for, in Spanish or English, accents optional (web search syntax: "
    '"a phrase", or, -word); the list is then ordered by relevance and each row has a snippet.'
)


# The schema of an overridden filter takes its description from here, not from the label.
@extend_schema_field(
    {"type": "string", "minLength": 1, "maxLength": search.MAX_LENGTH, "description": SEARCH_HELP}
)
class SearchFilter(django_filters.CharFilter):  # free text: any words are a search
    field_class = SearchWordsField


def search_filter(model: type[Model]) -> django_filters.Filter:
    """`q`: rows of `model` matching the words (public.search), ranked; the list is then ordered by rank."""

    def by_words(queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search.matching_rows(model._meta.model_name or "")(queryset, value)

    return SearchFilter(method=by_words, label=SEARCH_HELP)
