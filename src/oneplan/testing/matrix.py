"""The world the permission matrix (tests/test_permission_matrix.py) runs in: the demo accounts, a
superuser, and one Choeng Thale plan per status, each with its own elements, links, budget lines and
a unique marker in every title, plus the provincial plans waiting for ก.บ.จ. and ก.น.บ., consultation
rounds, a hearing, a reporting round and an upload waiting for confirmation.

Built once per test module inside a transaction that is rolled back at the end, so the rest of the
suite never sees it; each test then runs in a savepoint of that transaction.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

ROLES = ("anonymous", "demo-editor", "demo-mayor", "demo-localdev", "demo-province", "demo-kbj", "demo-knb",
         "demo-moderator", "demo-viewer", "superuser")
SUPERUSER = "mx-superuser"
# Choeng Thale plans, one per status: (world key, status). The key is also the plan's marker suffix.
LAO_PLANS = ("draft", "revision", "returned", "consultation", "submitted", "approved", "in_force", "superseded")
# Phuket provincial plans held by a committee.
PROVINCIAL_PLANS = ("kbj", "knb")
UPLOAD_TOKEN = "mx-upload-token"
REGISTRY_TOKEN = "mx-registry-token"

# Rows a refused write must leave untouched (counted before and after each refused POST).
WATCHED_MODELS = (
    "plans.Plan", "plans.Element", "plans.Link", "plans.KPI", "plans.KPITarget", "plans.Project", "plans.BudgetLine",
    "governance.Transition", "linkage.RejectedSuggestion", "linkage.KeptLink",
    "consultation.ConsultationRound", "consultation.Comment", "consultation.Vote", "consultation.AbuseReport",
    "consultation.Answer", "consultation.Event", "consultation.Material", "consultation.ModerationAction",
    "monitoring.ReportingRound", "monitoring.KPIResult", "monitoring.ProjectProgress", "monitoring.ElementWeight",
    "oneplan_api.ApiToken", "jobs.Job",
    "organisations.Organisation", "organisations.Membership", "organisations.Invitation",
    "knowledge.GuidanceVersion", "notifications.Notification", "notifications.Preference",
    "notifications.CommentFollow",
    "clinic.Report", "clinic.Event", "clinic.Photo", "clinic.ReporterContact",
    "clinic.PartnerKey", "clinic.ReportProject", "clinic.LearningNote",
)


def marker(key: str) -> str:
    """A word found nowhere else, put at the start of every title of the plan `key`."""
    return f"MXQ{key.upper().replace('_', '')}Z"


def search_word(key: str) -> str:
    """A second word in the plan's element titles, to search for (a search page repeats its query)."""
    return f"mxfind{key.replace('_', '')}"


@dataclass
class World:
    users: dict = field(default_factory=dict)          # role → user (no entry for anonymous)
    plans: dict = field(default_factory=dict)          # key → Plan
    elements: dict = field(default_factory=dict)       # key → {"issue": Element, "project": ..., "kpi": ...}
    links: dict = field(default_factory=dict)          # key → Link
    objects: dict = field(default_factory=dict)        # other named objects (rounds, comments, ...)
    upload: dict = field(default_factory=dict)         # the session entry of the pending upload


def _lao_plan(key, status, owner, area, supersedes=None):
    from oneplan.plans.models import Plan

    return Plan.objects.create(key=f"mx-ct-{key}", kind="lao_local", owner=owner, area=area, status=status,
                               title_th=f"{marker(key)} แผนพัฒนาท้องถิ่นเทศบาลตำบลเชิงทะเล ({key})",
                               start_year=2566, end_year=2570, supersedes=supersedes)


