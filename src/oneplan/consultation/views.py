"""Consultation pages. Public (no login): the open draft, comments, votes, abuse reports, the follow
page, hearings and the report. Planners and moderators: rounds, events, answers, moderation.

Public posting never writes the Django session (a visitor is a random cookie), so a crowd of
anonymous posters costs one INSERT each."""
import secrets
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from oneplan.core.excel import workbook_response
from oneplan.core.submission import AlreadySubmitted, submit_once
from oneplan.jobs import results as report_jobs
from oneplan.plans.models import Plan
from oneplan.plans.visibility import visible_plans

from . import grouping, report, services
from .forms import (
    AgendaFormSet,
    AnswerForm,
    AttendanceFormSet,
    CommentForm,
    EventForm,
    GroupFormSet,
    HideForm,
    MaterialForm,
    ProposalForm,
    ReportForm,
    RoundForm,
)
from .models import (
    Answer,
    BreakoutGroup,
    Comment,
    CommentKind,
    CommentSource,
    ConsultationRound,
    Event,
    Material,
    ModerationAction,
    RoundStatus,
)
from .rules import may_see_round

VISITOR_COOKIE_AGE = 30 * 24 * 3600


# ---------------------------------------------------------------- helpers

def _plan_visible(request, plan: Plan) -> bool:
    return request.user.has_perm("plans.view_plan", plan)


def _round_for(request, pk, perm=None) -> ConsultationRound:
    round_ = get_object_or_404(ConsultationRound.objects.select_related("plan__owner", "plan__area"), pk=pk)
    if not may_see_round(request.user, round_):
        raise Http404
    if perm and not request.user.has_perm(perm, round_):
        raise PermissionDenied("คุณไม่มีสิทธิ์ดำเนินการนี้ในรอบการรับฟังความคิดเห็นนี้")
    return round_


def _plan_for(request, pk, perm=None) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("owner", "area"), pk=pk)
    public_round = plan.consultation_rounds.exclude(status=RoundStatus.PLANNED).exists()
    if not (_plan_visible(request, plan) or public_round):
        raise Http404
    if perm and not request.user.has_perm(perm, plan):
        raise PermissionDenied("คุณไม่มีสิทธิ์ดำเนินการนี้กับแผนนี้")
    return plan


def _event_for(request, pk, perm=None) -> Event:
    event = get_object_or_404(Event.objects.select_related("plan__owner", "round"), pk=pk)
    _plan_for(request, event.plan_id)
    if perm and not request.user.has_perm(perm, event):
        raise PermissionDenied("คุณไม่มีสิทธิ์แก้ไขข้อมูลเวทีนี้")
    return event


def _with_visitor_cookie(request, response):
    """A random, meaningless cookie identifying this browser for rate limits and one vote per comment."""
    if services.VISITOR_COOKIE not in request.COOKIES:
        response.set_cookie(services.VISITOR_COOKIE, secrets.token_urlsafe(16), max_age=VISITOR_COOKIE_AGE,
                            httponly=True, samesite="Lax")
    return response


def _origin(request) -> services.Origin:
    return services.Origin(visitor=request.COOKIES.get(services.VISITOR_COOKIE, ""),
                           address=services.client_address(request))


# ---------------------------------------------------------------- public pages

def index(request):
    """เวทีรับฟังความคิดเห็น: open rounds, then recent closed rounds and hearings."""
    plans = visible_plans(request.user)
    rounds = (ConsultationRound.objects.exclude(status=RoundStatus.PLANNED).select_related("plan")
              .annotate(n=Count("comments", filter=Q(comments__hidden=False))))
    events = Event.objects.filter(Q(plan__in=plans) | Q(round__status__in=[RoundStatus.OPEN, RoundStatus.CLOSED]))
    return render(request, "consultation/index.html", {
        "open_rounds": [r for r in rounds if r.status == RoundStatus.OPEN],
        "closed_rounds": [r for r in rounds if r.status == RoundStatus.CLOSED][:20],
        "events": events.select_related("plan").distinct()[:30],
    })


