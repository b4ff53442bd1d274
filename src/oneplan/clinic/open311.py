"""Open311 GeoReport v2 at /open311/v2/: a LINE bot or another city system sends and reads Clinic Center reports.

    GET  services.json                 the categories (service_code = Category.code)
    GET  services/{code}.json          the attributes a report of that category takes
    GET  requests.json                 public reports: service_request_id, service_code, status (open|closed),
                                       start_date / end_date (W3C date-time), limit (≤ 1000)
    POST requests.json                 a new report (form-encoded or multipart with `media` photos)
    GET  requests/{id}.json            one report (id = the reference number, CC-2569-000123)

JSON only: another format answers 400 with a Thai message. Errors are Open311 errors,
`[{"code": 400, "description": "…"}]`, with the HTTP status in `code`. An anonymous POST passes the web
form's checks, rate limits and routing (clinic.validation, clinic.photos, clinic.services.create_report);
a partner `api_key` (PartnerKey, issued by a desk) lifts the rate limits and marks the report's source.
Personal data (the reporter's name and phone, the follow token, the origin key) is never in an answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.http import JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from ninja.errors import HttpError

from oneplan.areas.models import Area, AreaKind
from oneplan.core.thai import to_arabic_digits

from .models import CLOSED_STATUSES, OPEN_STATUSES, Category, PartnerKey, Report, Source

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
MAX_BODY_BYTES = 12 * 1024 * 1024        # a few phone photos; anything larger is refused before it is read
MAX_PHOTOS = 5
FORMAT_ONLY_JSON = "รองรับเฉพาะรูปแบบ JSON: ใช้ที่อยู่ที่ลงท้ายด้วย .json (เช่น services.json)"
ATTRIBUTES = [  # what a report takes beyond Open311's own fields (lat, long, address_id, description …)
    {"variable": True, "code": "subdistrict", "datatype": "string", "required": False, "order": 1,
     "datatype_description": "รหัสตำบล 6 หลัก (เช่น 830303) ต้องระบุตำบลหรือพิกัด lat/long อย่างใดอย่างหนึ่ง",
     "description": "ตำบลที่เกิดปัญหา"},
    {"variable": True, "code": "village", "datatype": "string", "required": False, "order": 2,
     "datatype_description": "ข้อความไม่เกิน 200 ตัวอักษร", "description": "หมู่บ้าน / จุดสังเกต"},
    {"variable": True, "code": "consent", "datatype": "singlevaluelist", "required": False, "order": 3,
     "datatype_description": "ต้องเป็น yes จึงจะเก็บชื่อและหมายเลขโทรศัพท์ (ตาม พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล)",
     "description": "ยินยอมให้เก็บชื่อและหมายเลขโทรศัพท์เพื่อติดต่อกลับ", "values": [{"key": "yes", "name": "ยินยอม"}]},
]


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def error_response(status: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False,
                        json_dumps_params={"ensure_ascii": False})


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def open311_view(methods=("GET",)):
    """JSON only, the allowed methods, and every refusal as an Open311 error (never an HTML page)."""
    def wrap(fn):
        @csrf_exempt
        def view(request, fmt: str, **kwargs):
            if fmt.lower() != "json":
                return error_response(400, FORMAT_ONLY_JSON)
            if request.method not in methods:
                response = error_response(405, f"ใช้ได้เฉพาะ {' / '.join(methods)} กับที่อยู่นี้")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return fn(request, **kwargs)
            except Open311Error as exc:
                return error_response(exc.status, exc.description)
        view.__name__ = fn.__name__
        view.__doc__ = fn.__doc__
        return view
    return wrap


# -- who is calling -----------------------------------------------------------------------------------
def partner_of(params) -> PartnerKey | None:
    """The partner behind `api_key`; no key is an anonymous caller, a wrong or revoked key is refused."""
    key = (params.get("api_key") or "").strip()
    if not key:
        return None
    partner = PartnerKey.find(key)
    if partner is None:
        raise Open311Error(403, "api_key ไม่ถูกต้องหรือถูกเพิกถอนแล้ว กรุณาติดต่อศูนย์ Clinic Center ที่ออกคีย์ให้")
    PartnerKey.objects.filter(pk=partner.pk).update(last_used_at=timezone.now())
    return partner


def _read_limit(request) -> None:
    """Anonymous readers share the read API's per-address allowance (api.auth.rate_limit)."""
    from oneplan.api.auth import rate_limit

    try:
        rate_limit(request)
    except HttpError as exc:
        raise Open311Error(exc.status_code, str(exc)) from None


