import re
from datetime import date

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from oneplan.core import thai
from oneplan.core.forms import BEYearField

from .models import DOCUMENT_EXTENSIONS
from .services import NEW_EDITION_TYPES

_MONTHS = {m: i for i, m in enumerate(thai.MONTHS_TH, start=1)}
_MONTHS.update({m.replace(".", ""): i for i, m in enumerate(thai.MONTHS_TH_ABBR, start=1)})
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_WORDED_DATE = re.compile(r"^(\d{1,2})\s+([^\d\s]+)\s+(?:พ\.?ศ\.?\s*)?(\d{4})$")


def parse_be_date(value, field: str) -> date:
    """'15/3/2566', '๑๕/๐๓/๒๕๖๖', '15 มีนาคม 2566', '15 มี.ค. 2566' → a date. The year must be พ.ศ."""
    text = thai.to_arabic_digits(str(value)).strip()
    numeric, worded = _NUMERIC_DATE.match(text), _WORDED_DATE.match(text)
    if numeric:
        day, month, year = int(numeric[1]), int(numeric[2]), numeric[3]
    elif worded and worded[2].replace(".", "") in _MONTHS:
        day, month, year = int(worded[1]), _MONTHS[worded[2].replace(".", "")], worded[3]
    else:
        raise thai.ThaiValueError(f"{field}: กรอกเป็น วัน/เดือน/ปี พ.ศ. เช่น 15/3/2566 (ได้รับ “{value}”)")
    be = thai.parse_be_year(year, field)
    try:
        return date(thai.ce_year(be), month, day)
    except ValueError:
        raise thai.ThaiValueError(f"{field}: ไม่มีวันที่ {day}/{month}/{be}") from None


class BEDateField(forms.DateField):
    """A date typed with a Buddhist-era year (Thai digits and Thai month names accepted)."""

    widget = forms.TextInput(attrs={"placeholder": "15/3/2566", "inputmode": "numeric", "size": 12})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        try:
            return parse_be_date(value, str(self.label or "วันที่"))
        except thai.ThaiValueError as exc:
            raise forms.ValidationError(str(exc), code="be_date") from None

    def prepare_value(self, value):
        if isinstance(value, date):
            return f"{value.day}/{value.month}/{thai.be_year(value.year)}"
        return value


def parse_meeting_number(value, field: str) -> str:
    """'ครั้งที่ 3/2566', '๓/๒๕๖๖' → '3/2566' (n/ปี พ.ศ.)."""
    text = thai.to_arabic_digits(str(value)).replace("ครั้งที่", "").replace(" ", "")
    match = re.fullmatch(r"(\d{1,3})/(\d{4})", text)
    if not match:
        raise thai.ThaiValueError(f"{field}: กรอกเป็น ครั้งที่/ปี พ.ศ. เช่น 3/2566 (ได้รับ “{value}”)")
    return f"{int(match[1])}/{thai.parse_be_year(match[2], field)}"


def _required(label: str) -> dict:
    return {"required": f"กรุณากรอก{label}"}


class TransitionForm(forms.Form):
    """The details of one workflow step; which of them are required depends on the action."""

    expected_state = forms.CharField(widget=forms.HiddenInput)
    meeting_number = forms.CharField(label=_("Meeting number (n/B.E. year)"), required=False, max_length=30,
                                     widget=forms.TextInput(attrs={"placeholder": "3/2566", "size": 10}))
    meeting_date = BEDateField(label=_("Meeting date (B.E.)"), required=False)
    resolution = forms.CharField(label=_("Resolution"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Reason / comments"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.FileField(label=_("Document (minutes, letter, announcement)"), required=False,
                               help_text=_("PDF, Word, Excel or an image"))

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action is not None and action.needs_reason:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages = _required("เหตุผลที่ส่งคืนแผน")
        if action is not None and action.needs_hearing:
            self.fields["reason"].help_text = _("Only if no consultation round on this edition has closed: "
                                                "why the plan goes to the committee without a public hearing")
        if action is not None and action.records_meeting:
            for name, label in (("meeting_number", "ครั้งที่ประชุม (เช่น 3/2566)"),
                                ("meeting_date", "วันที่ประชุม (พ.ศ.)"), ("resolution", "มติที่ประชุม")):
                self.fields[name].required = True
                self.fields[name].error_messages = _required(label)
        elif action is not None:
            for name in ("meeting_number", "meeting_date", "resolution"):
                del self.fields[name]

    def clean_meeting_number(self):
        value = self.cleaned_data.get("meeting_number")
        if not value:
            return ""
        try:
            return parse_meeting_number(value, "ครั้งที่ประชุม")
        except thai.ThaiValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_document(self):
        doc = self.cleaned_data.get("document")
        if not doc:
            return None
        if doc.size > settings.ONEPLAN_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"เอกสาร: ไฟล์ใหญ่เกิน {settings.ONEPLAN_MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        ext = doc.name.rsplit(".", 1)[-1].lower() if "." in doc.name else ""
        if ext not in DOCUMENT_EXTENSIONS:
            raise forms.ValidationError(f"เอกสาร: รับเฉพาะไฟล์ {', '.join(DOCUMENT_EXTENSIONS)} (ได้รับ “{doc.name}”)")
        return doc


class EditionForm(forms.Form):
    edition_type = forms.ChoiceField(label=_("Kind of edition"), error_messages=_required("ประเภทฉบับ"))
    reason = forms.CharField(label=_("Reason (necessity)"), widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages=_required("เหตุผลความจำเป็น"))
    edition_year = BEYearField(label=_("Edition year (B.E.)"), required=False)
    edition_number = forms.IntegerField(label=_("Edition number"), required=False, min_value=1,
                                        help_text=_("Leave empty to number it automatically"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from oneplan.plans.models import EditionType

        labels = dict(EditionType.choices)
        self.fields["edition_type"].choices = [(t.value, labels[t.value]) for t in NEW_EDITION_TYPES]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("กรุณากรอกเหตุผลความจำเป็น")
        return reason
