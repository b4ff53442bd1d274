"""Likely duplicate or overlapping projects across organisations in the same place.

Blocking (so 40,000 projects are never compared all-with-all): each project gets place keys read
from its title and location — subdistrict (ตำบล/ต.), village number and village name within the
subdistrict (หมู่ที่ n / ม.n, บ้าน…), road (ถนน…/ถ.…/ซอย…, or สาย… for rural roads) — plus the
subdistrict of Project.area. Projects are compared within a subdistrict, or along a road; a key
shared by more than MAX_BLOCK projects (a highway across the province) is not a place. Two projects
that both name a village or road but share none are in different places. Within a block, titles are
compared by cosine similarity of character n-gram TF-IDF vectors (scikit-learn; Thai has no spaces
between words, so character n-grams work where word tokens are unreliable). A pair is listed when
the two belong to different organisations, share a place, have similar titles (≥ SIMILARITY) and
overlapping fiscal years (or no years recorded).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max, Min

from oneplan.areas.models import Area
from oneplan.core.thai import normalise
from oneplan.plans.models import BudgetLine, Project

from .budgetview import area_plans

SIMILARITY = 0.55
MAX_BLOCK = 1500          # a key shared by more projects than this says nothing about place
MAX_PAIRS = 2000

_SUBDISTRICT = re.compile(r"(?:ตำบล|ต\.|แขวง)\s*([ก-๙]+)")
_MOO = re.compile(r"(?:หมู่(?:ที่)?|ม\.)\s*(\d{1,2})(?!\d)")
_VILLAGE = re.compile(r"บ้าน\s*([ก-๙]{2,})")
# a road name follows ถนน/ซอย at the start of a word ("ทางถนนช่วง…" and "ตำบลถนนโพธิ์" are not roads)
_ROAD = re.compile(r"(?:^|\s)(?:ถนน|ถ\.|ซอย|ซ\.)\s*([ก-๙A-Za-z0-9]+(?:-[ก-๙A-Za-z0-9]+)?)")
_ROUTE = re.compile(r"สาย\s*([ก-๙]+(?:\s*[-–]\s*[ก-๙]+)?)")
_STOP = ("อำเภอ", "จังหวัด", "หมู่", "บ้าน", "ถนน")
_ROAD_NOISE = {"คสล", "คสล.", "ลาดยาง", "คอนกรีต", "ลูกรัง", "แอสฟัลท์", "แอสฟัลท์ติก", "พาราแอสฟัลท์",
               "ในหมู่บ้าน", "ภายในหมู่บ้าน", "สาธารณะ"}
_VILLAGE_NOISE = ("พัก", "เรือน", "ผู้", "และ", "ที่", "เช่า", "มั่นคง", "เลขที่")
_TITLE_NOISE = re.compile(r"^โครงการ|[\s\-–().,/\"“”]")


def _known_pattern(known) -> re.Pattern | None:
    names = sorted(set(known), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))) if names else None


def _cut(name: str, known) -> str:
    """The place name at the start of `name`: the longest known subdistrict name, else up to a marker."""
    if isinstance(known, re.Pattern):
        m = known.match(name)
        if m:
            return m.group(0)
    else:
        for k in known:
            if name.startswith(k):
                return k
    for stop in _STOP:
        i = name.find(stop)
        if i > 0:
            name = name[:i]
    return name


def place_keys(title: str, location: str, area_name: str = "", known=()) -> set[str]:
    """Place keys of a project; `known` = subdistrict names of the province (a list, or a compiled
    pattern from _known_pattern for speed)."""
    text = normalise(f"{title} {location}")
    subs = {_cut(m, known) for m in _SUBDISTRICT.findall(text)}
    if area_name:
        subs.add(area_name)
    keys = {f"ต:{s}" for s in subs if s}
    for n in _MOO.findall(text):
        keys |= {f"ม:{s}:{int(n)}" for s in subs}
    for v in _VILLAGE.findall(text):
        v = _cut(v, known)
        if len(v) >= 3 and not v.startswith(_VILLAGE_NOISE):   # village names repeat: scope them
            keys |= {f"บ:{s}:{v}" for s in subs} if subs else {f"บ:{v}"}
    for r in _ROAD.findall(text):
        if r not in _ROAD_NOISE and len(r) >= 3:
            keys.add(f"ถ:{_cut(r, known)}")
    for r in _ROUTE.findall(text):
        keys.add("ส:" + re.sub(r"\s", "", r))
    return keys


def title_key(title: str) -> str:
    return _TITLE_NOISE.sub("", normalise(title))


@dataclass
class Candidate:
    a: dict
    b: dict
    similarity: float
    places: list[str]
    years: tuple[int, int] | None

    @property
    def reasons(self) -> list[str]:
        out = [f"พื้นที่เดียวกัน: {', '.join(_place_label(p) for p in self.places)}",
               f"ชื่อโครงการคล้ายกัน {self.similarity * 100:.0f}%"]
        out.append(f"ปีงบประมาณทับซ้อน {self.years[0]}–{self.years[1]}" if self.years
                   else "ไม่มีปีงบประมาณให้เทียบ")
        return out

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def _place_label(key: str) -> str:
    kind, _, rest = key.partition(":")
    if kind == "ม":
        sub, n = rest.split(":")
        return f"หมู่ที่ {n} ต.{sub}"
    if kind == "บ" and ":" in rest:
        sub, village = rest.split(":")
        return f"บ้าน{village} ต.{sub}"
    return {"ต": "ต.", "บ": "บ้าน", "ถ": "ถนน", "ส": "สาย"}[kind] + rest


@dataclass
class DuplicateReport:
    candidates: list[Candidate]      # the most similar pairs, at most `limit`
    total: int                       # all pairs found


def find_duplicates(area, user=None, similarity: float = SIMILARITY, limit: int = MAX_PAIRS) -> list[Candidate]:
    return duplicate_report(area, user, similarity, limit).candidates


def duplicate_report(area, user=None, similarity: float = SIMILARITY, limit: int = MAX_PAIRS) -> DuplicateReport:
    projects = _projects(area, user)
    if len(projects) < 2:
        return DuplicateReport([], 0)
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True,
                             dtype=np.float32).fit_transform([p["key"] for p in projects])
    blocks = defaultdict(list)
    for i, p in enumerate(projects):
        for k in p["places"]:
            if _is_block(k):
                blocks[k].append(i)
    found: dict[tuple[int, int], float] = {}
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK or len({projects[i]["owner"] for i in members}) < 2:
            continue
        _compare_block(projects, matrix, members, similarity, found)
    best = sorted(found.items(), key=lambda item: -item[1])[:limit]
    return DuplicateReport([_candidate(projects[i], projects[j], sim) for (i, j), sim in best], len(found))


def _candidate(a, b, sim) -> Candidate:
    shared = sorted(a["places"] & b["places"], key=lambda k: "มบถสต".index(k[0]))
    return Candidate(a, b, sim, shared, _overlap(a, b) or None)


def _is_block(key: str) -> bool:
    """Subdistricts, roads, and villages whose subdistrict is unknown; village numbers and scoped
    village names are subsets of their subdistrict's block."""
    return key[0] in "ตถส" or (key[0] == "บ" and key.count(":") == 1)


