"""Onboarding without the operator: a province administrator (Role.PROVINCE_ADMIN, held in a provincial
body) registers LAOs, invites people of the organisations in the province (a one-time link or code that
expires), gives and takes back their roles, sees who holds which role, and hands an officer's roles
over to a successor. Every act is checked against the province here, for the views and tests alike,
and kept in the audit trail (governance.audit); a refusal is recorded there too."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oneplan.areas.models import Area, AreaKind

from .models import Invitation, Membership, Organisation, Role
from .places import in_province_q

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"     # no 0/O, 1/I: read aloud and typed by hand
INVITABLE_ROLES = [Role.EDITOR, Role.APPROVER, Role.SECRETARY, Role.MODERATOR, Role.VIEWER]
OUTSIDE = "คุณไม่ได้เป็นผู้ดูแลระบบของจังหวัดที่หน่วยงานนี้ตั้งอยู่ จึงทำรายการนี้ไม่ได้"
DEFAULT_DAYS = 7


# --- who administers what ------------------------------------------------------------------------
def admin_provinces(user) -> list[Area]:
    """The provinces a user administers (every province for a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return list(Area.objects.filter(kind=AreaKind.PROVINCE).order_by("code"))
    orgs = Organisation.objects.filter(memberships__user=user, memberships__role=Role.PROVINCE_ADMIN,
                                       area__isnull=False).select_related("area")
    provinces = {o.province().pk: o.province() for o in orgs if o.province()}
    return sorted(provinces.values(), key=lambda a: a.code)


def is_province_admin(user) -> bool:
    return bool(admin_provinces(user))


def province_of(org: Organisation) -> Area | None:
    return org.province() if org.area_id else None


def may_administer(user, org: Organisation) -> bool:
    province = province_of(org)
    return province is not None and any(p.pk == province.pk for p in admin_provinces(user))


def _check(user, org: Organisation):
    if not may_administer(user, org):
        from oneplan.governance.audit import refuse

        raise refuse(user, f"{OUTSIDE}: {org.name_th}", obj=org)


def organisations_in(province: Area):
    return Organisation.objects.filter(in_province_q(province)).select_related("area")


def holders(province: Area):
    """Who holds which role in the organisations of the province."""
    return (Membership.objects.filter(organisation__in=organisations_in(province))
            .select_related("user", "organisation").order_by("organisation__name_th", "role", "user__username"))


def _audit(user, message: str, obj=None, changes=None):
    from oneplan.governance.models import AuditAction, AuditEntry

    AuditEntry.objects.create(user=user if getattr(user, "is_authenticated", False) else None,
                              action=AuditAction.UPDATE if obj is not None else AuditAction.CREATE,
                              model=f"{obj._meta.app_label}.{obj._meta.model_name}" if obj is not None else "",
                              object_id=str(getattr(obj, "pk", "") or ""), object_repr=str(obj)[:300] if obj else "",
                              changes=changes or {}, message=message[:2000])


# --- roles ---------------------------------------------------------------------------------------
# A refusal is checked (and recorded) before the transaction: a rolled-back one would lose the record.
def grant(actor, user, org: Organisation, role: str) -> Membership:
    _check(actor, org)
    if role not in INVITABLE_ROLES and not actor.is_superuser:
        raise ValidationError("บทบาทนี้กำหนดได้โดยผู้ดูแลระบบส่วนกลางเท่านั้น")
    if role == Role.SECRETARY and org.kind != "committee":
        raise ValidationError(f"บทบาทเลขานุการใช้กับคณะกรรมการเท่านั้น (“{org.name_th}” ไม่ใช่คณะกรรมการ)")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, organisation=org, role=role)
        if created:
            _audit(actor, f"ให้บทบาท {membership.get_role_display()} แก่ {display_name(user)} ใน {org.name_th}",
                   membership)
    return membership


def revoke(actor, membership: Membership) -> None:
    _check(actor, membership.organisation)
    with transaction.atomic():
        _audit(actor, f"ถอนบทบาท {membership.get_role_display()} ของ {display_name(membership.user)} "
                      f"ใน {membership.organisation.name_th}", membership)
        membership.delete()


def display_name(user) -> str:
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{name} ({user.get_username()})" if name else user.get_username()


# --- invitations ---------------------------------------------------------------------------------
def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def code_hash(code: str) -> str:
    clean = "".join(ch for ch in str(code).upper() if ch.isalnum())
    return hashlib.sha256(clean.encode()).hexdigest()


@dataclass
class Issued:
    invitation: Invitation
    code: str           # shown once, never stored


def invite(actor, org: Organisation, role: str, *, email: str = "", days: int = DEFAULT_DAYS) -> Issued:
    _check(actor, org)
    if role not in INVITABLE_ROLES:
        raise ValidationError("เชิญได้เฉพาะบทบาทผู้จัดทำแผน ผู้อนุมัติ เลขานุการ ผู้ดูแลการรับฟังความคิดเห็น และผู้ดู")
    if role == Role.SECRETARY and org.kind != "committee":
        raise ValidationError(f"บทบาทเลขานุการใช้กับคณะกรรมการเท่านั้น (“{org.name_th}” ไม่ใช่คณะกรรมการ)")
    code = new_code()
    with transaction.atomic():
        inv = Invitation.objects.create(organisation=org, role=role, email=email, code_hash=code_hash(code),
                                        created_by=actor, expires_at=timezone.now() + timedelta(days=days))
        _audit(actor, f"เชิญ {email or '(ส่งรหัสด้วยตนเอง)'} เป็น {inv.get_role_display()} ของ {org.name_th} "
                      f"หมดอายุ {timezone.localtime(inv.expires_at):%d/%m/%Y}", inv)
    return Issued(inv, code)


