"""Querysets of the plan's content models that ask a write guard before writing in bulk.

Row signals do not fire for `QuerySet.update()` and `bulk_create()`, so those two go through here.
The rule itself (frozen editions are immutable) belongs to governance, which registers it as the
guard when it starts (governance.apps); the plans app only knows where each row's plan is.
"""
from __future__ import annotations

from collections.abc import Callable

from django.db import models

# (model, plan ids) -> None or raise; set by governance.apps.ready
WRITE_GUARDS: list[Callable] = []


def _guard(model, plan_ids):
    for guard in WRITE_GUARDS:
        guard(model, set(plan_ids))


class GuardedQuerySet(models.QuerySet):
    # The lookup from a row to its plan, per model (set on each model as `plan_path`).
    def _plan_ids(self, **changes):
        path = self.model.plan_path
        qs = self
        if self.model.__name__ == "BudgetLine" and changes.get("stage", "") != "plan":
            qs = qs.filter(stage="plan")  # budget stages past planning are recorded on plans in force
        return qs.values_list(path, flat=True).distinct()

    def update(self, **kwargs):
        if WRITE_GUARDS:
            _guard(self.model, self._plan_ids(**kwargs))
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if WRITE_GUARDS and objs:
            for guard in ROW_GUARDS:
                guard(self.model, objs)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if WRITE_GUARDS and objs:
            for guard in ROW_GUARDS:
                guard(self.model, objs)
        return super().bulk_update(objs, fields, *args, **kwargs)


# (model, instances) -> None or raise: for rows not yet in the database
ROW_GUARDS: list[Callable] = []

GuardedManager = models.Manager.from_queryset(GuardedQuerySet)
