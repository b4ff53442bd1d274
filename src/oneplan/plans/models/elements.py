from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oneplan.core.thai import normalise, search_tokens

from .guard import GuardedManager


class ElementKind(models.TextChoices):
    # Plan side
    VISION = "vision", _("Vision")                          # วิสัยทัศน์
    MISSION = "mission", _("Mission")                       # พันธกิจ
    ULTIMATE_GOAL = "ultimate_goal", _("Ultimate goal")     # เป้าประสงค์รวม
    ISSUE = "issue", _("Strategic issue")                   # ประเด็นยุทธศาสตร์ / ประเด็นการพัฒนา
    OBJECTIVE = "objective", _("Objective")                 # เป้าประสงค์
    STRATEGY = "strategy", _("Strategy")                    # แนวทางการพัฒนา / กลยุทธ์
    PROGRAMME = "programme", _("Programme")                 # แผนงาน
    FOCUS_AREA = "focus_area", _("Focus area")              # ด้านที่มุ่งเน้น
    KPI = "kpi", _("KPI")                                   # ตัวชี้วัด
    PROJECT = "project", _("Project")                       # โครงการ
    # Framework side
    NS_STRATEGY = "ns_strategy", _("National strategy")
    NS_TARGET = "ns_target", _("National strategy target")
    MASTER_PLAN = "master_plan", _("Master plan")
    MASTER_PLAN_TARGET = "master_plan_target", _("Master plan target")
    SUB_PLAN = "sub_plan", _("Sub-plan")
    SUB_PLAN_TARGET = "sub_plan_target", _("Sub-plan target")
    GUIDELINE = "guideline", _("Development guideline")
    MILESTONE = "milestone", _("Milestone")
    MILESTONE_TARGET = "milestone_target", _("Milestone target")
    SDG_GOAL = "sdg_goal", _("SDG goal")
    SDG_TARGET = "sdg_target", _("SDG target")
    SMART_DIMENSION = "smart_dimension", _("Smart city dimension")
    ASEAN_PILLAR = "asean_pillar", _("ASEAN pillar")


# What an area's plan is made of; the rest (master plans, SDG targets …) only national and global frameworks hold.
PLAN_SIDE_KINDS = (ElementKind.VISION, ElementKind.MISSION, ElementKind.ULTIMATE_GOAL, ElementKind.ISSUE,
                   ElementKind.OBJECTIVE, ElementKind.STRATEGY, ElementKind.PROGRAMME, ElementKind.FOCUS_AREA,
                   ElementKind.KPI, ElementKind.PROJECT)
# A title is a heading, not the text of the plan: longer wording belongs in the description.
TITLE_MAX_CHARS = 2000


def kinds_for(plan) -> list[str]:
    """The element kinds that fit a plan: a framework may hold any, an area's plan the plan side only."""
    return list(ElementKind.values) if plan.framework else [str(k) for k in PLAN_SIDE_KINDS]


STRATEGIC_KINDS = {ElementKind.ISSUE, ElementKind.OBJECTIVE, ElementKind.STRATEGY, ElementKind.PROGRAMME,
                   ElementKind.FOCUS_AREA}


