"""The API's choice fields, which refuse a value outside their choices naming the valid ones (DRF's name
only the value refused), and the model serializer whose fields for a model's choices are these.

Every serializer of the project builds on them: ruff's banned-api rule refuses DRF's own.
"""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

from django.db import models
from django.utils.translation import gettext
from rest_framework import exceptions, serializers

_Model = TypeVar("_Model", bound=models.Model)


class ChoiceField(serializers.ChoiceField):
    def fail(self, key: str, **kwargs: Any) -> NoReturn:
        if key != "invalid_choice":
            super().fail(key, **kwargs)
        valid = ", ".join(str(value) for value in self.choices)
        refused = self.error_messages[key].format(**kwargs)
        raise exceptions.ValidationError(
            [refused, gettext("Valid values: %(values)s.") % {"values": valid}], code=key
        )


class MultipleChoiceField(ChoiceField, serializers.MultipleChoiceField):
    """Each value of the list is checked by ChoiceField's refusal above."""


class ModelSerializer(serializers.ModelSerializer[_Model]):
    serializer_choice_field = ChoiceField
