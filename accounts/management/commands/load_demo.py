from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Loads the demo data of every app (settings.DEMO_LOADERS); running it again changes nothing."

    def handle(self, *args, **options):
        with transaction.atomic():
            for dotted in settings.DEMO_LOADERS:
                if find_spec(dotted.rsplit(".", 1)[0]) is None:
                    continue  # an app without demo data yet
                import_string(dotted)(stdout=self.stdout)