class Element(models.Model):
    """One node of a plan's strategic tree (vision … project), or of a framework."""

    plan_path = "plan_id"
    objects = GuardedManager()

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="elements",
                             verbose_name=_("plan"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
                               verbose_name=_("parent element"))
    kind = models.CharField(_("kind"), max_length=30, choices=ElementKind.choices, db_index=True)
    code = models.CharField(_("code"), max_length=40)
    title_th = models.TextField(_("Thai title"))
    title_en = models.TextField(_("English title"), blank=True)
    title_normalised = models.TextField(editable=False)
    description_th = models.TextField(_("description"), blank=True)
    search_text = models.TextField(editable=False, blank=True,
                                   help_text="Space-separated Thai word tokens, for search")
    order = models.PositiveIntegerField(default=0, db_index=True)
    # the element of the previous edition this one was copied from (set when an edition is started)
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="carried_to", editable=False,
                                     verbose_name=_("carried over from"))
    confirmed = models.BooleanField(_("checked against the official text"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="element_code_unique_in_plan")]
        indexes = [models.Index(fields=["plan", "kind"])]
        verbose_name = _("plan element")

    def __str__(self):
        return f"{self.code} {self.title_th}"

    def get_absolute_url(self):
        return reverse("plans:element", args=[self.pk])

    def clean(self):
        errors = {}
        if not (self.code or "").strip():
            errors["code"] = "กรุณากรอกรหัส"
        elif self.plan_id and Element.objects.filter(plan_id=self.plan_id, code=self.code.strip()).exclude(
                pk=self.pk).exists():
            errors["code"] = f"รหัส “{self.code}” ซ้ำกับองค์ประกอบอื่นในแผนนี้"
        if not (self.title_th or "").strip():
            errors["title_th"] = "กรุณากรอกชื่อ (ภาษาไทย)"
        if self.parent_id:
            if self.parent.plan_id != self.plan_id:
                errors["parent"] = "องค์ประกอบแม่ต้องอยู่ในแผนเดียวกัน"
            elif self.pk and (self.parent_id == self.pk or self.pk in _stored_ancestor_ids(self.parent_id)):
                errors["parent"] = "ย้ายองค์ประกอบไปไว้ใต้ตัวเองหรือลูกของตัวเองไม่ได้"
        if errors:
            raise ValidationError(errors)

    def prepare(self):
        """Derived fields (also for bulk inserts, which bypass save())."""
        self.code = (self.code or "").strip()
        self.title_normalised = normalise(self.title_th)
        self.search_text = " " + " ".join(search_tokens(f"{self.title_th} {self.title_en}")) + " "

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)

    def ancestors(self) -> list["Element"]:
        node, chain, seen = self.parent, [], {self.pk}
        while node is not None and node.pk not in seen:  # an unsaved move may form a cycle
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def descendants(self) -> models.QuerySet:
        return Element.objects.filter(pk__in=subtree_ids([self.pk]))

    @property
    def path_label(self) -> str:
        return " › ".join(f"{e.code}" for e in [*self.ancestors(), self])


def subtree_ids(root_ids) -> list[int]:
    """IDs of every descendant of the elements (not the elements themselves): one recursive query."""
    from django.db import connection

    root_ids = [int(i) for i in root_ids]
    if not root_ids:
        return []
    table = Element._meta.db_table
    marks = ", ".join(["%s"] * len(root_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"""WITH RECURSIVE sub(id) AS (
                               SELECT id FROM {table} WHERE parent_id IN ({marks})
                               UNION SELECT e.id FROM {table} e JOIN sub ON e.parent_id = sub.id)
                           SELECT id FROM sub""", root_ids)
        return [row[0] for row in cursor.fetchall()]


def _stored_ancestor_ids(element_id: int) -> set[int]:
    """IDs of an element and its ancestors as stored (not as edited in memory)."""
    ids, current = set(), element_id
    while current is not None and current not in ids:
        ids.add(current)
        current = Element.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return ids


class KPIDirection(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")
    MAINTAIN = "maintain", _("Keep at target")


class KPIFrequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every 6 months")
    YEARLY = "yearly", _("Yearly")


class KPI(models.Model):
    """ตัวชี้วัด: the definition of an indicator; values per period live in monitoring."""

    plan_path = "element__plan_id"
    objects = GuardedManager()

    element = models.OneToOneField(Element, on_delete=models.CASCADE, primary_key=True, related_name="kpi")
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=KPIDirection.choices,
                                 default=KPIDirection.INCREASE)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveIntegerField(_("baseline year (B.E.)"), null=True, blank=True)
    definition = models.TextField(_("definition / formula"), blank=True)
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    frequency = models.CharField(_("frequency"), max_length=20, choices=KPIFrequency.choices,
                                 default=KPIFrequency.YEARLY)
    owner = models.CharField(_("owner"), max_length=300, blank=True)

    def __str__(self):
        return self.element.title_th


class KPITarget(models.Model):
    plan_path = "kpi__element__plan_id"
    objects = GuardedManager()

    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveIntegerField(_("year (B.E.)"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["kpi", "year"], name="kpi_target_once_per_year")]


