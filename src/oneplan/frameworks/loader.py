from oneplan.plans.interchange import load_plan

from . import registry

# National Strategy first: the others link up to it.
LOAD_ORDER = ["national-strategy", "master-plans", "nesdp13", "sdg", "smart-city", "asean"]


def load_frameworks(stdout=None) -> list:
    reports = []
    for code in LOAD_ORDER:
        for filename in registry.get(code).files:
            if not (registry.DATA / filename).exists():
                if stdout:
                    stdout.write(f"  ข้าม {filename}: ไม่มีไฟล์")
                continue
            report = load_plan(registry.read(filename), trusted=True)  # the operator's reference data
            reports.append(report)
            if stdout:
                stdout.write(f"  {report.plan.key}: {report.created + report.updated} องค์ประกอบ, "
                             f"{report.links} การเชื่อมโยง")
    return reports
