import pytest

from oneplan.areas.models import Area
from oneplan.monitoring.duplicates import find_duplicates, place_keys
from oneplan.testing.factories import ElementFactory, OrganisationFactory, PlanFactory

from .conftest import make_project


def test_place_keys_read_subdistrict_village_and_road():
    keys = place_keys("ก่อสร้างถนน คสล. สายบ้านหนองบัว-บ้านโคกสูง หมู่ที่ 3", "หมู่ที่ 3 บ้านหนองบัว ตำบลจอหออำเภอเมือง",
                      known=["จอหอ"])
    assert {"ต:จอหอ", "ม:จอหอ:3", "บ:จอหอ:หนองบัว", "ส:บ้านหนองบัว-บ้านโคกสูง"} <= keys
    assert "ถ:ทางหลวง" not in keys
    assert "ถ:มิตรภาพ" in place_keys("ติดตั้งไฟฟ้าส่องสว่าง ถนนมิตรภาพ", "")


@pytest.fixture
def province(db):
    return Area.objects.get(code="50")


def _plan(province, kind="sao"):
    org = OrganisationFactory(kind=kind, area=province)
    plan = PlanFactory(owner=org, area=province, status="in_force")
    return plan, ElementFactory(plan=plan, kind="strategy")


def test_planted_pair_across_two_organisations_found(province):
    (plan_a, s_a), (plan_b, s_b) = _plan(province), _plan(province, "provincial_agency")
    a = make_project(plan_a, s_a, "โครงการขุดลอกคลองส่งน้ำเพื่อการเกษตร บ้านหนองบัว หมู่ที่ 5",
                     [(2567, "100000"), (2568, "100000")], location="หมู่ที่ 5 ตำบลสุเทพ")
    b = make_project(plan_b, s_b, "ขุดลอกคลองส่งน้ำการเกษตรบ้านหนองบัว ม.5", [(2568, "250000")],
                     location="ต.สุเทพ")
    # unrelated: same place but another kind of work; similar work but another place; same org
    make_project(plan_b, s_b, "โครงการอบรมอาสาสมัครป้องกันภัยฝ่ายพลเรือน บ้านหนองบัว", [(2568, "5000")],
                 location="หมู่ที่ 5 ตำบลสุเทพ")
    make_project(plan_b, s_b, "โครงการขุดลอกคลองส่งน้ำเพื่อการเกษตร บ้านดอนแดง หมู่ที่ 2", [(2568, "5000")],
                 location="หมู่ที่ 2 ตำบลแม่เหียะ")
    make_project(plan_a, s_a, "โครงการขุดลอกคลองส่งน้ำเพื่อการเกษตร บ้านหนองบัว หมู่ที่ 5 (ระยะที่ 2)",
                 [(2568, "5000")], location="หมู่ที่ 5 ตำบลสุเทพ")
    found = find_duplicates(province)
    pairs = {frozenset((c.a["id"], c.b["id"])) for c in found}
    assert frozenset((a.pk, b.pk)) in pairs
    assert len(found) == 1 + 1   # the planted pair, and plan A's phase 2 with plan B's project
    candidate = next(c for c in found if {c.a["id"], c.b["id"]} == {a.pk, b.pk})
    assert "2568" in candidate.reason and "หนองบัว" in candidate.reason


def test_disjoint_years_are_not_duplicates(province):
    (plan_a, s_a), (plan_b, s_b) = _plan(province), _plan(province, "provincial_agency")
    make_project(plan_a, s_a, "โครงการขยายเขตประปาหมู่บ้าน บ้านหนองบัว หมู่ที่ 5", [(2566, "1")],
                 location="ตำบลสุเทพ")
    make_project(plan_b, s_b, "โครงการขยายเขตประปาหมู่บ้าน บ้านหนองบัว หมู่ที่ 5", [(2569, "1")],
                 location="ตำบลสุเทพ")
    assert find_duplicates(province) == []


def test_the_demo_shows_what_the_finder_finds_across_organisations(db):
    """Phuket's demo: the PAO and the Choeng Thale municipality both plan CCTV at Bang Tao beach in 2567."""
    from oneplan.areas.models import Area
    from oneplan.plans.models import Element

    found = find_duplicates(Area.objects.get(code="83"))
    owners = {frozenset(Element.objects.filter(pk__in=(c.a["id"], c.b["id"]))
                        .values_list("plan__owner__key", flat=True)) for c in found}
    assert frozenset({"phuket-pao", "choeng-thale-municipality"}) in owners
    cctv = next(c for c in found if "CCTV" in c.a["title"] + c.b["title"])
    assert "2567" in cctv.reason
