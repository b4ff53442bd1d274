"""Hooks: a workflow step (governance.Transition rows are written only by governance.services), a
hearing comment, an answer, and a framework edition loaded. Each only calls notify(); a failure to
notify must never undo the step that caused it, so the work runs after the transaction commits."""
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from oneplan.consultation.models import Answer, Comment
from oneplan.governance.models import Transition
from oneplan.plans.signals import plan_loaded

from . import events


@receiver(post_save, sender=Transition)
def on_transition(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(lambda: events.transition_recorded(instance))


@receiver(post_save, sender=Comment)
def on_comment(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(lambda: events.comment_received(instance))


@receiver(post_save, sender=Answer)
def on_answer(sender, instance, created, raw=False, **kwargs):
    if not raw:
        transaction.on_commit(lambda: events.comment_answered(instance))


@receiver(plan_loaded)
def on_plan_loaded(sender, plan, **kwargs):
    if plan.is_framework and plan.supersedes_id:
        transaction.on_commit(lambda: events.framework_edition_loaded(plan))
