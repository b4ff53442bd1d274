"""Permissions on plans as named predicates (django-rules), owned by governance.

Roles are Memberships (organisations.Role) of a user in an organisation; a committee is an
organisation too, so "secretary of ก.บ.จ.ภูเก็ต" is the secretary role in that committee.
- a municipality (any owner) edits only its own plans, and only while they are drafts;
- a provincial office reviews (sees) the plans of LAOs in its province;
- a committee secretary acts on what is submitted to that committee (and sees it meanwhile, and
  afterwards the plans and records their committee has dealt with);
- published plans (and open consultations, and frameworks) are public; drafts are not.
"""
import rules

from .editions import PUBLIC_STATUSES
from .models.plans import EDITABLE_STATUSES, PUBLISHED_STATUSES, PlanStatus


def _role_cache(user) -> dict[int, set[str]]:
    """{organisation id: roles} of a user, read once per user object (i.e. once per request)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cache = getattr(user, "_oneplan_roles", None)
    if cache is None:
        from oneplan.organisations.models import Membership

        cache = {}
        for org_id, role in Membership.objects.filter(user=user).values_list("organisation_id", "role"):
            cache.setdefault(org_id, set()).add(role)
        user._oneplan_roles = cache
    return cache


def _roles(user, org):
    return _role_cache(user).get(org.pk, set()) if org is not None else set()


def _all_roles(user) -> set[str]:
    return set().union(*_role_cache(user).values())


def _plan_of(obj):
    return getattr(obj, "plan", obj)


@rules.predicate
def is_published(user, obj):
    return obj is not None and _plan_of(obj).status in PUBLISHED_STATUSES


@rules.predicate
def is_in_force(user, obj):
    return obj is not None and _plan_of(obj).status == PlanStatus.IN_FORCE


@rules.predicate
def is_public(user, obj):
    plan = _plan_of(obj) if obj is not None else None
    return plan is not None and (plan.status in PUBLIC_STATUSES or plan.is_framework)


@rules.predicate
def is_in_editable_state(user, obj):
    return obj is not None and _plan_of(obj).status in EDITABLE_STATUSES


@rules.predicate
def is_owner_editor(user, obj):
    return obj is not None and "editor" in _roles(user, _plan_of(obj).owner)


@rules.predicate
def is_owner_approver(user, obj):
    """The owner's approver: for an LAO, the executive who approves and announces the plan."""
    return obj is not None and "approver" in _roles(user, _plan_of(obj).owner)


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
def is_committee_secretary(user, obj):
    """Secretary of the committee the plan is submitted to right now (not of any other committee)."""
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    from oneplan.governance.committees import holding_committee

    committee = holding_committee(_plan_of(obj))
    return committee is not None and "secretary" in _roles(user, committee)


@rules.predicate
def is_secretary_of_a_deciding_committee(user, obj):
    """Secretary of a committee that has already dealt with the plan: its own records stay visible."""
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    committees = {org_id for org_id, roles in _role_cache(user).items() if "secretary" in roles}
    return bool(committees) and _plan_of(obj).transitions.filter(committee_id__in=committees).exists()


@rules.predicate
def is_any_editor(user):
    return "editor" in _all_roles(user)


@rules.predicate
def is_moderator(user):
    return "moderator" in _all_roles(user)


@rules.predicate
def is_self(user, other):
    return other is not None and getattr(user, "pk", None) == getattr(other, "pk", -1)


is_superuser = rules.is_superuser

is_committee_side = is_committee_secretary | is_secretary_of_a_deciding_committee

rules.add_perm("plans.view_plan",
               is_superuser | is_public | is_owner_member | is_provincial_reviewer | is_committee_side)
rules.add_perm("plans.change_plan", is_in_editable_state & (is_superuser | is_owner_editor))
rules.add_perm("plans.add_plan", is_superuser | is_any_editor)
rules.add_perm("plans.link_plan", is_in_editable_state & (is_superuser | is_owner_editor))

# Governance: workflow steps are checked per action (governance.services.ACTORS); these guard pages.
rules.add_perm("governance.act_on_plan", is_owner_editor | is_owner_approver | is_committee_secretary)
rules.add_perm("governance.start_edition", is_in_force & (is_superuser | is_owner_editor))
rules.add_perm("governance.view_history",
               is_superuser | is_owner_member | is_provincial_reviewer | is_committee_side)
rules.add_perm("governance.view_user_audit", is_superuser | is_self)
rules.add_perm("governance.moderate", is_superuser | is_moderator)

# Permissions bound to the plan's state (a frozen edition cannot be changed, only an in-force one gets a
# new edition). Django's User.has_perm says yes to a superuser before asking any backend, so for these the
# rules are asked directly (see install_state_bound_permissions): superusers pass the role part only.
STATE_BOUND_PERMS = frozenset({"plans.change_plan", "plans.link_plan", "governance.start_edition",
                               "linkage.decide_suggestion"})


def install_state_bound_permissions():
    from django.contrib.auth.models import PermissionsMixin

    original = PermissionsMixin.has_perm
    if getattr(original, "_oneplan_state_bound", False):
        return

    def has_perm(user, perm, obj=None):
        if perm in STATE_BOUND_PERMS and user.is_active and user.is_superuser:
            return rules.has_perm(perm, user, obj)
        return original(user, perm, obj)

    has_perm._oneplan_state_bound = True
    PermissionsMixin.has_perm = has_perm
