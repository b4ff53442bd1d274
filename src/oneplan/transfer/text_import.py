"""Read a provincial or LAO plan written as prose (plain text, Markdown or .docx): วิสัยทัศน์, พันธกิจ,
เป้าประสงค์รวม/สูงสุด/เป้าหมายการพัฒนา, ประเด็นยุทธศาสตร์/ประเด็นการพัฒนา, ยุทธศาสตร์, เป้าประสงค์,
กลยุทธ์/แนวทางการพัฒนา, ตัวชี้วัด. Lists may be numbered ("1.", "1)", "(1)", "๑."), bulleted (•, -, emoji) or
plain lines under a heading standing alone (Word's automatic numbering); headings may start a line or sit
inside a paragraph, as in news of a plan hearing (seed 000): a quoted vision after other words, issues run
together ("ประเด็นการพัฒนาที่ ๑ … ประเด็นการพัฒนาที่ ๒ …"). Tables (pasted from Word as tab-separated lines,
or in a .docx) are read by their header row. KPI targets are read from the wording (text_kpi), and the
province from the text. The corpus in tests/text_corpus and benchmarks/bench_text_import.py measure it."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from oneplan.core.thai import has_control_chars, normalise, to_arabic_digits

from .builder import PlanBuilder
from .editions import parse_edition, parse_period
from .limits import MAX_PARAGRAPH, TimeBudget, check_zip
from .problems import ImportRefused, ImportResult
from .target import find_plan, owner_named_in, resolve_target
from .text_kpi import KpiTarget, Province, direction_of, number, province_in, read_target

HEADINGS = [
    ("vision", re.compile(r"^(?:โดย)?\s*วิสัยทัศน์")),
    ("mission", re.compile(r"^(?:โดย)?\s*พันธกิจ")),
    ("ultimate_goal", re.compile(r"^(?:โดย)?\s*(?:เป้าประสงค์\s*(?:รวม|สูงสุด)|เป้าหมายการพัฒนา)")),
    ("issue", re.compile(r"^(?:โดย)?\s*(?:ประเด็นยุทธศาสตร์|ประเด็นการพัฒนา|ยุทธศาสตร์(?!ชาติ|จังหวัด|การพัฒนาจังหวัด))")),
    ("objective", re.compile(r"^เป้าประสงค์")),
    ("strategy", re.compile(r"^(?:กลยุทธ์|แนวทางการพัฒนา)")),
    ("kpi", re.compile(r"^ตัวชี้วัด")),
]
_ISSUE_WORDS = r"(?:ประเด็นยุทธศาสตร์|ประเด็นการพัฒนา|ยุทธศาสตร์การพัฒนา|ยุทธศาสตร์)"
# "ประเด็นยุทธศาสตร์ที่ 2 การพัฒนาเมือง…": one issue, which the following lists belong to.
_ONE_ISSUE = re.compile(r"^" + _ISSUE_WORDS + r"\s*ที่\s*(\d+)\s*[:.)]?\s*(.+)$")
_ISSUE_NUMBERED = re.compile(_ISSUE_WORDS + r"\s*ที่\s*(\d+)")
_MARKER = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=[”\"]))(?:\((\d{1,2})\)|(\d{1,2})[.)])(?!\d)")
_LEAD_WORDS = re.compile(r"^\s*(?:ของ\S*\s*)?(?:\S*\s*)?(?:ประกอบด้วย|ประกอบไปด้วย|ได้แก่|มีดังนี้|คือ|:)\s*")
# A heading inside a paragraph that starts a list or a quotation: "… จังหวัดได้กำหนดพันธกิจ 3 ประการ
# ได้แก่ 1) …", "… ภายใต้วิสัยทัศน์ “…”". Without such a lead the word is prose and is left alone.
_INNER_HEADING = re.compile(
    r"(?:วิสัยทัศน์|พันธกิจ|เป้าประสงค์(?:รวม|สูงสุด)?|เป้าหมายการพัฒนา|ประเด็นยุทธศาสตร์|ประเด็นการพัฒนา|ตัวชี้วัด"
    r"|กลยุทธ์|แนวทางการพัฒนา)(?:ของ\S*)?\s*(?:\d+\s*(?:ประการ|ข้อ|ประเด็น|ด้าน|ตัว)\s*)?"
    r"(?:ประกอบด้วย|ประกอบไปด้วย|ได้แก่|คือ|ว่า|มีดังนี้|:|(?=[“\"]))"
    r"|วิสัยทัศน์[^“”\"]{0,40}?(?=[“\"])")    # "… เห็นชอบวิสัยทัศน์จังหวัด “…”"
# Where an unquoted vision ends when the same line goes on with the next part of the plan.
_NEXT_PART = re.compile(r"\s(?:พันธกิจ|เป้าประสงค์|เป้าหมายการพัฒนา|ประเด็นยุทธศาสตร์|ประเด็นการพัฒนา|ยุทธศาสตร์"
                        r"|ตัวชี้วัด|กลยุทธ์)")
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|\(\d{1,2}\)|\d{1,2}\))\s*")
# A bullet: the typographic ones, or the emoji a social-media post lists with (📌 ✅ 🔹).
_BULLET = re.compile(r"^(?:[•▪●○◦❖◆✓*\-–]|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]\ufe0f?)\s*")
# "เป้าประสงค์ที่ 1 …", "ตัวชี้วัดที่ 2 …": one numbered item on its own line.
_NUMBERED_PART = re.compile(r"^(?:พันธกิจ|เป้าประสงค์(?:รวม)?|ตัวชี้วัด|กลยุทธ์|แนวทางการพัฒนา)\s*ที่\s*(\d+)\s*[:.)]?\s*")
_MARKUP = re.compile(r"^#+\s+|\*\*|__")     # Markdown; "#พังงา" without a space is a hashtag
_HEADING_SUFFIX = re.compile(r"^(?:การพัฒนา(?:ท้องถิ่น|จังหวัด)?)?\s*(?:\((?:vision|mission|goals?|kpis?)\))?\s*",
                             re.IGNORECASE)
_CAPTION = re.compile(r"^(?:ตารางที่|ตาราง\s*\d|ภาพที่|แผนภาพ|แผนภูมิ|ที่มา\s*:|หมายเหตุ|หน้า\s*\d+$|-\s*\d+\s*-$)")
# Where news prose goes on after the last item of a list it states ("… ให้มีคุณภาพ ทั้งนี้ ผู้เข้าร่วม…"),
# and the joining words a cut leaves at the end of a segment ("… ชีวิตที่ดี และมี" ประเด็นการพัฒนา …).
_PROSE_GOES_ON = re.compile(r"\s(?:ทั้งนี้|นอกจากนี้|อย่างไรก็ตาม|โดยที่ประชุม|ซึ่งที่ประชุม|ซึ่งผู้เข้าร่วม)(?:\s|$)")
_DANGLING = re.compile(r"\s(?:และ|โดย|ซึ่ง|อีกทั้ง|รวมทั้ง)(?:มี|ได้|จะ|ยัง)?$")
MAX_WRAPPED_LINE = 120   # a line a PDF copy broke off an item is short …
MIN_BROKEN_LINE = 30     # … and the line it was broken off is long
# Lines that close a document or start a new sentence, never the rest of a list item.
_CLOSING = re.compile(r"^(?:จึง|ประกาศ|ทั้งนี้|ลงชื่อ|\(|นาย|นาง|ผู้ว่าราชการ|นายก|ขอบคุณ|ภาพ\s*/|ข่าว\s*:|สำหรับ|โดย)")
_INTRO_END = re.compile(r"(?:ประกอบด้วย|ประกอบไปด้วย|ได้แก่|ดังนี้|ดังต่อไปนี้|คือ|:)\s*$")
_PLAN_TITLE = re.compile(r"(แผนพัฒนา(?:จังหวัด|ท้องถิ่น|กลุ่มจังหวัด)[^()\n]{0,40}?\(?\s*พ\.\s?ศ\.\s*\d{4}\s*[-–]\s*\d{4}\s*\)?)")
TOP_KINDS = ("vision", "mission", "ultimate_goal", "issue")
# Kinds a plan may state as one unnumbered sentence after the heading ("เป้าประสงค์รวม ประชาชนมี…").
SINGLE_KINDS = ("ultimate_goal", "objective", "strategy", "kpi")
MAX_LIST_LINE = 250      # an unnumbered line longer than this is prose, not a list item
CODE_PREFIX = {"vision": "V", "mission": "M", "ultimate_goal": "G"}
KIND_TH = {"vision": "วิสัยทัศน์", "mission": "พันธกิจ", "ultimate_goal": "เป้าประสงค์รวม",
           "issue": "ประเด็นยุทธศาสตร์", "objective": "เป้าประสงค์", "strategy": "กลยุทธ์/แนวทางการพัฒนา",
           "kpi": "ตัวชี้วัด"}


_TRIM = re.compile(r"^[^\S\t]+|[^\S\t]+$")


def read_paragraphs(path, notes: list[str] | None = None) -> list[str]:
    """The file's non-empty paragraphs, or ImportRefused with the Thai reason it cannot be read."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        paras = _docx_paragraphs(path)
    else:
        paras = decode_text(path.read_bytes(), notes).splitlines()
    paras = [_TRIM.sub("", p) for p in paras if p.strip()]   # leading tabs are a table row's empty cells
    if not paras:
        raise ImportRefused("ไฟล์ว่างเปล่า ไม่มีข้อความให้นำเข้า")
    for n, para in enumerate(paras, start=1):
        if len(para) > MAX_PARAGRAPH:
            raise ImportRefused(f"ย่อหน้าที่ {n} ยาว {len(para):,} ตัวอักษร เกินที่รับได้ ({MAX_PARAGRAPH:,} ตัวอักษร): "
                                "ไฟล์นี้อาจไม่ใช่เอกสารแผน หรือกรุณาแบ่งย่อหน้า")
        if has_control_chars(para):
            raise ImportRefused(f"ย่อหน้าที่ {n} มีอักขระควบคุม (เช่น NUL) ไฟล์นี้ไม่ใช่ไฟล์ข้อความหรือเอกสาร Word ธรรมดา")
    return paras


