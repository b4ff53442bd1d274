"""Which plans a user may see: published plans and open consultations are public; drafts are seen
by the owner organisation's members, reviewers and staff."""
from django.db.models import Q

from .editions import PUBLIC_STATUSES, public_q
from .models import Plan

__all__ = ["PUBLIC_STATUSES", "visible_plans"]


def visible_plans(user, organisation=None):
    """`organisation` narrows a user to their roles in that one body (an API token scoped to it)."""
    qs = Plan.objects.all()
    if getattr(user, "is_superuser", False) and organisation is None:
        return qs
    public = public_q()
    if not getattr(user, "is_authenticated", False):
        return qs.filter(public)
    from oneplan.organisations.models import Membership

    memberships = Membership.objects.filter(user=user)
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    org_ids = memberships.values("organisation")
    # a provincial office also sees the drafts of plans in its province (it reviews them)
    province_ids = memberships.filter(organisation__kind="provincial_office").values("organisation__area")
    return qs.filter(public | Q(owner__in=org_ids) | Q(area__in=province_ids) | Q(area__parent__in=province_ids)
                     | Q(area__parent__parent__in=province_ids))
