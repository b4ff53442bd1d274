"""{% pager page %}: previous/next links and "หน้า X จาก Y" under a paged list; the links keep every other
query parameter (the list's filters), so moving between pages never drops a filter."""
from django import template
from django.http import QueryDict

register = template.Library()


@register.inclusion_tag("core/_pager.html", takes_context=True)
def pager(context, page, param: str = "page"):
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)

    def link(number: int) -> str:
        query[param] = str(number)
        return "?" + query.urlencode()

    return {"page": page,
            "previous_url": link(page.previous_page_number()) if page.has_previous() else "",
            "next_url": link(page.next_page_number()) if page.has_next() else ""}
