from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.organisations.models import Organisation


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100,
                           error_messages={"required": "กรุณาระบุว่าจะใช้โทเคนกับระบบใด"})
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          error_messages={"required": "กรุณาเลือกหน่วยงาน",
                                                          "invalid_choice": "เลือกได้เฉพาะหน่วยงานที่ท่านมีบทบาท"})
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90,
                              error_messages={"min_value": "อายุโทเคน 1–365 วัน", "max_value": "อายุโทเคน 1–365 วัน",
                                              "required": "กรุณาระบุอายุโทเคน (วัน)",
                                              "invalid": "อายุโทเคนต้องเป็นจำนวนวัน"})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # a token speaks only for a body the user has a role in
        self.fields["organisation"].queryset = Organisation.objects.filter(memberships__user=user).distinct()

    def expires_at(self):
        return timezone.now() + timedelta(days=self.cleaned_data["days"])
