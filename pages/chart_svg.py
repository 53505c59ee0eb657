"""A chart of the statistics page as an SVG file, drawn on the server from the same spec that
pages/static/pages/charts.js draws in the browser (pages.charts): bars across or up, side by side or
stacked, with the axis, the names of the bars (and their second line, such as n), the legend and the title.
Nothing is fetched: the file is self-contained, and its text is escaped."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

WIDTH = 880
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', sans-serif"
TEXT_COLOUR = "#1b1f24"
GRID_COLOUR = "#c5ccd6"
TITLE_HEIGHT = 40
LEGEND_LINE = 22
BAR = 22  # the thickness of one bar
GAP = 14  # between the bars of two categories
TICKS = 5
LABEL_CHARACTERS = 34  # a bar's name wraps at this many characters beside horizontal bars
LINE = 14  # the height of a line of text
CHARACTER = 7  # about the width of a character of 12-pixel text


@dataclass(frozen=True)
class Box:
    """The plotting area: where the bars and the value axis go."""

    left: float
    top: float
    width: float
    height: float


def _lines(label: Any, characters: int = LABEL_CHARACTERS) -> list[str]:
    """A bar's name as lines of at most `characters`: its name, then its second line (such as n)."""
    parts = label if isinstance(label, list) else [label]
    return [line for part in parts for line in textwrap.wrap(str(part), characters, break_on_hyphens=False)]


def _top_value(spec: dict[str, Any]) -> float:
    if spec.get("percent"):
        return 1.0
    values = [[value or 0 for value in dataset["data"]] for dataset in spec["datasets"]]
    per_category = [sum(column) for column in zip(*values, strict=True)] if spec.get("stacked") else []
    highest = max(per_category or [value for series in values for value in series] or [0])
    return _nice(highest)


def _nice(value: float) -> float:
    """The smallest round number (1, 2 or 5 times a power of ten, times TICKS) at or above value."""
    if value <= 0:
        return 1.0
    step = value / TICKS
    power = 10 ** math.floor(math.log10(step))
    for factor in (1, 2, 5, 10):
        if factor * power >= step:
            return factor * power * TICKS
    return value  # pragma: no cover - factor 10 always reaches the step


def _characters(width: float) -> int:
    """How many characters fit under a vertical bar `width` pixels wide."""
    return max(int(width / CHARACTER) - 1, 6)


def _tick_text(value: float, percent: bool) -> str:
    if percent:
        return f"{round(value * 100)}%"
    return f"{value:g}"


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = 12, weight: str = "400"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}">'
        f"{escape(text)}</text>"
    )


def _rect(x: float, y: float, width: float, height: float, colour: str, title: str) -> str:
    """A bar or a legend's key, named by its title (shown on hover)."""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{max(height, 0):.1f}" '
        f'fill={quoteattr(colour)} stroke="{TEXT_COLOUR}" stroke-width="0.5">'
        f"<title>{escape(title)}</title></rect>"
    )


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{GRID_COLOUR}"/>'


def _segments(spec: dict[str, Any], category: int) -> list[tuple[int, float, float]]:
    """Each bar of a category: its series, where it starts on the value axis, and its value."""
    stacked = bool(spec.get("stacked"))
    segments, base = [], 0.0
    for index, dataset in enumerate(spec["datasets"]):
        value = float(dataset["data"][category] or 0)
        segments.append((index, base if stacked else 0.0, value))
        base += value if stacked else 0.0
    return segments


def _band(spec: dict[str, Any]) -> float:
    """The room of one category down a chart of horizontal bars: its bars, or its name if taller."""
    series = 1 if spec.get("stacked") else len(spec["datasets"])
    lines = max((len(_lines(label)) for label in spec["labels"]), default=1)
    return max(series * BAR, lines * LINE) + GAP


def _across(spec: dict[str, Any], box: Box, top: float) -> list[str]:
    """Horizontal bars: categories down the left, values across."""
    parts, band = [], _band(spec)
    series = 1 if spec.get("stacked") else len(spec["datasets"])
    for category, label in enumerate(spec["labels"]):
        y = box.top + category * band + GAP / 2
        lines = _lines(label)
        first = y + (band - GAP) / 2 - (len(lines) - 1) * LINE / 2 + 4
        parts += [_text(box.left - 8, first + LINE * n, line, anchor="end") for n, line in enumerate(lines)]
        centred = (band - GAP - series * BAR) / 2
        for index, start, value in _segments(spec, category):
            offset = centred + (0 if spec.get("stacked") else index * BAR)
            dataset = spec["datasets"][index]
            parts.append(
                _rect(
                    box.left + start / top * box.width,
                    y + offset,
                    value / top * box.width,
                    BAR - 2,
                    dataset["color"],
                    f"{dataset['label']}: {_tick_text(value, bool(spec.get('percent')))}",
                )
            )
    return parts


