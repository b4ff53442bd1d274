"""Forms of the consultation: validation messages in Thai, naming the field at fault."""
from pathlib import Path

from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from oneplan.areas.models import Area
from oneplan.core.forms import AmountField
from oneplan.core.submission import OneTimeFormMixin
from oneplan.core.thai import BIDI_CONTROLS, is_blank_text

from .models import (
    AgendaItem,
    Answer,
    Attendance,
    BreakoutGroup,
    CommentKind,
    ConsultationRound,
    Event,
    Material,
    Outcome,
    RoundStatus,
    Sector,
)
from .services import MAX_COMMENT_CHARS

EDITABLE_PLAN_STATUSES = {"draft", "consultation", "revision", "returned"}


def _strip_controls(text: str) -> str:
    """Keep text as written (Thai, emoji, HTML as plain text) but drop NUL and other control
    characters that databases refuse or that hide content, and the bidi controls that could make
    the text read differently from what is stored."""
    text = "".join(ch for ch in text if (ch in "\n\t" or ord(ch) >= 32) and ch not in BIDI_CONTROLS)
    return "" if is_blank_text(text) else text.strip()


def _visible(text: str, field: str, required_message: str) -> str:
    """Refuse text with nothing visible in it (only spaces, zero-width characters, bidi controls)."""
    cleaned = _strip_controls(text)
    if not cleaned:
        raise forms.ValidationError(f"{required_message} (ช่อง “{field}” มีแต่ช่องว่างหรืออักขระที่มองไม่เห็น)"
                                    if text else required_message)
    return cleaned


class CommentForm(OneTimeFormMixin, forms.Form):
    """The public comment / project proposal form (one submission, one comment: core.submission)."""

    element = forms.ModelChoiceField(queryset=None, required=False, label=_("Part of the plan"),
                                     empty_label=_("The plan as a whole"))
    kind = forms.ChoiceField(choices=CommentKind.choices, initial=CommentKind.COMMENT, label=_("Type"),
                             widget=forms.RadioSelect)
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "กรุณาพิมพ์ความคิดเห็น"})
    project_title = forms.CharField(label=_("Proposed project"), max_length=500, required=False)
    project_location = forms.CharField(label=_("Location"), max_length=300, required=False)
    project_budget = AmountField(label=_("Estimated budget (baht)"), required=False)
    sector = forms.ChoiceField(choices=[("", "—")] + list(Sector.choices), label=_("You are from"),
                               error_messages={"required": "กรุณาเลือกภาคส่วนของท่าน"})
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Organisation (optional)"), max_length=300, required=False)
    district = forms.ModelChoiceField(queryset=Area.objects.none(), required=False,
                                      label=_("District (optional)"), empty_label="—")
    consent_store = forms.BooleanField(required=False, label=_(
        "I agree that my name, organisation and district are kept for this consultation only"))
    consent_public = forms.BooleanField(required=False, label=_("Show my name with my comment on the public page"))
    # honeypot: hidden from people by CSS (class "hp"); bots fill every field
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        plan = round_.plan
        self.fields["element"].queryset = plan.elements.exclude(kind="kpi").order_by("order", "id")
        self.fields["element"].label_from_instance = lambda e: f"{e.code} {e.title_th[:90]}"
        province = plan.area.province() if plan.area_id else None
        if province is not None:
            self.fields["district"].queryset = Area.objects.filter(parent=province, kind="district").order_by("name_th")
        else:
            del self.fields["district"]
        self.fields["text"].widget.attrs["maxlength"] = MAX_COMMENT_CHARS

    def clean_text(self):
        text = _visible(self.cleaned_data["text"], "ความคิดเห็น", "กรุณาพิมพ์ความคิดเห็น")
        if len(text) > MAX_COMMENT_CHARS:
            raise forms.ValidationError(
                f"ความคิดเห็นยาวเกินไป ({len(text):,} ตัวอักษร) พิมพ์ได้ไม่เกิน {MAX_COMMENT_CHARS:,} ตัวอักษร "
                "หากมีเอกสารประกอบ กรุณาส่งให้ผู้รับผิดชอบรอบการรับฟัง")
        return text

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("ไม่สามารถรับความคิดเห็นนี้ได้")
        return ""

    def clean(self):
        data = super().clean()
        for field in ("name", "organisation", "project_title", "project_location"):
            if data.get(field):
                data[field] = _strip_controls(data[field])
        personal = any(data.get(f) for f in ("name", "organisation", "district"))
        if personal and not data.get("consent_store"):
            self.add_error("consent_store", "หากกรอกชื่อ หน่วยงาน หรืออำเภอ กรุณาทำเครื่องหมายยินยอมให้เก็บข้อมูลส่วนบุคคล "
                                            "(หรือเว้นว่างช่องเหล่านั้นไว้)")
        if data.get("consent_public") and not data.get("name"):
            data["consent_public"] = False
        if data.get("kind") == CommentKind.NEW_PROJECT and not data.get("project_title"):
            self.add_error("project_title", "กรุณากรอกชื่อโครงการที่เสนอ")
        return data


