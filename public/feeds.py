"""Atom feeds of the public record: new cases, new timeline events (of every case or of one case) and
corrections, each at most FEED_ENTRIES entries, newest first.

They read what the public API reads (public.selectors and its allowlists), take the same filters
(public.api.filters, with the lists' 400 answers: a parameter a feed does not know, or a value its
filter refuses, names the valid parameters, values or format) and carry the same validators and
response cache (public.freshness). Titles and labels are in the request's language, or in the one
`lang` names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import F
from django.db.models.functions import Coalesce
from django.db.transaction import non_atomic_requests
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import require_safe
from rest_framework.exceptions import ValidationError

from public import freshness, selectors
from public.api import filters
from rrm.choices import DatePrecision
from rrm.models import Case, TimelineEvent

# The most entries a feed holds; older ones stay in the public API and the bulk export.
FEED_ENTRIES = 50
LANGUAGE_PARAMETER = "lang"
# The date of the tag URIs (RFC 4151) that identify entries: fixed, so that an entry keeps its id.
TAG_DATE = "2020"
CHANGELOG_IDENTITY = ("entry_kind", "entry_case", "entry_field", "entry_previous", "entry_corrected")


@dataclass(frozen=True)
class Entry:
    guid: str
    title: str
    link: str
    summary: str
    published: dt.datetime
    updated: dt.datetime
    source_url: str = ""


@dataclass(frozen=True)
class Scope:
    """What one request's feed holds."""

    title: str
    link: str
    address: str
    entries: list[Entry]


# --------------------------------------------------------------------------------------------------
# Parameters


def feed_language(request: HttpRequest) -> str:
    requested = request.GET.get(LANGUAGE_PARAMETER)
    codes = [code for code, _name in settings.LANGUAGES]
    if requested is None:
        return translation.get_language() or settings.LANGUAGE_CODE
    if requested not in codes:
        raise ValidationError({LANGUAGE_PARAMETER: [filters.valid_values(codes)]})
    return requested


# --------------------------------------------------------------------------------------------------
# Entries


def tag(request: HttpRequest, specific: str) -> str:
    host = urlsplit(f"//{request.get_host()}").hostname or "localhost"
    return f"tag:{host},{TAG_DATE}:{specific}"


def summary(*facts: tuple[str, object]) -> str:
    """The entry's facts as HTML paragraphs, each escaped; empty ones left out."""
    return format_html_join("", "<p>{}: {}</p>", ((label, value) for label, value in facts if value))


def case_link(case_id: str) -> str:
    return reverse("pages:case-detail", kwargs={"case_id": case_id})


def case_name(case: Case) -> str:
    return case.title or case.facility.name


def start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def case_entry(request: HttpRequest, case: Case) -> Entry:
    received = case.petition_received_on or case.request_for_review_on
    return Entry(
        guid=tag(request, f"case/{case.case_id}"),
        title=f"{case.case_id}: {case_name(case)}",
        link=case_link(case.case_id),
        summary=summary(
            (_("Facility"), case.facility.name),
            (_("Company"), case.facility.operator.name),
            (_("Received"), received and received.isoformat()),
            (_("Annex"), case.get_annex_display()),
            (_("Stage"), case.get_stage_display()),
        ),
        published=start_of(received) if received else case.updated_at,
        updated=case.updated_at,
    )


def event_date(event: TimelineEvent) -> str:
    """The date as the record knows it: a month alone when only the month is, and how it is known."""
    shown = event.occurred_on.strftime("%Y-%m" if event.date_precision == DatePrecision.MONTH else "%Y-%m-%d")
    return f"{shown} ({event.get_date_basis_display()})"


def event_entry(request: HttpRequest, event: TimelineEvent) -> Entry:
    case_id = event.case.case_id
    return Entry(
        guid=tag(request, f"event/{event.pk}"),
        title=f"{case_id}: {event.get_kind_display()}",
        link=case_link(case_id),
        summary=summary(
            (_("Date"), event_date(event)),
            (_("Description"), event.description),
            (_("Source"), event.source_url or event.source_note),
            (_("Corrected"), getattr(event, "is_corrected", False) and _("a later event corrects this one")),
        ),
        published=event.recorded_at,
        updated=event.recorded_at,
        source_url=event.source_url,
    )


def correction_entry(request: HttpRequest, row: dict[str, Any]) -> Entry:
    case_id = row["entry_case"]
    # Changelog rows have no id of their own: the entry is named by what was corrected, and how.
    digest = hashlib.sha256("\x1f".join(str(row[name]) for name in CHANGELOG_IDENTITY).encode())
    subject = case_id or _("the dataset")
    return Entry(
        guid=tag(request, f"correction/{digest.hexdigest()[:32]}"),
        title=_("%(subject)s: %(field)s corrected") % {"subject": subject, "field": row["entry_field"]},
        link=case_link(case_id) if case_id else reverse("v1:public:corrections"),
        summary=summary(
            (_("Corrected on"), row["entry_date"].isoformat()),
            (_("Previously"), row["entry_previous"]),
            (_("Now"), row["entry_corrected"]),
            (_("Reason"), row["entry_reason"]),
            (_("Source"), row["entry_source"]),
        ),
        published=row["entry_recorded"],
        updated=row["entry_recorded"],
        source_url=row["entry_source"] or "",
    )


# --------------------------------------------------------------------------------------------------
# The feeds' contents