def _content(plan, key, target):
    """An issue with a KPI and a project (with a planned budget) under it, the issue linked upward."""
    from oneplan.plans.models import KPI, BudgetLine, Element, Link, Project

    m = f"{marker(key)} {search_word(key)}"
    issue = Element.objects.create(plan=plan, kind="issue", code="1", order=1, title_th=f"{m} ประเด็นการพัฒนา")
    kpi = Element.objects.create(plan=plan, kind="kpi", code="1.1", order=1, parent=issue,
                                 title_th=f"{m} ตัวชี้วัด")
    KPI.objects.create(element=kpi)
    project = Element.objects.create(plan=plan, kind="project", code="1.2", order=2, parent=issue,
                                     title_th=f"{m} โครงการก่อสร้างถนน")
    Project.objects.create(element=project)
    BudgetLine.objects.create(project=project.project, fiscal_year=2567, amount=Decimal("1234567"), stage="plan")
    link = Link.objects.create(source=issue, target=target, note=marker(key))
    return {"issue": issue, "kpi": kpi, "project": project}, link


def _step(plan, action, from_state, to_state, from_status, to_status, user, committee=None, document=None):
    from oneplan.governance.models import Transition

    step = Transition(plan=plan, action=action, from_state=from_state, to_state=to_state, from_status=from_status,
                      to_status=to_status, user=user, committee=committee)
    if document is not None:
        step.document.save("mx-minutes.pdf", ContentFile(b"%PDF-1.4 " + marker(plan.key).encode()), save=False)
    step.save()
    return step


def build_world(upload_dir: Path) -> World:
    from oneplan.areas.models import Area
    from oneplan.governance.accounts import load_demo_accounts
    from oneplan.governance.locks import allow_published_changes
    from oneplan.organisations.models import Organisation
    from oneplan.plans.interchange import dump_plan
    from oneplan.plans.models import Element, Plan

    load_demo_accounts()
    User = get_user_model()
    world = World(users={r: User.objects.get(username=r) for r in ROLES if r.startswith("demo-")})
    world.users["superuser"] = User.objects.create_user(SUPERUSER, is_staff=True, is_superuser=True)
    org = {k: Organisation.objects.get(key=k) for k in ("choeng-thale-municipality", "phuket-provincial-office",
                                                        "phuket-kbj", "kanb", "choeng-thale-local-dev")}
    master_plans = Plan.objects.get(framework="master-plans", status="in_force")
    # every matrix plan links to `linked_target`; `target` is left for the suggestions to accept
    target, other = Element.objects.filter(plan=master_plans).order_by("pk")[:2]
    world.objects.update(linked_target=target, target=other)
    subdistrict, province = Area.objects.get(code="830303"), Area.objects.get(code="83")
    with allow_published_changes():  # content is written first, then the statuses are set as the workflow would
        for key in LAO_PLANS:
            world.plans[key] = _lao_plan(key, "draft", org["choeng-thale-municipality"], subdistrict)
        for key in PROVINCIAL_PLANS:
            world.plans[key] = Plan.objects.create(
                key=f"mx-phuket-{key}", kind="provincial", owner=org["phuket-provincial-office"], area=province,
                status="draft", title_th=f"{marker(key)} แผนพัฒนาจังหวัดภูเก็ต ({key})", start_year=2566,
                end_year=2570)
        for key, plan in world.plans.items():
            world.elements[key], world.links[key] = _content(plan, key, target)
        # editions: superseded → in force → a revision being prepared to replace it
        world.plans["in_force"].supersedes = world.plans["superseded"]
        world.plans["revision"].supersedes = world.plans["in_force"]
        for key, plan in world.plans.items():
            plan.status = {"kbj": "submitted", "knb": "submitted"}.get(key, key)
            if key in ("in_force", "superseded"):
                plan.in_force_from = date(2023, 10, 1)
            plan.save()
    _workflow_records(world, org)
    _consultation(world)
    _monitoring(world)
    _knowledge(world)
    _clinic(world)
    world.upload = _pending_upload(world, upload_dir, dump_plan)
    from oneplan.api.models import ApiToken

    _onboarding(world, upload_dir)
    _clinic_open(world)
    world.objects["api_token"], _key = ApiToken.issue(world.users["demo-editor"], org["choeng-thale-municipality"],
                                                      "ระบบติดตามของเทศบาล")
    from oneplan.jobs.models import Job

    # a failed import of demo-editor's (only they and staff see it) and a public open-data build
    world.objects["job_editor"] = Job.objects.create(
        kind="oneplan.jobs.tests.kinds.flaky", title="นำเข้าไฟล์ทดสอบ", owner=world.users["demo-editor"],
        status=Job.FAILED, error="แถวที่ 3 คอลัมน์ งบประมาณ 2567: ไม่ใช่ตัวเลข")
    world.objects["job_public"] = Job.objects.create(
        kind="oneplan.jobs.tests.kinds.flaky", title="สร้างชุดข้อมูลเปิด", status=Job.FAILED, error="ทดสอบ")
    # finished report jobs with their PDF: demo-editor's own, and one a citizen asked for (public)
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    for key, owner in (("job_editor_pdf", world.users["demo-editor"]), ("job_public_pdf", None)):
        job = Job.objects.create(kind="oneplan.monitoring.jobs.report_pdf", title="PDF รายงาน", owner=owner,
                                 status=Job.DONE, progress=100)
        job.result_file = default_storage.save(f"jobs/{job.pk}/report.pdf", ContentFile(b"%PDF-1.7 matrix"))
        job.save(update_fields=["result_file"])
        world.objects[key] = job
    return world


