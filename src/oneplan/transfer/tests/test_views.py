import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from oneplan.plans.models import Plan
from oneplan.testing.factories import OrganisationFactory, PlanFactory, UserFactory, editor_of

from .conftest import db_counts

pytestmark = pytest.mark.django_db


def _upload(client, path, url=None, **data):
    with open(path, "rb") as fh:
        return client.post(url or reverse("transfer:upload"), {"file": fh, **data})


def _token(response):
    assert response.status_code == 302, response.content.decode()[:500]
    return response.url.rstrip("/").split("/")[-1]


def test_editor_uploads_previews_and_confirms(client, lao, editor, workbook):
    client.force_login(editor)
    token = _token(_upload(client, workbook()))
    page = client.get(reverse("transfer:preview", args=[token]))
    assert f'hx-get="{reverse("transfer:preview_result", args=[token])}"' in page.content.decode()
    before = db_counts()
    result = client.get(reverse("transfer:preview_result", args=[token])).content.decode()
    assert db_counts() == before                       # the preview saved nothing
    assert "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก" in result and reverse("transfer:confirm", args=[token]) in result
    response = client.post(reverse("transfer:confirm", args=[token]))
    plan = Plan.objects.get(owner=lao)
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    assert plan.elements.filter(kind="project").count() == 5
    assert client.post(reverse("transfer:confirm", args=[token])).status_code == 302   # token used up


def test_preview_shows_errors_with_their_place_and_no_confirm(client, lao, editor, workbook):
    from . import workbooks

    client.force_login(editor)
    bad = workbooks.infra_block(projects=[("โครงการ", ["สองแสน", 1, 1, 1, 1])])
    token = _token(_upload(client, workbook(blocks=[bad])))
    html = client.get(reverse("transfer:preview_result", args=[token])).content.decode()
    assert "สองแสน" in html and "<td>E</td>" in html and "<td>16</td>" in html
    assert reverse("transfer:confirm", args=[token]) not in html
    before = db_counts()
    client.post(reverse("transfer:confirm", args=[token]))
    assert db_counts() == before


def test_anonymous_and_users_without_a_role_are_refused(client, workbook, lao):
    assert _upload(client, workbook()).status_code == 302            # to the login page
    client.force_login(UserFactory())
    assert _upload(client, workbook()).status_code == 403


def test_editor_of_another_body_cannot_import_into_this_owners_plan(client, lao, workbook):
    other = editor_of(OrganisationFactory(), "other-editor")
    client.force_login(other)
    token = _token(_upload(client, workbook()))
    html = client.get(reverse("transfer:preview_result", args=[token])).content.decode()
    assert "คุณไม่มีสิทธิ์นำเข้าแผนนี้" in html and reverse("transfer:confirm", args=[token]) not in html
    assert client.post(reverse("transfer:confirm", args=[token])).status_code == 403
    assert not Plan.objects.filter(owner=lao).exists()


def test_published_plan_cannot_be_imported_into(client, workbook):
    plan = Plan.objects.get(key="choeng-thale-local-2566-2570")
    client.force_login(editor_of(plan.owner, "ct-editor"))
    response = _upload(client, workbook(), url=reverse("transfer:upload_into", args=[plan.pk]))
    assert response.status_code == 403


def test_import_into_own_draft_plan(client, lao, editor, workbook):
    plan = PlanFactory(owner=lao, key="own-draft", start_year=2566, end_year=2570)
    client.force_login(editor)
    token = _token(_upload(client, workbook(owner="ใครก็ได้"), url=reverse("transfer:upload_into", args=[plan.pk])))
    client.post(reverse("transfer:confirm", args=[token]))
    assert plan.elements.filter(kind="project").count() == 5


@override_settings(ONEPLAN_MAX_UPLOAD_BYTES=1000)
def test_oversized_upload_refused_with_thai_message(client, editor):
    client.force_login(editor)
    big = SimpleUploadedFile("big.xlsx", b"PK" + b"0" * 5000)
    response = client.post(reverse("transfer:upload"), {"file": big})
    assert response.status_code == 400 and "เกินขนาดที่นำเข้าได้" in response.content.decode()


def test_token_belongs_to_the_session_that_uploaded(client, editor, workbook):
    client.force_login(editor)
    token = _token(_upload(client, workbook()))
    client.logout()
    client.force_login(UserFactory())
    assert client.get(reverse("transfer:preview_result", args=[token])).status_code == 404


def test_downloads_and_plan_page_entry(client):
    plan = Plan.objects.get(key="choeng-thale-local-2566-2570")
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("transfer:plan", args=[plan.pk]) in detail
    page = client.get(reverse("transfer:plan", args=[plan.pk])).content.decode()
    for fmt in ("xlsx-p01", "xlsx-p02", "xlsx-yt01", "json", "csv"):
        url = reverse("transfer:export", args=[plan.pk, fmt])
        assert url in page
        response = client.get(url)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    # nav entry, in Thai (the import page itself asks anonymous visitors to log in)
    assert reverse("transfer:index") in detail and "นำเข้า/ส่งออก" in detail


def test_draft_plan_exports_hidden_from_the_public(client):
    plan = PlanFactory(status="draft")
    assert client.get(reverse("transfer:export", args=[plan.pk, "json"])).status_code == 404


def test_a_large_import_is_written_by_the_task_worker_with_a_progress_page(client, lao, editor, workbook,
                                                                          settings, tmp_path):
    """Above ONEPLAN_IMPORT_WORKER_ROWS elements the confirm button queues a job (run at once here by
    the immediate backend); its page shows 100 % and links to the imported plan; the file it worked
    from is gone from storage afterwards."""
    from oneplan.jobs.models import Job

    settings.ONEPLAN_IMPORT_WORKER_ROWS = 3
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(editor)
    token = _token(_upload(client, workbook()))
    response = client.post(reverse("transfer:confirm", args=[token]))
    job = Job.objects.get(owner=editor)
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    plan = Plan.objects.get(owner=lao)
    assert job.status == Job.DONE and job.progress == 100 and job.result_url == plan.get_absolute_url()
    assert plan.elements.filter(kind="project").count() == 5
    page = client.get(response.url).content.decode()
    assert "100%" in page and plan.get_absolute_url() in page and "นำเข้าเรียบร้อย" in page
    assert not any((tmp_path / "media" / "jobs" / "imports").iterdir())


def test_a_large_import_that_fails_in_the_worker_writes_nothing_and_says_why_in_thai(
        client, lao, editor, workbook, settings, tmp_path, monkeypatch):
    """The elements are written, then the links fail: the job's one transaction leaves nothing."""
    from oneplan.jobs.models import Job
    from oneplan.plans import interchange

    def links_fail(*args, **kwargs):
        raise interchange.InterchangeError(["เชื่อมโยงไม่ได้: ยุทธศาสตร์ที่ 9 ไม่มีในแผนจังหวัด"])

    settings.ONEPLAN_IMPORT_WORKER_ROWS = 3
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(editor)
    token = _token(_upload(client, workbook()))
    before = db_counts()
    monkeypatch.setattr(interchange, "_write_links", links_fail)
    client.post(reverse("transfer:confirm", args=[token]))
    job = Job.objects.get(owner=editor)
    assert job.status == Job.FAILED and "ไม่มีการบันทึกข้อมูลใด ๆ" in job.error and "ยุทธศาสตร์ที่ 9" in job.error
    assert db_counts() == before
    assert any((tmp_path / "media" / "jobs" / "imports").iterdir())  # kept for the retry
