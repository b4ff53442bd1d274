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
