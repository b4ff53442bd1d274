"""Routing: which one organisation must solve a report, from the place and the category's duty.

    route(category, area) -> Route(organisation, desk, note)

- duty LAO: the municipality or SAO whose area is the subdistrict (Organisation.area is the
  subdistrict for these kinds; a city municipality may be filed under its district instead). Two
  LAOs in one subdistrict (a municipality and the SAO around it) cannot be told apart without a finer
  area than we have: the report goes to the desk with that note.
- duty PAO: the PAO of the province (Bangkok: the BMA).
- duty agency: the provincial office of the province, or the district office of the district.
- No place, no organisation found, or several: `organisation` is the desk itself and `note` says why,
  so the report is never lost.
The desk is the PAO of the province (its Clinic Center). Reads organisations; writes nothing but the cache.

Cached: a route depends only on (duty, agency, area), so it is kept in Django's configured cache (the
database cache, or Redis) for a day under a generation token; saving or deleting any Organisation or Area
drops the token (signals in clinic/apps.py, also after commit), so every process routes by the new
organisations at once. A hit costs one cache round trip (a new report at 1,000,000: see bench_clinic).
Changes that bypass signals (QuerySet.update, raw SQL) are seen when the day runs out, or at once after
`forget_routes()`.
"""
from __future__ import annotations

from dataclasses import dataclass

from oneplan.areas.models import Area, AreaKind
from oneplan.core import generations
from oneplan.organisations.models import Organisation, OrgKind

from .models import AgencyKind, Category, DutyLevel

# LAOs that govern a subdistrict (the PAO governs the province and is not one of these)
LOCAL_KINDS = (OrgKind.CITY_MUNICIPALITY, OrgKind.TOWN_MUNICIPALITY, OrgKind.SUBDISTRICT_MUNICIPALITY,
               OrgKind.SAO, OrgKind.SPECIAL_LAO)
DESK_KINDS = (OrgKind.PAO, OrgKind.SPECIAL_LAO)  # the BMA is Bangkok's PAO and desk


@dataclass(frozen=True)
class Route:
    organisation: Organisation | None   # who is responsible (the desk when routing failed)
    desk: Organisation | None           # the province's Clinic Center desk (PAO)
    note: str = ""                      # why the report waits at the desk ("" = routed by duty)
    province: Area | None = None        # the province of the place (the report's province)


def _chain(area: Area) -> tuple[Area | None, Area | None, Area | None]:
    """(subdistrict, district, province) of an area of any of these kinds."""
    sub = district = province = None
    node = area
    while node is not None:
        if node.kind == AreaKind.SUBDISTRICT:
            sub = node
        elif node.kind == AreaKind.DISTRICT:
            district = node
        elif node.kind == AreaKind.PROVINCE:
            province = node
            break
        node = node.parent
    return sub, district, province


def desk_for(province: Area | None) -> Organisation | None:
    """The PAO (Bangkok: the BMA) of a province: its Clinic Center desk."""
    if province is None:
        return None
    return Organisation.objects.filter(area=province, kind__in=DESK_KINDS).order_by("kind", "pk").first()


def _local(sub: Area | None, district: Area | None) -> tuple[Organisation | None, str]:
    for place in (sub, district):
        if place is None:
            continue
        found = list(Organisation.objects.filter(area=place, kind__in=LOCAL_KINDS)[:3])
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            names = ", ".join(o.name_th for o in found)
            return None, f"มีองค์กรปกครองส่วนท้องถิ่นมากกว่าหนึ่งแห่งใน{place.display_name} ({names}) ศูนย์ฯ ต้องเลือกผู้รับผิดชอบ"
    where = sub.display_name if sub else (district.display_name if district else "พื้นที่นี้")
    return None, f"ไม่พบองค์กรปกครองส่วนท้องถิ่นที่ดูแล{where} ในระบบ"


def _agency(category: Category, district: Area | None, province: Area) -> tuple[Organisation | None, str]:
    if category.agency == AgencyKind.DISTRICT_OFFICE and district is not None:
        org = Organisation.objects.filter(area=district, kind=OrgKind.PROVINCIAL_AGENCY).order_by("pk").first()
        return org, "" if org else f"ไม่พบที่ว่าการอำเภอของ{district.display_name} ในระบบ"
    org = Organisation.objects.filter(area=province, kind=OrgKind.PROVINCIAL_OFFICE).order_by("pk").first()
    return org, "" if org else f"ไม่พบสำนักงานจังหวัดของ{province.display_name} ในระบบ"


ROUTES = "clinic-routes"   # the generation (oneplan.core.generations) every cached route belongs to
CACHE_SECONDS = 24 * 3600


def forget_routes() -> None:
    """Every cached route is stale from now on (one cheap delete, so loading thousands of organisations
    stays fast)."""
    generations.forget(ROUTES)


def places_or_organisations_changed(**kwargs) -> None:
    """Signal receiver (clinic/apps.py): an Organisation or Area was saved or deleted."""
    generations.changed(ROUTES)


def route(category: Category, area: Area | None) -> Route:
    """The one organisation responsible for a report of `category` at `area` (a subdistrict, or a
    coarser area when that is all that is known). Cached per (duty, agency, area): see the module text."""
    if area is None:
        return Route(None, None, "ไม่ทราบตำบลที่เกิดปัญหา ศูนย์ฯ ต้องระบุพื้นที่และผู้รับผิดชอบ")
    key = f"clinic:route:{category.duty}:{category.agency}:{area.pk}"
    return generations.cached(ROUTES, key, lambda: resolve(category, area), CACHE_SECONDS)


def resolve(category: Category, area: Area) -> Route:
    """route() without the cache: reads the organisations now."""
    sub, district, province = _chain(area)
    desk = desk_for(province)
    if province is None:
        return Route(None, None, "ไม่ทราบจังหวัดที่เกิดปัญหา ศูนย์ฯ ต้องระบุพื้นที่และผู้รับผิดชอบ")
    if category.duty == DutyLevel.PAO:
        org, note = desk, "" if desk else f"ไม่พบองค์การบริหารส่วนจังหวัดของ{province.display_name} ในระบบ"
    elif category.duty == DutyLevel.AGENCY:
        org, note = _agency(category, district, province)
    elif desk is not None and desk.kind == OrgKind.SPECIAL_LAO:
        org, note = desk, ""  # Bangkok: the BMA is the local government of every khwaeng
    else:
        org, note = _local(sub, district)
    if org is None:
        return Route(desk, desk, note, province)
    return Route(org, desk, "", province)
