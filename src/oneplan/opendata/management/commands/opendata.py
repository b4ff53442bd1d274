from django.core.management.base import BaseCommand, CommandError

from oneplan.areas.models import Area
from oneplan.opendata import build as packages


class Command(BaseCommand):
    help = "Build the open-data packages (CSV + datapackage.json): the whole country (TH), a province, or all"

    def add_arguments(self, parser):
        parser.add_argument("scope", nargs="?", default=packages.COUNTRY,
                            help="TH (whole country, default), a province code such as 83, or 'all'")

    def handle(self, *args, scope, **options):
        scopes = ([packages.COUNTRY, *Area.objects.filter(kind="province").order_by("code")
                   .values_list("code", flat=True)] if scope == "all" else [scope])
        for i, code in enumerate(scopes, start=1):
            try:
                done = packages.build(code)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"[{i}/{len(scopes)}] {code}: {done['bytes']:,} ไบต์ → {done['path']}")
