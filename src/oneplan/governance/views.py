import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone

from oneplan.core import excel
from oneplan.plans.models import Plan

from . import diff as plan_diff
from . import services
from .audit import refuse
from .dashboard import comments_to_answer, my_plans, waiting_for
from .forms import EditionForm, TransitionForm
from .models import AuditAction, AuditEntry, CalendarDeadline, Transition
from .workflow import current_state, workflow_for


def _visible_plan(request, pk) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("owner", "area", "supersedes"), pk=pk)
    if not request.user.has_perm("plans.view_plan", plan):
        raise Http404
    return plan


# --- the plan page panel and workflow steps ------------------------------------------------------

def plan_panel(request, pk):
    """Fragment under the plan tree: where the plan is in its chain, its history, the next steps."""
    plan = _visible_plan(request, pk)
    flow = workflow_for(plan)
    last = services.last_transition(plan)
    state = current_state(plan, flow, last=last) if flow else None
    can_history = request.user.has_perm("governance.view_history", plan)
    actions = services.allowed_actions(request.user, plan) if flow else []
    return render(request, "governance/panel.html", {
        "plan": plan, "flow": flow, "state": state, "actions": actions,
        "forms": [(a, TransitionForm(action=a, initial={"expected_state": state.code}, auto_id=f"id_{a.code}_%s"))
                  for a in actions],
        "history": plan.transitions.select_related("user", "committee").order_by("at", "id") if can_history
        else plan.transitions.none(),
        "can_history": can_history,
        "editions": [e for e in services.editions_of(plan) if request.user.has_perm("plans.view_plan", e)],
        "can_start_edition": services.may_start_edition(request.user, plan),
    })


@login_required
def transition(request, pk, action):
    """GET: the step's form on its own page; POST: take the step (from the panel or this page)."""
    plan = _visible_plan(request, pk)
    flow = workflow_for(plan)
    step = flow.action(action) if flow else None
    if step is None:
        raise Http404
    form = TransitionForm(request.POST or None, request.FILES or None, action=step,
                          initial={"expected_state": current_state(plan, flow).code})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.perform(plan, action, request.user, expected_state=data["expected_state"],
                             meeting_number=data.get("meeting_number") or "",
                             meeting_date=data.get("meeting_date"), resolution=data.get("resolution") or "",
                             reason=data.get("reason") or "", document=data.get("document"))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"บันทึกขั้นตอน “{step.label}” แล้ว")
            return redirect(plan)
    if request.method == "POST":
        messages.error(request, "ยังไม่ได้บันทึกขั้นตอน: กรุณาแก้ไขช่องที่มีข้อความสีแดง")
    return render(request, "governance/transition_form.html", {"plan": plan, "step": step, "form": form,
                                                               "state": current_state(plan, flow)})


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def document(request, pk):
    """A step's attached document, only for those who may see the plan's history."""
    step = get_object_or_404(Transition.objects.select_related("plan"), pk=pk)
    if not step.document or not request.user.has_perm("governance.view_history", step.plan):
        raise Http404
    return FileResponse(step.document.open("rb"), as_attachment=True,
                        filename=step.document.name.rsplit("/", 1)[-1])


@login_required
def dashboard(request):
    rows = waiting_for(request.user)
    today = timezone.localdate()
    upcoming = CalendarDeadline.objects.filter(due_date__gte=today).order_by("due_date")[:20]
    return render(request, "governance/dashboard.html", {
        "rows": rows, "upcoming": upcoming, "my_plans": my_plans(request.user),
        "to_answer": comments_to_answer(request.user)})


# --- editions -------------------------------------------------------------------------------------

@login_required
def new_edition(request, pk):
    plan = _visible_plan(request, pk)
    if not services.may_start_edition(request.user, plan):
        raise refuse(request.user, f"start_edition: {services.edition_refusal(plan)}", plan=plan)
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.start_edition(plan, request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"เริ่มจัดทำฉบับ{new.edition_label} แล้ว (ฉบับร่าง)")
            return redirect(new)
    return render(request, "governance/edition_form.html", {"plan": plan, "form": form})


def _pick_other(request, plan, line):
    other_pk = request.GET.get("against")
    if other_pk:
        other = next((p for p in line if str(p.pk) == other_pk), None)
        if other is None:
            raise Http404
        return other
    return plan.supersedes or next((p for p in line if p.pk != plan.pk), None)


