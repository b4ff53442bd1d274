"""A worker killed mid-job (OOM, a deploy, a lost machine) must not leave its job "running" forever.

django-tasks' database backend marks a task RUNNING when a worker claims it and never looks at it again:
a task whose worker died stays RUNNING. So every `oneplan worker` keeps a heartbeat row (WorkerBeat) and,
when it starts and then every few seconds, puts back in the queue the tasks whose worker is gone:
- a worker on this host whose process no longer exists: at once (its id holds host and pid);
- a worker elsewhere: once its heartbeat is older than ONEPLAN_WORKER_STALE_SECONDS.
The job then runs again from the start. Nothing of the killed run remains: every job writes its result
in one transaction (or one storage write) that the dead worker never committed.
"""
from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from oneplan.compat_tasks import TaskResultStatus

from .models import Job, WorkerBeat

logger = logging.getLogger("oneplan.jobs")


def host() -> str:
    return socket.gethostname()[:40]


def new_worker_id() -> str:
    """host:pid:random (at most 64 characters, django-tasks' limit)."""
    return f"{host()}:{os.getpid()}:{get_random_string(8)}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, belongs to someone else
    return True


def is_alive(worker_id: str, now=None) -> bool:
    parts = worker_id.rsplit(":", 2)
    if len(parts) == 3 and parts[0] == host() and parts[1].isdigit():
        return _pid_alive(int(parts[1]))
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.ONEPLAN_WORKER_STALE_SECONDS)
    return WorkerBeat.objects.filter(worker_id=worker_id, seen_at__gte=stale).exists()


def beat(worker_id: str, started_at) -> None:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={
        "host": host(), "pid": os.getpid(), "started_at": started_at, "seen_at": now})
    # rows of workers gone for a day are of no use to anyone
    WorkerBeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


def reclaim() -> int:
    """Queue again every running task whose worker is gone; returns how many."""
    from django_tasks_db.models import DBTaskResult

    count = 0
    for result in DBTaskResult.objects.running().only("id", "worker_ids"):
        worker = (result.worker_ids or [""])[-1]
        if worker and is_alive(worker):
            continue
        with transaction.atomic():
            if DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.READY, started_at=None):
                Job.objects.filter(task_id=str(result.pk), status=Job.RUNNING).update(
                    status=Job.QUEUED, progress=0, note="ผู้ประมวลผลงานหยุดทำงานกลางคัน งานนี้จะเริ่มใหม่ตั้งแต่ต้น")
                count += 1
                logger.warning("task put back in the queue", extra={"task": str(result.pk), "worker": worker})
    return count


def alive_workers() -> int:
    stale = timezone.now() - timedelta(seconds=settings.ONEPLAN_WORKER_STALE_SECONDS)
    return WorkerBeat.objects.filter(seen_at__gte=stale).count()
