"""Run the deadline sweep without Celery beat: once, or in a loop beside `runserver`.

With no broker configured (the embedded default) deliveries run in this process right after each sweep.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from rrm.notifications.sweep import SweepResult, run_scheduled_sweep


class Command(BaseCommand):
    help = "Alert watchers and webhooks about deadlines due soon or overdue (exactly once per threshold)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Sweep again every --interval seconds.")
        parser.add_argument(
            "--interval",
            type=int,
            default=None,
            help="Seconds between sweeps with --loop (default: RRM_SWEEP_INTERVAL_SECONDS).",
        )

    def handle(self, *args: Any, loop: bool, interval: int | None, **options: Any) -> None:
        interval = settings.RRM_SWEEP_INTERVAL_SECONDS if interval is None else interval
        if interval < 1:
            raise CommandError(f"--interval must be at least 1 second, got {interval}.")
        if not loop:
            self._report(run_scheduled_sweep())
            return
        self.stdout.write(f"Sweeping every {interval} s; Ctrl-C stops.")
        try:
            while True:
                self._sweep_surviving_database_errors()
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")

    def _sweep_surviving_database_errors(self) -> None:
        close_old_connections()
        try:
            self._report(run_scheduled_sweep())
        except DatabaseError as error:
            # A database restart should not end the loop; the next sweep picks up what this one missed.
            self.stderr.write(f"Sweep failed, will retry: {error}")

    def _report(self, result: SweepResult) -> None:
        self.stdout.write(
            f"{result.today}: {result.alerts_created} alert(s), "
            f"{len(result.notification_ids)} notification(s) queued, {len(result.requeued_ids)} re-queued."
        )