def _clinic(world):
    """Clinic Center: a report the Choeng Thale municipality must act on (with the reporter's contact
    and an internal note), and a finished one the reporter may confirm."""
    from oneplan.areas.models import Area
    from oneplan.clinic.models import Category, Event
    from oneplan.clinic.services import NewReport, create_report, take_step
    from oneplan.organisations.models import Organisation

    sub = Area.objects.get(code="830303")
    light = Category.objects.get(code="street-light")
    report = create_report(NewReport(category=light, text="ไฟถนนดับ หน้าโรงเรียน", area=sub, name="ผู้แจ้งทดสอบ",
                                     phone="0810000000", consent=True, photos=[ContentFile(_png(), "p.png")]))
    Event.objects.create(report=report, kind="note", note="บันทึกภายในของเจ้าหน้าที่", public=False)
    done = create_report(NewReport(category=light, text="ไฟดับซอย 3", area=sub))
    take_step(done, "done", note="เปลี่ยนหลอดแล้ว")
    world.objects.update(clinic_report=report, clinic_done=done, clinic_photo=report.photos.get(),
                         clinic_pao=Organisation.objects.get(key="phuket-pao"),
                         clinic_place={"province": sub.parent.parent_id, "district": sub.parent_id,
                                       "subdistrict": sub.pk, "category": light.pk})


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(out, "PNG")
    return out.getvalue()


def _clinic_open(world):
    """Recurring flooding reports in Choeng Thale (a group to propose from), a learning note, a partner key."""
    from oneplan.areas.models import Area
    from oneplan.clinic.loader import load_categories
    from oneplan.clinic.models import Category, LearningNote, PartnerKey
    from oneplan.clinic.services import NewReport, create_report
    from oneplan.organisations.models import Organisation

    if not Category.objects.exists():
        load_categories()
    flooding, area = Category.objects.get(code="flooding"), Area.objects.get(code="830303")
    reports = [create_report(NewReport(category=flooding, text=f"น้ำท่วมขังซอย {i}", area=area)) for i in range(3)]
    pao = Organisation.objects.get(key="phuket-pao")
    world.objects.update(clinic_flooding=reports[0], partner_key=PartnerKey.issue("ระบบภาคีทดสอบ", pao)[0],
                         learning_note=LearningNote.objects.create(title="วิธีแจ้งน้ำท่วม", body="ขั้นตอน",
                                                                   organisation=pao))


