"""``talent-exchange worker``: run background tasks (db_worker's options), with a heartbeat
so that tasks of a worker that dies are recovered, and request ids in the logs. Recovers
what dead workers left before it starts."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from talent_exchange.operations import recovery
from talent_exchange.operations.worker import BeatingWorker


class Command(DbWorkerCommand):
    help = "Run the background task worker (with a heartbeat and task recovery)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        recovered = recovery.recover_lost_tasks()
        if recovered:
            self.stdout.write(f"{len(recovered)} task(s) of stopped workers recovered.")
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = BeatingWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
