"""Open data follows the plans: when an edition comes into force, the packages it is part of (its
province's and the country's) are queued for a rebuild once the step is committed."""
from django.conf import settings
from django.db import transaction

from .build import COUNTRY

PUBLISHING_STEPS = ("in_force",)


def scopes_of(plan) -> list[str]:
    province = plan.area.province() if plan.area_id else None
    return ([province.code] if province is not None else []) + [COUNTRY]


def rebuild_when_published(sender, instance, created, **kwargs):
    if not created or instance.to_status not in PUBLISHING_STEPS:
        return
    if not getattr(settings, "ONEPLAN_OPENDATA_REBUILD_ON_CHANGE", True):
        return
    scopes = scopes_of(instance.plan)

    def queue():
        from .jobs import start_build

        for scope in scopes:
            start_build(scope)
    transaction.on_commit(queue)
