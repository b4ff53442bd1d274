"""Clinic Center forms: the public report form (no account) and the staff's action forms.
Validation messages are Thai and name the field."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from oneplan.areas.models import Area, AreaKind
from oneplan.core.submission import OneTimeFormMixin
from oneplan.core.thai import thai_sort_key, to_arabic_digits
from oneplan.organisations.models import Organisation

from . import photos, validation
from .models import Category, Report


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input; each is checked and re-encoded (photos.clean_image)."""
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > photos.MAX_PHOTOS:
            raise ValidationError(f"ส่งรูปได้ไม่เกิน {photos.MAX_PHOTOS} รูป (ส่งมา {len(files)} รูป)")
        cleaned, errors = [], []
        for n, f in enumerate(files, start=1):
            try:
                cleaned.append(photos.clean_image(f, field=f"รูปที่ {n} ({f.name[:60]})"))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        if self.required and not cleaned:
            raise ValidationError(self.error_messages["required"])
        return cleaned


def areas_in(kind: str, parent: Area | None = None):
    """Areas of a kind (under a parent), in Thai dictionary order."""
    qs = Area.objects.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(parent=parent)
    return sorted(qs, key=lambda a: thai_sort_key(a.name_th))


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ReportForm(OneTimeFormMixin, forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.filter(active=True), label=_("What kind of problem"),
                                      empty_label="—", error_messages={"required": "กรุณาเลือกประเภทปัญหา",
                                                                       "invalid_choice": "กรุณาเลือกประเภทปัญหาจากรายการ"})
    text = forms.CharField(label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    photos = MultiplePhotoField(label=_("Photos (optional)"), required=False)
    province = AreaChoiceField(queryset=Area.objects.filter(kind=AreaKind.PROVINCE), label=_("Province"),
                               empty_label="—", error_messages={"required": "กรุณาเลือกจังหวัด",
                                                                "invalid_choice": "กรุณาเลือกจังหวัดจากรายการ"})
    district = AreaChoiceField(queryset=Area.objects.filter(kind=AreaKind.DISTRICT), label=_("District"),
                               empty_label="—", error_messages={"required": "กรุณาเลือกอำเภอ",
                                                                "invalid_choice": "กรุณาเลือกอำเภอจากรายการ"})
    subdistrict = AreaChoiceField(queryset=Area.objects.filter(kind=AreaKind.SUBDISTRICT), label=_("Subdistrict"),
                                  empty_label="—", error_messages={"required": "กรุณาเลือกตำบลที่เกิดปัญหา",
                                                                   "invalid_choice": "กรุณาเลือกตำบลจากรายการ"})
    village = forms.CharField(label=_("Village, road or landmark (optional)"), max_length=200, required=False)
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lng = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=30, required=False)
    consent = forms.BooleanField(required=False, label=_(
        "I agree that my name and phone are kept only so that the Clinic Center can contact me about this report"))
    # honeypot: hidden from people by CSS (class "hp"); bots fill every field
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].widget.choices = [("", "—")] + [(a.pk, a.display_name)
                                                                for a in areas_in(AreaKind.PROVINCE)]
        # the district and subdistrict lists hold the chosen parent's children (htmx fills them)
        province, district = self._chosen("province"), self._chosen("district")
        self.fields["district"].widget.choices = [("", "—")] + [
            (a.pk, a.display_name) for a in (areas_in(AreaKind.DISTRICT, province) if province else [])]
        self.fields["subdistrict"].widget.choices = [("", "—")] + [
            (a.pk, a.display_name) for a in (areas_in(AreaKind.SUBDISTRICT, district) if district else [])]

        # htmx fills the next list when one is chosen (the request carries the select's own value)
        places = reverse_lazy("clinic:places")
        self.fields["province"].widget.attrs.update({"hx-get": places, "hx-target": "#id_district",
                                                     "hx-trigger": "change"})
        self.fields["district"].widget.attrs.update({"hx-get": f"{places}?target=subdistrict",
                                                     "hx-target": "#id_subdistrict", "hx-trigger": "change"})

    def _chosen(self, name):
        value = (self.data.get(name) if self.is_bound else self.initial.get(name)) or ""
        return Area.objects.filter(pk=value).first() if str(value).isdigit() else None

    def clean_text(self):
        return validation.clean_text(self.cleaned_data.get("text", ""))

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError("ไม่สามารถรับเรื่องนี้ได้")
        return ""

    def clean_phone(self):
        phone = validation.strip_controls(to_arabic_digits(self.cleaned_data.get("phone", "")))
        if phone and not all(ch.isdigit() or ch in " -+()" for ch in phone):
            raise ValidationError("หมายเลขโทรศัพท์ต้องเป็นตัวเลข (เช่น 081-234-5678)")
        return phone

    def clean(self):
        data = super().clean()
        province, district, sub = data.get("province"), data.get("district"), data.get("subdistrict")
        if district and province and district.parent_id != province.pk:
            self.add_error("district", "อำเภอที่เลือกไม่อยู่ในจังหวัดที่เลือก")
        if sub and district and sub.parent_id != district.pk:
            self.add_error("subdistrict", "ตำบลที่เลือกไม่อยู่ในอำเภอที่เลือก")
        try:
            data["lat"], data["lng"] = validation.clean_coordinates(data.get("lat"), data.get("lng"))
        except ValidationError as exc:
            self.add_error(None, exc)
        data["name"] = validation.strip_controls(data.get("name", ""))
        data["village"] = validation.strip_controls(data.get("village", ""))
        if (data.get("name") or data.get("phone")) and not data.get("consent"):
            self.add_error("consent", "หากกรอกชื่อหรือเบอร์โทรศัพท์ กรุณาทำเครื่องหมายยินยอมให้เก็บข้อมูล "
                                      "(หรือเว้นว่างช่องเหล่านั้นไว้)")
        return data


