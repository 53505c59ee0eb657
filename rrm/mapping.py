"""Explicit rules that map the free text of public sources onto the fixed vocabularies of the record.

Pure Python: nothing here touches the database. Every rule is listed, none is inferred, and a text
that no rule covers is reported as unmapped rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from rrm.choices import MexicanState, PrioritySubsector, Sector


def normalise(text: str) -> str:
    """Lower-case, accent-free, single-spaced text: 'Nuevo  León ' -> 'nuevo leon'."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(without_accents.casefold().split())


def _state_key(text: str) -> str:
    """State names compare without accents, case, dots, hyphens or extra spaces ('Edo. de México')."""
    return normalise(re.sub(r"[.\-]", " ", text))


# Names in use besides the official ones held in MexicanState's labels. "México" alone is left out on
# purpose: it names both the country and the State of Mexico, so it cannot be mapped safely.
_STATE_ALIASES: dict[str, str] = {
    "cdmx": MexicanState.CMX,
    "mexico city": MexicanState.CMX,
    "distrito federal": MexicanState.CMX,
    "estado de mexico": MexicanState.MEX,
    "edo de mexico": MexicanState.MEX,
    "edomex": MexicanState.MEX,
    "state of mexico": MexicanState.MEX,
    "mexico state": MexicanState.MEX,
    "coahuila de zaragoza": MexicanState.COA,
    "michoacan de ocampo": MexicanState.MIC,
    "veracruz de ignacio de la llave": MexicanState.VER,
    "queretaro de arteaga": MexicanState.QUE,
}


def _state_table() -> dict[str, str]:
    table = {_state_key(str(label)): str(code) for code, label in MexicanState.choices}
    table.update({_state_key(alias): str(code) for alias, code in _STATE_ALIASES.items()})
    # ISO 3166-2:MX codes, with or without the country prefix ("NLE", "MX-NLE").
    for code in MexicanState.values:
        table[_state_key(code)] = code
        table[_state_key(f"MX-{code}")] = code
    return table


STATE_TABLE = _state_table()


def map_state(text: str) -> str | None:
    """ISO 3166-2:MX code of a Mexican federal entity written as in a source, or None if unknown."""
    return STATE_TABLE.get(_state_key(text))


@dataclass(frozen=True)
class SectorMapping:
    sector: str
    subsector: str
    rule: str


def _starts_with(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"^(?:" + "|".join(re.escape(phrase) for phrase in phrases) + r")\b")


def _mentions(*words: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + r")\b")


# Rules in order; the first that matches the normalised text wins. Subsectors are the first priority
# list of 19 U.S.C. §4643; sectors are the Priority Sectors of Annex 31-A (docs/mechanism.md). A leading
# subsector name decides, whatever the parenthesis says: "auto parts (aluminum die casting)" is auto parts.
_SECTOR_RULES: tuple[tuple[re.Pattern[str], SectorMapping], ...] = (
    (
        _starts_with("auto assembly", "automobile assembly", "automotive assembly", "vehicle assembly"),
        SectorMapping(Sector.MANUFACTURING, PrioritySubsector.AUTO_ASSEMBLY, "starts with 'auto assembly'"),
    ),
    # Glass, castings or pipes made for vehicles are auto parts.
    (
        _starts_with("auto parts", "autoparts", "automotive parts", "auto glass", "auto components"),
        SectorMapping(
            Sector.MANUFACTURING, PrioritySubsector.AUTO_PARTS, "starts with 'auto parts' or 'auto glass'"
        ),
    ),
    (
        _starts_with("aerospace"),
        SectorMapping(Sector.MANUFACTURING, PrioritySubsector.AEROSPACE, "starts with 'aerospace'"),
    ),
    (
        _starts_with("industrial bakeries", "industrial bakery"),
        SectorMapping(
            Sector.MANUFACTURING, PrioritySubsector.INDUSTRIAL_BAKERIES, "starts with 'industrial bakeries'"
        ),
    ),
    (
        _starts_with("electronics"),
        SectorMapping(Sector.MANUFACTURING, PrioritySubsector.ELECTRONICS, "starts with 'electronics'"),
    ),
    (
        _starts_with("call center", "call centers", "call centre", "call centres", "contact center"),
        SectorMapping(Sector.SERVICES, PrioritySubsector.CALL_CENTERS, "starts with 'call center'"),
    ),
    (
        _starts_with("mining", "mine"),
        SectorMapping(Sector.MINING, PrioritySubsector.MINING, "starts with 'mining'"),
    ),
    (
        _starts_with("steel", "aluminum", "aluminium"),
        SectorMapping(
            Sector.MANUFACTURING, PrioritySubsector.STEEL_ALUMINUM, "starts with 'steel' or 'aluminum'"
        ),
    ),
    # Services outside the §4643 list (e.g. air cargo) keep the sector and no subsector.
    (_starts_with("services", "service"), SectorMapping(Sector.SERVICES, "", "starts with 'services'")),
    # Manufactured goods outside the §4643 list: the text says 'manufacturing', or names one of
    # these manufacturing industries. Anything else (e.g. agriculture) is reported, not guessed.
    (
        _mentions("manufacturing", "manufacturer", "manufactured", "manufacture"),
        SectorMapping(Sector.MANUFACTURING, "", "mentions 'manufacturing'"),
    ),
    (
        _starts_with("glass", "garments", "garment", "apparel", "textiles", "tires", "tyres", "ammunition"),
        SectorMapping(
            Sector.MANUFACTURING,
            "",
            "starts with a manufacturing industry (glass, garments, apparel, textiles, tires, ammunition)",
        ),
    ),
)


def map_sector(text: str) -> SectorMapping | None:
    """Priority Sector and subsector of a sector written as in a source, or None if no rule applies."""
    key = normalise(text.replace("-", " "))
    return next((mapping for pattern, mapping in _SECTOR_RULES if pattern.search(key)), None)


MexicoAnswer = Literal["accepted", "declined"]

_ACCEPTED = re.compile(r"\baccepted\b")
_DECLINED = re.compile(r"\bdeclined\b")


def read_mexico_response(text: str) -> MexicoAnswer | None:
    """'accepted' or 'declined' when the reported response says exactly one of the two words, else None."""
    key = normalise(text)
    accepted = bool(_ACCEPTED.search(key))
    declined = bool(_DECLINED.search(key))
    if accepted and not declined:
        return "accepted"
    if declined and not accepted:
        return "declined"
    return None


# A published back-pay figure is a floor when the notes call it one in the same clause as back pay
# ("backpay_usd is a floor"), or put "more than"/"over" right before a dollar amount ("more than US$600,000").
_FLOOR_WORD = re.compile(r"back ?pay[^.;]*\bfloor\b")
_MORE_THAN_AMOUNT = re.compile(r"\b(?:more than|over)\s+(?:us\s?\$|usd\s?|\$)\s?\d")


def is_backpay_floor(notes: str) -> bool:
    key = normalise(notes.replace("_", " "))
    return bool(_FLOOR_WORD.search(key) or _MORE_THAN_AMOUNT.search(key))
