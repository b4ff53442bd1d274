"""What the API answers, as documented in /api/v1/openapi.json. Years are พ.ศ. numbers; amounts and
KPI values are decimal strings (never floats); keys and codes are stable across loads."""
from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class Error(Schema):
    detail: str
    field: str | None = None


class AreaOut(Schema):
    code: str
    kind: str
    name_th: str
    name_en: str
    parent: str | None


class OrganisationOut(Schema):
    key: str
    kind: str
    name_th: str
    name_en: str
    area: str | None
    parent: str | None


class EditionOut(Schema):
    type: str
    label: str
    number: int | None
    year: int | None
    reason: str
    supersedes: str | None
    in_force_from: date | None
    in_force_until: date | None


class StepOut(Schema):
    action: str
    to_status: str
    at: datetime
    committee: str | None
    meeting_number: str
    meeting_date: date | None
    resolution: str


class PlanOut(Schema):
    key: str
    title_th: str
    title_en: str
    kind: str
    level: int
    framework: str | None
    status: str
    owner: str | None
    area: str | None
    start_year: int
    end_year: int
    edition: EditionOut
    url: str


class PlanDetailOut(PlanOut):
    approval: list[StepOut]


class LinkOut(Schema):
    plan: str
    code: str
    label: str


class BudgetOut(Schema):
    fiscal_year: int
    source: str
    stage: str
    amount: str


class KPIOut(Schema):
    unit: str
    direction: str
    baseline: str | None
    baseline_year: int | None
    targets: dict[str, str]


class ElementOut(Schema):
    id: int
    code: str
    parent: str | None
    kind: str
    title_th: str
    title_en: str
    links_up: list[LinkOut]
    kpi: KPIOut | None
    budgets: list[BudgetOut] | None


class FrameworkOut(Schema):
    code: str
    title_th: str
    title_en: str
    in_force: str | None
    editions: list[str]


class AnswerOut(Schema):
    outcome: str
    text: str
    answered_at: datetime | None


class CommentOut(Schema):
    id: int
    element: str
    kind: str
    sector: str
    text: str
    project_title: str
    created_at: datetime
    answer: AnswerOut | None


class RoundOut(Schema):
    id: int
    plan: str
    title: str
    status: str
    opens_on: date
    closes_on: date | None


def page_of(item_schema):
    """A cursor page of `item_schema` items (one class per item type, for the OpenAPI document)."""
    return type(f"{item_schema.__name__}Page", (Schema,), {
        "__annotations__": {"items": list[item_schema], "next": str | None}})


class KPIResultOut(Schema):
    code: str
    value: str | None
    approved: bool


class ProgressOut(Schema):
    code: str
    physical_percent: str | None
    disbursed_amount: str
    approved: bool


class RoundResultsOut(Schema):
    id: int
    label: str
    fiscal_year: int
    period_type: str
    number: int
    status: str
    kpis: list[KPIResultOut]
    projects: list[ProgressOut]


class ClinicReportOut(Schema):
    """The Open311 GeoReport v2 fields of a report (public ones only)."""
    service_request_id: str
    status: str
    status_detail: str
    status_notes: str
    service_name: str
    service_code: str
    description: str
    agency_responsible: str
    service_notice: str
    requested_datetime: str | None
    updated_datetime: str | None
    expected_datetime: str | None
    address: str
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None