def _docx_paragraphs(path: Path) -> list[str]:
    import docx

    with open(path, "rb") as fh:
        if fh.read(4) != b"PK\x03\x04":
            raise ImportRefused("ไฟล์นี้ไม่ใช่ไฟล์ Word (.docx) ที่สมบูรณ์ (อาจเป็นไฟล์ .doc รุ่นเก่าหรือไฟล์อื่นที่เปลี่ยนชื่อ): "
                                "กรุณาเปิดใน Word แล้วบันทึกเป็น .docx")
        check_zip(fh, " Word ")
    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises several types (KeyError, PackageNotFoundError …) for a broken file
        raise ImportRefused("ไฟล์ Word (.docx) นี้เสียหายหรือไม่สมบูรณ์ เปิดอ่านไม่ได้: กรุณาเปิดใน Word แล้วบันทึกใหม่") from None
    return [text for block in document.iter_inner_content() for text in _block_texts(block)]


def _block_texts(block) -> list[str]:
    """A paragraph's text; a table's rows as their cells joined by tabs, as a table pasted from Word
    reads (the rows keep their place among the paragraphs, so a table belongs to the heading above it).
    A cell of several lines keeps its line breaks."""
    from docx.table import Table

    if not isinstance(block, Table):
        return [block.text]
    return ["\t".join(cell.text.strip() for cell in row.cells) for row in block.rows]


