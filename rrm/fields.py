"""Column and constraint builders shared by the models of every app: each kind of column declared once."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, Unpack

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from rrm.choices import values_of

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_Model = TypeVar("_Model", bound=models.Model)


class ChoiceColumnOptions(TypedDict, total=False):
    """What a choice column may add to its vocabulary, length and help text."""

    blank: bool
    db_index: bool


def choice_field(
    vocabulary: type[models.TextChoices],
    *,
    help_text: str,
    max_length: int | None = None,
    default: object = models.NOT_PROVIDED,
    **options: Unpack[ChoiceColumnOptions],
) -> models.CharField[str, str]:
    """A column holding one value of a vocabulary; pair it with `in_vocabulary` so the database agrees.
    Without `max_length` it is exactly as wide as the longest value, as a vocabulary of codes (a language,
    a country, an annex) wants: a longer code added to it shows as a migration. A default is the
    database's default too, so rows written in SQL (bulk loads, benchmarks) get it."""
    return models.CharField(
        max_length=max_length or max(len(value) for value in values_of(vocabulary)),
        help_text=help_text,
        choices=vocabulary.choices,
        default=default,
        db_default=default,
        **options,
    )


def optional_date(*, help_text: str, db_index: bool = False) -> models.DateField[date | None, date | None]:
    """The date of a step that may not have happened yet, or that the sources do not give."""
    return models.DateField(null=True, blank=True, db_index=db_index, help_text=help_text)


def in_vocabulary(
    field: str, vocabulary: type[models.TextChoices], *, name: str, blank: bool = False
) -> models.CheckConstraint:
    """The database's half of a choice column: the vocabulary's values, and "" where blank is allowed."""
    allowed = [*values_of(vocabulary), ""] if blank else values_of(vocabulary)
    return models.CheckConstraint(condition=Q(**{f"{field}__in": allowed}), name=name)


def date_not_before(later: str, earlier: str, *, name: str) -> models.CheckConstraint:
    """The database's rule that date column `later` is not before column `earlier` once both are known."""
    return models.CheckConstraint(
        condition=Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)}),
        name=name,
    )


def protected_reference(
    to: type[_Model], *, related_name: str, help_text: str
) -> models.ForeignKey[_Model, _Model]:
    """A row that cannot be without `to`, and keeps it: `to` cannot be deleted while the row exists."""
    return models.ForeignKey(to, on_delete=models.PROTECT, related_name=related_name, help_text=help_text)


def optional_reference(
    to: type[_Model], *, related_name: str, help_text: str
) -> models.ForeignKey[_Model | None, _Model | None]:
    """A row that may refer to `to` and keeps it: `to` cannot be deleted while the row refers to it."""
    return models.ForeignKey(
        to, null=True, blank=True, on_delete=models.PROTECT, related_name=related_name, help_text=help_text
    )


def owner(to: type[_Model], *, related_name: str, help_text: str) -> models.ForeignKey[_Model, _Model]:
    """A row that belongs to `to` and goes with it when it is deleted."""
    return models.ForeignKey(to, on_delete=models.CASCADE, related_name=related_name, help_text=help_text)


def optional_owner(to: Any, *, related_name: str, help_text: str) -> models.ForeignKey[Any, Any]:
    """A row that may belong to `to` and goes with it when it is deleted."""
    return models.ForeignKey(
        to, null=True, blank=True, on_delete=models.CASCADE, related_name=related_name, help_text=help_text
    )


def user_reference(*, help_text: str) -> models.ForeignKey[User | None, User | None]:
    """Who did something: kept as a link while the account exists, left empty when it is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )
