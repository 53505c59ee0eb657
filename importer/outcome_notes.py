"""What a note states of a remediation outcome, read only where it states it in a clear pattern.

Every pattern here is exercised on the real notes of data/ by tests/importer/test_outcome_notes.py;
anything a note does not state in one of them is left unknown, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from remediation.models import CountQualifier, PaymentKind, UnionVoteKind

NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "one two three four five six seven eight nine ten eleven twelve".split(), start=1
    )
}
# A count as a note writes it: "1,547", "26", or a word up to twelve.
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + "|".join(NUMBER_WORDS) + ")"
# A run of capitalised words: a union's name ("SINTTIA", "Liga Sindical Obrera Mexicana", "Los Mineros").
UNION = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*"
WORKERS = r"(?:workers?|pilots?)"


def number(text: str) -> int:
    word = text.lower()
    return NUMBER_WORDS[word] if word in NUMBER_WORDS else int(text.replace(",", ""))


def _first(patterns: tuple[re.Pattern[str], ...], text: str, group: str) -> str | None:
    for pattern in patterns:
        found = pattern.search(text)
        if found is not None:
            return found.group(group)
    return None


def _count(patterns: tuple[re.Pattern[str], ...], text: str, group: str) -> int | None:
    found = _first(patterns, text, group)
    return None if found is None else number(found)


# --------------------------------------------------------------------------------------------------
# Votes

_REPRESENTATION = re.compile(r"\brepresentation vote\b|\belected\b", re.IGNORECASE)
_LEGITIMATION = re.compile(r"\blegitimation\b", re.IGNORECASE)
_WINNER = (
    re.compile(rf"\belected (?P<union>{UNION})"),
    re.compile(rf"(?P<union>{UNION}) (?:won|defeated)\b"),
)
_AGAINST_FOR = re.compile(rf"(?P<against>{NUMBER}) against, (?P<for>{NUMBER}) for\b")
_FOR_AGAINST = re.compile(rf"(?P<for>{NUMBER}) for, (?P<against>{NUMBER}) against\b")
_WON_VOTES = re.compile(rf"\bwon (?P<for>{NUMBER}) of {NUMBER} valid votes\b")
_ELIGIBLE = (
    re.compile(rf"\((?P<eligible>{NUMBER}) eligible\)"),
    re.compile(rf"\b{NUMBER} of (?P<eligible>{NUMBER}) voted\b"),
)


@dataclass(frozen=True)
class VoteFacts:
    kind: str
    winning_union: str
    votes_for: int | None
    votes_against: int | None
    eligible: int | None


def vote_kind(note: str) -> str:
    """Representation when the note says "representation vote" or that workers elected a union;
    legitimation when it says "legitimation"; other when it says neither, or both."""
    representation = bool(_REPRESENTATION.search(note))
    legitimation = bool(_LEGITIMATION.search(note))
    if representation == legitimation:
        return UnionVoteKind.OTHER
    return UnionVoteKind.REPRESENTATION if representation else UnionVoteKind.LEGITIMATION


def read_vote(note: str) -> VoteFacts:
    split = _AGAINST_FOR.search(note) or _FOR_AGAINST.search(note)
    return VoteFacts(
        kind=vote_kind(note),
        winning_union=_first(_WINNER, note, "union") or "",
        votes_for=number(split.group("for")) if split else _count((_WON_VOTES,), note, "for"),
        votes_against=number(split.group("against")) if split else None,
        eligible=_count(_ELIGIBLE, note, "eligible"),
    )


# --------------------------------------------------------------------------------------------------
# Reinstatements

_REINSTATED = (
    re.compile(rf"\breinstated (?P<n>{NUMBER})(?: \w+){{0,2}} {WORKERS}\b", re.IGNORECASE),
    re.compile(rf"\b(?P<n>{NUMBER})(?: \w+){{0,3}} {WORKERS}(?: \w+){{0,4}} reinstated\b", re.IGNORECASE),
    re.compile(rf"\breinstated\b[^;.]*\((?P<n>\d+) {WORKERS}\)", re.IGNORECASE),
)


def reinstated_workers(note: str) -> int | None:
    """The number of workers the note says were reinstated ("reinstated three dismissed workers",
    "Two workers ... reinstated", "reinstated ... (1 worker)"); an offer or a duty to rehire is not one."""
    return _count(_REINSTATED, note, "n")


# --------------------------------------------------------------------------------------------------
# Payments

CURRENCY_OF_MARK = {"US$": "USD", "USD": "USD", "MXN": "MXN", "MX$": "MXN", "CAD": "CAD", "C$": "CAD"}
_AMOUNT = re.compile(
    r"(?P<floor>\b(?:more than|over) )?(?P<mark>US\$|USD|MXN|MX\$|CAD|C\$) ?"
    r"(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)\b",
    re.IGNORECASE,
)
# A clause ends at a semicolon or at a full stop before the next sentence.
_CLAUSES = re.compile(r";\s*|\.\s+(?=[A-Z])")
_BACK_PAY = re.compile(r"\bback ?pay\b|\bback wages\b|\bbackpay\b", re.IGNORECASE)
_SEVERANCE = re.compile(r"\bseverance\b", re.IGNORECASE)


@dataclass(frozen=True)
class StatedAmount:
    kind: str
    amount: Decimal
    currency: str
    is_floor: bool
    clause: str


def payment_kind(clause: str) -> str:
    """Back pay or severance when the amount's clause names exactly one of them; else another payment."""
    back_pay = bool(_BACK_PAY.search(clause))
    severance = bool(_SEVERANCE.search(clause))
    if back_pay == severance:
        return PaymentKind.OTHER
    return PaymentKind.BACK_PAY if back_pay else PaymentKind.SEVERANCE


def stated_amounts(text: str) -> list[StatedAmount]:
    """Each amount with its currency mark ("US$ 1,234", "MXN 5,000"; a bare "$" names no currency),
    its "more than", and the kind its clause names."""
    amounts = []
    for clause in _CLAUSES.split(text):
        for found in _AMOUNT.finditer(clause):
            amounts.append(
                StatedAmount(
                    kind=payment_kind(clause),
                    amount=Decimal(found.group("amount").replace(",", "")),
                    currency=CURRENCY_OF_MARK[found.group("mark").upper()],
                    is_floor=found.group("floor") is not None,
                    clause=clause.strip().rstrip("."),
                )
            )
    return amounts


# --------------------------------------------------------------------------------------------------
# The workers a case covers

QUALIFIER_OF_WORD = {
    "more than": CountQualifier.OVER,
    "over": CountQualifier.OVER,
    "about": CountQualifier.ABOUT,
    "approximately": CountQualifier.ABOUT,
    "some": CountQualifier.ABOUT,
}
_COVERED = re.compile(
    rf"Workers covered: '?(?:(?P<word>{'|'.join(QUALIFIER_OF_WORD)}) )?(?P<n>{NUMBER})[^;.]*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StatedCount:
    qualifier: str
    clause: str


def covered_count(notes: str, count: int) -> StatedCount:
    """How exact the cases file's workers_covered is, by what its notes quote of it
    ("Workers covered: 'over 6,000'"); as stated when they quote no other word or another number."""
    found = _COVERED.search(notes)
    if found is None or number(found.group("n")) != count:
        return StatedCount(CountQualifier.EXACT, "")
    word = (found.group("word") or "").lower()
    return StatedCount(QUALIFIER_OF_WORD.get(word, CountQualifier.EXACT), found.group(0).strip())
