"""Find a province, district and subdistrict of geothai (the areas app) by the names a registry or a
plan header writes ("จ.สงขลา", "อำเภอหาดใหญ่", "ต.ท่าข้าม"), each looked up inside the one above it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from oneplan.areas.models import Area, AreaKind
from oneplan.core.thai import normalise

_PREFIX = {
    AreaKind.PROVINCE: re.compile(r"^(จังหวัด|จ\.)\s*"),
    AreaKind.DISTRICT: re.compile(r"^(กิ่งอำเภอ|อำเภอ|อ\.|เขต|ข\.)\s*"),
    AreaKind.SUBDISTRICT: re.compile(r"^(ตำบล|ต\.|แขวง)\s*"),
}
LABEL = {AreaKind.PROVINCE: "จังหวัด", AreaKind.DISTRICT: "อำเภอ", AreaKind.SUBDISTRICT: "ตำบล"}


def area_key(kind: str, name) -> str:
    """An area's name as compared: no prefix word (จังหวัด/จ., อำเภอ/อ./เขต, ตำบล/ต./แขวง), no spaces."""
    text = normalise(str(name or ""))
    return _PREFIX[kind].sub("", text).replace(" ", "")


@dataclass
class Place:
    area: Area | None = None          # the most precise area named
    province: Area | None = None
    column: str = ""                  # which of province/district/subdistrict is wrong, when one is
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def _child(kind, name, parent: Area | None) -> Area | None:
    key = area_key(kind, name)
    qs = Area.objects.filter(kind=kind)
    qs = qs.filter(parent=parent) if parent is not None else qs
    return next((a for a in qs.only("id", "code", "name_th", "kind", "parent_id") if area_key(kind, a.name_th) == key),
                None)


def find_place(province="", district="", subdistrict="") -> Place:
    """Each level must exist inside the one above it; a level left blank stops the search there."""
    place = Place()
    parent = None
    for kind, name in ((AreaKind.PROVINCE, province), (AreaKind.DISTRICT, district),
                       (AreaKind.SUBDISTRICT, subdistrict)):
        if not area_key(kind, name):
            if kind == AreaKind.PROVINCE:
                return Place(column="province", problem="ไม่ได้ระบุจังหวัด")
            break
        area = _child(kind, name, parent)
        if area is None:
            where = f" ใน{parent.display_name}" if parent is not None else ""
            column = {AreaKind.PROVINCE: "province", AreaKind.DISTRICT: "district"}.get(kind, "subdistrict")
            return Place(place.area, place.province, column,
                         f"ไม่พบ{LABEL[kind]} “{normalise(str(name))}”{where} ในทะเบียนพื้นที่ (geothai)")
        place.area, parent = area, area
        if kind == AreaKind.PROVINCE:
            place.province = area
    return place


def in_province_q(province: Area, prefix: str = "area"):
    """Organisations (or anything with an area) in a province: the province, its districts, subdistricts."""
    from django.db.models import Q

    return (Q(**{prefix: province}) | Q(**{f"{prefix}__parent": province})
            | Q(**{f"{prefix}__parent__parent": province}))
