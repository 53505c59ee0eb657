"""Django's PostgreSQL backend, with the embedded server started before the first connection."""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base as postgresql

from config.embedded_db.server import EmbeddedPostgres


class DatabaseWrapper(postgresql.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        server = EmbeddedPostgres(
            root=self.settings_dict["HOST"], server_settings=self.settings_dict["SERVER_SETTINGS"]
        )
        server.join()
        return super().get_new_connection(conn_params)
