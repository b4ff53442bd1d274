"""Signals of the plan graph. `plan_loaded` is sent once after a whole plan was written by
plans.interchange.load_plan (imports, editions, reference data), whose bulk inserts bypass the
per-row model signals: listeners (the audit trail) record the load as one event."""
from django.dispatch import Signal

plan_loaded = Signal()  # sender=Plan, plan=Plan, report=LoadReport
