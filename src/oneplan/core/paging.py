"""Every list that grows with the country is shown a page at a time: one rule for all of them.

    page = paged(request, queryset)                      # ?page=N
    page = paged(request, orgs, param="org_page")        # a second list on the same page
    {% load paging %}{% pager page %} / {% pager page "org_page" %}

The paginator's count is the list's count: a view shows `page.paginator.count` rather than counting again.
"""
from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def paged(request, items, per_page: int = PAGE_SIZE, param: str = "page") -> Page:
    """The requested page of `items` (a queryset or list); a page number out of range gives the nearest page."""
    return Paginator(items, per_page).get_page(request.GET.get(param))
