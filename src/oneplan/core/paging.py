"""Every list that grows with the country is shown a page at a time: one rule for all of them.

    page = paged(request, queryset)                      # ?page=N
    page = paged(request, orgs, param="org_page")        # a second list on the same page
    {% load paging %}{% pager page %} / {% pager page "org_page" %}

The paginator's count is the list's count: a view shows `page.paginator.count` rather than counting again.
"""
from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def paged(request, items, per_page: int | None = None, param: str = "page") -> Page:
    """The requested page of `items` (a queryset or list); a page number out of range gives the nearest page."""
    return Paginator(items, per_page or PAGE_SIZE).get_page(request.GET.get(param))


def paged_sorted(request, queryset, fields: tuple[str, ...], key, *, select_related: tuple[str, ...] = (),
                 per_page: int | None = None, param: str = "page") -> Page:
    """A page of `queryset` in an order SQL cannot give (Thai dictionary order: thai_sort_key). Only `fields`
    of every row are read and sorted (`key` takes them in order); the page's rows are then read in full."""
    order = [row[0] for row in sorted(queryset.values_list("pk", *fields), key=lambda row: key(*row[1:]))]
    page = paged(request, order, per_page=per_page, param=param)
    rows = queryset.model._default_manager.select_related(*select_related).in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list]
    return page
