from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, When
from django.utils.translation import gettext_lazy as _

from oneplan.core.forms import AmountField, BEYearField, ThaiDecimalField
from oneplan.core.thai import has_control_chars, is_blank_text, strip_invisible, thai_sort_key

from .models import KPI, BudgetLine, BudgetSource, BudgetStage, Element, Plan, Project
from .models.elements import TITLE_MAX_CHARS, kinds_for


def _in_thai_order(queryset):
    """The areas or organisations of a select by kind, then name in Thai dictionary order. SQL can only
    order by code point (every name starting with เ-ไ last), so the order is computed here and handed
    back as a queryset, which the select still validates against."""
    rows = sorted(queryset.values_list("pk", "kind", "name_th"), key=lambda r: (r[1], thai_sort_key(r[2])))
    return queryset.order_by(Case(*[When(pk=pk, then=i) for i, (pk, _k, _n) in enumerate(rows)], default=len(rows)))


PLAN_FIELDS = ["title_th", "title_en", "kind", "owner", "area", "start_year", "end_year", "edition_type",
               "edition_number", "edition_year", "edition_reason", "description_th"]


class PlanForm(forms.ModelForm):
    key = forms.SlugField(label=_("key"), max_length=120, required=False,
                          help_text=_("Short identifier in Latin letters; filled in automatically if empty"))
    start_year = BEYearField(label=_("first year (B.E.)"))
    end_year = BEYearField(label=_("last year (B.E.)"))
    edition_year = BEYearField(label=_("edition year (B.E.)"), required=False)

    class Meta:
        model = Plan
        fields = PLAN_FIELDS

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners
        self.fields["owner"].queryset = _in_thai_order(self.fields["owner"].queryset)
        self.fields["owner"].required = True
        from oneplan.areas.models import Area

        self.fields["area"].queryset = _in_thai_order(Area.objects.exclude(kind="subdistrict"))
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] != "global_framework"]
        if self.instance.pk:
            del self.fields["key"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", "ปีสิ้นสุดต้องไม่ก่อนปีเริ่มต้น")
        return data

    def clean_key(self):
        from django.utils.text import slugify

        key = self.cleaned_data.get("key") or ""
        if not key:
            base = slugify(self.data.get("title_en") or "") or "plan"
            key = f"{base}-{self.data.get('start_year', '')}".strip("-")
            n, candidate = 1, key
            while Plan.objects.filter(key=candidate).exists():
                n += 1
                candidate = f"{key}-{n}"
            key = candidate
        elif Plan.objects.filter(key=key).exists():
            raise ValidationError(f"รหัสแผน “{key}” มีอยู่แล้ว")
        return key


class ElementForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Element
        fields = ["kind", "code", "title_th", "title_en", "description_th", "parent"]
        widgets = {"title_th": forms.Textarea(attrs={"rows": 2}), "title_en": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan or self.instance.plan
        self.instance.plan = self.plan
        parents = self.plan.elements.exclude(kind__in=["kpi", "project"])
        if self.instance.pk:
            parents = parents.exclude(pk__in=[self.instance.pk, *self.instance.descendants().values_list("pk", flat=True)])
            self.fields["version"].initial = self.instance.version
        self.fields["parent"].queryset = parents.order_by("order")
        self.fields["parent"].label_from_instance = lambda e: f"{e.code} {e.title_th[:80]}"
        self.fields["code"].required = True
        allowed = kinds_for(self.plan)
        if self.instance.pk and self.instance.kind not in allowed:
            allowed.append(self.instance.kind)     # an element imported with another kind keeps it
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] in allowed]

    def clean_code(self):
        # "1" and "1" + a zero-width space look the same: they are the same code
        code = strip_invisible(self.cleaned_data.get("code") or "").strip()
        if not code:
            raise ValidationError("กรุณากรอกรหัส")
        if has_control_chars(code, single_line=True):
            raise ValidationError("รหัสมีอักขระควบคุมหรือการขึ้นบรรทัดใหม่ ซึ่งใช้ไม่ได้")
        if self.plan.elements.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise ValidationError(f"รหัส “{code}” ซ้ำกับองค์ประกอบอื่นในแผนนี้")
        return code

    def clean_title_th(self):
        title = self.cleaned_data.get("title_th") or ""
        if is_blank_text(title):
            raise ValidationError("กรุณากรอกชื่อ (ภาษาไทย): ช่องนี้มีแต่ช่องว่างหรืออักขระที่มองไม่เห็น")
        if has_control_chars(title):
            raise ValidationError("ชื่อมีอักขระควบคุม (เช่น NUL) ซึ่งใช้ไม่ได้")
        return _within_title_limit(title)

    def clean_title_en(self):
        return _within_title_limit(self.cleaned_data.get("title_en") or "")

    def clean(self):
        data = super().clean()
        version = data.get("version")
        if self.instance.pk and version is not None and version != Element.objects.get(pk=self.instance.pk).version:
            raise ValidationError("องค์ประกอบนี้ถูกแก้ไขโดยผู้อื่นระหว่างที่คุณแก้ไข กรุณาเปิดหน้าใหม่เพื่อดูฉบับล่าสุด "
                                  "แล้วแก้ไขอีกครั้ง (ข้อความที่คุณพิมพ์ยังอยู่ในฟอร์มนี้)", code="stale")
        return data


