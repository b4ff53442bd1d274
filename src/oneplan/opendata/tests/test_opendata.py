"""Bulk open data: a package per province and for the whole country with a datapackage.json that
describes every column; only published plans; figures equal the plan pages'."""
import csv
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from oneplan.opendata import build as packages
from oneplan.plans import graph
from oneplan.plans.models import Plan
from oneplan.testing.factories import ElementFactory, PlanFactory

pytestmark = pytest.mark.django_db
MARK = "ร่างที่ยังไม่เผยแพร่ทดสอบ"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def unpack(content: bytes) -> dict[str, object]:
    zf = zipfile.ZipFile(io.BytesIO(content))
    out = {}
    for name in zf.namelist():
        text = zf.read(name).decode("utf-8-sig")
        out[name] = json.loads(text) if name.endswith(".json") else list(csv.DictReader(io.StringIO(text)))
    return out


def download(client, scope):
    response = client.get(reverse("opendata:download", args=[scope]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return unpack(b"".join(response.streaming_content))


def test_the_country_package_describes_every_column_and_leaves_drafts_out(client):
    from oneplan.consultation.models import Comment, ConsultationRound

    draft = PlanFactory(status="draft", title_th=MARK)
    ElementFactory(plan=draft, title_th=MARK)
    heard = ConsultationRound.objects.create(plan=Plan.objects.get(key="choeng-thale-local-2566-2570"),
                                             title="ประชาคมท้องถิ่น", opens_on="2026-01-10", status="closed",
                                             responsible="ปลัดเทศบาล")
    Comment.objects.create(round=heard, text="ขอถนนเลียบหาด", sector="citizen", name="ชื่อจริงของผู้เสนอ")
    files = download(client, "TH")
    package = files["datapackage.json"]
    assert package["profile"] == "tabular-data-package" and package["created"]
    for resource in package["resources"]:
        rows = files[resource["path"]]
        described = [f["name"] for f in resource["schema"]["fields"]]
        assert rows, resource["name"]
        assert list(rows[0]) == described  # every column is described, in order
        assert all(f["title"] and f["description"] for f in resource["schema"]["fields"])  # Thai and English
    text = json.dumps(files, ensure_ascii=False)
    assert MARK not in text and "ชื่อจริงของผู้เสนอ" not in text  # no drafts, no personal data
    keys = {r["key"] for r in files["plans.csv"]}
    assert "choeng-thale-local-2566-2570" in keys and draft.key not in keys


def test_budget_lines_in_the_package_equal_the_plan_page(client):
    plan = Plan.objects.get(key="choeng-thale-local-2566-2570")
    files = download(client, "83")
    lines = [r for r in files["budget_lines.csv"] if r["plan"] == plan.key and r["stage"] == "plan"]
    assert sum(Decimal(r["amount"]) for r in lines) == graph.plan_budget_table(plan)[3]
    linkage = [r for r in files["linkage.csv"] if r["plan"] == plan.key]
    assert sum(Decimal(r["amount"]) for r in linkage if r["amount"]) == graph.plan_budget_table(plan)[3]
    assert any(r["master_plan"] for r in linkage) and {r["how"] for r in linkage} <= {"direct", "inherited", "none"}
    assert all(r["area"] in ("", "83") or r["area"].startswith("83") for r in files["plans.csv"]
               if not r["framework"])


def test_the_package_is_rebuilt_when_a_published_plan_changes(client):
    packages.build("83")
    assert not packages.is_stale("83")
    plan = Plan.objects.get(key="choeng-thale-local-2566-2570")
    Plan.objects.filter(pk=plan.pk).update(updated_at=packages.built_at("83").replace(year=2099))
    assert packages.is_stale("83")


def test_an_unknown_scope_is_a_404_and_the_command_explains(client):
    assert client.get(reverse("opendata:download", args=["99"])).status_code == 404
    with pytest.raises(Exception, match="ไม่พบจังหวัดรหัส"):
        call_command("opendata", "99")


def test_formula_like_text_is_neutralised_in_the_csv(client):
    from oneplan.governance.locks import allow_published_changes

    plan = Plan.objects.get(key="choeng-thale-local-2566-2570")
    with allow_published_changes():
        ElementFactory(plan=plan, code="x1", title_th='=HYPERLINK("http://x","y")')
    files = download(client, "83")
    titles = [r["title_th"] for r in files["elements.csv"] if r["code"] == "x1"]
    assert titles == ['\'=HYPERLINK("http://x","y")']


def test_an_edition_coming_into_force_rebuilds_its_provinces_and_the_countrys_packages(
        settings, django_capture_on_commit_callbacks, tmp_path):
    from oneplan.governance.models import Transition
    from oneplan.jobs.models import Job
    from oneplan.opendata import build as packages
    from oneplan.plans.models import Plan

    settings.ONEPLAN_OPENDATA_REBUILD_ON_CHANGE = True
    settings.MEDIA_ROOT = str(tmp_path)
    plan = Plan.objects.get(key="choeng-thale-local-2566-2570")
    with django_capture_on_commit_callbacks(execute=True):
        Transition.objects.create(plan=plan, action="announce", from_state="executive", to_state="in_force",
                                  from_status="approved", to_status="in_force")
    keys = set(Job.objects.values_list("dedupe_key", flat=True))
    assert {"opendata:83", f"opendata:{packages.COUNTRY}"} <= keys
    assert packages.built_at("83") is not None and not packages.is_stale("83")
    # a step that publishes nothing queues nothing
    Job.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        Transition.objects.create(plan=plan, action="return", from_state="kbj", to_state="revision",
                                  from_status="submitted", to_status="returned")
    assert not Job.objects.exists()
