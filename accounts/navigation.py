"""The workspace navigation of signed-in pages: one declaration of its links, each shown to whom it
serves. Workspaces of other apps add their links here by URL name (no import of theirs is needed); the
staff's work queue is in the main navigation (pages_tags.NAV_LINKS), shown on every page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts import selectors
from rrm.api.roles import organisations_of


def anyone(user: User) -> bool:
    return True


def petitioners(user: User) -> bool:
    return organisations_of(user).exists()


@dataclass(frozen=True)
class WorkspaceLink:
    view_name: str
    label: Promise
    shown_to: Callable[[User], bool] = anyone


WORKSPACE_LINKS = (
    WorkspaceLink("accounts:home", _("Your workspace")),
    WorkspaceLink("pages:workspace", _("Petitions and cases"), petitioners),
    WorkspaceLink("pages:notices", _("Notices"), petitioners),
    WorkspaceLink("accounts:invite", _("Invite members"), selectors.may_invite),
    WorkspaceLink("accounts:security", _("Security")),
)


def workspace_links(user: User | AnonymousUser) -> list[WorkspaceLink]:
    if not isinstance(user, User):
        return []
    return [link for link in WORKSPACE_LINKS if link.shown_to(user)]