def _workflow_records(world, org):
    u, p = world.users, world.plans
    # the approved LAO plan went through its local development committee
    _step(p["submitted"], "submit_local_dev", "revision", "local_dev", "revision", "submitted", u["demo-editor"],
          org["choeng-thale-local-dev"])
    _step(p["approved"], "submit_local_dev", "revision", "local_dev", "revision", "submitted", u["demo-editor"],
          org["choeng-thale-local-dev"])
    _step(p["approved"], "approve_local_dev", "local_dev", "executive", "submitted", "approved",
          u["demo-localdev"], org["choeng-thale-local-dev"])
    world.objects["document"] = _step(p["kbj"], "submit_kbj", "revision", "kbj", "revision", "submitted",
                                      u["demo-province"], org["phuket-kbj"], document=True)
    _step(p["knb"], "submit_kbj", "revision", "kbj", "revision", "submitted", u["demo-province"], org["phuket-kbj"])
    _step(p["knb"], "approve_kbj", "kbj", "kbj_approved", "submitted", "approved", u["demo-kbj"], org["phuket-kbj"])
    _step(p["knb"], "submit_knb", "kbj_approved", "knb", "approved", "submitted", u["demo-province"], org["kanb"])


def _consultation(world):
    from oneplan.consultation.models import BreakoutGroup, Comment, ConsultationRound, Event, Material

    today = date.today()
    plan = world.plans["consultation"]
    open_round = ConsultationRound.objects.create(plan=plan, title=f"{marker('consultation')} ประชาคม",
                                                  opens_on=today - timedelta(days=10),
                                                  closes_on=today + timedelta(days=30), status="open")
    comment = Comment.objects.create(round=open_round, text="ขอให้เพิ่มโครงการไฟส่องสว่าง",
                                     element=world.elements["consultation"]["issue"])
    event = Event.objects.create(plan=plan, round=open_round, title="เวทีประชาคม", starts_on=today, venue="หอประชุม")
    group = BreakoutGroup.objects.create(event=event, theme="โครงสร้างพื้นฐาน",
                                         element=world.elements["consultation"]["issue"])
    material = Material(event=event, title="เอกสารประกอบ")
    material.file.save("mx-handout.pdf", ContentFile(b"%PDF-1.4 handout"), save=False)
    material.save()
    # a round being prepared for the draft: not public yet
    planned = ConsultationRound.objects.create(plan=world.plans["draft"], title=f"{marker('draft')} รอบที่เตรียมไว้",
                                               opens_on=today + timedelta(days=30), status="planned")
    world.objects.update(open_round=open_round, planned_round=planned, comment=comment, event=event, group=group,
                         material=material)


def _monitoring(world):
    from oneplan.monitoring.models import ReportingRound

    world.objects["reporting_round"] = ReportingRound.objects.create(
        plan=world.plans["in_force"], period_type="yearly", fiscal_year=2567, number=1,
        start_date=date(2023, 10, 1), end_date=date(2024, 9, 30))


def _knowledge(world):
    """A guidance version, a KPI definition and a workshop with its slides and one attendee."""
    from oneplan.knowledge.models import (
        Attendance,
        GuidanceVersion,
        KPIDefinition,
        Workshop,
        WorkshopMaterial,
    )

    world.objects["guidance"] = GuidanceVersion.objects.create(
        plan_kind="lao_local", topic_type="element", topic="issue", number=1, title="ประเด็นการพัฒนา",
        rule_reference="ระเบียบกระทรวงมหาดไทย", explanation="อธิบาย", effective_from=date(2023, 10, 1))
    world.objects["kpi_definition"] = KPIDefinition.objects.create(name="ร้อยละของถนนที่ได้มาตรฐาน", unit="ร้อยละ")
    workshop = Workshop.objects.create(title="การเขียนตัวชี้วัด", held_on=date(2025, 3, 1))
    material = WorkshopMaterial(workshop=workshop, title="สไลด์")
    material.file.save("mx-slides.pdf", ContentFile(b"%PDF-1.4 slides"), save=False)
    material.save()
    Attendance.objects.create(workshop=workshop, organisation=world.plans["draft"].owner,
                              user=world.users["demo-editor"])
    world.objects.update(workshop=workshop, workshop_material=material)


