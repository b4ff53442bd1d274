"""Build the corpus files that are not plain UTF-8 text: Word documents (.docx, with tables and list
styles, as planners write them) and a TIS-620 (cp874) text file, as an older Thai office PC saves it.
Run from anywhere: python src/oneplan/transfer/tests/text_corpus/make_corpus.py. The outputs are
committed; their expected elements (*.expected.json) are written by hand, not by this script."""
from pathlib import Path

import docx

HERE = Path(__file__).parent

YALA = """แผนพัฒนาจังหวัดยะลา (พ.ศ. ๒๕๖๖ – ๒๕๗๐)
วิสัยทัศน์ “ยะลาเมืองน่าอยู่ เศรษฐกิจมั่งคั่ง สังคมสันติสุข” (Yala : Livable City, Prosperous Economy, Peaceful Society)
พันธกิจ ประกอบด้วย ๑. เสริมสร้างความมั่นคงและความสงบสุขอย่างยั่งยืน ๒. พัฒนาเศรษฐกิจฐานรากและการค้าชายแดน ๓. พัฒนาคนและสังคมพหุวัฒนธรรมให้มีคุณภาพ
ประเด็นการพัฒนาที่ ๑ การเสริมสร้างความมั่นคงและสันติสุขในพื้นที่
ตัวชี้วัด ๑) จำนวนเหตุการณ์ความไม่สงบลดลงร้อยละ ๑๐ ต่อปี
ประเด็นการพัฒนาที่ ๒ การพัฒนาเศรษฐกิจการเกษตรและการค้าชายแดนเบตง
ตัวชี้วัด ๑) มูลค่าการค้าชายแดนด่านเบตงเพิ่มขึ้นร้อยละ ๕ ๒) จำนวนวิสาหกิจชุมชนที่ได้รับการพัฒนา ๑๐๐ กลุ่ม
ประเด็นการพัฒนาที่ ๓ การพัฒนาคุณภาพชีวิตและสังคมพหุวัฒนธรรม
ตัวชี้วัด ๑) ร้อยละของประชาชนที่มีความพึงพอใจต่อบริการภาครัฐ ไม่น้อยกว่าร้อยละ ๘๕
"""


def chiangrai_pao_table(path: Path):
    """A PAO plan: vision and missions as paragraphs, then the strategy table of ส่วนที่ 3."""
    d = docx.Document()
    d.add_paragraph("แผนพัฒนาท้องถิ่น (พ.ศ. 2566 – 2570)")
    d.add_paragraph("องค์การบริหารส่วนจังหวัดเชียงราย")
    d.add_paragraph("วิสัยทัศน์ “เชียงรายเมืองน่าอยู่ ประตูสู่อนุภูมิภาคลุ่มน้ำโขง ประชาชนมีคุณภาพชีวิตที่ดี”")
    d.add_paragraph("พันธกิจ")
    for text in ["พัฒนาโครงสร้างพื้นฐานเพื่อรองรับการเชื่อมโยงการค้าและการท่องเที่ยว",
                 "ส่งเสริมการศึกษา สาธารณสุข และคุณภาพชีวิตของประชาชน",
                 "อนุรักษ์ทรัพยากรธรรมชาติ สิ่งแวดล้อม และแก้ไขปัญหาหมอกควัน"]:
        d.add_paragraph(text, style="List Number")
    d.add_paragraph("ตารางที่ 3.1 ยุทธศาสตร์การพัฒนา เป้าประสงค์ ตัวชี้วัด ค่าเป้าหมาย และแนวทางการพัฒนา")
    rows = [
        ["ยุทธศาสตร์การพัฒนา", "เป้าประสงค์", "ตัวชี้วัด", "ค่าเป้าหมาย", "แนวทางการพัฒนา"],
        ["1. การพัฒนาโครงสร้างพื้นฐานและการคมนาคม", "ประชาชนได้รับความสะดวกในการคมนาคมขนส่ง",
         "ระยะทางถนนที่ได้รับการก่อสร้างหรือปรับปรุง", "100 กิโลเมตร",
         "1.1 ก่อสร้างและปรับปรุงถนนเชื่อมโยงระหว่างอำเภอ\n1.2 พัฒนาแหล่งน้ำเพื่อการเกษตร"],
        ["2. การพัฒนาคุณภาพชีวิตและการศึกษา", "ประชาชนมีคุณภาพชีวิตที่ดีและได้รับการศึกษาที่มีคุณภาพ",
         "ร้อยละของผู้สูงอายุที่ได้รับการดูแลสุขภาพ", "ร้อยละ 90",
         "2.1 ส่งเสริมการจัดการศึกษาของโรงเรียนในสังกัด\n2.2 ส่งเสริมสุขภาพและสวัสดิการสังคม"],
        ["3. การบริหารจัดการทรัพยากรธรรมชาติและสิ่งแวดล้อม", "ปัญหาหมอกควันและไฟป่าลดลง",
         "จำนวนจุดความร้อนลดลง", "ร้อยละ 20", "3.1 ป้องกันและแก้ไขปัญหาไฟป่าและหมอกควัน"],
    ]
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    d.add_paragraph("ที่มา: กองยุทธศาสตร์และงบประมาณ องค์การบริหารส่วนจังหวัดเชียงราย จังหวัดเชียงราย")
    d.save(path)


