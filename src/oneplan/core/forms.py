"""Form fields that read what Thai users type: Thai digits, พ.ศ. years, amounts with commas."""
from django import forms

from . import thai


class BEYearField(forms.IntegerField):
    """A Buddhist-era year; Thai digits accepted; a Gregorian year is refused with a hint."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "size": 6}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return thai.parse_be_year(value, str(self.label or "ปี"))
        except thai.ThaiValueError as exc:
            raise forms.ValidationError(str(exc), code="be_year") from None

    def widget_attrs(self, widget):
        return {}


class AmountField(forms.DecimalField):
    """Baht amount: '1,250,000', '๕๐๐,๐๐๐ บาท', '-' for zero; exact Decimal, never negative."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return thai.parse_amount(value, str(self.label or "จำนวนเงิน"))
        except thai.ThaiValueError as exc:
            raise forms.ValidationError(str(exc), code="amount") from None

    def widget_attrs(self, widget):
        return {}


class ThaiDecimalField(forms.DecimalField):
    """A number (KPI value); Thai digits and thousands separators accepted; text refused in Thai."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = thai.to_arabic_digits(str(value)).replace(",", "").strip()
        try:
            return super().to_python(text)
        except forms.ValidationError:
            raise forms.ValidationError(f"{self.label or 'ค่า'}: “{value}” ไม่ใช่ตัวเลข", code="number") from None

    def widget_attrs(self, widget):
        return {}
