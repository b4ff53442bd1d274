"""Jobs as a person sees them: progress and result, a failure in Thai with a retry, who may look; and
the reclaim of a job whose worker died."""
import os
import subprocess

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from oneplan.jobs import reclaim, services
from oneplan.jobs.models import Job, WorkerBeat
from oneplan.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
KINDS = "oneplan.jobs.tests.kinds"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_a_job_page_shows_its_percentage_and_result(client):
    owner = UserFactory()
    job = services.start(f"{KINDS}.flaky", "นำเข้าทดสอบ", owner=owner)
    services.retry(job)  # first run failed; the second succeeds
    client.force_login(owner)
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'value="100"' in html and "100%" in html and 'href="/plans/"' in html and "ดูแผน" in html
    assert "hx-trigger" not in html  # finished: the page stops polling


def test_an_unfinished_job_polls_and_shows_the_percentage_the_job_set(client):
    job = Job.objects.create(kind=f"{KINDS}.flaky", title="สร้างชุดข้อมูล", status=Job.RUNNING, progress=42,
                             note="กำลังเขียนตาราง")
    html = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert f'hx-get="{reverse("jobs:status", args=[job.pk])}"' in html and "every 2s" in html
    assert "42%" in html and "กำลังเขียนตาราง" in html


def test_a_failed_job_shows_the_thai_error_and_can_be_retried(client):
    owner = UserFactory()
    job = services.start(f"{KINDS}.flaky", "นำเข้าทดสอบ", owner=owner)
    assert job.status == Job.FAILED
    client.force_login(owner)
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "แถวที่ 3 คอลัมน์ งบประมาณ 2567" in html and reverse("jobs:retry", args=[job.pk]) in html
    response = client.post(reverse("jobs:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Job.DONE and job.attempts == 2 and job.error == "" and job.progress == 100


def test_an_unexpected_failure_is_a_thai_message_not_a_traceback(client):
    job = services.start(f"{KINDS}.broken", "งานที่พัง")
    assert job.status == Job.FAILED and job.error == services.UNEXPECTED
    assert "RuntimeError" not in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()


def test_only_the_owner_and_staff_see_a_personal_job(client):
    owner = UserFactory()
    job = services.start(f"{KINDS}.flaky", "นำเข้าทดสอบ", owner=owner)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 404
    assert Job.objects.get(pk=job.pk).status == Job.FAILED  # the refused retry changed nothing
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200


def test_an_unfinished_job_of_the_same_key_is_reused():
    with override_settings(TASKS=DATABASE_QUEUE):  # queued, not run: nothing runs it in this test
        first = services.start(f"{KINDS}.flaky", "ก", dedupe_key="opendata:83")
        assert services.start(f"{KINDS}.flaky", "ก", dedupe_key="opendata:83").pk == first.pk
        assert services.start(f"{KINDS}.flaky", "ก", dedupe_key="opendata:84").pk != first.pk


def _running_task(worker_id):
    """A job queued on the database backend and claimed by `worker_id`, as db_worker leaves it."""
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DATABASE_QUEUE):
        job = services.start(f"{KINDS}.flaky", "งานค้าง")
    DBTaskResult.objects.get(pk=job.task_id).claim(worker_id)
    Job.objects.filter(pk=job.pk).update(status=Job.RUNNING, progress=60)
    return job


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid  # exited and reaped: no such process any more


def test_a_job_of_a_dead_worker_on_this_host_is_queued_again_and_a_live_ones_is_not():
    from django_tasks_db.models import DBTaskResult

    dead = _running_task(f"{reclaim.host()}:{_dead_pid()}:abcdefgh")
    alive = _running_task(f"{reclaim.host()}:{os.getpid()}:abcdefgh")
    assert reclaim.reclaim() == 1
    assert DBTaskResult.objects.get(pk=dead.task_id).status == "READY"
    dead.refresh_from_db()
    assert dead.status == Job.QUEUED and dead.progress == 0 and "เริ่มใหม่" in dead.note
    assert DBTaskResult.objects.get(pk=alive.task_id).status == "RUNNING"
    assert Job.objects.get(pk=alive.pk).status == Job.RUNNING


@override_settings(ONEPLAN_WORKER_STALE_SECONDS=60)
def test_a_worker_elsewhere_is_gone_when_its_heartbeat_is_stale():
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="other-host:12:quiet", host="other-host", pid=12, started_at=now,
                              seen_at=now - timezone.timedelta(seconds=61))
    WorkerBeat.objects.create(worker_id="other-host:13:busy", host="other-host", pid=13, started_at=now,
                              seen_at=now)
    quiet, busy = _running_task("other-host:12:quiet"), _running_task("other-host:13:busy")
    assert reclaim.reclaim() == 1
    assert Job.objects.get(pk=quiet.pk).status == Job.QUEUED
    assert Job.objects.get(pk=busy.pk).status == Job.RUNNING
