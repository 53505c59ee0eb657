"""CSV that a spreadsheet opens as data: the one writer of the API's `?format=csv` answers and of the
bulk export's CSV files.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula
(`=HYPERLINK(...)` in a facility's name), so it gets a leading apostrophe, as OWASP's CSV injection
guidance says. Numbers are values, never formulas, and are written as they are (-5 stays -5).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeCsvWriter:
    """csv.writer with CRLF line ends whose every cell goes through `cell`."""

    def __init__(self, handle: TextIO) -> None:
        self._writer = csv.writer(handle, lineterminator="\r\n")

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(cell(value) for value in values)
