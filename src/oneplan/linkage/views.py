from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from oneplan.areas.models import Area, AreaKind
from oneplan.core.thai import thai_sort_key
from oneplan.frameworks import registry
from oneplan.jobs import results as report_jobs
from oneplan.plans import graph, totals
from oneplan.plans.editions import in_force_q, is_frozen
from oneplan.plans.models import Element, ElementKind, Link, Plan
from oneplan.plans.models.elements import STRATEGIC_KINDS

from . import checks, jobs, remap
from . import coverage as cov
from .models import RejectedSuggestion
from .targets import sections_for

REVIEW_KINDS = {*STRATEGIC_KINDS, ElementKind.ULTIMATE_GOAL, ElementKind.KPI, ElementKind.PROJECT}


def _visible_plan(request, pk) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("area", "owner"), pk=pk)
    if not request.user.has_perm("linkage.view_linkage", plan):
        raise Http404
    return plan


def _visible_element(request, pk) -> Element:
    element = get_object_or_404(Element.objects.select_related("plan__area", "plan__owner"), pk=pk)
    _visible_plan(request, element.plan_id)
    return element


# -- suggestions ------------------------------------------------------------------------------------
def element_panel(request, pk):
    element = _visible_element(request, pk)
    return render(request, "linkage/_suggestions.html", _panel_context(request, element))


def _panel_context(request, element):
    # where a plain (non-htmx) accept/reject returns to: the page showing the panel, not the fragment
    back = request.htmx.current_url_abs_path if request.htmx else request.get_full_path()
    return {"element": element, "sections": sections_for(element), "back": back or element.get_absolute_url(),
            "can_decide": request.user.has_perm("linkage.decide_suggestion", element)}


def _decided(request, element, notice: str):
    """htmx: the refreshed panel saying what was done, and the `links-changed` event so the element's list
    of links refreshes too; a plain form post: the message, and back to where the user was."""
    if request.htmx:
        response = render(request, "linkage/_suggestions.html", {**_panel_context(request, element),
                                                                 "notice": notice})
        response["HX-Trigger"] = "links-changed"
        return response
    messages.success(request, notice)
    return _back(request, element)


def _back(request, element):
    nxt = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
        nxt = element.get_absolute_url()
    return redirect(nxt)


def _decision(request, pk, target):
    element = get_object_or_404(Element.objects.select_related("plan"), pk=pk)
    _visible_plan(request, element.plan_id)
    # the status is checked here too: Django lets superusers past every has_perm
    if is_frozen(element.plan.status) or not request.user.has_perm("linkage.decide_suggestion", element):
        raise PermissionDenied("คุณไม่มีสิทธิ์เชื่อมโยงองค์ประกอบของแผนนี้ หรือแผนอยู่ในสถานะที่แก้ไขไม่ได้")
    return element, get_object_or_404(Element.objects.select_related("plan"), pk=target)


