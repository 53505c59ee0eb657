"""The parties and facilities of a row: who complains of whom, and every facility the case covers.

A case covering several facilities lists them separated by `;` in facility_name; company, city and
state give one value for all of them or one per facility, in the same order (docs/import_cases.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from importer.format import ListedFacility
from rrm.choices import ANNEX_PARTIES, Country
from rrm.mapping import Parties, map_parties, map_state

if TYPE_CHECKING:
    from importer.reading import RowReader

LIST_SEPARATOR = ";"
# What a state must be where the responding Party's facilities are.
STATE_OF: dict[str, str] = {
    Country.MX: "a Mexican federal entity (e.g. 'Nuevo León' or 'NLE')",
    Country.US: "a U.S. state (e.g. 'Texas' or 'TX')",
    Country.CA: "a Canadian province or territory (e.g. 'Ontario' or 'ON')",
}


def check_parties(reader: RowReader, *, annex: str, case_id: str) -> Parties | None:
    """The row's complaining and responding Party; None, with an error, when its id's prefix names
    Parties its annex does not bind together (a blank or unknown annex is reported by its own check)."""
    if annex not in ANNEX_PARTIES:
        return None
    parties = map_parties(annex=annex, case_id=case_id)
    if parties is None:
        bound = " and ".join(str(Country(party).label) for party in ANNEX_PARTIES[annex])
        reader.error("case_id", f"{case_id!r} names Parties that annex {annex} does not bind ({bound})")
    return parties


def _split(reader: RowReader, column: str, *, count: int, max_length: int) -> list[str] | None:
    """The column's values, one per facility (a single value stands for all of them); None, with an
    error, when it gives another number of values."""
    values = [value.strip() for value in reader.text(column).split(LIST_SEPARATOR)]
    if len(values) == 1:
        values *= count
    elif len(values) != count:
        reader.error(
            column, f"gives {len(values)} values for {count} facilities; give one for all, or one each"
        )
        return None
    for value in values:
        if len(value) > max_length:
            reader.error(column, f"{value[:40]!r}... is longer than {max_length} characters")
    return values


def _checked_state(reader: RowReader, written: str, *, country: str) -> str:
    if not written:
        reader.error("state", "is blank; it is required for every facility")
        return ""
    code = map_state(written, country=country)
    if code is None:
        reader.error("state", f"{written!r} is not {STATE_OF[country]}")
        return ""
    return code


def _check_names(reader: RowReader, names: list[str], *, companies: list[str] | None) -> None:
    for name in names:
        if not name:
            reader.error("facility_name", "lists a blank facility between ';'")
        elif len(name) > 255:
            reader.error("facility_name", f"{name[:40]!r}... is longer than 255 characters")
    if companies is None:
        return
    if not all(companies):
        reader.error("company", "lists a blank company between ';'")
    keys = {(company.casefold(), name.casefold()) for company, name in zip(companies, names, strict=True)}
    if len(keys) < len(names):
        reader.error("facility_name", "lists a facility of one company twice")


def check_facilities(reader: RowReader, *, country: str) -> tuple[ListedFacility, ...]:
    """Every facility the row lists, each in `country` (the responding Party's); the problems of its
    cells are recorded by `reader`, and a row whose lists do not agree lists none."""
    if not reader.text("facility_name", required=True) or not reader.text("company", required=True):
        return ()
    names = [name.strip() for name in reader.text("facility_name").split(LIST_SEPARATOR)]
    columns = {
        column: _split(reader, column, count=len(names), max_length=max_length)
        for column, max_length in (("company", 255), ("city", 120), ("state", 255))
    }
    problems = len(reader.parsed.errors)
    _check_names(reader, names, companies=columns["company"])
    companies, cities, states = columns["company"], columns["city"], columns["state"]
    if companies is None or cities is None or states is None or len(reader.parsed.errors) > problems:
        return ()
    return tuple(
        ListedFacility(
            name=name,
            company=company,
            city=city,
            state=_checked_state(reader, state, country=country),
            country=country,
        )
        for name, company, city, state in zip(names, companies, cities, states, strict=True)
    )
