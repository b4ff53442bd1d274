"""Finished pages: what people read is Thai prose. No internal codes, numbers grouped by thousands,
names in Thai dictionary order, a top menu that folds away on a phone and offers visitors only
what they can use, and the server's Thai form messages rather than the browser's English ones."""
import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from oneplan.areas.models import Area
from oneplan.governance.workflow import step_labels
from oneplan.plans.models import ElementKind
from oneplan.testing.factories import OrganisationFactory, editor_of
from oneplan.transfer.tests.conftest import editor, lao, workbook  # noqa: F401 - fixtures of the import preview

pytestmark = pytest.mark.django_db

# Codes that mean something to the program only: workflow steps, element kinds, research notes.
INTERNAL = sorted({code for code, _label in step_labels()} | set(ElementKind.values) | {"seed", "confirmed"})
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


def visible_text(page: str) -> str:
    """The text a reader sees: no markup, scripts or attribute values (URLs and classes may hold codes)."""
    return html.unescape(TAG.sub(" ", SCRIPT_OR_STYLE.sub(" ", page)))


def codes_shown(page: str) -> list[str]:
    text = visible_text(page)
    return [code for code in INTERNAL if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]


def get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _menu(page: str) -> str:
    return re.search(r'<details class="menu">(.*?)</details>', page, re.S).group(1)


@pytest.fixture
def demo_province_user(db, settings):
    """The demo account of the Phuket provincial office, with every workflow step on the calendar."""
    from oneplan.governance.accounts import load_demo_accounts
    from oneplan.governance.models import CalendarDeadline

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # eight demo accounts
    load_demo_accounts()
    soon = timezone.localdate() + timedelta(days=10)
    for code, _label in step_labels():
        CalendarDeadline.objects.update_or_create(plan_kind="provincial", step=code, fiscal_year=2599,
                                                  defaults={"due_date": soon})
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="demo-province")


def test_public_pages_show_no_internal_codes(client, phuket_plan):
    pages = {
        "home": reverse("home"), "plans": reverse("plans:list"), "plan": phuket_plan.get_absolute_url(),
        "frameworks": reverse("frameworks:list"), "areas": reverse("areas:index"),
        "organisations": reverse("organisations:list"),
    }
    shown = {name: codes_shown(get(client, url)) for name, url in pages.items()}
    assert shown == {name: [] for name in pages}


def test_the_source_note_says_unconfirmed_in_thai(client, phuket_plan):
    text = visible_text(get(client, phuket_plan.get_absolute_url()))
    assert "ยังไม่ยืนยันกับต้นฉบับ" in text and "seed 0" not in text


def test_dashboard_calendar_names_the_steps_in_thai(client, demo_province_user):
    client.force_login(demo_province_user)
    page = get(client, reverse("governance:dashboard"))
    assert codes_shown(page) == []
    text = visible_text(page)
    assert all(str(label) in text for _code, label in step_labels())


def test_import_preview_names_element_kinds_in_thai(client, editor, workbook):  # noqa: F811 - fixtures
    client.force_login(editor)
    with open(workbook(), "rb") as fh:
        response = client.post(reverse("transfer:upload"), {"file": fh})
    assert response.status_code == 302
    token = response.url.rstrip("/").split("/")[-1]
    page = get(client, reverse("transfer:preview_result", args=[token]))
    assert str(ElementKind.PROJECT.label) in visible_text(page)
    assert codes_shown(page) == []


def test_kpi_values_are_grouped_by_thousands(client, phuket_plan):
    text = visible_text(get(client, phuket_plan.get_absolute_url()))
    assert "384,000" in text and "384000" not in text


@pytest.mark.parametrize("value,shown", [
    (384000, "384,000"), (Decimal("384000.0000"), "384,000"), (Decimal("12.5000"), "12.5"),
    (Decimal("1234567.125"), "1,234,567.125"), (Decimal("1E+3"), "1,000"), (None, ""), ("ร้อยละ 80", "ร้อยละ 80"),
])
def test_num_filter_groups_thousands_without_forcing_decimals(value, shown):
    assert Template("{{ v|num }}").render(Context({"v": value})) == shown


