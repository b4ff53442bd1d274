"""A small world for governance tests: a province (Chiang Mai, no demo data there), its provincial
office and ก.บ.จ., a municipality with its local development committee, an SAO with its council,
the national ก.น.บ. (reference data), and one user per role."""
from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from oneplan.areas.models import Area
from oneplan.core.middleware import _current_user
from oneplan.testing.factories import MembershipFactory, OrganisationFactory, PlanFactory, UserFactory

SECURITY_MIDDLEWARE = "oneplan.governance.security.GovernanceSecurityMiddleware"
PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def governance_middleware(settings):
    """The lead wires this middleware in settings; until then the tests add it themselves."""
    if SECURITY_MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, SECURITY_MIDDLEWARE]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    # a world has ~20 users; the real (slow) hasher stays for the password-rule tests' own users
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def acting_as(user):
    """What CurrentUserMiddleware does for a request, for code called directly."""
    token = _current_user.set(user)
    try:
        yield
    finally:
        _current_user.reset(token)


def member(org, role, username):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def world(db):
    from oneplan.organisations.models import Organisation

    province = Area.objects.get(code="50")
    subdistrict = Area.objects.filter(kind="subdistrict", code__startswith="50").order_by("code").first()
    office = OrganisationFactory(key="t-cm-office", kind="provincial_office", area=province,
                                 name_th="สำนักงานจังหวัดเชียงใหม่ (ทดสอบ)")
    kbj = OrganisationFactory(key="t-cm-kbj", kind="committee", committee_type="kbj", area=province,
                              name_th="ก.บ.จ.เชียงใหม่ (ทดสอบ)")
    knb = Organisation.objects.get(key="kanb")
    town = OrganisationFactory(key="t-town", kind="subdistrict_municipality", area=subdistrict,
                               name_th="เทศบาลตำบลทดสอบ")
    town_dev = OrganisationFactory(key="t-town-local-dev", kind="committee", committee_type="local_development",
                                   parent=town, area=subdistrict, name_th="คณะกรรมการพัฒนาเทศบาลตำบลทดสอบ")
    sao = OrganisationFactory(key="t-sao", kind="sao", area=subdistrict, name_th="อบต.ทดสอบ")
    sao_dev = OrganisationFactory(key="t-sao-local-dev", kind="committee", committee_type="local_development",
                                  parent=sao, area=subdistrict, name_th="คณะกรรมการพัฒนา อบต.ทดสอบ")
    sao_council = OrganisationFactory(key="t-sao-council", kind="committee", committee_type="council",
                                      parent=sao, area=subdistrict, name_th="สภา อบต.ทดสอบ")
    other = OrganisationFactory(key="t-other-town", kind="subdistrict_municipality", area=subdistrict,
                                name_th="เทศบาลตำบลอื่น")
    users = SimpleNamespace(
        editor=member(town, "editor", "t-editor"),
        editor2=member(town, "editor", "t-editor2"),
        approver=member(town, "approver", "t-mayor"),
        viewer=member(town, "viewer", "t-viewer"),
        other_editor=member(other, "editor", "t-other-editor"),
        reviewer=member(office, "viewer", "t-reviewer"),
        office_editor=member(office, "editor", "t-office-editor"),
        kbj_secretary=member(kbj, "secretary", "t-kbj-secretary"),
        knb_secretary=member(knb, "secretary", "t-knb-secretary"),
        town_dev_secretary=member(town_dev, "secretary", "t-town-dev-secretary"),
        sao_editor=member(sao, "editor", "t-sao-editor"),
        sao_approver=member(sao, "approver", "t-sao-approver"),
        sao_dev_secretary=member(sao_dev, "secretary", "t-sao-dev-secretary"),
        council_secretary=member(sao_council, "secretary", "t-council-secretary"),
        moderator=member(OrganisationFactory(key="t-network", kind="civil_society", name_th="เครือข่ายทดสอบ"),
                         "moderator", "t-moderator"),
        superuser=UserFactory(username="t-admin", is_staff=True, is_superuser=True),
    )
    return SimpleNamespace(province=province, subdistrict=subdistrict, office=office, kbj=kbj, knb=knb, town=town,
                           town_dev=town_dev, sao=sao, sao_dev=sao_dev, sao_council=sao_council, other=other,
                           users=users)


def heard(plan):
    """A consultation round on the plan that has closed: the public hearing the law requires is done."""
    from django.utils import timezone

    from oneplan.consultation.models import ConsultationRound

    ConsultationRound.objects.create(plan=plan, title=f"รับฟังความคิดเห็น {plan.title_th}", status="closed",
                                     opens_on=timezone.localdate(), responsible="ผู้ทดสอบ")
    return plan


@pytest.fixture
def lao_plan(world):
    return heard(PlanFactory(key="t-town-local", owner=world.town, area=world.subdistrict, kind="lao_local",
                             status="draft"))


@pytest.fixture
def provincial_plan(world):
    return heard(PlanFactory(key="t-cm-provincial", owner=world.office, area=world.province, kind="provincial",
                             title_th="แผนพัฒนาจังหวัดเชียงใหม่ (ทดสอบ)", status="draft"))


def login(client, user):
    client.force_login(user)
    return client
