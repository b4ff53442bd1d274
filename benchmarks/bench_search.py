"""Search, the plan list and the home page on PostgreSQL at one and at three generated provinces.

Each province is `oneplan generate-province` at full size (1 PAO, 100 LAOs, 50 agencies, 265 projects per
plan: ~40,000 projects), in a throwaway PostgreSQL server (measured in a child process, as bench_monitoring).
The generator (monitoring/generate.py) writes search_text as the normalised title without Thai word
splitting, which no search could match word by word; this benchmark re-derives search_text for the generated
elements with the tokens Element.prepare() writes (oneplan.core.thai.search_tokens), so the searches find
what they would find in real data.
Searches: through the GIN index over the element tokens (engine.words_condition) and, for comparison, the
LIKE '% word %' rule SQLite uses, run on the same PostgreSQL data. Median of REPEAT runs after a warm-up;
queries = database queries of one request.
"""
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROVINCES = ["30", "40", "50"]  # measured after the first and after the third
LAO, AGENCIES, PER_PLAN = 100, 50, int(os.environ.get("BENCH_SEARCH_PER_PLAN", "265"))
REPEAT = 5
QUERIES = [("common word", "ก่อสร้าง"), ("two words", "ก่อสร้าง ถนน"), ("rare word", "พิษสุนัขบ้า")]


def run():
    from oneplan.testing.pgserver import start_postgres, stop_postgres

    url = start_postgres()
    try:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "oneplan.settings"}
        subprocess.run([sys.executable, "-m", "benchmarks.bench_search"], env=env, check=True,
                       cwd=Path(__file__).resolve().parent.parent)
    finally:
        stop_postgres()


def _retokenize(prefix: str) -> int:
    """search_text of the generated elements as Element.prepare() writes it (one tokenization per distinct title)."""
    from django.db import connection

    from oneplan.core.thai import search_tokens
    from oneplan.plans.models import Element

    cache, rows = {}, []
    for pk, title_th, title_en in Element.objects.filter(plan__key__startswith=prefix).values_list(
            "pk", "title_th", "title_en"):
        text = f"{title_th} {title_en}"
        if text not in cache:
            cache[text] = " " + " ".join(search_tokens(text)) + " "
        rows.append((pk, cache[text]))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_tokens (id bigint PRIMARY KEY, search_text text)")
        cursor.executemany("INSERT INTO bench_tokens VALUES (%s, %s)", rows)
        cursor.execute("UPDATE plans_element e SET search_text = t.search_text FROM bench_tokens t WHERE e.id = t.id")
        cursor.execute("DROP TABLE bench_tokens")
    return len(rows)


def _measure(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, len(queries), result


def _child():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    import oneplan.organisations
    from benchmarks.table import print_table
    from oneplan.areas.loader import load_areas
    from oneplan.frameworks.loader import load_frameworks
    from oneplan.governance.locks import allow_published_changes
    from oneplan.monitoring.generate import generate_province
    from oneplan.organisations.loader import load_organisations
    from oneplan.plans.models import Element
    from oneplan.search import engine

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_areas(with_subdistricts=True)
    load_organisations(Path(oneplan.organisations.__file__).parent / "data" / "organisations.json")
    with allow_published_changes():  # as `oneplan load-reference` does
        load_frameworks()
    print(f"reference data loaded in {time.perf_counter() - started:.0f} s", flush=True)
    setup_test_environment()  # response.context for the counts shown
    client = Client()

    def page(url, params=None):
        def get():
            response = client.get(url, params or {})
            assert response.status_code == 200, (url, response.status_code)
            return response
        return get

    indexed = engine.words_condition

    def like(qs, words):
        return qs.filter(engine.like_condition(words))

    rows = []
    for n, code in enumerate(PROVINCES, start=1):
        started = time.perf_counter()
        generate_province(code, LAO, AGENCIES, PER_PLAN)
        _retokenize(f"gen-{code}-")
        print(f"province {code} generated and tokenized in {time.perf_counter() - started:.0f} s", flush=True)
        if n not in (1, len(PROVINCES)):
            continue
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        projects = Element.objects.filter(kind="project").count()
        scale = f"{n} ({projects:,} projects)"
        for label, q in QUERIES:
            for rule, condition in (("GIN index", indexed), ("LIKE (before)", like)):
                engine.words_condition = condition
                try:
                    ms, queries, response = _measure(page("/search/", {"q": q}))
                finally:
                    engine.words_condition = indexed
                rows.append([scale, f"search {label} “{q}”, {rule}", f"{ms:.0f}", queries,
                             f"{response.context['count']:,} results; {len(response.content) // 1024} KB"])
        for label, url in (("plan list", "/plans/"), ("home page", "/")):
            ms, queries, response = _measure(page(url))
            rows.append([scale, label, f"{ms:.0f}", queries,
                         f"{response.context['page'].paginator.count:,} plans, a page shown; "
                         f"{len(response.content) // 1024} KB"])
    print_table(["provinces", "request", "median ms", "queries", "notes"], rows)


if __name__ == "__main__":
    _child()
