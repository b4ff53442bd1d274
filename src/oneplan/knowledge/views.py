from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html, format_html_join

from oneplan.core.thai import thai_sort_key
from oneplan.plans.editions import line_of
from oneplan.plans.forms import KPIForm
from oneplan.plans.models import Element, ElementKind, Plan

from . import examples, guidance, history, kpilib
from . import search as decisions
from .forms import GuidanceVersionForm
from .models import Attendance, GuidanceStatus, GuidanceVersion, KPIDefinition, Workshop, WorkshopMaterial


def _visible_plan(request, pk) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("owner", "area"), pk=pk)
    if not request.user.has_perm("plans.view_plan", plan):
        raise Http404
    return plan


def index(request):
    return render(request, "knowledge/index.html", {
        "workshops": Workshop.objects.select_related("organiser")[:5],
        "can_edit": request.user.has_perm("knowledge.edit_guidance")})


# --- guidance -------------------------------------------------------------------------------------

def _published_or_steward(request):
    rows = GuidanceVersion.objects.all()
    if not request.user.has_perm("knowledge.edit_guidance"):
        rows = rows.filter(status=GuidanceStatus.PUBLISHED)
    return rows


def guidance_list(request):
    rows = _published_or_steward(request).order_by("plan_kind", "topic_type", "topic", "-number")
    latest = {}
    for g in rows:
        latest.setdefault((g.plan_kind, g.topic_type, g.topic), g)
    return render(request, "knowledge/guidance_list.html", {"rows": list(latest.values())})


def guidance_detail(request, pk):
    g = get_object_or_404(_published_or_steward(request), pk=pk)
    versions = _published_or_steward(request).filter(plan_kind=g.plan_kind, topic_type=g.topic_type,
                                                     topic=g.topic).order_by("-number")
    return render(request, "knowledge/guidance_detail.html", {
        "g": g, "versions": versions, "in_force": guidance.in_force(g.plan_kind, g.topic_type, g.topic),
        "can_edit": request.user.has_perm("knowledge.edit_guidance")})