def cases_scope(request: HttpRequest) -> Scope:
    cases = filters.filtered(
        filters.CaseFilter, request.GET, selectors.public_cases(), also=[LANGUAGE_PARAMETER]
    )
    newest = cases.alias(received=Coalesce("petition_received_on", "request_for_review_on")).order_by(
        F("received").desc(nulls_last=True), "-pk"
    )
    return Scope(
        title=_("New cases"),
        link=reverse("pages:case-list"),
        address=request.build_absolute_uri(),
        entries=[case_entry(request, case) for case in newest[:FEED_ENTRIES]],
    )


def events_scope(request: HttpRequest, case_id: str | None = None) -> Scope:
    events = filters.filtered(
        filters.EventFilter, request.GET, selectors.public_events(), also=[LANGUAGE_PARAMETER]
    )
    title, link = _("New timeline events"), reverse("pages:case-list")
    if case_id is not None:
        case = selectors.public_cases().filter(case_id=case_id).first()
        if case is None:
            raise Http404(case_id)
        events = events.filter(case=case)
        title, link = _("Timeline of %(case)s") % {"case": case_name(case)}, case_link(case_id)
    newest = events.order_by("-recorded_at", "-pk")[:FEED_ENTRIES]
    return Scope(
        title=title,
        link=link,
        address=request.build_absolute_uri(),
        entries=[event_entry(request, event) for event in newest],
    )


def corrections_scope(request: HttpRequest) -> Scope:
    query = filters.cleaned(filters.ChangelogForm, request.GET, also=[LANGUAGE_PARAMETER])
    rows = selectors.corrections_changelog(since=query["updated_since"], case_id=query["case"])
    return Scope(
        title=_("Corrections to the public record"),
        link=reverse("v1:public:corrections"),
        address=request.build_absolute_uri(),
        entries=[correction_entry(request, row) for row in rows[:FEED_ENTRIES]],
    )


# --------------------------------------------------------------------------------------------------
# Atom


class RecordAtomFeed(Atom1Feed):
    """Atom, with each entry's public source as a related link."""

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("source_url"):
            handler.addQuickElement("link", "", {"rel": "related", "href": item["source_url"]})


def _read(field: str) -> Callable[..., Any]:
    """A feed or entry property that Django reads off the scope or entry it is given, unchanged."""

    def read(feed: Feed, source: Scope | Entry) -> Any:
        return getattr(source, field)

    return read


class RecordFeed(Feed):
    """The Atom feed of the scope `build` makes of a request."""

    feed_type = RecordAtomFeed
    item_guid_is_permalink = False

    def __init__(self, build: Callable[..., Scope]) -> None:
        self.build = build

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        return self.build(request, **kwargs)

    title = _read("title")
    link = _read("link")
    feed_url = _read("address")
    feed_guid = _read("address")
    items = _read("entries")
    item_title = _read("title")
    item_link = _read("link")
    item_description = _read("summary")
    item_guid = _read("guid")
    item_pubdate = _read("published")
    item_updateddate = _read("updated")

    def author_name(self) -> str:
        return _("RRM case record")

    def item_extra_kwargs(self, entry: Entry) -> dict[str, Any]:
        return {"source_url": entry.source_url}


# --------------------------------------------------------------------------------------------------
# Views


def validated(request: HttpRequest, produce: Callable[[], HttpResponse]) -> HttpResponse:
    """The feed, or 304, with the public API's ETag, Last-Modified and Cache-Control; a feed rendered
    for the current data version is served again from the cache."""
    query = sorted(f"{name}={value}" for name, values in request.GET.lists() for value in values)
    identity = f"{request.build_absolute_uri(request.path)}?{'&'.join(query)}|{translation.get_language()}"
    cache_key = f"public:feed:{hashlib.sha256(identity.encode()).hexdigest()[:40]}"
    seconds = settings.PUBLIC_API_RESPONSE_CACHE_SECONDS
    version, found = freshness.current_version_and(*([cache_key] if seconds else []))
    etag = f'"{version.digest("feed", identity)}"'
    last_modified = version.last_modified
    response = get_conditional_response(request, etag=etag, last_modified=int(last_modified.timestamp()))
    stored = found.get(cache_key)
    if response is None and stored is not None and stored[0] == etag:
        response = HttpResponse(stored[1], content_type=stored[2])
    if response is None:
        response = produce()
        if seconds:
            cache.set(cache_key, (etag, response.content, response["Content-Type"]), seconds)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, public=True, no_cache=True)
    return response


def served(build: Callable[..., Scope]) -> Callable[..., HttpResponse]:
    feed = RecordFeed(build)

    @require_safe
    def view(request: HttpRequest, **kwargs: str) -> HttpResponse:
        try:
            with translation.override(feed_language(request)):
                return validated(request, lambda: feed(request, **kwargs))
        except ValidationError as refusal:
            return JsonResponse(refusal.detail, status=400)

    # Nothing here writes: a cached feed must not even open a database transaction.
    return non_atomic_requests(view)


app_name = "feeds"
urlpatterns = [
    path("feeds/cases/", served(cases_scope), name="cases"),
    path("feeds/events/", served(events_scope), name="events"),
    path("feeds/corrections/", served(corrections_scope), name="corrections"),
    path("cases/<slug:case_id>/feed/", served(events_scope), name="case-events"),
]
