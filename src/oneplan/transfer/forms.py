from django import forms
from django.utils.translation import gettext_lazy as _

from . import services


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("Excel (.xlsx) in the ผ.01/ผ.02 forms, text (.txt), "
                                                         "Word (.docx) or OnePlan JSON"),
                           error_messages={"empty": "ไฟล์ว่างเปล่า ไม่มีข้อความให้นำเข้า"})
    owner = forms.ModelChoiceField(label=_("Owner organisation (for a new plan)"), queryset=None, required=False,
                                   to_field_name="key")

    def __init__(self, *args, owners=None, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["owner"].queryset = owners
        if plan is not None:
            del self.fields["owner"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = services.size_problem(upload.size)   # before a byte is parsed
        if problem:
            raise forms.ValidationError(problem)
        if services.kind_of(upload.name) is None:
            raise forms.ValidationError("ไฟล์ “%(name)s”: นำเข้าได้เฉพาะ .xlsx, .txt, .docx และ .json",
                                        params={"name": upload.name})
        return upload
