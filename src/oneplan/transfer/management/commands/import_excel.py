from django.core.management.base import BaseCommand

from ._transfer import add_common, run_import


class Command(BaseCommand):
    help = "Import a LAO plan from Excel forms (ผ.02, ผ.02/1, ผ.02/2, ผ.03, ผ.01)."

    def add_arguments(self, parser):
        add_common(parser, plan=True, owner=True)

    def handle(self, *args, **options):
        run_import(self, options, "excel")