# ---------------------------------------------------------------- staff actions

class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    required_note = False

    def clean_note(self):
        note = validation.strip_controls(self.cleaned_data.get("note", ""))
        if self.required_note and not note:
            raise ValidationError("กรุณาระบุเหตุผลหรือรายละเอียด (ช่อง “หมายเหตุ”)")
        return note


class ReasonForm(NoteForm):
    required_note = True


class DoneForm(NoteForm):
    required_note = True
    photos = MultiplePhotoField(label=_("Photo of the finished work"), required=True,
                                error_messages={"required": "กรุณาแนบรูปผลงานที่แก้ไขแล้วอย่างน้อย 1 รูป"})


class OrganisationForm(NoteForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"),
                                          error_messages={"required": "กรุณาเลือกหน่วยงาน",
                                                          "invalid_choice": "กรุณาเลือกหน่วยงานจากรายการ"})

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        from .rules import candidate_organisations

        self.fields["organisation"].queryset = candidate_organisations(report).exclude(pk=report.responsible_id)


class ReasonOrganisationForm(OrganisationForm):
    required_note = True


class SplitForm(forms.Form):
    """The part of a report that is another problem, written out as its own report."""
    category = forms.ModelChoiceField(queryset=Category.objects.all(), label=_("Category of the other problem"),
                                      error_messages={"required": "กรุณาเลือกประเภทของปัญหาที่แยกออกมา"})
    text = forms.CharField(label=_("The other problem, in its own words"), widget=forms.Textarea(attrs={"rows": 3}),
                           required=False)

    def clean_text(self):
        from .validation import clean_text

        return clean_text(self.cleaned_data.get("text") or "", "ปัญหาที่แยกออกมา")


class MergeForm(NoteForm):
    into = forms.CharField(label=_("Reference number of the report it repeats"), max_length=20,
                           error_messages={"required": "กรุณาระบุเลขที่เรื่องที่ซ้ำ"})

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report

    def clean_into(self):
        ref = self.cleaned_data["into"].strip().upper()
        target = Report.objects.filter(reference=ref).exclude(pk=self.report.pk).first()
        if target is None:
            raise ValidationError(f"ไม่พบเรื่องเลขที่ {ref[:20]}")
        if target.merged_into_id:
            raise ValidationError(f"เรื่อง {ref} ถูกรวมเข้ากับเรื่องอื่นแล้ว กรุณารวมเข้ากับเรื่องหลัก")
        if target.province_id != self.report.province_id:
            raise ValidationError(f"เรื่อง {ref} อยู่คนละจังหวัด รวมกันไม่ได้")
        return target
