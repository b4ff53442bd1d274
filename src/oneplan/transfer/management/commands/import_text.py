from django.core.management.base import BaseCommand

from ._transfer import add_common, run_import


class Command(BaseCommand):
    help = "Import a provincial or LAO plan from plain text or .docx."

    def add_arguments(self, parser):
        add_common(parser, plan=True, owner=True)

    def handle(self, *args, **options):
        run_import(self, options, "text")
