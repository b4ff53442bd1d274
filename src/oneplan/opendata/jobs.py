"""The open-data build as a background job (oneplan.jobs): one job per scope at a time."""
from django.urls import reverse

from oneplan.jobs.services import JobError, Outcome, start

from . import build as packages


def build_package(job, progress) -> Outcome:
    scope = job.params["scope"]
    try:
        done = packages.build(scope, progress=progress)
    except ValueError as exc:  # the province is gone since the job was queued
        raise JobError(str(exc)) from None
    return Outcome(url=reverse("opendata:download", args=[scope]),
                   label=f"ดาวน์โหลดชุดข้อมูลเปิด {scope_name(scope)} ({done['bytes']:,} ไบต์)")


def scope_name(scope: str) -> str:
    area = packages.scope_area(scope)
    return "ทั้งประเทศ" if area is None else f"จังหวัด{area.name_th.removeprefix('จังหวัด')}"


def start_build(scope: str, owner=None):
    """Queue the build of one scope (ValueError, Thai, for an unknown scope); an unfinished build of the
    same scope is reused rather than queued twice."""
    return start("oneplan.opendata.jobs.build_package", f"สร้างชุดข้อมูลเปิด {scope_name(scope)}", owner=owner,
                 params={"scope": scope}, dedupe_key=f"opendata:{scope}")
