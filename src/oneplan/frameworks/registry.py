"""The reference frameworks: national and international plans every other plan links up to.
Each is a Plan with `framework` set; editions of the same framework share the code."""
import json
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Framework:
    code: str
    title_th: str
    title_en: str
    files: tuple[str, ...]   # data files, oldest edition first


FRAMEWORKS = [
    Framework("national-strategy", "ยุทธศาสตร์ชาติ พ.ศ. 2561–2580", "National Strategy 2018–2037",
              ("national-strategy.json",)),
    Framework("master-plans", "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ", "Master plans under the National Strategy",
              ("master-plans-2561.json", "master-plans-2566.json")),
    Framework("nesdp13", "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 13", "13th NESDP 2023–2027", ("nesdp13.json",)),
    Framework("sdg", "เป้าหมายการพัฒนาที่ยั่งยืน (SDGs)", "Sustainable Development Goals", ("sdg.json",)),
    Framework("smart-city", "เมืองอัจฉริยะประเทศไทย 7 ด้าน", "Smart City Thailand: 7 dimensions",
              ("smart-city.json",)),
    Framework("asean", "ประชาคมอาเซียน 3 เสาหลัก", "ASEAN Community: 3 pillars", ("asean.json",)),
]
BY_CODE = {f.code: f for f in FRAMEWORKS}


def get(code: str) -> Framework:
    if code not in BY_CODE:
        raise KeyError(f"ไม่รู้จักกรอบอ้างอิง “{code}” (ใช้ได้: {', '.join(BY_CODE)})")
    return BY_CODE[code]


def read(filename: str) -> dict:
    return json.loads((DATA / filename).read_text("utf-8"))


def plan_in_force(code: str):
    """The edition of a framework in force (else the newest)."""
    from oneplan.plans.models import Plan, PlanStatus

    plans = Plan.objects.filter(framework=get(code).code)
    return plans.filter(status=PlanStatus.IN_FORCE).order_by("-start_year").first() or \
        plans.order_by("-start_year").first()
