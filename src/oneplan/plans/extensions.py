"""Feature apps add buttons to plan and element pages without editing this app: an AppConfig may
declare `plan_actions = [(url_name, label)]` and `element_actions = [(url_name, label)]`; each URL
takes the plan's (or element's) pk. `plan_panels = [url_name]` / `element_panels = [url_name]`
name HTML fragments the page loads with htmx (hx-trigger="load") under the tree."""
from django.apps import apps
from django.urls import NoReverseMatch, reverse


def _actions(attr: str, pk: int):
    found = []
    for config in apps.get_app_configs():
        for url_name, label in getattr(config, attr, []):
            try:
                found.append({"url": reverse(url_name, args=[pk]), "label": label})
            except NoReverseMatch:
                continue
    return found


def plan_actions(plan):
    return _actions("plan_actions", plan.pk)


def element_actions(element):
    return _actions("element_actions", element.pk)


def plan_panels(plan):
    return _panel_urls("plan_panels", plan.pk)


def element_panels(element):
    return _panel_urls("element_panels", element.pk)


def _panel_urls(attr: str, pk: int) -> list[str]:
    urls = []
    for config in apps.get_app_configs():
        for url_name in getattr(config, attr, []):
            try:
                urls.append(reverse(url_name, args=[pk]))
            except NoReverseMatch:
                continue
    return urls
