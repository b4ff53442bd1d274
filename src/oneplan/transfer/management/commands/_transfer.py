"""Shared by import_excel, import_text and import_json: read, preview, commit (or not), report."""
import json

from django.core.management.base import CommandError

from oneplan.transfer import services


def add_common(parser, *, plan=True, owner=True):
    parser.add_argument("file")
    if plan:
        parser.add_argument("--plan", help="แผนที่จะนำเข้า (รหัส key หรือเลข id)")
    if owner:
        parser.add_argument("--owner", help="รหัสหน่วยงานเจ้าของแผน (organisation key)")
    parser.add_argument("--dry-run", action="store_true", help="แสดงสิ่งที่จะสร้าง/แก้ไข โดยไม่บันทึก")
    parser.add_argument("--json", action="store_true", help="พิมพ์ผลเป็น JSON")


def run_import(command, options, kind):
    result = services.read_file(options["file"], kind=kind, plan=options.get("plan"),
                                owner=options.get("owner"))
    pv = services.preview(result)
    report = services.commit(result, dry_run=options["dry_run"])
    out = services.describe(pv, committed=bool(report) and not options["dry_run"], report=report)
    if options["json"]:
        command.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print_human(command, out, options["dry_run"])
    if out["errors"] or not result.ok:
        raise CommandError(f"นำเข้าไม่สำเร็จ: พบปัญหา {len(result.errors)} รายการ ไม่มีการบันทึกข้อมูลใด ๆ")


def _print_human(command, out, dry_run):
    for w in out["warnings"]:
        command.stderr.write(f"คำเตือน: {w['text']}")
    for e in out["errors"]:
        command.stderr.write(f"ผิดพลาด: {e['text']}")
    for line in out.get("creates", []):
        command.stdout.write(line if dry_run or out["errors"] else line.replace("จะสร้าง", "สร้าง", 1))
    if out["plan"]:
        c = out["counts"]
        verb = "จะ" if dry_run or out["errors"] else ""
        command.stdout.write(f"{out['plan']['title_th']} ({out['plan']['key']}): {verb}สร้าง {c['created']} "
                             f"แก้ไข {c['updated']} ลบ {c['removed']} ไม่เปลี่ยน {c['unchanged']} รายการ"
                             + (" [ทดลอง ไม่ได้บันทึก]" if dry_run else ""))
