"""Notices of a case (deadline warnings and stage changes) and their delivery, one module a concern.

- `sweep`: claims, in set-based SQL, the open deadlines that crossed a warning threshold and writes one
  DeadlineAlert per crossing plus its outbox rows (Notification) in the same transaction.
- `stage_changes`: one outbox row per follower of the case at each workflow step and at the filing.
- `recipients`: who is told about a case (watchers, subscriptions, webhooks), one SQL definition that
  both of the above read.
- `subscriptions`: a member's subscriptions, a visitor's double opt-in, one-click unsubscribe.
- `outbox`: after commit, one delivery task per outbox row; the safety net re-enqueues rows whose task
  was lost; a row is claimed with a conditional UPDATE, so a duplicate task or a second worker does
  nothing.
- `delivery`: sends a claimed row by e-mail (in the recipient's language) or signed webhook and records
  how it went.
- `messages`: what the recipient reads.
- `signing`: webhook signatures, with a secret derived from SECRET_KEY and the endpoint's salt, never
  stored.
"""
