"""Bad input answers 4xx with a message naming what is wrong, and stores nothing; nothing answers 500."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from petitions.models import CONFIDENTIAL_FIELD_NAMES, Evidence
from rrm.api.parsers import MAX_DEPTH
from rrm.api.serializers import OUTCOME_ACTIONS
from tests.api.test_permission_matrix import MATRIX, Row, call, counts, url_for
from tests.api.world import PDF_BYTES, World, pdf_upload

pytestmark = pytest.mark.django_db


def petitions_url() -> str:
    return reverse("v1:petition-list")


def post_json(world: World, role: str, url: str, body: Any) -> Any:
    return world.client(role).post(url, json.dumps(body), content_type="application/json")


def test_it_answers_malformed_json_with_its_line_and_column(world: World) -> None:
    before = counts()
    response = world.client("own_org").post(
        petitions_url(), '{"narrative": "x",\n "anonymous": }', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.data["detail"] and "line 2 column" in response.data["detail"]
    assert counts() == before


@pytest.mark.parametrize("role", ["anonymous", "own_org"])
def test_it_refuses_json_nested_past_the_depth_limit_with_400(world: World, role: str) -> None:
    before = counts()
    url = reverse("v1:auth-token") if role == "anonymous" else petitions_url()

    response = world.client(role).post(url, "[" * 100_000, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"JSON parse error - arrays and objects nested deeper than {MAX_DEPTH} levels."
    }
    assert counts() == before


def test_it_counts_no_bracket_inside_a_string_as_nesting(world: World) -> None:
    narrative = '[{"' * 1_000 + ' the employer dismissed twelve workers \\" ]'

    body = {"organisation": world.own_org.pk, "narrative": narrative, "anonymous": True}

    response = post_json(world, "own_org", petitions_url(), body)

    assert response.status_code == 201, response.json()
    assert response.json()["narrative"] == narrative


def test_it_names_every_field_of_the_wrong_type(world: World) -> None:
    before = counts()
    body = {
        "organisation": "seven",
        "facility": {"id": 1},
        "narrative": ["facts"],
        "anonymous": "perhaps",
        "confidential_fields": "narrative",
        "contact_email": "not an address",
    }
    response = post_json(world, "own_org", petitions_url(), body)
    assert response.status_code == 400
    assert set(body) <= set(response.data)
    assert counts() == before


def test_it_names_unknown_values_of_a_vocabulary(world: World) -> None:
    before = counts()
    body = {
        "organisation": world.own_org.pk,
        "annex": "31-C",
        "language": "fr",
        "confidential_fields": ["salary"],
    }
    response = post_json(world, "own_org", petitions_url(), body)
    assert response.status_code == 400
    assert response.data["annex"] == ['"31-C" is not a valid choice.', "Valid values: 31-A, 31-B."]
    assert response.data["language"] == ['"fr" is not a valid choice.', "Valid values: en, es."]
    confidential = response.data["confidential_fields"][0]
    assert confidential[0] == '"salary" is not a valid choice.'
    assert confidential[1] == f"Valid values: {', '.join(CONFIDENTIAL_FIELD_NAMES)}."
    assert counts() == before


def test_it_refuses_an_unknown_workflow_step_by_name(world: World) -> None:
    before = counts()
    url = reverse("v1:case-transitions", kwargs={"case_id": world.case.case_id})
    response = post_json(world, "officer", url, {"action": "teleport", "on": "2024-03-04"})
    assert response.status_code == 400
    assert response.data["action"] == [
        '"teleport" is not a valid choice.',
        f"Valid values: {', '.join(OUTCOME_ACTIONS)}.",
    ]
    assert counts() == before


def test_it_refuses_a_step_the_stage_does_not_allow_with_409_naming_stage_and_allowed_steps(
    world: World,
) -> None:
    world.advance("ilc_review")
    before = counts()
    url = reverse("v1:case-receipt", kwargs={"case_id": world.case.case_id})
    response = post_json(world, "officer", url, {"on": "2024-03-05"})
    assert response.status_code == 409
    assert (
        "is at stage 'ilc_review'" in response.data["detail"] and "record_receipt" in response.data["detail"]
    )
    assert "withdraw" in response.data["allowed"]
    assert counts() == before


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("v1:case-receipt", {"on": "2999-01-01"}, "on"),
        ("v1:case-mexico-response", {"response": "accepted", "on": "2024-03-01"}, "on"),
        ("v1:case-suspension", {"start": "2024-03-12", "end": "2024-03-10", "reason": "x"}, "end"),
        ("v1:case-remediation-plans", {"agreed_on": "2024-06-01", "ends_on": "2024-05-01"}, "ends_on"),
        (
            "v1:case-ilc-determination",
            {"determination": "insufficient", "on": "2024-03-20", "petitioner_notified_on": "2024-03-19"},
            "petitioner_notified_on",
        ),
        (
            "v1:remediation-action-verify",
            {"verified_on": "2024-06-19", "verified_by": "CFCRL"},
            "verified_on",
        ),
        ("v1:case-receipt", {"on": "2024-13-45"}, "on"),
    ],
)
def test_it_refuses_dates_out_of_order_on_the_field_that_carries_them(
    world: World, route: str, body: dict[str, Any], field: str
) -> None:
    # The stage at which the permission matrix lets the officer make this step.
    row = replace(MATRIX[(route, "POST")], body=lambda w: body)
    world.advance(row.stage)
    before = counts()
    response = call(world, "officer", route, "POST", row)
    assert response.status_code == 400, response.data
    assert field in response.data and response.data[field][0]
    assert counts() == before


def test_it_refuses_a_claim_that_ends_before_it_began(world: World) -> None:
    before = counts()
    url = reverse("v1:claim-list", kwargs={"petition_id": world.draft.pk})
    body = {"category": "other", "description": "x", "began_on": "2024-02-10", "ended_on": "2024-02-01"}
    response = post_json(world, "own_org", url, body)
    assert response.status_code == 400 and "before it began" in response.data["ended_on"][0]
    assert counts() == before


def upload(world: World, name: str, content: bytes) -> Any:
    url = reverse("v1:evidence-list", kwargs={"petition_id": world.petition.pk})
    file = pdf_upload(name, content)
    return world.client("own_org").post(url, {"title": "Letters", "file": file}, format="multipart")


def stored_files(media_root: Path) -> list[Path]:
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


DISGUISED = {
    "a Windows program": ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "EXE"),
    "an HTML page": (
        "report.pdf",
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        "not a recognised",
    ),
    "an SVG image": (
        "photo.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
        "not a recognised",
    ),
    "a plain ZIP archive": ("statement.docx", _zip({"payload.js": "x"}), "ZIP"),
    "a GIF image": ("scan.jpg", b"GIF89a" + b"\x00" * 50, "GIF"),
    "binary noise": ("notes.txt", bytes(range(256)), "not a recognised"),
}


@pytest.mark.parametrize("kind", list(DISGUISED))
def test_it_refuses_an_upload_disguised_by_its_name(world: World, media_root: Path, kind: str) -> None:
    name, content, named = DISGUISED[kind]
    before, files_before = counts(), stored_files(media_root)
    response = upload(world, name, content)
    assert response.status_code == 400
    assert named in response.data["file"][0] and "accepted:" in response.data["file"][0]
    assert counts() == before and stored_files(media_root) == files_before


def test_it_refuses_an_upload_over_the_size_limit(world: World, media_root: Path) -> None:
    before, files_before = counts(), stored_files(media_root)
    with override_settings(RRM_EVIDENCE_MAX_BYTES=64):
        response = upload(world, "letters.pdf", PDF_BYTES + b"%" * 64)
    assert response.status_code == 400
    assert "the limit is 64 bytes" in response.data["file"][0]
    assert counts() == before and stored_files(media_root) == files_before


def test_it_refuses_a_request_too_large_to_hold_an_acceptable_file_before_reading_it(
    world: World, media_root: Path
) -> None:
    before, files_before = counts(), stored_files(media_root)
    with override_settings(RRM_EVIDENCE_MAX_BYTES=64):
        response = upload(world, "letters.pdf", PDF_BYTES + b"%" * 100_000)
    assert response.status_code == 413 and "limited to 64 bytes a file" in response.data["detail"]
    assert counts() == before and stored_files(media_root) == files_before


def test_it_refuses_an_empty_upload_and_a_missing_file(world: World) -> None:
    before = counts()
    assert "empty" in str(upload(world, "empty.pdf", b"").data["file"])
    url = reverse("v1:evidence-list", kwargs={"petition_id": world.petition.pk})
    response = world.client("own_org").post(url, {"title": "No file"}, format="multipart")
    assert response.status_code == 400 and "file" in response.data
    assert counts() == before and Evidence.objects.count() == 1


def _allowed_role(row: Row) -> str:
    return next(role for role in ("officer", "own_org", "admin") if 200 <= row.expected[role] < 300)


GARBAGE = {
    "malformed JSON": "{not json",
    "a JSON list": "[1, 2, 3]",
    "a JSON string": '"text"',
}
WRITES_WITH_BODY = [
    key for key, row in MATRIX.items() if key[1] != "GET" and row.body is not None and not row.multipart
]
WRITE_IDS = [f"{name}-{method}" for name, method in WRITES_WITH_BODY]


def wrong_type(value: Any) -> Any:
    """A value of another JSON type than the valid one."""
    if isinstance(value, bool):
        return "perhaps"
    if isinstance(value, int):
        return "seven"
    if isinstance(value, str):
        return {"value": value}
    return "text"


def send(world: World, key: tuple[str, str], data: str) -> Any:
    name, method = key
    row = MATRIX[key]
    client = world.client(_allowed_role(row))
    return client.generic(method, url_for(world, name, row), data=data, content_type="application/json")


@pytest.mark.parametrize("garbage", list(GARBAGE))
@pytest.mark.parametrize("key", WRITES_WITH_BODY, ids=WRITE_IDS)
def test_it_answers_a_body_that_is_not_an_object_with_400_and_stores_nothing(
    world: World, key: tuple[str, str], garbage: str
) -> None:
    world.advance(MATRIX[key].stage)
    before = counts()
    response = send(world, key, GARBAGE[garbage])
    assert response.status_code == 400, getattr(response, "data", None)
    assert counts() == before


@pytest.mark.parametrize("key", WRITES_WITH_BODY, ids=WRITE_IDS)
def test_it_answers_each_field_of_the_wrong_type_with_400_on_that_field(
    world: World, key: tuple[str, str]
) -> None:
    row = MATRIX[key]
    world.advance(row.stage)
    assert row.body is not None
    valid = row.body(world)
    before = counts()
    for field, value in valid.items():
        response = send(world, key, json.dumps({**valid, field: wrong_type(value)}))
        assert response.status_code == 400, (field, getattr(response, "data", None))
        assert field in response.data, (field, response.data)
    assert counts() == before


ROUTES = sorted({name for name, _ in MATRIX})


@pytest.mark.parametrize("name", ROUTES)
def test_it_deletes_and_replaces_nothing_for_good(world: World, name: str) -> None:
    """Records are corrected by events, never deleted or replaced whole; only a watch and a session end,
    and a draft petition is discarded by its petitioners (tests/api/test_permission_matrix.py) while a
    filed one stays on record (409)."""
    row = next(row for (route, _), row in MATRIX.items() if route == name)
    world.advance(row.stage)
    before = counts()
    client = world.client("admin")
    url = url_for(world, name, row)
    assert client.put(url, {}, format="json").status_code == 405
    if name == "v1:petition-detail":
        assert world.petition.status != "draft"
        assert client.delete(url).status_code == 403
        assert world.client("own_org").delete(url).status_code == 409
    elif name not in ("v1:case-watch", "v1:auth-session"):
        assert client.delete(url).status_code == 405
    assert counts() == before
