from django.core.management.base import BaseCommand

from ._transfer import add_common, run_import


class Command(BaseCommand):
    help = "Import a plan from OnePlan JSON (oneplan-plan/1); replaces the plan with the same key."

    def add_arguments(self, parser):
        add_common(parser, plan=False, owner=False)

    def handle(self, *args, **options):
        run_import(self, options, "json")
