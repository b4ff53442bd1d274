"""The hostile-file corpus: every file that is broken, malformed or built to hurt (hostile/ and the
binary ones generated below) is refused with a Thai message that names the problem, by the CLI (dry run
and real) and by the web (preview page, then a confirm posted anyway), and nothing is written."""
import html
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from .conftest import table_counts

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "hostile"
EXPECTED = json.loads((CORPUS / "expected.json").read_text("utf-8"))
COMMANDS = {".json": "import_json", ".xlsx": "import_excel", ".txt": "import_text", ".docx": "import_text"}


def _plan_json(elements):
    return {"format": "oneplan-plan/1", "plan": {
        "key": "hostile-test-plan", "kind": "lao_local", "title_th": "แผนทดสอบ", "owner": "choeng-thale-municipality",
        "start_year": 2566, "end_year": 2570}, "elements": elements}


def _workbook_with(cell: str) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "ผ.02"
    ws.append(["แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570) เทศบาลตำบลเชิงทะเล"])
    ws.append(["ที่", "โครงการ", "งบประมาณ"])
    ws[cell] = "x"
    return wb


def _zip_bomb(path: Path, part: str):
    """A few MB on disk, 310 MB once expanded: the real thing, not a forged header."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open(part, "w", force_zip64=True) as fh:
            chunk = b" " * (1 << 20)
            for _ in range(310):
                fh.write(chunk)


def _generated(root: Path) -> dict[str, str]:
    """The cases that are binary or large, built here rather than kept in the repository."""
    cases = {}

    def put(name, expect, data: bytes | None = None):
        if data is not None:
            (root / name).write_bytes(data)
        cases[name] = expect

    _workbook_with("XFD1048576").save(root / "cell_at_xfd1048576.xlsx")
    put("cell_at_xfd1048576.xlsx", "เซลล์ XFD1048576 เกิน 200 คอลัมน์")
    _workbook_with("A60001").save(root / "row_60001.xlsx")
    put("row_60001.xlsx", "มีข้อมูลที่แถว 60,001 เกิน 50,000 แถว")
    _zip_bomb(root / "zip_bomb.xlsx", "xl/sharedStrings.xml")
    put("zip_bomb.xlsx", "ใหญ่ผิดปกติ")
    (root / "zip_bomb.docx").write_bytes((root / "zip_bomb.xlsx").read_bytes())
    put("zip_bomb.docx", "ใหญ่ผิดปกติ")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    put("password.xlsx", "รหัสผ่าน", ole + b"\0" * 1024 + "EncryptedPackage".encode("utf-16-le"))
    put("old_format_xls.xlsx", ".xls", ole + b"\0" * 2048)
    not_a_book = io.BytesIO()
    with zipfile.ZipFile(not_a_book, "w") as z:
        z.writestr("hello.txt", "สวัสดี")
    put("zip_not_workbook.xlsx", "เสียหาย", not_a_book.getvalue())
    put("zip_not_document.docx", "เสียหาย", not_a_book.getvalue())
    text = json.dumps(_plan_json([{"code": "1", "kind": "issue", "title_th": "ประเด็น"}]), ensure_ascii=False)
    put("utf16_without_bom.json", "ไม่มีเครื่องหมาย BOM", text.encode("utf-16-le"))
    put("utf16_bom_bad_content.json", "ไม่ใช่รูปแบบแผนของ OnePlan",
        "\ufeff".encode("utf-16-le") + json.dumps({"format": "x"}).encode("utf-16-le"))
    put("nested_10000_lists.json", "ซ้อนกันลึกเกินไป",
        ('{"format": "oneplan-plan/1", "plan": ' + "[" * 10_000 + "]" * 10_000 + ', "elements": []}').encode())
    chain = [{"code": str(i), "parent": str(i - 1) if i else None, "kind": "issue", "title_th": f"ชั้นที่ {i}"}
             for i in range(10_000)]
    put("parent_chain_10000.json", "ลำดับชั้นลึก 21 ชั้น", json.dumps(_plan_json(chain), ensure_ascii=False).encode())
    put("binary_garbage.txt", "ข้อมูลไบนารี", bytes(range(256)) * 64)
    put("one_huge_line.txt", "ย่อหน้าที่ 1 ยาว 1,000,011 ตัวอักษร", ("วิสัยทัศน์ " + "ก" * 1_000_000).encode())
    return cases


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    cases = _generated(root)
    assert sorted(cases) == GENERATED_NAMES
    return root, cases


GENERATED_NAMES = sorted([   # what _generated builds (the fixture checks the two agree)
    "cell_at_xfd1048576.xlsx", "row_60001.xlsx", "zip_bomb.xlsx", "zip_bomb.docx", "password.xlsx",
    "old_format_xls.xlsx", "zip_not_workbook.xlsx", "zip_not_document.docx", "utf16_without_bom.json",
    "utf16_bom_bad_content.json", "nested_10000_lists.json", "parent_chain_10000.json", "binary_garbage.txt",
    "one_huge_line.txt"])
CASES = sorted(EXPECTED) + GENERATED_NAMES


@pytest.fixture
def case(request, generated):
    name = request.param
    if name in EXPECTED:
        return CORPUS / name, EXPECTED[name]
    root, expected = generated
    return root / name, expected[name]


def run_cli(path: Path, *args) -> str:
    """The import command fails with CommandError (not a traceback) and says why in Thai."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="ไม่มีการบันทึกข้อมูลใด ๆ"):
        call_command(COMMANDS[path.suffix], str(path), *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_hostile_file_is_refused_everywhere_and_nothing_is_written(case, client, demo_editor):
    path, expected = case
    before = table_counts()
    for args in (["--dry-run"], [], ["--json"]):
        output = run_cli(path, *args)
        assert expected in output, output[:2000]
        assert "Traceback" not in output
        assert table_counts() == before

    client.force_login(demo_editor)
    with open(path, "rb") as fh:
        upload = client.post(reverse("transfer:upload"), {"file": fh})
    if upload.status_code == 400:   # refused by the upload form already (an empty file)
        assert expected in html.unescape(upload.content.decode())
        assert table_counts() == before
        return
    assert upload.status_code == 302, upload.content.decode()[:500]
    token = upload.url.rstrip("/").split("/")[-1]
    assert client.get(reverse("transfer:preview", args=[token])).status_code == 200
    preview = client.get(reverse("transfer:preview_result", args=[token]))
    assert preview.status_code == 200
    page = html.unescape(preview.content.decode())
    assert expected in page
    assert reverse("transfer:confirm", args=[token]) not in page       # no confirm button

    confirm = client.post(reverse("transfer:confirm", args=[token]))   # posted anyway
    assert confirm.status_code in (302, 403)
    if confirm.status_code == 302:
        assert confirm.url == reverse("transfer:preview", args=[token])  # back to the problems, not to a plan
    assert table_counts() == before


@pytest.mark.parametrize("name", ["truncated.json", "nul_in_title.json", "renamed_text.xlsx", "not_a_zip.docx"])
def test_oneplan_command_exits_non_zero_with_the_thai_message_and_no_traceback(name, capsys, monkeypatch):
    from django.core.management import base

    from oneplan.cli import main

    # a command that fails closes every database connection (Django's run_from_argv); the test's own
    # connection holds the test transaction, which PostgreSQL would lose
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    before = table_counts()
    command = {".json": "import-json", ".xlsx": "import-excel", ".docx": "import-text"}[Path(name).suffix]
    with pytest.raises(SystemExit) as exit_:
        main(["oneplan", command, str(CORPUS / name), "--dry-run"])
    captured = capsys.readouterr()
    assert exit_.value.code != 0
    assert EXPECTED[name] in captured.err and "Traceback" not in captured.err
    assert table_counts() == before
