from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse


def _nav_extra(user):
    """Menu entries that feature apps declare on their AppConfig as `nav_items = [(url_name, label)]`;
    a third element `True` marks a page only signed-in users can use, so visitors are not shown it."""
    items = []
    signed_in = bool(user and user.is_authenticated)
    for config in apps.get_app_configs():
        for url_name, label, *rest in getattr(config, "nav_items", []):
            needs_login = bool(rest and rest[0])
            if needs_login and not signed_in:
                continue
            try:
                items.append({"url": reverse(url_name), "label": label})
            except NoReverseMatch:
                continue
    return items


def oneplan(request):
    return {"ONEPLAN_LANGUAGES": settings.LANGUAGES, "nav_extra": _nav_extra(getattr(request, "user", None))}
