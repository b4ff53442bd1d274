"""Every province's planning bodies are known after load-reference, once each, also beside the demo's."""
import json
from pathlib import Path

import pytest
from django.core.management import call_command

import oneplan.demo
from oneplan.organisations.loader import load_organisations
from oneplan.organisations.models import Organisation
from oneplan.organisations.national import load_national_bodies

pytestmark = pytest.mark.django_db


def test_every_province_gets_its_office_pao_kbj_and_local_administration_office_once():
    first = load_national_bodies()
    again = load_national_bodies()
    assert again["created"] == 0 and first["created"] > 0
    for kind, ctype in (("provincial_office", ""), ("committee", "kbj")):
        per_province = Organisation.objects.filter(kind=kind, committee_type=ctype, area__kind="province")
        assert per_province.values("area").distinct().count() == 77 == per_province.count()
    assert Organisation.objects.filter(kind="pao").count() == 76  # Bangkok is กรุงเทพมหานคร, not a PAO
    assert Organisation.objects.get(key="bma").kind == "special_lao"
    assert Organisation.objects.filter(committee_type="kbk").count() == 18
    assert Organisation.objects.filter(key__startswith="district-office-").count() == 928
    # the demo's own ก.บ.จ.ภูเก็ต is the same body: not made twice
    assert Organisation.objects.filter(kind="committee", committee_type="kbj", area__code="83").count() == 1


def test_a_curated_file_loaded_after_the_national_bodies_adopts_them_instead_of_doubling(tmp_path):
    Organisation.objects.filter(key="phuket-kbj").update(key="phuket-kbj-before")  # as if the demo came later
    Organisation.objects.filter(key="phuket-kbj-before").delete()
    load_national_bodies()
    made = Organisation.objects.get(kind="committee", committee_type="kbj", area__code="83")
    load_organisations(Path(oneplan.demo.__file__).parent / "data" / "organisations.json")
    assert Organisation.objects.filter(kind="committee", committee_type="kbj", area__code="83").count() == 1
    assert Organisation.objects.get(key="phuket-kbj").pk == made.pk


def test_organisations_are_open_data(tmp_path):
    out = tmp_path / "orgs.json"
    call_command("organisations", "export", "--format", "json", "--output", str(out))
    rows = json.loads(out.read_text("utf-8"))
    assert {"key", "code", "kind", "name_th", "area_code", "parent_key"} == set(rows[0])
    assert any(r["key"] == "choeng-thale-municipality" and r["area_code"] == "830303" for r in rows)
    csv_out = tmp_path / "orgs.csv"
    call_command("organisations", "export", "--format", "csv", "--output", str(csv_out))
    assert csv_out.read_text("utf-8-sig").splitlines()[0] == "key,code,kind,name_th,area_code,parent_key"
