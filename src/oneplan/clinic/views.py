"""Clinic Center pages. Public (no account): the report form, the list of reports, a report's page
with its public timeline, the reporter's follow link (confirm / reopen once), photos. Staff: the desk
queue (PAO Clinic Center, responsible organisations, helpers) and the steps on a report."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from oneplan.areas.models import Area, AreaKind
from oneplan.consultation import services as consultation
from oneplan.consultation.views import _with_visitor_cookie
from oneplan.core.submission import AlreadySubmitted, submit_once

from . import duplicates, maps, services
from .forms import (
    DoneForm,
    MergeForm,
    NoteForm,
    OrganisationForm,
    ReasonForm,
    ReasonOrganisationForm,
    ReportForm,
    SplitForm,
    areas_in,
)
from .models import Category, EventKind, Photo, Report, Source, Status
from .rules import acting_organisation, staff_report_queryset

PAGE_SIZE = 30


def _public_report(reference) -> Report:
    qs = Report.objects.select_related("category", "area__parent__parent", "responsible", "merged_into")
    return get_object_or_404(qs, reference=reference)


def _public_events(report):
    return (report.events.filter(public=True).select_related("organisation", "target", "target_report")
            .prefetch_related("photos"))


# ---------------------------------------------------------------- public pages

def index(request):
    """แจ้งปัญหา: the button to the form, then the public list of reports (no personal data)."""
    reports = Report.objects.public().select_related("category", "area", "responsible")
    status, category, province = request.GET.get("status"), request.GET.get("category"), request.GET.get("province")
    if status == "open":
        reports = reports.open()
    elif status in Status.values:
        reports = reports.filter(status=status)
    if category:
        reports = reports.filter(category__code=category)
    if province and province.isdigit():
        reports = reports.filter(province__code=province)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(request, "clinic/index.html", {
        "page": page, "filters": filters.urlencode(), "categories": Category.objects.filter(active=True), "statuses": Status.choices,
        "provinces": areas_in(AreaKind.PROVINCE), "today": timezone.localdate(),
        "can_desk": request.user.is_authenticated and staff_report_queryset(request.user).exists()})


def places(request):
    """htmx: the <option>s of the districts of a province or the subdistricts of a district."""
    parent_id, kind = request.GET.get("province"), AreaKind.DISTRICT
    if request.GET.get("target") == "subdistrict":
        parent_id, kind = request.GET.get("district"), AreaKind.SUBDISTRICT
    parent = Area.objects.filter(pk=parent_id).first() if (parent_id or "").isdigit() else None
    areas = areas_in(kind, parent) if parent is not None else []
    # a new province empties the subdistrict list too (out of band): it held the old district's
    return render(request, "clinic/_options.html", {"areas": areas, "reset_subdistrict": kind == AreaKind.DISTRICT})


PLACE_FIELDS = ("category", "text", "province", "district", "subdistrict", "village")


def report_new(request):
    """The form. Without JavaScript the lists are filled by sending the form back with GET
    ("show the districts"), so a basic phone browser can report too."""
    initial = {k: request.GET[k] for k in PLACE_FIELDS if request.GET.get(k)}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        try:
            consultation.check_rate_limit(request, "clinic")
        except consultation.RateLimited as exc:
            response = render(request, "clinic/refused.html", {
                "message": f"แจ้งปัญหาถี่เกินไป กรุณารอประมาณ {exc.retry_after} วินาทีแล้วลองใหม่"}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        if form.is_valid():
            try:
                with submit_once(form, run=consultation.with_retry) as claim:
                    report = services.create_report(_new_report(request, form.cleaned_data))
                    claim.done(report.get_absolute_url())
            except AlreadySubmitted as exc:
                return redirect(exc.url or "clinic:index")
            follow_url = reverse("clinic:follow", args=[report.reference, report.follow_token])
            return _with_visitor_cookie(request, redirect(f"{follow_url}?new=1"))
        status = 400
    response = render(request, "clinic/report_form.html", {"form": form, "map_tiles": maps.tiles()}, status=status)
    return _with_visitor_cookie(request, maps.allow_tiles(maps.allow_geolocation(response)))


def _new_report(request, data) -> services.NewReport:
    return services.NewReport(
        category=data["category"], text=data["text"], area=data["subdistrict"], lat=data["lat"], lng=data["lng"],
        village=data["village"], name=data["name"], phone=data["phone"], consent=data["consent"],
        photos=data["photos"], source=Source.WEB, origin_key=consultation.visitor_key(request))


def _public_context(request, report, **extra) -> dict:
    return {"report": report, "events": _public_events(report), "photos": report.photos.filter(event__kind="received"),
            "can_work": request.user.has_perm("clinic.view_internal", report), "map_tiles": maps.tiles(), **extra}


def report_detail(request, reference):
    return maps.allow_tiles(render(request, "clinic/report.html", _public_context(request, _public_report(reference))))


def follow(request, reference, token):
    """The reporter's secret link: the public page, plus confirm / reopen once."""
    report = _public_report(reference)
    if not token or token != report.follow_token:
        raise Http404
    if request.method == "POST":
        kind = {"confirm": EventKind.CONFIRMED, "reopen": EventKind.REOPENED}.get(request.POST.get("action"))
        if kind is None:
            raise Http404
        form = NoteForm(request.POST)
        try:
            if not form.is_valid():
                raise services.StepRefused(" ".join(form.errors.get("note", [])))
            services.reporter_step(report, kind, note=form.cleaned_data["note"])
        except services.StepRefused as exc:
            return render(request, "clinic/refused.html", {"message": str(exc), "report": report}, status=409)
        return redirect("clinic:follow", report.reference, token)
    return maps.allow_tiles(render(request, "clinic/report.html", _public_context(
        request, report, follow=True, new=request.GET.get("new"),
        can_confirm=report.status == Status.DONE and not report.confirmed_at,
        can_reopen=(report.status in (Status.DONE, Status.CANNOT_DO) and not report.confirmed_at
                    and not report.reopened_at))))


