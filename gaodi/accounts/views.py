"""Changing one's own password (signing in and out are Django's views, see urls.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from .forms import PasswordChangeForm
from .services import change_password


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """The signed-in user's new password, held to the password policy; stays signed in."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_password(request.user, form.cleaned_data["new_password1"], actor=request.user)
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改。"))
        return redirect("plans:home")
    return render(request, "accounts/password_change.html", {"form": form})


class LoginView(auth_views.LoginView):
    """The sign-in page; with no `next`, a learner (an account linked to a learner of the
    credit bank) lands on 我的凭证, everyone else on the plans (LOGIN_REDIRECT_URL)."""

    template_name = "accounts/login.html"

    def get_default_redirect_url(self) -> str:
        from gaodi.credits.models import Learner

        user = self.request.user
        if Learner.objects.filter(user=user, merged_into__isnull=True).exists():
            return reverse("credits:mine")
        return super().get_default_redirect_url()
