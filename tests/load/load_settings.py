"""The production settings of the embedded server, with one change for the load test: every poster
shares 127.0.0.1, so the per-address comment, Clinic Center and read-API allowances are raised (the
per-browser ones are kept)."""
from oneplan.settings import *  # noqa: F403

CONSULTATION_RATE_LIMITS = {"comment": {"address": (1_000_000, 60)}, "clinic": {"address": (1_000_000, 600)}}
ONEPLAN_API_RATE_LIMITS = {"address": 1_000_000}
