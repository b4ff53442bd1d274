import pytest
from django.core.management import CommandError, call_command

from oneplan.organisations.models import Membership


def test_create_user_gives_a_role_in_an_organisation(db):
    call_command("create_user", "t-kbj", "--org", "phuket-kbj", "--role", "secretary",
                 "--password", "ภูเก็ต-อันดามัน-2569")
    m = Membership.objects.get(user__username="t-kbj")
    assert (m.organisation.key, m.role) == ("phuket-kbj", "secretary")
    assert m.user.check_password("ภูเก็ต-อันดามัน-2569")
    call_command("create_user", "t-kbj", "--org", "phuket-provincial-office", "--role", "viewer")  # add a role
    assert Membership.objects.filter(user__username="t-kbj").count() == 2


@pytest.mark.parametrize("args, message", [
    (["--org", "no-such-org", "--role", "editor", "--password", "ภูเก็ต-อันดามัน-2569"], "ไม่พบหน่วยงาน"),
    (["--org", "phuket-pao", "--role", "secretary", "--password", "ภูเก็ต-อันดามัน-2569"], "คณะกรรมการเท่านั้น"),
    (["--org", "phuket-pao", "--role", "editor", "--password", "12345"], "รหัสผ่าน"),
])
def test_create_user_refuses_bad_input_in_thai(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_user", "t-bad", *args)
    assert not Membership.objects.filter(user__username="t-bad").exists()


def test_load_demo_accounts(db):
    call_command("load_demo_accounts")
    call_command("load_demo_accounts")  # twice: no duplicates
    assert Membership.objects.get(user__username="demo-kbj").organisation.key == "phuket-kbj"
    secretary = Membership.objects.get(user__username="demo-localdev").organisation
    assert (secretary.committee_type, secretary.parent.key) == ("local_development", "choeng-thale-municipality")
    # eight accounts, one role each, and demo-province also administers Phuket (onboarding)
    assert Membership.objects.filter(user__username__startswith="demo-").count() == 9
    assert Membership.objects.filter(user__username="demo-province", role="province_admin").exists()
