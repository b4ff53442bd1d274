"""Who may do what to a local development plan, in every status: the role × status × action table.
The secretary is the local development committee's secretary (the committee that receives the plan);
the other secretary is the provincial committee's (ก.บ.จ.), which never holds an LAO plan."""
import pytest
from django.contrib.auth.models import AnonymousUser

from oneplan.governance.services import allowed_actions

ALL = {"draft", "consultation", "revision", "submitted", "returned", "approved", "in_force", "superseded"}
# approved by one committee is still on its way (the executive, ก.น.บ., the cabinet): not public yet
PUBLIC = {"consultation", "in_force", "superseded"}
EDITABLE = {"draft", "revision", "returned"}
NONE = set()

# role: {action: statuses in which it is allowed}
EXPECTED = {
    "anonymous": {"view": PUBLIC, "change": NONE, "link": NONE, "start_edition": NONE, "history": NONE,
                  "act": NONE},
    "viewer": {"view": ALL, "change": NONE, "link": NONE, "start_edition": NONE, "history": ALL, "act": NONE},
    "editor": {"view": ALL, "change": EDITABLE, "link": EDITABLE, "start_edition": {"in_force"}, "history": ALL,
               "act": {"draft", "consultation", "revision", "returned"}},
    "approver": {"view": ALL, "change": NONE, "link": NONE, "start_edition": NONE, "history": ALL,
                 "act": {"approved"}},
    "other_editor": {"view": PUBLIC, "change": NONE, "link": NONE, "start_edition": NONE, "history": NONE,
                     "act": NONE},
    "reviewer": {"view": ALL, "change": NONE, "link": NONE, "start_edition": NONE, "history": ALL, "act": NONE},
    "secretary": {"view": PUBLIC | {"submitted"}, "change": NONE, "link": NONE, "start_edition": NONE,
                  "history": {"submitted"}, "act": {"submitted"}},
    "other_secretary": {"view": PUBLIC, "change": NONE, "link": NONE, "start_edition": NONE, "history": NONE,
                        "act": NONE},
    "moderator": {"view": PUBLIC, "change": NONE, "link": NONE, "start_edition": NONE, "history": NONE,
                  "act": NONE},
    # a superuser sees everything, but a frozen edition is frozen for them too (the state-bound
    # permissions ask the rules, and the model-level lock holds), and they take no workflow steps.
    "superuser": {"view": ALL, "change": EDITABLE, "link": EDITABLE, "start_edition": {"in_force"}, "history": ALL,
                  "act": NONE},
}
PERMS = {"view": "plans.view_plan", "change": "plans.change_plan", "link": "plans.link_plan",
         "start_edition": "governance.start_edition", "history": "governance.view_history"}
ROLE_USER = {"viewer": "viewer", "editor": "editor", "approver": "approver", "other_editor": "other_editor",
             "reviewer": "reviewer", "secretary": "town_dev_secretary", "other_secretary": "kbj_secretary",
             "moderator": "moderator", "superuser": "superuser"}


def _user(world, role):
    return AnonymousUser() if role == "anonymous" else getattr(world.users, ROLE_USER[role])


@pytest.mark.parametrize("status", sorted(ALL))
@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_status_matrix(world, lao_plan, role, status):
    lao_plan.status = status
    lao_plan.save()
    user = _user(world, role)
    got = {action: user.has_perm(perm, lao_plan) for action, perm in PERMS.items()}
    got["act"] = bool(allowed_actions(user, lao_plan))
    expected = {action: status in statuses for action, statuses in EXPECTED[role].items()}
    assert got == expected


def test_a_provincial_office_reviews_lao_plans_of_its_province_only(world, lao_plan):
    from oneplan.testing.factories import OrganisationFactory, PlanFactory

    elsewhere = PlanFactory(owner=OrganisationFactory(kind="sao"), area=world.province.__class__.objects.get(code="90"))
    assert world.users.reviewer.has_perm("plans.view_plan", lao_plan)
    assert not world.users.reviewer.has_perm("plans.view_plan", elsewhere)


def test_the_secretary_of_another_committee_does_not_see_what_is_before_this_one(world, provincial_plan):
    provincial_plan.status = "submitted"  # before ก.บ.จ.เชียงใหม่
    provincial_plan.save()
    assert world.users.kbj_secretary.has_perm("plans.view_plan", provincial_plan)
    assert not world.users.town_dev_secretary.has_perm("plans.view_plan", provincial_plan)
    assert not world.users.knb_secretary.has_perm("plans.view_plan", provincial_plan)


def test_moderator_predicate(world):
    assert world.users.moderator.has_perm("governance.moderate")
    assert not world.users.editor.has_perm("governance.moderate")
