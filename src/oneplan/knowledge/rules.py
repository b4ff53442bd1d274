"""Who may edit the guidance: reference-data stewards. OnePlan has no steward role among the
organisation roles (editor, approver, secretary, moderator, viewer are all roles *in* a body), and
guidance belongs to no body, so stewards are the members of the Django group STEWARDS (made by the
migration; the operator adds people in the admin), and superusers."""
import rules

STEWARDS = "reference-data-stewards"

is_steward = rules.is_superuser | rules.is_group_member(STEWARDS)

rules.add_perm("knowledge.edit_guidance", is_steward)
