"""Read a provincial or LAO plan written as prose (plain text or .docx): วิสัยทัศน์, พันธกิจ,
เป้าประสงค์รวม/สูงสุด, ประเด็นยุทธศาสตร์/ประเด็นการพัฒนา, ยุทธศาสตร์, เป้าประสงค์, กลยุทธ์/แนวทางการพัฒนา,
ตัวชี้วัด, with numbered items ("1.", "1)", "(1)", "๑.") on their own lines or run together in one
paragraph (as in news of a plan hearing, seed 000)."""
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

HEADINGS = [
    ("vision", re.compile(r"^(?:โดย)?\s*วิสัยทัศน์")),
    ("mission", re.compile(r"^(?:โดย)?\s*พันธกิจ")),
    ("ultimate_goal", re.compile(r"^(?:โดย)?\s*เป้าประสงค์\s*(?:รวม|สูงสุด)")),
    ("issue", re.compile(r"^(?:โดย)?\s*(?:ประเด็นยุทธศาสตร์|ประเด็นการพัฒนา|ยุทธศาสตร์(?!ชาติ|จังหวัด|การพัฒนาจังหวัด))")),
    ("objective", re.compile(r"^เป้าประสงค์")),
    ("strategy", re.compile(r"^(?:กลยุทธ์|แนวทางการพัฒนา)")),
    ("kpi", re.compile(r"^ตัวชี้วัด")),
]
# "ประเด็นยุทธศาสตร์ที่ 2 การพัฒนาเมือง…": one issue, which the following lists belong to.
_ONE_ISSUE = re.compile(r"^(?:ประเด็นยุทธศาสตร์|ประเด็นการพัฒนา|ยุทธศาสตร์)\s*ที่\s*(\d+)\s*[:.)]?\s*(.+)$")
_MARKER = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=[”\"]))(?:\((\d{1,2})\)|(\d{1,2})[.)])(?!\d)")
_LEAD_WORDS = re.compile(r"^\s*(?:ของ\S*\s*)?(?:\S*\s*)?(?:ประกอบด้วย|ประกอบไปด้วย|ได้แก่|มีดังนี้|คือ|:)\s*")
_PLAN_TITLE = re.compile(r"(แผนพัฒนา(?:จังหวัด|ท้องถิ่น|กลุ่มจังหวัด)[^()\n]{0,40}?\(?\s*พ\.\s?ศ\.\s*\d{4}\s*[-–]\s*\d{4}\s*\)?)")
TOP_KINDS = ("vision", "mission", "ultimate_goal", "issue")
CODE_PREFIX = {"vision": "V", "mission": "M", "ultimate_goal": "G"}
KIND_TH = {"vision": "วิสัยทัศน์", "mission": "พันธกิจ", "ultimate_goal": "เป้าประสงค์รวม",
           "issue": "ประเด็นยุทธศาสตร์", "objective": "เป้าประสงค์", "strategy": "กลยุทธ์/แนวทางการพัฒนา",
           "kpi": "ตัวชี้วัด"}


def read_paragraphs(path, notes: list[str] | None = None) -> list[str]:
    """The file's non-empty paragraphs, or ImportRefused with the Thai reason it cannot be read."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        paras = _docx_paragraphs(path)
    else:
        paras = decode_text(path.read_bytes(), notes).splitlines()
    paras = [p.strip() for p in paras if p.strip()]
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
    paras = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paras += [cell.text for cell in row.cells]
    return paras


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
    inside an item (พ.ศ. 2579, 'ทุก ๆ ด้าน', '4 ปี') do not split it."""
    text = to_arabic_digits(text)
    expected, cuts = start, []
    for match in _MARKER.finditer(text):
        number = int(match.group(1) or match.group(2))
        if number == expected:
            cuts.append((match.start(), match.end()))
            expected += 1
    if not cuts:
        return text, []
    items = []
    for i, (_, end) in enumerate(cuts):
        stop = cuts[i + 1][0] if i + 1 < len(cuts) else len(text)
        items.append(text[end:stop].strip(" ,;"))
    return text[:cuts[0][0]], [i for i in items if i]


def _vision_text(rest: str) -> str:
    quoted = re.search(r"[“\"]([^”\"]+)[”\"]", rest)
    if quoted:
        return quoted.group(1).strip()
    return _LEAD_WORDS.sub("", rest).strip(" :")


@dataclass
class Section:
    kind: str
    paragraph: int


