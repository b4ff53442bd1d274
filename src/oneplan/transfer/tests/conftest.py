import pytest

from oneplan.areas.models import Area
from oneplan.plans.models import KPI, BudgetLine, Element, KPITarget, Link, Plan, Project
from oneplan.testing.factories import OrganisationFactory, editor_of

from . import workbooks

OWNER_NAME = "เทศบาลตำบลทดสอบนำเข้า"


@pytest.fixture
def lao(db):
    """A municipality in Phuket with no plan yet (its province's plans are the demo plans)."""
    return OrganisationFactory(key="test-import-municipality", kind="subdistrict_municipality",
                               name_th=OWNER_NAME, area=Area.objects.get(code="83"))


@pytest.fixture
def editor(lao):
    return editor_of(lao, "import-editor")


@pytest.fixture
def workbook(tmp_path):
    """Build a messy ผ.02 workbook: workbook(blocks=…, summary=…, **write_p02 options) → path."""
    def make(blocks=None, name="plan.xlsx", owner=OWNER_NAME, **kwargs):
        blocks = blocks if blocks is not None else [workbooks.infra_block(), workbooks.social_block()]
        return workbooks.build(tmp_path / name, owner, blocks, **kwargs)
    return make


@pytest.fixture
def demo_editor(settings):
    """demo-editor of Choeng Thale municipality, as the demo accounts set it up."""
    from django.contrib.auth import get_user_model

    from oneplan.governance.accounts import load_demo_accounts

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo_accounts()
    return get_user_model().objects.get(username="demo-editor")


def table_counts():
    """Rows of every table an import writes."""
    return {m.__name__: m.objects.count() for m in (Plan, Element, Link, KPI, KPITarget, Project, BudgetLine)}


def db_counts():
    return (Plan.objects.count(), Element.objects.count(), Link.objects.count(), Project.objects.count(),
            BudgetLine.objects.count())
