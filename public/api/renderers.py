"""CSV for every list: `?format=csv` (or Accept: text/csv).

A list answer renders its `results` (a statistics answer its `groups`) one row each; nested objects
become dotted columns (facility.state), lists of values are joined with '; ', lists of objects are
written as JSON in their cell. Cells are written by public.spreadsheet, which keeps a spreadsheet from
running a text cell as a formula.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from rest_framework.renderers import BaseRenderer

from public.spreadsheet import SafeCsvWriter


def rows_of(data: Any) -> list[Mapping[str, Any]]:
    if isinstance(data, Mapping):
        for envelope in ("results", "groups", "files"):
            if isinstance(data.get(envelope), list):
                return list(data[envelope])
        return [data]
    if isinstance(data, list):
        return data
    return [{"value": data}]


def flatten(row: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, value in row.items():
        column = f"{prefix}{name}"
        if isinstance(value, Mapping):
            yield from flatten(value, f"{column}.")
        elif isinstance(value, list):
            if all(not isinstance(item, Mapping | list) for item in value):
                yield column, "; ".join("" if item is None else str(item) for item in value)
            else:
                yield column, json.dumps(value, ensure_ascii=False, default=str)
        else:
            yield column, value


def to_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    flat = [dict(flatten(row)) for row in rows]
    columns: dict[str, None] = {}
    for row in flat:
        columns.update(dict.fromkeys(row))
    output = io.StringIO()
    writer = SafeCsvWriter(output)
    writer.writerow(columns)
    for row in flat:
        writer.writerow(row.get(column) for column in columns)
    return output.getvalue()


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
        return to_csv(rows_of(data)).encode(self.charset)