def trang_kpi_table(path: Path):
    """A provincial plan: issue headings as paragraphs, each followed by a KPI table whose target
    columns are years under a merged 'ค่าเป้าหมาย' header."""
    d = docx.Document()
    d.add_heading("แผนพัฒนาจังหวัดตรัง (พ.ศ. 2566 – 2570)", level=1)
    d.add_paragraph("วิสัยทัศน์")
    d.add_paragraph("“ตรังเมืองน่าอยู่ เศรษฐกิจมั่นคง สังคมเป็นสุข ท่องเที่ยวยั่งยืน”")
    d.add_paragraph("เป้าหมายการพัฒนา : ประชาชนมีรายได้เพิ่มขึ้นและมีความสุขอย่างยั่งยืน")
    issues = [
        ("ประเด็นการพัฒนาที่ 1 การเพิ่มมูลค่ายางพาราและปาล์มน้ำมัน",
         [["ร้อยละที่เพิ่มขึ้นของมูลค่าผลิตภัณฑ์ยางพาราแปรรูป", "ร้อยละ", "2", "2", "3", "3", "3"],
          ["จำนวนเกษตรกรที่ได้รับการรับรองมาตรฐานสวนยางยั่งยืน", "ราย", "500", "600", "700", "800", "900"]]),
        ("ประเด็นการพัฒนาที่ 2 การพัฒนาการท่องเที่ยวทางทะเลและอันดามัน",
         [["ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว", "ร้อยละ", "5", "5", "5", "5", "5"]]),
    ]
    for heading, kpis in issues:
        d.add_paragraph(heading)
        table = d.add_table(rows=2 + len(kpis), cols=7)
        head = table.rows[0].cells
        head[0].text, head[1].text, head[2].text = "ตัวชี้วัด", "หน่วยนับ", "ค่าเป้าหมาย"
        head[2].merge(head[6])
        table.cell(0, 0).merge(table.cell(1, 0))
        table.cell(0, 1).merge(table.cell(1, 1))
        for c, year in enumerate(range(2566, 2571), start=2):
            table.cell(1, c).text = str(year)
        for r, values in enumerate(kpis, start=2):
            for c, value in enumerate(values):
                table.cell(r, c).text = value
    d.save(path)


def suphan_lao_lists(path: Path):
    """A municipal plan typed with Word's automatic numbering and bullets: the numbers are list
    formatting, not text, so each item arrives as an unnumbered paragraph."""
    d = docx.Document()
    d.add_paragraph("แผนพัฒนาท้องถิ่น (พ.ศ. 2566 – 2570) เทศบาลตำบลสามชุก อำเภอสามชุก จังหวัดสุพรรณบุรี")
    d.add_heading("วิสัยทัศน์", level=2)
    d.add_paragraph("สามชุกเมืองตลาดร้อยปี น่าอยู่ น่าเที่ยว ประชาชนมีคุณภาพชีวิตที่ดี")
    d.add_heading("พันธกิจ", level=2)
    for text in ["อนุรักษ์ตลาดร้อยปีและวิถีชีวิตริมแม่น้ำท่าจีน", "พัฒนาโครงสร้างพื้นฐานและสาธารณูปโภคให้ทั่วถึง",
                 "ส่งเสริมการศึกษา สุขภาพ และสวัสดิการของประชาชน"]:
        d.add_paragraph(text, style="List Bullet")
    d.add_heading("เป้าประสงค์รวม", level=2)
    d.add_paragraph("ประชาชนมีรายได้จากการท่องเที่ยวและมีคุณภาพชีวิตที่ดีในชุมชนที่น่าอยู่")
    d.add_heading("ยุทธศาสตร์การพัฒนา", level=2)
    for text in ["ยุทธศาสตร์ที่ 1 การส่งเสริมการท่องเที่ยวตลาดร้อยปี", "ยุทธศาสตร์ที่ 2 การพัฒนาโครงสร้างพื้นฐาน",
                 "ยุทธศาสตร์ที่ 3 การพัฒนาคุณภาพชีวิตและสังคม"]:
        d.add_paragraph(text, style="List Number")
    d.save(path)