def _specific(keys: set[str]) -> set[str]:
    return {k for k in keys if k[0] in "มบถส"}


def _compare_block(projects, matrix, members, similarity, found: dict):
    """Similar titles of different organisations with overlapping (or unknown) years, vectorised;
    only the pairs left are checked one by one for conflicting villages or roads.
    `found` maps (project index, project index), lower project id first, to the similarity."""
    import numpy as np

    sims = (matrix[members] @ matrix[members].T).toarray()
    block = [projects[i] for i in members]
    owner = np.array([p["owner"] or 0 for p in block])
    first = np.array([p["first"] or 0 for p in block])
    last = np.array([p["last"] or 9999 for p in block])
    keep = np.triu(sims >= similarity, k=1) & (owner[:, None] != owner[None, :])
    keep &= (np.maximum(first[:, None], first[None, :]) <= np.minimum(last[:, None], last[None, :]))
    for r, c in zip(*(x.tolist() for x in np.nonzero(keep)), strict=True):
        i, j = sorted((members[r], members[c]), key=lambda k: projects[k]["id"])
        if (i, j) in found:
            continue
        spec_a, spec_b = projects[i]["specific"], projects[j]["specific"]
        if spec_a and spec_b and not spec_a & spec_b:
            continue   # the same subdistrict but another village or road
        found[(i, j)] = float(sims[r, c])


def _overlap(a, b):
    """(first, last) overlapping fiscal year; None if a project has no years; False if disjoint."""
    if a["first"] is None or b["first"] is None:
        return None
    lo, hi = max(a["first"], b["first"]), min(a["last"], b["last"])
    return (lo, hi) if lo <= hi else False


def _projects(area, user) -> list[dict]:
    plans = area_plans(area, user)
    known = _known_pattern(Area.objects.filter(kind="subdistrict", parent__parent=area)
                           .values_list("name_th", flat=True)) or ()
    subdistrict_name = dict(Area.objects.filter(kind="subdistrict", parent__parent=area).values_list("pk", "name_th"))
    years = {r["project_id"]: (r["first"], r["last"]) for r in BudgetLine.objects.filter(
        project__element__plan__in=plans).values("project_id").annotate(first=Min("fiscal_year"), last=Max("fiscal_year"))}
    out = []
    for pid, title, location, area_id, owner, owner_name, plan_id, plan_area_id in Project.objects.filter(
            element__plan__in=plans).values_list("pk", "element__title_th", "location", "area_id",
                                                 "element__plan__owner_id", "element__plan__owner__name_th",
                                                 "element__plan_id", "element__plan__area_id").iterator(chunk_size=5000):
        # a project without its own area is in its plan's: a municipality's "หมู่ที่ 3" is in its subdistrict
        subdistrict = subdistrict_name.get(area_id) or subdistrict_name.get(plan_area_id, "")
        places = place_keys(title, location, subdistrict, known)
        if not places:
            continue
        first, last = years.get(pid, (None, None))
        out.append({"id": pid, "title": title, "location": location, "owner": owner, "owner_name": owner_name,
                    "plan_id": plan_id, "places": places, "specific": _specific(places), "key": title_key(title),
                    "first": first, "last": last})
    return out
