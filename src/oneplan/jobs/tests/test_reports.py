"""Reports made by the worker (oneplan.jobs.results) as people meet them: a province's one-plan checks,
the duplicate finder and the PDFs. The page follows the job, then shows the result; results are per
person (what they may see), or shared when the answer is the same for everyone."""
import pytest
from django.test import override_settings
from django.urls import reverse

from oneplan.areas.models import Area
from oneplan.jobs import results
from oneplan.jobs.models import Job
from oneplan.jobs.services import run_job
from oneplan.organisations.models import Membership
from oneplan.testing.factories import OrganisationFactory, PlanFactory, editor_of

pytestmark = pytest.mark.django_db
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CHECKS = reverse("linkage:report") + "?province=83"


def _run_queued():
    """What `oneplan worker` does with every queued job."""
    for job in Job.objects.filter(status=Job.QUEUED):
        run_job.call(str(job.pk))


@pytest.fixture
def phuket_draft():
    """A draft plan in Phuket that only its organisation's editors may see."""
    org = OrganisationFactory(area=Area.objects.get(code="83"))
    plan = PlanFactory(owner=org, area=org.area, title_th="แผนร่างเฉพาะหน่วยงานทดสอบ")
    return plan, editor_of(org)


def test_an_officer_checks_a_whole_province_the_page_follows_the_worker_then_lists_each_plan(client):
    phuket = reverse("linkage:plan_checks", args=[_phuket_plan_pk()])
    with override_settings(TASKS=QUEUE):
        waiting = client.get(CHECKS).content.decode()
        assert "hx-trigger" in waiting and phuket not in waiting   # queued: progress, no table yet
        assert client.get(CHECKS).status_code == 200 and Job.objects.filter(status=Job.QUEUED).count() == 1
        _run_queued()
        done = client.get(CHECKS).content.decode()
        assert phuket in done and "hx-trigger" not in done and "คำนวณเมื่อ" in done
        client.post(reverse("linkage:report"), {"province": "83"})          # check again
        again = client.get(CHECKS).content.decode()
        assert "hx-trigger" in again and phuket in again   # the earlier result stays while the new one runs


def test_checks_are_per_person_a_citizen_never_sees_an_editors_draft(client, phuket_draft):
    plan, editor = phuket_draft
    link = reverse("linkage:plan_checks", args=[plan.pk])
    assert link not in client.get(CHECKS).content.decode()
    client.force_login(editor)
    assert link in client.get(CHECKS).content.decode()
    client.logout()
    assert link not in client.get(CHECKS).content.decode()


def test_a_result_is_read_again_through_what_the_person_may_see_now(client, phuket_draft):
    plan, editor = phuket_draft
    client.force_login(editor)
    link = reverse("linkage:plan_checks", args=[plan.pk])
    assert link in client.get(CHECKS).content.decode()
    Membership.objects.filter(user=editor).delete()     # moved to another office since
    assert link not in client.get(CHECKS).content.decode()


def test_the_duplicate_finder_is_one_shared_result_and_asking_twice_queues_once(client, django_user_model):
    url = reverse("monitoring:duplicates", args=["83"])
    with override_settings(TASKS=QUEUE):
        client.get(url)
        client.post(url)
        client.force_login(django_user_model.objects.create_user("someone"))
        client.post(url)
        assert Job.objects.filter(dedupe_key="duplicates:83:public").count() == 1
        _run_queued()
    page = client.get(url).content.decode()
    assert "คำนวณเมื่อ" in page and "CCTV" in page   # the demo's planted pair (Phuket PAO and Choeng Thale)


def test_a_pdf_for_a_plan_the_person_may_no_longer_see_fails_in_thai_and_keeps_no_file(client, phuket_draft,
                                                                                       settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan, editor = phuket_draft
    client.force_login(editor)
    with override_settings(TASKS=QUEUE):
        response = client.get(reverse("monitoring:report_pdf", args=[plan.pk]))
        Membership.objects.filter(user=editor).delete()
        _run_queued()
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == Job.FAILED and "ไม่มีสิทธิ์ดูแผนนี้แล้ว" in job.error and not job.result_file
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404


def test_a_pdf_is_the_askers_own_others_get_404(client, phuket_draft, settings, tmp_path, django_user_model):
    from oneplan.testing.jobs import follow_to_file

    settings.MEDIA_ROOT = tmp_path
    plan, editor = phuket_draft
    client.force_login(editor)
    response = client.get(reverse("monitoring:report_pdf", args=[plan.pk]))
    assert b"".join(follow_to_file(client, response).streaming_content).startswith(b"%PDF")
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.owner == editor and job.dedupe_key == f"pdf:monitoring:{plan.pk}:{job.params['year']}:user{editor.pk}"
    client.force_login(django_user_model.objects.create_user("other"))
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404


def test_latest_keeps_a_failure_only_when_it_is_newer_than_the_result(phuket_draft):
    _plan, editor = phuket_draft
    failed = Job.objects.create(kind="x", title="x", owner=editor, status=Job.FAILED, dedupe_key=f"s:user{editor.pk}")
    assert results.latest(editor, "s").failed == failed
    Job.objects.create(kind="x", title="x", owner=editor, status=Job.DONE, dedupe_key=f"s:user{editor.pk}")
    found = results.latest(editor, "s")
    assert found.done is not None and found.failed is None and found.pending is None


def _phuket_plan_pk():
    from oneplan.plans.models import Plan

    return Plan.objects.get(key="phuket-provincial-2561-2564").pk
