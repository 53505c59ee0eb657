"""What full-text search reads of each row: the public text columns of a model, each with its weight.

Each searchable model keeps a generated `search_vector` column (GeneratedField, GIN-indexed) built from
the declaration here in both of the project's text search configurations, so that a search never
recomputes a vector per row. The configurations `rrm_es` and `rrm_en` (migration
0016_full_text_search) are PostgreSQL's `spanish` and `english` with `unaccent` before the stemmer:
'Síndicato' and 'sindicato' give the same lexeme. Only public columns are declared here; a
confidential petitioner, a petition, a note or a confidential document's row is never searched
(public.search filters documents on `confidential`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from typing import Literal

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Case as Choose
from django.db.models import Expression, Value, When

from rrm.choices import STATES_OF_COUNTRY

# The two configurations every vector and query uses, Spanish first.
CONFIGURATIONS = ("rrm_es", "rrm_en")
# A: names and titles; B: summaries and descriptions; C: other public text (places, sources).
Weight = Literal["A", "B", "C"]
Searched = tuple[tuple[str | Expression, Weight], ...]


def state_name(field: str = "state") -> Choose:
    """The name of the state, province or entity whose code `field` holds ('' for none)."""
    names = {code: label for states in STATES_OF_COUNTRY.values() for code, label in states.choices}
    return Choose(
        *(When(**{field: code}, then=Value(str(name))) for code, name in sorted(names.items())),
        default=Value(""),
        output_field=models.TextField(),
    )


# What each model's vector holds, by model name. public.search reads the same columns for snippets.
SEARCHED: dict[str, Searched] = {
    "case": (
        ("title", "A"),
        ("case_id", "A"),
        ("summary_en", "B"),
        ("summary_es", "B"),
        ("mexico_response", "C"),
    ),
    "facility": (("name", "A"), ("city", "C"), (state_name(), "C"), ("sector_reported", "C")),
    "company": (("name", "A"),),
    "timelineevent": (("description", "B"), ("source_note", "C")),
    "document": (("title", "A"),),
}


def weighted_vector(searched: Searched) -> Expression:
    """setweight(to_tsvector(...)) of every column in both configurations, concatenated."""
    parts: Iterable[Expression] = (
        SearchVector(column, config=configuration, weight=weight)
        for column, weight in searched
        for configuration in CONFIGURATIONS
    )
    return reduce(lambda left, right: left + right, parts)


def search_vector_field(model_name: str) -> models.GeneratedField:
    """The generated, stored tsvector of `model_name`'s declared columns."""
    return models.GeneratedField(
        expression=weighted_vector(SEARCHED[model_name]),
        output_field=SearchVectorField(),
        db_persist=True,
        help_text="Full-text search vector of the public text columns (rrm.search), kept by PostgreSQL.",
    )


def search_index(model_name: str) -> GinIndex:
    return GinIndex(fields=["search_vector"], name=f"{model_name}_search_idx")