def photo(request, pk):
    """A stored photo (already without metadata). Photos are public like the report they belong to."""
    item = get_object_or_404(Photo.objects.select_related("event"), pk=pk)
    if item.event is not None and not item.event.public:
        raise Http404
    try:
        handle = item.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/png" if item.image.name.endswith(".png") else "image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# ---------------------------------------------------------------- staff

@login_required
def desk(request):
    """The staff queue: the desk's provinces, the user's organisations, reports they help with.
    Overdue first, then the oldest."""
    reports = staff_report_queryset(request.user).select_related("category", "area", "responsible")
    view = request.GET.get("view", "open")
    if view == "open":
        reports = reports.open()
    elif view == "overdue":
        reports = reports.overdue()
    elif view == "desk":
        reports = reports.open().exclude(routing_note="")
    reports = reports.order_by("due_date", "created_at")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = staff_report_queryset(request.user)
    return render(request, "clinic/desk.html", {
        "page": page, "view": view, "today": timezone.localdate(),
        "counts": {"open": mine.open().count(), "overdue": mine.overdue().count(),
                   "desk": mine.open().exclude(routing_note="").count()}})


def _staff_report(request, reference, perm="clinic.view_internal") -> Report:
    report = _public_report(reference)
    if not request.user.has_perm("clinic.view_internal", report):
        raise Http404
    if not request.user.has_perm(perm, report):
        raise PermissionDenied("คุณไม่มีสิทธิ์ดำเนินการนี้กับเรื่องนี้")
    return report


@login_required
def staff_report(request, reference):
    report = _staff_report(request, reference)
    events = (report.events.select_related("user", "organisation", "target", "target_report")
              .prefetch_related(Prefetch("photos", queryset=Photo.objects.all())))
    can_manage = request.user.has_perm("clinic.manage_report", report)
    return maps.allow_tiles(render(request, "clinic/staff_report.html", {
        "report": report, "events": events, "contact": getattr(report, "contact", None), "map_tiles": maps.tiles(),
        "photos": report.photos.filter(event__kind="received"),
        "can_work": request.user.has_perm("clinic.work_report", report), "can_manage": can_manage,
        "forms": _step_forms(report), "suggestions": duplicates.suggest(report) if can_manage else [],
        "today": timezone.localdate()}))


# step slug → (event kind, form class, permission)
STEPS = {
    "accept": (EventKind.ACCEPTED, NoteForm, "clinic.work_report"),
    "progress": (EventKind.IN_PROGRESS, NoteForm, "clinic.work_report"),
    "done": (EventKind.DONE, DoneForm, "clinic.work_report"),
    "forward": (EventKind.FORWARDED, ReasonOrganisationForm, "clinic.work_report"),
    "cannot": (EventKind.CANNOT_DO, ReasonForm, "clinic.work_report"),
    "help": (EventKind.HELP_ASKED, OrganisationForm, "clinic.work_report"),
    "reassign": (EventKind.REASSIGNED, OrganisationForm, "clinic.manage_report"),
    "merge": (EventKind.MERGED, MergeForm, "clinic.manage_report"),
    "split": (EventKind.SPLIT, SplitForm, "clinic.manage_report"),
    "note": (EventKind.NOTE, NoteForm, "clinic.add_note"),
}
_WITH_REPORT = (OrganisationForm, ReasonOrganisationForm, MergeForm)


def _form(cls, report, *args):
    return cls(*args, report=report) if cls in _WITH_REPORT else cls(*args)


def _step_forms(report):
    allowed = {kind for kind, (statuses, _new) in services.STEPS.items() if report.status in statuses}
    if report.status in services.OPEN:
        allowed.add(EventKind.SPLIT)
    return {slug: _form(cls, report) for slug, (kind, cls, _perm) in STEPS.items() if kind in allowed}


def _split(request, report, data):
    try:
        new = services.split_report(report, category=data["category"], text=data["text"], user=request.user,
                                    organisation=acting_organisation(request.user, report))
    except services.StepRefused as exc:
        return render(request, "clinic/refused.html", {"message": str(exc), "report": report}, status=409)
    messages.success(request, f"แยกเป็นเรื่องเลขที่ {new.reference} แล้ว (ส่งถึง {new.responsible or 'ศูนย์ประสาน'})")
    return redirect("clinic:staff_report", report.reference)


@login_required
@require_POST
def step(request, reference, slug):
    if slug not in STEPS:
        raise Http404
    kind, cls, perm = STEPS[slug]
    report = _staff_report(request, reference, perm)
    form = _form(cls, report, request.POST, request.FILES)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        return render(request, "clinic/refused.html", {"message": " ".join(errors), "report": report}, status=400)
    data = form.cleaned_data
    if kind == EventKind.SPLIT:
        return _split(request, report, data)
    try:
        services.take_step(report, kind, user=request.user, organisation=acting_organisation(request.user, report),
                           target=data.get("organisation"), target_report=data.get("into"), note=data.get("note", ""),
                           photos=data.get("photos", []))
    except services.StepRefused as exc:
        return render(request, "clinic/refused.html", {"message": str(exc), "report": report}, status=409)
    messages.success(request, f"บันทึก “{EventKind(kind).label}” แล้ว")
    if not request.user.has_perm("clinic.view_internal", Report.objects.get(pk=report.pk)):
        return redirect("clinic:desk")  # forwarded away from the user's organisation
    return redirect("clinic:staff_report", report.reference)