def round_public(request, pk):
    round_ = _round_for(request, pk)
    comments = (round_.comments.filter(hidden=False).select_related("answer__element", "district", "group")
                .order_by("created_at"))
    by_element: dict = {}
    for c in comments:
        by_element.setdefault(c.element_id, []).append(c)
    response = render(request, "consultation/round_public.html", {
        "round": round_, "plan": round_.plan, "tree": round_.element_tree(), "by_element": by_element,
        "plan_comments": by_element.get(None, []), "open": round_.accepts_comments(),
        "form": CommentForm(round_=round_) if round_.accepts_comments() else None,
        "comment_count": len(comments),
        "can_manage": request.user.has_perm("consultation.view_comments", round_),
    })
    return _with_visitor_cookie(request, response)


def comment_create(request, pk):
    """GET: the form (a fragment for htmx, for one element). POST: store the comment."""
    round_ = _round_for(request, pk)
    if not round_.accepts_comments():
        return _refuse(request, round_, str(services.ConsultationClosed()), 403)
    initial = {"element": request.GET.get("element")} if request.GET.get("element") else {}
    form = CommentForm(request.POST or None, round_=round_, initial=initial)
    status = 200
    if request.method == "POST":
        try:
            services.check_rate_limit(request, "comment")
        except services.RateLimited as exc:
            return _refuse(request, round_, str(exc), 429, form, retry_after=exc.retry_after)
        if form.is_valid():
            try:
                comment = services.post_comment_once(form, round_, _origin(request))
            except AlreadySubmitted as exc:
                return _already_sent(request, round_, exc)
            except services.ConsultationClosed as exc:
                return _refuse(request, round_, str(exc), 403)
            if request.htmx:
                return _with_visitor_cookie(request, render(request, "consultation/_thanks.html",
                                                            {"comment": comment, "round": round_}))
            return _with_visitor_cookie(request, redirect(comment.get_follow_url() + "?new=1"))
        status = _error_status(request, 400)
    template = "consultation/_comment_form.html" if request.htmx else "consultation/comment_page.html"
    response = render(request, template, {"round": round_, "form": form, "plan": round_.plan}, status=status)
    return _with_visitor_cookie(request, response)


def _already_sent(request, round_, exc: AlreadySubmitted):
    """The same form page sent again (double click, resend): the comment is stored once; a plain
    request goes to it, with the notice (no session is written for the message)."""
    if exc.url and not request.htmx:
        return redirect(exc.url + "?new=1&repeat=1")
    return _refuse(request, round_, f"{exc}: ระบบบันทึกความคิดเห็นของท่านไว้แล้วครั้งเดียว "
                                     "(ดูได้ที่หน้ารอบการรับฟังความคิดเห็น)", 409)


def _refuse(request, round_, message, status, form=None, retry_after=None):
    template = "consultation/_refused.html" if request.htmx else "consultation/refused.html"
    response = render(request, template, {"round": round_, "message": message, "form": form,
                                          "plan": round_.plan}, status=_error_status(request, status))
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _error_status(request, status: int) -> int:
    """htmx swaps only successful responses into the page; the person must still see why their
    comment was refused, so htmx requests get the message with 200 (plain requests keep the code)."""
    return 200 if request.htmx else status


def _public_comment(request, pk) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("round__plan"), pk=pk, hidden=False)
    _round_for(request, comment.round_id)
    return comment


@require_POST
def comment_vote(request, pk):
    comment = _public_comment(request, pk)
    if not comment.round.accepts_comments():
        return HttpResponse(str(services.ConsultationClosed()), status=403)
    try:
        services.check_rate_limit(request, "vote")
    except services.RateLimited as exc:
        return HttpResponse(str(exc), status=429, headers={"Retry-After": str(exc.retry_after)})
    services.vote(comment, services.visitor_key(request), request.POST.get("value") == "agree")
    comment.refresh_from_db(fields=["agree_count", "disagree_count"])
    if request.htmx:
        return _with_visitor_cookie(request, render(request, "consultation/_votes.html",
                                                    {"c": comment, "open": True, "voted": True}))
    return _with_visitor_cookie(request, redirect(f"{comment.round.get_absolute_url()}#c-{comment.pk}"))


