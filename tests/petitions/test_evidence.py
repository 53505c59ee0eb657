"""Evidence: the type judged from the content, stored outside the web root under a name of its own,
served only through a permission-checked download."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from petitions.models import Evidence
from tests.api.world import PDF_BYTES, World, build_world, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(tmp_path: Path) -> Any:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


@pytest.fixture
def world(media_root: Path) -> World:
    return build_world()


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def office_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind == "odt":
            archive.writestr(
                "mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
            )
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr(
                "[Content_Types].xml",
                '<Types><Override PartName="/word/document.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
            )
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


ACCEPTED = {
    "application/pdf": ("a.bin", PDF_BYTES),
    "image/png": ("photo", png_bytes()),
    "image/jpeg": ("photo.png", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32),
    "text/plain": ("statement.pdf", "Declaración de un trabajador: despedido el 2 de febrero.\n".encode()),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "s.odt",
        office_bytes("docx"),
    ),
    "application/vnd.oasis.opendocument.text": ("s.docx", office_bytes("odt")),
}


def upload(world: World, name: str, content: bytes, **fields: Any) -> Any:
    url = reverse("v1:evidence-list", kwargs={"petition_id": world.petition.pk})
    body = {"title": "Statement", "file": pdf_upload(name, content), **fields}
    return world.client("own_org").post(url, body, format="multipart")


@pytest.mark.parametrize("content_type", list(ACCEPTED))
def test_it_judges_the_type_from_the_content_not_the_name(world: World, content_type: str) -> None:
    name, content = ACCEPTED[content_type]
    response = upload(world, name, content)
    assert response.status_code == 201, response.data
    assert response.data["content_type"] == content_type
    assert (response.data["size"], response.data["sha256"]) == (
        len(content),
        hashlib.sha256(content).hexdigest(),
    )


def test_it_stores_the_file_under_media_root_with_a_name_of_its_own(world: World, media_root: Path) -> None:
    response = upload(world, "Declaración de Juan Pérez.pdf", PDF_BYTES)
    stored = Path(Evidence.objects.get(pk=response.data["id"]).file.path)
    assert media_root in stored.parents and stored.read_bytes() == PDF_BYTES
    assert "Juan" not in stored.name and stored.suffix == ".pdf"


def test_it_records_the_language_and_the_confidentiality_of_each_document(world: World) -> None:
    response = upload(world, "a.pdf", PDF_BYTES, language="en", confidential=False)
    evidence = Evidence.objects.get(pk=response.data["id"])
    assert (evidence.language, evidence.confidential, evidence.uploaded_by) == (
        "en",
        False,
        world.users["own_org"],
    )


def test_it_keeps_evidence_confidential_unless_told_otherwise(world: World) -> None:
    assert upload(world, "a.pdf", PDF_BYTES).data["confidential"] is True


def test_it_serves_the_file_as_an_attachment_to_the_petitioners_and_staff(world: World) -> None:
    url = reverse("v1:evidence-download", kwargs={"evidence_id": world.evidence.pk})
    for role in ("own_org", "officer"):
        response = world.client(role).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Disposition"].startswith("attachment;")
        assert (
            response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"
        )


def test_it_answers_404_for_another_organisations_evidence_and_401_without_credentials(world: World) -> None:
    url = reverse("v1:evidence-download", kwargs={"evidence_id": world.evidence.pk})
    assert world.client("other_org").get(url).status_code == 404
    assert world.client("anonymous").get(url).status_code == 401


def test_it_does_not_serve_media_files_by_their_path(world: World, client: Any) -> None:
    path = world.evidence.file.name
    assert client.get(f"/media/{path}").status_code == 404
