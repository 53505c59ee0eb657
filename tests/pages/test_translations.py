"""The Spanish catalog covers every interface string of the public pages.

The strings are extracted the way `makemessages` finds them, without needing the gettext tools: the
pages' templates are compiled and their {% translate %} and {% blocktranslate %} nodes read; the pages'
Python is parsed for gettext calls; and the labels of every vocabulary the pages display are read from
the choices themselves. Each must have a non-empty translation in the compiled catalog that Django
loads (locale/es/LC_MESSAGES/django.mo), which must match the committed .po file.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from django.db import models
from django.template import engines
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.utils import translation

from remediation import models as remediation
from rrm import choices

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PAGES = PROJECT_ROOT / "pages"
# Translated names and the deadline explanation, shared by the pages and the notices.
LABELS = PROJECT_ROOT / "rrm" / "labels.py"
CATALOG = PROJECT_ROOT / "locale" / "es" / "LC_MESSAGES"

# Vocabularies whose labels the pages show (the Mexican states and rule names go through rrm.labels).
DISPLAYED_VOCABULARIES: tuple[type[models.TextChoices], ...] = (
    *(choices.Annex, choices.EventKind, choices.Initiation, choices.Outcome),
    *(choices.PrioritySubsector, choices.Sector, choices.Stage),
    *(choices.DeadlineStatus, choices.OrganisationKind),
    *(remediation.MexicoReviewFinding, remediation.MexicoReviewResponse, remediation.PanelDetermination),
    *(remediation.RemediationActionKind, remediation.RemediationActionStatus),
    *(remediation.RemediationPlanKind, remediation.RemediationPlanStatus, remediation.RemedyKind),
)
SINGULAR_CALLS = {"_", "gettext", "gettext_lazy", "gettext_noop"}
PLURAL_CALLS = {"ngettext", "ngettext_lazy"}
CONTEXT_CALLS = {"pgettext", "pgettext_lazy"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str = ""
    context: str = ""
    origin: str = ""


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_message(call: ast.Call, origin: str) -> Message | None:
    name = call.func.id if isinstance(call.func, ast.Name) else ""
    literals = [_literal(argument) for argument in call.args]
    if name in SINGULAR_CALLS and literals and literals[0] is not None:
        return Message(literals[0], origin=origin)
    if name in PLURAL_CALLS and len(literals) >= 2 and literals[0] is not None and literals[1] is not None:
        return Message(literals[0], plural=literals[1], origin=origin)
    if name in CONTEXT_CALLS and len(literals) >= 2 and literals[0] is not None and literals[1] is not None:
        return Message(literals[1], context=literals[0], origin=origin)
    return None


def python_messages(path: Path) -> list[Message]:
    origin = str(path.relative_to(PROJECT_ROOT))
    calls = [
        node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Call)
    ]
    return [message for call in calls if (message := _call_message(call, origin)) is not None]


def _context_of(node: TranslateNode | BlockTranslateNode) -> str:
    return str(node.message_context.var.literal) if node.message_context is not None else ""


def template_messages(path: Path) -> list[Message]:
    origin = str(path.relative_to(PROJECT_ROOT))
    nodelist = engines["django"].from_string(path.read_text(encoding="utf-8")).template.nodelist  # type: ignore[attr-defined]
    messages = [
        Message(str(node.filter_expression.var.literal), context=_context_of(node), origin=origin)
        for node in nodelist.get_nodes_by_type(TranslateNode)
    ]
    for node in nodelist.get_nodes_by_type(BlockTranslateNode):
        singular = node.render_token_list(node.singular)[0]
        plural = node.render_token_list(node.plural)[0] if node.plural else ""
        messages.append(Message(singular, plural=plural, context=_context_of(node), origin=origin))
    return messages


def vocabulary_messages() -> list[Message]:
    with translation.override(None):
        return [
            Message(str(label), origin=vocabulary.__name__)
            for vocabulary in DISPLAYED_VOCABULARIES
            for label in vocabulary.labels
        ]


def templates() -> list[Path]:
    return sorted((PAGES / "templates").rglob("*.html"))


def interface_messages() -> list[Message]:
    sources = [*sorted(PAGES.rglob("*.py")), LABELS]
    return [
        *(message for path in templates() for message in template_messages(path)),
        *(message for path in sources for message in python_messages(path)),
        *vocabulary_messages(),
    ]


def compiled_catalog() -> dict[tuple[str, str], polib.MOEntry]:
    return {(entry.msgctxt or "", entry.msgid): entry for entry in polib.mofile(str(CATALOG / "django.mo"))}


def _translations(entry: polib.POEntry | polib.MOEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_it_finds_the_strings_of_every_template_and_vocabulary() -> None:
    origins = {message.origin for message in interface_messages()}
    translating = [path for path in templates() if "{% load i18n" in path.read_text(encoding="utf-8")]
    assert {str(path.relative_to(PROJECT_ROOT)) for path in translating} <= origins
    assert {vocabulary.__name__ for vocabulary in DISPLAYED_VOCABULARIES} <= origins
    python = {"charts.py", "forms.py", "tables.py", "templatetags/pages_tags.py"}
    assert {f"pages/{name}" for name in python} | {"rrm/labels.py"} <= origins


def test_it_has_a_spanish_translation_for_every_interface_string_of_the_pages() -> None:
    catalog = compiled_catalog()
    missing = []
    for message in interface_messages():
        entry = catalog.get((message.context, message.msgid))
        if entry is None or entry.msgid_plural != message.plural or not all(_translations(entry)):
            missing.append(f"{message.origin}: {message.msgid!r}")
    assert not missing, (
        "Not translated in locale/es (run makemessages -l es, translate, compilemessages):\n"
        + "\n".join(sorted(set(missing)))
    )


def test_it_commits_a_compiled_catalog_equal_to_the_po_file_without_fuzzy_entries() -> None:
    po = polib.pofile(str(CATALOG / "django.po"))
    assert not po.fuzzy_entries()
    assert not po.untranslated_entries()
    from_po = {(entry.msgctxt or "", entry.msgid): _translations(entry) for entry in po.translated_entries()}
    from_mo = {key: _translations(entry) for key, entry in compiled_catalog().items() if key[1]}
    assert from_mo == from_po


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_it_keeps_every_placeholder_of_a_message_in_its_translation() -> None:
    """A translation that names an unknown placeholder breaks the page; one that drops a placeholder
    loses a figure (a plural's singular form may leave out the count)."""
    wrong = []
    for entry in polib.pofile(str(CATALOG / "django.po")):
        source = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural)
        for translated in _translations(entry):
            found = _placeholders(translated)
            if not found <= source or (not entry.msgid_plural and found != source):
                wrong.append((entry.msgid, translated))
    assert not wrong


@pytest.mark.parametrize(
    ("english", "spanish"),
    [("Cases", "Casos"), ("Facility closed", "Instalación cerrada"), ("Mexico City", "Ciudad de México")],
)
def test_it_loads_the_spanish_catalog_when_spanish_is_active(english: str, spanish: str) -> None:
    with translation.override("es"):
        assert translation.gettext(english) == spanish
