"""Who may read and who may write, for every URL of the project × every demo role, anonymous and a
superuser (the "trust" issue).

The matrix below is data: for each URL name, which demo objects to build its arguments from, who
gets the page (GET answers 200) and who may write (POST is not refused). Everyone else must be
refused — redirected to the login page, 403 or 404 — and a refused POST must leave every watched
row as it was. Every page that does answer 200 must not contain the marker word of any plan the
role may not see (drafts, plans before a committee), so lists, search, budget views and framework
pages are checked for leaks too. A URL pattern without an entry fails the suite.

Expected readers and writers are written out here from the rules of the trade, not computed from
plans/rules.py: where the code disagrees, the case fails (or is an xfail naming the predicate).
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from oneplan.testing.matrix import (
    LAO_PLANS,
    PROVINCIAL_PLANS,
    REGISTRY_TOKEN,
    ROLES,
    UPLOAD_TOKEN,
    build_world,
    marker,
    search_word,
    session_registry_upload,
    session_upload,
    snapshot,
)

# ---------------------------------------------------------------- who is who

ALL = frozenset(ROLES)
LOGGED_IN = ALL - {"anonymous"}
NOBODY = frozenset()
SU = frozenset({"superuser"})
OWNER = frozenset({"demo-editor", "demo-mayor"})                      # เทศบาลตำบลเชิงทะเล
CT_EDITOR = frozenset({"demo-editor"}) | SU
# The provincial office of Phuket reviews the plans of the LAOs in the province; any member of the
# office is a reviewer (plans.rules.is_provincial_reviewer), the moderator included.
PROVINCE = frozenset({"demo-province", "demo-moderator"})
PROVINCE_EDITOR = frozenset({"demo-province"}) | SU
PLAN_EDITORS = frozenset({"demo-editor", "demo-province"}) | SU        # plans.add_plan: an editor somewhere
# demo-province is also the province administrator of Phuket (organisations.onboarding)
ADMINS = frozenset({"demo-province"}) | SU

# Who may see each plan of the world (by status; see testing/matrix.py for the plans).
NOT_PUBLIC = OWNER | PROVINCE | SU
PLAN_READERS = {
    "draft": NOT_PUBLIC, "revision": NOT_PUBLIC, "returned": NOT_PUBLIC,
    "consultation": ALL, "in_force": ALL, "superseded": ALL,
    # before / after the local development committee (demo-localdev is its secretary)
    "submitted": NOT_PUBLIC | {"demo-localdev"}, "approved": NOT_PUBLIC | {"demo-localdev"},
    # Phuket provincial plans: before ก.บ.จ.; before ก.น.บ. after ก.บ.จ. approved it
    "kbj": PROVINCE | {"demo-kbj"} | SU, "knb": PROVINCE | {"demo-kbj", "demo-knb"} | SU,
}
HIDDEN = tuple(k for k, readers in PLAN_READERS.items() if readers != ALL)
# The workflow history and audit trail are not public even for a public plan.
HISTORY_READERS = {k: (NOT_PUBLIC if readers == ALL else readers) for k, readers in PLAN_READERS.items()}
EDITABLE = ("draft", "revision", "returned")
# Content (elements, links, plan fields, imports): the owner's editors, only while the plan is editable.
CONTENT_WRITERS = {k: (CT_EDITOR if k in EDITABLE else NOBODY) for k in PLAN_READERS}
# Monitoring and consultation work goes on after a plan is frozen (results, rounds, hearings).
OWNER_EDITORS = {**{k: CT_EDITOR for k in LAO_PLANS}, **{k: PROVINCE_EDITOR for k in PROVINCIAL_PLANS}}
MONITORS = {**{k: OWNER | SU for k in LAO_PLANS}, **{k: PROVINCE | SU for k in PROVINCIAL_PLANS}}

# Workflow steps: (action, state the plan is in, who takes it). The superuser is not an actor.
STEPS = {
    "draft": ("open_consultation", "draft", frozenset({"demo-editor"})),
    "submitted": ("return_local_dev", "local_dev", frozenset({"demo-localdev"})),
    "kbj": ("return_kbj", "kbj", frozenset({"demo-kbj"})),
    "knb": ("return_knb", "knb", frozenset({"demo-knb"})),
    "in_force": ("open_consultation", "in_force", NOBODY),   # no step leaves an announced plan here
}

# ---------------------------------------------------------------- the matrix


@dataclass(frozen=True)
class Entry:
    """One URL name. `read` / `write` are a role set, or a dict {object key: role set}."""
    objects: tuple = (None,)
    kwargs: Callable | None = None           # (world, object key) → URL kwargs
    read: object = NOBODY                    # who gets `ok` on GET (None: no GET, the URL takes POST only)
    write: object = None                     # who may POST (None: not a write URL)
    query: object = ""                       # query string, or (world, key) → query string
    data: Callable | None = None             # (world, key) → POST data
    ok: int = 200                            # the answer a reader gets
    refused: tuple = ()                      # extra refusal statuses for logged-in users (besides 403/404)
    xfail: dict | None = None                # {(object key, role, method): reason} known to fail


def plan(w, k):
    return {"pk": w.plans[k].pk}


def element(kind):
    return lambda w, k: {"pk": w.elements[k][kind].pk}


def obj(name, attr="pk", arg="pk"):
    return lambda w, k: {arg: getattr(w.objects[name], attr)}


def fixed(**kw):
    return lambda w, k: kw


def obj_key(arg="pk"):
    """The object of the case's own key (world.objects[key])."""
    return lambda w, k: {arg: w.objects[k].pk}


