from django.core.management.base import BaseCommand, CommandError

from oneplan.transfer import exports
from oneplan.transfer.target import find_plan


class Command(BaseCommand):
    help = "Export a plan: json (full fidelity), csv (open data), xlsx-p01, xlsx-p02, xlsx-yt01."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="รหัส key หรือเลข id ของแผน")
        parser.add_argument("--format", required=True, choices=sorted(exports.FORMATS))
        parser.add_argument("--output", required=True, help="ไฟล์ที่จะเขียน (- = หน้าจอ)")

    def handle(self, *args, **options):
        plan = find_plan(options["plan"])
        if plan is None:
            raise CommandError(f"ไม่พบแผน “{options['plan']}”")
        data = exports.export(plan, options["format"])
        if options["output"] == "-":
            self.stdout.write(data.decode("utf-8-sig"))
            return
        with open(options["output"], "wb") as fh:
            fh.write(data)
        self.stderr.write(f"เขียน {options['output']} ({len(data):,} ไบต์)")
