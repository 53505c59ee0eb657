"""What the apps built on the case core tell it, so that the core names no app: through which relation
a user belongs to a case, which route records each workflow step, and which records join a case's
audit trail. Each app registers its part in its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rrm.api.history import HistorySource


@dataclass
class CoreRegistry:
    # Lookups from a Case to the users who belong to it, e.g. through the petition's petitioners.
    member_paths: list[str] = field(default_factory=list)
    # Lookups from a Case to the organisations whose cases it is; their members belong to the case too.
    organisation_paths: list[str] = field(default_factory=list)
    # Workflow actions a member of the case may take (the others are for case officers).
    member_steps: set[str] = field(default_factory=set)
    # Workflow action -> name of the route (in the API's namespace) that records it.
    step_routes: dict[str, str] = field(default_factory=dict)
    history_sources: list[HistorySource] = field(default_factory=list)

    def register(
        self,
        *,
        member_paths: Iterable[str] = (),
        organisation_paths: Iterable[str] = (),
        member_steps: Iterable[str] = (),
        step_routes: Mapping[str, str] | None = None,
        history_sources: Iterable[HistorySource] = (),
    ) -> None:
        for path in organisation_paths:
            if path not in self.organisation_paths:
                self.organisation_paths.append(path)
        wanted = [*member_paths, *(f"{path}__members" for path in organisation_paths)]
        self.member_paths.extend(path for path in wanted if path not in self.member_paths)
        self.member_steps.update(member_steps)
        self.step_routes.update(step_routes or {})
        self.history_sources.extend(
            source for source in history_sources if source not in self.history_sources
        )


registry = CoreRegistry()
