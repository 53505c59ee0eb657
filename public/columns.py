"""Every column of the public record, declared once per table in columns.toml beside this module.

The case allowlist of public.selectors, the case serializers of the API (and so their OpenAPI field
docs in English and Spanish and ?format=csv columns), the bulk export's CSV files and SQLite tables,
and the Datasette metadata are derived from these declarations. Adding a public case column is one
line in the cases table of columns.toml plus its model migration. Nothing that is not declared there
is shown.
"""

from __future__ import annotations

import tomllib
from dataclasses import KW_ONLY, dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from django.db import models

from rrm.choices import CaseRecordBasis, Country, Outcome, Stage


class Kind(Enum):
    """What a column holds."""

    TEXT = "text"
    SLUG = "slug"
    INTEGER = "integer"
    MONEY = "money"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    # Built by the API serializer from the row (a link, a nested object); never exported.
    COMPUTED = "computed"

    @property
    def sqlite_type(self) -> str:
        return SQLITE_TYPES[self]


# Dates and times are stored as ISO 8601 text, booleans as 1/0.
SQLITE_TYPES = {
    Kind.TEXT: "TEXT",
    Kind.SLUG: "TEXT",
    Kind.INTEGER: "INTEGER",
    Kind.MONEY: "REAL",
    Kind.BOOLEAN: "INTEGER",
    Kind.DATE: "TEXT",
    Kind.DATETIME: "TEXT",
}


class Api(Enum):
    """Where the API shows a column: in every row of a list, only on the page of one row, or nowhere."""

    LIST = "list"
    DETAIL = "detail"
    NONE = "none"


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    description_es: str
    _: KW_ONLY
    kind: Kind
    # The ORM path read; the name when blank. An annotation name when the table's queryset adds it.
    source: str = ""
    null: bool = False
    references: str = ""
    choices: type[models.TextChoices] | None = None
    api: Api = Api.LIST
    export: bool = True
    # In the SQLite file: the table's primary key; a column with an index (one people filter by).
    key: bool = False
    indexed: bool = False

    @property
    def path(self) -> str:
        return self.source or self.name

    def description_in(self, language: str | None) -> str:
        """The description in Spanish for any Spanish `language` (es, es-mx), else in English (also when
        translation is off: no language)."""
        return self.description_es if (language or "").split("-")[0] == "es" else self.description


# Compared and hashed by identity: a table is one entry of the registry, and what is cached per table
# (the case list's compiled statement) would otherwise hash every column at each request.
@dataclass(frozen=True, eq=False)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def indexes(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.indexed)

    @property
    def exported(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.export)

    def shown(self, *levels: Api) -> tuple[Column, ...]:
        """The columns the API shows at `levels`, level by level, each in declared order."""
        return tuple(column for level in levels for column in self.columns if column.api == level)


REGISTRY = Path(__file__).with_name("columns.toml")
# The vocabularies a column's `choices` may name.
VOCABULARIES: dict[str, type[models.TextChoices]] = {
    "Stage": Stage,
    "Outcome": Outcome,
    "Country": Country,
    "CaseRecordBasis": CaseRecordBasis,
}


def column_from(declared: dict[str, Any], templates: dict[str, dict[str, Any]]) -> Column:
    """The column a registry entry declares; an unknown key or value fails at import."""
    entry = dict(declared)
    if "template" in entry:
        entry = {**templates[entry.pop("template")], **entry}
    vocabulary = entry.pop("choices", None)
    return Column(
        entry.pop("name"),
        entry.pop("en"),
        entry.pop("es"),
        kind=Kind(entry.pop("kind")),
        api=Api(entry.pop("api", Api.LIST.value)),
        choices=None if vocabulary is None else VOCABULARIES[vocabulary],
        **entry,
    )


def load_registry() -> dict[str, Table]:
    with REGISTRY.open("rb") as handle:
        declared = tomllib.load(handle)
    templates = declared["templates"]
    return {
        name: Table(
            name, table["description"], tuple(column_from(entry, templates) for entry in table["columns"])
        )
        for name, table in declared["tables"].items()
    }


TABLES = load_registry()


def __getattr__(name: str) -> Table:
    """A table of the registry by its name in capitals: columns.CASES, columns.EVENTS, ..."""
    try:
        return TABLES[name.lower()]
    except KeyError:
        raise AttributeError(name) from None