def on(spec: dict, keys):
    return {k: spec[k] for k in keys}


JOB_READERS = {"job_editor": frozenset({"demo-editor"}) | SU, "job_public": ALL,
               "job_editor_pdf": frozenset({"demo-editor"}) | SU, "job_public_pdf": ALL}
ALL_PLANS = tuple(PLAN_READERS)
SOME_PLANS = ("draft", "submitted", "in_force", "kbj")   # one per kind of reader set
WRITE_PLANS = ("draft", "returned", "submitted", "in_force")         # editable and frozen
MONITOR_PLANS = ("draft", "in_force", "kbj")

MATRIX: dict[str, Entry] = {
    # ---- core, accounts
    "home": Entry(read=ALL),
    "readyz": Entry(read=ALL),
    "healthz": Entry(read=ALL),
    "login": Entry(read=ALL),
    "logout": Entry(read=None, write=ALL),                      # logging out changes nothing of anyone's data
    "governance:login": Entry(read=ALL),
    "governance:password_change": Entry(read=LOGGED_IN, write=LOGGED_IN),
    "governance:password_change_done": Entry(read=LOGGED_IN),
    # ---- areas, organisations, frameworks, search: public lists that must not leak drafts
    "areas:index": Entry(read=ALL),
    "areas:detail": Entry(objects=("830303", "83"), kwargs=lambda w, k: {"code": k}, read=ALL),
    "organisations:list": Entry(read=ALL),
    # ---- onboarding: the province administrator's pages (Phuket); every write is in their province
    "organisations:manage": Entry(read=ADMINS),
    "organisations:register": Entry(read=ADMINS, ok=302, write=ADMINS,
                                    data=lambda w, k: {"province": "83", "name": "อบต.ไม้ขาว", "district": "ถลาง",
                                                       "subdistrict": "ไม้ขาว"}),
    "organisations:registry_upload": Entry(read=None, write=ADMINS, data=lambda w, k: {"province": "83"}),
    # every signed-in user has the same registry file waiting in their session
    "organisations:registry_preview": Entry(kwargs=fixed(token=REGISTRY_TOKEN), read=ADMINS),
    "organisations:registry_confirm": Entry(kwargs=fixed(token=REGISTRY_TOKEN), read=None, write=ADMINS),
    "organisations:invite": Entry(read=None, write=ADMINS,
                                  data=lambda w, k: {"province": "83", "organisation": "choeng-thale-municipality",
                                                     "role": "viewer", "days": "7"}),
    "organisations:grant": Entry(read=None, write=ADMINS,
                                 data=lambda w, k: {"province": "83", "organisation": "choeng-thale-municipality",
                                                    "role": "viewer", "username": "demo-viewer"}),
    "organisations:revoke": Entry(kwargs=obj("membership"), read=None, write=ADMINS),
    "organisations:handover": Entry(read=ADMINS, ok=302, write=ADMINS,
                                    data=lambda w, k: {"province": "83", "officer": "demo-viewer",
                                                       "successor": "demo-moderator"}),
    # an invitation is a bearer code: whoever has it may use it (once)
    "organisations:redeem": Entry(read=ALL, write=ALL, data=lambda w, k: {"code": "AAAA-BBBB-CCCC"}),
    "organisations:accept": Entry(kwargs=lambda w, k: {"code": w.objects["invitation_code"]}, read=ALL,
                                  write=ALL),
    # forgotten passwords: public pages; a reset link that is not valid shows a Thai message
    "governance:password_reset": Entry(read=ALL, write=ALL, data=lambda w, k: {"email": "nobody@example.org"}),
    "governance:password_reset_done": Entry(read=ALL),
    "governance:password_reset_confirm": Entry(kwargs=fixed(uidb64="MQ", token="set-password"), read=ALL),
    "governance:password_reset_complete": Entry(read=ALL),
    "organisations:detail": Entry(objects=("choeng-thale-municipality", "phuket-provincial-office"),
                                  kwargs=lambda w, k: {"key": k}, read=ALL),
    "frameworks:list": Entry(read=ALL),
    "frameworks:export": Entry(objects=("json", "csv"), kwargs=lambda w, k: {"code": "master-plans", "fmt": k},
                               read=ALL),
    "search:search": Entry(objects=HIDDEN, query=lambda w, k: f"q={search_word(k)}", read=ALL),
    # ---- plans
    "plans:list": Entry(read=ALL),
    "plans:create": Entry(read=PLAN_EDITORS, write=PLAN_EDITORS),
    "plans:detail": Entry(objects=ALL_PLANS, kwargs=plan, read=PLAN_READERS),
    "plans:edit": Entry(objects=WRITE_PLANS, kwargs=plan, read=on(CONTENT_WRITERS, WRITE_PLANS),
                        write=CONTENT_WRITERS, data=lambda w, k: {"title_th": "แก้ชื่อแผน"}),
    "plans:element_add": Entry(objects=WRITE_PLANS, kwargs=plan, read=on(CONTENT_WRITERS, WRITE_PLANS),
                               write=CONTENT_WRITERS,
                               data=lambda w, k: {"kind": "issue", "code": "8", "title_th": "ประเด็นใหม่"}),
    "plans:element_undo": Entry(objects=WRITE_PLANS, kwargs=plan, read=None, write=CONTENT_WRITERS),
    "plans:element": Entry(objects=ALL_PLANS, kwargs=element("issue"), read=PLAN_READERS),
    "plans:element_links": Entry(objects=SOME_PLANS, kwargs=element("issue"), read=PLAN_READERS),
    "plans:element_edit": Entry(objects=WRITE_PLANS, kwargs=element("issue"), read=on(CONTENT_WRITERS, WRITE_PLANS),
                                write=CONTENT_WRITERS, data=lambda w, k: {"title_th": "แก้ชื่อ", "kind": "issue",
                                                                          "code": "1"}),
    "plans:element_delete": Entry(objects=WRITE_PLANS, kwargs=element("kpi"), read=None, write=CONTENT_WRITERS),
    "plans:element_move": Entry(objects=WRITE_PLANS, kwargs=lambda w, k: {"pk": w.elements[k]["project"].pk,
                                                                          "direction": "up"},
                                read=None, write=CONTENT_WRITERS),
    "plans:link_add": Entry(objects=WRITE_PLANS, kwargs=element("project"), read=None, write=CONTENT_WRITERS,
                            data=lambda w, k: {"target": w.objects["target"].pk}),
    "plans:link_candidates": Entry(objects=WRITE_PLANS, kwargs=element("project"), read=on(CONTENT_WRITERS, WRITE_PLANS),
                                   query="q=ท่องเที่ยว"),
    "plans:link_remove": Entry(objects=WRITE_PLANS, kwargs=lambda w, k: {"pk": w.links[k].pk}, read=None,
                               write=CONTENT_WRITERS),
    # ---- linkage: checks and traceability follow plans.view_plan (a committee secretary checks the plan
    # awaiting them); deciding on a suggestion writes a link
    "linkage:index": Entry(read=ALL),
    # province-wide checks run on the worker: anyone may ask for a fresh run (one at a time per person)
    "linkage:report": Entry(query="province=83", read=ALL, write=ALL, data=lambda w, k: {"province": "83"}),
    "linkage:coverage": Entry(objects=("province", *SOME_PLANS),
                              query=lambda w, k: ("scope=province&area=83&framework=master-plans" if k == "province"
                                                  else f"scope=plan&plan={w.plans[k].pk}&framework=master-plans"),
                              read={"province": ALL, **on(PLAN_READERS, SOME_PLANS)}),
    # (the province scope takes seconds per request; which plans a scope counts is the same code as above)
    "linkage:coverage_export": Entry(objects=("draft", "in_force"),
                                     query=lambda w, k: f"scope=plan&plan={w.plans[k].pk}&framework=master-plans",
                                     read=on(PLAN_READERS, ("draft", "in_force"))),
    "linkage:review": Entry(objects=SOME_PLANS, kwargs=plan, read=PLAN_READERS),
    "linkage:plan_checks": Entry(objects=ALL_PLANS, kwargs=plan, read=PLAN_READERS),
    "linkage:plan_checks_panel": Entry(objects=SOME_PLANS, kwargs=plan, read=PLAN_READERS),
    "linkage:plan_coverage": Entry(objects=SOME_PLANS, kwargs=plan, read=PLAN_READERS, ok=302),
    "linkage:element_panel": Entry(objects=SOME_PLANS, kwargs=element("issue"), read=PLAN_READERS),
    "linkage:contributors": Entry(objects=("framework", *SOME_PLANS),
                                  kwargs=lambda w, k: {"pk": (w.objects["linked_target"] if k == "framework"
                                                              else w.elements[k]["issue"]).pk},
                                  read={"framework": ALL, **on(PLAN_READERS, SOME_PLANS)}),
    "linkage:accept": Entry(objects=WRITE_PLANS, kwargs=lambda w, k: {"pk": w.elements[k]["project"].pk,
                                                                      "target": w.objects["target"].pk},
                            read=None, write=CONTENT_WRITERS),
    "linkage:reject": Entry(objects=WRITE_PLANS, kwargs=lambda w, k: {"pk": w.elements[k]["project"].pk,
                                                                      "target": w.objects["target"].pk},
                            read=None, write=CONTENT_WRITERS),
    # re-mapping links to a superseded framework edition: keeping or replacing a link is a content write
    "linkage:remap": Entry(objects=SOME_PLANS, kwargs=plan, read=PLAN_READERS),
    "linkage:remap_decide": Entry(objects=WRITE_PLANS, kwargs=lambda w, k: {"pk": w.links[k].pk}, read=None,
                                  write=CONTENT_WRITERS, data=lambda w, k: {"decision": "keep"}),
    # ---- transfer: import pages are for signed-in users; exports follow plans.view_plan
    "transfer:index": Entry(read=LOGGED_IN),
    "transfer:plan": Entry(objects=SOME_PLANS, kwargs=plan, read=PLAN_READERS),
    "transfer:export": Entry(objects=SOME_PLANS, kwargs=lambda w, k: {"pk": w.plans[k].pk, "fmt": "json"},
                             read=PLAN_READERS),
    "transfer:upload": Entry(read=None, write=PLAN_EDITORS),
    "transfer:upload_into": Entry(objects=WRITE_PLANS, kwargs=plan, read=None, write=CONTENT_WRITERS),
    # each signed-in user has the same file (adding an element to the draft) waiting in their session
    "transfer:preview": Entry(kwargs=fixed(token=UPLOAD_TOKEN), read=LOGGED_IN),
    "transfer:preview_result": Entry(kwargs=fixed(token=UPLOAD_TOKEN), read=LOGGED_IN),
    "transfer:confirm": Entry(kwargs=fixed(token=UPLOAD_TOKEN), read=None, write=CT_EDITOR),
    # ---- governance
    "governance:dashboard": Entry(read=LOGGED_IN),
    "governance:panel": Entry(objects=SOME_PLANS + ("revision",), kwargs=plan, read=PLAN_READERS),
    "governance:transition": Entry(
        objects=tuple(STEPS), kwargs=lambda w, k: {"pk": w.plans[k].pk, "action": STEPS[k][0]},
        read={k: PLAN_READERS[k] - {"anonymous"} for k in STEPS}, write={k: STEPS[k][2] for k in STEPS},
        data=lambda w, k: {"expected_state": STEPS[k][1], "reason": "ขอให้ปรับปรุงตัวชี้วัด"}),
    "governance:new_edition": Entry(objects=("in_force", "draft", "submitted"), kwargs=plan,
                                    read={"in_force": CT_EDITOR, "draft": NOBODY, "submitted": NOBODY},
                                    write={"in_force": CT_EDITOR, "draft": NOBODY, "submitted": NOBODY},
                                    data=lambda w, k: {"edition_type": "review", "reason": "ทบทวนแผนตามรอบ"}),
    "governance:diff": Entry(objects=("in_force", "revision", "superseded"), kwargs=plan,
                             read=on(PLAN_READERS, ("in_force", "revision", "superseded"))),
    "governance:diff_export": Entry(objects=("in_force", "revision"), kwargs=plan,
                                    read=on(PLAN_READERS, ("in_force", "revision"))),
    "governance:plan_audit": Entry(objects=SOME_PLANS, kwargs=plan, read=on(HISTORY_READERS, SOME_PLANS)),
    "governance:document": Entry(kwargs=obj("document"), read=HISTORY_READERS["kbj"]),
    "governance:my_audit": Entry(read=LOGGED_IN),
    "governance:user_audit": Entry(kwargs=fixed(username="demo-editor"), read=CT_EDITOR),
    # ---- the read API: a signed-in session is not an API credential (tokens are tested in api/tests), so
    # every role is an anonymous caller and sees public plans only
    "api:api-root": Entry(read=NOBODY),
    "api:openapi-json": Entry(read=ALL),
    "api:openapi-view": Entry(read=ALL),
    "api:list_plans": Entry(read=ALL),
    "api:get_plan": Entry(objects=("in_force", "consultation", "draft", "submitted", "kbj"),
                          kwargs=lambda w, k: {"key": w.plans[k].key},
                          read={"in_force": ALL, "consultation": ALL}),
    "api:list_elements": Entry(objects=("in_force", "draft", "kbj"), kwargs=lambda w, k: {"key": w.plans[k].key},
                               read={"in_force": ALL}),
    "api:list_results": Entry(objects=("in_force", "draft", "kbj"), kwargs=lambda w, k: {"key": w.plans[k].key},
                              read={"in_force": ALL}),
    # writes need a staff token (api/tests/test_writes.py): a browser session writes nothing
    "api:import_plan": Entry(read=None, write=NOBODY, refused=(401,),
                             data=lambda w, k: {"format": "oneplan-plan/1"}),
    "api:enter_results": Entry(read=None, write=NOBODY, refused=(401,), kwargs=obj("reporting_round", arg="round_id"),
                               data=lambda w, k: {"kpis": []}),
    "api:list_clinic_reports": Entry(read=ALL, query="province=83"),
    "api:list_frameworks": Entry(read=ALL),
    "api:list_areas": Entry(read=ALL),
    "api:list_organisations": Entry(read=ALL),
    "api:list_rounds": Entry(read=ALL),
    "api:list_comments": Entry(objects=("open_round", "planned_round"), kwargs=lambda w, k: {"round_id": w.objects[k].pk},
                               read={"open_round": ALL}),
    # staff tokens: anyone signed in makes tokens for a body they have a role in, and revokes only their own
    "api_tokens:list": Entry(read=LOGGED_IN, write=LOGGED_IN, data=lambda w, k: {"name": "ระบบทดสอบ", "days": "30"}),
    "api_tokens:revoke": Entry(kwargs=obj("api_token"), read=None, write=frozenset({"demo-editor"})),
    # ---- monitoring: results, rounds and budgets are kept by the owner after the plan is announced
    "monitoring:budget_index": Entry(read=ALL),
    "monitoring:budget_view": Entry(kwargs=fixed(code="83"), read=ALL),
    # open data and the transparency portal: public, read only, never a hidden plan (markers checked)
    "opendata:index": Entry(read=ALL),
    "opendata:download": Entry(kwargs=fixed(scope="83"), read=ALL),
    # background jobs: a person's own job is theirs (and staff's); a public build anyone may follow,
    # and anyone signed in may ask for it again
    "jobs:detail": Entry(objects=("job_editor", "job_public"), kwargs=obj_key(), read=JOB_READERS),
    "jobs:status": Entry(objects=("job_editor", "job_public"), kwargs=obj_key(), read=JOB_READERS),
    "jobs:file": Entry(objects=("job_editor_pdf", "job_public_pdf"), kwargs=obj_key(), read=JOB_READERS),
    "jobs:retry": Entry(objects=("job_editor", "job_public"), kwargs=obj_key(), read=None,
                        write={"job_editor": frozenset({"demo-editor"}) | SU, "job_public": LOGGED_IN}),
    "portal:province": Entry(kwargs=fixed(code="83"), read=ALL),
    "portal:chart": Entry(kwargs=fixed(code="83", name="master_plan"), read=ALL),
    "portal:chart_csv": Entry(kwargs=fixed(code="83", name="source"), read=ALL),
    "portal:organisation": Entry(objects=("choeng-thale-municipality", "phuket-provincial-office"),
                                 kwargs=lambda w, k: {"key": k}, read=ALL),
    "portal:org_chart": Entry(kwargs=fixed(key="choeng-thale-municipality", name="sdg"), read=ALL),
    "portal:org_chart_csv": Entry(kwargs=fixed(key="choeng-thale-municipality", name="source"), read=ALL),
    "monitoring:duplicates": Entry(kwargs=fixed(code="83"), read=ALL, write=ALL),
    "monitoring:plan": Entry(objects=SOME_PLANS, kwargs=plan, read=PLAN_READERS),
    "monitoring:quality": Entry(objects=SOME_PLANS, kwargs=plan, read=PLAN_READERS),
    "monitoring:round_create": Entry(objects=MONITOR_PLANS, kwargs=plan, read=None, write=OWNER_EDITORS,
                                     data=lambda w, k: {"period_type": "yearly", "fiscal_year": "2568",
                                                        "number": "1"}),
    "monitoring:weights": Entry(objects=MONITOR_PLANS, kwargs=plan, read=on(OWNER_EDITORS, MONITOR_PLANS),
                                write=OWNER_EDITORS),
    "monitoring:report": Entry(objects=SOME_PLANS, kwargs=plan, read=PLAN_READERS),
    # PDFs are made by the worker: a reader is sent to the job's page
    "monitoring:report_pdf": Entry(objects=("draft", "in_force"), kwargs=plan,
                                   read=on(PLAN_READERS, ("draft", "in_force")), ok=302),
    "monitoring:report_xlsx": Entry(objects=("draft", "in_force"), kwargs=plan,
                                    read=on(PLAN_READERS, ("draft", "in_force"))),
    "monitoring:plan_budget": Entry(objects=SOME_PLANS, kwargs=plan, read=PLAN_READERS),
    # the round's entry page is for the owner's staff; other readers are sent to the plan's approved results
    "monitoring:round": Entry(kwargs=obj("reporting_round"), read=OWNER | SU, write=CT_EDITOR, refused=(302,)),
    "monitoring:round_approve": Entry(kwargs=obj("reporting_round"), read=None, write=OWNER | SU),
    "monitoring:round_close": Entry(kwargs=obj("reporting_round"), read=None, write=CT_EDITOR),
    "monitoring:element_panel": Entry(objects=SOME_PLANS, kwargs=element("project"), read=PLAN_READERS),
    "monitoring:project_budget": Entry(objects=MONITOR_PLANS, kwargs=element("project"),
                                       read=on(OWNER_EDITORS, MONITOR_PLANS), write=OWNER_EDITORS),
    # ---- Clinic Center: reporting and following are public (no account); the report's staff page and steps
    # belong to the responsible organisation (the Choeng Thale municipality) and the PAO desk (no demo role)
    "clinic:index": Entry(read=ALL),
    "clinic:new": Entry(read=ALL, write=ALL, data=lambda w, k: {**w.objects["clinic_place"],
                                                                   "text": "ท่อระบายน้ำอุดตัน"}),
    "clinic:places": Entry(query=lambda w, k: f"province={w.objects['clinic_place']['province']}", read=ALL),
    "clinic:report": Entry(kwargs=obj("clinic_report", "reference", "reference"), read=ALL),
    "clinic:follow": Entry(kwargs=lambda w, k: {"reference": w.objects["clinic_done"].reference,
                                                "token": w.objects["clinic_done"].follow_token},
                           read=ALL, write=ALL, data=lambda w, k: {"action": "confirm"}),
    "clinic:photo": Entry(kwargs=obj("clinic_photo"), read=ALL),
    "clinic:desk": Entry(read=LOGGED_IN),
    "clinic:staff_report": Entry(kwargs=obj("clinic_report", "reference", "reference"), read=OWNER | SU),
    "clinic:step": Entry(objects=("accept", "note", "reassign", "split"),
                         kwargs=lambda w, k: {"reference": w.objects["clinic_report"].reference, "slug": k},
                         read=None, write={"accept": OWNER | SU, "note": OWNER | SU, "reassign": SU, "split": SU},
                         data=lambda w, k: {"note": "รับเรื่องแล้ว", "text": "ปัญหาอีกเรื่องหนึ่ง",
                                            "category": w.objects["clinic_report"].category_id,
                                            "organisation": w.objects["clinic_pao"].pk}),
    # ---- consultation: the open round is public (read, comment, vote, report abuse); the planned round of
    # the draft is the owner's planners' only; planners (owner's editors) run rounds and hearings
    "consultation:index": Entry(read=ALL),
    "consultation:round": Entry(objects=("open_round", "planned_round"), kwargs=lambda w, k: {"pk": w.objects[k].pk},
                                read={"open_round": ALL, "planned_round": CT_EDITOR}),
    "consultation:comment": Entry(objects=("open_round", "planned_round"), kwargs=lambda w, k: {"pk": w.objects[k].pk},
                                  read={"open_round": ALL, "planned_round": NOBODY},
                                  write={"open_round": ALL, "planned_round": NOBODY},
                                  data=lambda w, k: {"text": "ขอเสนอให้ขยายถนน", "consent_store": "on"}),
    "consultation:report": Entry(objects=("open_round", "planned_round"), kwargs=lambda w, k: {"pk": w.objects[k].pk},
                                 read={"open_round": ALL, "planned_round": CT_EDITOR}),
    "consultation:report_pdf": Entry(kwargs=obj("planned_round"), read=CT_EDITOR, ok=302),
    "consultation:report_xlsx": Entry(kwargs=obj("planned_round"), read=CT_EDITOR),
    "consultation:vote": Entry(kwargs=obj("comment"), read=None, write=ALL, data=lambda w, k: {"value": "agree"}),
    "consultation:report_abuse": Entry(kwargs=obj("comment"), read=ALL, write=ALL,
                                       data=lambda w, k: {"reason": "ข้อความไม่สุภาพ"}),
    "consultation:follow": Entry(kwargs=obj("comment", "follow_token", "token"), read=ALL),
    "consultation:event": Entry(kwargs=obj("event"), read=ALL),
    "consultation:material": Entry(kwargs=obj("material"), read=ALL),
    "consultation:plan": Entry(objects=SOME_PLANS + ("consultation",), kwargs=plan, read=PLAN_READERS),
    "consultation:plan_panel": Entry(objects=SOME_PLANS + ("consultation",), kwargs=plan, read=PLAN_READERS),
    "consultation:round_create": Entry(objects=("consultation", "draft", "kbj"), kwargs=plan,
                                       read=on(OWNER_EDITORS, ("consultation", "draft", "kbj")),
                                       write=OWNER_EDITORS),
    "consultation:event_create": Entry(objects=("consultation", "draft", "kbj"), kwargs=plan,
                                       read=on(OWNER_EDITORS, ("consultation", "draft", "kbj")),
                                       write=OWNER_EDITORS),
    "consultation:round_edit": Entry(kwargs=obj("open_round"), read=CT_EDITOR, write=CT_EDITOR),
    "consultation:manage": Entry(objects=("open_round", "planned_round"), kwargs=lambda w, k: {"pk": w.objects[k].pk},
                                 read=CT_EDITOR),
    "consultation:moderation": Entry(kwargs=obj("open_round"), read=SU),
    "consultation:answer": Entry(kwargs=obj("comment"), read=CT_EDITOR, write=CT_EDITOR,
                                 data=lambda w, k: {"outcome": "accepted", "text": "รับไว้พิจารณา"}),
    "consultation:moderate": Entry(objects=("hide", "dismiss"), kwargs=lambda w, k: {"pk": w.objects["comment"].pk,
                                                                                     "action": k},
                                   read=None, write=SU, data=lambda w, k: {"reason": "ข้อความไม่สุภาพ"}),
    "consultation:event_edit": Entry(kwargs=obj("event"), read=CT_EDITOR, write=CT_EDITOR),
    "consultation:material_upload": Entry(kwargs=obj("event"), read=None, write=CT_EDITOR),
    "consultation:facilitate": Entry(kwargs=obj("group"), read=CT_EDITOR, write=CT_EDITOR,
                                     data=lambda w, k: {"text": "ข้อเสนอจากกลุ่มย่อย"}),
    # ---- knowledge: guidance, KPI library, examples and workshops are public; stewards (superusers here, no demo
    # account is in the stewards' group) write new guidance versions; a person's workshops for signed-in staff
    "knowledge:index": Entry(read=ALL),
    "knowledge:guidance_list": Entry(read=ALL),
    "knowledge:guidance": Entry(kwargs=obj("guidance"), read=ALL),
    "knowledge:guidance_new_version": Entry(
        kwargs=obj("guidance"), read=SU, write=SU,
        data=lambda w, k: {"title": "ฉบับใหม่", "rule_reference": "ระเบียบ", "explanation": "อธิบาย", "publish": "on",
                           "effective_from": "1/1/2600"}),
    # examples come from editions in force only: the hidden plans' markers must not show (leak check)
    "knowledge:examples": Entry(objects=SOME_PLANS, kwargs=plan, query="kind=issue&title_th=ประเด็นการพัฒนา",
                                read=PLAN_READERS),
    "knowledge:kpi_library": Entry(read=ALL),
    "knowledge:kpi_pick": Entry(query="q=ถนน", read=ALL),
    "knowledge:kpi": Entry(kwargs=obj("kpi_definition"), read=ALL),
    "knowledge:kpi_fill": Entry(kwargs=obj("kpi_definition"), read=ALL),
    # the history follows the line of editions (superseded → in force → revision): hidden editions stay hidden
    "knowledge:history": Entry(objects=ALL_PLANS, kwargs=element("issue"), read=PLAN_READERS),
    "knowledge:decisions": Entry(query="q=ประชาคม", read=ALL),
    "knowledge:workshops": Entry(read=ALL),
    "knowledge:workshop": Entry(kwargs=obj("workshop"), read=ALL),
    "knowledge:material": Entry(kwargs=obj("workshop_material"), read=ALL),
    "knowledge:person": Entry(kwargs=fixed(username="demo-editor"), read=LOGGED_IN),
    # ---- notifications: each person's own inbox and settings; following a comment of a public round
    "notifications:inbox": Entry(read=LOGGED_IN, write=LOGGED_IN),
    "notifications:preferences": Entry(read=LOGGED_IN, write=LOGGED_IN,
                                       data=lambda w, k: {"kinds": ["returned"], "email": "daily"}),
    "notifications:follow": Entry(kwargs=obj("comment"), read=None, write=LOGGED_IN),
    # ---- Clinic Center, the open side: public dashboards, Open311, learning notes; the desk's partner keys and
    # notes (no demo role acts for the Phuket PAO desk: the superuser acts for every desk); a proposal writes a
    # project into the owner's editable draft
    "clinic_open:dashboards": Entry(read=ALL),
    "clinic_open:dashboard": Entry(objects=("province", "district", "lao", "dimension"),
                                   kwargs=lambda w, k: {"kind": k, "key": {"province": "83", "district": "8303",
                                                                            "lao": "choeng-thale-municipality",
                                                                            "dimension": "ENV"}[k]}, read=ALL),
    "clinic_open:dashboard_xlsx": Entry(kwargs=fixed(kind="province", key="83"), read=ALL),
    "clinic_open:recurring": Entry(kwargs=fixed(key="choeng-thale-municipality"), read=ALL),
    "clinic_open:propose": Entry(objects=("draft",), kwargs=lambda w, k: {"key": "choeng-thale-municipality",
                                                                          "area": "830303", "category": "flooding"},
                                 read=CT_EDITOR, write=CT_EDITOR,
                                 data=lambda w, k: {"plan": w.plans[k].pk, "parent": w.elements[k]["issue"].pk,
                                                    "title": "โครงการแก้น้ำท่วมขัง"}),
    "clinic_open:notes": Entry(read=ALL),
    "clinic_open:note": Entry(kwargs=obj("learning_note"), read=ALL),
    "clinic_open:category_notes": Entry(kwargs=fixed(code="flooding"), read=ALL),
    "clinic_open:note_create": Entry(read=SU, write=SU,
                                     data=lambda w, k: {"title": "บันทึกใหม่", "body": "เนื้อหา",
                                                        "organisation": w.objects["learning_note"].organisation_id}),
    "clinic_open:note_edit": Entry(kwargs=obj("learning_note"), read=SU, write=SU,
                                   data=lambda w, k: {"title": "แก้บันทึก", "body": "เนื้อหา",
                                                      "organisation": w.objects["learning_note"].organisation_id}),
    "clinic_open:partners": Entry(read=SU, write=SU, data=lambda w, k: {"name": "ระบบใหม่"}),
    "clinic_open:partner_revoke": Entry(kwargs=obj("partner_key"), read=None, write=SU),
    "open311:discovery": Entry(kwargs=fixed(fmt="json"), read=ALL),
    "open311:services": Entry(kwargs=fixed(fmt="json"), read=ALL),
    "open311:service": Entry(kwargs=fixed(code="flooding", fmt="json"), read=ALL),
    # anyone may send a report (the web form's checks and limits apply; tested in clinic/tests/test_open311.py)
    "open311:requests": Entry(kwargs=fixed(fmt="json"), read=ALL, write=ALL, ok=200,
                              data=lambda w, k: {"service_code": "road", "description": "ถนนเป็นหลุม",
                                                 "address_id": "830303"}),
    "open311:request": Entry(kwargs=lambda w, k: {"reference": w.objects["clinic_flooding"].reference, "fmt": "json"},
                             read=ALL),
}

