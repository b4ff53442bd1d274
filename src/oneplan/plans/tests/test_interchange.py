"""The interchange format round-trips a plan exactly and refuses bad data without writing anything."""
import copy

import pytest

from oneplan.plans.interchange import InterchangeError, dump_plan, load_plan
from oneplan.plans.models import Element, Plan

pytestmark = pytest.mark.django_db

SAMPLE = {
    "format": "oneplan-plan/1",
    "plan": {"key": "sample-lao-2566", "kind": "lao_local", "title_th": "แผนพัฒนาท้องถิ่น (พ.ศ. 2566 – 2570)",
             "start_year": 2566, "end_year": 2570, "status": "draft",
             "edition": {"type": "addition", "number": 1, "year": 2567}},
    "elements": [
        {"code": "1", "parent": None, "kind": "issue", "title_th": "การพัฒนาโครงสร้างพื้นฐาน",
         "links": [{"plan": "national-strategy", "code": "2"}]},
        {"code": "1.1", "parent": "1", "kind": "kpi", "title_th": "ร้อยละของถนนที่ได้มาตรฐาน",
         "kpi": {"unit": "ร้อยละ", "direction": "increase", "baseline": "40", "baseline_year": 2565,
                 "targets": {"2566": "45", "2567": "50.5"}}},
        {"code": "P001", "parent": "1", "kind": "project", "title_th": "ก่อสร้างถนน คสล. สายบ้านนา หมู่ที่ ๓",
         "project": {"responsible_unit": "กองช่าง", "location": "หมู่ที่ 3",
                     "budgets": [{"year": 2567, "amount": "1,250,000", "source": "lao_own", "stage": "plan"}]}},
    ],
}


def test_round_trip_gives_back_the_same_plan():
    load_plan(copy.deepcopy(SAMPLE))
    first = dump_plan(Plan.objects.get(key="sample-lao-2566"))
    Plan.objects.filter(key="sample-lao-2566").delete()
    load_plan(copy.deepcopy(first))
    second = dump_plan(Plan.objects.get(key="sample-lao-2566"))
    assert first == second
    project = next(e for e in second["elements"] if e["code"] == "P001")
    assert project["project"]["budgets"][0]["amount"] == "1250000.00"
    assert project["title_th"] == "ก่อสร้างถนน คสล. สายบ้านนา หมู่ที่ ๓"
    assert second["elements"][0]["links"] == [{"plan": "national-strategy", "code": "2"}]


def test_reloading_updates_instead_of_duplicating():
    load_plan(copy.deepcopy(SAMPLE))
    changed = copy.deepcopy(SAMPLE)
    changed["elements"][0]["title_th"] = "การพัฒนาโครงสร้างพื้นฐานและผังเมือง"
    report = load_plan(changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert Element.objects.filter(plan__key="sample-lao-2566").count() == 3


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d["elements"].append({"code": "1", "kind": "issue", "title_th": "ซ้ำ"}), "รหัสซ้ำ"),
    (lambda d: d["elements"][2]["project"]["budgets"][0].update(amount="หนึ่งล้าน"), "ไม่ใช่จำนวนเงิน"),
    (lambda d: d["plan"].update(start_year=2024), "ปี พ.ศ."),
    (lambda d: d["elements"][1].update(parent="9"), "ไม่พบองค์ประกอบแม่"),
    (lambda d: d["elements"][0]["links"].append({"plan": "sample-lao-2566", "code": "1.1"}), "แผนเดียวกัน"),
])
def test_bad_data_is_refused_and_nothing_is_saved(mutate, message):
    data = copy.deepcopy(SAMPLE)
    mutate(data)
    before = (Plan.objects.count(), Element.objects.count())
    with pytest.raises(InterchangeError) as exc:
        load_plan(data)
    assert any(message in p for p in exc.value.problems), exc.value.problems
    assert (Plan.objects.count(), Element.objects.count()) == before


def test_link_pointing_downward_is_refused_with_the_plan_kinds_named():
    data = copy.deepcopy(SAMPLE)
    data["plan"].update(key="sample-provincial", kind="provincial")
    data["elements"][0]["links"] = [{"plan": "phuket-lao-strategy-2566-2570", "code": "1"}]
    with pytest.raises(InterchangeError) as exc:
        load_plan(data)
    assert any("ไม่ได้อยู่เหนือ" in p for p in exc.value.problems), exc.value.problems
    assert not Plan.objects.filter(key="sample-provincial").exists()
