from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse


def _nav_extra():
    """Menu entries that feature apps declare on their AppConfig as `nav_items = [(url_name, label)]`."""
    items = []
    for config in apps.get_app_configs():
        for url_name, label in getattr(config, "nav_items", []):
            try:
                items.append({"url": reverse(url_name), "label": label})
            except NoReverseMatch:
                continue
    return items


def oneplan(request):
    return {"ONEPLAN_LANGUAGES": settings.LANGUAGES, "nav_extra": _nav_extra()}
