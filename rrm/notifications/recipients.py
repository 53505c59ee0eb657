"""Who is told about a case: one definition, read by the deadline sweep and by the stage-change notices.

E-mail goes to the users watching the case and to every confirmed subscription that covers it (the case,
an organisation whose cases it is, every public case); one e-mail per address, compared without case,
in the language of the address's earliest subscription. Webhooks go to the active endpoints that list
the case, and to the active endpoints of its organisations that list no case (no list means every case
of the organisation).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models

from rrm.api.registry import registry
from rrm.models import Case, CaseWatch, Notification, Organisation, Subscription, WebhookEndpoint


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def case_organisations_sql() -> tuple[str, list[Any]]:
    """(case_id, organisation_id) of every case and the organisations it belongs to, through the paths
    the apps registered; no row when no app registered one."""
    parts: list[str] = []
    params: list[Any] = []
    for path in registry.organisation_paths:
        query = Case.objects.filter(**{f"{path}__isnull": False}).values_list("pk", path).query
        sql, query_params = query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS linked (case_id, organisation_id)")
        params.extend(query_params)
    if not parts:
        return "SELECT NULL::bigint AS case_id, NULL::bigint AS organisation_id WHERE false", []
    return " UNION ".join(parts), params


def _user_email_column() -> str:
    user = get_user_model()
    email_field = user._meta.get_field(user.get_email_field_name())
    assert isinstance(email_field, models.Field)
    return _quote(str(email_field.column))


def _addresses_sql(cases: str) -> str:
    """(case_id, email, language, since) of every address told about the cases `cases` selects."""
    email = _user_email_column()
    subscription = _quote(Subscription._meta.db_table)
    members = _quote(Organisation.members.through._meta.db_table)
    confirmed = "s.confirmed_at IS NOT NULL"
    return (
        f"SELECT watch.case_id, u.{email} AS email, watch.language, watch.created_at AS since "
        f"FROM {_quote(CaseWatch._meta.db_table)} AS watch "
        f"JOIN {_quote(get_user_model()._meta.db_table)} AS u ON u.id = watch.user_id "
        f"WHERE u.is_active AND u.{email} <> '' AND watch.case_id IN ({cases}) "
        f"UNION ALL SELECT s.case_id, s.email, s.language, s.created_at FROM {subscription} AS s "
        f"WHERE s.scope = 'case' AND {confirmed} AND s.case_id IN ({cases}) "
        f"UNION ALL SELECT linked.case_id, s.email, s.language, s.created_at FROM {subscription} AS s "
        "JOIN case_organisations AS linked ON linked.organisation_id = s.organisation_id "
        f"WHERE s.scope = 'organisation' AND {confirmed} AND linked.case_id IN ({cases}) "
        f"AND EXISTS (SELECT 1 FROM {members} AS m WHERE m.organisation_id = s.organisation_id "
        "AND m.user_id = s.user_id) "
        f"UNION ALL SELECT c.id, s.email, s.language, s.created_at FROM {subscription} AS s "
        f"CROSS JOIN {_quote(Case._meta.db_table)} AS c WHERE s.scope = 'public' AND {confirmed} "
        f"AND c.id IN ({cases})"
    )


def _endpoints_sql(cases: str) -> str:
    """(case_id, endpoint_id) of every active webhook endpoint told about the cases `cases` selects."""
    listed = _quote(WebhookEndpoint.cases.through._meta.db_table)
    endpoint = _quote(WebhookEndpoint._meta.db_table)
    return (
        f"SELECT listed.case_id, listed.webhookendpoint_id AS endpoint_id FROM {listed} AS listed "
        f"JOIN {endpoint} AS endpoint ON endpoint.id = listed.webhookendpoint_id "
        f"WHERE endpoint.active AND listed.case_id IN ({cases}) "
        f"UNION SELECT linked.case_id, endpoint.id FROM {endpoint} AS endpoint "
        "JOIN case_organisations AS linked ON linked.organisation_id = endpoint.organisation_id "
        f"WHERE endpoint.active AND linked.case_id IN ({cases}) "
        f"AND NOT EXISTS (SELECT 1 FROM {listed} AS any_listed "
        "WHERE any_listed.webhookendpoint_id = endpoint.id)"
    )


def recipients_ctes(cases: str) -> tuple[str, list[Any]]:
    """CTEs ending in `recipients` (case_id, channel, email, endpoint_id, language): everyone told about
    the cases the SQL `cases` selects (it may name earlier CTEs of the statement and carry no parameter)."""
    linked, linked_params = case_organisations_sql()
    sql = (
        f"case_organisations AS ({linked}), addresses AS ({_addresses_sql(cases)}), "
        "recipients AS ("
        'SELECT case_id, %s AS channel, min(email COLLATE "C") AS email, NULL::bigint AS endpoint_id, '
        "(array_agg(language ORDER BY since, email))[1] AS language "
        "FROM addresses GROUP BY case_id, lower(email) "
        f"UNION ALL SELECT case_id, %s, '', endpoint_id, %s FROM ({_endpoints_sql(cases)}) AS endpoints)"
    )
    return sql, [
        *linked_params,
        Notification.Channel.EMAIL,
        Notification.Channel.WEBHOOK,
        Notification._meta.get_field("language").get_default(),
    ]