@login_required
@require_POST
def accept(request, pk, target):
    element, target_el = _decision(request, pk, target)
    link = Link(source=element, target=target_el, created_by=request.user, note="ยอมรับจากข้อเสนอแนะการเชื่อมโยง")
    try:
        link.full_clean()
        with transaction.atomic():
            link.save()
    except (ValidationError, IntegrityError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else "มีการเชื่อมโยงนี้อยู่แล้ว"
        if request.htmx:
            return HttpResponse(text, status=400)
        messages.error(request, text)
        return _back(request, element)
    return _decided(request, element, f"เชื่อมโยง “{element.code}” กับ “{target_el.code} {target_el.title_th}” แล้ว")


@login_required
@require_POST
def reject(request, pk, target):
    element, target_el = _decision(request, pk, target)
    RejectedSuggestion.objects.get_or_create(source=element, target=target_el,
                                             defaults={"rejected_by": request.user})
    return _decided(request, element, f"จะไม่เสนอ “{target_el.code} {target_el.title_th}” ให้ “{element.code}” อีก")


def unlinked_elements(plan: Plan) -> list[Element]:
    """Elements with no link of their own nor through an ancestor (what an officer still has to link)."""
    elements = list(plan.elements.order_by("order", "id"))
    linked = set(Link.objects.filter(source__plan=plan).values_list("source_id", flat=True))
    by_id = {e.pk: e for e in elements}

    def covered(e):
        while e is not None:
            if e.pk in linked:
                return True
            e = by_id.get(e.parent_id)
        return False

    return [e for e in elements if e.kind in REVIEW_KINDS and not covered(e)]


def review(request, pk):
    plan = _visible_plan(request, pk)
    queue = unlinked_elements(plan)
    ids = [e.pk for e in queue]
    wanted = request.GET.get("element", "")
    if wanted.isdigit() and int(wanted) not in ids and plan.elements.filter(pk=wanted).exists():
        element = plan.elements.get(pk=wanted)      # a finding's "fix" link to an element already linked
        position = None
    else:
        position = ids.index(int(wanted)) if wanted.isdigit() and int(wanted) in ids else 0
        element = queue[position] if queue else None
    ctx = {"plan": plan, "queue_size": len(queue), "element": element, "position": position}
    if element is not None:
        ctx.update(_panel_context(request, element))
        after = ids[(position or 0) + 1:] if position is not None else ids
        ctx["next_id"] = after[0] if after else None
        ctx["prev_id"] = ids[position - 1] if position else None
    return render(request, "linkage/review.html", ctx)


# -- checks -------------------------------------------------------------------------------------------
def plan_checks(request, pk):
    plan = _visible_plan(request, pk)
    findings = checks.check_plan(plan)
    return render(request, "linkage/checks.html", {"plan": plan, "findings": findings,
                                                    "summary": checks.summary(findings)})


def plan_checks_panel(request, pk):
    plan = _visible_plan(request, pk)
    findings = checks.check_plan(plan) if not plan.is_framework else []
    return render(request, "linkage/_checks_panel.html", {"plan": plan, "findings": findings,
                                                           "summary": checks.summary(findings)})


def _provinces():
    """Provinces for the select, in Thai dictionary order (SQL would put เชียงราย after ฮ)."""
    return sorted(Area.objects.filter(kind=AreaKind.PROVINCE), key=lambda a: thai_sort_key(a.name_th))


def checks_report(request):
    """Every plan of a province checked by the worker (jobs.province_checks); the page shows the newest
    result for this person, each plan read again through what they may see now. POST checks again."""
    code = request.POST.get("province") or request.GET.get("province", "")
    province = Area.objects.filter(kind=AreaKind.PROVINCE, code=code).first()
    found, rows = None, []
    if province is not None:
        found = report_jobs.latest_or_start(
            request.user, "oneplan.linkage.jobs.province_checks", f"ตรวจแผนทั้ง{province.display_name}",
            f"checks:{province.code}", {"province": province.code}, again=request.method == "POST")
        if request.method == "POST":
            return redirect(reverse("linkage:report") + f"?province={province.code}")
        if found.done:
            plans = jobs.province_plans(request.user, province).in_bulk([r["plan"] for r in found.done.result_data])
            rows = [(plans[r["plan"]], r["counts"], r["total"]) for r in found.done.result_data if r["plan"] in plans]
    return render(request, "linkage/report.html", {"provinces": _provinces(), "province": province, "rows": rows,
                                                    "found": found, "kinds": list(checks.KINDS.values())})


def index(request):
    return render(request, "linkage/index.html", {"provinces": _provinces(), "frameworks": _coverage_frameworks(),
                                                   "clusters": Area.objects.filter(kind=AreaKind.CLUSTER)})


# -- traceability -------------------------------------------------------------------------------------
def contributors(request, pk):
    """Downward traceability: what contributes to an element, from plans in force only (the same for
    every user); the viewer's own drafts are listed apart, labelled, and never counted."""
    element = _visible_element(request, pk)
    province = Area.objects.filter(kind=AreaKind.PROVINCE, code=request.GET.get("province", "")).first()
    scope = totals.counted_plans(cov.area_q(province) if province is not None else None)
    result = graph.contribution(element, plans=scope)
    elements, projects = _first_contributors(result.contributors, 500)
    shares = result.project_shares([p.pk for p in projects])
    return render(request, "linkage/contributors.html", {
        "element": element, "province": province, "provinces": _provinces(), "contribution": result,
        "elements": elements, "projects": [(p, shares.get(p.pk, Decimal(0))) for p in projects],
        "element_count": result.element_count, "project_count": result.project_count,
        "plan_count": result.plan_count, "budget_by_year": result.budget_by_year,
        "budget_total": result.budget_total,
        "own_drafts": _own_draft_contributors(request.user, element, province)})


def _first_contributors(found: dict, limit: int):
    """The first `limit` contributing elements and projects, by plan title then order in the plan: sorted
    here from what graph.contribution found, so only the rows shown are read from the database."""
    titles = dict(Plan.objects.filter(pk__in={r[0] for r in found.values()}).values_list("pk", "title_th"))
    key = lambda i: (titles[found[i][0]], found[i][2], i)  # noqa: E731
    out = []
    for is_project in (False, True):
        ids = sorted((i for i, r in found.items() if (r[1] == ElementKind.PROJECT) == is_project), key=key)[:limit]
        rows = Element.objects.select_related("plan__area").in_bulk(ids)
        out.append([rows[i] for i in ids])
    return out


def _own_draft_contributors(user, element, province=None):
    """Elements of the viewer's own unannounced plans that would contribute (shown as drafts)."""
    if not getattr(user, "is_authenticated", False):
        return []
    drafts = (Plan.objects.filter(owner__memberships__user=user, framework="").exclude(in_force_q())
              .exclude(status="superseded").distinct())
    if province is not None:
        drafts = drafts.filter(cov.area_q(province))
    draft_ids = list(drafts.values_list("pk", flat=True))
    if not draft_ids:
        return []
    ids = graph.contributors(element, also_plans=draft_ids)
    return list(Element.objects.filter(pk__in=ids, plan_id__in=draft_ids).select_related("plan")
                .order_by("plan__title_th", "order")[:200])


# -- coverage -----------------------------------------------------------------------------------------
def _coverage_frameworks():
    return [registry.get(code) for code in cov.COVERAGE_FRAMEWORKS]


def _coverage_from_request(request):
    """(coverage, scope label, query string) from ?scope=plan|province|cluster|lao&plan=&area=&framework=."""
    scope = request.GET.get("scope", "plan")
    framework = request.GET.get("framework", "master-plans")
    if scope not in cov.SCOPES or framework not in cov.COVERAGE_FRAMEWORKS:
        raise Http404
    fplan = Plan.objects.in_force().filter(framework=framework).order_by("-start_year").first()
    if fplan is None:
        raise Http404
    if scope == "plan":
        target = _visible_plan(request, request.GET.get("plan") or 0)
        label = target.title_th
    else:
        kind = AreaKind.CLUSTER if scope == "cluster" else AreaKind.PROVINCE
        target = get_object_or_404(Area, kind=kind, code=request.GET.get("area", ""))
        label = {"province": "แผนทุกแผนใน", "cluster": "แผนทุกแผนใน", "lao": "แผนของ อปท. ทุกแห่งใน"}[scope] + \
            target.display_name
    plans = cov.scope_plans(scope, target)
    return cov.coverage(plans, fplan), label


def coverage_page(request):
    result, label = _coverage_from_request(request)
    return render(request, "linkage/coverage.html", {
        "cov": result, "label": label, "chart": cov.chart_option(result), "query": request.GET.urlencode(),
        "frameworks": _coverage_frameworks(), "params": request.GET})


def coverage_export(request):
    result, label = _coverage_from_request(request)
    wb = cov.linkage_workbook(result, label)
    return cov.excel.workbook_response(wb, f"ยท01-{label[:60]}.xlsx")


def plan_coverage(request, pk):
    plan = _visible_plan(request, pk)
    return redirect(reverse("linkage:coverage") + f"?scope=plan&plan={plan.pk}&framework=master-plans")


# -- re-mapping links to a superseded framework edition ---------------------------------------------
def remap_queue(request, pk):
    plan = _visible_plan(request, pk)
    return render(request, "linkage/remap.html", {
        "plan": plan, "proposals": remap.queue(plan),
        "can_decide": not is_frozen(plan.status) and request.user.has_perm("plans.link_plan", plan)})


@login_required
@require_POST
def remap_decide(request, pk):
    link = get_object_or_404(Link.objects.select_related("source__plan", "target__plan"), pk=pk)
    plan = _visible_plan(request, link.source.plan_id)
    # the status is checked here too: Django lets superusers past every has_perm
    if is_frozen(plan.status) or not request.user.has_perm("plans.link_plan", plan):
        raise PermissionDenied("ปรับการเชื่อมโยงได้เฉพาะผู้จัดทำแผนขณะแผนเป็นร่าง (แผนที่ประกาศใช้แล้วให้จัดทำฉบับใหม่)")
    if request.POST.get("decision") == "keep":
        remap.keep(link, request.user)
        messages.success(request, f"คงการเชื่อมโยง {link.source.code} → {link.target.code} ไว้ตามเดิม")
    else:
        proposal = next((p for p in remap.queue(plan) if p.link.pk == link.pk), None)
        wanted = request.POST.get("replacement", "")
        if proposal is None or proposal.replacement is None or str(proposal.replacement.pk) != wanted:
            messages.error(request, "ข้อเสนอนี้เปลี่ยนไปแล้ว กรุณาตรวจสอบอีกครั้ง")  # a stale or forged form
            return redirect("linkage:remap", plan.pk)
        new = remap.accept(link, proposal.replacement, request.user)
        messages.success(request, f"ปรับ {link.source.code} ให้เชื่อมโยงกับ {new.target.code} "
                                  f"{new.target.title_th[:60]} ({new.target.plan.title_th[:60]}) แล้ว")
    return redirect("linkage:remap", plan.pk)
