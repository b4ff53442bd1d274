"""The production settings of the embedded server, with one change for the load test: every poster
shares 127.0.0.1, so the per-address comment allowance is raised (the per-browser one is kept)."""
from oneplan.settings import *  # noqa: F403

CONSULTATION_RATE_LIMITS = {"comment": {"address": (1_000_000, 60)}}
