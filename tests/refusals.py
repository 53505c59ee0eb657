"""One parametrized test for the model-invariant modules: each row of a table, written past model
validation, is refused by the PostgreSQL constraint the row names."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from django.db import IntegrityError

Make = Callable[..., object]
Refusal = tuple[Make, dict[str, object], str]


def constraint_refusals_test(refusals: Sequence[Refusal]) -> Callable[..., None]:
    """The test to bind in a module as `test_it_refuses_a_row_its_constraints_forbid`. A refusal is the
    maker of a row, the fields that break it and the name of the constraint that must refuse it, which is
    also its test id."""

    @pytest.mark.parametrize(
        ("make", "fields", "constraint"),
        [pytest.param(*refusal, id=refusal[2]) for refusal in refusals],
    )
    def test_it_refuses_a_row_its_constraints_forbid(
        make: Make, fields: dict[str, object], constraint: str
    ) -> None:
        with pytest.raises(IntegrityError, match=constraint):
            make(**fields)

    return test_it_refuses_a_row_its_constraints_forbid