# Included URL configurations outside the matrix, and why.
EXCLUDED = {
    "admin/": "Django's admin: staff only, guarded by the admin itself and by the model-level lock of "
              "governance.locks (tested in governance/tests)",
    "i18n/": "set_language only stores the chosen language in the session or a cookie",
}

# ---------------------------------------------------------------- the URL configuration


def url_names(resolver=None, namespace="") -> list[tuple[str, str]]:
    """(name, route) of every named pattern, recursively, skipping EXCLUDED prefixes; a pattern
    without a name is reported as "<unnamed: route>" so that it too needs an entry."""
    found = []
    for p in (resolver or get_resolver()).url_patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            if not namespace and route in EXCLUDED:
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found += [(name, route + sub) for name, sub in url_names(p, ns)]
        elif isinstance(p, URLPattern):
            found.append((f"{namespace}{p.name}" if p.name else f"<unnamed: {route}>", route))
    return found


def test_every_url_pattern_has_a_matrix_entry():
    missing = [f"add a permission-matrix entry for {name} ({route})" for name, route in url_names()
               if name not in MATRIX]
    assert not missing, "\n".join(missing)


def test_the_matrix_names_only_existing_urls():
    known = {name for name, _ in url_names()}
    assert not set(MATRIX) - known, f"matrix entries for URLs that do not exist: {sorted(set(MATRIX) - known)}"


