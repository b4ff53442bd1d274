from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oneplan.core.paging import paged
from oneplan.core.submission import AlreadySubmitted, OneTimeFormMixin, submit_once
from oneplan.core.thai import strip_invisible
from oneplan.organisations.models import Organisation

from . import editions, extensions, graph, snapshot
from .editions import in_force_q
from .forms import BudgetFormSet, ElementForm, KPIForm, LinkForm, PlanForm, ProjectForm
from .models import KPI, Element, ElementKind, KPITarget, Link, Plan, PlanKind, PlanStatus, Project
from .tree import build_tree
from .visibility import visible_plans


def _may_write(user, perm, plan) -> bool:
    # the status is checked here too: Django lets superusers past every has_perm
    return not editions.is_frozen(plan.status) and user.has_perm(perm, plan)


def _plan_for(request, pk, perm="plans.view_plan") -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("owner", "area"), pk=pk)
    if not request.user.has_perm("plans.view_plan", plan):
        raise Http404
    if perm != "plans.view_plan" and not _may_write(request.user, perm, plan):
        refused = PermissionDenied("คุณไม่มีสิทธิ์แก้ไขแผนนี้ หรือแผนอยู่ในสถานะที่แก้ไขไม่ได้ "
                                   "(ส่งพิจารณาหรือประกาศใช้แล้ว: ให้จัดทำฉบับใหม่)")
        refused.audit_plan_id = plan.pk  # the security middleware files the refusal under this plan
        raise refused
    return plan


def plan_list(request):
    plans = visible_plans(request.user).select_related("owner")
    kind, status, level = request.GET.get("kind", ""), request.GET.get("status", ""), request.GET.get("level", "")
    if kind in PlanKind.values:
        plans = plans.filter(kind=kind)
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    if level in ("1", "2", "3", "0"):
        from .models.plans import PLAN_LEVEL

        kinds = [k for k in PlanKind.values if str(PLAN_LEVEL.get(k, 3)) == level]
        plans = plans.filter(kind__in=kinds)
    page = paged(request, plans.order_by("kind", "-start_year", "title_th", "pk"))
    return render(request, "plans/list.html", {
        "plans": page, "page": page, "kinds": PlanKind.choices,
        "statuses": PlanStatus.choices, "kind": kind, "status": status, "level": level})


def _edition_context(user, plan) -> dict:
    """The newer edition that replaced this one, and (for those who may see drafts) the one in preparation."""
    draft = editions.working_draft(plan)
    return {"successor": editions.successor_in_force(plan),
            "working_draft": draft if draft is not None and user.has_perm("plans.view_plan", draft) else None}


def plan_detail(request, pk):
    plan = _plan_for(request, pk)
    rows, years, col_totals, grand_total = graph.plan_budget_table(plan)
    return render(request, "plans/detail.html", {**_edition_context(request.user, plan),
        "plan": plan, "tree": build_tree(plan), "budget_rows": rows, "budget_years": years,
        "budget_col_totals": col_totals, "budget_total": grand_total,
        "can_edit": _may_write(request.user, "plans.change_plan", plan),
        "undo_available": request.session.get("undo_delete", {}).get("plan") == plan.pk,
        "plan_actions": extensions.plan_actions(plan), "plan_panels": extensions.plan_panels(plan),
    })


def element_detail(request, pk):
    element = get_object_or_404(Element.objects.select_related("plan", "parent"), pk=pk)
    plan = _plan_for(request, element.plan_id)
    contribution = graph.contribution_summary(element)
    linked = (Link.objects.filter(in_force_q(prefix="source__plan__"), target=element)   # never a draft
              .select_related("source__plan__owner")
              .order_by("source__plan__title_th", "source__order")[:500])
    return render(request, "plans/element.html", {
        "plan": plan, "chain": graph.upward_chain(element), "links_down": linked,
        "contribution": contribution, "children": element.children.order_by("order"),
        "can_edit": _may_write(request.user, "plans.change_plan", plan),
        "element_actions": extensions.element_actions(element),
        "element_panels": extensions.element_panels(element),
        **_links_context(request, element, plan),
    })


