"""The API's choice fields refuse a value outside their choices naming the valid ones, in a nested
serializer and a multiple choice too (a model's choices and a list's: test_bad_input)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from rrm.api.fields import ChoiceField, MultipleChoiceField


class Colour(serializers.Serializer[Any]):
    name = ChoiceField(choices=["red", "green"])


class Palette(serializers.Serializer[Any]):
    main = Colour()
    others = MultipleChoiceField(choices=["blue", "grey"])


def errors_of(serializer: serializers.Serializer[Any]) -> Any:
    assert not serializer.is_valid()
    return serializer.errors


def test_it_names_the_valid_values_of_a_choice_in_a_nested_serializer() -> None:
    errors = errors_of(Palette(data={"main": {"name": "pink"}, "others": ["blue"]}))

    assert errors == {"main": {"name": ['"pink" is not a valid choice.', "Valid values: red, green."]}}
    assert errors["main"]["name"][0].code == "invalid_choice"


def test_it_names_the_valid_values_of_a_multiple_choice() -> None:
    errors = errors_of(Palette(data={"main": {"name": "red"}, "others": ["blue", "pink"]}))

    assert errors == {"others": ['"pink" is not a valid choice.', "Valid values: blue, grey."]}


def test_it_keeps_the_other_refusals_of_a_choice_as_they_are() -> None:
    errors = errors_of(Palette(data={"main": {}, "others": "blue"}))

    assert errors == {
        "main": {"name": ["This field is required."]},
        "others": ['Expected a list of items but got type "str".'],
    }
