"""Who may bring plans in: an import writes a plan, so it needs the right to change that plan
(plans.change_plan: an editor of the owner while the plan is editable) or, for a new plan, to add
plans for that owner. Exports follow plans.view_plan."""
import rules

from oneplan.plans.rules import is_superuser


@rules.predicate
def is_editor_of_owner(user, org):
    if org is None or not getattr(user, "is_authenticated", False):
        return False
    from oneplan.organisations.models import Membership

    return Membership.objects.filter(user=user, organisation=org, role="editor").exists()


@rules.predicate
def can_import_into(user, plan):
    return plan is not None and user.has_perm("plans.change_plan", plan)


@rules.predicate
def can_create_for(user, org):
    """A new plan: allowed to add plans at all, and for this owner organisation."""
    return user.has_perm("plans.add_plan") and (is_superuser(user) or is_editor_of_owner(user, org))


rules.add_perm("transfer.import_into_plan", can_import_into)
rules.add_perm("transfer.import_new_plan", can_create_for)


def may_import_into(user, plan) -> bool:
    # the status is checked here too: Django lets superusers past every has_perm
    from oneplan.plans.editions import is_frozen

    return not is_frozen(plan.status) and user.has_perm("transfer.import_into_plan", plan)


def may_write(user, result, organisation=None) -> bool:
    """Checked against the plan the file actually goes into (found only after reading it). An API token
    is scoped to one organisation (`organisation`): it writes only that organisation's plans."""
    from oneplan.organisations.models import Organisation
    from oneplan.plans.models import Plan

    meta = (result.data or {}).get("plan") or {}
    plan = Plan.objects.select_related("owner").filter(key=meta.get("key")).first()
    owner = plan.owner if plan is not None else Organisation.objects.filter(key=meta.get("owner")).first()
    if organisation is not None and owner != organisation:
        return False
    if plan is not None:
        return may_import_into(user, plan)
    if getattr(result, "new_owner", None) is not None:   # an LAO the header names, created with the plan
        from oneplan.organisations.onboarding import may_administer

        return may_administer(user, result.new_owner.unsaved())
    return user.has_perm("transfer.import_new_plan", owner)