def _links_context(request, element, plan) -> dict:
    return {"element": element,
            "inherited": [lk for lk in graph.inherited_links(element) if lk.source_id != element.pk],
            "links_up": element.links_up.select_related("target__plan"),
            "link_form": _link_form(request, element) if _may_write(request.user, "plans.link_plan", plan) else None}


def element_links(request, pk):
    """The element's upward links alone: refreshed by htmx when a link is accepted or rejected elsewhere on
    the page (the suggestions panel sends the `links-changed` event)."""
    element = get_object_or_404(Element.objects.select_related("plan"), pk=pk)
    plan = _plan_for(request, element.plan_id)
    return render(request, "plans/_links_up.html", _links_context(request, element, plan))


def _link_form(request, element, data=None) -> LinkForm:
    """Only elements of plans the user may see can be picked (the choices list their plans' titles)."""
    form = LinkForm(data, source=element)
    field = form.fields["target"]
    field.queryset = field.queryset.filter(plan__in=visible_plans(request.user))
    return form


def _editable_owners(user):
    if user.is_superuser:
        return Organisation.objects.order_by("kind", "name_th")
    return Organisation.objects.filter(memberships__user=user, memberships__role="editor").distinct()


class NewPlanForm(OneTimeFormMixin, PlanForm):
    """Creating a plan: one submission, one plan (see core.submission)."""


@login_required
def plan_create(request):
    if not request.user.has_perm("plans.add_plan"):
        raise PermissionDenied("คุณยังไม่มีบทบาทผู้แก้ไขแผนในหน่วยงานใด")
    owners = _editable_owners(request.user)
    initial = {}
    if request.GET.get("owner"):
        org = owners.filter(key=request.GET["owner"]).first()
        initial = {"owner": org, "area": org.area if org else None}
    form = NewPlanForm(request.POST or None, owners=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic(), submit_once(form) as claim:
                plan = form.save(commit=False)
                plan.key = form.cleaned_data["key"]
                plan.status = PlanStatus.DRAFT
                plan.save()
                claim.done(plan.get_absolute_url())
        except AlreadySubmitted as exc:
            messages.info(request, f"{exc}: สร้างแผนไว้แล้วครั้งเดียว")
            return redirect(exc.url or "plans:list")
        except IntegrityError:
            if not Plan.objects.filter(key=form.cleaned_data["key"]).exists():
                raise
            # someone created a plan with the same key between our check and our insert
            form.add_error("key" if "key" in form.fields else None,
                           f"รหัสแผน “{form.cleaned_data['key']}” ถูกใช้แล้ว (อาจมีผู้สร้างแผนชื่อเดียวกันพร้อมกัน) "
                           "กรุณากรอกรหัสอื่น หรือเว้นว่างแล้วส่งอีกครั้งเพื่อให้ระบบตั้งรหัสใหม่")
        else:
            messages.success(request, "สร้างแผนเรียบร้อยแล้ว")
            return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form})


