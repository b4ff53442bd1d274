"""Onboarding without the operator: a province administrator registers LAOs, invites people (one-time
link or code that expires), gives and takes back roles in their province only, and hands an officer's
roles over; password reset by e-mail."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from oneplan.areas.models import Area
from oneplan.governance.models import AuditAction, AuditEntry, Transition
from oneplan.organisations import onboarding
from oneplan.organisations.models import Invitation, Membership, Organisation
from oneplan.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin():
    """Province administrator of Phuket (held in the provincial office)."""
    user = UserFactory(username="phuket-admin", first_name="ผู้ดูแล", last_name="ภูเก็ต")
    MembershipFactory(user=user, organisation=Organisation.objects.get(kind="provincial_office", area__code="83"),
                      role="province_admin")
    return user


@pytest.fixture
def songkhla_admin():
    user = UserFactory(username="songkhla-admin")
    MembershipFactory(user=user, organisation=Organisation.objects.get(kind="provincial_office", area__code="90"),
                      role="province_admin")
    return user


@pytest.fixture
def sao():
    return OrganisationFactory(key="test-sao-mai-khao", kind="sao", name_th="องค์การบริหารส่วนตำบลไม้ขาว",
                               area=Area.objects.get(code="830305"))


def test_admin_provinces_come_from_the_province_admin_role(admin, songkhla_admin):
    assert [p.code for p in onboarding.admin_provinces(admin)] == ["83"]
    assert onboarding.may_administer(admin, Organisation.objects.get(key="choeng-thale-municipality"))
    assert not onboarding.may_administer(songkhla_admin, Organisation.objects.get(key="choeng-thale-municipality"))


def test_an_invitation_code_works_once(admin, sao):
    issued = onboarding.invite(admin, sao, "editor")
    assert Invitation.objects.get().code_hash != issued.code   # only a hash is kept
    user = UserFactory(username="new-planner")
    onboarding.accept(issued.code.lower(), user)                # typed by hand: case and dashes do not matter
    assert Membership.objects.filter(user=user, organisation=sao, role="editor").exists()
    with pytest.raises(ValidationError, match="ถูกใช้ไปแล้ว"):
        onboarding.accept(issued.code, UserFactory(username="someone-else"))
    assert Membership.objects.filter(organisation=sao).count() == 1


def test_an_expired_invitation_is_refused_in_thai(admin, sao):
    issued = onboarding.invite(admin, sao, "editor", days=1)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="หมดอายุแล้ว"):
        onboarding.accept(issued.code, UserFactory())
    with pytest.raises(ValidationError, match="ไม่พบคำเชิญนี้"):
        onboarding.find_invitation("AAAA-BBBB-CCCC")


def test_an_administrator_outside_the_province_is_refused_and_the_refusal_recorded(songkhla_admin, sao):
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        onboarding.grant(songkhla_admin, person, sao, "editor")
    with pytest.raises(PermissionDenied):
        onboarding.invite(songkhla_admin, sao, "editor")
    membership = MembershipFactory(user=person, organisation=sao, role="viewer")
    with pytest.raises(PermissionDenied):
        onboarding.revoke(songkhla_admin, membership)
    assert Membership.objects.filter(organisation=sao).count() == 1 and not Invitation.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.REFUSED, user=songkhla_admin).count() == 3


def test_grant_and_revoke_are_in_the_audit_trail(admin, sao):
    person = UserFactory(username="somchai")
    m = onboarding.grant(admin, person, sao, "editor")
    onboarding.revoke(admin, m)
    messages = list(AuditEntry.objects.filter(user=admin).values_list("message", flat=True))
    assert any("ให้บทบาท" in x and "somchai" in x for x in messages)
    assert any("ถอนบทบาท" in x for x in messages)
    assert not Membership.objects.filter(user=person).exists()


def test_a_province_admin_cannot_make_another_province_admin(admin, sao):
    with pytest.raises(ValidationError):
        onboarding.grant(admin, UserFactory(), sao, "province_admin")


def test_handover_passes_roles_tasks_and_drafts_and_keeps_the_name_on_past_records(admin):
    ct = Organisation.objects.get(key="choeng-thale-municipality")
    officer = UserFactory(username="leaving-officer", first_name="สมหญิง", last_name="ย้ายไป")
    MembershipFactory(user=officer, organisation=ct, role="editor")
    successor = UserFactory(username="successor")
    plan = ct.plans.first()
    step = Transition.objects.create(plan=plan, action="x", from_state="a", to_state="b", from_status="draft",
                                     to_status="draft", user=officer)
    done = onboarding.handover(admin, officer, successor)
    officer.refresh_from_db()
    assert not officer.is_active and Membership.objects.filter(user=successor, organisation=ct, role="editor").exists()
    assert not Membership.objects.filter(user=officer).exists()
    assert done.roles and isinstance(done.drafts, list)
    entry = AuditEntry.objects.filter(user=admin, message__startswith="ส่งต่องานจาก").get()
    assert "leaving-officer" in entry.message and entry.changes["successor"] == "successor"
    step.refresh_from_db()
    assert step.user.get_full_name() == "สมหญิง ย้ายไป"     # the record still names who took the step


def test_handover_of_an_officer_with_roles_outside_the_province_is_refused(admin):
    officer = UserFactory()
    MembershipFactory(user=officer, organisation=Organisation.objects.get(kind="pao", area__code="90"), role="editor")
    with pytest.raises(PermissionDenied):
        onboarding.handover(admin, officer, UserFactory())
    assert Membership.objects.filter(user=officer).count() == 1


def test_register_lao_uses_the_registry_checks_and_never_doubles(admin):
    province = Area.objects.get(code="83")
    result = onboarding.register_lao(admin, province, {"name": "อบต.ไม้ขาว", "district": "ถลาง",
                                                       "subdistrict": "ไม้ขาว"})
    assert result.ok and Organisation.objects.filter(name_th="องค์การบริหารส่วนตำบลไม้ขาว").count() == 1
    again = onboarding.register_lao(admin, province, {"name": "องค์การบริหารส่วนตำบล ไม้ขาว", "kind": "อบต.",
                                                      "district": "ถลาง", "subdistrict": "ไม้ขาว"})
    assert again.of("skip") and Organisation.objects.filter(name_th__endswith="ไม้ขาว", kind="sao").count() == 1
    bad = onboarding.register_lao(admin, province, {"name": "อบต.ไม่มี", "district": "ถลาง", "subdistrict": "ไม่มี"})
    assert "ไม่พบตำบล “ไม่มี” ในอำเภอถลาง" in str(bad.errors[0])


# --- views ---------------------------------------------------------------------------------------
def test_manage_page_is_for_province_admins_only(client, admin):
    client.force_login(UserFactory())
    assert client.get(reverse("organisations:manage")).status_code == 403
    client.force_login(admin)
    page = client.get(reverse("organisations:manage")).content.decode()
    assert "จังหวัดภูเก็ต" in page and "phuket-admin" in page


def test_register_form_shows_the_registry_problem_at_its_field(client, admin):
    client.force_login(admin)
    response = client.post(reverse("organisations:register"), {"name": "อบต.ไม่มี", "district": "ถลาง",
                                                               "subdistrict": "ไม่มี"})
    assert response.status_code == 400
    assert "ไม่พบตำบล “ไม่มี” ในอำเภอถลาง" in response.content.decode()
    response = client.post(reverse("organisations:register"), {"name": "อบต.ไม้ขาว", "district": "ถลาง",
                                                               "subdistrict": "ไม้ขาว"})
    assert response.status_code == 302 and Organisation.objects.filter(name_th="องค์การบริหารส่วนตำบลไม้ขาว").exists()


def test_invite_by_email_then_the_link_sets_a_password_and_signs_in(client, admin, sao):
    client.force_login(admin)
    response = client.post(reverse("organisations:invite"), {"organisation": sao.key, "role": "editor",
                                                             "email": "planner@example.org", "days": "7"})
    assert response.status_code == 200 and len(mail.outbox) == 1
    link = next(w for w in mail.outbox[0].body.split() if "/organisations/invitations/" in w)
    client.logout()
    path = link.split("testserver", 1)[1]
    assert "ไม้ขาว" in client.get(path).content.decode()
    bad = client.post(path, {"username": "planner", "password1": "short", "password2": "short"})
    assert bad.status_code == 400 and not get_user_model().objects.filter(username="planner").exists()
    ok = client.post(path, {"username": "planner", "first_name": "สมชาย", "password1": PASSWORD, "password2": PASSWORD})
    assert ok.status_code == 302
    assert Membership.objects.filter(user__username="planner", organisation=sao, role="editor").exists()
    client.logout()
    again = client.get(path)
    assert again.status_code == 410 and "ถูกใช้ไปแล้ว" in again.content.decode()


def test_registry_upload_preview_confirm_on_the_web_scoped_to_the_province(client, admin, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ONEPLAN_TRANSFER_DIR = str(tmp_path)
    client.force_login(admin)
    csv = ("รหัส,ชื่อ อปท.,ประเภท,จังหวัด,อำเภอ,ตำบล\n6830501,อบต.ไม้ขาว,อบต.,ภูเก็ต,ถลาง,ไม้ขาว\n"
           "6900101,อบต.ท่าข้าม,อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n").encode()
    response = client.post(reverse("organisations:registry_upload"),
                           {"file": SimpleUploadedFile("registry.csv", csv)})
    preview = client.get(response["Location"]).content.decode()
    assert "จังหวัดสงขลา ไม่อยู่ในความดูแลของคุณ" in preview
    before = Organisation.objects.count()
    client.post(response["Location"] + "confirm/")
    assert Organisation.objects.count() == before
    good = client.post(reverse("organisations:registry_upload"),
                       {"file": SimpleUploadedFile("registry.csv", csv.split(b"6900101")[0])})
    assert "องค์การบริหารส่วนตำบลไม้ขาว" in client.get(good["Location"]).content.decode()
    assert client.post(good["Location"] + "confirm/").status_code == 302
    assert Organisation.objects.filter(code="6830501").exists()


def test_revoke_outside_the_province_is_403_and_changes_nothing(client, songkhla_admin, sao):
    m = MembershipFactory(user=UserFactory(), organisation=sao, role="viewer")
    client.force_login(songkhla_admin)
    assert client.post(reverse("organisations:revoke", args=[m.pk])).status_code == 403
    assert Membership.objects.filter(pk=m.pk).exists()


def test_password_reset_by_email_in_thai(client):
    user = UserFactory(username="forgetful", email="forgetful@example.org")
    response = client.post(reverse("governance:password_reset"), {"email": "forgetful@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    assert "ตั้งรหัสผ่านใหม่" in mail.outbox[0].subject
    link = next(w for w in mail.outbox[0].body.split() if "/password/reset/" in w)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "another-horse-77x", "new_password2": "another-horse-77x"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-horse-77x")
    used = client.get(path, follow=True).content.decode()
    assert "ใช้ไม่ได้แล้ว" in used
