"""Changing one's own password (signing in and out are Django's views, see urls.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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
