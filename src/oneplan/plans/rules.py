"""Permissions on plans as named predicates (django-rules). Governance extends these."""
import rules

from .models.plans import EDITABLE_STATUSES, PUBLISHED_STATUSES


def _roles(user, org):
    if not getattr(user, "is_authenticated", False) or org is None:
        return set()
    cache = getattr(user, "_oneplan_roles", None)
    if cache is None:
        from oneplan.organisations.models import Membership

        cache = {}
        for m in Membership.objects.filter(user=user):
            cache.setdefault(m.organisation_id, set()).add(m.role)
        user._oneplan_roles = cache
    return cache.get(org.pk, set())


def _plan_of(obj):
    return getattr(obj, "plan", obj)


@rules.predicate
def is_published(user, obj):
    return obj is not None and _plan_of(obj).status in PUBLISHED_STATUSES


@rules.predicate
def is_public(user, obj):
    plan = _plan_of(obj) if obj is not None else None
    return plan is not None and (plan.status in PUBLISHED_STATUSES or plan.status == "consultation"
                                 or plan.is_framework)


@rules.predicate
def is_in_editable_state(user, obj):
    return obj is not None and _plan_of(obj).status in EDITABLE_STATUSES


@rules.predicate
def is_owner_editor(user, obj):
    return obj is not None and "editor" in _roles(user, _plan_of(obj).owner)


@rules.predicate
def is_owner_member(user, obj):
    return obj is not None and bool(_roles(user, _plan_of(obj).owner))


@rules.predicate
def is_provincial_reviewer(user, obj):
    """A provincial office's staff review the plans of LAOs in their province."""
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    plan = _plan_of(obj)
    province = plan.area.province() if plan.area_id else None
    if province is None:
        return False
    from oneplan.organisations.models import Membership

    return Membership.objects.filter(user=user, organisation__kind="provincial_office",
                                     organisation__area=province).exists()


@rules.predicate
def is_any_editor(user):
    from oneplan.organisations.models import Membership

    return getattr(user, "is_authenticated", False) and Membership.objects.filter(user=user, role="editor").exists()


is_superuser = rules.is_superuser

rules.add_perm("plans.view_plan", is_superuser | is_public | is_owner_member | is_provincial_reviewer)
rules.add_perm("plans.change_plan", is_in_editable_state & (is_superuser | is_owner_editor))
rules.add_perm("plans.add_plan", is_superuser | is_any_editor)
rules.add_perm("plans.link_plan", is_in_editable_state & (is_superuser | is_owner_editor))
