from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from oneplan.consultation.models import Comment

from .models import CommentFollow, EmailMode, Kind
from .services import preference


@login_required
def inbox(request):
    notes = request.user.notifications.all()
    if request.method == "POST":
        notes.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications:inbox")
    return render(request, "notifications/inbox.html", {"notes": notes[:100],
                                                        "unread": notes.filter(read_at__isnull=True).count()})


class PreferenceForm(forms.Form):
    kinds = forms.MultipleChoiceField(label=_("Tell me about"), choices=Kind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    email = forms.ChoiceField(label=_("E-mail"), choices=EmailMode.choices)


@login_required
def preferences(request):
    pref = preference(request.user)
    initial = {"kinds": [k for k in Kind.values if pref.wants(k)], "email": pref.email}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        pref.muted = [k for k in Kind.values if k not in form.cleaned_data["kinds"]]
        pref.email = form.cleaned_data["email"]
        pref.save()
        messages.success(request, "บันทึกการตั้งค่าการแจ้งเตือนแล้ว")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
@require_POST
def follow(request, pk):
    """Follow a comment of a public round (hear when it is answered); a hidden one cannot be followed."""
    comment = get_object_or_404(Comment.objects.select_related("round"), pk=pk, hidden=False)
    if not comment.round.is_public:
        raise Http404
    CommentFollow.objects.get_or_create(user=request.user, comment=comment)
    messages.success(request, "จะแจ้งให้ทราบเมื่อความคิดเห็นนี้ได้รับคำตอบ")
    return redirect(comment.round.get_absolute_url())
