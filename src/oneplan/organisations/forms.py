"""The province administrator's forms. Validation messages are Thai and name the field; the LAO form
is checked by the registry import's own row checks (registry.read_cells), never a second copy of them."""
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from oneplan.core.submission import OneTimeFormMixin

from .models import Role
from .onboarding import INVITABLE_ROLES, user_by_name
from .registry import FIELDS, KIND_NAMES, LABEL

ROLE_CHOICES = [(r.value, r.label) for r in INVITABLE_ROLES]


class LaoForm(OneTimeFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300,
                           help_text=_("e.g. องค์การบริหารส่วนตำบลท่าข้าม or อบต.ท่าข้าม"),
                           error_messages={"required": "กรุณากรอกชื่อ อปท."})
    kind = forms.CharField(label=_("Kind"), max_length=60, required=False, help_text=KIND_NAMES)
    code = forms.CharField(label=_("Official code"), max_length=20, required=False)
    district = forms.CharField(label=_("District"), max_length=100, required=False)
    subdistrict = forms.CharField(label=_("Subdistrict"), max_length=100, required=False)

    def add_problems(self, problems):
        """Registry problems back onto the field they name."""
        field_of = {LABEL[f]: f for f in FIELDS}
        for p in problems:
            name = field_of.get(p.column)
            self.add_error(name if name in self.fields else None, p.message)


class UploadRegistryForm(forms.Form):
    file = forms.FileField(label=_("Registry file (CSV or Excel)"),
                           error_messages={"empty": "ไฟล์ว่างเปล่า", "required": "กรุณาเลือกไฟล์"})


class InviteForm(OneTimeFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, to_field_name="key",
                                          error_messages={"invalid_choice": "เลือกได้เฉพาะหน่วยงานในจังหวัดที่คุณดูแล",
                                                          "required": "กรุณาเลือกหน่วยงาน"})
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=Role.EDITOR,
                             error_messages={"invalid_choice": "บทบาทไม่ถูกต้อง"})
    email = forms.EmailField(label=_("E-mail (optional: leave empty to hand over a code)"), required=False,
                             error_messages={"invalid": "รูปแบบอีเมลไม่ถูกต้อง"})
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=30, initial=7,
                              error_messages={"min_value": "อายุคำเชิญต้องอยู่ระหว่าง 1–30 วัน",
                                              "max_value": "อายุคำเชิญต้องอยู่ระหว่าง 1–30 วัน",
                                              "invalid": "อายุคำเชิญต้องเป็นจำนวนวัน"})

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class GrantForm(InviteForm):
    username = forms.CharField(label=_("Username"), max_length=150, error_messages={"required": "กรุณากรอกชื่อผู้ใช้"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["email"], self.fields["days"]

    def clean_username(self):
        user = user_by_name(self.cleaned_data["username"])
        if user is None:
            raise forms.ValidationError("ไม่พบผู้ใช้ชื่อนี้: เชิญด้วยอีเมลหรือรหัสคำเชิญแทน")
        return user


class HandoverForm(forms.Form):
    officer = forms.CharField(label=_("Officer who moves (username)"), max_length=150)
    successor = forms.CharField(label=_("Successor (username)"), max_length=150)
    deactivate = forms.BooleanField(label=_("Deactivate the officer's account"), required=False, initial=True)

    def _user(self, name):
        user = user_by_name(self.cleaned_data[name])
        if user is None:
            raise forms.ValidationError(f"ไม่พบผู้ใช้ “{self.cleaned_data[name]}”")
        return user

    def clean_officer(self):
        return self._user("officer")

    def clean_successor(self):
        return self._user("successor")


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Invitation code"), max_length=40, error_messages={"required": "กรุณากรอกรหัสคำเชิญ"})


class AcceptForm(forms.Form):
    """A new account from an invitation: the password checked by the password rules."""
    username = forms.RegexField(label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$",
                                error_messages={"invalid": "ชื่อผู้ใช้ใช้ได้เฉพาะตัวอักษรอังกฤษ ตัวเลข และ . @ + - _",
                                                "required": "กรุณากรอกชื่อผู้ใช้"})
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput,
                                error_messages={"required": "กรุณาตั้งรหัสผ่าน"})
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput,
                                error_messages={"required": "กรุณากรอกรหัสผ่านซ้ำ"})

    def clean_username(self):
        name = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("ชื่อผู้ใช้นี้มีผู้ใช้แล้ว: เลือกชื่ออื่น หรือเข้าสู่ระบบก่อนแล้วเปิดลิงก์อีกครั้ง")
        return name

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "รหัสผ่านทั้งสองช่องไม่ตรงกัน")
        elif p1:
            user = get_user_model()(username=data.get("username") or "", first_name=data.get("first_name", ""),
                                    last_name=data.get("last_name", ""))
            try:
                validate_password(p1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
