"""Shared fixtures: the reference frameworks and demo plans are loaded once per test session
(each test then runs in a transaction that is rolled back)."""
from pathlib import Path

import pytest


def load_everything(subdistricts: bool = True):
    import oneplan.organisations
    from oneplan.areas.loader import load_areas
    from oneplan.demo.loader import load_demo
    from oneplan.frameworks.loader import load_frameworks
    from oneplan.organisations.loader import load_organisations

    load_areas(with_subdistricts=subdistricts)
    load_organisations(Path(oneplan.organisations.__file__).parent / "data" / "organisations.json")
    load_frameworks()
    load_demo()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_everything()


@pytest.fixture
def phuket_plan(db):
    from oneplan.plans.models import Plan

    return Plan.objects.get(key="phuket-provincial-2561-2564")