def _pending_upload(world, upload_dir: Path, dump_plan) -> dict:
    """An interchange file that adds an element to the draft, as if each user had just uploaded it.
    Its own titles carry no marker: a preview must not show the plan's current (hidden) content."""
    data = dump_plan(world.plans["draft"])
    data["plan"]["title_th"] = "แผนพัฒนาท้องถิ่นจากไฟล์"
    for item in data["elements"]:
        item["title_th"] = f"รายการจากไฟล์ {item['code']}"
        item["links"] = [{k: v for k, v in link.items() if k != "note"} for link in item["links"]]
    data["elements"].append({"code": "9", "parent": None, "kind": "issue", "title_th": "ประเด็นที่นำเข้าจากไฟล์",
                             "title_en": "", "description_th": "", "confirmed": False, "links": [], "kpi": None,
                             "project": None})
    path = upload_dir / f"{UPLOAD_TOKEN}.json"
    return {"path": str(path), "name": "mx-upload.json", "plan": world.plans["draft"].pk, "owner": None,
            "content": json.dumps(data, ensure_ascii=False)}


def _onboarding(world, upload_dir: Path):
    """A role to revoke (demo-viewer in the Phuket PAO), an open invitation, and a registry file waiting
    for confirmation (one new SAO in Phuket) as if each user had uploaded it."""
    from oneplan.organisations import onboarding
    from oneplan.organisations.models import Membership

    world.objects["membership"] = Membership.objects.get(user=world.users["demo-viewer"], organisation__key="phuket-pao")
    issued = onboarding.invite(world.users["demo-province"], world.objects["membership"].organisation, "viewer")
    world.objects["invitation_code"] = issued.code
    world.objects["registry_upload"] = {"path": str(upload_dir / f"{REGISTRY_TOKEN}.csv"), "name": "mx-registry.csv",
                                        "registry": "83"}


def session_registry_upload(world: World) -> dict:
    """The session entry of the pending registry file, written afresh (a confirmed import removes it)."""
    entry = world.objects["registry_upload"]
    Path(entry["path"]).write_text("รหัส,ชื่อ อปท.,ประเภท,จังหวัด,อำเภอ,ตำบล\n6830599,อบต.ไม้ขาว,อบต.,ภูเก็ต,ถลาง,ไม้ขาว\n",
                                   "utf-8")
    return dict(entry)


def session_upload(world: World) -> dict:
    """The session entry of the pending upload, its file written afresh (a confirmed import removes it)."""
    entry = {k: v for k, v in world.upload.items() if k != "content"}
    Path(entry["path"]).write_text(world.upload["content"], "utf-8")
    return entry


def snapshot(world: World) -> dict:
    """What a refused write must not change: row counts, and the matrix plans' own rows."""
    from oneplan.plans.models import Element, Plan

    counts = {label: apps.get_model(label).objects.count() for label in WATCHED_MODELS}
    plan_ids = [p.pk for p in world.plans.values()]
    plans = list(Plan.objects.filter(pk__in=plan_ids).order_by("pk").values_list(
        "pk", "status", "title_th", "owner_id", "start_year", "end_year", "supersedes_id"))
    elements = list(Element.objects.filter(plan_id__in=plan_ids).order_by("pk").values_list(
        "pk", "title_th", "order", "parent_id", "version"))
    tokens = list(apps.get_model("oneplan_api.ApiToken").objects.order_by("pk").values_list("pk", "revoked_at"))
    return {"counts": counts, "plans": plans, "elements": elements, "tokens": tokens}
