from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from oneplan.organisations.models import Organisation
from oneplan.plans.models import Plan

from . import exports, services, uploads
from .forms import UploadForm
from .jobs import start_import
from .rules import may_import_into, may_write

REFUSED = "คุณไม่มีสิทธิ์นำเข้าแผนนี้: ต้องเป็นผู้แก้ไขของหน่วยงานเจ้าของแผน และแผนต้องอยู่ในสถานะที่แก้ไขได้"


def _visible_plan(request, pk) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("owner"), pk=pk)
    if not request.user.has_perm("plans.view_plan", plan):
        raise Http404
    return plan


def _owners(user):
    if user.is_superuser:
        return Organisation.objects.order_by("kind", "name_th")
    return Organisation.objects.filter(memberships__user=user, memberships__role="editor").distinct()


@login_required
def index(request):
    form = UploadForm(owners=_owners(request.user))
    return render(request, "transfer/index.html", {"form": form})


def plan_page(request, pk):
    plan = _visible_plan(request, pk)
    can_import = may_import_into(request.user, plan)
    return render(request, "transfer/plan.html", {
        "plan": plan, "formats": exports.FORM_NAMES, "can_import": can_import,
        "form": UploadForm(plan=plan) if can_import else None})


def export(request, pk, fmt):
    plan = _visible_plan(request, pk)
    if fmt not in exports.FORMATS:
        raise Http404
    response = HttpResponse(exports.export(plan, fmt), content_type=exports.FORMATS[fmt][0])
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(exports.filename(plan, fmt))}"
    return response


@login_required
@require_POST
def upload(request, pk=None):
    plan = _visible_plan(request, pk) if pk else None
    if plan is not None and not may_import_into(request.user, plan):
        raise PermissionDenied(REFUSED)
    if plan is None and not request.user.has_perm("plans.add_plan"):
        raise PermissionDenied(REFUSED)
    form = UploadForm(request.POST, request.FILES, owners=_owners(request.user), plan=plan)
    if not form.is_valid():
        template = "transfer/plan.html" if plan else "transfer/index.html"
        return render(request, template, {"form": form, "plan": plan, "can_import": True,
                                          "formats": exports.FORM_NAMES}, status=400)
    owner = form.cleaned_data.get("owner")
    token = uploads.store(request, form.cleaned_data["file"], plan=plan.pk if plan else None,
                          owner=owner.key if owner else None)
    return redirect("transfer:preview", token=token)


def _read(entry):
    return services.read_file(entry["path"], plan=entry.get("plan"), owner=entry.get("owner"),
                              filename=entry["name"])


@login_required
def preview_page(request, token):
    entry = uploads.get(request, token)
    if entry is None:
        raise Http404
    return render(request, "transfer/preview.html", {"entry": entry, "token": token})


@login_required
def preview_result(request, token):
    """Computed by an htmx request, so the page shows progress while a large file is read."""
    entry = uploads.get(request, token)
    if entry is None:
        raise Http404
    result = _read(entry)
    pv = services.preview(result)
    if pv.plan is not None and not request.user.has_perm("plans.view_plan", pv.plan):
        # the file names a plan this person may not see: its current content (old values, elements the
        # file would remove, when it last changed) is not theirs to read
        pv.changes, pv.removed = {}, []
        result.warnings = [w for w in result.warnings if "ส่งออกจาก OnePlan" not in w.message]
    services.check(result)   # the shared writer's own validation, nothing written
    allowed = result.data is None or may_write(request.user, result)
    return render(request, "transfer/_preview_result.html", {
        "pv": pv, "result": result, "token": token, "allowed": allowed, "refused": REFUSED,
        "summary": services.describe(pv, committed=False)})


@login_required
@require_POST
def confirm(request, token):
    entry = uploads.get(request, token)
    if entry is None:
        messages.error(request, "ไม่พบไฟล์ที่อัปโหลด (อาจหมดเวลาแล้ว) กรุณาอัปโหลดอีกครั้ง")
        return redirect("transfer:index")
    result = _read(entry)
    if result.data is not None and not may_write(request.user, result):
        raise PermissionDenied(REFUSED)
    if result.ok and len(result.data["elements"]) > settings.ONEPLAN_IMPORT_WORKER_ROWS:
        job = start_import(entry, request.user)  # a large file: the task worker writes it
        uploads.discard(request, token)
        return redirect("jobs:detail", pk=job.pk)
    counts = services.preview(result)   # what the preview showed: the message repeats its counts
    report = services.commit(result)
    if report is None:
        messages.error(request, "นำเข้าไม่สำเร็จ ไม่มีการบันทึกข้อมูลใด ๆ: " + "; ".join(str(p) for p in result.errors[:5]))
        return redirect(reverse("transfer:preview", args=[token]))
    uploads.discard(request, token)
    messages.success(request, f"นำเข้าเรียบร้อย: สร้าง {len(counts.created):,} แก้ไข {len(counts.updated):,} "
                              f"ลบ {len(counts.removed):,} คงเดิม {counts.unchanged:,} รายการ "
                              f"(เชื่อมโยง {report.links:,} รายการ)")
    return redirect(report.plan)
