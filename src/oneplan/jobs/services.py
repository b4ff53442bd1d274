"""Starting, running and retrying jobs.

A job is queued as one django-tasks task (`run_job`), in the same transaction as its Job row, so the
worker never sees one without the other. The work itself is a function `work(job, progress)` named by
`Job.kind`; it returns a `Outcome` (a link to the result) or raises `JobError` with a Thai message.

What makes a job safe to run twice (a worker killed mid-job runs it again, see reclaim.py): each kind
writes its result in one step that either happens whole or not at all (an import in one database
transaction, an open-data package in one storage write), and writing it again gives the same result.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from oneplan.compat_tasks import task
from oneplan.core.logs import bind_request_id, request_id, reset_request_id

from .models import Job

logger = logging.getLogger("oneplan.jobs")
UNEXPECTED = ("งานนี้หยุดเพราะเกิดข้อผิดพลาดที่ไม่คาดคิดในระบบ ไม่มีการบันทึกข้อมูลใด ๆ จากงานนี้ "
              "กรุณากด “ลองใหม่” หากยังไม่สำเร็จ แจ้งผู้ดูแลระบบพร้อมรหัสงาน")


class JobError(Exception):
    """The job cannot be done for a reason the person can act on (Thai, naming what is wrong)."""


@dataclass
class Outcome:
    url: str = ""
    label: str = ""


def start(kind: str, title: str, *, owner=None, params: dict | None = None, dedupe_key: str = "") -> Job:
    """Queue a job. With a dedupe_key, a job of that key not yet finished is returned instead of a second."""
    with transaction.atomic():
        if dedupe_key:
            waiting = Job.objects.filter(dedupe_key=dedupe_key, status__in=[Job.QUEUED, Job.RUNNING]).first()
            if waiting is not None:
                return waiting
        job = Job.objects.create(kind=kind, title=title, owner=owner if getattr(owner, "pk", None) else None,
                                 params=params or {}, dedupe_key=dedupe_key,
                                 request_id="" if request_id() == "-" else request_id())
        _enqueue(job)
    job.refresh_from_db()  # the immediate backend (tests) has run it already
    return job


def retry(job: Job) -> Job:
    """A failed job, queued again as it was."""
    with transaction.atomic():
        if Job.objects.filter(pk=job.pk, status=Job.FAILED).update(
                status=Job.QUEUED, progress=0, note="", error="", finished_at=None, request_id=request_id()):
            _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: Job) -> None:
    result = run_job.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


class Progress:
    """`progress(percent, note)` from inside a job: written to the Job row, which the page polls."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.last = -1

    def __call__(self, percent: float, note: str | None = None) -> None:
        percent = max(0, min(100, int(percent)))
        if percent == self.last and note is None:
            return
        self.last = percent
        fields = {"progress": percent} if note is None else {"progress": percent, "note": note[:300]}
        Job.objects.filter(pk=self.job_id).update(**fields)

    def ticks(self, start: float, end: float, expected: int, then=None):
        """A tick() for loops that call it about `expected` times: moves the bar from start to end
        (never past end: the estimate may be short) and calls `then()` on each tick."""
        count = [0]
        step = max(1, expected // 50)

        def tick():
            count[0] += 1
            if count[0] % step == 0:
                self(start + (end - start) * min(1.0, count[0] / max(1, expected)))
            if then is not None:
                then()

        return tick


@task()
def run_job(job_id: str) -> str:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status == Job.DONE:
        return "skipped"  # delivered again after it was done: nothing to do
    Job.objects.filter(pk=job.pk).update(status=Job.RUNNING, started_at=timezone.now(), progress=0, note="",
                                         error="", attempts=F("attempts") + 1)
    token = bind_request_id(job.request_id or f"job-{job.pk.hex[:12]}")
    try:
        logger.info("job started", extra={"job": str(job.pk), "kind": job.kind})
        outcome = import_string(job.kind)(job, Progress(job.pk)) or Outcome()
    except JobError as exc:
        _finish(job, Job.FAILED, error=str(exc))
    except Exception:
        logger.exception("job failed", extra={"job": str(job.pk), "kind": job.kind})
        _finish(job, Job.FAILED, error=UNEXPECTED)
    else:
        _finish(job, Job.DONE, progress=100, result_url=outcome.url, result_label=outcome.label)
        _remove_files(job)
    finally:
        reset_request_id(token)
    return Job.objects.get(pk=job.pk).status


def _remove_files(job: Job) -> None:
    """Files the job worked from (params["files"], in storage), no longer needed once it is done; kept
    while it may still be retried."""
    from django.core.files.storage import default_storage

    for name in job.params.get("files", []):
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not remove a job's file", extra={"job": str(job.pk), "file": name})


def _finish(job: Job, status: str, **fields) -> None:
    Job.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **fields)
    logger.info("job finished", extra={"job": str(job.pk), "kind": job.kind, "status": status})
