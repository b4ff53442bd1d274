"""Writing through the API, for the systems that already hold the data: a plan in the interchange JSON,
the KPI results and project progress of a reporting round.

Each write goes through the very checks of the upload and entry pages (transfer.services, the
RoundEntryForm, monitoring.services): the same permissions, all-or-nothing, the same Thai error list.
A token writes only the plans of its own organisation, and never status or framework fields (an import
only creates or updates a draft: see plans.interchange.forced_meta).
"""
from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db.models import Q
from ninja import Router
from ninja.errors import HttpError

from oneplan.monitoring import services as monitoring
from oneplan.monitoring.forms import RoundEntryForm
from oneplan.monitoring.models import ReportingRound
from oneplan.plans.models import KPI, Project
from oneplan.transfer import services as transfer
from oneplan.transfer.problems import ImportRefused
from oneplan.transfer.rules import may_write

from .auth import rate_limit, token_of

router = Router(tags=["writing"])


def _writer(request):
    """Writes need a staff token; the limit counts them like reads."""
    token = token_of(request)
    if token is None:
        raise HttpError(401, "การบันทึกข้อมูลผ่าน API ต้องใช้โทเคนของเจ้าหน้าที่ (Authorization: Bearer …)")
    rate_limit(request)
    return token


def _refused(errors: list[dict], status: int = 422):
    return status, {"detail": "ไม่ได้บันทึกข้อมูลใด ๆ: " + "; ".join(e.get("text") or e["message"] for e in errors[:5]),
                    "errors": errors}


@router.post("/imports/plan", response={200: dict, 401: dict, 403: dict, 413: dict, 422: dict})
def import_plan(request, dry_run: bool = False):
    """A whole plan as OnePlan interchange JSON (oneplan-plan/1) in the body, as `oneplan export-json` and
    the export page write it. `dry_run=true` checks everything and writes nothing. The answer is the
    upload preview's summary: what is (or would be) created, updated and removed, with every problem."""
    token = _writer(request)
    too_big = transfer.size_problem(int(request.META.get("CONTENT_LENGTH") or 0))
    if too_big:
        return 413, {"detail": too_big, "errors": [{"message": too_big}]}
    try:
        result = transfer.read_json_bytes(request.read())  # the stream: a plan may exceed Django's form limit
    except ImportRefused as exc:
        return _refused([exc.problem.as_dict()])
    if result.data is not None and not may_write(token.user, result, organisation=token.organisation):
        return 403, {"detail": f"โทเคนของ “{token.organisation.name_th}” นำเข้าแผนนี้ไม่ได้: ต้องเป็นแผนของหน่วยงานนี้ "
                               "ที่ผู้ถือโทเคนเป็นผู้แก้ไข และแผนต้องอยู่ในสถานะที่แก้ไขได้"}
    preview = transfer.preview(result)
    report = transfer.commit(result, dry_run=dry_run)
    summary = transfer.describe(preview, committed=report is not None and not dry_run, report=report)
    if report is None:
        return _refused(summary["errors"])
    return 200, summary


def _entry_round(request, round_id: int) -> tuple[ReportingRound, object]:
    token = _writer(request)
    round_ = ReportingRound.objects.select_related("plan__owner").filter(pk=round_id).first()
    if round_ is None or round_.plan.owner_id != token.organisation_id:
        raise HttpError(404, f"ไม่พบรอบรายงานหมายเลข {round_id} ในแผนของ “{token.organisation.name_th}”")
    if not token.user.has_perm("monitoring.enter_results", round_.plan):
        raise HttpError(403, "ผู้ถือโทเคนไม่มีสิทธิ์บันทึกผลของแผนนี้ (ต้องเป็นผู้แก้ไขของหน่วยงานเจ้าของแผน)")
    return round_, token


def _by_code(qs, codes: list[str], what: str, errors: list[dict]) -> dict[str, object]:
    found = {x.element.code: x for x in qs.filter(element__code__in=codes).select_related("element")}
    for code in codes:
        if code not in found:
            errors.append({"field": code, "message": f"ไม่พบ{what}รหัส “{code}” ในแผนของรอบรายงานนี้"})
    return found


def _form_data(body: dict, kpis: dict, projects: dict) -> dict:
    data = {}
    for row in body.get("kpis") or []:
        if row.get("code") in kpis:
            data[f"kpi_{kpis[row['code']].pk}"] = str(row.get("value", ""))
    for row in body.get("projects") or []:
        if row.get("code") in projects:
            pk = projects[row["code"]].pk
            data[f"phys_{pk}"] = str(row.get("physical_percent", ""))
            data[f"disb_{pk}"] = str(row.get("disbursed_amount", "") or "")
    return data


def _rows(body, name: str, errors: list[dict]) -> list[str]:
    rows = body.get(name) or []
    if not isinstance(rows, list) or not all(isinstance(r, dict) and isinstance(r.get("code"), str) for r in rows):
        errors.append({"field": name, "message": f"{name}: ต้องเป็นรายการของ {{\"code\": …}}"})
        return []
    codes = [r["code"] for r in rows]
    for code in {c for c in codes if codes.count(c) > 1}:
        errors.append({"field": code, "message": f"รหัส “{code}” ส่งมามากกว่าหนึ่งครั้ง"})
    return codes


@router.post("/rounds/{round_id}/entries", response={200: dict, 401: dict, 403: dict, 404: dict, 422: dict})
def enter_results(request, round_id: int):
    """KPI results and project progress of one round, by element code:
    `{"kpis": [{"code": "1.1.1", "value": "72.5"}], "projects": [{"code": "P1", "physical_percent": "40",
    "disbursed_amount": "120000.00"}]}`. Values are decimal strings (Thai digits accepted). Saved all or
    nothing; each saved value waits for another person's approval, as on the entry page."""
    round_, token = _entry_round(request, round_id)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _refused([{"message": "เนื้อหาคำขอไม่ใช่ JSON ที่อ่านได้"}])
    if not isinstance(body, dict):
        return _refused([{"message": "เนื้อหาคำขอต้องเป็นออบเจ็กต์ JSON ที่มี kpis และ/หรือ projects"}])
    errors: list[dict] = []
    kpi_codes, project_codes = _rows(body, "kpis", errors), _rows(body, "projects", errors)
    if errors:
        return _refused(errors)
    plan_q = Q(element__plan=round_.plan)
    kpis = _by_code(KPI.objects.filter(plan_q), kpi_codes, "ตัวชี้วัด", errors)
    projects = _by_code(Project.objects.filter(plan_q), project_codes, "โครงการ", errors)
    form = RoundEntryForm(_form_data(body, kpis, projects), round_=round_, kpis=kpis.values(),
                          projects=projects.values())
    if not form.is_valid():
        code_of = {f"kpi_{k.pk}": c for c, k in kpis.items()}
        code_of |= {f"{p}_{x.pk}": c for c, x in projects.items() for p in ("phys", "disb")}
        errors += [{"field": code_of.get(name, name), "message": message}
                   for name, messages in form.errors.items() for message in messages]
    if errors:
        return _refused(errors)
    try:
        saved = monitoring.save_entries(round_, token.user, form.kpi_values(), form.progress())
    except ValidationError as exc:
        return _refused([{"message": m} for m in exc.messages])
    return 200, {"saved": saved, "round": round_.pk, "awaiting_approval": True}