@login_required
def guidance_new_version(request, pk):
    """A steward writes the next version, starting from this one; the old one is never changed."""
    if not request.user.has_perm("knowledge.edit_guidance"):
        raise PermissionDenied("แก้ไขแนวทางได้เฉพาะผู้ดูแลข้อมูลอ้างอิง")
    base = get_object_or_404(GuidanceVersion, pk=pk)
    new = GuidanceVersion(plan_kind=base.plan_kind, topic_type=base.topic_type, topic=base.topic,
                          created_by=request.user)
    initial = {f: getattr(base, f) for f in ("title", "rule_reference", "explanation", "checklist", "templates")}
    form = GuidanceVersionForm(request.POST or None, instance=new, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                new.number = guidance.next_number(base.plan_kind, base.topic_type, base.topic)
                form.save()
        except IntegrityError:  # two stewards at once: the other one took the number
            form.add_error(None, "มีผู้อื่นบันทึกฉบับใหม่ของแนวทางนี้พร้อมกัน กรุณาเปิดหน้าใหม่แล้วบันทึกอีกครั้ง")
        else:
            messages.success(request, f"บันทึกแนวทางฉบับที่ {new.number} แล้ว")
            return redirect("knowledge:guidance", new.pk)
    if request.method == "POST" and form.errors:
        messages.error(request, "ยังไม่ได้บันทึก: กรุณาแก้ไขช่องที่มีข้อความสีแดง")
    return render(request, "knowledge/guidance_form.html", {"form": form, "base": base})


# --- examples and the KPI library ----------------------------------------------------------------

def examples_panel(request, pk):
    """“How others wrote this” for the element being written in plan `pk` (from editions in force only)."""
    plan = _visible_plan(request, pk)
    kind = request.GET.get("kind", "")
    if kind not in ElementKind.values:
        raise Http404
    text = request.GET.get("title_th", "")
    element = plan.elements.filter(pk=request.GET.get("element") or None).first()
    if not text.strip() and element is not None:
        found = examples.for_element(element)
    else:
        found = examples.similar(text, kind, exclude_plans=[p.pk for p in line_of(plan)])
    return render(request, "knowledge/_examples.html", {"examples": found, "text": text})


def kpi_library(request):
    q = request.GET.get("q", "")
    rows = _definitions(q)
    counts = kpilib.usage_counts(rows)
    return render(request, "knowledge/kpi_library.html", {
        "rows": [(d, counts.get(d.pk, 0), kpilib.quality(d)) for d in rows], "q": q})


def _definitions(q: str) -> list[KPIDefinition]:
    rows = KPIDefinition.objects.all()
    for w in decisions.words(q):
        rows = rows.filter(name_normalised__icontains=w)
    return sorted(rows[:200], key=lambda d: thai_sort_key(d.name))


def kpi_detail(request, pk):
    d = get_object_or_404(KPIDefinition, pk=pk)
    uses = list(kpilib.uses(d))
    return render(request, "knowledge/kpi_detail.html", {
        "d": d, "uses": uses, "plans": len({k.element.plan_id for k in uses}), "results": kpilib.results(d)[:100],
        "quality": kpilib.quality(d)})


def kpi_pick(request):
    """The library as choices beside the KPI form (htmx)."""
    rows = _definitions(request.GET.get("q", ""))[:10] or _definitions("")[:10]
    counts = kpilib.usage_counts(rows)
    return render(request, "knowledge/_kpi_pick.html", {"rows": [(d, counts.get(d.pk, 0), kpilib.quality(d))
                                                                 for d in rows]})


def kpi_fill(request, pk):
    """Choosing a definition fills the KPI form: the fields come back as out-of-band swaps (htmx)."""
    d = get_object_or_404(KPIDefinition, pk=pk)
    form = KPIForm(prefix="kpi", initial={"unit": d.unit, "direction": d.direction, "definition": d.formula,
                                          "data_source": d.data_source, "frequency": d.frequency})
    oob = {"hx-swap-oob": "true"}
    title = forms.Textarea(attrs={"rows": 2}).render("title_th", d.name, attrs={"id": "id_title_th", **oob})
    fields = format_html_join("", "{}", ((form[name].as_widget(attrs=oob),)
                                         for name in ("unit", "direction", "definition", "data_source", "frequency")))
    note = format_html('<p id="kpi-filled" class="small ok" hx-swap-oob="true">เติมข้อมูลจากคลังตัวชี้วัด “{}” แล้ว '
                       '(ตรวจค่าฐานและค่าเป้าหมายของแผนนี้ก่อนบันทึก)</p>', d.name)
    return HttpResponse(title + fields + note)


# --- element history, decisions ------------------------------------------------------------------

def element_history(request, pk):
    element = get_object_or_404(Element.objects.select_related("plan"), pk=pk)
    _visible_plan(request, element.plan_id)
    versions = history.build(element, request.user)
    return render(request, "knowledge/history.html", {"element": element, "plan": element.plan,
                                                      "versions": versions})


def decision_search(request):
    q = request.GET.get("q", "")
    return render(request, "knowledge/decisions.html", {"q": q, "hits": decisions.search(q, request.user)})


# --- workshops -------------------------------------------------------------------------------------

def workshop_list(request):
    q = request.GET.get("q", "")
    rows = Workshop.objects.select_related("organiser")
    for w in decisions.words(q):
        rows = rows.filter(_workshop_q(w))
    return render(request, "knowledge/workshops.html", {"rows": rows[:200], "q": q})


def _workshop_q(word: str):
    return (Q(title__icontains=word) | Q(summary__icontains=word) | Q(speakers__icontains=word)
            | Q(organiser_text__icontains=word) | Q(organiser__name_th__icontains=word))


def workshop_detail(request, pk):
    w = get_object_or_404(Workshop.objects.select_related("organiser"), pk=pk)
    attendance = w.attendance.select_related("organisation", "user")
    by_org = {}
    for a in attendance:
        by_org.setdefault(a.organisation, []).append(a)
    return render(request, "knowledge/workshop.html", {
        "w": w, "by_org": sorted(by_org.items(), key=lambda kv: thai_sort_key(kv[0].name_th)),
        "show_people": request.user.is_authenticated, "guidance": w.guidance.filter(status=GuidanceStatus.PUBLISHED)})


def material(request, pk):
    m = get_object_or_404(WorkshopMaterial, pk=pk)
    if not m.file:
        raise Http404
    return FileResponse(m.file.open("rb"), as_attachment=True, filename=m.file.name.rsplit("/", 1)[-1])


@login_required
def person(request, username):
    """A person's page: the workshops they attended (seen by signed-in staff only: it names people)."""
    user = get_object_or_404(get_user_model(), username=username)
    rows = Attendance.objects.filter(user=user).select_related("workshop", "organisation").order_by("-workshop__held_on")
    return render(request, "knowledge/person.html", {"person": user, "rows": rows})