def comment_report(request, pk):
    comment = _public_comment(request, pk)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            services.check_rate_limit(request, "report")
        except services.RateLimited as exc:
            return HttpResponse(str(exc), status=429, headers={"Retry-After": str(exc.retry_after)})
        if form.is_valid():
            services.report_abuse(comment, services.visitor_key(request), form.cleaned_data["reason"])
            return render(request, "consultation/reported.html", {"comment": comment, "round": comment.round})
        status = 400
    return render(request, "consultation/report_abuse.html", {"comment": comment, "form": form,
                                                              "round": comment.round}, status=status)


def follow(request, token):
    """A participant's private link: their comment, its status and the planners' answer."""
    comment = get_object_or_404(Comment.objects.select_related("round__plan", "element", "answer__element"),
                                follow_token=token)
    return render(request, "consultation/follow.html", {"comment": comment, "round": comment.round,
                                                        "new": request.GET.get("new") == "1",
                                                        "repeat": request.GET.get("repeat") == "1"})


def round_report(request, pk):
    round_ = _round_for(request, pk)
    return render(request, "consultation/report.html", report.build(round_))


def round_report_pdf(request, pk):
    """Made by the worker (jobs.report_pdf); the job page follows it and then links to the file."""
    round_ = _round_for(request, pk)
    job = report_jobs.ask(request.user, "oneplan.consultation.jobs.report_pdf",
                          f"PDF รายงานผลการรับฟังความคิดเห็น {round_.plan.title_th}", f"pdf:round:{round_.pk}",
                          {"round": round_.pk})
    return redirect("jobs:detail", pk=job.pk)


def round_report_xlsx(request, pk):
    round_ = _round_for(request, pk)
    return workbook_response(report.workbook(report.build(round_)), f"ผลการรับฟังความคิดเห็น-{round_.pk}.xlsx")


# ---------------------------------------------------------------- plan pages (plan_actions / plan_panels)

def plan_consultation(request, pk):
    plan = _plan_for(request, pk)
    can_manage = request.user.has_perm("consultation.manage_round", plan)
    rounds = plan.consultation_rounds.annotate(n=Count("comments"))
    if not request.user.has_perm("consultation.view_comments", plan):
        rounds = rounds.exclude(status=RoundStatus.PLANNED)
    return render(request, "consultation/plan.html", {
        "plan": plan, "rounds": rounds, "events": plan.consultation_events.all(), "can_manage": can_manage,
        "earlier": _earlier_materials(plan)})


def _earlier_materials(plan: Plan) -> list[Material]:
    """Materials of this plan's earlier editions, for the next cycle's staff."""
    seen, chain, node = set(), [], plan.supersedes
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        chain.append(node.pk)
        node = node.supersedes
    return list(Material.objects.filter(event__plan_id__in=chain).select_related("event__plan"))


def plan_panel(request, pk):
    plan = _plan_for(request, pk)
    rounds = plan.consultation_rounds.exclude(status=RoundStatus.PLANNED)
    return render(request, "consultation/_plan_panel.html", {
        "plan": plan, "rounds": rounds, "events": plan.consultation_events.prefetch_related("materials")[:10]})


# ---------------------------------------------------------------- planners: rounds

@login_required
def round_create(request, pk):
    plan = _plan_for(request, pk, "consultation.manage_round")
    form = RoundForm(request.POST or None, plan=plan, initial={"responsible": request.user.get_full_name()})
    if request.method == "POST" and form.is_valid():
        round_ = form.save(commit=False)
        round_.plan, round_.created_by = plan, request.user
        round_.save()
        messages.success(request, "สร้างรอบการรับฟังความคิดเห็นแล้ว")
        return redirect("consultation:manage", round_.pk)
    return render(request, "consultation/round_form.html", {"form": form, "plan": plan})


@login_required
def round_edit(request, pk):
    round_ = _round_for(request, pk, "consultation.manage_round")
    form = RoundForm(request.POST or None, instance=round_, plan=round_.plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "บันทึกรอบการรับฟังความคิดเห็นแล้ว")
        return redirect("consultation:manage", round_.pk)
    return render(request, "consultation/round_form.html", {"form": form, "plan": round_.plan, "round": round_})


GROUPINGS = {"element": _("By element and strategic issue"), "sector": _("By sector"),
             "framework": _("By suggested framework link"), "duplicates": _("Near-duplicates")}


