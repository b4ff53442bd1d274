"""`oneplan worker`: runs the background jobs (django-tasks' database worker), with a heartbeat and the
reclaim of jobs left by dead workers (oneplan.jobs.reclaim). Stop it with SIGTERM / Ctrl+C: the job in
hand finishes first."""
import threading

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from oneplan.jobs import reclaim

BEAT_SECONDS = 5


class Command(db_worker.Command):
    help = "Run the background jobs (imports, open-data builds): one process, one job at a time"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=reclaim.new_worker_id(), reload=False)

    def handle(self, *args, **options):
        worker_id, started = options["worker_id"], timezone.now()
        reclaim.beat(worker_id, started)
        reclaim.reclaim()  # before the first task: jobs of a worker that died on this host run again now
        close_old_connections()
        threading.Thread(target=self._keep_beating, args=(worker_id, started), daemon=True,
                         name="oneplan-worker-beat").start()
        super().handle(*args, **options)

    def _keep_beating(self, worker_id, started):
        stop = threading.Event()
        while not stop.wait(BEAT_SECONDS):
            try:
                reclaim.beat(worker_id, started)
                reclaim.reclaim()
            except Exception:  # a locked or restarting database: try again at the next beat
                reclaim.logger.warning("worker heartbeat failed", exc_info=True)
            finally:
                connection.close()  # this thread's own connection
