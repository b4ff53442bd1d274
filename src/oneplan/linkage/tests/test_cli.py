import csv
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _run(tmp_path, content: bytes, *extra):
    src, out = tmp_path / "items.csv", tmp_path / "out.csv"
    src.write_bytes(content)
    call_command("suggest_links", "--framework", "master-plans", "--input", str(src), "--output", str(out), *extra)
    with out.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_happy_path_writes_ranked_rows(tmp_path):
    content = "\ufeffid,text\nA1,โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก\nA2,โครงการป้องกันยาเสพติด\n".encode()
    rows = _run(tmp_path, content, "--top", "2")
    assert list(rows[0]) == ["id", "rank", "code", "title", "score", "low_confidence"]
    assert [(r["id"], r["rank"]) for r in rows] == [("A1", "1"), ("A1", "2"), ("A2", "1"), ("A2", "2")]
    assert rows[0]["code"] == "07" and rows[2]["code"] == "01"
    assert 0 < float(rows[0]["score"]) <= 1


def test_reads_windows_874_files(tmp_path, capsys):
    content = "id,text\n1,โครงการส่งเสริมการท่องเที่ยวชุมชน\n".encode("cp874")
    rows = _run(tmp_path, content)
    assert rows[0]["code"] == "05"
    assert "cp874" in capsys.readouterr().err


def test_sub_plan_depth(tmp_path):
    rows = _run(tmp_path, "id,text\n1,โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก\n".encode(), "--depth", "sub_plan")
    assert rows[0]["code"].startswith("07") and len(rows[0]["code"]) == 4


def test_missing_column_is_refused(tmp_path):
    with pytest.raises(CommandError, match="text"):
        _run(tmp_path, "id,title\n1,ถนน\n".encode())


def test_empty_input_is_refused(tmp_path):
    with pytest.raises(CommandError, match="ไม่มีรายการ"):
        _run(tmp_path, b"id,text\n")


def test_unreadable_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="อ่านไฟล์"):
        call_command("suggest_links", "--framework", "sdg", "--input", str(tmp_path / "none.csv"),
                     "--output", str(tmp_path / "o.csv"))


def test_unknown_framework_exits_non_zero_with_the_valid_codes(tmp_path):
    src = tmp_path / "items.csv"
    src.write_text("id,text\n1,ถนน\n", encoding="utf-8")
    oneplan = Path(sys.executable).parent / "oneplan"
    done = subprocess.run([str(oneplan), "suggest-links", "--framework", "master-plan", "--input", str(src),
                           "--output", str(tmp_path / "o.csv")], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "master-plans" in done.stderr and "national-strategy" in done.stderr
