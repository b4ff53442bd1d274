"""Pages of the open side of the Clinic Center: public dashboards and their Excel, the LAO's recurring problems
and project proposals, the learning notes, and the desk's Open311 partner keys."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from oneplan.areas.models import Area, AreaKind
from oneplan.core.excel import new_workbook, workbook_response, write_header, write_row, write_title
from oneplan.organisations.models import LAO_KINDS, Organisation

from . import dashboards as dash
from . import learning, planning
from .models import Category, LearningNote, PartnerKey

ROW_HEADERS = ["รายการ", "จำนวนเรื่อง", "แก้ไขแล้ว", "ร้อยละที่แก้ไขแล้ว", "ปิดเรื่องแล้ว", "ยังไม่เสร็จ", "เกินกำหนด",
               "มัธยฐานวันที่ใช้แก้ไข"]


# -- dashboards ----------------------------------------------------------------------------------------------
def _scope(kind: str, key: str, request) -> dash.Scope:
    if kind == "province":
        return dash.province_scope(get_object_or_404(Area, code=key, kind=AreaKind.PROVINCE))
    if kind == "district":
        return dash.district_scope(get_object_or_404(Area, code=key, kind=AreaKind.DISTRICT))
    if kind == "lao":
        return dash.lao_scope(get_object_or_404(Organisation, key=key, kind__in=LAO_KINDS))
    if kind == "dimension":
        names = dash.dimension_names()
        if key not in names and key not in set(dash.category_dimensions().values()):
            raise Http404("ไม่มีด้านเมืองอัจฉริยะนี้")
        code = request.GET.get("province", "")
        province = get_object_or_404(Area, code=code, kind=AreaKind.PROVINCE) if code else None
        return dash.dimension_scope(key, names, province)
    raise Http404


def dashboard_index(request):
    provinces = Area.objects.filter(kind=AreaKind.PROVINCE, pk__in=dash.Report.objects.values("province"))
    return render(request, "clinic/open/dashboard_index.html", {
        "provinces": sorted(provinces, key=lambda a: dash.thai_sort_key(a.name_th)),
        "dimensions": sorted(dash.dimension_names().items())})


def dashboard(request, kind, key):
    scope = _scope(kind, key, request)
    f = dash.figures(scope)
    charts = [("cat", "เรื่องที่แจ้งตามประเภทปัญหา", f.by_category), ("place", "เรื่องที่แจ้งตามพื้นที่", f.by_place),
              ("dim", "เรื่องที่แจ้งตามด้านของเมืองอัจฉริยะ", f.by_dimension)]
    return render(request, "clinic/open/dashboard.html", {
        "f": f, "scope": scope, "charts": [(n, t, rows, dash.bar_option(t, rows)) for n, t, rows in charts],
        "districts": (Area.objects.filter(parent=scope.province, kind=AreaKind.DISTRICT).order_by("code")
                      if kind == "province" else []),
        "query": request.GET.urlencode()})


def dashboard_xlsx(request, kind, key):
    scope = _scope(kind, key, request)
    f = dash.figures(scope)
    wb = new_workbook()
    for title, rows in (("สรุป", [f.summary]), ("ตามประเภทปัญหา", f.by_category), ("ตามพื้นที่", f.by_place),
                        ("ตามด้านเมืองอัจฉริยะ", f.by_dimension)):
        ws = wb.create_sheet(title)
        row = write_title(ws, 1, f"ศูนย์ Clinic Center: {scope.title} — {title} (ณ {timezone.localdate():%d/%m}/"
                                 f"{timezone.localdate().year + 543})", len(ROW_HEADERS))
        row = write_header(ws, row, ROW_HEADERS, [40, 12, 12, 14, 12, 12, 12, 16])
        for r in rows:
            row = write_row(ws, row, [r.label, r.total, r.resolved, r.resolution_rate, r.closed, r.open, r.overdue,
                                      r.median_days])
    return workbook_response(wb, f"clinic-{kind}-{key}.xlsx")


# -- into the plan -------------------------------------------------------------------------------------------
def _lao(key) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("area"), key=key, kind__in=LAO_KINDS)


def recurring(request, key):
    """Recurring problems of the LAO's area that no project of its plan (in force or draft) addresses."""
    org = _lao(key)
    drafts = list(planning.draft_plans(org))
    can_propose = any(request.user.has_perm("plans.change_plan", p) for p in drafts)
    in_force = planning.lao_plans(org).filter(status="in_force").first()
    return render(request, "clinic/open/recurring.html", {
        "org": org, "groups": planning.unaddressed(org), "drafts": drafts, "can_propose": can_propose,
        "in_force": in_force, "min_count": planning.RECURRING_MIN, "window": planning.WINDOW_DAYS})