def send_invitation(issued: Issued, url: str) -> None:
    from django.core.mail import send_mail

    inv = issued.invitation
    send_mail(f"คำเชิญเข้าใช้ OnePlan: {inv.organisation.name_th}",
              f"คุณได้รับเชิญเป็น{inv.get_role_display()}ของ {inv.organisation.name_th}\n\n"
              f"เปิดลิงก์นี้เพื่อตั้งรหัสผ่านและเริ่มใช้งาน (ใช้ได้ครั้งเดียว หมดอายุ "
              f"{timezone.localtime(inv.expires_at):%d/%m/%Y %H:%M}):\n{url}\n\n"
              f"หรือกรอกรหัสคำเชิญ {issued.code} ที่หน้า “ใช้รหัสคำเชิญ”", None, [inv.email])


def find_invitation(code: str) -> Invitation:
    """The invitation of a code, or a Thai ValidationError: unknown, used already, or expired."""
    inv = Invitation.objects.select_related("organisation").filter(code_hash=code_hash(code)).first()
    if inv is None:
        raise ValidationError("ไม่พบคำเชิญนี้: รหัสหรือลิงก์ไม่ถูกต้อง กรุณาตรวจสอบอีกครั้ง", code="unknown")
    if inv.used_at is not None:
        raise ValidationError(f"คำเชิญนี้ถูกใช้ไปแล้วเมื่อ {timezone.localtime(inv.used_at):%d/%m/%Y %H:%M} "
                              "ใช้ได้ครั้งเดียว: กรุณาขอคำเชิญใหม่จากผู้ดูแลระบบจังหวัด", code="used")
    if inv.expires_at <= timezone.now():
        raise ValidationError(f"คำเชิญนี้หมดอายุแล้วเมื่อ {timezone.localtime(inv.expires_at):%d/%m/%Y %H:%M}: "
                              "กรุณาขอคำเชิญใหม่จากผู้ดูแลระบบจังหวัด", code="expired")
    return inv


@transaction.atomic
def accept(code: str, user) -> Membership:
    """Use the invitation for `user` (an existing account, or one just made by the accept form).
    The row is claimed with a conditional update, so two people using one link at once get one role."""
    inv = find_invitation(code)
    claimed = Invitation.objects.filter(pk=inv.pk, used_at__isnull=True).update(used_at=timezone.now(), used_by=user)
    if not claimed:
        raise ValidationError("คำเชิญนี้ถูกใช้ไปแล้ว ใช้ได้ครั้งเดียว: กรุณาขอคำเชิญใหม่จากผู้ดูแลระบบจังหวัด",
                              code="used")
    membership, _ = Membership.objects.get_or_create(user=user, organisation=inv.organisation, role=inv.role)
    _audit(user, f"{display_name(user)} รับคำเชิญเป็น {membership.get_role_display()} ของ {inv.organisation.name_th}",
           membership)
    return membership


# --- handover ------------------------------------------------------------------------------------
@dataclass
class Handover:
    roles: list[str]
    tasks: list[str]
    drafts: list[str]


def open_work(user) -> tuple[list[str], list[str]]:
    """The plans waiting for the user's step, and the drafts of the bodies they edit for."""
    from oneplan.governance.dashboard import waiting_for
    from oneplan.plans.models import Plan
    from oneplan.plans.models.plans import EDITABLE_STATUSES

    tasks = [f"{w.plan.title_th} ({w.state.label})" for w in waiting_for(user)]
    edits = Membership.objects.filter(user=user, role=Role.EDITOR).values("organisation")
    drafts = [p.title_th for p in Plan.objects.filter(owner__in=edits, status__in=EDITABLE_STATUSES, framework="")]
    return tasks, drafts


def handover(actor, officer, successor, *, deactivate: bool = True) -> Handover:
    """Pass every role of `officer` to `successor` (with them the plans waiting for those roles and the
    drafts of those bodies); the officer's account is deactivated but kept, so past records keep the name."""
    if officer == successor:
        raise ValidationError("ผู้รับงานต้องเป็นคนละคนกับผู้ส่งต่องาน")
    memberships = list(Membership.objects.filter(user=officer).select_related("organisation"))
    if not memberships:
        raise ValidationError(f"{display_name(officer)} ไม่มีบทบาทใดให้ส่งต่อ")
    for m in memberships:
        _check(actor, m.organisation)
    with transaction.atomic():
        return _pass_on(actor, officer, successor, memberships, deactivate)


def _pass_on(actor, officer, successor, memberships, deactivate) -> Handover:
    tasks, drafts = open_work(officer)
    roles = []
    for m in memberships:
        Membership.objects.get_or_create(user=successor, organisation=m.organisation, role=m.role)
        roles.append(f"{m.get_role_display()} · {m.organisation.name_th}")
        m.delete()
    if deactivate:
        officer.is_active = False
        officer.save(update_fields=["is_active"])
    _audit(actor, f"ส่งต่องานจาก {display_name(officer)} ให้ {display_name(successor)}: บทบาท {len(roles)} "
                  f"งานที่รอดำเนินการ {len(tasks)} ร่างแผน {len(drafts)}"
                  + (" และระงับบัญชีผู้ส่งต่อ" if deactivate else ""), officer,
           {"roles": roles, "tasks": tasks, "drafts": drafts, "successor": successor.get_username()})
    return Handover(roles, tasks, drafts)


def register_lao(actor, province: Area, cells: dict):
    """One LAO from the in-app form, checked exactly as a registry row (names.name_key, geothai, codes)."""
    from .registry import commit_registry, read_cells

    result = read_cells([{**cells, "province": province.name_th}], scope=province)
    if result.ok and result.of("create"):
        commit_registry(result, actor)
    return result


def user_by_name(username: str):
    return get_user_model().objects.filter(username=username.strip()).first()

