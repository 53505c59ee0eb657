"""The API's JSON parser: DRF's, refusing with a 400 a body nested deeper than MAX_DEPTH before it is
decoded. Python's decoder recurses once per level, so 100,000 `[` would exhaust the stack (a 500)."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Arrays and objects inside one another; the API's deepest body has four.
MAX_DEPTH = 64
# A string, up to its closing quote or the end of the text. Possessive repeats never backtrack, so
# removing the strings takes one pass over the text whatever it holds.
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")


def nested_deeper_than(text: str, limit: int) -> bool:
    """Whether the JSON text opens more than `limit` arrays or objects inside one another (brackets in
    strings do not count). A closing bracket with nothing open ends the count: the text is malformed,
    and the decoder says where."""
    depth = 0
    for bracket in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
            if depth < 0:
                return False
    return False


class DepthLimitedJSONParser(JSONParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        body = stream.read()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        if nested_deeper_than(body.decode(encoding, errors="replace"), MAX_DEPTH):
            raise ParseError(f"JSON parse error - arrays and objects nested deeper than {MAX_DEPTH} levels.")
        return super().parse(io.BytesIO(body), media_type, parser_context)
