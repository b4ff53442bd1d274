"""A generated province for scale tests: 1 PAO, n LAOs and m agencies, each with a plan of strategic
issues linked to the provincial plan and the national frameworks, projects with budget lines over five
fiscal years, and a few planted near-duplicates across organisations (same village, similar title).
Everything generated carries keys starting with "gen-<province>-" and is replaced on every run.

With `drafts=True` every plan has two editions, as at national scale: the one in force and a draft
successor being prepared (plans.editions: `supersedes` the plan in force, elements `carried_from`
theirs, the same projects, links and budget lines copied) — totals must count only the first.
`generate_provinces` makes several provinces (the national scale benchmark)."""
from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from oneplan.areas.models import Area
from oneplan.core.thai import normalise, search_tokens
from oneplan.governance.locks import allow_published_changes
from oneplan.organisations.models import Organisation
from oneplan.plans.editions import fiscal_year_start
from oneplan.plans.models import BudgetLine, Element, Link, Plan, Project

VILLAGES = ["ใหม่", "ดอนแดง", "หนองบัว", "โคกสูง", "ท่าช้าง", "นาดี", "หัวนา", "สระแก้ว", "หนองแวง", "โนนสำราญ",
            "ท่าเรือ", "ห้วยทราย", "เขาแดง", "คลองน้ำใส", "ทุ่งทอง", "หนองไผ่", "โนนสูง", "ดงพลอง", "หนองกระทุ่ม",
            "ตะคร้อ", "มะค่า", "ด่านเกวียน", "จอหอ", "โพธิ์กลาง", "บึงอ้อ", "ซับตะเคียน", "สีคิ้ว", "หนองระเวียง"]
ROADS = ["มิตรภาพ", "สุรนารายณ์", "ราชสีมา-โชคชัย", "ชุมพล", "จอมสุรางค์ยาตร์", "สืบศิริ", "ช้างเผือก", "บุรินทร์",
         "โพธิ์กลาง", "พิบูลละเอียด", "ประจักษ์", "เดชอุดม"]
TEMPLATES = [
    "ก่อสร้างถนนคอนกรีตเสริมเหล็ก สายบ้าน{v}-บ้าน{v2} หมู่ที่ {m}",
    "ก่อสร้างถนนลูกรังเพื่อการเกษตร บ้าน{v} หมู่ที่ {m}",
    "ขุดลอกคลองส่งน้ำเพื่อการเกษตร บ้าน{v} หมู่ที่ {m}",
    "ติดตั้งไฟฟ้าส่องสว่างพลังงานแสงอาทิตย์ ถนน{r}",
    "ก่อสร้างรางระบายน้ำ คสล. ถนน{r} หมู่ที่ {m}",
    "ซ่อมสร้างผิวจราจรแอสฟัลท์ติกคอนกรีต ถนน{r}",
    "ขยายเขตประปาหมู่บ้าน บ้าน{v} หมู่ที่ {m}",
    "ขุดเจาะบ่อบาดาลเพื่อการอุปโภคบริโภค บ้าน{v} หมู่ที่ {m}",
    "พัฒนาแหล่งน้ำ ขุดสระเก็บน้ำสาธารณะ บ้าน{v} หมู่ที่ {m}",
    "ก่อสร้างฝายชะลอน้ำ ลำห้วย{v}",
    "ขยายเขตไฟฟ้าสาธารณะ บ้าน{v} หมู่ที่ {m}",
    "ปรับปรุงศูนย์พัฒนาเด็กเล็กบ้าน{v}",
    "จัดซื้อวัสดุการศึกษาและสื่อการเรียนรู้ ศูนย์พัฒนาเด็กเล็กบ้าน{v}",
    "อาหารกลางวันนักเรียนโรงเรียนบ้าน{v}",
    "ส่งเสริมอาชีพกลุ่มแม่บ้านและวิสาหกิจชุมชน บ้าน{v}",
    "ฝึกอบรมการแปรรูปผลผลิตทางการเกษตร ตำบล{s}",
    "ส่งเสริมการปลูกผักปลอดสารพิษตามแนวเศรษฐกิจพอเพียง บ้าน{v}",
    "ส่งเสริมการเลี้ยงโคเนื้อและปศุสัตว์ ตำบล{s}",
    "ตลาดนัดชุมชนและสินค้าเกษตรปลอดภัย ตำบล{s}",
    "ส่งเสริมการท่องเที่ยวเชิงวัฒนธรรมและประเพณีท้องถิ่น ตำบล{s}",
    "จัดงานประเพณีลอยกระทงและสงกรานต์ ตำบล{s}",
    "แข่งขันกีฬาเยาวชนและประชาชนต้านยาเสพติด ตำบล{s}",
    "ก่อสร้างลานกีฬาอเนกประสงค์ บ้าน{v} หมู่ที่ {m}",
    "อบรมป้องกันและบรรเทาสาธารณภัยชุมชน ตำบล{s}",
    "ติดตั้งกล้องโทรทัศน์วงจรปิด (CCTV) ถนน{r}",
    "ป้องกันและลดอุบัติเหตุทางถนนช่วงเทศกาล ถนน{r}",
    "ป้องกันและควบคุมโรคไข้เลือดออก ตำบล{s}",
    "ส่งเสริมสุขภาพผู้สูงอายุและผู้ป่วยติดเตียง ตำบล{s}",
    "รณรงค์ป้องกันโรคพิษสุนัขบ้า ตำบล{s}",
    "คัดแยกขยะต้นทางและธนาคารขยะชุมชน บ้าน{v}",
    "ก่อสร้างระบบบำบัดน้ำเสียชุมชน บ้าน{v} หมู่ที่ {m}",
    "ปลูกป่าชุมชนและฟื้นฟูพื้นที่สีเขียว บ้าน{v}",
    "จัดทำแผนชุมชนและเวทีประชาคมหมู่บ้าน บ้าน{v} หมู่ที่ {m}",
    "พัฒนาศักยภาพคณะกรรมการหมู่บ้าน ตำบล{s}",
    "จัดซื้อรถบรรทุกน้ำอเนกประสงค์ ตำบล{s}",
    "ปรับปรุงอาคารที่ทำการและศูนย์บริการประชาชน ตำบล{s}",
    "สนับสนุนศูนย์ถ่ายทอดเทคโนโลยีการเกษตร ตำบล{s}",
    "ส่งเสริมการใช้พลังงานทดแทนในครัวเรือน บ้าน{v}",
    "พัฒนาระบบสารสนเทศเพื่อการบริการประชาชน ตำบล{s}",
    "ก่อสร้างสะพาน คสล. ข้ามลำห้วย{v} หมู่ที่ {m}",
]
ISSUES = ["การพัฒนาโครงสร้างพื้นฐาน", "การพัฒนาเศรษฐกิจและการท่องเที่ยว", "การพัฒนาคุณภาพชีวิตและสังคม",
          "การบริหารจัดการทรัพยากรธรรมชาติและสิ่งแวดล้อม", "การบริหารจัดการที่ดี"]
ISSUE_MASTER_PLANS = [["07", "19"], ["05", "16"], ["11", "13", "17"], ["18", "19"], ["20", "21"]]
ISSUE_MILESTONES = [["8"], ["2", "7"], ["9", "12"], ["10", "11"], ["13"]]
ISSUE_SDGS = [["9", "6"], ["8"], ["3", "4", "1"], ["11", "12"], ["16"]]
YEARS = [2566, 2567, 2568, 2569, 2570]


@dataclass
class Generated:
    organisations: int
    plans: int
    projects: int
    budget_lines: int
    planted_duplicates: int
    drafts: int = 0


def _frameworks() -> dict[tuple[str, str], int]:
    """(framework, top-level code) → element pk in the edition in force."""
    from oneplan.frameworks import registry

    out = {}
    for fw in ("master-plans", "nesdp13", "sdg"):
        plan = registry.plan_in_force(fw)
        if plan is not None:
            out.update({(fw, code): pk for pk, code in
                        plan.elements.filter(parent__isnull=True).values_list("pk", "code")})
    return out


_SEARCH_TEXT: dict[str, str] = {}


def _search_text(title: str) -> str:
    """Element.search_text as Element.prepare() writes it (Thai word tokens), memoised: generated titles
    repeat, and word segmentation is the slow part of generating."""
    if title not in _SEARCH_TEXT:
        _SEARCH_TEXT[title] = " " + " ".join(search_tokens(title)) + " "
    return _SEARCH_TEXT[title]


