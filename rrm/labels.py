"""Translated names for codes that the vocabularies store untranslated, and the deadline explanation
composed in the reader's language from the structured account the clock stores; the pages and the notice
e-mails (rrm.notifications.messages) both read them.

The clock (rrm.clock) stores its explanation as data plus one English sentence; composing the sentence
here from the data lets a Spanish reader get the same account in Spanish.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from rrm.choices import CanadianProvince, EventKind, MexicanState, USState
from rrm.deadlines import TERMINAL_NOTE

# Names in English as an English-language reader knows them; the Spanish catalog gives the official
# names, which are what MexicanState stores.
STATE_NAMES: Mapping[str, Promise] = {
    MexicanState.AGU: _("Aguascalientes"),
    MexicanState.BCN: _("Baja California"),
    MexicanState.BCS: _("Baja California Sur"),
    MexicanState.CAM: _("Campeche"),
    MexicanState.CHP: _("Chiapas"),
    MexicanState.CHH: _("Chihuahua"),
    MexicanState.CMX: _("Mexico City"),
    MexicanState.COA: _("Coahuila"),
    MexicanState.COL: _("Colima"),
    MexicanState.DUR: _("Durango"),
    MexicanState.GUA: _("Guanajuato"),
    MexicanState.GRO: _("Guerrero"),
    MexicanState.HID: _("Hidalgo"),
    MexicanState.JAL: _("Jalisco"),
    MexicanState.MEX: _("State of Mexico"),
    MexicanState.MIC: _("Michoacán"),
    MexicanState.MOR: _("Morelos"),
    MexicanState.NAY: _("Nayarit"),
    MexicanState.NLE: _("Nuevo León"),
    MexicanState.OAX: _("Oaxaca"),
    MexicanState.PUE: _("Puebla"),
    MexicanState.QUE: _("Querétaro"),
    MexicanState.ROO: _("Quintana Roo"),
    MexicanState.SLP: _("San Luis Potosí"),
    MexicanState.SIN: _("Sinaloa"),
    MexicanState.SON: _("Sonora"),
    MexicanState.TAB: _("Tabasco"),
    MexicanState.TAM: _("Tamaulipas"),
    MexicanState.TLA: _("Tlaxcala"),
    MexicanState.VER: _("Veracruz"),
    MexicanState.YUC: _("Yucatán"),
    MexicanState.ZAC: _("Zacatecas"),
}

# Names of the seeded deadline rules (migration rrm 0003), by code; a rule added later shows its stored name.
RULE_NAMES: Mapping[str, Promise] = {
    "ilc_screening": _("ILC screening of a Rapid Response Petition"),
    "nao_screening": _("Canadian NAO screening of a Denial of Rights claim"),
    "mexico_response": _("Mexico's decision whether to review"),
    "mexico_review": _("Mexico's review of the alleged denial of rights"),
    "remediation_consultations": _("Consultations on a course of remediation"),
    "panel_constitution": _("Constitution of a Rapid Response Labor Panel"),
    "panel_basics_confirmation": _("Panel confirms the covered facility, the laws and the good-faith basis"),
    "panel_determination": _("Panel determination whether a Denial of Rights exists"),
}

WEEKEND_DAYS: Mapping[str, Promise] = {"Saturday": _("Saturday"), "Sunday": _("Sunday")}

CANCELLATION_NOTES: Mapping[str, Promise] = {
    TERMINAL_NOTE: _("The case closed without a dated event that stops this clock."),
    "Its start event was corrected.": _("Its start event was corrected."),
}


# Names the same in both languages, or nearly so, kept as the ISO 3166-2 lists give them.
FOREIGN_STATE_NAMES = {code: name for states in (USState, CanadianProvince) for code, name in states.choices}


def state_name(code: str) -> str:
    name = STATE_NAMES.get(code) or FOREIGN_STATE_NAMES.get(code)
    return str(name) if name is not None else code


def rule_name(*, code: str, stored_name: str) -> str:
    name = RULE_NAMES.get(code)
    return str(name) if name is not None else stored_name


def event_kind_name(kind: str) -> str:
    return str(EventKind(kind).label) if kind in EventKind.values else kind


def cancellation_note(explanation: Mapping[str, Any]) -> str:
    note = str(explanation.get("cancelled", ""))
    translated = CANCELLATION_NOTES.get(note)
    return str(translated) if translated is not None else note


def _day(iso: str) -> str:
    return date_format(dt.date.fromisoformat(iso), "DATE_FORMAT")


def _skipped_reason(reason: str) -> str:
    parts = [WEEKEND_DAYS.get(part, part) for part in reason.split(", ")]
    return ", ".join(str(part) for part in parts)


def _skipped_list(skipped: list[Mapping[str, str]]) -> str:
    return "; ".join(f"{_day(item['date'])} ({_skipped_reason(item['reason'])})" for item in skipped)


def _counted_days(*, length: int, extension: int, unit: str, calendar: str) -> str:
    total = length + extension
    if unit == "business" and calendar == "MX":
        days = ngettext("%(count)s Mexican business day", "%(count)s Mexican business days", total)
    elif unit == "business":
        days = ngettext("%(count)s U.S. business day", "%(count)s U.S. business days", total)
    else:
        days = ngettext("%(count)s calendar day", "%(count)s calendar days", total)
    counted = days % {"count": total}
    if extension:
        return gettext("%(days)s (%(length)s plus an extension of %(extension)s)") % {
            "days": counted,
            "length": length,
            "extension": extension,
        }
    return counted


def _end_sentence(explanation: Mapping[str, Any], *, unit: str, roll_forward: str, opening: str) -> str:
    values = {
        "opening": opening,
        "nominal": _day(explanation["nominal_due"]),
        "due": _day(explanation["due"]),
        "skipped": _skipped_list(explanation.get("skipped", [])),
    }
    if unit == "business":
        if explanation.get("skipped"):
            return (
                gettext("%(opening)s, not counting the non-business days %(skipped)s, end on %(due)s.")
                % values
            )
        return gettext("%(opening)s end on %(due)s, with no non-business day in between.") % values
    if roll_forward == "none":
        return (
            gettext(
                "%(opening)s fall on %(nominal)s; this rule does not move a due date off a non-business "
                "day, so it is due %(due)s."
            )
            % values
        )
    if explanation.get("skipped"):
        return (
            gettext(
                "%(opening)s fall on %(nominal)s, not a business day (%(skipped)s), so it is due the next "
                "business day, %(due)s."
            )
            % values
        )
    return gettext("%(opening)s fall on %(nominal)s, a business day, so it is due %(due)s.") % values


def explanation_text(explanation: Mapping[str, Any]) -> str:
    """How the due date was reached, in the active language; the stored sentence for older rows."""
    rule = explanation.get("rule")
    if not isinstance(rule, Mapping) or "due" not in explanation or "nominal_due" not in explanation:
        return str(explanation.get("text", ""))
    unit, calendar = str(rule["unit"]), str(rule["calendar"])
    days = _counted_days(
        length=int(rule["length"]),
        extension=int(explanation.get("extension_days", 0)),
        unit=unit,
        calendar=calendar,
    )
    opening = gettext("%(days)s from “%(event)s” on %(start)s") % {
        "days": days,
        "event": event_kind_name(str(explanation["start_event"])),
        "start": _day(explanation["start"]),
    }
    ending = _end_sentence(explanation, unit=unit, roll_forward=str(rule["roll_forward"]), opening=opening)
    rule_sentence = gettext("Rule: %(name)s (%(citation)s).") % {
        "name": rule_name(code=str(rule["code"]), stored_name=str(rule["name"])),
        "citation": rule["citation"],
    }
    return f"{ending} {rule_sentence}"
