"""Free-text states, sectors, Mexico's answers and back-pay floors map by explicit rules only."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rrm.choices import MexicanState, PrioritySubsector, Sector
from rrm.mapping import is_backpay_floor, map_sector, map_state, normalise, read_mexico_response

SHIPPED_CASES = Path(__file__).resolve().parents[2] / "data" / "cases.csv"


def test_it_normalises_accents_case_and_spaces() -> None:
    assert normalise("  Nuevo   LEÓN\t") == "nuevo leon"


# How the sources write each state, by the state's ISO code.
STATE_SPELLINGS = {
    MexicanState.CMX: ["Ciudad de México", "Mexico City", "CDMX"],
    MexicanState.MEX: ["Estado de México", "Edo. de México"],
    MexicanState.NLE: ["Nuevo León", "Nuevo Leon", " nuevo  LEÓN ", "MX-NLE"],
    MexicanState.SLP: ["San Luis Potosí"],
    MexicanState.QUE: ["Querétaro"],
    MexicanState.COA: ["Coahuila de Zaragoza"],
    MexicanState.ZAC: ["zac"],
}


@pytest.mark.parametrize(
    ("written", "code"),
    [(written, code) for code, spellings in STATE_SPELLINGS.items() for written in spellings],
)
def test_it_maps_state_names_as_sources_write_them(written: str, code: str) -> None:
    assert map_state(written) == code


def test_it_maps_every_official_state_name_to_its_iso_code() -> None:
    assert {code: map_state(str(label)) for code, label in MexicanState.choices} == {
        code: code for code in MexicanState.values
    }


@pytest.mark.parametrize("written", ["México", "Mexico", "Texas", "Nuevo", "Baja", ""])
def test_it_leaves_ambiguous_or_unknown_states_unmapped(written: str) -> None:
    assert map_state(written) is None


# What the sources report, by the sector and Priority subsector it maps to (blank: none of Annex 31-A).
SECTOR_SPELLINGS = {
    (Sector.MANUFACTURING, PrioritySubsector.AUTO_ASSEMBLY): ["auto assembly"],
    (Sector.MANUFACTURING, PrioritySubsector.AUTO_PARTS): [
        "Auto parts",
        "auto-parts (interior trim)",
        "auto parts (aluminum die casting)",
        "auto glass",
    ],
    (Sector.MINING, PrioritySubsector.MINING): ["mining (lead, zinc, copper)"],
    (Sector.MANUFACTURING, PrioritySubsector.STEEL_ALUMINUM): [
        "aluminum",
        "steel components (heavy equipment)",
    ],
    (Sector.SERVICES, PrioritySubsector.CALL_CENTERS): ["call center"],
    (Sector.MANUFACTURING, PrioritySubsector.ELECTRONICS): ["electronics (televisions)"],
    (Sector.MANUFACTURING, PrioritySubsector.AEROSPACE): ["aerospace"],
    (Sector.MANUFACTURING, PrioritySubsector.INDUSTRIAL_BAKERIES): ["industrial bakeries"],
    (Sector.SERVICES, ""): ["services (air cargo)"],
    (Sector.MANUFACTURING, ""): ["glass (decorative door glass)", "wine (cava) manufacturing", "garments"],
}


@pytest.mark.parametrize(
    ("reported", "sector", "subsector"),
    [(reported, *mapped) for mapped, spellings in SECTOR_SPELLINGS.items() for reported in spellings],
)
def test_it_maps_sectors_by_explicit_rules(reported: str, sector: str, subsector: str) -> None:
    mapping = map_sector(reported)

    assert mapping is not None
    assert (mapping.sector, mapping.subsector) == (sector, subsector)


@pytest.mark.parametrize("reported", ["agriculture (berries)", "retail", "logistics", "minerals trading"])
def test_it_leaves_sectors_no_rule_covers_unmapped(reported: str) -> None:
    assert map_sector(reported) is None


def test_it_maps_every_sector_of_the_shipped_cases() -> None:
    with SHIPPED_CASES.open(encoding="utf-8") as handle:
        reported = {row["sector"] for row in csv.DictReader(handle) if row["sector"]}

    assert reported
    assert [text for text in sorted(reported) if map_sector(text) is None] == []


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("accepted review; denial of rights addressed via course of remediation", "accepted"),
        ("accepted; STPS investigation (Dec 2024) found interference", "accepted"),
        ("declined review (not covered; conduct pre-dated USMCA)", "declined"),
        ("Declined", "declined"),
        ("found no elements of a denial of rights", None),
        ("not applicable (no request sent); Mexico assisted fair election", None),
        ("accepted in part, declined in part", None),
        ("", None),
    ],
)
def test_it_reads_mexico_response_only_when_it_says_accepted_or_declined(
    text: str, answer: str | None
) -> None:
    assert read_mexico_response(text) == answer


@pytest.mark.parametrize(
    ("notes", "floor"),
    [
        ("The back pay is a floor ('more than').", True),
        ("Agreement: more than US$600,000 severance+backpay to 154 workers.", True),
        ("Back pay of over $4.2 million was paid.", True),
        ("Workers covered: 'more than 400' left unemployed.", False),
        ("Inspectors visited the shop floor. Back pay was paid.", False),
        ("", False),
    ],
)
def test_it_treats_back_pay_as_a_floor_only_when_the_notes_say_so(notes: str, floor: bool) -> None:
    assert is_backpay_floor(notes) is floor