def _element(plan, kind, code, title, parent=None, order=0) -> Element:
    return Element(plan=plan, parent=parent, kind=kind, code=code, title_th=title, title_normalised=normalise(title),
                   search_text=_search_text(title), order=order)


@allow_published_changes()  # scale data is written already in force, like the operator's loaders
@transaction.atomic
def generate_province(code: str = "30", lao: int = 100, agencies: int = 50, projects_per_plan: int = 265,
                      seed: int = 1, duplicate_rate: float = 0.02, drafts: bool = False) -> Generated:
    rng = random.Random(seed)
    province = Area.objects.get(code=code, kind="province")
    prefix = f"gen-{code}-"
    _clear(prefix)
    places = list(Area.objects.filter(kind="subdistrict", parent__parent=province).order_by("code")) or \
        list(Area.objects.filter(kind="district", parent=province).order_by("code"))
    fw = _frameworks()
    orgs = _organisations(province, places, prefix, lao, agencies)
    provincial = _provincial_plan(province, prefix, orgs[0], fw)
    plans = [Plan(key=f"{prefix}plan-{i}", kind="agency" if o.kind == "provincial_agency" else "lao_local",
                  title_th=f"แผนพัฒนา (พ.ศ. 2566 – 2570) {o.name_th}", title_normalised=normalise(o.name_th),
                  owner=o, area=o.area, start_year=2566, end_year=2570, status="in_force")
             for i, o in enumerate(orgs)]
    for plan in plans:
        plan.in_force_from = fiscal_year_start(plan.start_year)   # as Plan.save() dates a loaded edition
    Plan.objects.bulk_create(plans)
    issues = Element.objects.bulk_create([_element(p, "issue", str(i + 1), t, order=i)
                                          for p in plans for i, t in enumerate(ISSUES)])
    strategies = Element.objects.bulk_create([_element(e.plan, "strategy", f"{e.code}.{j}", f"แนวทางที่ {j} {e.title_th}",
                                                       parent=e, order=j) for e in issues for j in (1, 2)])
    Link.objects.bulk_create(_links(issues, provincial, fw, rng))
    by_plan = {}
    for s in strategies:
        by_plan.setdefault(s.plan_id, []).append(s)
    lao_place = {o.pk: o.area for o in orgs}
    elements, details, planted = [], [], 0
    recent: list[tuple] = []
    for plan in plans:
        owner = plan.owner
        for n in range(projects_per_plan):
            parent = by_plan[plan.pk][n % len(by_plan[plan.pk])]
            place = lao_place[owner.pk] if owner.kind not in ("provincial_agency", "pao") else rng.choice(places)
            if recent and owner.kind in ("provincial_agency", "pao") and rng.random() < duplicate_rate:
                title, location, place = _variant(rng.choice(recent))
                planted += 1
            else:
                title, location = _project_text(rng, place)
                if owner.kind not in ("provincial_agency", "pao") and len(recent) < 5000:
                    recent.append((title, location, place))
            elements.append(_element(plan, "project", f"P{n + 1:04d}", title, parent=parent, order=100 + n))
            details.append((location, place, owner.kind))
    elements = Element.objects.bulk_create(elements, batch_size=5000)
    projects = Project.objects.bulk_create(
        [Project(element=e, location=loc, area=place if place.kind == "subdistrict" else None,
                 responsible_unit="กองช่าง") for e, (loc, place, _k) in zip(elements, details, strict=True)],
        batch_size=5000)
    lines = [line for p, (_l, _pl, kind) in zip(projects, details, strict=True) for line in _budgets(rng, p, kind)]
    BudgetLine.objects.bulk_create(lines, batch_size=10000)
    made = Generated(len(orgs), len(plans) + 1, len(projects), len(lines), planted)
    if drafts:
        made.drafts = _draft_editions([provincial[0].plan, *plans])
    return made


def generate_provinces(codes, **kwargs) -> list[Generated]:
    """Several generated provinces (one transaction each), e.g. ("30", "40", "41") for a national scale."""
    return [generate_province(code, seed=n + 1, **kwargs) for n, code in enumerate(codes)]