@login_required
def round_manage(request, pk):
    """The planners' view: every comment (hidden ones marked), grouped four ways, with counts."""
    round_ = _round_for(request, pk, "consultation.view_comments")
    by = request.GET.get("by", "element")
    comments = list(round_.comments.select_related("element", "answer", "group", "district")
                    .annotate(n_reports=Count("reports", filter=Q(reports__resolved=False))))
    visible = [c for c in comments if not c.hidden]
    if by == "sector":
        groups = grouping.by_sector(visible)
    elif by == "framework":
        groups = grouping.by_framework_link(visible)
    elif by == "duplicates":
        groups = [grouping.Group(f"dup-{i}", f"{len(cl)} ความคิดเห็นที่คล้ายกัน", comments=cl)
                  for i, cl in enumerate(grouping.duplicate_clusters(visible), 1)]
    else:
        by, groups = "element", grouping.by_element(visible, round_.plan)
    return render(request, "consultation/manage.html", {
        "round": round_, "plan": round_.plan, "groups": groups, "by": by, "groupings": GROUPINGS,
        "sectors": report.participants_by_sector(round_), "total": len(visible),
        "unanswered": sum(1 for c in visible if not hasattr(c, "answer")),
        "hidden": [c for c in comments if c.hidden],
        "can_answer": request.user.has_perm("consultation.answer_comment", round_),
        "can_moderate": request.user.has_perm("consultation.moderate", round_),
    })


@login_required
def comment_answer(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("round__plan", "element"), pk=pk)
    round_ = _round_for(request, comment.round_id, "consultation.answer_comment")
    instance = getattr(comment, "answer", None) or Answer(comment=comment)
    if not instance.pk and comment.element_id:
        instance.element = comment.element
    form = AnswerForm(request.POST or None, instance=instance, plan=round_.plan)
    if request.method == "POST" and form.is_valid():
        services.save_answer(form.save(commit=False), request.user)
        messages.success(request, "บันทึกคำตอบแล้ว คำตอบนี้แสดงต่อสาธารณะ")
        return redirect(reverse("consultation:manage", args=[round_.pk]) + f"#c-{comment.pk}")
    return render(request, "consultation/answer_form.html", {"form": form, "comment": comment, "round": round_,
                                                            "plan": round_.plan})


# ---------------------------------------------------------------- moderators

@login_required
def moderation(request, pk):
    round_ = _round_for(request, pk, "consultation.moderate")
    base = round_.comments.select_related("element").annotate(
        n_reports=Count("reports", filter=Q(reports__resolved=False)))
    return render(request, "consultation/moderation.html", {
        "round": round_, "plan": round_.plan,
        "reported": base.filter(n_reports__gt=0, hidden=False).prefetch_related("reports"),
        "recent": base.filter(hidden=False, n_reports=0).order_by("-created_at")[:50],
        "hidden": base.filter(hidden=True).order_by("-created_at"),
        "log": ModerationAction.objects.filter(round=round_).select_related("user", "comment")[:200],
        "hide_form": HideForm(),
    })


@login_required
@require_POST
def moderate(request, pk, action):
    comment = get_object_or_404(Comment.objects.select_related("round__plan"), pk=pk)
    round_ = _round_for(request, comment.round_id, "consultation.moderate")
    form = HideForm(request.POST)
    if action == "hide":
        if not form.is_valid():
            messages.error(request, "ยังไม่ได้ซ่อน: " + " ".join(form.errors.get("reason", [])))
            return redirect("consultation:moderation", round_.pk)
        services.hide(comment, request.user, form.cleaned_data["reason"])
        messages.success(request, "ซ่อนความคิดเห็นแล้ว (ยังเก็บไว้เป็นหลักฐาน)")
    elif action == "unhide":
        services.unhide(comment, request.user, request.POST.get("reason", ""))
        messages.success(request, "แสดงความคิดเห็นอีกครั้งแล้ว")
    elif action == "dismiss":
        services.dismiss_reports(comment, request.user, request.POST.get("reason", ""))
        messages.success(request, "ยกเลิกการแจ้งแล้ว")
    else:
        raise Http404
    return redirect("consultation:moderation", round_.pk)


# ---------------------------------------------------------------- hearings, seminars, workshops