@login_required
def propose(request, key, area, category):
    """Turn a group into a project of the LAO's working draft, its reports attached as evidence."""
    org = _lao(key)
    found = planning.find_group(org, area, category)
    if found is None:
        raise Http404("ไม่พบกลุ่มปัญหานี้")
    group, _ids = found
    drafts = [p for p in planning.draft_plans(org) if request.user.has_perm("plans.change_plan", p)]
    if not drafts:
        raise PermissionDenied("ไม่มีแผนฉบับร่างที่คุณแก้ไขได้ — เริ่มจัดทำฉบับใหม่ (ทบทวน/เพิ่มเติม) จากหน้าแผนก่อน")
    plan = next((p for p in drafts if str(p.pk) == request.POST.get("plan", request.GET.get("plan", ""))), drafts[0])
    parents = list(planning.strategic_parents(plan))
    errors, title = {}, request.POST.get("title", f"โครงการแก้ไขปัญหา{group.category.name_th} "
                                                  f"{group.area.display_name if group.area else ''}".strip())
    if request.method == "POST":
        parent = next((p for p in parents if str(p.pk) == request.POST.get("parent")), None)
        if parent is None:
            errors["parent"] = ["กรุณาเลือกแนวทางการพัฒนา/แผนงานที่โครงการนี้อยู่ภายใต้"]
        else:
            try:
                element = planning.propose_project(group, plan, parent, title, request.user)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(request, f"เพิ่มโครงการ “{element.title_th[:60]}” ในแผนฉบับร่างแล้ว "
                                          f"พร้อมเรื่องที่ประชาชนแจ้ง {len(group.report_ids)} เรื่องเป็นหลักฐาน")
                return redirect(element.get_absolute_url())
    planning.suggest_for(group, planning.lao_reports(org))
    return render(request, "clinic/open/propose.html", {
        "org": org, "group": group, "drafts": drafts, "plan": plan, "parents": parents, "title": title,
        "errors": errors}, status=400 if errors else 200)


# -- learning notes -------------------------------------------------------------------------------------------
def notes(request):
    return render(request, "clinic/open/notes.html", {
        "by_category": learning.notes_by_category(), "can_write": bool(learning.desks_of(request.user))})


def note(request, pk):
    item = get_object_or_404(LearningNote.objects.prefetch_related("categories"), pk=pk)
    if not item.published and not learning.may_edit(request.user, item):
        raise Http404
    return render(request, "clinic/open/note.html", {"note": item, "can_edit": learning.may_edit(request.user, item)})


@login_required
def note_edit(request, pk=None):
    item = get_object_or_404(LearningNote, pk=pk) if pk else None
    desks = list(learning.desks_of(request.user))
    if (item is None and not desks) or (item is not None and not learning.may_edit(request.user, item)):
        raise PermissionDenied("เฉพาะเจ้าหน้าที่ศูนย์ Clinic Center เท่านั้นที่เขียนบันทึกความรู้ได้")
    form = learning.NoteForm(request.POST or None, instance=item, desks=desks)
    if request.method == "POST" and form.is_valid():
        saved = form.save(user=request.user)
        messages.success(request, f"บันทึก “{saved.title}” แล้ว")
        return redirect(saved.get_absolute_url())
    return render(request, "clinic/open/note_form.html", {"form": form, "note": item},
                  status=400 if form.errors else 200)


# -- Open311 partner keys ------------------------------------------------------------------------------------
@login_required
def partners(request):
    desks = list(learning.desks_of(request.user))
    if not desks:
        raise PermissionDenied("เฉพาะเจ้าหน้าที่ศูนย์ Clinic Center เท่านั้นที่ออกคีย์ให้ระบบของหน่วยงานภาคีได้")
    new_key, error = None, ""
    if request.method == "POST":
        name = " ".join(request.POST.get("name", "").split())
        desk = next((d for d in desks if str(d.pk) == request.POST.get("desk", str(desks[0].pk))), None)
        if not name or len(name) > 100:
            error = "กรุณาใส่ชื่อระบบของหน่วยงานภาคี (ไม่เกิน 100 ตัวอักษร)"
        elif desk is None:
            error = "ศูนย์ที่เลือกไม่ใช่ศูนย์ที่คุณปฏิบัติงาน"
        else:
            _row, new_key = PartnerKey.issue(name, desk, request.user)
    keys = PartnerKey.objects.filter(organisation__in=desks).select_related("organisation")
    return render(request, "clinic/open/partners.html", {"keys": keys, "desks": desks, "new_key": new_key,
                                                         "error": error}, status=400 if error else 200)


@login_required
@require_POST
def partner_revoke(request, pk):
    key = get_object_or_404(PartnerKey, pk=pk, organisation__in=learning.desks_of(request.user))
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        messages.success(request, f"เพิกถอนคีย์ของ “{key.name}” แล้ว ระบบนั้นจะส่งเรื่องด้วยคีย์นี้ไม่ได้อีก")
    return redirect("clinic_open:partners")


def category_notes(request, code):
    category = get_object_or_404(Category, code=code)
    return render(request, "clinic/open/notes.html", {
        "by_category": [(category, list(category.learning_notes.filter(published=True)))], "category": category,
        "can_write": bool(learning.desks_of(request.user))})