@login_required
def plan_edit(request, pk):
    plan = _plan_for(request, pk, "plans.change_plan")
    form = PlanForm(request.POST or None, instance=plan, owners=_editable_owners(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "บันทึกข้อมูลแผนแล้ว")
        return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


@login_required
def element_add(request, pk):
    plan = _plan_for(request, pk, "plans.change_plan")
    parent = plan.elements.filter(pk=request.GET.get("parent")).first()
    form = ElementForm(request.POST or None, plan=plan, initial={"parent": parent,
                                                                 "kind": request.GET.get("kind", "")})
    # the whole form at once: a project's ผ.02 fields and budget, a KPI's definition and targets, shown
    # for the kind chosen (CSS) and read only for that kind
    kind = request.POST.get("kind") if request.method == "POST" else request.GET.get("kind")
    details = _detail_forms(request, plan, KPI(), Project(), bind_kpi=kind == "kpi", bind_project=kind == "project")
    if request.method == "POST":
        if form.is_valid() and all(f.is_valid() for f in details.values() if f.is_bound):
            with transaction.atomic():
                element = form.save(commit=False)
                siblings = plan.elements.filter(parent=element.parent)
                element.order = (max(siblings.values_list("order", flat=True), default=0) or 0) + 1
                element.save()
                _save_details(element, **{k: f for k, f in details.items() if f.is_bound})
                _ensure_details(element)
            messages.success(request, f"เพิ่ม “{element.code} {element.title_th[:60]}” แล้ว")
            return redirect(element.get_absolute_url() if element.kind in ("kpi", "project") else plan.get_absolute_url())
        messages.error(request, "ยังไม่ได้บันทึก: กรุณาแก้ไขช่องที่มีข้อความสีแดง")
    return render(request, "plans/element_form.html", {"form": form, "plan": plan, **details})


def _detail_forms(request, plan, kpi, project, *, bind_kpi: bool, bind_project: bool) -> dict:
    data = request.POST if request.method == "POST" else None
    return {"kpi_form": KPIForm(data if bind_kpi else None, instance=kpi, years=plan.years, prefix="kpi"),
            "project_form": ProjectForm(data if bind_project else None, instance=project, prefix="project"),
            "budgets": BudgetFormSet(data if bind_project else None, instance=project, prefix="budget",
                                     form_kwargs={"plan": plan})}


def _save_details(element, kpi_form=None, project_form=None, budgets=None):
    """The KPI or project details of an element (new or existing) and the project's budget lines."""
    if kpi_form is not None:
        kpi_form.instance.element = element
        kpi = kpi_form.save()
        for year, value in kpi_form.targets().items():
            if value is None:
                KPITarget.objects.filter(kpi=kpi, year=year).delete()
            else:
                KPITarget.objects.update_or_create(kpi=kpi, year=year, defaults={"value": value})
    if project_form is not None:
        project_form.instance.element = element
        project = project_form.save()
        budgets.instance = project
        budgets.save()


def _ensure_details(element: Element):
    if element.kind == ElementKind.KPI:
        KPI.objects.get_or_create(element=element)
    if element.kind == ElementKind.PROJECT:
        Project.objects.get_or_create(element=element)


@login_required
def element_edit(request, pk):
    element = get_object_or_404(Element, pk=pk)
    plan = _plan_for(request, element.plan_id, "plans.change_plan")
    form = ElementForm(request.POST or None, instance=element, plan=plan)
    kpi_form = project_form = budgets = None
    if element.kind == ElementKind.KPI:
        kpi_form = KPIForm(request.POST or None, instance=KPI.objects.get_or_create(element=element)[0],
                           years=plan.years, prefix="kpi")
    if element.kind == ElementKind.PROJECT:
        project = Project.objects.get_or_create(element=element)[0]
        project_form = ProjectForm(request.POST or None, instance=project, prefix="project")
        budgets = BudgetFormSet(request.POST or None, instance=project, prefix="budget",
                                form_kwargs={"plan": plan})
    if request.method == "POST":
        forms_ok = [f.is_valid() for f in (form, kpi_form, project_form, budgets) if f is not None]
        if all(forms_ok):
            try:
                with transaction.atomic():
                    _save_element(form, kpi_form, project_form, budgets)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "บันทึกแล้ว")
                return redirect(element)
        messages.error(request, "ยังไม่ได้บันทึก: กรุณาแก้ไขช่องที่มีข้อความสีแดง")
    return render(request, "plans/element_form.html", {"form": form, "plan": plan, "element": element,
                                                       "kpi_form": kpi_form, "project_form": project_form,
                                                       "budgets": budgets})


def _save_element(form, kpi_form, project_form, budgets):
    element = form.save(commit=False)
    updated = Element.objects.filter(pk=element.pk, version=form.cleaned_data.get("version") or element.version)
    if not updated.update(version=F("version") + 1):
        raise ValidationError("องค์ประกอบนี้ถูกแก้ไขโดยผู้อื่นระหว่างที่คุณแก้ไข กรุณาเปิดหน้าใหม่")
    element.version += 1
    element.save()
    _save_details(element, kpi_form, project_form, budgets)


