"""Which plan an import goes into: the plan named (--plan, pk or key), or the owner's plan of that
kind and period (re-import finds it again), or a new plan with a key derived from owner + period."""
from __future__ import annotations

from dataclasses import dataclass

from oneplan.organisations.models import LAO_KINDS, Organisation
from oneplan.plans.interchange import dump_plan
from oneplan.plans.models import Plan

from .editions import Edition


@dataclass
class Target:
    plan: Plan | None
    owner: Organisation | None
    meta: dict
    existing: dict | None     # the plan's current interchange data, when it exists


def find_plan(ref) -> Plan | None:
    if ref in (None, ""):
        return None
    if isinstance(ref, Plan):
        return ref
    text = str(ref).strip()
    plan = Plan.objects.filter(key=text).first()
    if plan is None and text.isdigit():
        plan = Plan.objects.filter(pk=int(text)).first()
    return plan


def owner_named_in(texts: list[str], kinds=None) -> Organisation | None:
    """The organisation whose Thai name appears in the heading lines (longest name wins), names compared
    with organisations.names.name_key (อบต. = องค์การบริหารส่วนตำบล). Several bodies of one name (อบต.
    ท่าข้าม is in more than one province): the one whose province the heading names."""
    from oneplan.organisations.names import name_key

    heading = name_key(" ".join(texts))
    if not heading:
        return None
    qs = Organisation.objects.all() if kinds is None else Organisation.objects.filter(kind__in=kinds)
    found: dict[str, list[Organisation]] = {}
    for org in qs.select_related("area").only("id", "key", "name_th", "kind", "area_id", "area__code",
                                              "area__parent_id"):
        name = name_key(org.name_th)
        if name and name in heading:
            found.setdefault(name, []).append(org)
    if not found:
        return None
    best = found[max(found, key=len)]
    return next((o for o in best if _province_named(o, heading)), best[0])


def _province_named(org: Organisation, heading: str) -> bool:
    province = org.province() if org.area_id else None
    return province is not None and any(f"{word}{province.name_th}" in heading for word in ("จังหวัด", "จ."))


def resolve_target(*, plan: Plan | None, owner: Organisation | None, kind: str, title: str,
                   start: int | None, end: int | None, edition: Edition) -> Target:
    if plan is None and owner is not None and owner.pk is not None and start and end:  # (a new owner has none)
        plan = Plan.objects.filter(owner=owner, kind=kind, start_year=start, end_year=end).order_by(
            "-edition_year", "-pk").first()
    if plan is not None:
        existing = dump_plan(plan)
        return Target(plan, plan.owner, dict(existing["plan"]), existing)
    meta = {"key": f"{owner.key}-{kind.replace('_', '-')}-{start}-{end}" if owner else "",
            "framework": None, "kind": kind, "title_th": title, "title_en": "", "description_th": "",
            "owner": owner.key if owner else None,
            "area": owner.area.code if owner and owner.area_id else None,
            "start_year": start, "end_year": end, "edition": edition.as_interchange(), "status": "draft",
            "supersedes": None, "confirmed": False, "source_note": ""}
    return Target(None, owner, meta, None)


def lao_owner_in(texts):
    return owner_named_in(texts, kinds=LAO_KINDS)
