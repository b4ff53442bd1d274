"""Who may do what at the Clinic Center, as named predicates (django-rules).

Staff are Memberships with an acting role (editor, approver or moderator; a viewer only reads):
- the desk: staff of the province's PAO (its Clinic Center; Bangkok: the BMA) see every report of the
  province and may do every step (reassign, merge, ask for help included); reports whose province is
  unknown are every desk's to place;
- the responsible organisation's staff see their reports and take the steps of the work (accept, in
  progress, done, not ours → forward, cannot do, ask for help, internal note);
- an organisation asked to help sees the report and may add internal notes;
- everyone sees the public page (never the contact, the internal notes or the follow token).
The reporter's own steps (confirm, reopen) are granted by the follow token, not by a role."""
from __future__ import annotations

import rules

from oneplan.organisations.models import Organisation, OrgKind
from oneplan.plans.rules import _role_cache, _roles

from .models import EventKind, Report
from .routing import DESK_KINDS

ACT_ROLES = {"editor", "approver", "moderator"}
READ_ROLES = ACT_ROLES | {"viewer"}


def _acts_for(user, org) -> bool:
    return bool(_roles(user, org) & ACT_ROLES)


def desk_orgs(user):
    """The desks (PAO / BMA) the user acts for."""
    org_ids = [pk for pk, roles in _role_cache(user).items() if roles & ACT_ROLES]
    return Organisation.objects.filter(pk__in=org_ids, kind__in=DESK_KINDS, area__kind="province")


def desk_province_ids(user) -> set[int]:
    return set(desk_orgs(user).values_list("area_id", flat=True))


def _helper_org_ids(report: Report) -> set[int]:
    return set(report.events.filter(kind=EventKind.HELP_ASKED).values_list("target_id", flat=True))


@rules.predicate
def is_desk_staff(user, report):
    """Staff of the Clinic Center desk of the report's province (any desk when it has none)."""
    if report is None:
        return bool(desk_province_ids(user))
    provinces = desk_province_ids(user)
    return bool(provinces) and (report.province_id is None or report.province_id in provinces)


@rules.predicate
def is_responsible_staff(user, report):
    return report is not None and report.responsible is not None and _acts_for(user, report.responsible)


@rules.predicate
def is_helper_staff(user, report):
    if report is None or not _role_cache(user):
        return False
    mine = {pk for pk, roles in _role_cache(user).items() if roles & READ_ROLES}
    return bool(mine & _helper_org_ids(report))


@rules.predicate
def is_desk_reader(user, report):
    """Any member (a viewer too) of a desk: sees the desk list."""
    org_ids = [pk for pk, roles in _role_cache(user).items() if roles & READ_ROLES]
    return Organisation.objects.filter(pk__in=org_ids, kind__in=DESK_KINDS).exists()


is_superuser = rules.is_superuser
can_work = is_superuser | is_desk_staff | is_responsible_staff
can_manage = is_superuser | is_desk_staff

rules.add_perm("clinic.view_internal", can_work | is_helper_staff)   # contact, internal notes, staff page
rules.add_perm("clinic.work_report", can_work)                       # accept … done, forward, cannot do, help
rules.add_perm("clinic.manage_report", can_manage)                   # reassign, merge
rules.add_perm("clinic.add_note", can_work | is_helper_staff)
rules.add_perm("clinic.view_desk", is_superuser | is_desk_reader | is_desk_staff)
rules.add_perm("clinic.view_own_queue", is_superuser | rules.is_authenticated)


def acting_organisation(user, report: Report):
    """The organisation the user acts for on this report (responsible, desk, then helper)."""
    if report.responsible is not None and _acts_for(user, report.responsible):
        return report.responsible
    desk = desk_orgs(user).filter(area_id=report.province_id).first() if report.province_id else None
    if desk is not None:
        return desk
    helpers = Organisation.objects.filter(pk__in=_helper_org_ids(report))
    return next((o for o in helpers if _roles(user, o) & READ_ROLES), None)


def staff_report_queryset(user):
    """Reports a signed-in user works on: the desk's provinces, the user's organisations, and those
    their organisations were asked to help with."""
    from django.db.models import Q

    if user.is_superuser:
        return Report.objects.all()
    org_ids = [pk for pk, roles in _role_cache(user).items() if roles & READ_ROLES]
    provinces = desk_province_ids(user)
    q = Q(responsible_id__in=org_ids) | Q(events__kind=EventKind.HELP_ASKED, events__target_id__in=org_ids)
    if provinces:
        q |= Q(province_id__in=provinces) | Q(province__isnull=True)
    return Report.objects.filter(q).distinct()


def candidate_organisations(report: Report):
    """Whom a report may be forwarded or reassigned to, or help asked of: bodies of its province
    (LAOs, the PAO, provincial and district offices), or every PAO when the province is unknown."""
    if report.province_id is None:
        return Organisation.objects.filter(kind__in=DESK_KINDS).order_by("name_th")
    code = report.province.code
    kinds = [OrgKind.PAO, OrgKind.CITY_MUNICIPALITY, OrgKind.TOWN_MUNICIPALITY, OrgKind.SUBDISTRICT_MUNICIPALITY,
             OrgKind.SAO, OrgKind.SPECIAL_LAO, OrgKind.PROVINCIAL_OFFICE, OrgKind.PROVINCIAL_AGENCY,
             OrgKind.STATE_ENTERPRISE]
    return Organisation.objects.filter(kind__in=kinds, area__code__startswith=code).order_by("kind", "name_th")

