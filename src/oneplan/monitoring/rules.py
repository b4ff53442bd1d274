"""Who may do what in monitoring (django-rules named predicates, objects are plans).

- enter results / edit budget lines: the owner organisation's editors (or staff superusers);
- approve results: the owner's approvers or editors — never for their own entries (services.approve
  and a database constraint enforce that part);
- open and close rounds, set roll-up weights: the owner's editors;
- view: whoever may view the plan.
"""
import rules

from oneplan.plans.rules import _plan_of, _roles, is_owner_editor, is_superuser


@rules.predicate
def is_owner_approver(user, obj):
    return obj is not None and bool({"approver", "editor"} & _roles(user, _plan_of(obj).owner))


rules.add_perm("monitoring.enter_results", is_superuser | is_owner_editor)
rules.add_perm("monitoring.approve_results", is_superuser | is_owner_approver)
rules.add_perm("monitoring.manage_rounds", is_superuser | is_owner_editor)
rules.add_perm("monitoring.change_budget", is_superuser | is_owner_editor)
