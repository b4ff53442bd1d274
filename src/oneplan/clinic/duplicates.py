"""Suggested duplicates for the desk: open reports of the same province near this one (same
subdistrict, or within DISTANCE_M when both have coordinates) whose text is similar (Jaccard of the
content words, by the linkage engine's Thai tokeniser). A suggestion only: the desk decides."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q

from oneplan.linkage.lexical import content_tokens

from .models import Report

DISTANCE_M = 500
WINDOW_DAYS = 90
MIN_SIMILARITY = 0.3
LIMIT = 5


@dataclass
class Suggestion:
    report: Report
    similarity: float
    distance_m: float | None


def distance_m(a: Report, b: Report) -> float | None:
    """Great-circle distance in metres (haversine), or None without coordinates on both."""
    if None in (a.lat, a.lng, b.lat, b.lng):
        return None
    lat1, lng1, lat2, lng2 = map(math.radians, map(float, (a.lat, a.lng, b.lat, b.lng)))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def similarity(a: str, b: str) -> float:
    ta, tb = set(content_tokens(a)), set(content_tokens(b))
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def suggest(report: Report) -> list[Suggestion]:
    if report.province_id is None:
        return []
    since = report.created_at - timedelta(days=WINDOW_DAYS)
    near = Q(area_id=report.area_id) if report.area_id else Q(pk__in=[])
    if report.lat is not None:
        near |= Q(lat__isnull=False)  # filtered by distance below
    candidates = (Report.objects.open().filter(province_id=report.province_id, created_at__gte=since)
                  .filter(near).exclude(pk=report.pk).select_related("category")[:300])
    out = []
    for other in candidates:
        d = distance_m(report, other)
        if other.area_id != report.area_id and (d is None or d > DISTANCE_M):
            continue
        score = similarity(report.text, other.text) + (0.2 if other.category_id == report.category_id else 0)
        if score >= MIN_SIMILARITY:
            out.append(Suggestion(other, round(min(score, 1.0), 2), d))
    return sorted(out, key=lambda s: -s.similarity)[:LIMIT]
