"""The province administrator's pages: the province's organisations and who holds which role, register
an LAO, import the registry (upload → preview → confirm), invite, give and take back roles, hand over.
And the invitation pages for the person invited (a link, or a code typed in)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from oneplan.core.submission import AlreadySubmitted, submit_once
from oneplan.core.thai import thai_sort_key
from oneplan.transfer import uploads

from . import onboarding
from .forms import AcceptForm, CodeForm, GrantForm, HandoverForm, InviteForm, LaoForm, UploadRegistryForm
from .models import Invitation, Membership
from .registry import commit_registry, read_registry

NOT_ADMIN = "หน้านี้สำหรับผู้ดูแลระบบระดับจังหวัดเท่านั้น"
REGISTRY_SUFFIXES = (".csv", ".xlsx", ".xlsm")


def _province(request):
    """The province the administrator works on (?province= when they administer several)."""
    provinces = onboarding.admin_provinces(request.user)
    if not provinces:
        from oneplan.governance.audit import refuse

        raise refuse(request.user, NOT_ADMIN)
    wanted = request.POST.get("province") or request.GET.get("province")
    return next((p for p in provinces if p.code == wanted), provinces[0]), provinces


def _orgs(province):
    return sorted(onboarding.organisations_in(province), key=lambda o: (o.kind, thai_sort_key(o.name_th)))


def _page(request, province, provinces, status=200, **forms):
    orgs = onboarding.organisations_in(province)
    context = {
        "province": province, "provinces": provinces if len(provinces) > 1 else [],
        "holders": onboarding.holders(province),
        "invitations": Invitation.objects.filter(organisation__in=orgs).select_related("organisation")[:50],
        "lao_form": forms.get("lao_form") or LaoForm(),
        "invite_form": forms.get("invite_form") or InviteForm(organisations=orgs),
        "grant_form": forms.get("grant_form") or GrantForm(organisations=orgs),
        "handover_form": forms.get("handover_form") or HandoverForm(),
        "upload_form": forms.get("upload_form") or UploadRegistryForm(),
        "issued": forms.get("issued"), "issued_url": forms.get("issued_url"),
    }
    return render(request, "organisations/manage.html", context, status=status)


@login_required
def manage(request):
    province, provinces = _province(request)
    return _page(request, province, provinces)


def _back(province):
    return redirect(f"{reverse('organisations:manage')}?province={province.code}")


@login_required
def register_lao(request):
    province, provinces = _province(request)
    if request.method != "POST":
        return redirect("organisations:manage")
    form = LaoForm(request.POST)
    if not form.is_valid():
        return _page(request, province, provinces, 400, lao_form=form)
    cells = form.cleaned_data
    try:
        with transaction.atomic(), submit_once(form) as claim:
            result = onboarding.register_lao(request.user, province, cells)
            if not result.ok:
                raise _Invalid(result)
            claim.done(reverse("organisations:manage"))
    except _Invalid as exc:
        form.add_problems(exc.result.errors)
        return _page(request, province, provinces, 400, lao_form=form)
    except AlreadySubmitted as exc:
        messages.info(request, str(exc))
        return _back(province)
    row = (result.of("create") or result.of("update") or result.of("skip"))[0]
    if row.action == "create":
        messages.success(request, f"ลงทะเบียน {row.name_th} แล้ว")
    else:
        messages.info(request, f"{row.org.name_th} มีอยู่ในทะเบียนแล้ว ไม่ได้สร้างซ้ำ")
    return _back(province)


class _Invalid(Exception):
    def __init__(self, result):
        self.result = result


@login_required
@require_POST
def registry_upload(request):
    province, provinces = _province(request)
    form = UploadRegistryForm(request.POST, request.FILES)
    if form.is_valid() and not form.cleaned_data["file"].name.lower().endswith(REGISTRY_SUFFIXES):
        form.add_error("file", "นำเข้าทะเบียน อปท. ได้เฉพาะไฟล์ CSV (.csv) หรือ Excel (.xlsx)")
    if not form.is_valid():
        return _page(request, province, provinces, 400, upload_form=form)
    token = uploads.store(request, form.cleaned_data["file"], registry=province.code)
    return redirect("organisations:registry_preview", token=token)


def _registry_entry(request, token):
    entry = uploads.get(request, token)
    if entry is None or not entry.get("registry"):
        raise Http404
    province = next((p for p in onboarding.admin_provinces(request.user) if p.code == entry["registry"]), None)
    if province is None:
        raise PermissionDenied(NOT_ADMIN)
    return entry, province


@login_required
def registry_preview(request, token):
    entry, province = _registry_entry(request, token)
    result = read_registry(entry["path"], filename=entry["name"], scope=province)
    return render(request, "organisations/registry_preview.html",
                  {"result": result, "out": result.describe(committed=False), "token": token, "province": province})


@login_required
@require_POST
def registry_confirm(request, token):
    entry, province = _registry_entry(request, token)
    result = read_registry(entry["path"], filename=entry["name"], scope=province)
    if not commit_registry(result, request.user):
        messages.error(request, "นำเข้าไม่สำเร็จ ไม่มีการบันทึกข้อมูลใด ๆ: " + "; ".join(str(p) for p in result.errors[:5]))
        return redirect("organisations:registry_preview", token=token)
    uploads.discard(request, token)
    counts = result.describe(committed=True)["counts"]
    messages.success(request, f"นำเข้าทะเบียนแล้ว: สร้าง {counts['create']} แก้ไข {counts['update']} "
                              f"ข้าม {counts['skip']} รายการ")
    return _back(province)


@login_required
@require_POST
def invite(request):
    province, provinces = _province(request)
    form = InviteForm(request.POST, organisations=onboarding.organisations_in(province))
    if not form.is_valid():
        return _page(request, province, provinces, 400, invite_form=form)
    data = form.cleaned_data
    try:
        with transaction.atomic(), submit_once(form) as claim:
            issued = onboarding.invite(request.user, data["organisation"], data["role"], email=data["email"],
                                       days=data["days"])
            claim.done(reverse("organisations:manage"))
    except ValidationError as exc:
        form.add_error("role", exc)
        return _page(request, province, provinces, 400, invite_form=form)
    except AlreadySubmitted as exc:
        messages.info(request, str(exc))
        return _back(province)
    url = request.build_absolute_uri(reverse("organisations:accept", args=[issued.code]))
    if issued.invitation.email:
        onboarding.send_invitation(issued, url)
        messages.success(request, f"ส่งคำเชิญทางอีเมลถึง {issued.invitation.email} แล้ว")
    return _page(request, province, provinces, issued=issued, issued_url=url)


@login_required
@require_POST
def grant(request):
    province, provinces = _province(request)
    form = GrantForm(request.POST, organisations=onboarding.organisations_in(province))
    if not form.is_valid():
        return _page(request, province, provinces, 400, grant_form=form)
    data = form.cleaned_data
    try:
        onboarding.grant(request.user, data["username"], data["organisation"], data["role"])
    except ValidationError as exc:
        form.add_error("role", exc)
        return _page(request, province, provinces, 400, grant_form=form)
    messages.success(request, f"ให้บทบาทแก่ {data['username'].get_username()} แล้ว")
    return _back(province)


@login_required
@require_POST
def revoke(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    onboarding.revoke(request.user, membership)    # refused (403, recorded) outside the province
    messages.success(request, f"ถอนบทบาทของ {membership.user.get_username()} แล้ว")
    return redirect("organisations:manage")


@login_required
def handover(request):
    province, provinces = _province(request)
    if request.method != "POST":
        return redirect("organisations:manage")
    form = HandoverForm(request.POST)
    if form.is_valid():
        try:
            done = onboarding.handover(request.user, form.cleaned_data["officer"], form.cleaned_data["successor"],
                                       deactivate=form.cleaned_data["deactivate"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"ส่งต่อบทบาท {len(done.roles)} งานที่รอดำเนินการ {len(done.tasks)} "
                                      f"และร่างแผน {len(done.drafts)} รายการแล้ว")
            return _back(province)
    return _page(request, province, provinces, 400, handover_form=form)


# --- the person invited --------------------------------------------------------------------------
def redeem(request):
    """Type the code that was handed over."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("organisations:accept", code=form.cleaned_data["code"].strip().upper())
    return render(request, "organisations/redeem.html", {"form": form})


def accept(request, code):
    try:
        inv = onboarding.find_invitation(code)
    except ValidationError as exc:
        status = 404 if exc.code == "unknown" else 410
        return render(request, "organisations/invitation_invalid.html", {"message": exc.messages[0]}, status=status)
    form = AcceptForm(request.POST or None) if not request.user.is_authenticated else None
    if request.method == "POST":
        if form is not None and not form.is_valid():
            return render(request, "organisations/accept.html", {"inv": inv, "form": form}, status=400)
        try:
            with transaction.atomic():
                user = request.user if form is None else _new_account(form.cleaned_data)
                onboarding.accept(code, user)
        except ValidationError as exc:
            return render(request, "organisations/invitation_invalid.html", {"message": exc.messages[0]}, status=410)
        if form is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"ยินดีต้อนรับ: คุณเป็น{inv.get_role_display()}ของ {inv.organisation.name_th} แล้ว")
        return redirect("governance:dashboard")
    return render(request, "organisations/accept.html", {"inv": inv, "form": form})


def _new_account(data):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(data["username"], password=data["password1"],
                                                first_name=data.get("first_name", ""),
                                                last_name=data.get("last_name", ""))
