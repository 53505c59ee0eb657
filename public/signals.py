"""What the public surface does when the record changes: new data version, new export build.

Why receivers and not calls in the services: the record changes through rrm's workflow and services,
the importer, the issue-4 API and the staff admin, and every one of those saves or deletes model
instances (none of the public models is written with bulk UPDATE). post_save/post_delete on those
models therefore sees every change, and no other app has to import this one. The work is deferred to
transaction.on_commit: readers must not see the new version before the new data, and a rolled-back
change must not invalidate anything. A raw SQL write or a queryset.update() on these tables would
bypass the receivers; nothing in the project does that to them, and the cached entries expire anyway
(PUBLIC_API_*_CACHE_SECONDS).

A draft, its petitioners and its claims are not public data: their changes leave the version and the
export alone, or the public's ETag, Last-Modified and export build number would tell that someone is
drafting a petition.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_delete, post_save


def public_models() -> list[type[models.Model]]:
    from petitions import models as petitions
    from public import models as public
    from remediation import models as remediation
    from rrm import models as rrm

    return [
        rrm.Case,
        rrm.Company,
        rrm.Facility,
        rrm.Organisation,
        rrm.TimelineEvent,
        rrm.Deadline,
        rrm.DeadlineRule,
        rrm.Document,
        petitions.Petition,
        petitions.Petitioner,
        petitions.Claim,
        petitions.Screening,
        remediation.MexicoReview,
        remediation.RemediationPlan,
        remediation.RemediationAction,
        remediation.Panel,
        remediation.PanelVerification,
        remediation.Remedy,
        public.Correction,
    ]


def connect_receivers() -> None:
    from public.models import ApiKey, ThrottleTier

    for model in public_models():
        label = model._meta.label_lower
        post_save.connect(record_changed, sender=model, dispatch_uid=f"public-saved-{label}")
        post_delete.connect(record_changed, sender=model, dispatch_uid=f"public-deleted-{label}")
    for model in (ApiKey, ThrottleTier):
        label = model._meta.label_lower
        post_save.connect(budget_changed, sender=model, dispatch_uid=f"public-budget-saved-{label}")
        post_delete.connect(budget_changed, sender=model, dispatch_uid=f"public-budget-deleted-{label}")


class AfterCommit:
    """The hook one transaction registers, however many rows it changes."""

    def __init__(self) -> None:
        self.ran = False
        # Django names a robust hook that raised by its __qualname__; without one, logging the error
        # raised AttributeError and a committed request answered 500 (e.g. with the broker down).
        self.__qualname__ = f"{type(self).__qualname__}.__call__"

    def __call__(self) -> None:
        self.ran = True
        after_public_change()


_pending: WeakKeyDictionary[BaseDatabaseWrapper, AfterCommit] = WeakKeyDictionary()


def record_changed(
    sender: type[models.Model], instance: models.Model, using: str = "default", **kwargs: Any
) -> None:
    connection = transaction.get_connection(using)
    pending = _pending.get(connection)
    # Still queued on this transaction: it will see this change too. A rolled-back transaction drops
    # its hooks from run_on_commit, so the next change registers a new one.
    if (
        pending is not None
        and not pending.ran
        and any(hook is pending for _, hook, _ in connection.run_on_commit)
    ):
        return
    if is_draft_activity(instance):
        return
    hook = AfterCommit()
    _pending[connection] = hook
    transaction.on_commit(hook, using=using, robust=True)


def is_draft_activity(instance: models.Model) -> bool:
    """A change to a draft petition or to a row of one (its petitioners, its claims)."""
    from petitions.models import Petition

    if isinstance(instance, Petition):
        return instance.status == Petition.Status.DRAFT
    petition_id = getattr(instance, "petition_id", None)
    if petition_id is None:
        return False
    return not Petition.objects.filter(pk=petition_id).exclude(status=Petition.Status.DRAFT).exists()


def after_public_change() -> None:
    """Once the change is committed: invalidate every cached public answer and ask for an export build."""
    from public import freshness, services

    freshness.bump_version()
    if settings.PUBLIC_EXPORT_REBUILD_ON_CHANGE:
        services.request_export_build()


def budget_changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """A changed tier or key takes effect on the next request, not when its cached copy expires."""
    from public.api import throttles

    cache.delete_many(throttles.cache_keys_for(instance))
