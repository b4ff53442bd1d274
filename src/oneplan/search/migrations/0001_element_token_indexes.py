"""PostgreSQL indexes for element search (SQLite keeps LIKE over search_text and gets nothing here).

- a GIN index over the element's word tokens as an array: oneplan_search_tokens(search_text), which is
  string_to_array(btrim(search_text), ' '). search_text is " word word " (oneplan.core.thai.search_tokens), so
  the array holds exactly the tokens LIKE '% w %' matches whole; `tokens @> ARRAY[...]` is "every query word
  is a token" (engine.py). The expression is a PL/pgSQL function declared costly (COST 1000) rather than
  the bare built-ins: PostgreSQL costs string_to_array as nearly free, so for a common word (a sixth of all
  elements) it chose a sequential scan that split every row's text (0.7 s at one province, measured); priced
  honestly, the index is used for every word. PL/pgSQL, not SQL, so the planner does not inline it away.
- a btree index over UPPER(code), the expression Django's code__iexact compares, so the Latin-code branch
  of a search (an element whose code is one of the query words) is an index scan too.

The expressions must stay the same as engine.TOKENS_SQL and Django's iexact, or the planner will not use them.
"""
from django.db import migrations

FUNCTION = """CREATE OR REPLACE FUNCTION oneplan_search_tokens(search_text text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000
AS $body$ BEGIN RETURN string_to_array(btrim(search_text), ' '); END $body$"""

INDEXES = {
    "element_search_tokens_gin":
        "CREATE INDEX IF NOT EXISTS element_search_tokens_gin ON plans_element "
        "USING gin (oneplan_search_tokens(search_text))",
    "element_code_upper":
        "CREATE INDEX IF NOT EXISTS element_code_upper ON plans_element (UPPER(code))",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for sql in INDEXES.values():
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS oneplan_search_tokens(text)")


class Migration(migrations.Migration):
    dependencies = [("plans", "0005_verbose_names")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
