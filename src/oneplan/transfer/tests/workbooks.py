"""Realistic, messy ผ.01/ผ.02 workbooks generated in code (as planning staff actually fill them in):
merged title cells, a two-row header with the years under งบประมาณ, Thai digits, "-" cells, "บาท",
blank rows, an extra column, several sheets."""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

LINKS_INFRA = [
    "ก. ยุทธศาสตร์ชาติ 20 ปี ยุทธศาสตร์ที่ 2 ด้านการสร้างความสามารถในการแข่งขัน",
    "ข. แผนแม่บทภายใต้ยุทธศาสตร์ชาติ ประเด็นที่ 07 โครงสร้างพื้นฐาน ระบบโลจิสติกส์ และดิจิทัล",
    "ค. แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 13 หมุดหมายที่ 8",
    "ง. ยุทธศาสตร์จังหวัดที่ 2 การพัฒนาเมืองรองรับการเติบโต ทันสมัย และเป็นมิตรกับสิ่งแวดล้อม",
    "จ. ยุทธศาสตร์การพัฒนาของ อปท.ในเขตจังหวัดที่ 1 การพัฒนาโครงสร้างพื้นฐาน ระบบคมนาคมขนส่ง และผังเมือง",
]
LINKS_SOCIAL = [
    "ก. ยุทธศาสตร์ชาติ ยุทธศาสตร์ที่ ๓ การพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์",
    "ข. แผนแม่บทภายใต้ยุทธศาสตร์ชาติ การพัฒนาการเรียนรู้",
    "ค. แผนพัฒนาฯ ฉบับที่ 13 หมุดหมายที่ 12",
    "ง. ยุทธศาสตร์จังหวัด การพัฒนาคน สังคม และการจัดการความมั่นคง และความสงบเรียบร้อย",
    "จ. ยุทธศาสตร์การพัฒนาขององค์กรปกครองส่วนท้องถิ่นในเขตจังหวัดภูเก็ต ยุทธศาสตร์ที่ 3",
]
YEARS = [2566, 2567, 2568, 2569, 2570]


def infra_block(projects=None, sheet="ผ.02"):
    return {"sheet": sheet, "links": LINKS_INFRA, "issue": "1. ยุทธศาสตร์การพัฒนาโครงสร้างพื้นฐาน",
            "strategy": "1.1 กลยุทธ์/แนวทาง ก่อสร้าง ปรับปรุง บำรุงรักษาถนน ทางเท้า และระบบระบายน้ำ",
            "programme": "1.1.1 แผนงานอุตสาหกรรมและการโยธา",
            "projects": projects if projects is not None else [
                ("โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก ซอยบ้านดอน หมู่ที่ 1", [500000, "๕๐๐,๐๐๐", "-", None, "-"]),
                ("โครงการก่อสร้างรางระบายน้ำ คสล.  พร้อมฝาปิด หมู่ที่ 6", ["-", "1,200,000 บาท", 0, None, None]),
                ("โครงการติดตั้งโคมไฟถนน LED พลังงานแสงอาทิตย์ หมู่ที่ 4", [None, None, 350000.5, "350,000", "-"]),
            ]}


def social_block(projects=None, sheet="ผ.02 (2)"):
    return {"sheet": sheet, "links": LINKS_SOCIAL, "issue": "ยุทธศาสตร์ที่ 2 การพัฒนาคุณภาพชีวิตและสังคม",
            "strategy": "2.1 กลยุทธ์ ส่งเสริมการศึกษาและพัฒนาการเด็กปฐมวัย",
            "programme": "แผนงานการศึกษา",
            "projects": projects if projects is not None else [
                ("โครงการอาหารเสริม (นม) โรงเรียนและศูนย์พัฒนาเด็กเล็ก", ["๑,๒๐๐,๐๐๐", 1200000, 1200000, 1200000, 1200000]),
                ("โครงการจัดงานวันเด็กแห่งชาติ", [80000, 80000, 80000, 80000, 80000]),
            ]}


def write_p02(ws, owner_name: str, blocks, *, period="(พ.ศ. ๒๕๖๖ – ๒๕๗๐)", years=YEARS, title_extra="",
              thai_years=True):
    """One ผ.02 sheet: title rows, then for every block its linkage header, a two-row header and rows."""
    width = 5 + len(years)
    ws.append(["รายละเอียดโครงการพัฒนา"] + [None] * (width + 1) + ["แบบ ผ.02"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width + 2)
    ws.append([f"แผนพัฒนาท้องถิ่น {period}{title_extra}"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width + 2)
    ws.append([f"{owner_name}  อำเภอถลาง จังหวัดภูเก็ต"])
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width + 2)
    for block in blocks:
        ws.append([])
        for line in block["links"]:
            ws.append([line])
        ws.append(["   " + block["issue"]])
        if block.get("strategy"):
            ws.append([None, "      " + block["strategy"]])    # indented into column B, as people do
        if block.get("programme"):
            ws.append([None, "          " + block["programme"]])
        top = ws.max_row + 1
        ws.append(["ที่", "โครงการ", "วัตถุประสงค์", "เป้าหมาย\n(ผลผลิตของโครงการ)", "งบประมาณ"]
                  + [None] * (len(years) - 1)
                  + ["ตัวชี้วัด (KPI)", "ผลที่คาดว่าจะได้รับ", "หน่วยงาน\nรับผิดชอบหลัก", "หมายเหตุ"])
        ws.merge_cells(start_row=top, start_column=5, end_row=top, end_column=4 + len(years))
        for col in (1, 2, 3, 4):
            ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
        ws.append([None] * 4 + [(str(y).translate(THAI) if thai_years and i % 2 else str(y)) + "\n(บาท)"
                                for i, y in enumerate(years)])
        ws.append([])   # blank row after the header
        for n, (title, amounts) in enumerate(block["projects"], start=1):
            seq = str(n).translate(THAI) if n % 2 == 0 else n
            ws.append([seq, title, "เพื่อให้ประชาชนได้รับความสะดวก", "ดำเนินการ 1 แห่ง", *amounts,
                       "ร้อยละความพึงพอใจของประชาชน", "ประชาชนได้รับประโยชน์", "กองช่าง", "ต่อเนื่อง"])
        ws.append([None, "รวม", None, None])
    for row in ws.iter_rows(min_row=1, max_row=3):
        row[0].alignment = Alignment(horizontal="center")


def write_p01(ws, rows, years=YEARS):
    """ผ.01: rows = [(label, [(count, amount) per year])]."""
    ws.append(["บัญชีสรุปโครงการพัฒนา"])
    ws.append(["แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)"])
    ws.append(["ยุทธศาสตร์"] + [x for y in years for x in (f"ปี {y}", None)] + ["รวม 5 ปี"])
    ws.append([None] + ["จำนวนโครงการ", "งบประมาณ (บาท)"] * len(years))
    for label, values in rows:
        ws.append([label] + [x for count, amount in values for x in (count, amount)])


def build(path, owner_name: str, blocks, *, summary=None, **kwargs):
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {}
    for block in blocks:
        sheets.setdefault(block["sheet"], []).append(block)
    for name, sheet_blocks in sheets.items():
        write_p02(wb.create_sheet(name), owner_name, sheet_blocks, **kwargs)
    if summary is not None:
        write_p01(wb.create_sheet("ผ.01"), summary)
    wb.save(path)
    return path