def test_excluded_prefixes_exist():
    routes = {str(p.pattern) for p in get_resolver().url_patterns}
    assert set(EXCLUDED) <= routes


# ---------------------------------------------------------------- the world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once, inside a transaction rolled back after the module (tests run in savepoints of it)."""
    from django.db import connection, transaction

    with tempfile.TemporaryDirectory(prefix="oneplan-matrix-") as tmp:
        media, uploads = Path(tmp) / "media", Path(tmp) / "uploads"
        uploads.mkdir()
        with override_settings(MEDIA_ROOT=str(media), ONEPLAN_TRANSFER_DIR=str(uploads),
                               PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            with django_db_blocker.unblock():
                outer = transaction.atomic()
                outer.__enter__()
                try:
                    _reference_data()
                    built = build_world(uploads)
                except BaseException:
                    transaction.set_rollback(True)
                    outer.__exit__(None, None, None)
                    raise
            try:
                yield built
            finally:
                with django_db_blocker.unblock():
                    transaction.set_rollback(True)
                    outer.__exit__(None, None, None)
                    connection.close_if_unusable_or_obsolete()


def _reference_data():
    """The suite's session data (src/oneplan/conftest.py), if this module runs on its own: that conftest
    applies to the tests under src/ only."""
    from oneplan.conftest import load_everything
    from oneplan.plans.models import Plan

    if not Plan.objects.filter(key="choeng-thale-local-2566-2570").exists():
        load_everything()


def _session_with_upload(client, world):
    from oneplan.transfer.uploads import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = {UPLOAD_TOKEN: session_upload(world), REGISTRY_TOKEN: session_registry_upload(world)}
    session.save()


@pytest.fixture
def client_as(client, world, db):
    from django.core.cache import cache

    cache.clear()  # the API's per-address call limit counts in the cache, which no transaction rolls back

    def login(role, upload=False):
        if role != "anonymous":
            client.force_login(world.users[role])
            if upload:
                _session_with_upload(client, world)
        return client
    return login


# ---------------------------------------------------------------- the cases


def _spec(spec, key):
    return spec.get(key, NOBODY) if isinstance(spec, dict) else spec


def _cases():
    for name, entry in MATRIX.items():
        for key in entry.objects:
            methods = [m for m, spec in (("GET", entry.read), ("POST", entry.write)) if spec is not None]
            for method in methods:
                for role in ROLES:
                    marks = []
                    reason = (entry.xfail or {}).get((key, role, method))
                    if reason:
                        marks.append(pytest.mark.xfail(reason=reason, strict=True))
                    yield pytest.param(name, key, role, method, marks=marks,
                                       id=f"{name}[{key}]-{role}-{method}" if key else f"{name}-{role}-{method}")


def _url(world, entry, name, key):
    url = reverse(name, kwargs=entry.kwargs(world, key) if entry.kwargs else None)
    query = entry.query(world, key) if callable(entry.query) else entry.query
    return f"{url}?{query}" if query else url


def _to_login(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


def _refusal(response, role, entry) -> bool:
    if role == "anonymous" and _to_login(response):
        return True
    return response.status_code in (403, 404, *entry.refused) and not _to_login(response)


TEXT_TYPES = ("text/", "application/json")


def _leaked(world, response, role) -> list[str]:
    """Markers of plans this role may not see that appear in a text response."""
    if not response.get("Content-Type", "").startswith(TEXT_TYPES) or getattr(response, "streaming", False):
        return []
    body = response.content.decode("utf-8", "replace")
    found = []
    for k in HIDDEN:
        at = body.find(marker(k))
        if role not in PLAN_READERS[k] and at >= 0:
            found.append(f"the {k} plan: …{' '.join(body[max(0, at - 150):at + 60].split())}…")
    return found


@pytest.mark.parametrize(("name", "key", "role", "method"), list(_cases()))
def test_permission(name, key, role, method, world, client_as):
    entry = MATRIX[name]
    client = client_as(role, upload=name.startswith(("transfer:preview", "transfer:confirm",
                                                     "organisations:registry_")))
    url = _url(world, entry, name, key)
    if method == "GET":
        response = client.get(url)
        if role in _spec(entry.read, key):
            assert response.status_code == entry.ok, f"{role} should get {url} ({entry.ok}), got {response.status_code}"
        else:
            assert _refusal(response, role, entry), (f"{role} must be refused {url}, got {response.status_code}"
                                                     f" {response.get('Location', '')}")
        if response.status_code == 200:
            assert not _leaked(world, response, role), f"{url} shows {role} what they may not see"
        return
    data = entry.data(world, key) if entry.data else {}
    before = snapshot(world)
    response = client.post(url, data)
    if role in _spec(entry.write, key):
        assert not _refusal(response, role, entry) or response.status_code in entry.refused, (
            f"{role} may write {url}, was refused with {response.status_code}")
    else:
        assert _refusal(response, role, entry), f"{role} must be refused POST {url}, got {response.status_code}"
        assert snapshot(world) == before, f"a refused POST {url} by {role} changed the data"
