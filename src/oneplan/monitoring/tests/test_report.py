import re
import zlib
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oneplan.monitoring import report, services
from oneplan.monitoring.report import KPI_HEADERS, SUMMARY_HEADERS


@pytest.fixture
def reported(plan, tree, round_, editor, approver):
    services.save_entries(round_, editor, {tree["k1"].pk: Decimal(70)},
                          {tree["p1"].pk: (Decimal(100), Decimal("950000.50")), tree["p2"].pk: (Decimal(40), Decimal(0))})
    services.approve(round_, approver, services.pending(round_))
    return report.lao_report(plan, 2567)


def test_report_counts_projects_budget_and_kpis(reported, tree):
    (row,) = reported.rows
    assert row.element == tree["issue"]
    assert (row.planned, row.done, row.in_progress, row.not_started) == (2, 1, 1, 0)
    assert row.budget_planned == Decimal("1500000.00")
    assert row.disbursed == Decimal("950000.50")
    assert row.disbursement_percent == Decimal("63.33")
    kpis = {k.element.pk: k for k in row.kpis}
    assert kpis[tree["k1"].element.pk].status == "on_track"
    assert kpis[tree["k2"].element.pk].value is None
    assert reported.disbursed_text == "เก้าแสนห้าหมื่นบาทห้าสิบสตางค์"


def test_pdf_is_made_by_the_worker_with_the_thai_font(client, plan, reported, settings, tmp_path):
    from oneplan.testing.jobs import follow_to_file

    settings.MEDIA_ROOT = tmp_path
    response = follow_to_file(client, client.get(reverse("monitoring:report_pdf", args=[plan.pk]) + "?year=2567"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    # no PDF text extractor is installed: inflate the streams and look for the Sarabun font and
    # the Thai title (WeasyPrint writes it as UTF-16 hex in the document outline and metadata)
    inflated = b"".join(zlib.decompressobj().decompress(m)
                        for m in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S) if m[:1] == b"x")
    fonts = re.findall(rb"/FontName /\w+\+([\w-]+)", inflated)
    assert b"Sarabun" in fonts
    assert "ผลการติดตามและประเมินผลแผนพัฒนาท้องถิ่น".encode("utf-16-be").hex().encode() in inflated
    assert len(pdf) > 20_000   # the chart is embedded


def test_chart_is_a_png():
    from oneplan.monitoring.report import MonitoringReport, StrategyRow

    class E:
        code, title_th = "1", "ยุทธศาสตร์ทดสอบ"

    data = MonitoringReport(plan=None, year=2567, rows=[StrategyRow(E(), 1, 0, 0, Decimal(5_000_000), Decimal(1))],
                            total=StrategyRow())
    assert report.chart_png(data).startswith(b"\x89PNG")


def test_excel_opens_with_expected_headers(client, plan, reported):
    response = client.get(reverse("monitoring:report_xlsx", args=[plan.pk]) + "?year=2567")
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    summary, kpis = wb["สรุปผล"], wb["ตัวชี้วัด"]
    assert [c.value for c in summary[3]] == SUMMARY_HEADERS
    assert [c.value for c in kpis[3]][:len(KPI_HEADERS)] == KPI_HEADERS
    assert summary.cell(row=4, column=6).value == Decimal("1500000.00") or \
        summary.cell(row=4, column=6).value == 1500000
    assert "ผลการติดตามและประเมินผลแผนพัฒนาท้องถิ่น" in summary.cell(row=1, column=1).value


def test_report_page(client, plan, reported):
    response = client.get(reverse("monitoring:report", args=[plan.pk]) + "?year=2567")
    text = response.content.decode()
    assert "ผลการติดตามและประเมินผลแผนพัฒนาท้องถิ่น ปีงบประมาณ 2567" in text
    assert "950,000.50" in text


# --- the announced report: subtitle, column names, fiscal year, signatures --------------------------
def _html(reported):
    return report.report_html(reported)


def test_pdf_subtitle_names_the_organisation_once(plan, reported):
    from oneplan.governance.locks import allow_published_changes

    with allow_published_changes():
        plan.title_th = f"แผนพัฒนาท้องถิ่น (พ.ศ. 2566 – 2570) {plan.owner.name_th}"
        plan.save()
    again = report.lao_report(plan, reported.year)
    html = _html(again)
    assert again.subtitle == plan.title_th and f"<p>{plan.title_th}</p>" in html
    assert f"— {plan.owner.name_th}" not in html


def test_pdf_subtitle_adds_the_organisation_when_the_title_lacks_it(plan, reported):
    assert plan.owner.name_th not in plan.title_th
    assert reported.subtitle == f"{plan.title_th} — {plan.owner.name_th}"


def test_report_column_is_named_after_the_rows_which_are_strategic_issues(reported):
    html = _html(reported)
    assert {r.element.kind for r in reported.rows} == {"issue"}
    assert html.count("<th>ประเด็นยุทธศาสตร์</th>") == 2      # the summary table and the KPI table
    assert "แนวทางการพัฒนา/กลยุทธ์" not in html


def test_report_opens_on_the_current_fiscal_year(client, plan, round_, reported):
    from datetime import date

    from oneplan.core.thai import ce_year, fiscal_year

    # 1 October starts the next Thai fiscal year: the plan's second year, whatever today is
    october = date(ce_year(plan.start_year + 1) - 1, 10, 1)
    assert report.default_year(plan, october) == fiscal_year(october) == plan.start_year + 1
    after_the_plan = date(ce_year(plan.end_year + 3), 1, 1)
    assert report.default_year(plan, after_the_plan) == round_.fiscal_year   # the latest year with a round
    page = client.get(reverse("monitoring:report", args=[plan.pk]))
    assert page.context["report"].year == report.default_year(plan)


def test_pdf_carries_the_committee_signature_block_dated_in_buddhist_era(plan, reported):
    from datetime import date

    from oneplan.core.thai import MONTHS_TH, be_year

    html = _html(reported)
    today = date.today()
    assert f"คณะกรรมการติดตามและประเมินผลแผนพัฒนาท้องถิ่น{plan.owner.name_th}" in html
    assert "ผู้รายงาน" in html and html.count("ลงชื่อ") == 2
    assert "ตำแหน่ง เลขานุการคณะกรรมการ" in html and "ตำแหน่ง ประธานคณะกรรมการ" in html
    assert f"วันที่ {today.day} เดือน {MONTHS_TH[today.month - 1]} พ.ศ. {be_year(today.year)}" in html
