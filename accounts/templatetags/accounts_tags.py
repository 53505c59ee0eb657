"""The workspace navigation for templates: `{% workspace_nav request as workspace %}`."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.http import HttpRequest

from accounts.navigation import WorkspaceLink, workspace_links

register = template.Library()


@dataclass(frozen=True)
class WorkspaceNav:
    links: list[WorkspaceLink]
    current: WorkspaceLink | None


@register.simple_tag
def workspace_nav(request: HttpRequest) -> WorkspaceNav:
    """The workspace links this user may follow, and the one of the page shown."""
    links = workspace_links(request.user)
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    return WorkspaceNav(
        links=links, current=next((link for link in links if link.view_name == view_name), None)
    )
