"""Who may do what in a consultation, as named predicates (django-rules).

Objects are a ConsultationRound, or anything with a `.round` (comment, event) or a `.plan`: the
plan's owner organisation decides. Planners (the owner's editors) run rounds and answer comments;
moderators (the owner's "moderator" role) keep the public pages clean; superusers may do both."""
import rules

from oneplan.plans.rules import _roles


def _plan(obj):
    """The plan a round, event, comment, group or plan belongs to."""
    for attr in ("round", "event"):
        inner = getattr(obj, attr, None)
        if inner is not None and not hasattr(obj, "plan_id"):
            return _plan(inner)
    return getattr(obj, "plan", obj)


@rules.predicate
def is_owner_moderator(user, obj):
    return obj is not None and "moderator" in _roles(user, _plan(obj).owner)


@rules.predicate
def is_owner_planner(user, obj):
    return obj is not None and "editor" in _roles(user, _plan(obj).owner)


@rules.predicate
def is_owner_secretary(user, obj):
    return obj is not None and "secretary" in _roles(user, _plan(obj).owner)


is_superuser = rules.is_superuser
is_planner = is_superuser | is_owner_planner
is_moderator = is_superuser | is_owner_moderator

rules.add_perm("consultation.manage_round", is_planner)
rules.add_perm("consultation.answer_comment", is_planner)
rules.add_perm("consultation.moderate", is_moderator)
rules.add_perm("consultation.view_comments", is_planner | is_moderator | is_owner_secretary)
rules.add_perm("consultation.facilitate", is_planner | is_moderator | is_owner_secretary)


def may_see_round(user, round_) -> bool:
    """Open and closed rounds are public; a planned one only to the plan's consultation staff."""
    return round_.is_public or user.has_perm("consultation.view_comments", round_)
