"""Thai full-text search over plan elements: the query is word-segmented the same way element
titles are (pythainlp), and every query word must match a whole word of the element.

Element.search_text holds the element's tokens as " word word " (oneplan.core.thai.search_tokens).
- SQLite: every word as LIKE '% word %' (a scan; SQLite is for a laptop or a province, not the country).
- PostgreSQL: the tokens as an array, oneplan_search_tokens(search_text) = string_to_array(btrim(search_text),
  ' '), with a GIN index over that expression (migration search/0001, which says why it is a function): `tokens @> ARRAY[query words]` is "every word is a token", exactly
  what the LIKE answers, found through the index. The words are a bound array parameter, so whatever is typed
  (quotes, & | ! :* parentheses) is only ever a word to look for, never query syntax. to_tsvector('simple', …)
  is not used: PostgreSQL's text-search parser splits tokens again at punctuation ('ร.ร.' becomes 'ร', 'ร';
  'covid-19' becomes 'covid', '-19'; '2,000' becomes '2', '000'), so "ร" would find 'ร.ร.' on PostgreSQL
  and not on SQLite; the array keeps the tokenizer's words as they are.
A Latin word may instead be the element's code (code iexact: "V", "05"); on PostgreSQL that branch uses the
UPPER(code) index of the same migration.
"""
from django.db import connections
from django.db.models import Func, Q, TextField

from oneplan.core.thai import normalise, tokenize
from oneplan.plans.models import Element

# the expression the GIN index is built over (search/migrations/0001): keep the two the same
TOKENS_SQL = "oneplan_search_tokens(%(expressions)s)"


class Tokens(Func):
    """An element's search tokens as a text[] (PostgreSQL only)."""
    template = TOKENS_SQL

    def __init__(self, expression, **extra):
        from django.contrib.postgres.fields import ArrayField

        super().__init__(expression, output_field=ArrayField(TextField()), **extra)


def query_words(query: str) -> list[str]:
    """The query's words as the index holds them (segmented, lower-cased), each once, in the order typed."""
    return list(dict.fromkeys(w for w in tokenize(query) if w.strip()))


def words_condition(qs, words: list[str]):
    """`qs` narrowed to the elements where every word is a whole token of the title or is the element's code."""
    if connections[qs.db].vendor == "postgresql":
        # ∀w (token w ∨ code≅w) rewritten as: all are tokens, or one word is the code and the others are tokens
        # (an element has one code), so each branch is an index scan (GIN over tokens, btree over UPPER(code))
        qs = qs.alias(search_tokens=Tokens("search_text"))
        condition = Q(search_tokens__contains=words)
        for w in words:
            others = [o for o in words if o != w]
            condition |= Q(code__iexact=w, search_tokens__contains=others) if others else Q(code__iexact=w)
        return qs.filter(condition)
    return qs.filter(like_condition(words))


def like_condition(words: list[str]) -> Q:
    """The same rule as LIKE (SQLite's path; on PostgreSQL only to check the indexed path against it)."""
    condition = Q()
    for w in words:
        # a whole token, or the code for Latin words/codes that the segmenter keeps whole
        condition &= Q(search_text__contains=f" {w} ") | Q(code__iexact=w)
    return condition


def search_elements(query: str, *, plans=None, kind: str = "", area=None, organisation=None):
    words = query_words(query)
    # a nominalised query word ('การท่องเที่ยว') is indexed whole, so it matches as written
    if not words:
        return Element.objects.none(), []
    qs = words_condition(Element.objects.select_related("plan", "plan__owner"), words)
    if plans is not None:
        qs = qs.filter(plan__in=plans)
    if kind:
        qs = qs.filter(kind=kind)
    if area is not None:
        qs = qs.filter(Q(plan__area=area) | Q(plan__area__parent=area) | Q(plan__area__parent__parent=area))
    if organisation is not None:
        qs = qs.filter(plan__owner=organisation)
    return qs.order_by("plan__kind", "plan__title_th", "order"), words


def highlight_terms(query: str) -> list[str]:
    return [w for w in tokenize(query) if len(w) > 1] or [normalise(query)]


PLACE_RESULTS = 8


def all_words_q(fields, words: list[str]) -> Q:
    """Every query word in one of the fields (names are short: a substring match is what people expect)."""
    condition = Q()
    for w in words:
        either = Q()
        for f in fields:
            either |= Q(**{f"{f}__icontains": w})
        condition &= either
    return condition


def search_places(query: str, *, plans) -> dict[str, list]:
    """Plans, organisations and areas whose names hold every query word: shown above the elements, so
    "ภูเก็ต" finds the province, its plans and its organisations first. Plans only among `plans` (what
    the user may see). Exact names first, then Thai dictionary order."""
    from oneplan.areas.models import Area, AreaKind
    from oneplan.core.thai import thai_sort_key
    from oneplan.organisations.models import Organisation
    from oneplan.plans.models.plans import PLAN_LEVEL

    words = [normalise(w) for w in query.split() if w.strip()]
    if not words:
        return {"plans": [], "organisations": [], "areas": []}
    exact = normalise(query)
    found_plans = list(plans.filter(all_words_q(("title_normalised", "title_en"), words))
                       .select_related("owner")[:200])
    found_plans.sort(key=lambda p: (PLAN_LEVEL.get(p.kind, 3), thai_sort_key(p.title_th)))
    orgs = list(Organisation.objects.filter(all_words_q(("name_th", "name_en"), words)).select_related("area")[:200])
    orgs.sort(key=lambda o: (normalise(o.name_th) != exact, thai_sort_key(o.name_th)))
    order = {k: i for i, k in enumerate((AreaKind.PROVINCE, AreaKind.REGION, AreaKind.CLUSTER, AreaKind.DISTRICT,
                                         AreaKind.SUBDISTRICT))}
    areas = list(Area.objects.filter(all_words_q(("name_th", "name_en"), words)).select_related("parent")[:200])
    areas.sort(key=lambda a: (normalise(a.name_th) != exact, order.get(a.kind, 9), thai_sort_key(a.name_th)))
    return {"plans": found_plans[:PLACE_RESULTS], "organisations": orgs[:PLACE_RESULTS], "areas": areas[:PLACE_RESULTS]}