def _upward(spec: dict[str, Any], box: Box, top: float) -> list[str]:
    """Vertical bars: categories along the bottom, values up."""
    parts = []
    width = box.width / max(len(spec["labels"]), 1)
    series = 1 if spec.get("stacked") else len(spec["datasets"])
    bar = min(BAR * 2, (width - GAP) / series)
    for category, label in enumerate(spec["labels"]):
        x = box.left + category * width + (width - bar * series) / 2
        for n, line in enumerate(_lines(label, _characters(width))):
            centre = box.left + (category + 0.5) * width
            parts.append(_text(centre, box.top + box.height + 18 + LINE * n, line, anchor="middle"))
        for index, start, value in _segments(spec, category):
            offset = 0 if spec.get("stacked") else index * bar
            dataset = spec["datasets"][index]
            height = value / top * box.height
            bottom = box.top + box.height - start / top * box.height
            parts.append(
                _rect(
                    x + offset,
                    bottom - height,
                    bar - 2,
                    height,
                    dataset["color"],
                    f"{dataset['label']}: {_tick_text(value, bool(spec.get('percent')))}",
                )
            )
    return parts


def _value_axis(spec: dict[str, Any], box: Box, top: float) -> list[str]:
    parts, percent = [], bool(spec.get("percent"))
    for tick in range(TICKS + 1):
        value = top * tick / TICKS
        if spec.get("horizontal"):
            x = box.left + box.width * tick / TICKS
            parts.append(_line(x, box.top, x, box.top + box.height))
            parts.append(_text(x, box.top + box.height + 16, _tick_text(value, percent), anchor="middle"))
        else:
            y = box.top + box.height - box.height * tick / TICKS
            parts.append(_line(box.left, y, box.left + box.width, y))
            parts.append(_text(box.left - 8, y + 4, _tick_text(value, percent), anchor="end"))
    return parts


def _legend(datasets: Sequence[dict[str, Any]], top: float) -> list[str]:
    parts = []
    for index, dataset in enumerate(datasets):
        y = top + index * LEGEND_LINE
        parts.append(_rect(20, y, 14, 14, dataset["color"], str(dataset["label"])))
        parts.append(_text(42, y + 12, str(dataset["label"])))
    return parts


def chart_svg(spec: dict[str, Any], *, title: str) -> str:
    """The chart of `spec` (pages.charts) as a standalone SVG document titled `title`."""
    horizontal = bool(spec.get("horizontal"))
    if horizontal:
        box = Box(
            left=270, top=TITLE_HEIGHT, width=WIDTH - 270 - 30, height=len(spec["labels"]) * _band(spec)
        )
        axis_room = 44.0
    else:
        box = Box(left=70, top=TITLE_HEIGHT + 20, width=WIDTH - 70 - 30, height=300)
        characters = _characters(box.width / max(len(spec["labels"]), 1))
        label_lines = max((len(_lines(label, characters)) for label in spec["labels"]), default=1)
        axis_room = 24.0 + LINE * label_lines
    top = _top_value(spec)
    legend_top = box.top + box.height + axis_room
    height = legend_top + len(spec["datasets"]) * LEGEND_LINE + 10
    bars = _across(spec, box, top) if horizontal else _upward(spec, box, top)
    axis_name = (
        _text(box.left + box.width / 2, box.top + box.height + 32, str(spec["valueAxis"]), anchor="middle")
        if horizontal
        else _text(box.left, box.top - 8, str(spec["valueAxis"]))
    )
    body = "\n".join(
        [
            _text(20, 26, title, size=16, weight="700"),
            *_value_axis(spec, box, top),
            *bars,
            axis_name,
            *_legend(spec["datasets"], legend_top),
        ]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" font-family={quoteattr(FONT)} fill="{TEXT_COLOUR}" role="img">\n'
        f"<title>{escape(title)}</title>\n"
        f'<rect width="100%" height="100%" fill="#ffffff"/>\n{body}\n</svg>\n'
    )
