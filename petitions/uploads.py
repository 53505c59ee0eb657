"""What an evidence upload is, judged from its bytes (magic numbers), never from its name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

ACCEPTED_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/plain": "txt",
}
ACCEPTED_NAMES = "PDF, PNG, JPEG, plain text (UTF-8), DOCX or ODT"
# filetype reads signatures within the first 8 KiB, office formats included.
SIGNATURE_BYTES = 8192
# Control characters that never occur in a plain-text document (tab, line feed, form feed and
# carriage return do).
TEXT_ALLOWED_CONTROLS = frozenset(b"\t\n\x0c\r")


class UnacceptableUpload(ValueError):
    """An upload refused for its size or content; the message says why and what is accepted."""


@dataclass(frozen=True)
class JudgedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return int(settings.RRM_EVIDENCE_MAX_BYTES)


def judge_upload(upload: UploadedFile) -> JudgedUpload:
    size = upload.size or 0
    if size == 0:
        raise UnacceptableUpload(gettext("The file is empty."))
    limit = max_upload_bytes()
    if size > limit:
        raise UnacceptableUpload(
            gettext("The file has %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": size, "limit": limit}
        )
    content = _read_all(upload)
    content_type = _content_type(content)
    return JudgedUpload(
        content_type=content_type,
        extension=ACCEPTED_TYPES[content_type],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _read_all(upload: UploadedFile) -> bytes:
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return content


def _content_type(content: bytes) -> str:
    kind = filetype.guess(content[:SIGNATURE_BYTES])
    if kind is not None:
        if kind.mime in ACCEPTED_TYPES:
            return str(kind.mime)
        raise UnacceptableUpload(
            gettext(
                "The content is %(kind)s (%(mime)s), whatever the file name says; accepted: %(accepted)s."
            )
            % {"kind": kind.extension.upper(), "mime": kind.mime, "accepted": ACCEPTED_NAMES}
        )
    if _is_plain_text(content):
        return "text/plain"
    raise UnacceptableUpload(
        gettext(
            "The content is not a recognised document, whatever the file name says; accepted: %(accepted)s."
        )
        % {"accepted": ACCEPTED_NAMES}
    )


def _is_plain_text(content: bytes) -> bool:
    """UTF-8 text without control characters, and not markup: HTML or SVG served back could run script."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if any(byte < 0x20 and byte not in TEXT_ALLOWED_CONTROLS for byte in content):
        return False
    return not text.lstrip("\ufeff \t\r\n").startswith("<")
