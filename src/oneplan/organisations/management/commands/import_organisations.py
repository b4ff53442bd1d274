import json

from django.core.management.base import BaseCommand, CommandError

from oneplan.organisations.registry import commit_registry, read_registry


class Command(BaseCommand):
    help = ("Import the local government registry (CSV/Excel in the DLA layout: code, name, kind, province, "
            "district, subdistrict): oneplan import-organisations FILE [--dry-run] [--json]")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="แสดงสิ่งที่จะสร้าง/แก้ไข/ข้าม โดยไม่บันทึก")
        parser.add_argument("--json", action="store_true", help="พิมพ์ผลเป็น JSON")

    def handle(self, *args, file, dry_run, json: bool, **options):
        result = read_registry(file, filename=file)
        committed = result.ok and not dry_run and commit_registry(result)
        out = result.describe(committed=committed)
        if json:
            self.stdout.write(_json(out))
        else:
            self._human(out, dry_run)
        if not result.ok:
            raise CommandError(f"นำเข้าทะเบียนไม่สำเร็จ: พบปัญหา {len(result.errors)} รายการ ไม่มีการบันทึกข้อมูลใด ๆ")

    def _human(self, out, dry_run):
        for w in out["warnings"]:
            self.stderr.write(f"คำเตือน: {w['text']}")
        for e in out["errors"]:
            self.stderr.write(f"ผิดพลาด: {e['text']}")
        verb = "จะ" if dry_run or not out["ok"] else ""
        for label, key in (("สร้าง", "created"), ("แก้ไข", "updated"), ("ข้าม (มีอยู่แล้ว)", "skipped")):
            for r in out[key]:
                self.stdout.write(f"{verb}{label}: แถวที่ {r['row']} {r['name_th']} ({r['abbreviation']}) {r['area']}")
        c = out["counts"]
        self.stdout.write(f"{verb}สร้าง {c['create']} แก้ไข {c['update']} ข้าม {c['skip']} รายการ"
                          + (" [ทดลอง ไม่ได้บันทึก]" if dry_run else ""))


def _json(out):
    return json.dumps(out, ensure_ascii=False, indent=2)