def test_visitors_are_not_offered_pages_that_need_a_login(client):
    menu = _menu(get(client, reverse("plans:list")))
    assert reverse("governance:dashboard") not in menu and reverse("transfer:index") not in menu
    assert reverse("consultation:index") in menu  # public pages stay


def test_signed_in_users_get_their_pages_and_their_name(client, demo_province_user):
    demo_province_user.first_name, demo_province_user.last_name = "สมศรี", "ทดสอบ"
    demo_province_user.save()
    client.force_login(demo_province_user)
    page = get(client, reverse("plans:list"))
    menu = _menu(page)
    assert reverse("governance:dashboard") in menu and reverse("transfer:index") in menu
    assert "สมศรี ทดสอบ" in visible_text(page)


def test_the_menu_folds_behind_a_button_without_script(client):
    page = get(client, reverse("plans:list"))
    assert re.search(r'<details class="menu">\s*<summary>เมนู</summary>\s*<nav ', page)
    assert "<script>" not in page  # the content security policy allows no inline script


def test_provinces_are_listed_in_thai_dictionary_order(client):
    text = visible_text(get(client, reverse("areas:index")))
    # in code-point order น่าน and ลำปาง would come before the names that start with เ or แ
    assert text.index("เชียงราย") < text.index("น่าน") and text.index("แม่ฮ่องสอน") < text.index("ลำปาง")


def test_organisations_are_listed_in_thai_dictionary_order(client):
    names = ["กระบี่ทดสอบเรียง", "เชียงรายทดสอบเรียง", "ตากทดสอบเรียง", "แพร่ทดสอบเรียง"]  # code points: ก ต เ แ
    for name in reversed(names):
        OrganisationFactory(kind="civil_society", name_th=name)
    text = visible_text(get(client, reverse("organisations:list") + "?kind=civil_society"))
    assert sorted(names, key=text.index) == names


def test_the_plan_forms_area_select_is_in_thai_dictionary_order(client):
    org = OrganisationFactory(kind="subdistrict_municipality", area=Area.objects.get(code="83"))
    client.force_login(editor_of(org, "sort-editor"))
    page = get(client, reverse("plans:create"))
    select = re.search(r'<select name="area"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = [visible_text(o).strip() for o in re.findall(r"<option[^>]*>(.*?)</option>", select)]
    assert options.index("เชียงราย") < options.index("น่าน") and options.index("แม่ฮ่องสอน") < options.index("ลำปาง")


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
FIELDS = re.compile(r"<(input|select|textarea)\b(?![^>]*type=\"(hidden|submit)\")")


FIELD_IN_TEMPLATE = re.compile(r"\{\{\s*(\w+\.)*(\w*form|field)\b|\.as_div|" + FIELDS.pattern)


def _forms_without_novalidate(page: str, field=FIELDS) -> list[str]:
    return [attrs.strip()[:70] for attrs, body in FORM.findall(page)
            if 'method="get"' not in attrs and field.search(body) and "novalidate" not in attrs]


def test_forms_with_fields_leave_validation_to_the_server(client, phuket_plan, demo_province_user):
    """Browsers word the `required` check in their own language ("Please fill out this field.")."""
    client.force_login(demo_province_user)
    element = phuket_plan.elements.filter(kind="kpi").first()
    urls = [reverse("login"), reverse("plans:create"), element.get_absolute_url(), reverse("transfer:index")]
    assert {url: _forms_without_novalidate(get(client, url)) for url in urls} == {url: [] for url in urls}


def test_no_template_form_with_fields_lacks_novalidate():
    from pathlib import Path

    src = Path(__file__).resolve().parents[2]
    found = {str(t.relative_to(src)): _forms_without_novalidate(t.read_text("utf-8"), FIELD_IN_TEMPLATE)
             for t in src.glob("*/templates/**/*.html")}
    assert {name: forms for name, forms in found.items() if forms} == {}
