"""Hooks: a workflow step (governance.Transition rows are written only by governance.services), a
hearing comment, an answer, and a framework edition loaded. Each only calls notify(); a failure to
notify must never undo the step that caused it, so the work runs after the transaction commits."""
import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from oneplan.consultation.models import Answer, Comment
from oneplan.governance.models import Transition
from oneplan.plans.signals import plan_loaded

from . import events

log = logging.getLogger(__name__)


def _later(fn, *args):
    """Run after the commit, and never let a notification problem turn the user's step into an error page."""
    def run():
        try:
            fn(*args)
        except Exception:  # noqa: BLE001 — logged; the step itself is already saved
            log.exception("notification for %s failed", fn.__name__)
    transaction.on_commit(run)


@receiver(post_save, sender=Transition)
def on_transition(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _later(events.transition_recorded, instance)


@receiver(post_save, sender=Comment)
def on_comment(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _later(events.comment_received, instance)


@receiver(post_save, sender=Answer)
def on_answer(sender, instance, created, raw=False, **kwargs):
    if not raw:
        _later(events.comment_answered, instance)


@receiver(plan_loaded)
def on_plan_loaded(sender, plan, **kwargs):
    if plan.is_framework and plan.supersedes_id:
        _later(events.framework_edition_loaded, plan)