# -- services ------------------------------------------------------------------------------------------
def _service(category: Category) -> dict:
    return {"service_code": category.code, "service_name": category.name_th,
            "description": category.description_th, "metadata": True, "type": "realtime",
            "keywords": category.name_en, "group": category.get_duty_display()}


@open311_view()
def services(request):
    _read_limit(request)
    return _json([_service(c) for c in Category.objects.filter(active=True)])


@open311_view()
def service_definition(request, code: str):
    _read_limit(request)
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise Open311Error(404, f"ไม่พบประเภทปัญหารหัส “{code}” (ดูรายการที่ services.json)")
    return _json({"service_code": category.code, "attributes": ATTRIBUTES})


# -- requests: reading ------------------------------------------------------------------------------------
def _w3c(value: str, field: str, end: bool = False) -> datetime | None:
    """A W3C date-time (2026-10-01T08:00:00+07:00) or a date (2026-10-01, the whole day); a พ.ศ. year is
    read as such; a time without a zone is Thai time."""
    value = to_arabic_digits(value or "").strip()
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
        if parsed is None and (day := parse_date(value)) is not None:
            parsed = datetime.combine(day, time.max if end else time.min)
    except ValueError:
        parsed = None
    if parsed is None:
        raise Open311Error(400, f"{field}: รูปแบบวันเวลาไม่ถูกต้อง “{value[:40]}” (ใช้ เช่น 2026-10-01T00:00:00+07:00)")
    if parsed.year > 2400:
        parsed = parsed.replace(year=parsed.year - 543)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _codes(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@dataclass
class RequestFilters:
    ids: list[str]
    codes: list[str]
    statuses: list[str]
    start: datetime | None
    end: datetime | None
    limit: int

    @classmethod
    def parse(cls, params) -> RequestFilters:
        statuses = [s.lower() for s in _codes(params.get("status", ""))]
        if bad := [s for s in statuses if s not in ("open", "closed")]:
            raise Open311Error(400, f"status: ไม่รู้จักค่า “{bad[0]}” (ใช้ได้ open หรือ closed)")
        codes = _codes(params.get("service_code", ""))
        known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
        if unknown := [c for c in codes if c not in known]:
            raise Open311Error(400, f"service_code: ไม่พบประเภทปัญหารหัส “{unknown[0]}”")
        start = _w3c(params.get("start_date", ""), "start_date")
        end = _w3c(params.get("end_date", ""), "end_date", end=True)
        if start and end and end < start:
            raise Open311Error(400, "end_date ต้องไม่ก่อน start_date")
        raw_limit = to_arabic_digits(params.get("limit", "") or str(MAX_RESULTS)).strip()
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_RESULTS:
            raise Open311Error(400, f"limit: ต้องเป็นจำนวนเต็ม 1–{MAX_RESULTS}")
        ids = _codes(params.get("service_request_id", ""))
        if len(ids) > MAX_RESULTS:
            raise Open311Error(400, f"service_request_id: ขอได้ครั้งละไม่เกิน {MAX_RESULTS} เรื่อง")
        return cls(ids, codes, statuses, start, end, int(raw_limit))

    def queryset(self):
        qs = Report.objects.public()
        if self.ids:
            return qs.filter(reference__in=self.ids)     # ids given: the other filters do not apply (spec)
        if self.codes:
            qs = qs.filter(category__code__in=self.codes)
        if self.statuses and len(self.statuses) == 1:
            qs = qs.filter(status__in=OPEN_STATUSES if self.statuses[0] == "open" else CLOSED_STATUSES)
        start = self.start
        if start is None and self.end is None:
            start = timezone.now() - timedelta(days=DEFAULT_DAYS)   # the spec's default window
        if start is not None:
            qs = qs.filter(created_at__gte=start)
        if self.end is not None:
            qs = qs.filter(created_at__lte=self.end)
        return qs


def _stamp(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def request_out(report: Report, request=None) -> dict:
    """One report as Open311 shows it: public fields only (no contact, token, origin or source detail)."""
    events = [e for e in report.events.all() if e.public]
    last = events[-1] if events else None
    photo = next(iter(report.photos.all()), None)
    due = datetime.combine(report.due_date, time(23, 59, 59)) if report.due_date else None
    place = ", ".join(p for p in (report.village, report.area.display_name if report.area_id else "",
                                  report.province.display_name if report.province_id else "") if p)
    return {
        "service_request_id": report.reference,
        "status": "open" if report.status in OPEN_STATUSES else "closed",
        "status_detail": report.status,             # extension: received … done / cannot_do
        "status_notes": last.note if last is not None else "",
        "service_name": report.category.name_th, "service_code": report.category.code,
        "description": report.text,
        "agency_responsible": report.responsible.name_th if report.responsible_id else "",
        "service_notice": report.routing_note,
        "requested_datetime": _stamp(report.created_at), "updated_datetime": _stamp(report.updated_at),
        "expected_datetime": _stamp(timezone.make_aware(due)) if due else None,
        "address": place, "address_id": report.area.code if report.area_id else None, "zipcode": None,
        "lat": float(report.lat) if report.lat is not None else None,
        "long": float(report.lng) if report.lng is not None else None,
        "media_url": _photo_url(photo, request),
    }


def _photo_url(photo, request) -> str | None:
    """The public photo page (the stripped copy, served by the clinic app), else the stored file."""
    if photo is None or request is None:
        return None
    try:
        return request.build_absolute_uri(reverse("clinic:photo", args=[photo.pk]))
    except NoReverseMatch:
        return request.build_absolute_uri(photo.image.url)


def _with_relations(qs):
    return qs.select_related("category", "area", "province", "responsible").prefetch_related("events", "photos")


@open311_view(methods=("GET", "POST"))
def requests_(request):
    if request.method == "POST":
        return create(request)
    params = request.GET
    if partner_of(params) is None:
        _read_limit(request)
    filters = RequestFilters.parse(params)
    qs = _with_relations(filters.queryset()).order_by("-created_at", "-id")[:filters.limit]
    return _json([request_out(r, request) for r in qs])


@open311_view()
def request_detail(request, reference: str):
    if partner_of(request.GET) is None:
        _read_limit(request)
    report = _with_relations(Report.objects.public()).filter(reference=reference).first()
    if report is None:
        raise Open311Error(404, f"ไม่พบเรื่องที่แจ้งหมายเลข “{reference[:40]}”")
    return _json([request_out(report, request)])


# -- requests: a new report -------------------------------------------------------------------------------
def _body(request):
    """POST fields and files, refusing an oversized body before Django reads it into memory."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise Open311Error(413, f"ข้อมูลที่ส่งมีขนาดใหญ่เกิน {MAX_BODY_BYTES // (1024 * 1024)} MB")
    try:
        return request.POST, request.FILES
    except (RequestDataTooBig, TooManyFieldsSent):
        raise Open311Error(413, f"ข้อมูลที่ส่งมีขนาดใหญ่เกิน {MAX_BODY_BYTES // (1024 * 1024)} MB") from None


def _attribute(data, code: str) -> str:
    return (data.get(f"attribute[{code}]") or "").strip()


def _subdistrict(data) -> Area | None:
    code = to_arabic_digits(_attribute(data, "subdistrict") or (data.get("address_id") or "")).strip()
    if not code:
        return None
    area = Area.objects.filter(code=code, kind=AreaKind.SUBDISTRICT).first()
    if area is None:
        raise Open311Error(400, f"address_id / attribute[subdistrict]: ไม่พบตำบลรหัส “{code[:20]}”")
    return area


def _invalid(field: str, exc: ValidationError) -> Open311Error:
    return Open311Error(400, f"{field}: {' '.join(exc.messages)}")


def new_report(data, files, partner: PartnerKey | None, origin_key: str):
    """Open311 fields → the web form's checks → clinic.services.NewReport (nothing is stored here)."""
    from . import photos as photo_checks
    from . import validation
    from .services import NewReport

    code = (data.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, "service_code: ต้องระบุประเภทปัญหา (ดูรายการที่ services.json)")
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise Open311Error(400, f"service_code: ไม่พบประเภทปัญหารหัส “{code[:40]}”")
    try:
        text = validation.clean_text(data.get("description") or "", field="description (ปัญหาที่พบ)")
    except ValidationError as exc:
        raise Open311Error(400, " ".join(exc.messages)) from None
    try:
        lat, lng = validation.clean_coordinates(data.get("lat"), data.get("long"))
    except ValidationError as exc:
        raise _invalid("lat / long", exc) from None
    area = _subdistrict(data)
    if area is None and lat is None:
        raise Open311Error(400, "ต้องระบุที่เกิดปัญหา: address_id (รหัสตำบล) หรือพิกัด lat และ long")
    village = (_attribute(data, "village") or (data.get("address_string") or "")).strip()
    if len(village) > 200:
        raise Open311Error(400, "attribute[village] / address_string: ยาวเกิน 200 ตัวอักษร")
    name = " ".join(p for p in ((data.get("first_name") or "").strip(), (data.get("last_name") or "").strip()) if p)
    phone = (data.get("phone") or "").strip()
    consent = _attribute(data, "consent").lower() == "yes"
    if (name or phone) and not consent:
        raise Open311Error(400, "ส่งชื่อหรือหมายเลขโทรศัพท์ได้เมื่อผู้แจ้งยินยอมเท่านั้น (attribute[consent]=yes)")
    if len(name) > 200 or len(phone) > 30:
        raise Open311Error(400, "first_name / last_name / phone: ยาวเกินกำหนด")
    uploads = files.getlist("media")
    if len(uploads) > MAX_PHOTOS:
        raise Open311Error(400, f"media: แนบรูปได้ไม่เกิน {MAX_PHOTOS} รูป")
    cleaned = []
    for i, upload in enumerate(uploads, start=1):
        try:
            cleaned.append(photo_checks.clean_image(upload, field=f"media รูปที่ {i}"))
        except ValidationError as exc:
            raise Open311Error(400, " ".join(exc.messages)) from None
    return NewReport(category=category, text=text, area=area, lat=lat, lng=lng, village=village, name=name,
                     phone=phone, consent=consent, photos=cleaned,
                     source=Source.PARTNER if partner else Source.API,
                     source_detail=partner.name[:100] if partner else "", origin_key=origin_key)


def create(request):
    from oneplan.consultation import services as limits

    from .services import create_report

    data, files = _body(request)
    partner = partner_of(data)
    if partner is None:
        if _attribute(data, "website") or data.get("website"):   # the web form's honeypot, for scripts
            raise Open311Error(400, "ไม่รับข้อมูลนี้")
        try:
            limits.check_rate_limit(request, "clinic")
        except limits.RateLimited as exc:
            response = error_response(429, f"ส่งเรื่องถี่เกินไป กรุณารอประมาณ {exc.retry_after} วินาทีแล้วลองใหม่")
            response["Retry-After"] = str(exc.retry_after)
            return response
    report = create_report(new_report(data, files, partner, "" if partner else limits.visitor_key(request)))
    notice = (f"ส่งถึง {report.responsible.name_th}" if report.responsible_id and not report.routing_note
              else report.routing_note or "รอศูนย์ Clinic Center กำหนดผู้รับผิดชอบ")
    return _json([{"service_request_id": report.reference, "service_notice": notice, "account_id": None}],
                 status=201)


def discovery(request, fmt: str):
    """Service discovery (GeoReport): where this endpoint is and what it speaks."""
    if fmt.lower() != "json":
        return error_response(400, FORMAT_ONLY_JSON)
    base = request.build_absolute_uri("/open311/v2/")
    return _json({"changeset": "2026-12-01T00:00:00+07:00", "contact": "ศูนย์ Clinic Center ขององค์การบริหารส่วนจังหวัด",
                  "key_service": "ขอ api_key ได้ที่ศูนย์ Clinic Center ของจังหวัด",
                  "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                                 "changeset": "2026-12-01T00:00:00+07:00", "type": "production",
                                 "formats": ["application/json"]}]})

