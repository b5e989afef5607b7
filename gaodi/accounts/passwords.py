"""The password policy's one local piece; the rest is Django's (AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a Chinese refusal: Django 5.2 reworded its message and the
    zh-hans catalogue has not caught up, so the refusal would otherwise show in English."""

    def get_error_message(self) -> str:
        return _("密码太短，至少需要 {count} 个字符。").format(count=self.min_length)

    def get_help_text(self) -> str:
        return _("密码至少需要 {count} 个字符。").format(count=self.min_length)
