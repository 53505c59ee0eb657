"""Writes of the public surface: export builds and API keys. Keyword-only arguments throughout."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import shutil
import string
import uuid
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.links import Link, LinkInvalid, LinkUsed, opened_link, send_link
from public.api.throttles import hash_key
from public.export import write_export
from public.models import ApiKey, ApiKeyRequest, ExportBuild, ThrottleTier

logger = logging.getLogger(__name__)

# Ready builds whose files are kept: the newest, and the one before it for downloads in progress.
KEPT_BUILDS = 2
# A million cases take minutes to export; the project-wide five-minute task limit would kill the build.
EXPORT_TIME_LIMIT_SECONDS = 2 * 60 * 60
# A build still pending after this long has lost its task (the broker was down when it was enqueued).
REQUEUE_AFTER_SECONDS = 120
# A build put back in the queue counts as waiting long enough to be enqueued at once.
_REQUEUE_NOW = dt.timedelta(seconds=REQUEUE_AFTER_SECONDS + 1)
PREFIX_ALPHABET = string.ascii_letters + string.digits


# --------------------------------------------------------------------------------------------------
# API keys


@transaction.atomic
def issue_api_key(*, name: str, tier: ThrottleTier, contact_email: str = "") -> tuple[ApiKey, str]:
    """A new key for `tier`; the returned key text is shown once and never stored."""
    prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(8))
    key = f"rrmpub_{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        name=name, contact_email=contact_email, prefix=prefix, key_hash=hash_key(key), tier=tier
    )
    return api_key, key


KEY_REQUEST_PURPOSE = "api-key-request"


def key_request_lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.PUBLIC_API_KEY_REQUEST_DAYS)


@transaction.atomic
def request_api_key(*, name: str, email: str, language: str, origin: str) -> ApiKeyRequest:
    """A request, and its confirmation link e-mailed once this transaction commits; `origin` is the
    site's scheme and host."""
    from public import tasks

    key_request = ApiKeyRequest.objects.create(name=name.strip(), email=email.strip(), language=language)
    transaction.on_commit(lambda: tasks.send_api_key_confirmation.delay(key_request.pk, origin))
    return key_request


def send_api_key_confirmation(*, key_request_id: int, origin: str) -> None:
    key_request = ApiKeyRequest.objects.get(pk=key_request_id)
    send_link(
        Link(
            purpose=KEY_REQUEST_PURPOSE, pk=key_request.pk, view_name="pages:api-key-confirm", origin=origin
        ),
        to=key_request.email,
        language=key_request.language,
        subject=gettext_noop("Confirm your request for an API key"),
        template="public/email/api_key_confirmation.txt",
        context={"key_request": key_request, "days": settings.PUBLIC_API_KEY_REQUEST_DAYS},
    )


def pending_key_request(*, token: str, for_update: bool = False) -> ApiKeyRequest:
    """The request a confirmation link names, not yet confirmed; a LinkError otherwise."""
    pk = opened_link(purpose=KEY_REQUEST_PURPOSE, token=token, max_age=key_request_lifetime())
    rows = ApiKeyRequest.objects.select_for_update() if for_update else ApiKeyRequest.objects.all()
    key_request = rows.filter(pk=pk).first()
    if key_request is None:
        raise LinkInvalid(gettext("This link is not valid: ask for a key again."))
    if key_request.used_at is not None:
        raise LinkUsed(gettext("This link was already used: the key was shown then. Ask for a new one."))
    return key_request


@transaction.atomic
def confirm_api_key_request(*, token: str) -> tuple[ApiKey, str]:
    """The address is confirmed: a key of the requested-key tier (PUBLIC_API_REQUESTED_KEY_TIER), issued
    at once; the key text is returned to be shown once. A second use of the link raises LinkUsed."""
    key_request = pending_key_request(token=token, for_update=True)
    tier = ThrottleTier.objects.get(code=settings.PUBLIC_API_REQUESTED_KEY_TIER)
    api_key, key = issue_api_key(name=key_request.name, tier=tier, contact_email=key_request.email)
    key_request.used_at = timezone.now()
    key_request.api_key = api_key
    key_request.save(update_fields=["used_at", "api_key"])
    return api_key, key


@transaction.atomic
def revoke_api_key(*, api_key_id: int) -> ApiKey:
    api_key = ApiKey.objects.select_for_update().get(pk=api_key_id)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


# --------------------------------------------------------------------------------------------------
# Export builds