class TextReader:
    def __init__(self, paragraphs: list[str], tick=lambda: None):
        self.paragraphs, self.tick = paragraphs, tick
        self.items: list[tuple[str, str, str | None, int]] = []   # (kind, title, parent ref, paragraph)
        self.result_notes: list[tuple[str, int]] = []
        self.section: Section | None = None
        self.done_top: dict[str, int] = {}
        self.issue = self.objective = None
        self.last_parent_for_kpi = None

    def read(self):
        for n, para in enumerate(self.paragraphs, start=1):
            self.tick()
            self.paragraph(n, para)
        return self.items

    def paragraph(self, n, para):
        norm = normalise(para)
        one = _ONE_ISSUE.match(to_arabic_digits(norm))
        if one:
            title = re.sub(r"^\s*(?:ประเด็นยุทธศาสตร์|ประเด็นการพัฒนา|ยุทธศาสตร์)\s*ที่\s*[\d๐-๙]+\s*[:.)]?\s*", "", para)
            self.issue = self._add("issue", title, None, n, one.group(1))
            self.objective, self.last_parent_for_kpi, self.section = None, self.issue, None
            return
        kind = next((k for k, pattern in HEADINGS if pattern.match(norm)), None)
        if kind is None:
            if self.section is not None and _MARKER.match(to_arabic_digits(para)):
                self._items(self.section.kind, para, n, continuing=True)
            else:
                self.section = None
            return
        self.section = Section(kind, n)
        rest = re.sub(r"^\S+", "", para, count=1)
        if kind == "vision":
            text = _vision_text(rest)
            if text:
                self._top_once("vision", [text], n)
            return
        self._items(kind, rest, n, continuing=False)

    def _items(self, kind, text, n, continuing):
        """Items of a list; a continuing paragraph ('(2) …' on its own line) counts on from its own number."""
        lead = _MARKER.match(to_arabic_digits(text)) if continuing else None
        _, items = split_items(text, int(lead.group(1) or lead.group(2)) if lead else 1)
        if continuing and not items:
            return
        if kind in TOP_KINDS:
            self._top_once(kind, items, n, continuing)
            return
        for item in items:
            if kind == "kpi":
                self._add("kpi", item, self.last_parent_for_kpi, n)
            elif kind == "objective":
                self.objective = self._add("objective", item, self.issue, n)
                self.last_parent_for_kpi = self.objective
            else:
                self._add("strategy", item, self.objective or self.issue, n)

    def _top_once(self, kind, items, n, continuing=False):
        """A plan states its vision, missions, goals and issues once; a later list of the same kind (a
        summary of what was presented, as in seed 000) is reported, not imported twice."""
        first = self.done_top.get(kind)
        if first is not None and first != n and not (continuing and self.section and first == self.section.paragraph):
            self.result_notes.append((f"พบรายการ{KIND_TH[kind]}ซ้ำอีกครั้ง ({len(items)} รายการ) "
                                      f"ใช้รายการแรกที่ย่อหน้า {first}", n))
            return
        self.done_top.setdefault(kind, n)
        for item in items:
            ref = self._add(kind, item, None, n)
            if kind in ("ultimate_goal", "issue"):
                self.last_parent_for_kpi = ref
            if kind == "issue":
                self.issue, self.objective = ref, None

    def _add(self, kind, title, parent, n, number=None):
        ref = f"{kind}:{len(self.items)}"
        self.items.append((kind, title.strip(), parent, n, ref, number))
        return ref


def _owner_for(paragraphs, kind, province_name):
    from oneplan.organisations.models import Organisation

    if kind == "provincial" and province_name:
        org = Organisation.objects.filter(kind="provincial_office", area__kind="province",
                                          area__name_th=province_name.strip()).first()
        if org:
            return org
    return owner_named_in(paragraphs[:8])


def import_text(path, *, plan=None, owner=None, filename: str = "", tick=None) -> ImportResult:
    result = ImportResult(source="text")
    notes: list[str] = []
    try:
        paragraphs = read_paragraphs(path, notes)
    except ImportRefused as exc:
        result.errors.append(exc.problem)
        return result
    for note in notes:
        result.warn(note)
    reader = TextReader(paragraphs, tick or TimeBudget())
    items = reader.read()
    for message, n in reader.result_notes:
        result.warn(message, paragraph=n)
    if not items:
        result.error("ไม่พบหัวข้อของแผน (วิสัยทัศน์ พันธกิจ เป้าประสงค์ ประเด็นยุทธศาสตร์ …) ในไฟล์นี้")
        return result
    plan_obj = find_plan(plan)
    title_match = next((m for m in (_PLAN_TITLE.search(normalise(p)) for p in paragraphs) if m), None)
    title = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", title_match.group(1))) if title_match else ""
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
        org = _owner_for(paragraphs, kind, province.group(1) if province else "")
    if plan_obj is None and (org is None or not start):
        result.error("ไม่ทราบว่าเป็นแผนของหน่วยงานใดหรือช่วงปีใด: ระบุ --plan หรือ --owner และให้มีชื่อแผนพร้อม "
                     "(พ.ศ. ปีเริ่ม – ปีสิ้นสุด) ในไฟล์")
    if result.errors:
        return result
    target = resolve_target(plan=plan_obj, owner=org, kind=kind, title=title, start=start, end=end,
                            edition=parse_edition(title))
    builder = PlanBuilder(target.existing)
    codes, counters = {}, {}
    for kind_, title_, parent_ref, _n, ref, number in items:
        reader.tick()
        parent = codes.get(parent_ref)
        counters[(kind_, parent)] = counters.get((kind_, parent), 0) + 1
        seq = number or str(counters[(kind_, parent)])
        if kind_ in CODE_PREFIX:
            hint = CODE_PREFIX[kind_] + ("" if kind_ == "vision" else seq)
        elif kind_ == "issue":
            hint = seq
        elif kind_ == "kpi":
            hint = f"{parent or 'K'}-K{seq}"
        else:
            hint = f"{parent}.{seq}" if parent else seq
        codes[ref] = builder.structure(kind_, title_, parent, hint)
    result.data = {"format": "oneplan-plan/1", "plan": target.meta, "elements": builder.elements()}
    return result
