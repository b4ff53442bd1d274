"""The bodies that plan in every province, made from the areas (geothai provinces and districts, the
18 province clusters): for each province its provincial office (สำนักงานจังหวัด), its PAO (อบจ.; Bangkok
is governed by กรุงเทพมหานคร instead), its ก.บ.จ. and its provincial office of local administration (สถ.จ.);
for each cluster its ก.บ.ก.; for each district its district office (ที่ว่าการอำเภอ / สำนักงานเขต).

A body that already exists (the same kind, committee type and area — e.g. the demo's
"phuket-provincial-office") is kept as it is, so loading twice, or after the demo, never makes a
second copy of the same body.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from oneplan.areas.models import Area, AreaKind

from .models import CommitteeType, Organisation, OrgKind

BANGKOK = "10"


@dataclass(frozen=True)
class Body:
    key: str
    kind: str
    name_th: str
    name_en: str
    area: Area
    committee_type: str = ""


def _province_bodies(p: Area) -> list[Body]:
    name, en = p.name_th, p.name_en or p.name_th
    bodies = [
        Body(f"province-office-{p.code}", OrgKind.PROVINCIAL_OFFICE, f"สำนักงานจังหวัด{name}" if p.code != BANGKOK
             else "สำนักยุทธศาสตร์และประเมินผล กรุงเทพมหานคร", f"{en} Provincial Office", p),
        Body(f"kbj-{p.code}", OrgKind.COMMITTEE, f"คณะกรรมการบริหารงานจังหวัดแบบบูรณาการ (ก.บ.จ.) {name}",
             f"{en} Provincial Integrated Administration Committee", p, CommitteeType.KBJ),
        Body(f"dla-province-{p.code}", OrgKind.PROVINCIAL_AGENCY, f"สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด{name}",
             f"{en} Provincial Office of Local Administration", p),
    ]
    if p.code == BANGKOK:
        bodies.append(Body("bma", OrgKind.SPECIAL_LAO, "กรุงเทพมหานคร", "Bangkok Metropolitan Administration", p))
    else:
        bodies.append(Body(f"pao-{p.code}", OrgKind.PAO, f"องค์การบริหารส่วนจังหวัด{name}",
                           f"{en} Provincial Administrative Organisation", p))
    return bodies


def _district_body(d: Area) -> Body:
    bangkok = d.code.startswith(BANGKOK)
    return Body(f"district-office-{d.code}", OrgKind.PROVINCIAL_AGENCY,
                f"สำนักงานเขต{d.name_th}" if bangkok else f"ที่ว่าการอำเภอ{d.name_th}",
                f"{d.name_en or d.name_th} District Office", d)


def _cluster_body(c: Area) -> Body:
    return Body(f"kbk-{c.code.lower()}", OrgKind.COMMITTEE,
                f"คณะกรรมการบริหารงานกลุ่มจังหวัดแบบบูรณาการ (ก.บ.ก.) {c.name_th}",
                f"{c.name_en or c.name_th} Cluster Integrated Administration Committee", c, CommitteeType.KBK)


def bodies() -> list[Body]:
    out = []
    for p in Area.objects.filter(kind=AreaKind.PROVINCE).order_by("code"):
        out += _province_bodies(p)
    out += [_cluster_body(c) for c in Area.objects.filter(kind=AreaKind.CLUSTER).order_by("code")]
    out += [_district_body(d) for d in Area.objects.filter(kind=AreaKind.DISTRICT).order_by("code")]
    return out


# one body of these kinds per area: an existing one (whatever its key) is the same body
ONE_PER_AREA = {OrgKind.PROVINCIAL_OFFICE, OrgKind.PAO, OrgKind.COMMITTEE}


def _existing_key(body: Body, index: dict) -> str | None:
    return index.get((body.kind, body.committee_type, body.area.pk)) if body.kind in ONE_PER_AREA else None


@transaction.atomic
def load_national_bodies() -> dict[str, int]:
    """Create the bodies that do not exist yet; returns how many were created and kept."""
    index = {}
    for key, kind, ctype, area_id in Organisation.objects.filter(area__isnull=False).values_list(
            "key", "kind", "committee_type", "area_id"):
        index.setdefault((kind, ctype, area_id), key)
    taken = set(Organisation.objects.values_list("key", flat=True))
    new, wanted = [], bodies()
    for body in wanted:
        if _existing_key(body, index) or body.key in taken:
            continue
        new.append(Organisation(key=body.key, kind=body.kind, name_th=body.name_th, name_en=body.name_en,
                                area=body.area, committee_type=body.committee_type))
        taken.add(body.key)
    Organisation.objects.bulk_create(new, batch_size=500)
    return {"created": len(new), "kept": len(wanted) - len(new)}
