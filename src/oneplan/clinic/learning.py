"""Learning resources (the Clinic Center's second duty): the desk publishes how-to notes and answers to frequent
problems, linked from the categories, so that people and LAOs can help themselves."""
from __future__ import annotations

from django import forms

from oneplan.consultation.forms import _strip_controls as strip_controls

from .models import Category, LearningNote
from .rules import desk_orgs


def desks_of(user):
    """The Clinic Center desks (PAO / BMA) the user acts for; a superuser acts for every desk."""
    if not getattr(user, "is_authenticated", False):
        return desk_orgs(user).none()
    if user.is_superuser:
        from oneplan.organisations.models import Organisation

        from .routing import DESK_KINDS

        return Organisation.objects.filter(kind__in=DESK_KINDS, area__kind="province")
    return desk_orgs(user)


def may_edit(user, item: LearningNote) -> bool:
    return desks_of(user).filter(pk=item.organisation_id).exists()


def notes_by_category() -> list[tuple[Category, list[LearningNote]]]:
    out = []
    for category in Category.objects.filter(active=True).prefetch_related("learning_notes"):
        items = [n for n in category.learning_notes.all() if n.published]
        if items:
            out.append((category, items))
    return out


class NoteForm(forms.ModelForm):
    class Meta:
        model = LearningNote
        fields = ["title", "body", "categories", "organisation", "published"]
        widgets = {"categories": forms.CheckboxSelectMultiple}

    def __init__(self, *args, desks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = self.fields["organisation"].queryset.filter(
            pk__in=[d.pk for d in desks])
        self.fields["organisation"].empty_label = None
        self.fields["categories"].queryset = Category.objects.filter(active=True)

    def _text(self, name: str, label: str) -> str:
        value = strip_controls(self.cleaned_data.get(name) or "")
        if not value:
            raise forms.ValidationError(f"กรุณาใส่{label} (ช่องนี้ว่างหรือมีแต่อักขระที่มองไม่เห็น)")
        return value

    def clean_title(self):
        return self._text("title", "ชื่อเรื่อง")

    def clean_body(self):
        return self._text("body", "เนื้อหา")

    def save(self, user=None):
        item = super().save(commit=False)
        item.created_by = item.created_by or user
        item.save()
        self.save_m2m()
        return item
