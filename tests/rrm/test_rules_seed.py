"""The deadline rules loaded by migrations rrm 0003 (Annex 31-A and the NAO's screening) and 0011 (the rest of
Annex 31-B, and the NAO's screening on Canada's calendar), and the bridge from a stored rule to the clock.

Tests that read the rows load them first with the migration's own function: a transactional test
elsewhere in the suite flushes every table, and with --reuse-db the flushed database is what the next
run starts from. Loading is idempotent, so on a fresh database it stores nothing new.
"""

import importlib
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.db.migrations.recorder import MigrationRecorder

from rrm.choices import EventKind, values_of
from rrm.clock import compute_due
from rrm.models import DeadlineRule

seed_migration = importlib.import_module("rrm.migrations.0003_seed_deadline_rules")
INITIAL_RULES: tuple[dict[str, Any], ...] = seed_migration.INITIAL_RULES
annex_31b_migration = importlib.import_module("rrm.migrations.0011_annex_31b_rules")
ANNEX_31B_RULES: tuple[dict[str, Any], ...] = annex_31b_migration.ANNEX_31B_RULES
CORRECTED = {"nao_screening": annex_31b_migration.NAO_SCREENING_CORRECTION}

UNCONFIRMED_CODES = {"panel_constitution", "panel_determination"}
INITIAL_CODES = [version["code"] for version in INITIAL_RULES]


@pytest.fixture
def seeded() -> None:
    seed_migration.load_rules(apps, None)
    annex_31b_migration.load_rules(apps, None)


def stored(code: str) -> DeadlineRule:
    return DeadlineRule.objects.get(code=code, effective_from=date(2020, 7, 1))


@pytest.mark.django_db
def test_it_is_applied_by_migrate() -> None:
    assert MigrationRecorder.Migration.objects.filter(app="rrm", name="0003_seed_deadline_rules").exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("version", INITIAL_RULES, ids=lambda version: version["code"])
def test_it_stores_every_initial_rule_with_its_citation(version: dict[str, Any]) -> None:
    row = stored(version["code"])

    assert row.citation == version["citation"]
    assert {field: getattr(row, field) for field in version} == {
        **version,
        "satisfied_by": list(version["satisfied_by"]),
        **CORRECTED.get(version["code"], {}),
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
def test_it_reports_the_u_rules_as_unconfirmed() -> None:
    rows = DeadlineRule.objects.filter(code__in=INITIAL_CODES)

    assert {row.code for row in rows if row.is_unconfirmed} == UNCONFIRMED_CODES
    assert {row.code for row in rows if row.spec.is_unconfirmed} == UNCONFIRMED_CODES


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
def test_it_computes_the_ilc_due_date_of_teksid_from_the_stored_rule() -> None:
    due = compute_due(stored("ilc_screening").spec, date(2022, 5, 5))

    assert due.due == date(2022, 6, 6)
    assert due.explanation()["rule"]["version"] == "2020-07-01"


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    "store",
    [seed_migration.store_initial_rules, annex_31b_migration.store_annex_31b_rules],
    ids=["31a", "31b"],
)
def test_it_loads_the_rules_only_once(store: Any) -> None:
    before = DeadlineRule.objects.count()

    created = store(DeadlineRule)

    assert created == 0
    assert DeadlineRule.objects.count() == before


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
def test_it_keeps_a_stored_version_that_staff_edited() -> None:
    DeadlineRule.objects.filter(code="panel_determination").update(notes="Checked against the annex.")

    seed_migration.load_rules(apps, None)

    assert stored("panel_determination").notes == "Checked against the annex."


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
def test_it_deletes_the_initial_rules_when_reversed() -> None:
    seed_migration.unload_rules(apps, None)

    assert not DeadlineRule.objects.filter(code__in=INITIAL_CODES).exists()


@pytest.mark.parametrize("version", (*INITIAL_RULES, *ANNEX_31B_RULES), ids=lambda version: version["code"])
def test_it_names_only_event_kinds_of_the_vocabulary(version: dict[str, Any]) -> None:
    kinds = set(values_of(EventKind))

    assert version["start_event"] in kinds
    assert set(version["satisfied_by"]) | set(version.get("ended_by", ())) <= kinds


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("version", ANNEX_31B_RULES, ids=lambda version: version["code"])
def test_it_stores_every_31b_rule_as_unconfirmed_saying_which_source_would_confirm_it(
    version: dict[str, Any],
) -> None:
    row = stored(version["code"])

    assert {field: getattr(row, field) for field in version} == version
    assert (row.annex, row.is_unconfirmed) == ("31-B", True)
    assert "assumed to mirror" in row.citation and "[S2]" in row.notes


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
def test_it_runs_the_nao_screening_on_canadas_calendar_rolled_to_a_business_day() -> None:
    row = stored("nao_screening")

    assert (row.calendar, row.roll_forward, row.confidence) == ("CA", "next_business_day", "C")


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
def test_it_deletes_the_31b_rules_and_restores_the_nao_calendar_when_reversed() -> None:
    annex_31b_migration.unload_rules(apps, None)

    assert not DeadlineRule.objects.filter(annex="31-B").exclude(code="nao_screening").exists()
    assert (stored("nao_screening").calendar, stored("nao_screening").roll_forward) == ("MX", "none")