def request_export_build() -> ExportBuild | None:
    """A pending build, and its task enqueued once this transaction commits; None when one is already
    waiting (it has not started, so it will read this change too)."""
    from public import tasks

    try:
        with transaction.atomic():
            build = ExportBuild.objects.create(status=ExportBuild.Status.PENDING)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: tasks.build_public_export.delay(build.pk))
    return build


def resume_stalled_builds() -> list[int]:
    """Enqueue again the builds whose task was lost; returns their ids.

    A build pending for longer than REQUEUE_AFTER_SECONDS lost its task (enqueued while the broker was
    down); one building for longer than the task's hard time limit lost its worker (a live worker is
    stopped at the limit), and waits again, unless a newer build already waits, which reads the same
    data. Enqueueing a build twice is harmless: only one task can claim it.
    """
    from public import tasks

    now = timezone.now()
    stalled = ExportBuild.objects.filter(
        status=ExportBuild.Status.BUILDING,
        started_at__lt=now - dt.timedelta(seconds=EXPORT_TIME_LIMIT_SECONDS),
    )
    for build in stalled:
        _return_to_queue(build)
    waiting = list(
        ExportBuild.objects.filter(
            status=ExportBuild.Status.PENDING,
            requested_at__lt=now - dt.timedelta(seconds=REQUEUE_AFTER_SECONDS),
        ).values_list("pk", flat=True)
    )
    for build_id in waiting:
        transaction.on_commit(partial(tasks.build_public_export.delay, build_id))
    return waiting


def latest_ready_build() -> ExportBuild | None:
    return ExportBuild.objects.filter(status=ExportBuild.Status.READY).exclude(directory="").first()


def rebuild_waiting() -> bool:
    return ExportBuild.objects.filter(
        status__in=[ExportBuild.Status.PENDING, ExportBuild.Status.BUILDING]
    ).exists()


def export_root() -> Path:
    return Path(settings.PUBLIC_EXPORT_ROOT)


def export_file(name: str) -> tuple[Path, dict[str, Any], ExportBuild] | None:
    """The file of that name in the newest ready build, with its description and the build."""
    build = latest_ready_build()
    if build is None:
        return None
    entry = next((entry for entry in build.files if entry["name"] == name), None)
    if entry is None:
        return None
    path = export_root() / build.directory / name
    return (path, entry, build) if path.is_file() else None


def build_export(*, build_id: int) -> ExportBuild:
    """Build the files of a pending build in a new directory, from one consistent snapshot of the
    database, then publish them by renaming the directory. A build another worker claimed is left alone."""
    claimed = ExportBuild.objects.filter(pk=build_id, status=ExportBuild.Status.PENDING).update(
        status=ExportBuild.Status.BUILDING, started_at=timezone.now()
    )
    build = ExportBuild.objects.get(pk=build_id)
    if not claimed:
        return build
    directory = uuid.uuid4().hex
    partial = export_root() / f".{directory}.partial"
    try:
        files = _write_snapshot(partial)
        partial.rename(export_root() / directory)
    except OperationalError:
        shutil.rmtree(partial, ignore_errors=True)
        _return_to_queue(build)
        raise
    except (DatabaseError, OSError) as error:
        shutil.rmtree(partial, ignore_errors=True)
        _fail(build, error)
        raise
    build.status = ExportBuild.Status.READY
    build.directory = directory
    build.files = files
    build.finished_at = timezone.now()
    build.save(update_fields=["status", "directory", "files", "finished_at"])
    _remove_old_builds()
    return build


def _write_snapshot(directory: Path) -> list[dict[str, Any]]:
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                # Every table from the same snapshot, however long the build takes.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return write_export(directory)


def _return_to_queue(build: ExportBuild) -> None:
    """The build waits again (after a transient database error, or a lost worker), unless a newer build
    is already waiting, which will read the same data."""
    try:
        with transaction.atomic():
            ExportBuild.objects.filter(pk=build.pk).update(
                status=ExportBuild.Status.PENDING, started_at=None, requested_at=timezone.now() - _REQUEUE_NOW
            )
    except IntegrityError:
        _fail(build, RuntimeError("superseded by a newer pending build after it stopped"))


def _fail(build: ExportBuild, error: BaseException) -> None:
    logger.exception("Export build %s failed", build.pk)
    ExportBuild.objects.filter(pk=build.pk).update(
        status=ExportBuild.Status.FAILED, finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"
    )


def _remove_old_builds() -> None:
    ready = ExportBuild.objects.filter(status=ExportBuild.Status.READY).exclude(directory="")
    for old in ready[KEPT_BUILDS:]:
        shutil.rmtree(export_root() / old.directory, ignore_errors=True)
        ExportBuild.objects.filter(pk=old.pk).update(directory="")