def _diff_context(request, pk):
    plan = _visible_plan(request, pk)
    line = [p for p in services.editions_of(plan) if request.user.has_perm("plans.view_plan", p)]
    other = _pick_other(request, plan, line)
    old, new = (other, plan) if other and other.created_at <= plan.created_at else (plan, other)
    changes = plan_diff.diff_plans(old, new) if other else []
    return {"plan": plan, "line": line, "other": other, "old": old, "new": new, "changes": changes,
            "summary": [(plan_diff.KIND_LABELS[k], n) for k, n in plan_diff.summary(changes).items()]}


def diff_page(request, pk):
    return render(request, "governance/diff.html", _diff_context(request, pk))


def diff_export(request, pk):
    ctx = _diff_context(request, pk)
    if ctx["other"] is None:
        raise Http404
    wb = excel.new_workbook()
    ws = wb.create_sheet("เปรียบเทียบฉบับ")
    headers = ["การเปลี่ยนแปลง", "รหัส", "ชื่อในฉบับเดิม", "ชื่อในฉบับใหม่", "รายละเอียด"]
    row = excel.write_title(ws, 1, f"{ctx['old'].title_th} ({ctx['old'].edition_label}) → "
                                   f"{ctx['new'].title_th} ({ctx['new'].edition_label})", len(headers))
    row = excel.write_header(ws, row + 1, headers, [22, 12, 50, 50, 60])
    for c in ctx["changes"]:
        row = excel.write_row(ws, row, [str(c.label), c.code, c.old_title, c.new_title, "\n".join(c.details)])
    return excel.workbook_response(wb, f"diff-{ctx['old'].key}-{ctx['new'].key}.xlsx")


# --- audit trail --------------------------------------------------------------------------------

AUDIT_HEADERS = ["เวลา", "ผู้ดำเนินการ", "การกระทำ", "ประเภทข้อมูล", "รหัสรายการ", "รายการ", "แผน", "การเปลี่ยนแปลง",
                 "ข้อความ"]


def _changes_text(entry) -> str:
    return "; ".join(f"{k}: {before!r} → {after!r}" for k, (before, after) in entry.changes.items())


def _audit_rows(entries):
    labels = dict(AuditAction.choices)
    for e in entries:
        yield [timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.user.username if e.user else "",
               str(labels.get(e.action, e.action)), e.model, e.object_id, e.object_repr, e.plan_id or "",
               _changes_text(e), e.message]


def _audit_response(request, entries, title: str, filename: str, context: dict):
    entries = entries.select_related("user")
    fmt = request.GET.get("format")
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 Thai correctly only with the BOM
        writer = csv.writer(response)
        writer.writerow(excel.csv_row(AUDIT_HEADERS))
        writer.writerows(excel.csv_row(values) for values in _audit_rows(entries.iterator()))
        return response
    if fmt == "xlsx":
        wb = excel.new_workbook()
        ws = wb.create_sheet("ประวัติการแก้ไข")
        row = excel.write_title(ws, 1, title, len(AUDIT_HEADERS))
        row = excel.write_header(ws, row + 1, AUDIT_HEADERS, [20, 16, 14, 18, 10, 40, 8, 60, 40])
        for values in _audit_rows(entries.iterator()):
            row = excel.write_row(ws, row, values)
        return excel.workbook_response(wb, f"{filename}.xlsx")
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "governance/audit.html", {**context, "page": page, "title": title,
                                                     "actions": AuditAction.choices, "action": action})


@login_required
def plan_audit(request, pk):
    plan = _visible_plan(request, pk)
    if not request.user.has_perm("governance.view_history", plan):
        raise refuse(request.user, "view plan audit trail", plan=plan)
    return _audit_response(request, AuditEntry.objects.filter(plan_id=plan.pk),
                           f"ประวัติการแก้ไข: {plan.title_th}", f"audit-{plan.key}", {"plan": plan})


@login_required
def user_audit(request, username=None):
    person = get_object_or_404(get_user_model(), username=username) if username else request.user
    if not request.user.has_perm("governance.view_user_audit", person):
        raise refuse(request.user, f"view the audit trail of user {person.username}")
    return _audit_response(request, AuditEntry.objects.filter(user=person),
                           f"ประวัติการดำเนินการของ {person.get_full_name() or person.username}",
                           f"audit-{person.username}", {"person": person})


# --- account -----------------------------------------------------------------------------------

class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "governance/password_change.html"
    success_url = reverse_lazy("governance:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "governance/password_change_done.html"


# --- a forgotten password: Django's reset views, by e-mail (settings.EMAIL_BACKEND), Thai pages ----------
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "governance/password_reset.html"
    email_template_name = "governance/password_reset_email.txt"
    subject_template_name = "governance/password_reset_subject.txt"
    success_url = reverse_lazy("governance:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "governance/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "governance/password_reset_confirm.html"
    success_url = reverse_lazy("governance:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "governance/password_reset_complete.html"