def _within_title_limit(title: str) -> str:
    if len(title) > TITLE_MAX_CHARS:
        raise ValidationError(f"ชื่อยาว {len(title):,} ตัวอักษร เกินที่ใช้ได้ ({TITLE_MAX_CHARS:,} ตัวอักษร): "
                              "ใส่ข้อความส่วนที่เป็นรายละเอียดในช่องคำอธิบายแทน")
    return title


class KPIForm(forms.ModelForm):
    baseline = ThaiDecimalField(label=_("baseline"), required=False)
    baseline_year = BEYearField(label=_("baseline year (B.E.)"), required=False)

    class Meta:
        model = KPI
        fields = ["unit", "direction", "baseline", "baseline_year", "definition", "data_source", "frequency", "owner"]

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        current = {t.year: t.value for t in self.instance.targets.all()} if self.instance.pk else {}
        for y in self.years:
            self.fields[f"target_{y}"] = ThaiDecimalField(label=f"เป้าหมายปี {y}", required=False,
                                                          initial=current.get(y))

    def targets(self) -> dict[int, object]:
        return {y: self.cleaned_data.get(f"target_{y}") for y in self.years}


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["objective", "output_target", "kpi_text", "expected_result", "responsible_unit", "location",
                  "category"]
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in ["objective", "output_target", "kpi_text",
                                                                 "expected_result"]}


class BudgetLineForm(forms.ModelForm):
    fiscal_year = BEYearField(label=_("fiscal year (B.E.)"))
    amount = AmountField(label=_("amount (baht)"))

    class Meta:
        model = BudgetLine
        fields = ["fiscal_year", "amount", "source", "stage", "within_ceiling"]

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["source"].initial = BudgetSource.LAO_OWN
        self.fields["stage"].initial = BudgetStage.PLAN

    def clean_fiscal_year(self):
        year = self.cleaned_data["fiscal_year"]
        if self.plan and not self.plan.start_year <= year <= self.plan.end_year:
            raise ValidationError(f"ปีงบประมาณ {year} อยู่นอกช่วงของแผน ({self.plan.start_year}–{self.plan.end_year})")
        return year


BudgetFormSet = forms.inlineformset_factory(Project, BudgetLine, form=BudgetLineForm, extra=2, can_delete=True)


class LinkForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Element.objects.none(), label=_("links to"))
    note = forms.CharField(label=_("note"), required=False, max_length=300)

    def __init__(self, *args, source: Element, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        from .models.plans import PLAN_RANK

        higher = [k for k, r in PLAN_RANK.items() if r < source.plan.rank]
        self.fields["target"].queryset = (Element.objects.filter(plan__kind__in=higher)
                                          .exclude(plan__status="superseded").select_related("plan")
                                          .order_by("plan__kind", "plan__title_th", "order"))
        self.fields["target"].label_from_instance = lambda e: f"[{e.plan.title_th[:40]}] {e.code} {e.title_th[:70]}"
