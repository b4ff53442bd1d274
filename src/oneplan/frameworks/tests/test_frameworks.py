"""Frameworks as open data: list and export from the command line and the web."""
import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("frameworks", *args, stdout=out)
    return out.getvalue()


def test_list_names_every_framework():
    rows = list(csv.DictReader(io.StringIO(_run("list"))))
    assert [r["code"] for r in rows] == ["national-strategy", "master-plans", "nesdp13", "sdg", "smart-city", "asean"]
    assert {r["code"]: r["editions"] for r in rows}["master-plans"] == "2"


def test_master_plans_export_csv_has_official_numbers_and_sub_plans():
    rows = list(csv.DictReader(io.StringIO(_run("export", "master-plans", "--format", "csv"))))
    assert list(rows[0]) == ["code", "parent_code", "kind", "title_th", "title_en"]
    top = [r for r in rows if r["kind"] == "master_plan"]
    assert [r["code"] for r in top] == [f"{n:02d}" for n in range(1, 24)]
    assert any(r["parent_code"] == "05" and r["kind"] == "sub_plan" for r in rows)


def test_sdg_export_json_has_169_targets():
    rows = json.loads(_run("export", "sdg", "--format", "json"))
    assert sum(r["kind"] == "sdg_target" for r in rows) == 169
    target = next(r for r in rows if r["code"] == "11.2")
    assert target["parent_code"] == "11" and target["title_th"]


def test_nesdp_and_national_strategy_counts():
    assert sum(r["kind"] == "milestone" for r in json.loads(_run("export", "nesdp13", "--format", "json"))) == 13
    assert sum(r["kind"] == "ns_strategy" for r in json.loads(_run("export", "national-strategy", "--format", "json"))) == 6


def test_unknown_framework_is_a_clear_error():
    with pytest.raises(CommandError) as exc:
        _run("export", "nesdp12")
    assert "nesdp12" in str(exc.value) and "master-plans" in str(exc.value)


def test_web_export_opens_in_excel(client):
    response = client.get("/frameworks/smart-city.csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff") and "ENV" in body


def test_superseded_master_plan_edition_is_kept_as_a_version(client):
    from oneplan.plans.models import Plan

    old, new = Plan.objects.get(key="master-plans-2561"), Plan.objects.get(key="master-plans-2566")
    assert old.status == "superseded" and new.supersedes == old
