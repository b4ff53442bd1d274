"""Monitoring pages: KPI quality, reporting rounds and results, the LAO monitoring report, budget
lines, and the province's one-plan budget view with likely duplicates."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from oneplan.areas.models import Area
from oneplan.core import excel
from oneplan.core.thai import thai_sort_key
from oneplan.jobs import results as report_jobs
from oneplan.plans.models import KPI, BudgetStage, Element, ElementKind, Plan, Project
from oneplan.plans.models.plans import EDITABLE_STATUSES

from . import budgetview, duplicates, quality, report, results, services
from .forms import RoundEntryForm, RoundForm, StageBudgetFormSet, WeightForm
from .models import ElementWeight, KPIResult, ProjectProgress, ReportingRound

DENIED = {
    "monitoring.enter_results": "คุณไม่มีสิทธิ์บันทึกผลการดำเนินงานของแผนนี้ (ต้องเป็นผู้แก้ไขของหน่วยงานเจ้าของแผน)",
    "monitoring.approve_results": "คุณไม่มีสิทธิ์อนุมัติผลการดำเนินงานของแผนนี้",
    "monitoring.manage_rounds": "คุณไม่มีสิทธิ์เปิดหรือปิดรอบรายงานของแผนนี้",
    "monitoring.change_budget": "คุณไม่มีสิทธิ์แก้ไขงบประมาณของแผนนี้",
}


def _plan(request, pk, perm: str | None = None) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("owner", "area"), pk=pk)
    if not request.user.has_perm("plans.view_plan", plan):
        raise Http404
    if perm and not request.user.has_perm(perm, plan):
        raise PermissionDenied(DENIED[perm])
    return plan


def _perms(user, plan) -> dict:
    return {name.split(".")[1]: user.has_perm(name, plan) for name in DENIED}


# ---- KPI quality ---------------------------------------------------------------------------------

def plan_quality(request, pk):
    plan = _plan(request, pk)
    return render(request, "monitoring/quality.html", {"plan": plan, "quality": quality.plan_quality(plan)})


def element_panel(request, pk):
    """Fragment under an element: the KPI checklist, a goal's check, or a project's budget lines."""
    element = get_object_or_404(Element.objects.select_related("plan"), pk=pk)
    plan = _plan(request, element.plan_id)
    context = {"element": element, "plan": plan}
    if element.kind == ElementKind.KPI:
        kpi = KPI.objects.filter(element=element).first()
        context["check"] = quality.check_kpi(kpi, plan) if kpi else None
        context["results"] = (KPIResult.objects.filter(kpi=kpi, approved_by__isnull=False).select_related("round")
                              .order_by("-round__end_date")[:8]) if kpi else []
    elif element.kind in quality.GOAL_KINDS:
        context["goal"] = quality.goal_check(element)
    elif element.kind == ElementKind.PROJECT:
        context["budgets"] = element.project.budgets.order_by("fiscal_year", "stage") if hasattr(
            element, "project") else []
        context["can_budget"] = request.user.has_perm("monitoring.change_budget", plan)
    else:
        return HttpResponse("")
    return render(request, "monitoring/_element_panel.html", context)


# ---- rounds and results --------------------------------------------------------------------------

def plan_monitoring(request, pk):
    plan = _plan(request, pk)
    rounds = list(plan.reporting_rounds.order_by("-fiscal_year", "-end_date"))
    selected = next((r for r in rounds if str(r.pk) == request.GET.get("round")), rounds[0] if rounds else None)
    rollup = results.plan_rollup(plan, selected) if selected else []
    return render(request, "monitoring/plan_monitoring.html", {
        "plan": plan, "rounds": rounds, "selected": selected, "rows": list(results.flatten(rollup)),
        "overall": results.status_of(results.weighted_mean(rollup)),
        "overall_score": results.weighted_mean(rollup), "labels": results.STATUS_LABELS,
        "round_form": RoundForm(plan=plan), "perms": _perms(request.user, plan),
        "thresholds": (results.ON_TRACK * 100, results.AT_RISK * 100)})


@login_required
@require_POST
def round_create(request, pk):
    plan = _plan(request, pk, "monitoring.manage_rounds")
    form = RoundForm(request.POST, plan=plan)
    if form.is_valid():
        round_ = form.save()
        messages.success(request, f"เปิดรอบรายงาน “{round_.label}” แล้ว")
        return redirect("monitoring:round", round_.pk)
    messages.error(request, "ยังไม่ได้เปิดรอบรายงาน: " + " ".join(m for ms in form.errors.values() for m in ms))
    return redirect("monitoring:plan", plan.pk)


def _round(request, pk, perm=None):
    round_ = get_object_or_404(ReportingRound.objects.select_related("plan"), pk=pk)
    _plan(request, round_.plan_id, perm)
    return round_


def round_detail(request, pk):
    round_ = _round(request, pk)
    plan = round_.plan
    perms = _perms(request.user, plan)
    if request.method == "POST" and not perms["enter_results"]:
        raise PermissionDenied(DENIED["monitoring.enter_results"])
    if not any(perms.values()):   # values awaiting approval are not public; the plan page shows approved ones
        return redirect(f"{reverse('monitoring:plan', args=[plan.pk])}?round={round_.pk}")
    kpis = KPI.objects.filter(element__plan=plan).select_related("element").order_by("element__order", "pk")
    projects = Project.objects.filter(element__plan=plan).select_related("element").order_by("element__order", "pk")
    form = RoundEntryForm(request.POST or None, round_=round_, kpis=kpis, projects=projects)
    if request.method == "POST":
        if form.is_valid():
            try:
                n = services.save_entries(round_, request.user, form.kpi_values(), form.progress())
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"บันทึกแล้ว {n} รายการ (รอผู้อื่นตรวจสอบและอนุมัติ)")
                return redirect("monitoring:round", round_.pk)
        else:
            messages.error(request, "ยังไม่ได้บันทึกรายการใด: กรุณาแก้ไขช่องที่มีข้อความสีแดง")
    return render(request, "monitoring/round.html", {
        "round": round_, "plan": plan, "form": form, "perms": perms, "pending": services.pending(round_),
        "budgets": report.year_budget([p.pk for p in projects], round_.fiscal_year)})


@login_required
@require_POST
def round_approve(request, pk):
    round_ = _round(request, pk, "monitoring.approve_results")
    chosen = request.POST.getlist("entry")
    kpi_ids = [int(c[4:]) for c in chosen if c.startswith("kpi-") and c[4:].isdigit()]
    project_ids = [int(c[5:]) for c in chosen if c.startswith("proj-") and c[5:].isdigit()]
    entries = [*KPIResult.objects.filter(round=round_, pk__in=kpi_ids, approved_by__isnull=True)
               .select_related("kpi__element"),
               *ProjectProgress.objects.filter(round=round_, pk__in=project_ids, approved_by__isnull=True)
               .select_related("project__element")]
    if not entries:
        messages.error(request, "กรุณาเลือกรายการที่จะอนุมัติ")
    else:
        try:
            n = services.approve(round_, request.user, entries)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"อนุมัติแล้ว {n} รายการ")
    return redirect("monitoring:round", round_.pk)


@login_required
@require_POST
def round_close(request, pk):
    round_ = _round(request, pk, "monitoring.manage_rounds")
    try:
        services.close_round(round_, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"ปิดรอบรายงาน “{round_.label}” แล้ว ข้อมูลในรอบนี้แก้ไขไม่ได้อีก")
    return redirect("monitoring:round", round_.pk)


@login_required
def weights(request, pk):
    plan = _plan(request, pk, "monitoring.manage_rounds")
    elements = plan.elements.order_by("order", "pk")
    current = dict(ElementWeight.objects.filter(element__plan=plan).values_list("element_id", "weight"))
    form = WeightForm(request.POST or None, elements=elements, weights=current)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for element_id, weight in form.weights().items():
                if weight is None:
                    ElementWeight.objects.filter(element_id=element_id).delete()
                else:
                    ElementWeight.objects.update_or_create(element_id=element_id, defaults={"weight": weight})
        messages.success(request, "บันทึกน้ำหนักแล้ว")
        return redirect("monitoring:plan", plan.pk)
    return render(request, "monitoring/weights.html", {"plan": plan, "form": form})


# ---- LAO monitoring report -----------------------------------------------------------------------

def _report_year(request, plan) -> int:
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    return year if year in plan.years else report.default_year(plan)


def _report(request, pk):
    plan = _plan(request, pk)
    return report.lao_report(plan, _report_year(request, plan))


def lao_report(request, pk):
    data = _report(request, pk)
    return render(request, "monitoring/report.html", {"report": data, "plan": data.plan, "years": data.plan.years})


def lao_report_pdf(request, pk):
    """The PDF is made by the worker (WeasyPrint takes seconds): the job page shows its progress and
    then the file."""
    plan = _plan(request, pk)
    year = _report_year(request, plan)
    job = report_jobs.ask(request.user, "oneplan.monitoring.jobs.report_pdf",
                      f"PDF รายงานผลการติดตาม {plan.title_th} ปีงบประมาณ {year}", f"pdf:monitoring:{plan.pk}:{year}",
                      {"plan": plan.pk, "year": year})
    return redirect("jobs:detail", pk=job.pk)


def lao_report_xlsx(request, pk):
    data = _report(request, pk)
    return excel.workbook_response(report.report_workbook(data), f"ผลการติดตาม-{data.plan.key}-{data.year}.xlsx")


# ---- budget lines --------------------------------------------------------------------------------

def plan_budget(request, pk):
    plan = _plan(request, pk)
    projects = (Project.objects.filter(element__plan=plan).select_related("element")
                .prefetch_related("budgets").order_by("element__order", "pk"))
    stages = BudgetStage.choices
    rows = []
    for p in projects:
        totals = {s: sum((b.amount for b in p.budgets.all() if b.stage == s), 0) for s, _l in stages}
        rows.append((p, [totals[s] for s, _l in stages], any(b.within_ceiling is False for b in p.budgets.all())))
    col_totals = [sum((r[1][i] for r in rows), 0) for i in range(len(stages))]
    return render(request, "monitoring/plan_budget.html", {
        "plan": plan, "rows": rows, "stages": stages, "col_totals": col_totals,
        "can_budget": request.user.has_perm("monitoring.change_budget", plan)})


@login_required
def project_budget(request, pk):
    element = get_object_or_404(Element.objects.select_related("plan"), pk=pk, kind=ElementKind.PROJECT)
    plan = _plan(request, element.plan_id, "monitoring.change_budget")
    project = Project.objects.get_or_create(element=element)[0]
    formset = StageBudgetFormSet(request.POST or None, instance=project, prefix="budget",
                                 form_kwargs={"plan": plan})
    if request.method == "POST":
        if formset.is_valid():
            with transaction.atomic():
                formset.save()
            messages.success(request, "บันทึกงบประมาณแล้ว")
            return redirect("monitoring:plan_budget", plan.pk)
        messages.error(request, "ยังไม่ได้บันทึกรายการใด: " + "; ".join(_formset_errors(formset)))
    locked = [] if plan.status in EDITABLE_STATUSES else project.budgets.filter(stage=BudgetStage.PLAN)
    return render(request, "monitoring/project_budget.html", {
        "plan": plan, "element": element, "formset": formset, "locked": locked})


def _formset_errors(formset) -> list[str]:
    out = [str(e) for e in formset.non_form_errors()]
    for i, form in enumerate(formset.forms, start=1):
        for field, errors in form.errors.items():
            label = str(form.fields[field].label) if field in form.fields else ""
            out += [f"แถวที่ {i}{f' ({label})' if label and label not in e else ''}: {e}" for e in errors]
    return out


# ---- the one-plan budget view of a province ------------------------------------------------------

def budget_index(request):
    provinces = sorted(Area.objects.filter(kind="province"), key=lambda a: thai_sort_key(a.name_th))
    return render(request, "monitoring/budget_index.html", {"provinces": provinces})


def _province(code) -> Area:
    return get_object_or_404(Area, code=code, kind="province")


def _on_date(request):
    """?on=15/3/2566 (พ.ศ., Thai digits accepted): the date whose editions in force are counted."""
    from oneplan.core.thai import ThaiValueError
    from oneplan.governance.forms import parse_be_date

    text = request.GET.get("on", "").strip()
    if not text:
        return None, ""
    try:
        return parse_be_date(text, "วันที่ของฉบับที่ใช้อยู่"), ""
    except ThaiValueError as exc:
        return None, str(exc)


def budget_view(request, code):
    area = _province(code)
    stage = request.GET.get("stage") if request.GET.get("stage") in BudgetStage.values else BudgetStage.PLAN
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else None
    on, on_error = _on_date(request)
    data = budgetview.area_budget(area, stage, year, on=on)
    return render(request, "monitoring/budget_view.html", {
        "data": data, "area": area, "stages": BudgetStage.choices, "stage": stage, "year": year,
        "on_text": request.GET.get("on", ""), "on_error": on_error,
        "dimensions": [("issue", _("Provincial strategic issue"), data.by_issue),
                       ("master_plan", _("Master plan"), data.by_master_plan),
                       ("milestone", _("NESDP milestone"), data.by_milestone), ("sdg", _("SDG goal"), data.by_sdg)],
        "duplicates_url": reverse("monitoring:duplicates", args=[area.code])})


def duplicate_list(request, code):
    """The finder runs on the worker (a minute at 40,000 projects); the page shows its newest result,
    the same for everyone (counted plans only). POST asks for a fresh search."""
    area = _province(code)
    found = report_jobs.latest_or_start(None, "oneplan.monitoring.jobs.find_duplicates",
                                        f"ค้นหาโครงการที่อาจซ้ำซ้อน {area.display_name}", f"duplicates:{area.code}",
                                        {"province": area.code}, again=request.method == "POST")
    if request.method == "POST":
        return redirect("monitoring:duplicates", code=area.code)
    result = found.done.result_data if found.done else {"total": 0, "candidates": []}
    return render(request, "monitoring/duplicates.html", {
        "area": area, "found": found, "candidates": result["candidates"], "total": result["total"],
        "threshold": int(duplicates.SIMILARITY * 100)})
