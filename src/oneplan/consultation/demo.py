"""Demo hearings from the seed articles (data/demo.json), loaded by `oneplan load-demo-consultation`.
Re-loading updates in place (rounds and events by title, comments by text); all-or-nothing."""
import json
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from oneplan.plans.models import Plan

from .models import (
    AgendaItem,
    Answer,
    Attendance,
    BreakoutGroup,
    Comment,
    CommentSource,
    ConsultationRound,
    Event,
)

DATA = Path(__file__).parent / "data" / "demo.json"


def _date(value):
    return date.fromisoformat(value) if value else None


@transaction.atomic
def load_demo_consultation(path: Path = DATA, stdout=None) -> dict:
    data = json.loads(path.read_text("utf-8"))
    counts = {"rounds": 0, "events": 0, "comments": 0, "skipped": []}
    plans = {p.key: p for p in Plan.objects.filter(key__in={r["plan"] for r in data["rounds"] + data["events"]})}
    for r in data["rounds"]:
        plan = plans.get(r["plan"])
        if plan is None:  # demo plans are loaded first; a missing one is reported, not fatal
            counts["skipped"].append(r["plan"])
            continue
        round_ = _load_round(plan, r)
        counts["rounds"] += 1
        groups = []
        for e in r.get("events", []):
            event = _load_event(plan, e, round_)
            groups.extend(event.groups.order_by("order"))
            counts["events"] += 1
        for c in r.get("comments", []):
            _load_comment(round_, plan, c, groups)
            counts["comments"] += 1
    for e in data["events"]:
        plan = plans.get(e["plan"])
        if plan is None:
            counts["skipped"].append(e["plan"])
            continue
        _load_event(plan, e, None)
        counts["events"] += 1
    if stdout:
        stdout.write(f"  รอบการรับฟัง {counts['rounds']}, เวที {counts['events']}, ความคิดเห็น {counts['comments']}"
                     + (f" (ไม่พบแผน: {', '.join(counts['skipped'])})" if counts["skipped"] else ""))
    return counts


def _load_round(plan, r) -> ConsultationRound:
    round_, _ = ConsultationRound.objects.update_or_create(plan=plan, title=r["title"], defaults={
        "purpose": r.get("purpose", ""), "opens_on": _date(r["opens_on"]), "closes_on": _date(r.get("closes_on")),
        "mode": r["mode"], "status": r["status"], "invited_sectors": r.get("invited_sectors", []),
        "responsible": r["responsible"]})
    return round_


def _load_event(plan, e, round_) -> Event:
    event, _ = Event.objects.update_or_create(plan=plan, title=e["title"], defaults={
        "round": round_, "kind": e["kind"], "starts_on": _date(e["starts_on"]), "ends_on": _date(e.get("ends_on")),
        "venue": e["venue"], "organiser": e.get("organiser", ""), "chair": e.get("chair", ""),
        "description": e.get("description", ""), "minutes": e.get("minutes", ""),
        "resolutions": e.get("resolutions", "")})
    event.agenda.all().delete()
    AgendaItem.objects.bulk_create(AgendaItem(event=event, order=i, **item) for i, item in enumerate(e["agenda"], 1))
    event.attendance.all().delete()
    Attendance.objects.bulk_create(Attendance(event=event, **a) for a in e["attendance"])
    elements = {el.code: el for el in plan.elements.all()}
    for i, g in enumerate(e["groups"], 1):  # keep groups (proposals point at them), update by theme
        BreakoutGroup.objects.update_or_create(event=event, theme=g["theme"], defaults={
            "order": i, "element": elements.get(g.get("element")), "facilitator": g.get("facilitator", "")})
    return event


def _load_comment(round_, plan, c, groups):
    elements = {el.code: el for el in plan.elements.all()}
    group = groups[c["group"] - 1] if c.get("group") and c["group"] <= len(groups) else None
    comment, _ = Comment.objects.update_or_create(round=round_, text=c["text"], defaults={
        "element": elements.get(c.get("element")), "kind": c.get("kind", "comment"),
        "source": CommentSource.BREAKOUT if group else CommentSource.ONLINE, "group": group,
        "project_title": c.get("project_title", ""),
        "project_budget": Decimal(c["project_budget"]) if c.get("project_budget") else None,
        "sector": c["sector"], "name": c.get("name", ""), "organisation": c.get("organisation", ""),
        "consent_store": c.get("consent_store", False), "consent_public": c.get("consent_public", False)})
    when = timezone.make_aware(datetime.combine(round_.closes_on or round_.opens_on, time(15, 0)))
    Comment.objects.filter(pk=comment.pk).update(created_at=when)
    a = c.get("answer")
    if a:
        Answer.objects.update_or_create(comment=comment, defaults={
            "outcome": a["outcome"], "text": a.get("text", ""), "element": elements.get(a.get("element")),
            "change_made": a.get("change_made", ""), "referred_to": a.get("referred_to", "")})