def _draft_editions(plans: list[Plan]) -> int:
    """A draft successor of each plan in force: a review edition that supersedes it, with the same elements
    (carried over from theirs), projects, budget lines and upward links — what governance.start_edition
    makes, written in bulk. Returns the number of draft plans."""
    drafts = [Plan(key=f"{p.key}-review", kind=p.kind, title_th=p.title_th, title_normalised=p.title_normalised,
                   owner_id=p.owner_id, area_id=p.area_id, start_year=p.start_year, end_year=p.end_year,
                   status="draft", edition_type="review", edition_number=1, edition_year=2569,
                   edition_reason="ทบทวนแผน (จำลอง)", supersedes=p) for p in plans]
    Plan.objects.bulk_create(drafts)
    draft_of = {p.pk: d for p, d in zip(plans, drafts, strict=True)}
    fields = ("pk", "plan_id", "parent_id", "kind", "code", "title_th", "title_normalised", "search_text", "order")
    old = list(Element.objects.filter(plan__in=plans).order_by("pk").values_list(*fields))
    new_of: dict[int, Element] = {}
    for depth_rows in _by_depth(old):
        made = [Element(plan=draft_of[plan_id], parent=new_of[parent_id] if parent_id else None, kind=kind,
                        code=code, title_th=title, title_normalised=norm, search_text=text, order=order,
                        carried_from_id=pk)
                for pk, plan_id, parent_id, kind, code, title, norm, text, order in depth_rows]
        Element.objects.bulk_create(made, batch_size=5000)
        new_of.update({row[0]: e for row, e in zip(depth_rows, made, strict=True)})
    links = Link.objects.filter(source__plan__in=plans).values_list("source_id", "target_id")
    Link.objects.bulk_create([Link(source=new_of[s], target_id=t) for s, t in links], batch_size=10000)
    projects = list(Project.objects.filter(element__plan__in=plans).values_list("pk", "element_id", "location",
                                                                                "area_id", "responsible_unit"))
    copies = Project.objects.bulk_create(
        [Project(element=new_of[e], location=loc, area_id=a, responsible_unit=unit) for _pk, e, loc, a, unit in projects],
        batch_size=5000)
    project_of = {row[0]: c for row, c in zip(projects, copies, strict=True)}
    lines = BudgetLine.objects.filter(project__element__plan__in=plans).values_list(
        "project_id", "fiscal_year", "stage", "source", "amount")
    BudgetLine.objects.bulk_create([BudgetLine(project=project_of[p], fiscal_year=y, stage=st, source=so, amount=a)
                                    for p, y, st, so, a in lines], batch_size=10000)
    return len(drafts)


def _by_depth(rows):
    """Element rows (pk, plan, parent, …) in layers, parents before children, so a copy's parent exists."""
    placed: set[int] = set()
    pending = rows
    while pending:
        layer = [r for r in pending if r[2] is None or r[2] in placed]
        if not layer:
            raise ValueError("elements with a parent outside their plan")
        placed |= {r[0] for r in layer}
        pending = [r for r in pending if r[0] not in placed]
        yield layer


def _clear(prefix: str):
    """Remove an earlier run. Django's cascading delete walks 40,000 elements one relation at a time
    (minutes); the generated rows are deleted table by table instead. Should another app hold a row
    pointing at generated data, the database refuses and the cascading delete is used after all."""
    from django.db import IntegrityError

    from oneplan.monitoring.models import ElementWeight, KPIResult, ProjectProgress
    from oneplan.plans.models import KPI, KPITarget

    elements = Element.objects.filter(plan__key__startswith=prefix)
    steps = [ProjectProgress.objects.filter(project__element__in=elements),
             KPIResult.objects.filter(kpi__element__in=elements),
             ElementWeight.objects.filter(element__in=elements),
             BudgetLine.objects.filter(project__element__in=elements),
             KPITarget.objects.filter(kpi__element__in=elements), KPI.objects.filter(element__in=elements),
             Project.objects.filter(element__in=elements),
             Link.objects.filter(source__in=elements), Link.objects.filter(target__in=elements)]
    try:
        with transaction.atomic():
            for qs in steps:
                qs._raw_delete(qs.db)
            Element.objects.filter(plan__key__startswith=prefix).update(parent=None)
            for qs in (elements, Plan.objects.filter(key__startswith=prefix)):
                qs._raw_delete(qs.db)
    except IntegrityError:
        Plan.objects.filter(key__startswith=prefix).delete()
    Organisation.objects.filter(key__startswith=prefix).delete()