@login_required
@require_POST
def element_move(request, pk, direction):
    """Swap an element with its previous/next sibling (keyboard-friendly reordering)."""
    element = get_object_or_404(Element, pk=pk)
    plan = _plan_for(request, element.plan_id, "plans.change_plan")
    siblings = list(plan.elements.filter(parent_id=element.parent_id).order_by("order", "id"))
    i = siblings.index(element)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(siblings):
        siblings[i], siblings[j] = siblings[j], siblings[i]
        with transaction.atomic():
            for n, sib in enumerate(siblings):
                Element.objects.filter(pk=sib.pk).update(order=n)
    return redirect(f"{plan.get_absolute_url()}#el-{element.pk}")


@login_required
@require_POST
def element_delete(request, pk):
    """Delete an element and everything below it; the session keeps an exact snapshot for undo."""
    element = get_object_or_404(Element, pk=pk)
    plan = _plan_for(request, element.plan_id, "plans.change_plan")
    label = f"{element.code} {element.title_th[:60]}"
    data = snapshot.delete_with_snapshot(element)
    request.session["undo_delete"] = {"plan": plan.pk, "label": label, **data}
    messages.warning(request, f"ลบ “{label}” แล้ว (รวม {data['elements'] - 1} รายการย่อย) — กด “เลิกทำ” เพื่อนำกลับมา")
    return redirect(plan)


@login_required
@require_POST
def element_undo_delete(request, pk):
    plan = _plan_for(request, pk, "plans.change_plan")
    undo = request.session.get("undo_delete")
    if not undo or undo["plan"] != plan.pk or "rows" not in undo:
        messages.error(request, "ไม่มีรายการที่ลบให้เลิกทำ")
        return redirect(plan)
    try:
        restored = snapshot.restore(undo)
    except (ValueError, PermissionDenied) as exc:
        messages.error(request, str(exc))
        return redirect(plan)
    del request.session["undo_delete"]
    note = f" (ไม่ได้นำกลับ {restored.skipped} รายการที่อ้างถึงข้อมูลที่ถูกลบไปแล้ว)" if restored.skipped else ""
    messages.success(request, f"นำ “{undo.get('label', '')}” กลับมาแล้ว: {restored.elements} องค์ประกอบ "
                              f"(รวม {restored.elements - 1} รายการย่อย){note}")
    return redirect(plan)


@login_required
@require_POST
def link_add(request, pk):
    element = get_object_or_404(Element, pk=pk)
    _plan_for(request, element.plan_id, "plans.link_plan")
    form = _link_form(request, element, request.POST)
    if form.is_valid():
        link = Link(source=element, target=form.cleaned_data["target"], note=form.cleaned_data["note"],
                    created_by=request.user)
        try:
            link.full_clean()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            link.save()
            messages.success(request, f"เชื่อมโยงกับ “{link.target}” แล้ว")
    else:
        messages.error(request, "เลือกองค์ประกอบที่จะเชื่อมโยง")
    return redirect(element)


LINK_CANDIDATES = 60


@login_required
def link_candidates(request, pk):
    """The type-ahead of the link picker: elements of higher plans and frameworks the user may see whose
    words or code match what is typed, grouped by plan and edition (the framework's short name first)."""
    from oneplan.search.engine import search_elements

    element = get_object_or_404(Element.objects.select_related("plan"), pk=pk)
    _plan_for(request, element.plan_id, "plans.link_plan")
    q = request.GET.get("q", "").strip()[:200]
    allowed = _link_form(request, element).fields["target"].queryset
    found = []
    if q:
        by_words, _words = search_elements(q, plans=None)
        code = strip_invisible(q).replace(" ", "")
        found = list(allowed.filter(Q(pk__in=by_words.values("pk")) | Q(code__istartswith=code))
                     .select_related("plan")[:LINK_CANDIDATES + 1])
    groups: dict = {}
    for e in found[:LINK_CANDIDATES]:
        groups.setdefault(e.plan, []).append(e)
    return render(request, "plans/_link_candidates.html", {
        "element": element, "q": q, "groups": list(groups.items()), "more": len(found) > LINK_CANDIDATES})


@login_required
@require_POST
def link_remove(request, pk):
    link = get_object_or_404(Link, pk=pk)
    _plan_for(request, link.source.plan_id, "plans.link_plan")
    link.delete()
    messages.success(request, "ยกเลิกการเชื่อมโยงแล้ว")
    return redirect(link.source)
