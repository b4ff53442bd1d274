"""Turn what an importer read into interchange data for plans.interchange.load_plan, keeping
identities stable: an element already in the plan is found again (a project by its normalised title
within its programme; a strategy level by title or by its number) and keeps its code, so importing the
same file twice updates instead of duplicating. Elements of the plan the file does not mention are kept
(Excel and text imports add and update; only a full JSON import replaces)."""
from __future__ import annotations

import copy
from collections import defaultdict
from decimal import Decimal

from oneplan.core.thai import normalise
from oneplan.plans.interchange import clean_code

STRUCTURE_KINDS = {"vision", "mission", "ultimate_goal", "issue", "objective", "strategy", "programme", "kpi",
                   "focus_area"}


def blank_item(code: str, kind: str, title: str, parent: str | None) -> dict:
    return {"code": code, "parent": parent, "kind": kind, "title_th": title, "title_en": "",
            "description_th": "", "confirmed": True, "links": [], "kpi": None, "project": None}


class PlanBuilder:
    def __init__(self, existing: dict | None = None):
        self.existing = {e["code"]: e for e in (existing or {}).get("elements", [])}
        self.items: dict[str, dict] = {}            # code → item, in import order
        self._by_title: dict[tuple, list[str]] = defaultdict(list)
        for e in self.existing.values():
            self._by_title[(e["parent"], e["kind"], normalise(e["title_th"]))].append(e["code"])
        self._seen_structure: dict[tuple, str] = {}
        self._counter = defaultdict(int)

    # --- identity -------------------------------------------------------------------------------
    def _taken(self, code: str) -> bool:
        return code in self.items or code in self.existing

    def _new_code(self, prefix: str) -> str:
        while True:
            self._counter[prefix] += 1
            code = f"{prefix}{self._counter[prefix]:03d}" if prefix.endswith("P") else f"{prefix}{self._counter[prefix]}"
            if not self._taken(code):
                return code

    def _existing_by_title(self, key: tuple) -> str | None:
        for code in self._by_title.get(key, []):
            if code not in self.items:
                return code
        return None

    def structure(self, kind: str, title: str, parent: str | None, hint: str | None = None) -> str:
        """An issue, strategy, programme … named in the file: the same name under the same parent is
        the same element, however often the file repeats it."""
        hint = clean_code(hint) or None if hint else None   # the same code however the file wrote it
        key = (parent, kind, normalise(title))
        if key in self._seen_structure:
            return self._seen_structure[key]
        code = self._existing_by_title(key)
        if code is None and hint and hint in self.existing and hint not in self.items \
                and self.existing[hint]["kind"] == kind and self.existing[hint]["parent"] == parent:
            code = hint   # same number, reworded title: the file is the newer text
        if code is None:
            code = hint if hint and not self._taken(hint) else self._new_code(f"{hint or kind}-")
        self._put(code, kind, title, parent)
        self._seen_structure[key] = code
        return code

    def project(self, title: str, parent: str | None, fields: dict, budgets: dict[int, Decimal],
                source: str) -> str:
        key = (parent, "project", normalise(title))
        code = self._existing_by_title(key) or self._new_code("P")
        item = self._put(code, "project", title, parent)
        old = item["project"] or {}
        item["project"] = {"objective": "", "output_target": "", "kpi_text": "", "expected_result": "",
                           "responsible_unit": "", "location": "", **{k: v for k, v in old.items() if k != "budgets"},
                           **fields, "budgets": merge_budgets(old.get("budgets", []), budgets, source)}
        return code

    def add_links(self, code: str, refs: list[dict]):
        links = self.items[code]["links"]
        for ref in refs:
            if not any(x["plan"] == ref["plan"] and x["code"] == ref["code"] for x in links):
                links.append(ref)

    def _put(self, code, kind, title, parent) -> dict:
        item = self.items.get(code)
        if item is None:
            base = self.existing.get(code)
            item = copy.deepcopy(base) if base else blank_item(code, kind, title, parent)
            self.items[code] = item
        item.update(kind=kind, title_th=title, parent=parent)
        return item

    # --- output ---------------------------------------------------------------------------------
    def elements(self) -> list[dict]:
        """Existing elements first, in their order (updated where the file says so), then new ones."""
        out = [self.items.get(code, item) for code, item in self.existing.items()]
        out += [item for code, item in self.items.items() if code not in self.existing]
        return out


def merge_budgets(old: list[dict], amounts: dict[int, Decimal], source: str) -> list[dict]:
    """The form's per-year amount is the project's plan-stage total. Where it equals what is stored the
    stored lines stay (they may carry a finer source, e.g. subsidy); otherwise the form's figure
    replaces that year's plan-stage lines. Other stages (request, ordinance …) are never touched."""
    out = [b for b in old if b["stage"] != "plan"]
    stored = defaultdict(list)
    for b in old:
        if b["stage"] == "plan":
            stored[b["year"]].append(b)
    for year, amount in sorted(amounts.items()):
        if not amount:
            continue
        lines = stored.get(year, [])
        if lines and sum(Decimal(b["amount"]) for b in lines) == amount:
            out += lines
        else:
            out.append({"year": year, "amount": f"{amount:.2f}", "source": source, "stage": "plan",
                        "within_ceiling": None})
    return sorted(out, key=lambda b: (b["year"], b["source"], b["stage"]))