def satun_merged_table(path: Path):
    """Held out (written after the parser): one table for the whole plan, the issue cell merged down
    over its KPI rows, as provincial offices lay out the แผนพัฒนาจังหวัด summary."""
    d = docx.Document()
    d.add_paragraph("แผนพัฒนาจังหวัดสตูล (พ.ศ. 2566 – 2570)")
    d.add_paragraph("วิสัยทัศน์ : สตูลเมืองท่องเที่ยวอุทยานธรณีโลก เศรษฐกิจมั่นคง สังคมสันติสุข")
    rows = [
        ["ประเด็นการพัฒนา", "ตัวชี้วัด", "ค่าเป้าหมาย", "กลยุทธ์"],
        ["1. การพัฒนาการท่องเที่ยวอุทยานธรณีโลกสตูล", "จำนวนนักท่องเที่ยวที่มาเยือนเพิ่มขึ้น", "ร้อยละ 10",
         "ยกระดับแหล่งท่องเที่ยวในอุทยานธรณีโลกให้ได้มาตรฐาน"],
        ["", "จำนวนชุมชนท่องเที่ยวที่ได้รับการพัฒนา", "15 ชุมชน", "ส่งเสริมการตลาดการท่องเที่ยวเชิงธรณีวิทยา"],
        ["2. การพัฒนาเศรษฐกิจฐานรากและการประมงชายฝั่ง", "รายได้ของครัวเรือนประมงชายฝั่งเพิ่มขึ้น", "ร้อยละ 5",
         "พัฒนาอาชีพและผลิตภัณฑ์ประมงชายฝั่ง"],
    ]
    table = d.add_table(rows=len(rows), cols=4)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(2, 0))   # the issue spans its two KPI rows
    d.save(path)


def samutsakhon_two_columns(path: Path):
    """Held out (third batch): a plan summary laid out as a two-column table, part | its text."""
    d = docx.Document()
    d.add_paragraph("สรุปแผนพัฒนาจังหวัดสมุทรสาคร (พ.ศ. 2566 – 2570)")
    rows = [["องค์ประกอบของแผน", "รายละเอียด"],
            ["วิสัยทัศน์", "สมุทรสาครเมืองอุตสาหกรรมอาหารทะเลปลอดภัย สังคมน่าอยู่ สิ่งแวดล้อมยั่งยืน"],
            ["พันธกิจ", "1. ส่งเสริมอุตสาหกรรมอาหารทะเลให้ได้มาตรฐานสากล\n2. พัฒนาคุณภาพชีวิตของประชาชนและแรงงาน"],
            ["เป้าประสงค์รวม", "เศรษฐกิจเติบโตอย่างมีคุณภาพ ประชาชนมีความเป็นอยู่ที่ดี"],
            ["ประเด็นการพัฒนา", "1. การพัฒนาอุตสาหกรรมอาหารทะเลและการประมง\n2. การพัฒนาสังคมและแรงงานคุณภาพ\n"
                                "3. การบริหารจัดการสิ่งแวดล้อมชายฝั่ง"]]
    table = d.add_table(rows=len(rows), cols=2)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    d.save(path)


def main():
    (HERE / "16_yala_tis620.txt").write_bytes(YALA.encode("cp874"))
    chiangrai_pao_table(HERE / "17_chiangrai_pao_table.docx")
    trang_kpi_table(HERE / "18_trang_kpi_table.docx")
    suphan_lao_lists(HERE / "19_samchuk_word_lists.docx")
    satun_merged_table(HERE / "23_satun_merged_table.docx")
    samutsakhon_two_columns(HERE / "27_samutsakhon_two_columns.docx")


if __name__ == "__main__":
    main()
