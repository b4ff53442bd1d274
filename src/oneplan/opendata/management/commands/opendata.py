from django.core.management.base import BaseCommand, CommandError

from oneplan.areas.models import Area
from oneplan.opendata import build as packages
from oneplan.opendata.jobs import start_build


class Command(BaseCommand):
    help = ("Build the open-data packages (CSV + datapackage.json): the whole country (TH), a province, or all. "
            "Queued for `oneplan worker` unless --now")

    def add_arguments(self, parser):
        parser.add_argument("scope", nargs="?", default=packages.COUNTRY,
                            help="TH (whole country, default), a province code such as 83, or 'all'")
        parser.add_argument("--now", action="store_true", help="build here and now instead of queueing jobs")

    def handle(self, *args, scope, now, **options):
        scopes = ([packages.COUNTRY, *Area.objects.filter(kind="province").order_by("code")
                   .values_list("code", flat=True)] if scope == "all" else [scope])
        for i, code in enumerate(scopes, start=1):
            try:
                if now:
                    done = packages.build(code)
                    self.stdout.write(f"[{i}/{len(scopes)}] {code}: {done['bytes']:,} ไบต์ → {done['path']}")
                else:
                    job = start_build(code)
                    self.stdout.write(f"[{i}/{len(scopes)}] {code}: งาน {job.pk} ({job.get_status_display()})")
            except ValueError as exc:
                raise CommandError(str(exc)) from None
