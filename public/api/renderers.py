"""CSV for every list: `?format=csv` (or Accept: text/csv), with a byte-order mark on `bom=1`.

A list streams every row that matches its filters (public.api.views); a statistics answer renders its
`groups`, any other answer itself, one row each. Columns are flat: nested objects become dotted columns
(facility.state), and a list is one cell, its items joined by '; ' (an object as its name followed by
its other values in brackets: 'Sindicato Minero (union, lead); ...'). Cells are written by
public.spreadsheet, the writer of the bulk export, which keeps a spreadsheet from running a text cell as
a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from rest_framework import renderers, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer

from public.api.filters import valid_values
from public.spreadsheet import SafeCsvWriter

BOM_PARAMETER = "bom"
BYTE_ORDER_MARK = "\ufeff"
BOM_VALUES = {"1": True, "true": True, "0": False, "false": False}
# Bytes gathered before a piece of the stream is sent.
STREAM_PIECE = 64 * 1024


def wants_bom(query: Mapping[str, Any]) -> bool:
    """Whether `bom` asks for a byte-order mark (Excel reads UTF-8 without one as its local encoding)."""
    return BOM_VALUES.get(str(query.get(BOM_PARAMETER, "0")).lower(), False)


def refuse_unknown_bom(query: Mapping[str, Any]) -> None:
    if str(query.get(BOM_PARAMETER, "0")).lower() not in BOM_VALUES:
        raise ValidationError({BOM_PARAMETER: [valid_values(BOM_VALUES)]})


def rows_of(data: Any) -> list[Mapping[str, Any]]:
    if isinstance(data, Mapping):
        for envelope in ("results", "groups", "files"):
            if isinstance(data.get(envelope), list):
                return list(data[envelope])
        return [data]
    if isinstance(data, list):
        return data
    return [{"value": data}]


def readable(value: Any) -> str:
    """A list or object in one cell, for a person to read: a list's items joined by '; ', an object as
    its name with its other values in brackets, or as 'key: value, ...' when it has no name."""
    if isinstance(value, list):
        return "; ".join(readable(item) for item in value)
    if isinstance(value, Mapping):
        shown = {key: readable(item) for key, item in value.items() if item not in (None, "", [])}
        name = shown.pop("name", None)
        if name is None:
            return ", ".join(f"{key}: {item}" for key, item in shown.items())
        return f"{name} ({', '.join(shown.values())})" if shown else name
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def flatten(row: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, value in row.items():
        column = f"{prefix}{name}"
        if isinstance(value, Mapping):
            yield from flatten(value, f"{column}.")
        elif isinstance(value, list):
            yield column, readable(value)
        else:
            yield column, value


def columns_of(serializer: serializers.Serializer, prefix: str = "") -> Iterator[str]:
    """The flat columns of `serializer`'s rows, in its fields' order: a nested object's fields become
    dotted columns; a list, or an object a method builds, is one column."""
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            yield from columns_of(field, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


def csv_lines(columns: Iterable[str], rows: Iterable[Mapping[str, Any]], *, bom: bool) -> Iterator[bytes]:
    """A CSV file in pieces of about STREAM_PIECE bytes: the header, then one line per row (its values
    of `columns`; a column it lacks is blank, a value it has beyond them flattened into its own)."""
    header = list(columns)
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    if bom:
        buffer.write(BYTE_ORDER_MARK)
    writer.writerow(header)
    for row in rows:
        flat = dict(flatten(row))
        writer.writerow(
            flat.get(column) if column in flat else _flat_value(flat, column) for column in header
        )
        if buffer.tell() >= STREAM_PIECE:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _flat_value(flat: Mapping[str, Any], column: str) -> str:
    """A column whose row holds an object a method built (explanation.text): the object in one cell."""
    inner = {name[len(column) + 1 :]: value for name, value in flat.items() if name.startswith(f"{column}.")}
    return readable(inner) if inner else ""


def to_csv(rows: Iterable[Mapping[str, Any]], *, bom: bool = False) -> bytes:
    """Rows of unknown shape: their columns are every column any of them has, in order of appearance."""
    flat = [dict(flatten(row)) for row in rows]
    columns: dict[str, None] = {}
    for row in flat:
        columns.update(dict.fromkeys(row))
    return b"".join(csv_lines(columns, flat, bom=bom))


class JsonText(list[str]):
    """Rows of a page already written as JSON text (public.api.case_rows)."""


class JSONRenderer(renderers.JSONRenderer):
    """DRF's, but rows already written as JSON text are set into the page as they are."""

    def render(self, data: Any, *media_and_context: Any) -> bytes:
        rows = data.get("results") if isinstance(data, Mapping) else None
        if not isinstance(rows, JsonText):
            return super().render(data, *media_and_context)
        envelope = super().render({**data, "results": []}, *media_and_context)
        # The results are the envelope's last field: its last "[]".
        before, after = envelope.rsplit(b"[]", 1)
        return b"".join((before, b"[", ",".join(rows).encode(), b"]", after))


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        request = (renderer_context or {}).get("request")
        bom = request is not None and wants_bom(request.query_params)
        return to_csv(rows_of(data), bom=bom)