def event_detail(request, pk):
    event = _event_for(request, pk)
    staff = request.user.has_perm("consultation.facilitate", event)
    groups = event.groups.select_related("element").annotate(n=Count("proposals"))
    return render(request, "consultation/event.html", {
        "event": event, "plan": event.plan, "agenda": event.agenda.all(), "materials": event.materials.all(),
        "attendance": event.attendance.all(), "groups": groups, "staff": staff,
        "can_manage": request.user.has_perm("consultation.manage_round", event),
        "material_form": MaterialForm() if staff else None,
    })


@login_required
def event_create(request, pk):
    plan = _plan_for(request, pk, "consultation.manage_round")
    return _event_form(request, plan, Event(plan=plan))


@login_required
def event_edit(request, pk):
    event = _event_for(request, pk, "consultation.manage_round")
    return _event_form(request, event.plan, event)


def _event_form(request, plan, event):
    """The event with its agenda, attendance and breakout groups, saved all together or not at all."""
    data = request.POST or None
    form = EventForm(data, instance=event, plan=plan)
    formsets = {"agenda": AgendaFormSet(data, instance=event, prefix="agenda"),
                "attendance": AttendanceFormSet(data, instance=event, prefix="attendance"),
                "groups": GroupFormSet(data, instance=event, prefix="groups")}
    for f in formsets["groups"].forms:
        f.fields["element"].queryset = plan.elements.filter(kind__in=["issue", "objective", "strategy"])
    if request.method == "POST":
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            with transaction.atomic():
                event = form.save()
                for fs in formsets.values():
                    fs.instance = event
                    fs.save()
            messages.success(request, "บันทึกข้อมูลเวทีแล้ว")
            return redirect(event)
        messages.error(request, "ยังไม่ได้บันทึก: กรุณาแก้ไขช่องที่มีข้อความสีแดง")
    return render(request, "consultation/event_form.html", {"form": form, "formsets": formsets, "plan": plan,
                                                           "event": event if event.pk else None})


@login_required
@require_POST
def material_upload(request, pk):
    event = _event_for(request, pk, "consultation.facilitate")
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        material = form.save(commit=False)
        material.event, material.uploaded_by = event, request.user
        material.save()
        messages.success(request, f"เก็บเอกสาร “{material.title}” ไว้กับแผนแล้ว")
    else:
        messages.error(request, "ยังไม่ได้อัปโหลด: " + " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(event)


def material_download(request, pk):
    material = get_object_or_404(Material.objects.select_related("event"), pk=pk)
    _event_for(request, material.event_id)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=Path(material.file.name).name)


@login_required
def facilitate(request, pk):
    """The facilitator's phone page: type the group's proposals as they come during the session."""
    group = get_object_or_404(BreakoutGroup.objects.select_related("event__plan", "event__round", "element"), pk=pk)
    event = _event_for(request, group.event_id, "consultation.facilitate")
    form = ProposalForm(request.POST or None, plan=event.plan, initial={"element": group.element_id})
    if request.method == "POST":
        if event.round is None:
            form.add_error(None, "เวทีนี้ยังไม่ได้ผูกกับรอบการรับฟังความคิดเห็น กรุณาแก้ไขข้อมูลเวทีก่อน")
        elif form.is_valid():
            try:
                with submit_once(form, run=services.with_retry):
                    services.post_comment(event.round, {
                        "text": form.cleaned_data["text"], "element": form.cleaned_data["element"] or group.element,
                        "kind": CommentKind.NEW_PROJECT if form.cleaned_data["is_project"] else CommentKind.COMMENT,
                        "project_title": form.cleaned_data["text"][:200] if form.cleaned_data["is_project"] else "",
                        "source": CommentSource.BREAKOUT, "group": group}, entered_by=request.user)
                notice = "บันทึกข้อเสนอแล้ว"
            except AlreadySubmitted as exc:  # sent twice: the list below shows it once
                notice = f"{exc}: บันทึกข้อเสนอไว้แล้วครั้งเดียว"
            form = ProposalForm(plan=event.plan, initial={"element": group.element_id})
            if not request.htmx:
                messages.success(request, notice)
                return redirect("consultation:facilitate", group.pk)
    context = {"group": group, "event": event, "form": form, "plan": event.plan,
               "proposals": group.proposals.select_related("element").order_by("-created_at")}
    template = "consultation/_facilitate_body.html" if request.htmx else "consultation/facilitate.html"
    return render(request, template, context)
