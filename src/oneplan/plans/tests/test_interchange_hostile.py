"""Whatever a file puts in whatever place, the interchange loader answers with InterchangeError (Thai
messages naming the place) or loads it: never another exception, never a half-written plan."""
import copy

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oneplan.core.thai import is_blank_text, strip_invisible
from oneplan.plans.interchange import InterchangeError, clean_data, load_plan
from oneplan.plans.models import Element, Plan

from .test_interchange import SAMPLE

# Values a hostile file may hold: wrong types, NaN, huge and fractional numbers, control and invisible
# characters, nesting.
SCALARS = (st.none() | st.booleans() | st.integers(min_value=-10**30, max_value=10**30)
           | st.floats(allow_nan=True, allow_infinity=True)
           | st.sampled_from([2566, 2566.7, "2566", "๒๕๖๖", "NaN", "Infinity", "-1", "1,250,000", "", "\u200b",
                              "ก\x00ข", "1" * 5000, "issue", "project", "in_force", "national-strategy"])
           | st.text(max_size=30))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def _paths(node, prefix=()):
    """Every place in the sample document a value can be put."""
    yield prefix
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        yield from _paths(child, (*prefix, key))


PATHS = [p for p in _paths(SAMPLE) if p]


def _put(doc, path, value):
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


@settings(max_examples=600, deadline=None)
@given(path=st.sampled_from(PATHS), value=VALUES)
def test_clean_data_never_raises(path, value):
    clean, problems = clean_data(_put(copy.deepcopy(SAMPLE), path, value))
    assert (clean is None) == bool(problems)
    assert all(isinstance(p, str) and p for p in problems)
    for item in (clean or {}).get("elements", []):
        assert item["code"] == strip_invisible(item["code"]).strip() and not is_blank_text(item["title_th"])


@pytest.mark.django_db
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), value=VALUES)
def test_load_plan_raises_only_interchange_error_and_writes_all_or_nothing(path, value):
    data = _put(copy.deepcopy(SAMPLE), path, value)
    before = (Plan.objects.count(), Element.objects.count())
    with transaction.atomic():
        try:
            plan = load_plan(data).plan
        except InterchangeError as exc:
            assert exc.problems
            assert (Plan.objects.count(), Element.objects.count()) == before
        else:
            assert plan.status == "draft"
            assert plan.elements.count() == len(clean_data(data)[0]["elements"])
        transaction.set_rollback(True)   # each example starts from the same database
