"""Setting up accounts: one user's role in an organisation, and the demo accounts."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from oneplan.organisations.loader import committee_type_of
from oneplan.organisations.models import Membership, Organisation, Role

from .models import CalendarDeadline

DEMO_FILE = Path(__file__).parent / "data" / "demo_accounts.json"


@transaction.atomic
def create_user(username: str, org_key: str, role: str, password: str | None = None, **names):
    """Create the user if new (password checked by the password rules) and give them the role."""
    errors = []
    org = Organisation.objects.filter(key=org_key).first()
    if org is None:
        errors.append(f"ไม่พบหน่วยงานรหัส “{org_key}”")
    if role not in Role.values:
        errors.append(f"บทบาท “{role}” ไม่ถูกต้อง (ใช้ได้: {', '.join(Role.values)})")
    if role == Role.SECRETARY and org is not None and org.kind != "committee":
        errors.append(f"บทบาทเลขานุการใช้กับหน่วยงานประเภทคณะกรรมการเท่านั้น (“{org_key}” ไม่ใช่คณะกรรมการ)")
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username, **names)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors += [f"รหัสผ่าน: {m}" for m in exc.messages]
    elif user.pk is None:
        errors.append("ผู้ใช้ใหม่ต้องกำหนดรหัสผ่าน")
    if errors:
        raise ValidationError(errors)
    if password:
        user.set_password(password)
    user.save()
    membership, _ = Membership.objects.get_or_create(user=user, organisation=org, role=role)
    return user, membership


@transaction.atomic
def load_demo_accounts(path: Path = DEMO_FILE) -> int:
    from oneplan.areas.models import Area

    data = json.loads(path.read_text("utf-8"))
    for item in data["committees"]:
        Organisation.objects.update_or_create(key=item["key"], defaults={
            "kind": item["kind"], "committee_type": committee_type_of(item), "name_th": item["name_th"],
            "name_en": item.get("name_en", ""), "parent": Organisation.objects.get(key=item["parent"]),
            "area": Area.objects.filter(code=item.get("area")).first()})
    for item in data["accounts"]:
        for org_key, role in item["memberships"]:
            create_user(item["username"], org_key, role, data["password"],
                        first_name=item.get("first_name", ""), last_name=item.get("last_name", ""))
    for d in data["deadlines"]:
        CalendarDeadline.objects.update_or_create(
            plan_kind=d["plan_kind"], step=d["step"], fiscal_year=d["fiscal_year"],
            defaults={"due_date": date.fromisoformat(d["due_date"]), "note": d.get("note", "")})
    return len(data["accounts"])