def decode_text(raw: bytes, notes: list[str] | None = None) -> str:
    """UTF-8 (or UTF-16 with its byte-order mark), else Thai Windows' TIS-620/cp874, which a Thai office
    PC still writes; anything else (a binary file, another encoding) is refused rather than guessed."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportRefused("ไฟล์ระบุว่าเข้ารหัสแบบ UTF-16 แต่เนื้อหาถอดรหัสไม่ได้: กรุณาบันทึกเป็น UTF-8") from None
    if b"\x00" in raw[:65536]:
        raise ImportRefused("ไฟล์นี้ไม่ใช่ไฟล์ข้อความ (พบข้อมูลไบนารี): นำเข้าได้เฉพาะไฟล์ข้อความ (.txt) หรือ Word (.docx)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp874")   # TIS-620 is its subset
    except UnicodeDecodeError:
        raise ImportRefused("อ่านการเข้ารหัสอักขระของไฟล์ไม่ได้ (ไม่ใช่ UTF-8 หรือ TIS-620): "
                            "กรุณาบันทึกไฟล์เป็น UTF-8 แล้วนำเข้าอีกครั้ง") from None
    if not _mostly_thai(text):
        raise ImportRefused("อ่านการเข้ารหัสอักขระของไฟล์ไม่ได้ (ไม่ใช่ UTF-8 และไม่ใช่ภาษาไทยแบบ TIS-620): "
                            "กรุณาบันทึกไฟล์เป็น UTF-8 แล้วนำเข้าอีกครั้ง")
    if notes is not None:
        notes.append("ไฟล์นี้เข้ารหัสแบบ TIS-620/Windows-874 (ไม่ใช่ UTF-8) อ่านเป็นภาษาไทยแล้ว "
                     "กรุณาตรวจตัวอักษรในตัวอย่างก่อนยืนยัน")
    return text


def _mostly_thai(text: str) -> bool:
    """cp874 decodes almost any byte; real Thai text decoded with it is Thai letters where not ASCII."""
    high = [ch for ch in text if ord(ch) > 127]
    return bool(high) and sum("\u0e00" <= ch <= "\u0e7f" for ch in high) >= 0.9 * len(high)


def split_items(text: str, start: int = 1) -> tuple[str, list[str]]:
    """('preamble', items) from '… ประกอบด้วย 1.ก 2.ข 3.ค'; markers must count 1, 2, 3 … so numbers
    inside an item (พ.ศ. 2579, 'ทุก ๆ ด้าน', '4 ปี') do not split it. Without numbers, bullets
    ('• ก • ข') split the list."""
    text = to_arabic_digits(text)
    expected, cuts = start, []
    for match in _MARKER.finditer(text):
        number = int(match.group(1) or match.group(2))
        if number == expected:
            cuts.append((match.start(), match.end()))
            expected += 1
    if not cuts:
        cuts = [(m.start(), m.end()) for m in re.finditer(r"[•▪●❖◆]\s*", text)]
    if not cuts:
        return text, []
    items = []
    for i, (_, end) in enumerate(cuts):
        stop = cuts[i + 1][0] if i + 1 < len(cuts) else len(text)
        items.append(text[end:stop].strip(" ,;"))
    return text[:cuts[0][0]], [i for i in items if i]


def _vision_text(rest: str) -> tuple[str, str]:
    """(the vision, what follows it on the same line). A quoted vision ends at its closing quote; an
    unquoted one at the next part of the plan named on the line ("… เป้าประสงค์รวม …")."""
    quoted = re.search(r"[“\"]([^”\"]+)[”\"]", rest)
    if quoted:
        return quoted.group(1).strip(), rest[quoted.end():]
    text = _LEAD_WORDS.sub("", _HEADING_SUFFIX.sub("", rest.strip(" :"))).strip(" :")
    following = _NEXT_PART.search(text)
    if following:
        return text[:following.start()].strip(), text[following.start():].strip()
    return text, ""


def _strip_number(text: str) -> str:
    """An item without its own number: '1.1 ถนนได้มาตรฐาน', 'ประเด็นการพัฒนาที่ 2 การ…', '- …'."""
    text = re.sub(r"^(?:" + _ISSUE_WORDS + r"|ประเด็น)\s*ที่\s*[\d๐-๙]+\s*[:.)]?\s*", "", text.strip())
    return _BULLET.sub("", _SECTION_NUMBER.sub("", text)).strip()


@dataclass
class Section:
    """The list a heading opened: later paragraphs that carry on its numbering (or bullets, or, after a
    heading standing alone, plain short lines as Word's automatic numbering leaves them) are its items."""
    kind: str
    paragraph: int
    expected: int = 1             # the number the next item of the list would carry
    open_ended: bool = False      # the heading stood alone: the list follows on the next lines
    line_items: bool = False      # its items are one numbered line each: an unnumbered line wraps the last
    partial: str = ""             # a quoted vision whose closing quote is on a later line
    bulleted: bool = False        # its items came with bullets: a line without one ends the list


@dataclass
class Item:
    kind: str
    title: str
    parent: str | None
    paragraph: int
    ref: str
    number: str | None = None
    target: KpiTarget | None = None


# Table columns (a table pasted from Word or in a .docx): what each header cell names.
_COLUMNS = [("other", re.compile(r"^(?:ค่าฐาน|ข้อมูลฐาน|ฐานข้อมูล|ผลการดำเนินงาน|หน่วยงาน|งบประมาณ|ที่$|ลำดับ)")),
            ("year", re.compile(r"(?<!\d)(25\d\d)(?!\d)")),
            ("issue", re.compile(r"^" + _ISSUE_WORDS)),
            ("objective", re.compile(r"^เป้าประสงค์")),
            ("kpi", re.compile(r"^(?:ตัวชี้วัด|kpi)", re.IGNORECASE)),
            ("strategy", re.compile(r"^(?:กลยุทธ์|แนวทาง)")),
            ("unit", re.compile(r"^หน่วย")),
            ("target", re.compile(r"^(?:ค่า)?เป้าหมาย"))]
STRUCTURE_COLUMNS = ("issue", "objective", "kpi", "strategy")
MAX_HEADER_CELL = 40


def _column(cell: str):
    """('year', 2566) / ('kpi', None) / None for a header cell."""
    cell = normalise(cell)
    if not cell or len(cell) > MAX_HEADER_CELL:
        return None
    for role, pattern in _COLUMNS:
        match = pattern.search(cell)
        if match:
            return (role, int(match.group(1))) if role == "year" else (role, None)
    return None


class TextReader:
    def __init__(self, paragraphs: list[str], tick=lambda: None):
        self.paragraphs, self.tick = paragraphs, tick
        self.items: list[Item] = []
        self.result_notes: list[tuple[str, int]] = []
        self.section: Section | None = None
        self.done_top: dict[str, int] = {}
        self.issue = self.objective = None
        self.last_parent_for_kpi = None
        self.columns: list | None = None        # the header of the table being read
        self._refs: dict[tuple, str] = {}

    def read(self):
        for n, para in enumerate(self.paragraphs, start=1):
            self.tick()
            if "\t" in para:
                self.section = None       # a table ends the list above it
                self.table_row(n, para.split("\t"))
                continue
            self.columns = None
            self.paragraph(n, para)
        return self.items

    # --- prose ----------------------------------------------------------------------------------
    def paragraph(self, n, para):
        text = _MARKUP.sub("", para).strip()
        bullet = bool(_BULLET.match(text)) and not _MARKER.match(to_arabic_digits(text))
        if bullet:
            text = _BULLET.sub("", text)
        for segment in self.segments(text):
            self.tick()           # a long paragraph may hold hundreds of parts
            self.segment(n, segment, bullet)

    def segments(self, text: str) -> list[str]:
        """A paragraph cut where a part of the plan starts inside it: issues numbered 1, 2, 3 … run
        together ("ประเด็นการพัฒนาที่ ๑ … ประเด็นการพัฒนาที่ ๒ …"), or a heading that leads into a list
        or a quotation. Positions are the same in the Thai-digit and Arabic-digit text."""
        arabic = to_arabic_digits(text)
        cuts, expected = set(), 1
        for match in _ISSUE_NUMBERED.finditer(arabic):
            if int(match.group(1)) == expected:
                cuts.add(match.start())
                expected += 1
        if expected <= 2:         # one numbered issue inside prose is a reference, not a list
            cuts = {c for c in cuts if c == 0}
        cuts |= {m.start() for m in _INNER_HEADING.finditer(arabic)}
        bounds = sorted(cuts | {0, len(text)})
        parts = [_DANGLING.sub("", text[a:b].strip()) for a, b in zip(bounds, bounds[1:], strict=False)]
        if len(parts) > 1:
            ends = _PROSE_GOES_ON.search(parts[-1])
            parts[-1] = parts[-1][:ends.start()] if ends else parts[-1]
        return [p.strip() for p in parts if p.strip()]

    def segment(self, n, text, bullet=False):
        norm = normalise(text)
        one = _ONE_ISSUE.match(norm)
        if one:
            self.issue = self._add("issue", _strip_number(text), None, n, one.group(1))
            self.objective, self.last_parent_for_kpi, self.section = None, self.issue, None
            return
        kind, text = self._heading(text, norm)
        if kind == "issue_item":
            self._structure("issue", text.strip(), n)
            self.section = None
            return
        if bullet and self.section is not None and kind in (None, self.section.kind):
            self.section.bulleted = True
            self._list_line(n, text)
            return
        if kind is None:
            self._not_a_heading(n, text)
            return
        part = _NUMBERED_PART.match(normalise(text))
        if part:
            self._numbered_part(n, kind, int(part.group(1)), _NUMBERED_PART.sub("", to_arabic_digits(text)))
            return
        self.section = Section(kind, n)
        rest = re.sub(r"^\S+", "", text, count=1)
        if kind == "vision":
            self._vision(n, rest)
            return
        self._items(kind, rest, n, continuing=False)

    def _numbered_part(self, n, kind, number, title):
        """'ตัวชี้วัดที่ 2 …' carries on the list 'ตัวชี้วัดที่ 1 …' began; 'ที่ 1' starts a new one."""
        if not (self.section and self.section.kind == kind and number == self.section.expected):
            self.section = Section(kind, n, expected=number)
        self._add_items(kind, [title.strip()], n, continuing=True)
        self.section.expected = number + 1

    def _heading(self, text, norm):
        """(kind, text) of a heading, also numbered as a section ('3.1 วิสัยทัศน์', '๒. พันธกิจ') unless the
        number is the next item of the list being read."""
        kind = self._kind_of(norm)
        if kind is not None or not _SECTION_NUMBER.match(norm):
            return kind, text
        marker = _MARKER.match(norm)
        if self.section and marker and int(marker.group(1) or marker.group(2)) == self.section.expected:
            return None, text
        stripped = _SECTION_NUMBER.sub("", text, count=1)
        kind = self._kind_of(normalise(stripped))
        if kind == "issue" and marker and self._next_issue_named(stripped, int(marker.group(1) or marker.group(2))):
            return "issue_item", stripped
        return (kind, stripped) if kind else (None, text)

    def _next_issue_named(self, text, number) -> bool:
        """'2. ยุทธศาสตร์การพัฒนาด้านสังคม' after issue 1: the next issue, named with the heading word,
        not a heading over a list."""
        issues = sum(1 for i in self.items if i.kind == "issue")
        rest = re.sub(r"^\S+", "", text, count=1)
        return issues > 0 and number == issues + 1 and not split_items(rest)[1] and not _INTRO_END.search(text)

    def _kind_of(self, norm):
        kind = next((k for k, pattern in HEADINGS if pattern.match(norm)), None)
        if kind == "objective" and self.issue is None:
            return "ultimate_goal"    # goals stated before any issue are the plan's own (เป้าประสงค์ของแผน)
        return kind

    def _not_a_heading(self, n, text):
        section = self.section
        if _CAPTION.match(normalise(text)):
            self.section = None        # "ตารางที่ 3.1 …", "ที่มา: …" end a list, they are not its items
        elif section is not None and _MARKER.match(to_arabic_digits(text)):
            self._items(section.kind, text, n, continuing=True)
            section.line_items = True
        elif self._wraps_last(text):
            self._wrap_last(text)
        elif (section is not None and section.open_ended and not (section.bulleted or section.line_items)
              and len(text) <= MAX_LIST_LINE
              and not text.startswith("#")):
            self._list_line(n, text)   # Word's own numbering: the item has no number in its text
        else:
            self.section = None

    def _wraps_last(self, text) -> bool:
        section, last = self.section, self.items[-1] if self.items else None
        return (section is not None and section.line_items and last is not None and last.kind == section.kind
                and len(text) <= MAX_WRAPPED_LINE and len(last.title) >= MIN_BROKEN_LINE
                and not _CLOSING.match(text))

    def _wrap_last(self, text):
        """A line a PDF copy broke off the item above: Thai wraps inside a phrase, so no space is added."""
        item = self.items[-1]
        key = (item.kind, normalise(item.title), item.parent)
        item.title = f"{item.title}{text.strip()}"
        self._refs[(item.kind, normalise(item.title), item.parent)] = self._refs.pop(key, item.ref)
        if item.kind == "kpi":
            item.target = read_target(item.title)

    def _list_line(self, n, text):
        kind = self.section.kind
        if kind == "vision":
            self._vision(n, f"{self.section.partial} {text}" if self.section.partial else text)
        else:
            self._add_items(kind, [_strip_number(text)], n, continuing=True)

    def _vision(self, n, rest):
        if re.search(r"[“\"]", rest) and not re.search(r"[“\"][^”\"]+[”\"]", rest):
            self.section.partial, self.section.open_ended = rest, True   # the quotation goes on below
            return
        text, following = _vision_text(rest)
        if not text:
            self.section.open_ended = True     # "วิสัยทัศน์" on its own line: the vision is the next one
            return
        self._top_once("vision", [text], n)
        self.section = None
        if following:
            for segment in self.segments(following):
                self.segment(n, segment)

    def _items(self, kind, text, n, continuing):
        """Items of a list; a continuing paragraph ('(2) …' on its own line) counts on from its own number."""
        lead = _MARKER.match(to_arabic_digits(text)) if continuing else None
        _, items = split_items(text, int(lead.group(1) or lead.group(2)) if lead else 1)
        if not items and not continuing:
            single = _LEAD_WORDS.sub("", _HEADING_SUFFIX.sub("", text.strip(" :"))).strip(" :")
            if not single or _INTRO_END.search(text.strip()):
                self.section.open_ended = True
                return
            if kind not in SINGLE_KINDS:
                return
            items = [single]
        if items:
            self._add_items(kind, items, n, continuing)
            if lead or not continuing:
                self.section.expected = (int(lead.group(1) or lead.group(2)) if lead else 1) + len(items)

    def _add_items(self, kind, items, n, continuing):
        if kind in TOP_KINDS:
            self._top_once(kind, items, n, continuing)
            return
        for item in items:
            self._structure(kind, item, n)

    def _structure(self, kind, title, n, target=None):
        if kind == "kpi":
            self._add("kpi", title, self.last_parent_for_kpi, n, target=target or read_target(title))
        elif kind == "objective":
            self.objective = self._add("objective", title, self.issue, n)
            self.last_parent_for_kpi = self.objective
        elif kind == "issue":
            self.issue = self._add("issue", title, None, n)
            self.objective, self.last_parent_for_kpi = None, self.issue
        else:
            self._add("strategy", title, self.objective or self.issue, n)

    def _top_once(self, kind, items, n, continuing=False):
        """A plan states its vision, missions, goals and issues once; a later list of the same kind (a
        summary of what was presented, as in seed 000) is reported, not imported twice."""
        first = self.done_top.get(kind)
        if first is not None and first != n and not (continuing and self.section and first == self.section.paragraph):
            self.result_notes.append((f"พบรายการ{KIND_TH[kind]}ซ้ำอีกครั้ง ({len(items)} รายการ) "
                                      f"ใช้รายการแรกที่ย่อหน้า {first}", n))
            return
        if not items:
            return
        self.done_top.setdefault(kind, self.section.paragraph if self.section and continuing else n)
        for item in items:
            ref = self._add(kind, item, None, n)
            if kind in ("ultimate_goal", "issue"):
                self.last_parent_for_kpi = ref
            if kind == "issue":
                self.issue, self.objective = ref, None

    # --- tables ---------------------------------------------------------------------------------
    def table_row(self, n, cells):
        cells = [c.strip() for c in cells]
        header = [_column(c) for c in cells]
        roles = [h[0] for h in header if h]
        if any(r in STRUCTURE_COLUMNS for r in roles) and len(roles) >= 2:
            self.columns = header
            return
        years = [h for h in header if h and h[0] == "year"]
        if self.columns and len(years) >= 2 and all(h or not c for h, c in zip(header, cells, strict=True)):
            # the second header row under a merged "ค่าเป้าหมาย": one column per year
            self.columns = [h if h and h[0] == "year" else old for h, old in
                            zip(header, self.columns + [None] * (len(header) - len(self.columns)), strict=True)]
            return
        if self.columns is None:
            self.paragraph(n, " ".join(c for c in cells if c))
            return
        self._data_row(n, dict(zip(range(len(cells)), cells, strict=True)))

    def _data_row(self, n, cells):
        """One row of a plan table; an empty cell (a merged cell as Word pastes it) keeps the issue or
        objective of the row above."""
        by_role = {}
        for i, column in enumerate(self.columns):
            if column and cells.get(i):
                by_role.setdefault(column[0], []).append((column[1], cells[i]))
        for role in STRUCTURE_COLUMNS:
            for _, cell in by_role.get(role, []):
                lines = [_strip_number(line) for line in cell.splitlines() if _strip_number(line)]
                for line in lines:
                    target = self._row_target(line, by_role) if role == "kpi" and len(lines) == 1 else None
                    self._structure(role, line, n, target)

    @staticmethod
    def _row_target(kpi, by_role) -> KpiTarget | None:
        unit = next((c for _, c in by_role.get("unit", [])), "")
        by_year = {year: number(c) for year, c in by_role.get("year", []) if number(c) is not None}
        stated = next((c for _, c in by_role.get("target", [])), "")
        target = read_target(stated) or read_target(kpi) or KpiTarget()
        if target.value is None and number(stated) is not None:
            target.value = number(stated)
        target.unit = normalise(unit) or target.unit
        target.direction = direction_of(f"{kpi} {stated}")
        target.by_year = by_year
        return target if (target.value is not None or by_year) else None

    def _add(self, kind, title, parent, n, number=None, target=None):
        """The same title of the same kind under the same parent is one element (a table repeats it)."""
        title = title.strip()
        key = (kind, normalise(title), parent)
        if key in self._refs:
            return self._refs[key]
        ref = f"{kind}:{len(self.items)}"
        self.items.append(Item(kind, title, parent, n, ref, number, target))
        self._refs[key] = ref
        return ref


@dataclass
class TextParse:
    """What a plan text says, before any owner or plan is looked up."""
    paragraphs: list[str]
    items: list[Item]
    notes: list[tuple[str, int | None]]
    title: str
    province: Province | None


def parse_text(path, tick=None) -> TextParse:
    """Read a .txt/.md/.docx plan: its elements (with KPI targets), plan title and province. Raises
    ImportRefused when the file cannot be read."""
    notes: list[str] = []
    paragraphs = read_paragraphs(path, notes)
    reader = TextReader(paragraphs, tick or TimeBudget())
    items = reader.read()
    title_match = next((m for m in (_PLAN_TITLE.search(normalise(p)) for p in paragraphs) if m), None)
    title = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", title_match.group(1))) if title_match else ""
    return TextParse(paragraphs, items, [(note, None) for note in notes] + reader.result_notes, title,
                     province_in(paragraphs, title))


def _owner_for(paragraphs, kind, province_name):
    from oneplan.organisations.models import Organisation

    if kind == "provincial" and province_name:
        org = Organisation.objects.filter(kind="provincial_office", area__kind="province",
                                          area__name_th=province_name.strip()).first()
        if org:
            return org
    return owner_named_in(paragraphs[:8])


def _kpi_data(target: KpiTarget, meta: dict, old: dict | None) -> dict:
    """The interchange `kpi` of a KPI whose wording states its target; what the plan already holds for
    it (definition, data source, baseline …) stays."""
    base = old or {"unit": "", "direction": "increase", "baseline": None, "baseline_year": None, "targets": {},
                   "definition": "", "data_source": "", "frequency": "yearly", "owner": ""}
    targets = {str(year): format(value.normalize(), "f")
               for year, value in target.targets(meta.get("start_year"), meta.get("end_year")).items()}
    return {**base, "unit": target.unit or base["unit"], "direction": target.direction,
            "targets": targets or base["targets"]}


def _province_note(province: Province | None, org) -> str | None:
    """The text names one province, the owner is in another: most likely the wrong owner was chosen."""
    owner_province = org.province() if org is not None else None
    if province is None or owner_province is None or owner_province.code == province.code:
        return None
    return (f"ข้อความระบุจังหวัด{province.name_th} แต่หน่วยงานเจ้าของแผน “{org.name_th}” อยู่ใน"
            f"จังหวัด{owner_province.name_th}: กรุณาตรวจว่าเลือกหน่วยงานถูกต้อง")


def import_text(path, *, plan=None, owner=None, filename: str = "", tick=None) -> ImportResult:
    result = ImportResult(source="text")
    tick = tick or TimeBudget()
    try:
        parsed = parse_text(path, tick)
    except ImportRefused as exc:
        result.errors.append(exc.problem)
        return result
    for message, n in parsed.notes:
        result.warn(message, paragraph=n)
    items, title = parsed.items, parsed.title
    if not items:
        result.error("ไม่พบหัวข้อของแผน (วิสัยทัศน์ พันธกิจ เป้าประสงค์ ประเด็นยุทธศาสตร์ …) ในไฟล์นี้")
        return result
    plan_obj = find_plan(plan)
    kind = ("provincial" if "แผนพัฒนาจังหวัด" in title else "cluster" if "กลุ่มจังหวัด" in title else "lao_local")
    start, end = parse_period(title)
    province = re.match(r"แผนพัฒนาจังหวัด\s*(\S+)", title)
    org = None
    if owner:
        from oneplan.organisations.models import Organisation

        org = Organisation.objects.filter(key=owner).first()
        if org is None:
            result.error(f"ไม่พบหน่วยงานรหัส “{owner}”")
    elif plan_obj is None:
        org = _owner_for(parsed.paragraphs[:8], kind, province.group(1) if province else "")
    if plan_obj is None and (org is None or not start):
        where = f" (ข้อความระบุจังหวัด{parsed.province.name_th})" if parsed.province else ""
        result.error("ไม่ทราบว่าเป็นแผนของหน่วยงานใดหรือช่วงปีใด" + where + ": ระบุ --plan หรือ --owner และให้มีชื่อแผนพร้อม "
                     "(พ.ศ. ปีเริ่ม – ปีสิ้นสุด) ในไฟล์")
    if result.errors:
        return result
    target = resolve_target(plan=plan_obj, owner=org, kind=kind, title=title, start=start, end=end,
                            edition=parse_edition(title))
    note = _province_note(parsed.province, target.owner)
    if note:
        result.warn(note)
    result.data = {"format": "oneplan-plan/1", "plan": target.meta,
                   "elements": _build(items, target, tick)}
    return result


def _build(items: list[Item], target, tick) -> list[dict]:
    builder = PlanBuilder(target.existing)
    codes, counters = {}, {}
    for item in items:
        tick()
        parent = codes.get(item.parent)
        counters[(item.kind, parent)] = counters.get((item.kind, parent), 0) + 1
        seq = item.number or str(counters[(item.kind, parent)])
        if item.kind in CODE_PREFIX:
            hint = CODE_PREFIX[item.kind] + ("" if item.kind == "vision" else seq)
        elif item.kind == "issue":
            hint = seq
        elif item.kind == "kpi":
            hint = f"{parent or 'K'}-K{seq}"
        else:
            hint = f"{parent}.{seq}" if parent else seq
        code = codes[item.ref] = builder.structure(item.kind, item.title, parent, hint)
        if item.kind == "kpi" and item.target is not None:
            element = builder.items[code]
            element["kpi"] = _kpi_data(item.target, target.meta, element.get("kpi"))
    return builder.elements()
