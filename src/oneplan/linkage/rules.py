"""Who may accept or reject suggested links and see the checks (django-rules named predicates)."""
import rules

from oneplan.plans.rules import (
    is_committee_side,
    is_in_editable_state,
    is_owner_editor,
    is_owner_member,
    is_provincial_reviewer,
    is_public,
    is_superuser,
)

# Accepting creates a plans.Link, so it needs exactly what linking by hand needs.
can_decide_suggestion = is_in_editable_state & (is_superuser | is_owner_editor)
# whoever may read the plan may read its checks: the committee secretary deciding on it included
can_see_linkage = is_superuser | is_public | is_owner_member | is_provincial_reviewer | is_committee_side

rules.add_perm("linkage.decide_suggestion", can_decide_suggestion)
rules.add_perm("linkage.view_linkage", can_see_linkage)
