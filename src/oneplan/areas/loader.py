"""Load areas: provinces, districts and subdistricts from geothai (CC-BY-4.0, attribution kept in
the README and the about page), planning regions and province clusters from our data files."""
import json
from datetime import date
from pathlib import Path

import geothai
from django.db import transaction

from .models import Area, AreaKind, ClusterMembership

DATA = Path(__file__).parent / "data"
GEOTHAI_ATTRIBUTION = "Administrative areas: geothai (CC-BY-4.0), data version " + str(
    getattr(geothai, "DATA_VERSION", ""))


def _upsert(code, kind, name_th, name_en="", parent=None, **extra):
    area, _ = Area.objects.update_or_create(
        code=code, defaults={"kind": kind, "name_th": name_th, "name_en": name_en, "parent": parent, **extra})
    return area


@transaction.atomic
def load_areas(with_subdistricts: bool = True) -> dict:
    country = _upsert("TH", AreaKind.COUNTRY, "ประเทศไทย", "Thailand")
    region_of = {}
    regions_file = DATA / "regions.json"
    regions = json.loads(regions_file.read_text("utf-8")) if regions_file.exists() else []
    for r in regions:
        area = _upsert(r["code"], AreaKind.REGION, r["name_th"], r.get("name_en", ""), country,
                       confirmed=r.get("confirmed", True), source_note=r.get("source_note", "")[:300])
        region_of.update({p: area for p in r["provinces"]})
    counts = {"province": 0, "district": 0, "subdistrict": 0}
    existing = {a.code: a for a in Area.objects.filter(kind__in=["province", "district", "subdistrict"])}
    for p in geothai.provinces():
        prov = _upsert(p.code, AreaKind.PROVINCE, p.name_th, p.name_en, region_of.get(p.code, country))
        counts["province"] += 1
        new_subs = []
        for d in geothai.districts(p.code):
            dist = existing.get(d.code) or _upsert(d.code, AreaKind.DISTRICT, d.name_th, d.name_en, prov)
            counts["district"] += 1
            if not with_subdistricts:
                continue
            for s in geothai.subdistricts(d.code):
                counts["subdistrict"] += 1
                if s.code not in existing:
                    new_subs.append(Area(code=s.code, kind=AreaKind.SUBDISTRICT, name_th=s.name_th,
                                         name_en=s.name_en, parent=dist))
        Area.objects.bulk_create(new_subs, ignore_conflicts=True)
    clusters_file = DATA / "clusters.json"
    for c in json.loads(clusters_file.read_text("utf-8")) if clusters_file.exists() else []:
        region = Area.objects.filter(code=c.get("region")).first() or country
        cluster = _upsert(c["code"], AreaKind.CLUSTER, c["name_th"], c.get("name_en", ""), region,
                          confirmed=c.get("confirmed", True))
        for m in c.get("memberships", []):
            for code in m["provinces"]:
                ClusterMembership.objects.update_or_create(
                    cluster=cluster, province=Area.objects.get(code=code),
                    effective_from=date.fromisoformat(m["effective_from"]),
                    defaults={"effective_to": date.fromisoformat(m["effective_to"]) if m.get("effective_to") else None,
                              "announcement": m.get("announcement", "")})
        counts["cluster"] = counts.get("cluster", 0) + 1
    counts["region"] = len(regions)
    return counts