class ProposalForm(OneTimeFormMixin, forms.Form):
    """A breakout group's proposal, typed by the facilitator on a phone during the session."""

    text = forms.CharField(label=_("Proposal"), widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "กรุณาพิมพ์ข้อเสนอของกลุ่ม"})
    element = forms.ModelChoiceField(queryset=None, required=False, label=_("Part of the plan"),
                                     empty_label=_("The group's theme"))
    is_project = forms.BooleanField(required=False, label=_("This is a new project"))

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].queryset = plan.elements.exclude(kind="kpi").order_by("order", "id")
        self.fields["element"].label_from_instance = lambda e: f"{e.code} {e.title_th[:60]}"

    def clean_text(self):
        text = _visible(self.cleaned_data["text"], "ข้อเสนอ", "กรุณาพิมพ์ข้อเสนอของกลุ่ม")
        if len(text) > MAX_COMMENT_CHARS:
            raise forms.ValidationError(f"ข้อเสนอยาวเกิน {MAX_COMMENT_CHARS:,} ตัวอักษร")
        return text


class RoundForm(forms.ModelForm):
    invited_sectors = forms.MultipleChoiceField(choices=Sector.choices, widget=forms.CheckboxSelectMultiple,
                                                label=_("Sectors invited"), required=False)

    class Meta:
        model = ConsultationRound
        fields = ["title", "purpose", "opens_on", "closes_on", "mode", "invited_sectors", "responsible", "status"]
        widgets = {"opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "วันปิดรับฟังต้องไม่ก่อนวันเปิดรับฟัง")
        if data.get("status") == RoundStatus.OPEN and self.plan.status not in EDITABLE_PLAN_STATUSES:
            self.add_error("status", f"เปิดรับฟังความคิดเห็นได้เฉพาะแผนที่ยังเป็นร่าง (แผนนี้มีสถานะ "
                                     f"“{self.plan.get_status_display()}”)")
        return data


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["kind", "title", "round", "starts_on", "ends_on", "venue", "organiser", "chair", "description",
                  "minutes", "resolutions"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = plan.consultation_rounds.all()

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "วันสุดท้ายต้องไม่ก่อนวันเริ่ม")
        return data


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ["sector", "count", "names"]
        widgets = {"names": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"count": {"required": "กรุณากรอกจำนวนผู้เข้าร่วม", "min_value": "จำนวนต้องไม่ติดลบ"}}


AgendaFormSet = inlineformset_factory(Event, AgendaItem, fields=["order", "time", "title", "speaker",
                                                                 "speaker_organisation"], extra=2)
AttendanceFormSet = inlineformset_factory(Event, Attendance, form=AttendanceForm, extra=2)
GroupFormSet = inlineformset_factory(Event, BreakoutGroup, fields=["order", "theme", "element", "facilitator"],
                                     extra=2)

ALLOWED_MATERIAL_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp",
                             ".jpg", ".jpeg", ".png", ".txt", ".csv", ".zip"}


class MaterialForm(forms.ModelForm):
    class Meta:
        model = Material
        fields = ["kind", "title", "file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in ALLOWED_MATERIAL_SUFFIXES:
            raise forms.ValidationError(f"ไฟล์: ไม่รับไฟล์ชนิด “{suffix or 'ไม่มีนามสกุล'}” "
                                        "(รับ PDF, Word, Excel, PowerPoint, รูปภาพ, ข้อความ, zip)")
        limit = getattr(settings, "ONEPLAN_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
        if upload.size > limit:
            raise forms.ValidationError(f"ไฟล์: ใหญ่เกิน {limit // (1024 * 1024)} MB")
        return upload


class AnswerForm(forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["outcome", "text", "element", "change_made", "referred_to"]
        widgets = {"outcome": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 3}),
                   "change_made": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].queryset = plan.elements.order_by("order", "id")
        self.fields["element"].label_from_instance = lambda e: f"{e.code} {e.title_th[:90]}"

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome in (Outcome.ACCEPTED, Outcome.ALREADY) and not data.get("element"):
            self.add_error("element", "กรุณาเลือกองค์ประกอบของแผนที่แก้ไขหรือที่มีเรื่องนี้อยู่แล้ว")
        if outcome in (Outcome.NOT_ACCEPTED, Outcome.PARTLY) and not (data.get("text") or "").strip():
            self.add_error("text", "กรุณาให้เหตุผล (ผู้แสดงความคิดเห็นจะเห็นคำตอบนี้)")
        if outcome == Outcome.OUT_OF_SCOPE and not (data.get("referred_to") or "").strip():
            self.add_error("referred_to", "กรุณาระบุหน่วยงานที่ส่งเรื่องต่อ")
        return data


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             error_messages={"required": "กรุณาระบุเหตุผลที่ซ่อนความคิดเห็น"})


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong with this comment?"), max_length=500,
                             error_messages={"required": "กรุณาระบุเหตุผลที่แจ้ง"})
    website = forms.CharField(required=False)

    def clean_reason(self):
        return _visible(self.cleaned_data["reason"], "เหตุผลที่แจ้ง", "กรุณาระบุเหตุผลที่แจ้ง")

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("ไม่สามารถรับการแจ้งนี้ได้")
        return ""
