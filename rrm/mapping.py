"""Explicit rules that map the free text of public sources onto the fixed vocabularies of the record.

Pure Python: nothing here touches the database. Every rule is listed, none is inferred, and a text
that no rule covers is reported as unmapped rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from rrm.choices import (
    ANNEX_PARTIES,
    STATES_OF_COUNTRY,
    CanadianProvince,
    Country,
    MexicanState,
    PrioritySubsector,
    Sector,
    USState,
)


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


# Names in use for the states and provinces of the United States and Canada, besides their labels.
_OTHER_ALIASES: dict[str, str] = {
    "washington dc": USState.DC,
    "washington d c": USState.DC,
    "quebec city": CanadianProvince.QC,
    "newfoundland": CanadianProvince.NL,
    "yukon territory": CanadianProvince.YT,
}


def _state_table(country: str) -> dict[str, str]:
    states = STATES_OF_COUNTRY[country]
    table = {_state_key(str(label)): str(code) for code, label in states.choices}
    aliases = _STATE_ALIASES if country == Country.MX else _OTHER_ALIASES
    table.update({_state_key(alias): str(code) for alias, code in aliases.items() if code in states.values})
    # ISO 3166-2 codes, with or without the country prefix ("NLE", "MX-NLE"; "TX", "US-TX").
    for code in states.values:
        table[_state_key(code)] = code
        table[_state_key(f"{country}-{code}")] = code
    return table


STATE_TABLES = {country: _state_table(country) for country in STATES_OF_COUNTRY}


def map_state(text: str, *, country: str = Country.MX) -> str | None:
    """The ISO 3166-2 code (after the country's) of a state, province or federal entity of `country`
    written as in a source, or None if it names none of that country's."""
    return STATE_TABLES[country].get(_state_key(text))


@dataclass(frozen=True)
class Parties:
    complainant: str
    respondent: str


# A case id starting with two Parties' codes names the complaining one first ("us-mx-2021-gm-silao";
# "mx-us-..." when Mexico complains of a U.S. facility under Annex 31-A).
_PARTIES_PREFIX = re.compile(r"^(us|ca|mx)-(us|ca|mx)-")


def map_parties(*, annex: str, case_id: str) -> Parties | None:
    """The complaining and responding Party of a case: from its id's prefix when it has one, else the
    annex's usual direction (31-A: the United States of Mexico; 31-B: Canada of Mexico). None when the
    prefix names Parties the annex does not bind together."""
    usual = ANNEX_PARTIES.get(annex)
    if usual is None:
        return None
    prefix = _PARTIES_PREFIX.match(case_id)
    if prefix is None:
        return Parties(complainant=usual[0], respondent=usual[1])
    complainant, respondent = (code.upper() for code in prefix.groups())
    if complainant == respondent or {complainant, respondent} != set(usual):
        return None
    return Parties(complainant=complainant, respondent=respondent)


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


# A published back-pay figure is a floor when the notes call it one in the same clause as back pay ("the
# back pay is a floor"), or put "more than"/"over" right before a dollar amount ("more than US$600,000").
_FLOOR_WORD = re.compile(r"back ?pay[^.;]*\bfloor\b")
_MORE_THAN_AMOUNT = re.compile(r"\b(?:more than|over)\s+(?:us\s?\$|usd\s?|\$)\s?\d")


def is_backpay_floor(notes: str) -> bool:
    key = normalise(notes.replace("_", " "))
    return bool(_FLOOR_WORD.search(key) or _MORE_THAN_AMOUNT.search(key))
