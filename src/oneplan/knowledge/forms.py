from django import forms
from django.utils.translation import gettext_lazy as _

from oneplan.governance.forms import BEDateField

from .models import GuidanceStatus, GuidanceVersion


class GuidanceVersionForm(forms.ModelForm):
    """A steward's change: always saved as a new version (the old one stays as it was shown)."""

    effective_from = BEDateField(label=_("effective date"))
    publish = forms.BooleanField(label=_("Publish this version"), required=False, initial=True)

    class Meta:
        model = GuidanceVersion
        fields = ["title", "rule_reference", "explanation", "checklist", "templates", "effective_from"]
        widgets = {"rule_reference": forms.Textarea(attrs={"rows": 2}), "explanation": forms.Textarea(attrs={"rows": 5}),
                   "checklist": forms.Textarea(attrs={"rows": 5}), "templates": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        self.instance.status = GuidanceStatus.PUBLISHED if self.cleaned_data.get("publish") else GuidanceStatus.DRAFT
        super()._post_clean()