def _organisations(province, places, prefix, lao, agencies) -> list[Organisation]:
    orgs = [Organisation(key=f"{prefix}pao", kind="pao", name_th=f"องค์การบริหารส่วนจังหวัด{province.name_th} (จำลอง)",
                         area=province)]
    for i in range(lao):
        place = places[i % len(places)]
        kind = "sao" if i % 3 else "subdistrict_municipality"
        label = "องค์การบริหารส่วนตำบล" if kind == "sao" else "เทศบาลตำบล"
        orgs.append(Organisation(key=f"{prefix}lao-{i}", kind=kind, name_th=f"{label}{place.name_th} (จำลอง {i + 1})",
                                 area=place))
    for i in range(agencies):
        orgs.append(Organisation(key=f"{prefix}agency-{i}", kind="provincial_agency",
                                 name_th=f"หน่วยงานส่วนภูมิภาคจำลอง {i + 1} จังหวัด{province.name_th}", area=province))
    return Organisation.objects.bulk_create(orgs)


def _provincial_plan(province, prefix, owner, fw) -> list[Element]:
    plan = Plan.objects.create(key=f"{prefix}provincial", kind="provincial", area=province, owner=owner,
                               title_th=f"แผนพัฒนาจังหวัด{province.name_th} (จำลอง)", start_year=2566, end_year=2570,
                               status="in_force", in_force_from=fiscal_year_start(2566))
    issues = Element.objects.bulk_create([_element(plan, "issue", str(i + 1), t, order=i)
                                          for i, t in enumerate(ISSUES)])
    Link.objects.bulk_create([Link(source=e, target_id=fw[("master-plans", mp)])
                              for e, mps in zip(issues, ISSUE_MASTER_PLANS, strict=True) for mp in mps
                              if ("master-plans", mp) in fw])
    return issues


def _links(issues, provincial, fw, rng) -> list[Link]:
    links = []
    for e in issues:
        i = int(e.code) - 1
        links.append(Link(source=e, target=provincial[i]))
        for framework, codes in (("master-plans", ISSUE_MASTER_PLANS[i]), ("nesdp13", ISSUE_MILESTONES[i]),
                                 ("sdg", ISSUE_SDGS[i])):
            for c in rng.sample(codes, k=min(len(codes), rng.choice((1, 2)))):
                if (framework, c) in fw:
                    links.append(Link(source=e, target_id=fw[(framework, c)]))
    return links


def _project_text(rng, place) -> tuple[str, str]:
    moo = rng.randint(1, 15)
    village, village2 = rng.sample(VILLAGES, 2)
    title = "โครงการ" + rng.choice(TEMPLATES).format(v=village, v2=village2, m=moo, r=rng.choice(ROADS),
                                                     s=place.name_th)
    return title, f"หมู่ที่ {moo} บ้าน{village} ตำบล{place.name_th}"


def _variant(original) -> tuple[str, str, object]:
    """The same project as another organisation writes it: other spacing and wording."""
    title, location, place = original
    title = title.replace("โครงการ", "โครงการ ", 1).replace("ก่อสร้าง", "ก่อสร้างและปรับปรุง", 1)
    return title, location, place


SOURCES = {"provincial_agency": ["function", "agenda", "province"], "pao": ["pao"],
           "sao": ["lao_own", "lao_subsidy"], "subdistrict_municipality": ["lao_own", "lao_subsidy"]}


def _budgets(rng, project, kind) -> list[BudgetLine]:
    first = rng.randrange(len(YEARS))
    years = YEARS[first:first + rng.randint(1, 5)]
    source = rng.choice(SOURCES[kind])
    return [BudgetLine(project=project, fiscal_year=y, stage="plan", source=source,
                       amount=Decimal(rng.randint(5, 5000) * 1000) + Decimal(rng.randint(0, 99)) / 100)
            for y in years]
