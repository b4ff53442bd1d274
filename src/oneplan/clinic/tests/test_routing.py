"""Routing: the subdistrict and the category's duty give one responsible organisation; when that
fails the report waits at the PAO's desk with the reason (never lost)."""
import pytest

from oneplan.areas.models import Area
from oneplan.clinic.routing import desk_for, route
from oneplan.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_lao_duty_goes_to_the_municipality_of_the_subdistrict(phuket, category):
    r = route(category("street-light"), phuket["sub"])
    assert r.organisation.key == "choeng-thale-municipality"
    assert r.desk.key == "phuket-pao"
    assert r.note == ""


def test_pao_duty_goes_to_the_pao_of_the_province(phuket, category):
    r = route(category("tourism"), phuket["sub"])
    assert r.organisation.key == "phuket-pao" and r.note == ""


def test_agency_duty_goes_to_the_district_or_provincial_office(phuket, category):
    office = Organisation.objects.create(key="district-office-8303", kind="provincial_agency",
                                         name_th="ที่ว่าการอำเภอถลาง", area=phuket["district"])
    assert route(category("public-order"), phuket["sub"]).organisation == office
    assert route(category("other-agency"), phuket["sub"]).organisation.key == "phuket-provincial-office"


def test_no_lao_in_the_subdistrict_waits_at_the_desk_with_the_reason(category):
    talat_yai = Area.objects.get(code="830101")
    r = route(category("street-light"), talat_yai)
    assert r.organisation.key == "phuket-pao"
    assert "ไม่พบองค์กรปกครองส่วนท้องถิ่น" in r.note and talat_yai.name_th in r.note


def test_two_laos_in_one_subdistrict_cannot_be_told_apart_so_the_desk_chooses(phuket, category):
    Organisation.objects.create(key="mx-sao-ct", kind="sao", name_th="อบต.ทดสอบ", area=phuket["sub"])
    r = route(category("waste"), phuket["sub"])
    assert r.organisation.key == "phuket-pao"
    assert "มากกว่าหนึ่งแห่ง" in r.note and "เทศบาลตำบลเชิงทะเล" in r.note


def test_a_city_municipality_filed_under_its_district_governs_its_subdistricts(category):
    sub = Area.objects.get(code="830101")
    city = Organisation.objects.create(key="mx-city", kind="city_municipality", name_th="เทศบาลนครภูเก็ต",
                                       area=sub.parent)
    assert route(category("drainage"), sub).organisation == city


def test_no_place_or_no_pao_still_gives_a_reason(category):
    assert route(category("road"), None).organisation is None
    assert "ไม่ทราบตำบล" in route(category("road"), None).note
    # a province whose PAO is not in the system: nobody, but the reason says so
    sub = Area.objects.filter(kind="subdistrict", code__startswith="57").first()  # เชียงราย
    r = route(category("tourism"), sub)
    assert r.organisation is None and "ไม่พบองค์การบริหารส่วนจังหวัด" in r.note


def test_desk_is_the_pao(phuket):
    assert desk_for(phuket["province"]).key == "phuket-pao"
    assert desk_for(None) is None


def test_a_cached_route_follows_organisations_that_are_added_and_removed(phuket, category):
    """Routes are cached per (duty, agency, place); a new or removed LAO changes the next report's route."""
    talat_yai, lights = Area.objects.get(code="830101"), category("street-light")
    assert route(lights, talat_yai).note and route(lights, talat_yai).organisation.key == "phuket-pao"
    city = Organisation.objects.create(key="mx-city-2", kind="city_municipality", name_th="เทศบาลนครภูเก็ต",
                                       area=talat_yai)
    r = route(lights, talat_yai)
    assert r.organisation == city and r.note == "" and r.province.code == "83"
    city.delete()
    assert route(lights, talat_yai).organisation.key == "phuket-pao"
    # the municipality of Choeng Thale is renamed: the route gives the organisation as it is now
    muni = route(lights, phuket["sub"]).organisation
    muni.name_th = "เทศบาลเมืองเชิงทะเล"
    muni.save()
    assert route(lights, phuket["sub"]).organisation.name_th == "เทศบาลเมืองเชิงทะเล"
    # a second LAO in the subdistrict sends the next report to the desk
    Organisation.objects.create(key="mx-sao-ct-2", kind="sao", name_th="อบต.ทดสอบ", area=phuket["sub"])
    assert route(lights, phuket["sub"]).organisation.key == "phuket-pao"
