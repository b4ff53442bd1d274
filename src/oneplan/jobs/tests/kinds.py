"""Job kinds used by the tests (a job's kind is a dotted path; the worker process imports these too)."""
import time
from pathlib import Path

from django.db import transaction

from oneplan.jobs.models import Job
from oneplan.jobs.services import JobError, Outcome


def flaky(job, progress):
    """Fails the first time with a Thai error, succeeds when retried."""
    progress(30, "ครึ่งทาง")
    if job.attempts == 0:
        raise JobError("แถวที่ 3 คอลัมน์ งบประมาณ 2567: ไม่ใช่ตัวเลข")
    return Outcome(url="/plans/", label="ดูแผน")


def broken(job, progress):
    raise RuntimeError("a bug, not the person's fault")


def _wait_for(path: Path):
    # waits for the test to say go on; the test's own limit ends it if that never comes
    while not path.exists():
        time.sleep(0.05)


def hold(job, progress):
    """Reports 50 %, then inside one transaction writes a marker row and waits for the `release` file
    (the test kills the worker while it waits): the marker exists only if the job ran to the end."""
    folder = Path(job.params["folder"])
    progress(50, "รอสัญญาณจากการทดสอบ")
    with transaction.atomic():
        Job.objects.create(kind="marker", title=job.params["marker"])
        (folder / f"inside-{job.attempts}").touch()
        _wait_for(folder / "release")
    return Outcome(url="/", label="เสร็จ")
