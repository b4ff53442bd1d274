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


# --- an LAO named in a plan's heading that the registry does not know yet -------------------------
_LAO_WORD = re.compile(r"(องค์การบริหารส่วนตำบล|องค์การบริหารส่วนจังหวัด|เทศบาลตำบล|เทศบาลเมือง|เทศบาลนคร)\s*([ก-๙]+)")
_MARKERS = {"subdistrict": re.compile(r"(?:ตำบล|ต\.)\s*([ก-๙]+)"),
            "district": re.compile(r"(?:อำเภอ|อ\.)\s*([ก-๙]+)"),
            "province": re.compile(r"(?:จังหวัด|จ\.)\s*([ก-๙]+)")}


@dataclass
class ProposedLao:
    """A body an import will create in the same transaction as its plan."""
    kind: str
    name_th: str
    area: Area
    key: str

    @property
    def description(self) -> str:
        from .names import ABBREVIATION
        from .registry import area_label

        return f"{self.name_th} ({ABBREVIATION.get(self.kind, '')}) {area_label(self.area)}"

    def unsaved(self):
        from .models import Organisation

        return Organisation(key=self.key, kind=self.kind, name_th=self.name_th, area=self.area)

    def create(self):
        from .models import Organisation

        org, _created = Organisation.objects.get_or_create(
            key=self.key, defaults={"kind": self.kind, "name_th": self.name_th, "area": self.area})
        return org


def lao_in_heading(texts: list[str]) -> tuple[ProposedLao | None, str]:
    """The LAO a heading names ("องค์การบริหารส่วนตำบลท่าข้าม อำเภอหาดใหญ่ จังหวัดสงขลา", abbreviations
    allowed) with its place found in geothai; or None and why not ("" when no LAO is named)."""
    from .names import expand, kind_from_name

    text = expand(" ".join(texts))
    match = _LAO_WORD.search(text)
    if match is None:
        return None, ""
    name = f"{match.group(1)}{match.group(2)}"
    kind = kind_from_name(name)
    rest = text[match.end():]
    said = {level: (m.group(1) if (m := rx.search(rest)) else "") for level, rx in _MARKERS.items()}
    if kind == "pao":
        said = {"province": said["province"] or match.group(2), "district": "", "subdistrict": ""}
    elif not said["subdistrict"] and kind in ("sao", "subdistrict_municipality"):
        said["subdistrict"] = match.group(2)    # an SAO is named after the subdistrict it governs
    place = find_place(said["province"], said["district"], said["subdistrict"])
    if not place.ok or place.area.kind == AreaKind.PROVINCE and kind != "pao":
        why = place.problem or "ไม่ได้ระบุอำเภอ/ตำบลที่ตั้ง"
        return None, f"หัวกระดาษระบุ “{name}” แต่{why}"
    return ProposedLao(kind, name, place.area, _free_key(place.area, kind)), ""


def _free_key(area: Area, kind: str) -> str:
    from .models import Organisation

    base = f"lao-{area.code}-{kind.replace('_', '-')}"
    key, n = base, 1
    while Organisation.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key
