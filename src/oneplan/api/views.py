"""Staff create and revoke their own API tokens; the token is shown once."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .forms import TokenForm
from .models import ApiToken


@login_required
def tokens(request):
    form = TokenForm(request.POST or None, user=request.user)
    issued = None
    if request.method == "POST" and form.is_valid():
        token, issued = ApiToken.issue(request.user, form.cleaned_data["organisation"], form.cleaned_data["name"],
                                       expires_at=form.expires_at())
        messages.success(request, f"สร้างโทเคน “{token.name}” แล้ว: คัดลอกเก็บไว้ตอนนี้ ระบบจะไม่แสดงอีก")
        form = TokenForm(user=request.user)
    return render(request, "api/tokens.html", {
        "form": form, "issued": issued, "tokens": request.user.api_tokens.select_related("organisation")})


@login_required
@require_POST
def revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # only one's own tokens
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        messages.success(request, f"เพิกถอนโทเคน “{token.name}” แล้ว")
    return redirect("api_tokens:list")
