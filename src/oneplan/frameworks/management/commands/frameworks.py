"""`oneplan frameworks list` and `oneplan frameworks export CODE --format csv|json` (open data)."""
import csv
import io
import json

from django.core.management.base import BaseCommand, CommandError

from oneplan.core import excel
from oneplan.frameworks import registry
from oneplan.frameworks.export import COLUMNS, framework_rows


class Command(BaseCommand):
    help = "List the reference frameworks or export one as open data (CSV or JSON)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="list framework codes")
        export = sub.add_parser("export", help="export one framework")
        export.add_argument("code")
        export.add_argument("--format", choices=["csv", "json"], default="csv")
        export.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        if options["action"] == "list":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(["code", "title_th", "title_en", "editions", "elements"])
            for fw in registry.FRAMEWORKS:
                from oneplan.plans.models import Plan

                plans = Plan.objects.filter(framework=fw.code)
                count = sum(p.elements.count() for p in plans)
                writer.writerow(excel.csv_row([fw.code, fw.title_th, fw.title_en, plans.count(), count]))
            self.stdout.write(buffer.getvalue(), ending="")
            return
        try:
            rows = framework_rows(options["code"])
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        buffer = io.StringIO()
        if options["format"] == "json":
            json.dump(rows, buffer, ensure_ascii=False, indent=1)
            buffer.write("\n")
        else:
            writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(excel.csv_dict(row) for row in rows)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                out.write(buffer.getvalue())
        else:
            self.stdout.write(buffer.getvalue(), ending="")
